/* Unit tests for crypto/x509.h: certificate fields, and the walk over PEM and DER files.
 *
 * The certificates and CRLs are made here at run time with the OpenSSL API (one EC key,
 * exact serials and times), so every expected value is known without fixtures and the
 * fingerprint is checked against a digest computed independently of the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/x509.h"

#define NES_POLICY "2.16.792.1.2.1.1.5.7.1.1"
#define T_BEFORE   1700000000 /* 2023-11-14T22:13:20Z */
#define T_AFTER    1794608000 /* 2026-11-14T... : any fixed second works */
#define T_2060     2840140800 /* 2060-01-01T00:00:00Z: a GeneralizedTime */

static EVP_PKEY *key;

struct spec {
    const char *cn;
    const char *serial_number; /* subject serialNumber, NULL for none */
    long serial;
    const char *policies; /* comma-separated, NULL for none */
    bool ca;
    time_t not_after;
    const char *long_ou; /* repeated as ten OUs to make the DN long */
};

static X509_NAME *issuer_name(void)
{
    X509_NAME *n = X509_NAME_new();
    assert_non_null(n);
    assert_true(
        X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8, (const unsigned char *)"TR", -1, -1, 0));
    assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                                           (const unsigned char *)"Test NES SHS", -1, -1, 0));
    return n;
}

/* Makes a certificate as spec says, signed by the test key (issuer "CN=Test NES SHS,C=TR").
 * Returns the X509 (caller frees). */
static X509 *make_cert(const struct spec *sp)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_true(X509_set_version(x, 2));
    assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), sp->serial));
    assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), T_BEFORE));
    assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), sp->not_after ? sp->not_after : T_AFTER));
    X509_NAME *subj = X509_NAME_new();
    assert_true(X509_NAME_add_entry_by_txt(subj, "C", MBSTRING_UTF8, (const unsigned char *)"TR",
                                           -1, -1, 0));
    /* Each OU is at most 64 characters: a long DN takes several. */
    for (int i = 0; sp->long_ou && i < 10; i++)
        assert_true(X509_NAME_add_entry_by_txt(subj, "OU", MBSTRING_UTF8,
                                               (const unsigned char *)sp->long_ou, -1, -1, 0));
    assert_true(X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)sp->cn,
                                           -1, -1, 0));
    if (sp->serial_number)
        assert_true(X509_NAME_add_entry_by_txt(subj, "serialNumber", MBSTRING_ASC,
                                               (const unsigned char *)sp->serial_number, -1, -1,
                                               0));
    assert_true(X509_set_subject_name(x, subj));
    X509_NAME_free(subj);
    X509_NAME *iss = issuer_name();
    assert_true(X509_set_issuer_name(x, iss));
    X509_NAME_free(iss);
    assert_true(X509_set_pubkey(x, key));

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext;
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
                              sp->ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    assert_non_null(ext);
    assert_true(X509_add_ext(x, ext, -1));
    X509_EXTENSION_free(ext);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
                              sp->ca ? "critical,keyCertSign,cRLSign"
                                     : "critical,nonRepudiation,digitalSignature");
    assert_non_null(ext);
    assert_true(X509_add_ext(x, ext, -1));
    X509_EXTENSION_free(ext);
    if (sp->policies) {
        /* The string form needs a config database: build the extension directly. */
        CERTIFICATEPOLICIES *pols = sk_POLICYINFO_new_null();
        char buf[256];
        snprintf(buf, sizeof buf, "%s", sp->policies);
        for (char *oid = buf, *comma; oid; oid = comma) {
            if ((comma = strchr(oid, ',')))
                *comma++ = '\0';
            POLICYINFO *pi = POLICYINFO_new();
            pi->policyid = OBJ_txt2obj(oid, 1);
            assert_non_null(pi->policyid);
            assert_true(sk_POLICYINFO_push(pols, pi));
        }
        assert_true(X509_add1_ext_i2d(x, NID_certificate_policies, pols, 0, 0));
        CERTIFICATEPOLICIES_free(pols);
    }
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    return x;
}

static unsigned char *to_der(X509 *x, size_t *n)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    assert_true(len > 0);
    *n = (size_t)len;
    return der;
}

static unsigned char *cert_der(const struct spec *sp, size_t *n)
{
    X509 *x = make_cert(sp);
    unsigned char *der = to_der(x, n);
    X509_free(x);
    return der;
}

/* A CRL of the test issuer listing the serials (revocation times T_BEFORE + serial). */
static X509_CRL *make_crl(const long *serials, size_t n)
{
    X509_CRL *crl = X509_CRL_new();
    assert_non_null(crl);
    assert_true(X509_CRL_set_version(crl, 1));
    X509_NAME *iss = issuer_name();
    assert_true(X509_CRL_set_issuer_name(crl, iss));
    X509_NAME_free(iss);
    ASN1_TIME *t = ASN1_TIME_set(NULL, T_BEFORE);
    assert_true(X509_CRL_set1_lastUpdate(crl, t));
    ASN1_TIME_set(t, T_AFTER);
    assert_true(X509_CRL_set1_nextUpdate(crl, t));
    for (size_t i = 0; i < n; i++) {
        X509_REVOKED *r = X509_REVOKED_new();
        ASN1_INTEGER *sn = ASN1_INTEGER_new();
        assert_true(ASN1_INTEGER_set(sn, serials[i]));
        assert_true(X509_REVOKED_set_serialNumber(r, sn));
        ASN1_TIME_set(t, T_BEFORE + serials[i]);
        assert_true(X509_REVOKED_set_revocationDate(r, t));
        assert_true(X509_CRL_add0_revoked(crl, r));
        ASN1_INTEGER_free(sn);
    }
    ASN1_TIME_free(t);
    assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    return crl;
}

/* Appends the PEM of x (or crl) to a growing buffer. */
struct membuf {
    char *p;
    size_t n;
};

static void append(struct membuf *b, const void *data, size_t n)
{
    b->p = realloc(b->p, b->n + n + 1);
    assert_non_null(b->p);
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void append_pem(struct membuf *b, X509 *x, X509_CRL *crl)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (x)
        assert_true(PEM_write_bio_X509(bio, x));
    else
        assert_true(PEM_write_bio_X509_CRL(bio, crl));
    char *p;
    long n = BIO_get_mem_data(bio, &p);
    append(b, p, (size_t)n);
    BIO_free(bio);
}

static void sha256_hex(const unsigned char *d, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    assert_true(EVP_Digest(d, n, md, &len, EVP_sha256(), NULL));
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- crypto_x509_parse_der -------------------------------------------------------------- */

static void test_fields(void **state)
{
    (void)state;
    struct spec sp = {"AYŞE ÇELİK", "10000000146", 0x1A2B3C, NES_POLICY ",1.2.3.4", false, 0, NULL};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct core_certificate c;
    assert_int_equal(crypto_x509_parse_der(der, n, &c), CRYPTO_X509_OK);
    char fpr[65];
    sha256_hex(der, n, fpr);
    assert_string_equal(c.fingerprint, fpr);
    assert_string_equal(c.tckn, "10000000146");
    assert_string_equal(c.subject_name, "AYŞE ÇELİK");
    assert_string_equal(c.subject, "serialNumber=10000000146,CN=AYŞE ÇELİK,C=TR");
    assert_string_equal(c.issuer, "CN=Test NES SHS,C=TR");
    assert_string_equal(c.serial, "1A2B3C");
    assert_int_equal(c.not_before, T_BEFORE);
    assert_int_equal(c.not_after, T_AFTER);
    assert_string_equal(c.policies, NES_POLICY " 1.2.3.4");
    assert_int_equal(c.revoked_at, 0);
    OPENSSL_free(der);
}

static void test_pnotr_prefix(void **state)
{
    (void)state;
    struct spec sp = {"MEHMET ÖZTÜRK", "PNOTR-10000000146", 7, NES_POLICY, false, 0, NULL};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct core_certificate c;
    assert_int_equal(crypto_x509_parse_der(der, n, &c), CRYPTO_X509_OK);
    assert_string_equal(c.tckn, "10000000146");
    assert_string_equal(c.serial, "07");
    assert_string_equal(c.policies, NES_POLICY);
    OPENSSL_free(der);
}

static void test_no_or_bad_serial_number(void **state)
{
    (void)state;
    struct spec none = {"Kurumsal Sunucu", NULL, 1, NULL, false, 0, NULL};
    struct spec bad = {"ALİ KAYA", "10000000147", 2, NULL, false, 0, NULL};         /* checksum */
    struct spec other = {"ALİ KAYA", "PASSPORT-U1234567", 3, NULL, false, 0, NULL}; /* foreign */
    const struct spec *specs[] = {&none, &bad, &other};
    for (size_t i = 0; i < 3; i++) {
        size_t n;
        unsigned char *der = cert_der(specs[i], &n);
        struct core_certificate c;
        assert_int_equal(crypto_x509_parse_der(der, n, &c), CRYPTO_X509_OK);
        assert_string_equal(c.tckn, "");
        assert_string_equal(c.policies, "");
        assert_int_not_equal(c.fingerprint[0], '\0');
        OPENSSL_free(der);
    }
}

/* Past 2049 certificates carry GeneralizedTime; the conversion must not wrap. */
static void test_generalized_time(void **state)
{
    (void)state;
    struct spec sp = {"ZEYNEP IŞIK", "10000000146", 9, NULL, false, (time_t)T_2060, NULL};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct core_certificate c;
    assert_int_equal(crypto_x509_parse_der(der, n, &c), CRYPTO_X509_OK);
    assert_int_equal(c.not_after, (int64_t)T_2060);
    OPENSSL_free(der);
}

static void test_bad_der(void **state)
{
    (void)state;
    struct spec sp = {"ALİ KAYA", "10000000146", 4, NULL, false, 0, NULL};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct core_certificate c;
    unsigned char *longer = malloc(n + 1);
    memcpy(longer, der, n);
    longer[n] = 0;
    assert_int_equal(crypto_x509_parse_der(longer, n + 1, &c), CRYPTO_X509_MALFORMED);
    assert_string_equal(c.fingerprint, "");
    assert_int_equal(crypto_x509_parse_der(der, n - 1, &c), CRYPTO_X509_MALFORMED);
    assert_int_equal(crypto_x509_parse_der((const unsigned char *)"hello", 5, &c),
                     CRYPTO_X509_MALFORMED);
    assert_int_equal(crypto_x509_parse_der(der, 0, &c), CRYPTO_X509_MALFORMED);
    /* A flipped byte inside the subject still parses (no signature check here) but must not
     * crash; a flipped tag byte makes it malformed. */
    longer[0] = 0x31;
    assert_int_equal(crypto_x509_parse_der(longer, n, &c), CRYPTO_X509_MALFORMED);
    free(longer);
    OPENSSL_free(der);
}

static void test_too_long_dn(void **state)
{
    (void)state;
    char ou[61]; /* 10 OUs of 60 characters: more than CORE_DN_MAX */
    memset(ou, 'x', sizeof ou - 1);
    ou[sizeof ou - 1] = '\0';
    struct spec sp = {"ALİ KAYA", "10000000146", 5, NULL, false, 0, ou};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct core_certificate c;
    assert_int_equal(crypto_x509_parse_der(der, n, &c), CRYPTO_X509_TOO_LONG);
    OPENSSL_free(der);
}

/* ---- the walk over files ---------------------------------------------------------------- */

static enum crypto_iter_status next(struct crypto_objiter *it, struct crypto_obj *o,
                                    enum crypto_x509_err *why)
{
    return crypto_objiter_next(it, o, why);
}

static void test_pem_many(void **state)
{
    (void)state;
    struct spec s1 = {"AYŞE ÇELİK", "10000000146", 0x10, NES_POLICY, false, 0, NULL};
    struct spec s2 = {"MEHMET ÖZTÜRK", "PNOTR-10000000146", 0x11, NES_POLICY, false, 0, NULL};
    struct spec ca = {"Test NES SHS", NULL, 0x01, NULL, true, 0, NULL};
    X509 *x1 = make_cert(&s1), *x2 = make_cert(&s2), *x3 = make_cert(&ca);
    long revoked[] = {0x11, 0x99};
    X509_CRL *crl = make_crl(revoked, 2);
    struct membuf b = {0};
    const char *note = "Bag Attributes\n  friendlyName: test\nsubject=...\n";
    append(&b, note, strlen(note));
    append_pem(&b, x1, NULL);
    append(&b, "\n\n", 2);
    append_pem(&b, x2, NULL);
    append_pem(&b, x3, NULL);
    append_pem(&b, NULL, crl);

    struct crypto_objiter *it;
    assert_int_equal(crypto_objiter_new((unsigned char *)b.p, b.n, &it), CRYPTO_X509_OK);
    struct crypto_obj o;
    enum crypto_x509_err why;
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.kind, CRYPTO_OBJ_CERT);
    assert_int_equal(o.index, 1);
    assert_string_equal(o.cert.subject_name, "AYŞE ÇELİK");
    assert_string_equal(o.cert.serial, "10");
    assert_false(o.is_ca);
    size_t n1;
    unsigned char *d1 = to_der(x1, &n1);
    assert_int_equal(o.der_len, n1);
    assert_memory_equal(o.der, d1, n1);
    OPENSSL_free(d1);

    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.index, 2);
    assert_string_equal(o.cert.tckn, "10000000146");
    assert_string_equal(o.cert.subject_name, "MEHMET ÖZTÜRK");
    char issuer[CORE_DN_MAX];
    memcpy(issuer, o.cert.issuer, sizeof issuer);

    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.index, 3);
    assert_true(o.is_ca);

    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.kind, CRYPTO_OBJ_CRL);
    assert_int_equal(o.index, 4);
    assert_string_equal(o.crl_issuer, issuer); /* matches the certificates' issuer text */
    assert_int_equal(o.crl_this_update, T_BEFORE);
    assert_int_equal(o.crl_next_update, T_AFTER);
    assert_int_equal(o.crl_count, 2);
    struct crypto_crl_entry e;
    bool seen11 = false, seen99 = false;
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(crypto_objiter_crl_entry(it, i, &e), CRYPTO_X509_OK);
        if (!strcmp(e.serial, "11")) {
            seen11 = true;
            assert_int_equal(e.revoked_at, T_BEFORE + 0x11);
        } else if (!strcmp(e.serial, "99")) {
            seen99 = true;
            assert_int_equal(e.revoked_at, T_BEFORE + 0x99);
        }
    }
    assert_true(seen11 && seen99);
    assert_int_equal(crypto_objiter_crl_entry(it, 2, &e), CRYPTO_X509_MALFORMED);

    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);
    X509_free(x1);
    X509_free(x2);
    X509_free(x3);
    X509_CRL_free(crl);
    free(b.p);
}

static void test_der_cert_and_crl(void **state)
{
    (void)state;
    struct spec sp = {"ELİF ŞAHİN", "10000000146", 0x2A, NES_POLICY, false, 0, NULL};
    size_t n;
    unsigned char *der = cert_der(&sp, &n);
    struct crypto_objiter *it;
    struct crypto_obj o;
    enum crypto_x509_err why;
    assert_int_equal(crypto_objiter_new(der, n, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.kind, CRYPTO_OBJ_CERT);
    assert_string_equal(o.cert.serial, "2A");
    assert_ptr_equal(o.der, der);
    assert_int_equal(o.der_len, n);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);

    /* Two DER objects back to back, then junk. */
    long revoked[] = {0x2A};
    X509_CRL *crl = make_crl(revoked, 1);
    unsigned char *cder = NULL;
    int cn = i2d_X509_CRL(crl, &cder);
    assert_true(cn > 0);
    struct membuf b = {0};
    append(&b, cder, (size_t)cn);
    append(&b, der, n);
    append(&b, "junk", 4);
    assert_int_equal(crypto_objiter_new((unsigned char *)b.p, b.n, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.kind, CRYPTO_OBJ_CRL);
    assert_int_equal(o.crl_count, 1);
    struct crypto_crl_entry e;
    assert_int_equal(crypto_objiter_crl_entry(it, 0, &e), CRYPTO_X509_OK);
    assert_string_equal(e.serial, "2A");
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.kind, CRYPTO_OBJ_CERT);
    assert_int_equal(o.index, 2);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_NOT_CERT);
    assert_int_equal(o.index, 3);
    assert_non_null(strstr(crypto_objiter_detail(it), "bytes after"));
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);

    free(b.p);
    OPENSSL_free(cder);
    X509_CRL_free(crl);
    OPENSSL_free(der);
}

static void test_garbage(void **state)
{
    (void)state;
    struct crypto_objiter *it;
    struct crypto_obj o;
    enum crypto_x509_err why;

    /* Text that is neither PEM nor DER. */
    const char *text = "this is not a certificate\n";
    assert_int_equal(crypto_objiter_new((const unsigned char *)text, strlen(text), &it),
                     CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_NOT_CERT);
    assert_int_equal(o.index, 1);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);

    /* An empty file. */
    assert_int_equal(crypto_objiter_new((const unsigned char *)"", 0, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_NOT_CERT);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);

    /* A DER SEQUENCE that is cut short. */
    const unsigned char cut[] = {0x30, 0x82, 0x01, 0x00, 0x30, 0x03};
    assert_int_equal(crypto_objiter_new(cut, sizeof cut, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_not_equal(why, CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);

    /* A well-formed DER SEQUENCE that is neither a certificate nor a CRL. */
    const unsigned char seq[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    assert_int_equal(crypto_objiter_new(seq, sizeof seq, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_MALFORMED);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);
}

/* Bad PEM blocks are reported one by one, and the good ones around them still come out. */
static void test_pem_bad_blocks(void **state)
{
    (void)state;
    struct spec sp = {"AYŞE ÇELİK", "10000000146", 0x31, NES_POLICY, false, 0, NULL};
    X509 *x = make_cert(&sp);
    struct membuf b = {0};
    const char *keyblock = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    const char *badb64 = "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n"
                         "-----END CERTIFICATE-----\n";
    const char *notcert = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n";
    const char *open = "-----BEGIN CERTIFICATE-----\nMIIB\n";
    append(&b, keyblock, strlen(keyblock));
    append(&b, badb64, strlen(badb64));
    append(&b, notcert, strlen(notcert)); /* base64 of 30 03 02 01 05 */
    append_pem(&b, x, NULL);
    append(&b, open, strlen(open));

    struct crypto_objiter *it;
    struct crypto_obj o;
    enum crypto_x509_err why;
    assert_int_equal(crypto_objiter_new((unsigned char *)b.p, b.n, &it), CRYPTO_X509_OK);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_NOT_CERT);
    assert_non_null(strstr(crypto_objiter_detail(it), "PRIVATE KEY"));
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_MALFORMED);
    assert_int_equal(o.index, 2);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_MALFORMED);
    assert_int_equal(o.index, 3);
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_OBJ);
    assert_int_equal(o.index, 4);
    assert_string_equal(o.cert.serial, "31");
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_BAD);
    assert_int_equal(why, CRYPTO_X509_MALFORMED);
    assert_non_null(strstr(crypto_objiter_detail(it), "END"));
    assert_int_equal(next(it, &o, &why), CRYPTO_ITER_END);
    crypto_objiter_free(it);
    X509_free(x);
    free(b.p);
}

static int setup(void **state)
{
    (void)state;
    key = EVP_EC_gen("P-256");
    return key ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(key);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_pnotr_prefix),
        cmocka_unit_test(test_no_or_bad_serial_number),
        cmocka_unit_test(test_generalized_time),
        cmocka_unit_test(test_bad_der),
        cmocka_unit_test(test_too_long_dn),
        cmocka_unit_test(test_pem_many),
        cmocka_unit_test(test_der_cert_and_crl),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_pem_bad_blocks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
