/* eimza — helpers for the ca/ unit tests (header-only, static functions): a registry of
 * issued and revoked serials in memory (what the store will be), software keys and a software
 * CA for the builders' tests, a scratch directory, files, running the openssl command line
 * (the independent judge of what ca/ makes), and the checks of an OCSP response's signer. */
#ifndef EIMZA_TESTS_CA_TEST_H
#define EIMZA_TESTS_CA_TEST_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca/ca.h"

#define CAT_TCKN "10000000146"

/* ---- a registry in memory --------------------------------------------------------------- */

#define REG_MAX 32

struct reg_entry {
    char serial[200];
    enum ca_cert_state state;
    int64_t at;
    int reason;
};

struct reg {
    struct reg_entry e[REG_MAX];
    int n;
    bool fail;
    bool fail_record; /* reg_record refuses */
    int asked;        /* status calls */
    int recorded;     /* certificates reg_record took */
    char why[16];     /* the last one's reason (CA_RESPONDER_*) */
};

/* The engine answers OCSP from several threads at once: one lock for every registry. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((unused)) static int reg_status(void *arg, const char *serial,
                                              struct ca_cert_status *out)
{
    struct reg *r = arg;
    int rc = 0;
    pthread_mutex_lock(&reg_mu);
    r->asked++;
    if (r->fail) {
        rc = -1;
        goto out;
    }
    out->state = CA_CERT_UNKNOWN;
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->e[i].serial, serial) == 0) {
            out->state = r->e[i].state;
            out->revoked_at = r->e[i].at;
            out->reason = r->e[i].reason;
        }
out:
    pthread_mutex_unlock(&reg_mu);
    return rc;
}

__attribute__((unused)) static int reg_each(void *arg, ca_revoked_fn emit, void *emit_arg)
{
    struct reg *r = arg;
    int rc = 0;
    pthread_mutex_lock(&reg_mu);
    if (r->fail)
        rc = -1;
    for (int i = 0; rc == 0 && i < r->n; i++)
        if (r->e[i].state == CA_CERT_REVOKED &&
            emit(emit_arg, r->e[i].serial, r->e[i].at, r->e[i].reason) != 0)
            rc = -1;
    pthread_mutex_unlock(&reg_mu);
    return rc;
}

static void reg_add_locked(struct reg *r, const char *serial, enum ca_cert_state s, int64_t at,
                           int reason)
{
    if (r->n >= REG_MAX)
        abort();
    snprintf(r->e[r->n].serial, sizeof r->e[r->n].serial, "%s", serial);
    r->e[r->n].state = s;
    r->e[r->n].at = at;
    r->e[r->n].reason = reason;
    r->n++;
}

__attribute__((unused)) static void reg_add(struct reg *r, const char *serial, enum ca_cert_state s,
                                            int64_t at, int reason)
{
    pthread_mutex_lock(&reg_mu);
    reg_add_locked(r, serial, s, at, reason);
    pthread_mutex_unlock(&reg_mu);
}

/* The serial of a certificate as the registry keys it: upper-case hex, no leading zeros. */
__attribute__((unused)) static void reg_serial_of(X509 *x, char out[200])
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    const char *h = hex ? hex : "";
    while (h[0] == '0' && h[1])
        h++;
    snprintf(out, 200, "%s", h);
    OPENSSL_free(hex);
    BN_free(bn);
}

/* What the store does with a certificate the engine signed for itself: keeps it, good. */
__attribute__((unused)) static int reg_record(void *arg, const unsigned char *der, size_t len,
                                              const char *why)
{
    struct reg *r = arg;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    char serial[200];
    int rc = -1;
    pthread_mutex_lock(&reg_mu);
    if (x && p == der + len && !r->fail && !r->fail_record) {
        reg_serial_of(x, serial);
        reg_add_locked(r, serial, CA_CERT_GOOD, 0, 0);
        r->recorded++;
        snprintf(r->why, sizeof r->why, "%s", why);
        rc = 0;
    }
    pthread_mutex_unlock(&reg_mu);
    X509_free(x);
    return rc;
}

/* Marks serial revoked (keyCompromise, at) as the store would after a revocation. */
__attribute__((unused)) static void reg_revoke(struct reg *r, const char *serial, int64_t at)
{
    pthread_mutex_lock(&reg_mu);
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->e[i].serial, serial) == 0) {
            r->e[i].state = CA_CERT_REVOKED;
            r->e[i].at = at;
            r->e[i].reason = 1;
        }
    pthread_mutex_unlock(&reg_mu);
}

__attribute__((unused)) static EVP_PKEY *cat_key(bool rsa)
{
    return rsa ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
               : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* A self-signed CA certificate for key, valid [nb, na], with a subjectKeyIdentifier unless
 * no_ski. */
__attribute__((unused)) static X509 *cat_ca_cert(EVP_PKEY *key, const char *cn, int64_t nb,
                                                 int64_t na, bool no_ski)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    X509V3_CTX v3;
    if (!x || !n)
        return NULL;
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8, (const unsigned char *)"TR", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, n);
    X509_NAME_free(n);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na);
    X509_set_pubkey(x, key);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    const char *exts[][2] = {{"basicConstraints", "critical,CA:TRUE,pathlen:0"},
                             {"keyUsage", "critical,keyCertSign,cRLSign"},
                             {"subjectKeyIdentifier", "hash"}};
    for (size_t i = 0; i < (no_ski ? 2u : 3u); i++) {
        X509_EXTENSION *e = X509V3_EXT_nconf(NULL, &v3, exts[i][0], exts[i][1]);
        if (!e)
            return NULL;
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
    if (X509_sign(x, key, EVP_sha256()) <= 0) {
        X509_free(x);
        return NULL;
    }
    return x;
}

struct cat_dir {
    char path[64];
};

__attribute__((unused)) static int cat_dir_make(struct cat_dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/eimza-ca-test.XXXXXX");
    return mkdtemp(d->path) ? 0 : -1;
}

__attribute__((unused)) static void cat_dir_remove(struct cat_dir *d)
{
    char cmd[128];
    if (!d->path[0] || getenv("EIMZA_KEEP_TMP"))
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", d->path);
}

__attribute__((unused)) static int cat_write(const struct cat_dir *d, const char *name,
                                             const void *data, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int rc = fwrite(data, 1, n, f) == n ? 0 : -1;
    if (fclose(f))
        rc = -1;
    return rc;
}

/* Reads d/name into a malloc'ed, NUL-terminated buffer; NULL if it cannot. */
__attribute__((unused)) static char *cat_read(const struct cat_dir *d, const char *name, size_t *n)
{
    char path[256];
    struct stat st;
    char *buf = NULL;
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (!fstat(fileno(f), &st) && (buf = malloc((size_t)st.st_size + 1))) {
        if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
            free(buf);
            buf = NULL;
        } else {
            buf[st.st_size] = '\0';
            if (n)
                *n = (size_t)st.st_size;
        }
    }
    fclose(f);
    return buf;
}

__attribute__((unused)) static int cat_write_pem(const struct cat_dir *d, const char *name, X509 *x)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = PEM_write_X509(f, x) ? 0 : -1;
    if (fclose(f))
        rc = -1;
    return rc;
}

/* Runs a shell command in d, its stdout and stderr into d/out.txt (read it with cat_read).
 * Returns the exit status (-1 when it did not exit normally). */
__attribute__((unused, format(printf, 2, 3))) static int cat_sh(const struct cat_dir *d,
                                                                const char *fmt, ...)
{
    char cmd[4096], full[4400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    n = snprintf(full, sizeof full, "cd '%s' && {\n%s\n} >out.txt 2>&1", d->path, cmd);
    if (n < 0 || (size_t)n >= sizeof full)
        return -1;
    int st = system(full);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Whether d/out.txt (the last cat_sh's output) contains s. */
__attribute__((unused)) static bool cat_out_has(const struct cat_dir *d, const char *s)
{
    char *out = cat_read(d, "out.txt", NULL);
    bool has = out && strstr(out, s);
    if (!has)
        fprintf(stderr, "expected \"%s\" in:\n%s\n", s, out ? out : "(no output)");
    free(out);
    return has;
}

/* ---- an OCSP response's signer ----------------------------------------------------------- */

/* Whether the response's signature verifies with pkey, checked directly on its
 * tbsResponseData (whatever certificates the response carries). */
__attribute__((unused)) static bool cat_ocsp_signed_by(OCSP_BASICRESP *bs, EVP_PKEY *pkey)
{
    int ok = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA), OCSP_resp_get0_tbs_sigalg(bs),
                              OCSP_resp_get0_signature(bs), OCSP_resp_get0_respdata(bs), pkey);
    ERR_clear_error();
    return ok == 1;
}

/* The delegated responder's certificate against its CA (RFC 6960 4.2.2.2): NULL when it is
 * right, else what is wrong. */
__attribute__((unused)) static const char *cat_responder_wrong(X509 *x, X509 *ca)
{
    int crit = -1, at;
    if (!x || X509_cmp(x, ca) == 0)
        return "the signer is the CA certificate itself";
    if (X509_check_issued(ca, x) != X509_V_OK || X509_verify(x, X509_get0_pubkey(ca)) != 1)
        return "not issued by the CA";
    if (X509_check_ca(x) != 0)
        return "a CA certificate";
    if (ASN1_TIME_compare(X509_get0_notAfter(x), X509_get0_notAfter(ca)) > 0 ||
        ASN1_TIME_compare(X509_get0_notBefore(x), X509_get0_notBefore(ca)) < 0)
        return "valid outside the CA certificate";
    if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) ||
        X509_get_extended_key_usage(x) != XKU_OCSP_SIGN)
        return "extendedKeyUsage is not id-kp-OCSPSigning alone";
    if ((at = X509_get_ext_by_NID(x, NID_ext_key_usage, -1)) < 0 ||
        !X509_EXTENSION_get_critical(X509_get_ext(x, at)))
        return "extendedKeyUsage not critical";
    if (X509_get_key_usage(x) != KU_DIGITAL_SIGNATURE ||
        (at = X509_get_ext_by_NID(x, NID_key_usage, -1)) < 0 ||
        !X509_EXTENSION_get_critical(X509_get_ext(x, at)))
        return "keyUsage is not digitalSignature alone, critical";
    if ((at = X509_get_ext_by_NID(x, NID_id_pkix_OCSP_noCheck, -1)) < 0)
        return "no id-pkix-ocsp-nocheck";
    ASN1_NULL *nul = X509_get_ext_d2i(x, NID_id_pkix_OCSP_noCheck, &crit, NULL);
    ASN1_NULL_free(nul);
    if (!nul || crit != 0)
        return "id-pkix-ocsp-nocheck is not a non-critical NULL";
    if (X509_get_ext_by_NID(x, NID_info_access, -1) >= 0)
        return "an authorityInfoAccess (it would point at itself)";
    if (X509_get_ext_by_NID(x, NID_crl_distribution_points, -1) >= 0)
        return "a CRL distribution point";
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    if (!aki || ASN1_OCTET_STRING_cmp(aki, X509_get0_subject_key_id(ca)) != 0)
        return "authorityKeyIdentifier is not the CA's subjectKeyIdentifier";
    if (!X509_get0_subject_key_id(x))
        return "no subjectKeyIdentifier";
    if (X509_check_purpose(x, X509_PURPOSE_OCSP_HELPER, 0) != 1)
        return "OpenSSL's OCSP helper purpose refuses it";
    ERR_clear_error();
    return NULL;
}

/* The last CN of a name, UTF-8, into out (cap bytes). */
__attribute__((unused)) static void cat_cn(const X509_NAME *n, char *out, size_t cap)
{
    int at = -1, k;
    unsigned char *u = NULL;
    out[0] = '\0';
    while ((k = X509_NAME_get_index_by_NID(n, NID_commonName, at)) >= 0)
        at = k;
    if (at >= 0 &&
        ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, at))) >= 0)
        snprintf(out, cap, "%s", u);
    OPENSSL_free(u);
}

#endif
