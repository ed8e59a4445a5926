/* eimza — exporting a signature's evidence as files (see evidence.h). */
#include "app/evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/portal_int.h"
#include "util/log.h"

struct export
{
    const char *dir;
    int failed; /* a file could not be written */
    int written;
    char fingerprint[72];
};

/* Writes n bytes to dir/name through dir/.name.tmp and a rename. 0 or -1. */
static int put_file(const char *dir, const char *name, const void *data, size_t n)
{
    char tmp[4096], path[4096];
    if (snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof tmp ||
        snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    const unsigned char *p = data;
    size_t left = n;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int write_all(void *ctx, const struct store_signature *sig)
{
    struct export *x = ctx;
    static const char readme[] =
        "eimza — the evidence of an accepted e-signature\n"
        "\n"
        "signature.p7s    the CMS (CAdES-BES) exactly as the applicant sent it, DER\n"
        "content.txt      the bytes that were signed\n"
        "validation.json  each check the server made when it accepted the signature\n"
        "ocsp.der         the OCSP response the revocation check relied on (if any)\n"
        "\n"
        "To verify the signature over the content again (chain.pem: the issuing CA and the\n"
        "root, e.g. Kamu SM's NES sub-CA and root):\n"
        "\n"
        "  openssl cms -verify -binary -inform DER -in signature.p7s -content content.txt \\\n"
        "      -CAfile chain.pem -purpose any -out /dev/null\n"
        "\n"
        "and the OCSP response: openssl ocsp -respin ocsp.der -resp_text -noverify\n";
    snprintf(x->fingerprint, sizeof x->fingerprint, "%s",
             sig->signer_fingerprint ? sig->signer_fingerprint : "");
    const char *v = sig->validation ? sig->validation : "{}";
    if (put_file(x->dir, "signature.p7s", sig->cms, sig->cms_len) < 0 ||
        put_file(x->dir, "content.txt", sig->content, sig->content_len) < 0 ||
        put_file(x->dir, "validation.json", v, strlen(v)) < 0 ||
        (sig->ocsp && sig->ocsp_len &&
         put_file(x->dir, "ocsp.der", sig->ocsp, sig->ocsp_len) < 0) ||
        put_file(x->dir, "README.txt", readme, sizeof readme - 1) < 0)
        x->failed = 1;
    else
        x->written = 1;
    return 0;
}

enum app_status app_evidence_export(struct store *s, const char *number, const char *dir,
                                    const char *actor, int64_t now, struct app_err *err)
{
    struct store_application a;
    struct export x = {.dir = dir};
    app_err_clear(err);
    if (!number || strlen(number) != STORE_APP_NUMBER_LEN)
        return app__fail(err, APP_ENOTFOUND, "application_unknown");
    enum store_err e = store_app_by_number(s, number, &a);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the application", "application_unknown", NULL, err);
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
        ulog(ULOG_ERROR, "evidence.export", "application=%s mkdir failed: %s", number,
             strerror(errno));
        return app__fail(err, APP_EINTERNAL, "evidence_write");
    }
    e = store_signature_get(s, a.id, write_all, &x);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the signature", "no_signature", NULL, err);
    if (x.failed || !x.written) {
        ulog(ULOG_ERROR, "evidence.export", "application=%s writing failed: %s", number,
             strerror(errno));
        return app__fail(err, APP_EINTERNAL, "evidence_write");
    }
    char detail[128];
    snprintf(detail, sizeof detail, "{\"signer\":\"%s\"}", x.fingerprint);
    e = app__audit(s, now, actor, "evidence.export", number, detail);
    if (e != STORE_OK)
        return app__store_err(s, e, "auditing the export", NULL, NULL, err);
    return APP_OK;
}
