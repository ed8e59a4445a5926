/* eimza — the certificate import use case. See import_certs.h.
 *
 * Two passes over the files: the first stores every certificate, the second applies every
 * CRL, so a CRL named before the certificates it lists still finds them. Only files that
 * held a CRL in the first pass are read again.
 *
 * CRLs are taken as they come: their signatures are NOT verified here yet. Checking a CRL
 * against its issuer's certificate and the configured trust anchors belongs to revocation
 * checking (a later issue); until then only an operator's own files should be imported.
 */
#include "app/import_certs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/flow_int.h"
#include "crypto/x509.h"
#include "util/buf.h"

struct certs_ctx {
    struct store *s;
    const struct app_certs_hooks *hooks;
    struct app_certs_result *res;
    const char *actor;
    int64_t now;
};

static void certs_reject(struct certs_ctx *x, const char *file, unsigned index, const char *code,
                         const char *detail)
{
    x->res->rejected += index > 0;
    if (x->hooks && x->hooks->reject)
        x->hooks->reject(x->hooks->ctx, file, index, code, detail);
}

static void set_detail(struct app_certs_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_detail(struct app_certs_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
}

/* Reads the whole file into b (capped at APP_CERTS_MAX_FILE). Returns 0, or -1 with a note
 * in why. */
static int read_file(const char *path, struct ubuf *b, char *why, size_t whylen)
{
    int rc = -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        goto out;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "is a directory");
        goto out;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (ubuf_put(b, chunk, n)) {
            snprintf(why, whylen, "larger than %u MiB, or out of memory",
                     APP_CERTS_MAX_FILE / (1024 * 1024));
            goto out;
        }
    }
    if (ferror(f)) {
        snprintf(why, whylen, "read error: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    return rc;
}

static const char *reason_for(enum crypto_x509_err e)
{
    return e == CRYPTO_X509_NOT_CERT ? "not_certificate" : "certificate_malformed";
}

/* Stores one certificate read from a file. Returns 0, or -1 when the database failed. */
static int take_certificate(struct certs_ctx *x, const char *file, const struct crypto_obj *o)
{
    struct app_certs_result *res = x->res;
    char note[160];
    res->certificates++;
    if (o->is_ca) {
        res->ca_skipped++;
        if (x->hooks && x->hooks->skipped) {
            snprintf(note, sizeof note,
                     "CA certificate (serial %.40s) skipped: trust anchors "
                     "are configured, not imported",
                     o->cert.serial);
            x->hooks->skipped(x->hooks->ctx, file, o->index, note);
        }
        return 0;
    }
    if (!o->cert.tckn[0]) {
        /* eimza only tracks personal certificates: without the holder's number there is
         * nobody to warn or to match an application against. */
        res->no_tckn++;
        snprintf(note, sizeof note,
                 "certificate serial %.40s has no valid T.C. Kimlik No in its subject "
                 "serialNumber",
                 o->cert.serial);
        certs_reject(x, file, o->index, "no_tckn", note);
        return 0;
    }
    bool inserted = false, completed = false;
    int64_t id = 0;
    struct core_certificate stored;
    /* A new certificate of a holder whose application waits for it completes that application
     * (app/card_flow.h), in the same transaction as the certificate itself. */
    enum store_err e = store_tx_begin(x->s);
    if (e == STORE_OK)
        e = store_certificate_put(x->s, &o->cert, o->der, o->der_len, &inserted);
    if (e == STORE_OK && inserted)
        e = store_certificate_by_fpr(x->s, o->cert.fingerprint, &id, &stored);
    if (e == STORE_OK && inserted)
        e = app__flow_complete(x->s, &o->cert, id, x->actor, x->now, &completed);
    if (e == STORE_OK)
        e = store_tx_commit(x->s);
    else
        store_tx_rollback(x->s);
    if (e == STORE_OK && completed)
        res->completed++;
    if (e == STORE_ECONFLICT) {
        snprintf(note, sizeof note,
                 "another certificate with the issuer and serial %.40s is already stored",
                 o->cert.serial);
        certs_reject(x, file, o->index, "certificate_conflict", note);
        return 0;
    }
    if (e != STORE_OK) {
        set_detail(res, "%s: storing object %u failed: %s", file, o->index, store_last_error(x->s));
        return -1;
    }
    if (inserted)
        res->inserted++;
    else
        res->known++;
    return 0;
}

/* Applies one CRL: every listed serial of a known certificate of that issuer is marked
 * revoked. One transaction per entry keeps the store API small; national CRLs with hundreds
 * of thousands of entries will want a batch call when revocation checking lands. */
static int take_crl(struct certs_ctx *x, const char *file, const struct crypto_objiter *it,
                    const struct crypto_obj *o)
{
    struct app_certs_result *res = x->res;
    res->crls++;
    for (size_t i = 0; i < o->crl_count; i++) {
        struct crypto_crl_entry ent;
        if (crypto_objiter_crl_entry(it, i, &ent) != CRYPTO_X509_OK) {
            char note[96];
            snprintf(note, sizeof note, "CRL entry %zu cannot be read", i + 1);
            certs_reject(x, file, o->index, "certificate_malformed", note);
            continue;
        }
        bool changed = false;
        enum store_err e =
            store_certificate_revoke(x->s, o->crl_issuer, ent.serial, ent.revoked_at, &changed);
        if (e == STORE_ENOTFOUND) {
            res->unknown_serials++;
        } else if (e == STORE_OK) {
            if (changed)
                res->revoked++;
            else
                res->already_revoked++;
        } else {
            set_detail(res, "%s: applying CRL %u failed: %s", file, o->index,
                       store_last_error(x->s));
            return -1;
        }
    }
    return 0;
}

/* One pass over one file's bytes. In the certificate pass refused objects are reported and
 * *has_crl tells whether the CRL pass must come back; in the CRL pass only CRLs are handled.
 * Returns 0, or an error status. */
static enum app_certs_status walk_file(struct certs_ctx *x, const char *file, const struct ubuf *b,
                                       bool crl_pass, bool *has_crl)
{
    struct crypto_objiter *it = NULL;
    enum app_certs_status st = APP_CERTS_OK;
    if (crypto_objiter_new((const unsigned char *)b->p, b->len, &it) != CRYPTO_X509_OK) {
        set_detail(x->res, "out of memory");
        return APP_CERTS_ENOMEM;
    }
    for (;;) {
        struct crypto_obj o;
        enum crypto_x509_err why;
        enum crypto_iter_status r = crypto_objiter_next(it, &o, &why);
        if (r == CRYPTO_ITER_END)
            break;
        if (r == CRYPTO_ITER_BAD) {
            if (why == CRYPTO_X509_NOMEM) {
                set_detail(x->res, "out of memory");
                st = APP_CERTS_ENOMEM;
                goto out;
            }
            if (!crl_pass)
                certs_reject(x, file, o.index, reason_for(why), crypto_objiter_detail(it));
            continue;
        }
        if (o.kind == CRYPTO_OBJ_CRL) {
            *has_crl = true;
            if (crl_pass && take_crl(x, file, it, &o)) {
                st = APP_CERTS_ESTORE;
                goto out;
            }
        } else if (!crl_pass && take_certificate(x, file, &o)) {
            st = APP_CERTS_ESTORE;
            goto out;
        }
    }
out:
    crypto_objiter_free(it);
    return st;
}

/* The audit entry: the file names (cut short) and the counts. */
static enum store_err write_audit(struct store *s, const char *const *files, size_t nfiles,
                                  const char *actor, int64_t now,
                                  const struct app_certs_result *res)
{
    char object[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        int n = snprintf(object + len, sizeof object - len, "%s%s", i ? " " : "", base);
        if (n < 0 || (size_t)n >= sizeof object - len) {
            snprintf(object + len, sizeof object - len, " +%zu more", nfiles - i);
            break;
        }
        len += (size_t)n;
    }
    char detail[512];
    snprintf(detail, sizeof detail,
             "{\"files\":%zu,\"files_failed\":%ld,\"certificates\":%ld,\"inserted\":%ld,"
             "\"known\":%ld,\"no_tckn\":%ld,\"ca_skipped\":%ld,\"rejected\":%ld,\"crls\":%ld,"
             "\"revoked\":%ld,\"already_revoked\":%ld,\"unknown_serials\":%ld,"
             "\"completed\":%ld}",
             nfiles, res->files_failed, res->certificates, res->inserted, res->known, res->no_tckn,
             res->ca_skipped, res->rejected, res->crls, res->revoked, res->already_revoked,
             res->unknown_serials, res->completed);
    struct store_audit_entry e = {.at = now,
                                  .actor = actor,
                                  .action = "certificates.import",
                                  .object = object,
                                  .detail = detail};
    return store_audit_append(s, &e);
}

enum app_certs_status app_import_certificates(struct store *s, const char *const *files,
                                              size_t nfiles, const char *actor, int64_t now,
                                              const struct app_certs_hooks *hooks,
                                              struct app_certs_result *res)
{
    enum app_certs_status st = APP_CERTS_OK;
    struct certs_ctx x = {s, hooks, res, actor, now};
    struct ubuf b = UBUF_INIT(APP_CERTS_MAX_FILE);
    bool *has_crl = NULL;
    memset(res, 0, sizeof *res);
    if (nfiles && !(has_crl = calloc(nfiles, sizeof *has_crl))) {
        set_detail(res, "out of memory");
        st = APP_CERTS_ENOMEM;
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nfiles; i++) {
            char why[192];
            if (pass == 1 && !has_crl[i])
                continue;
            ubuf_reset(&b);
            if (read_file(files[i], &b, why, sizeof why)) {
                if (pass == 0) {
                    res->files_failed++;
                    certs_reject(&x, files[i], 0, "file_unreadable", why);
                }
                continue;
            }
            if ((st = walk_file(&x, files[i], &b, pass == 1, &has_crl[i])) != APP_CERTS_OK)
                goto out;
        }
    }
    if (write_audit(s, files, nfiles, actor, now, res) != STORE_OK) {
        set_detail(res, "the certificates were imported, but the audit entry failed: %s",
                   store_last_error(s));
        st = APP_CERTS_EAUDIT;
        goto out;
    }
    st = res->files_failed ? APP_CERTS_EFILE : res->rejected ? APP_CERTS_PARTIAL : APP_CERTS_OK;
out:
    free(has_crl);
    ubuf_free(&b);
    return st;
}
