/* eimza — the trust store and the certificate cache of signature verification. See trust.h.
 *
 * The cache is a fixed array of buckets keyed by the first bytes of the SHA-256 of the DER,
 * under one mutex held only for lookups and pointer updates: decoding and chain building run
 * outside it, and when two threads race to add the same certificate the second one's work is
 * dropped. Nothing here looks at the clock.
 */
#include "crypto/trust.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/date.h"
#include "crypto/x509.h"

#define TRUST_FILE_MAX      (16u << 20) /* a trust file larger than this is refused */
#define TRUST_CACHE_DEFAULT 4096

/* The DER (tag, length, value) of the two QC statement identifiers a NES certificate has. */
static const unsigned char OID_QC_ETSI[] = {0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01};
static const unsigned char OID_QC_TR[] = {0x06, 0x0b, 0x60, 0x86, 0x18, 0x01, 0x3d,
                                          0x00, 0x01, 0xa7, 0x4e, 0x01, 0x01};

struct crypto_trust {
    X509_STORE *store;
    size_t loaded;
    pthread_mutex_t lock;
    struct crypto_cert **buckets;
    size_t nbuckets; /* a power of two */
    size_t count;
    size_t max;
};

/* ---- DER ----------------------------------------------------------------------------- */

int crypto_der_next(struct crypto_der *d, unsigned *tag, struct crypto_der *val,
                    struct crypto_der *tlv)
{
    const unsigned char *p = d->p;
    size_t n = d->n, len, hdr;
    if (n < 2 || (p[0] & 0x1f) == 0x1f)
        return -1;
    if (p[1] < 0x80) {
        len = p[1];
        hdr = 2;
    } else {
        size_t nb = p[1] & 0x7f;
        /* 0x80 is BER's indefinite length; more than 4 length bytes is never needed here */
        if (nb == 0 || nb > 4 || n < 2 + nb || p[2] == 0)
            return -1;
        len = 0;
        for (size_t i = 0; i < nb; i++)
            len = (len << 8) | p[2 + i];
        if (len < 0x80 || (nb > 1 && len < ((size_t)1 << (8 * (nb - 1)))))
            return -1; /* not the shortest form */
        hdr = 2 + nb;
    }
    if (len > n - hdr)
        return -1;
    *tag = p[0];
    val->p = p + hdr;
    val->n = len;
    if (tlv) {
        tlv->p = p;
        tlv->n = hdr + len;
    }
    d->p = p + hdr + len;
    d->n = n - hdr - len;
    return 0;
}

int crypto_der_expect(struct crypto_der *d, unsigned want, struct crypto_der *val,
                      struct crypto_der *tlv)
{
    unsigned tag;
    struct crypto_der save = *d;
    if (crypto_der_next(d, &tag, val, tlv) || tag != want) {
        *d = save;
        return -1;
    }
    return 0;
}

/* ---- time ---------------------------------------------------------------------------- */

/* Without timegm(): the calendar arithmetic of core/date.h does it for any year. */
int crypto_asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    int32_t days;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return -1;
    if (core_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &days))
        return -1;
    *out = core_date_to_unix(days) + (int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return 0;
}

/* ---- loading ------------------------------------------------------------------------- */

static int read_file(const char *path, unsigned char **out, size_t *n)
{
    int rc = -1;
    unsigned char *buf = NULL;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) || st.st_size < 0 || (uint64_t)st.st_size > TRUST_FILE_MAX)
        goto out;
    if (!(buf = malloc((size_t)st.st_size + 1)))
        goto out;
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        goto out;
    *out = buf;
    *n = (size_t)st.st_size;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

/* Adds every certificate of one file to the store; files without any are skipped. */
static int load_file(struct crypto_trust *t, const char *path, char *err, size_t errlen)
{
    int rc = -1;
    unsigned char *data = NULL;
    size_t n = 0;
    struct crypto_objiter *it = NULL;
    if (read_file(path, &data, &n)) {
        snprintf(err, errlen, "cannot read trust file %s: %s", path, strerror(errno));
        goto out;
    }
    if (crypto_objiter_new(data, n, &it) != CRYPTO_X509_OK) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (;;) {
        struct crypto_obj obj;
        enum crypto_x509_err why;
        enum crypto_iter_status st = crypto_objiter_next(it, &obj, &why);
        if (st == CRYPTO_ITER_END)
            break;
        if (st == CRYPTO_ITER_BAD) {
            if (why == CRYPTO_X509_NOMEM) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
            continue; /* not a certificate (a README, a key): not ours to judge */
        }
        if (obj.kind != CRYPTO_OBJ_CERT)
            continue;
        const unsigned char *p = obj.der;
        X509 *x = d2i_X509(NULL, &p, (long)obj.der_len);
        if (!x) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        /* A certificate already in the store is not an error. */
        int ok = X509_STORE_add_cert(t->store, x);
        X509_free(x);
        ERR_clear_error();
        if (ok)
            t->loaded++;
    }
    rc = 0;
out:
    crypto_objiter_free(it);
    free(data);
    return rc;
}

static int load_dir(struct crypto_trust *t, const char *dir, char *err, size_t errlen)
{
    int rc = -1;
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) {
        snprintf(err, errlen, "cannot open trust directory %s: %s", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) {
            snprintf(err, errlen, "trust file path too long in %s", dir);
            goto out;
        }
        if (stat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        if (load_file(t, path, err, errlen))
            goto out;
    }
    rc = 0;
out:
    closedir(d);
    return rc;
}

int crypto_trust_new(const char *const *dirs, size_t ndirs, size_t cache_max,
                     struct crypto_trust **out, char *err, size_t errlen)
{
    struct crypto_trust *t = calloc(1, sizeof *t);
    int rc = -1;
    *out = NULL;
    if (!t || pthread_mutex_init(&t->lock, NULL)) {
        free(t);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->max = cache_max ? cache_max : TRUST_CACHE_DEFAULT;
    for (t->nbuckets = 64; t->nbuckets < t->max; t->nbuckets *= 2)
        ;
    if (!(t->buckets = calloc(t->nbuckets, sizeof *t->buckets)) || !(t->store = X509_STORE_new())) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ndirs; i++)
        if (load_dir(t, dirs[i], err, errlen))
            goto out;
    if (t->loaded == 0) {
        snprintf(err, errlen, "no certificate found in the trust directories");
        goto out;
    }
    *out = t;
    t = NULL;
    rc = 0;
out:
    crypto_trust_free(t);
    return rc;
}

static void cert_free(struct crypto_cert *c)
{
    if (!c)
        return;
    X509_free(c->x);
    sk_X509_pop_free(c->chain, X509_free);
    free(c->der);
    free(c);
}

void crypto_trust_free(struct crypto_trust *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->buckets && i < t->nbuckets; i++) {
        for (struct crypto_cert *c = t->buckets[i], *next; c; c = next) {
            next = c->next;
            if (--c->refs == 0)
                cert_free(c);
        }
    }
    free(t->buckets);
    X509_STORE_free(t->store);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

X509_STORE *crypto_trust_store(struct crypto_trust *t)
{
    return t->store;
}

size_t crypto_trust_count(const struct crypto_trust *t)
{
    return t->loaded;
}

/* ---- the cache ----------------------------------------------------------------------- */

int crypto_der_cert_ids(const unsigned char *der, size_t n, struct crypto_der *issuer,
                        struct crypto_der *serial)
{
    struct crypto_der d = {der, n}, cert, tbs, v, tlv;
    unsigned tag;
    if (crypto_der_expect(&d, 0x30, &cert, NULL) || d.n != 0 ||
        crypto_der_expect(&cert, 0x30, &tbs, NULL))
        return -1;
    crypto_der_expect(&tbs, 0xa0, &v, NULL); /* version, optional */
    if (crypto_der_expect(&tbs, 0x02, &v, &tlv))
        return -1;
    *serial = tlv;
    if (crypto_der_expect(&tbs, 0x30, &v, NULL) || crypto_der_next(&tbs, &tag, &v, &tlv) ||
        tag != 0x30)
        return -1;
    *issuer = tlv;
    return 0;
}

static int tbs_slices(struct crypto_cert *c)
{
    struct crypto_der is, se;
    if (crypto_der_cert_ids(c->der, c->der_len, &is, &se))
        return -1;
    c->issuer_tlv = is.p;
    c->issuer_len = is.n;
    c->serial_tlv = se.p;
    c->serial_len = se.n;
    return 0;
}

/* Looks for both QC statement identifiers in the qcStatements extension. */
static void qc_statements(struct crypto_cert *c)
{
    int i = X509_get_ext_by_NID(c->x, NID_qcStatements, -1);
    if (i < 0)
        return;
    const ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(X509_get_ext(c->x, i));
    struct crypto_der d = {ASN1_STRING_get0_data(os), (size_t)ASN1_STRING_length(os)}, seq, st, id,
                      tlv;
    if (crypto_der_expect(&d, 0x30, &seq, NULL))
        return;
    while (seq.n > 0) {
        if (crypto_der_expect(&seq, 0x30, &st, NULL) || crypto_der_expect(&st, 0x06, &id, &tlv))
            return;
        if (tlv.n == sizeof OID_QC_ETSI && !memcmp(tlv.p, OID_QC_ETSI, tlv.n))
            c->qc_etsi = true;
        if (tlv.n == sizeof OID_QC_TR && !memcmp(tlv.p, OID_QC_TR, tlv.n))
            c->qc_tr = true;
    }
}

/* Decodes der into a new entry with refs = 1. NULL with *nomem false: not a certificate. */
static struct crypto_cert *cert_new(const unsigned char *der, size_t n, const unsigned char *sha,
                                    bool *nomem)
{
    struct crypto_cert *c = calloc(1, sizeof *c);
    const unsigned char *p;
    *nomem = true;
    if (!c || !(c->der = malloc(n)))
        goto fail;
    memcpy(c->der, der, n);
    c->der_len = n;
    c->refs = 1;
    if (sha)
        memcpy(c->sha256, sha, 32);
    else if (!EVP_Digest(der, n, c->sha256, NULL, EVP_sha256(), NULL))
        goto fail;
    p = c->der;
    if (n > LONG_MAX || !(c->x = d2i_X509(NULL, &p, (long)n)) || p != c->der + n || tbs_slices(c)) {
        *nomem = false;
        goto fail;
    }
    /* Decode the extensions now, while the entry is still private to this thread. */
    uint32_t flags = X509_get_extension_flags(c->x);
    if (flags & EXFLAG_INVALID) {
        *nomem = false;
        goto fail;
    }
    c->info_ok = crypto_x509_parse_der(der, n, &c->info) == CRYPTO_X509_OK;
    EVP_PKEY *pk = X509_get0_pubkey(c->x);
    if (pk) {
        c->key_type = EVP_PKEY_get_base_id(pk);
        c->key_bits = EVP_PKEY_get_bits(pk);
        switch (c->key_type) {
        case EVP_PKEY_RSA:
        case EVP_PKEY_RSA_PSS:
            c->key_strong = c->key_bits >= 2048;
            break;
        case EVP_PKEY_EC:
            c->key_strong = c->key_bits >= 256;
            break;
        case EVP_PKEY_ED25519:
        case EVP_PKEY_ED448:
            c->key_strong = true;
            break;
        default:
            c->key_strong = false;
        }
    }
    int mdnid = NID_undef, secbits = -1;
    uint32_t sflags = 0;
    if (!X509_get_signature_info(c->x, &mdnid, NULL, &secbits, &sflags))
        c->sig_weak = true; /* an algorithm OpenSSL does not know: not one to rely on */
    else
        c->sig_weak = mdnid == NID_sha1 || mdnid == NID_md5 || mdnid == NID_md5_sha1 ||
                      mdnid == NID_md4 || (secbits >= 0 && secbits < 112);
    c->ku_present = (flags & EXFLAG_KUSAGE) != 0;
    c->nonrep = c->ku_present && (X509_get_key_usage(c->x) & KU_NON_REPUDIATION);
    qc_statements(c);
    ERR_clear_error();
    *nomem = false;
    return c;
fail:
    ERR_clear_error();
    cert_free(c);
    return NULL;
}

static size_t bucket_of(const struct crypto_trust *t, const unsigned char *sha)
{
    size_t h = 0;
    for (int i = 0; i < 8; i++)
        h = (h << 8) | sha[i];
    return h & (t->nbuckets - 1);
}

static struct crypto_cert *find_locked(struct crypto_trust *t, const unsigned char *sha,
                                       const unsigned char *der, size_t n)
{
    for (struct crypto_cert *c = t->buckets[bucket_of(t, sha)]; c; c = c->next)
        if (!memcmp(c->sha256, sha, 32) && c->der_len == n && !memcmp(c->der, der, n))
            return c;
    return NULL;
}

/* Empties the cache (the table's references go; entries in use stay alive). */
static void flush_locked(struct crypto_trust *t)
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        for (struct crypto_cert *c = t->buckets[i], *next; c; c = next) {
            next = c->next;
            c->next = NULL;
            if (--c->refs == 0)
                cert_free(c);
        }
        t->buckets[i] = NULL;
    }
    t->count = 0;
}

struct crypto_cert *crypto_trust_cert_get(struct crypto_trust *t, const unsigned char *der,
                                          size_t n, const unsigned char *sha256, bool *nomem)
{
    unsigned char sha[32];
    struct crypto_cert *c, *fresh;
    *nomem = false;
    if (!sha256) {
        if (!EVP_Digest(der, n, sha, NULL, EVP_sha256(), NULL)) {
            *nomem = true;
            return NULL;
        }
        sha256 = sha;
    }
    pthread_mutex_lock(&t->lock);
    if ((c = find_locked(t, sha256, der, n)))
        c->refs++;
    pthread_mutex_unlock(&t->lock);
    if (c)
        return c;
    if (!(fresh = cert_new(der, n, sha256, nomem)))
        return NULL;
    pthread_mutex_lock(&t->lock);
    if ((c = find_locked(t, sha256, der, n))) { /* another thread was quicker */
        c->refs++;
    } else {
        if (t->count >= t->max)
            flush_locked(t);
        size_t b = bucket_of(t, sha256);
        fresh->next = t->buckets[b];
        t->buckets[b] = fresh;
        fresh->refs++; /* the table's reference */
        t->count++;
        c = fresh;
        fresh = NULL;
    }
    pthread_mutex_unlock(&t->lock);
    cert_free(fresh);
    return c;
}

void crypto_trust_cert_put(struct crypto_trust *t, struct crypto_cert *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&t->lock);
    int left = --c->refs;
    pthread_mutex_unlock(&t->lock);
    if (left == 0)
        cert_free(c);
}

/* ---- chains -------------------------------------------------------------------------- */

int crypto_trust_chain(struct crypto_trust *t, struct crypto_cert *leaf, X509 *const *untrusted,
                       size_t n, bool *cached, int *verr)
{
    int rc = -1;
    STACK_OF(X509) *sk = NULL, *chain = NULL;
    X509_STORE_CTX *ctx = NULL;
    *cached = false;
    *verr = X509_V_OK;
    pthread_mutex_lock(&t->lock);
    bool have = leaf->chain_ok;
    pthread_mutex_unlock(&t->lock);
    if (have) {
        *cached = true;
        return 1;
    }
    if (!(sk = sk_X509_new_null()) || !(ctx = X509_STORE_CTX_new()))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!sk_X509_push(sk, untrusted[i]))
            goto out;
    if (!X509_STORE_CTX_init(ctx, t->store, leaf->x, sk))
        goto out;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    /* Time is the caller's business (see trust.h); auth level 2 = 112 bits: RSA-2048, EC-256,
     * no MD5/SHA-1 signatures. No purpose is set: OpenSSL's S/MIME purpose would demand an
     * e-mail-protection EKU that qualified signature certificates need not carry. */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    X509_VERIFY_PARAM_set_auth_level(param, 2);
    if (X509_verify_cert(ctx) != 1) {
        *verr = X509_STORE_CTX_get_error(ctx);
        rc = *verr == X509_V_ERR_OUT_OF_MEM ? -1 : 0;
        goto out;
    }
    if (!(chain = X509_STORE_CTX_get1_chain(ctx)))
        goto out;
    int64_t nb = INT64_MIN, na = INT64_MAX;
    for (int i = 1; i < sk_X509_num(chain); i++) {
        int64_t b, a;
        X509 *ca = sk_X509_value(chain, i);
        if (crypto_asn1_time_unix(X509_get0_notBefore(ca), &b) ||
            crypto_asn1_time_unix(X509_get0_notAfter(ca), &a)) {
            *verr = X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
            rc = 0;
            goto out;
        }
        nb = b > nb ? b : nb;
        na = a < na ? a : na;
    }
    pthread_mutex_lock(&t->lock);
    if (!leaf->chain_ok) {
        leaf->chain = chain;
        leaf->ca_not_before = nb;
        leaf->ca_not_after = na;
        X509_NAME_oneline(X509_get_subject_name(sk_X509_value(chain, sk_X509_num(chain) - 1)),
                          leaf->anchor, sizeof leaf->anchor);
        leaf->chain_ok = true;
        chain = NULL;
    }
    pthread_mutex_unlock(&t->lock);
    rc = 1;
out:
    sk_X509_pop_free(chain, X509_free);
    X509_STORE_CTX_free(ctx);
    sk_X509_free(sk);
    ERR_clear_error();
    return rc;
}

bool crypto_trust_has_chain(struct crypto_trust *t, struct crypto_cert *leaf)
{
    pthread_mutex_lock(&t->lock);
    bool have = leaf->chain_ok;
    pthread_mutex_unlock(&t->lock);
    return have;
}
