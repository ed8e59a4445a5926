/* eimza — GET /indir/{file}: the agent's packages. See download.h.
 *
 * The request names a package ("eimza-agent.deb", "eimza-common.deb"), never a file: the
 * folder is searched for that package's files (NAME_VERSION_ARCH.deb, VERSION of dotted
 * numbers), the newest version wins, and it is opened without following a final symbolic
 * link and must be a regular file. The answer is the whole file (the agent's package is a few
 * kilobytes, the program's a few megabytes) as a download under the fixed name. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/text.h"
#include "util/log.h"
#include "web/http/download.h"
#include "web/http/http_int.h"

#define WEB_DOWNLOAD_MAX ((size_t)64 << 20)

static const char *const web_packages[] = {"eimza-agent", "eimza-common"};

/* The version of a file named PKG_VERSION_ARCH.deb into ver; false when name is not one. */
static bool web_package_version(const char *name, const char *pkg, char *ver, size_t cap)
{
    size_t n = strlen(pkg), len = strlen(name);
    if (len < n + 6 || strncmp(name, pkg, n) != 0 || name[n] != '_' ||
        strcmp(name + len - 4, ".deb") != 0)
        return false;
    const char *v = name + n + 1, *us = strchr(v, '_');
    if (!us || (size_t)(us - v) >= cap)
        return false;
    const char *arch = us + 1;
    size_t alen = (size_t)(name + len - 4 - arch);
    if (alen == 0 || strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789-") != alen)
        return false;
    memcpy(ver, v, (size_t)(us - v));
    ver[us - v] = '\0';
    return app_version_cmp(ver, ver) == 0; /* dotted numbers */
}

/* The newest file of pkg in dir into out; false when there is none. */
static bool web_package_newest(const char *dir, const char *pkg, char *out, size_t outlen)
{
    char best[64] = "", ver[64];
    DIR *d = opendir(dir);
    if (!d)
        return false;
    for (struct dirent *e; (e = readdir(d));) {
        if (!web_package_version(e->d_name, pkg, ver, sizeof ver))
            continue;
        if (!best[0] || app_version_cmp(ver, best) > 0) {
            int n = snprintf(out, outlen, "%s/%s", dir, e->d_name);
            if (n > 0 && (size_t)n < outlen)
                snprintf(best, sizeof best, "%s", ver);
        }
    }
    closedir(d);
    return best[0] != '\0';
}

enum web_err web_h_download(struct web_req *rq)
{
    const char *file = web_req_param(rq, "file"), *dir = web_req_packages_dir(rq);
    const char *pkg = NULL;
    char path[2048], disposition[80];
    struct stat st;
    struct ubuf body = UBUF_INIT(WEB_DOWNLOAD_MAX);
    enum web_err rc = WEB_E_NOT_FOUND;
    int fd = -1;

    for (size_t i = 0; file && i < sizeof web_packages / sizeof web_packages[0]; i++) {
        size_t n = strlen(web_packages[i]);
        if (!strncmp(file, web_packages[i], n) && !strcmp(file + n, ".deb"))
            pkg = web_packages[i];
    }
    if (!pkg || !dir[0] || !web_package_newest(dir, pkg, path, sizeof path))
        goto out;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto out;
    if ((size_t)st.st_size > WEB_DOWNLOAD_MAX) {
        ulog(ULOG_WARN, "download.too_large", "rid=%s bytes=%jd", web_req_id(rq),
             (intmax_t)st.st_size);
        goto out;
    }
    int got = ubuf_read_fd(&body, fd);
    if (got < 0) {
        rc = got == -1 ? WEB_E_INTERNAL : WEB_E_NOMEM;
        goto out;
    }
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", file);
    rc = WEB_E_NOMEM;
    if (web_reply_header(rq, "Content-Disposition", disposition) < 0 ||
        web_reply_header(rq, "Cache-Control", "no-cache") < 0)
        goto out;
    rc = web_reply(rq, 200, "application/vnd.debian.binary-package", &body);
out:
    if (fd >= 0)
        close(fd);
    ubuf_free(&body);
    return rc;
}
