/* eimza — GET /static/{dir}/{file}: the pages' static files (web/http/). See static.h.
 *
 * What may be served is decided before the file system is touched: each path segment must
 * be a plain name ([A-Za-z0-9] first, then [A-Za-z0-9._-]), so "..", hidden files and
 * anything with a slash or a NUL never reach open(); the extension must be one of a known
 * list (which gives the Content-Type, so nothing is served as a type the browser guesses);
 * and /static/vendor/ serves only the library files named in web_vendor_files. The file is
 * opened without following a final symbolic link and must be a regular file.
 *
 * Caching: every answer carries an ETag (size and modification time) and Last-Modified, with
 * Cache-Control: no-cache, so the browser keeps a copy and asks each time whether it is
 * still good (If-None-Match / If-Modified-Since -> 304 without a body). The files are small
 * and change with every build of the pages, so a revalidation is cheaper than a stale page.
 * HEAD gets the same headers without the body (the router gives HEAD to GET routes).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "web/http/static.h"
#include "web/http/http_int.h"

#define WEB_STATIC_MAX_FILE ((size_t)4 << 20)

/* Set once before the server starts, read-only afterwards. */
static char web_static_root[1024] = "static";

int web_static_configure(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof web_static_root) {
        snprintf(err, errlen, "static_dir '%s' is empty or too long", dir);
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, R_OK | X_OK) != 0) {
        snprintf(err, errlen, "static_dir '%s' is not a readable folder", dir);
        return -1;
    }
    memcpy(web_static_root, dir, n + 1);
    return 0;
}

const char *web_static_dir(void)
{
    return web_static_root;
}

static const struct {
    const char *ext;
    const char *type;
} web_static_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

/* The library files served at /static/vendor/NAME, from node_modules/ (package.json). */
static const struct {
    const char *name;
    const char *path;
} web_vendor_files[] = {
    {"pico.classless.min.css", "@picocss/pico/css/pico.classless.min.css"},
};

static bool web_static_segment_ok(const char *s)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    if (!s || !*s || !strchr(alnum, s[0]))
        return false;
    size_t n = strspn(s, alnum);
    n += strspn(s + n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
    return s[n] == '\0' && n <= 128;
}

static const char *web_static_type(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof web_static_types / sizeof web_static_types[0]; i++)
        if (!strcmp(dot, web_static_types[i].ext))
            return web_static_types[i].type;
    return NULL;
}

/* The file's path under the static folder, or false when the request names none. */
static bool web_static_path(const char *dir, const char *file, char *out, size_t outlen)
{
    int n;
    if (!strcmp(dir, "vendor")) {
        for (size_t i = 0; i < sizeof web_vendor_files / sizeof web_vendor_files[0]; i++) {
            if (!strcmp(file, web_vendor_files[i].name)) {
                n = snprintf(out, outlen, "%s/../node_modules/%s", web_static_root,
                             web_vendor_files[i].path);
                return n > 0 && (size_t)n < outlen;
            }
        }
        return false;
    }
    n = snprintf(out, outlen, "%s/%s/%s", web_static_root, dir, file);
    return n > 0 && (size_t)n < outlen;
}

static const char web_days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char web_months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* An HTTP date (IMF-fixdate, RFC 9110 5.6.7), written without the locale's names. */
static void web_http_date(time_t t, char *out, size_t outlen)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d GMT", web_days[tm.tm_wday], tm.tm_mday,
             web_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). Returns false for anything else
 * (the obsolete formats too: a client that sends them simply gets the whole file). */
static bool web_http_date_parse(const char *s, time_t *out)
{
    char wday[4], mon[4], zone[4];
    int d, y, hh, mm, ss, used = 0;
    if (!s ||
        sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", wday, &d, mon, &y, &hh, &mm, &ss, zone,
               &used) != 8 ||
        s[used] != '\0' || strcmp(zone, "GMT") != 0)
        return false;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (!strcmp(mon, web_months[i]))
            m = i;
    if (m < 0 || d < 1 || d > 31 || y < 1970 || hh > 23 || mm > 59 || ss > 60)
        return false;
    struct tm tm = {
        .tm_sec = ss, .tm_min = mm, .tm_hour = hh, .tm_mday = d, .tm_mon = m, .tm_year = y - 1900};
    *out = timegm(&tm);
    return *out != (time_t)-1;
}

/* True when an If-None-Match list ("a", W/"b", *) holds etag (weak comparison, as RFC 9110
 * asks for GET). */
bool web_etag_listed(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    for (const char *s = list; *s;) {
        s += strspn(s, " \t,");
        if (*s == '*')
            return true;
        if (!strncmp(s, "W/", 2))
            s += 2;
        size_t n = strcspn(s, ",");
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == elen && !memcmp(s, etag, n))
            return true;
        s += strcspn(s, ",");
    }
    return false;
}

enum web_err web_h_static(struct web_req *rq)
{
    const char *dir = web_req_param(rq, "dir"), *file = web_req_param(rq, "file");
    const char *ctype;
    char path[2048], etag[80], lastmod[40];
    struct stat st;
    struct ubuf body = UBUF_INIT(WEB_STATIC_MAX_FILE);
    enum web_err rc = WEB_E_NOT_FOUND;
    int fd = -1;

    if (!web_static_segment_ok(dir) || !web_static_segment_ok(file) ||
        !(ctype = web_static_type(file)) || !web_static_path(dir, file, path, sizeof path))
        goto out;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
            ulog(ULOG_WARN, "static.open_failed", "rid=%s errno=%d", web_req_id(rq), errno);
        goto out;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto out;
    if ((size_t)st.st_size > WEB_STATIC_MAX_FILE) {
        ulog(ULOG_WARN, "static.too_large", "rid=%s bytes=%jd", web_req_id(rq),
             (intmax_t)st.st_size);
        goto out;
    }

    snprintf(etag, sizeof etag, "\"%jx-%jx-%lx\"", (uintmax_t)st.st_size,
             (uintmax_t)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
    web_http_date(st.st_mtim.tv_sec, lastmod, sizeof lastmod);
    rc = WEB_E_NOMEM;
    if (web_reply_header(rq, "ETag", etag) < 0 ||
        web_reply_header(rq, "Last-Modified", lastmod) < 0 ||
        web_reply_header(rq, "Cache-Control", "no-cache") < 0)
        goto out;

    const char *inm = web_req_header(rq, "If-None-Match");
    time_t since;
    if (inm ? web_etag_listed(inm, etag)
            : web_http_date_parse(web_req_header(rq, "If-Modified-Since"), &since) &&
                  st.st_mtim.tv_sec <= since) {
        rc = web_reply_static(rq, 304, ctype, "", 0);
        goto out;
    }

    int got = ubuf_read_fd(&body, fd);
    if (got == -1) {
        rc = WEB_E_INTERNAL;
        goto out;
    }
    if (got < 0)
        goto out; /* the file grew past the cap while being read */
    rc = web_reply(rq, 200, ctype, &body);
out:
    if (fd >= 0)
        close(fd);
    ubuf_free(&body);
    return rc;
}
