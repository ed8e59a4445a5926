/* Unit tests for the in-house CA's revocation answers (ca/revoke.c) with a software CA key:
 * CRLs read back field by field and judged by `openssl crl -verify` and `openssl verify
 * -crl_check`; OCSP requests made by `openssl ocsp -reqout` answered and judged by `openssl
 * ocsp -respin` and by OpenSSL's OCSP_basic_verify (good, revoked with reason and time,
 * unknown, another issuer's certificate, SHA-256 CertIDs, nonce echoed or absent), the
 * responses signed by a delegated responder whose certificate (profile.c) they carry, the CA
 * being the only trust anchor, and never by the CA key; nextUpdate cut at the end of the
 * responder's certificate and of the CA's; and the bad paths: malformed,
 * oversized and crowded requests, a registry that fails or lists nonsense, a responder that
 * cannot be had (internalError, nothing signed by another key). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "ca/ca_int.h"
#include "ca_test.h"

#define DAY 86400

/* ---- the fixture: a CA, three leaves of it, one of another CA ---------------------------- */

/* The responder ca__ocsp_answer is given: a software key and its certificate from the CA. */
struct signer {
    EVP_PKEY *key;
    X509 *cert;
    enum ca_err fail; /* CA_OK: gives them */
    int asked;
};

static enum ca_err signer_get(void *arg, int64_t now, EVP_PKEY **key, X509 **cert,
                              pthread_mutex_t **mu, struct ca_status *st)
{
    struct signer *s = arg;
    (void)now;
    s->asked++;
    *mu = NULL;
    if (s->fail != CA_OK)
        return ca__status_set(st, s->fail, "the test's responder fails");
    EVP_PKEY_up_ref(s->key);
    X509_up_ref(s->cert);
    *key = s->key;
    *cert = s->cert;
    return ca__status_set(st, CA_OK, NULL);
}

struct fix {
    int64_t now;
    EVP_PKEY *ca_key, *other_key, *leaf_key;
    X509 *ca, *other, *good, *revoked, *unknown, *foreign;
    struct signer resp;
    struct ca__ocsp_signer signer;
    struct ca__profile prof;
    struct reg reg;
    struct ca_registry registry;
    struct cat_dir d;
};

static X509 *leaf(struct fix *f, X509 *ca, EVP_PKEY *ca_key, char serial_out[CA_SERIAL_MAX])
{
    struct ca_holder h = {CAT_TCKN, "TEST KİŞİ", 1, 0, CA_KEY_EC_P256, NULL};
    ASN1_INTEGER *serial = NULL;
    struct ca_status st;
    X509 *x = NULL;
    assert_int_equal(ca__serial_new(&serial, &st), CA_OK);
    assert_int_equal(ca__cert_make(&f->prof, ca, ca_key, f->leaf_key, &h, serial, f->now - DAY,
                                   f->now + 300 * DAY, &x, &st),
                     CA_OK);
    if (serial_out)
        assert_int_equal(ca__serial_hex(serial, serial_out), 0);
    ASN1_INTEGER_free(serial);
    return x;
}

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);
    struct ca_config c = {.ocsp_url = "http://127.0.0.1:9/ocsp", .crl_url = "http://127.0.0.1:9/c"};
    struct ca_status st;
    char s_good[CA_SERIAL_MAX], s_rev[CA_SERIAL_MAX];
    if (!f)
        return -1;
    f->now = (int64_t)time(NULL); /* openssl ocsp checks thisUpdate against the real clock */
    f->ca_key = cat_key(false);
    f->other_key = cat_key(false);
    f->leaf_key = cat_key(false);
    f->ca = cat_ca_cert(f->ca_key, "Test Kurum NES SHS", f->now - 400 * DAY, f->now + 4000 * DAY,
                        false);
    f->other = cat_ca_cert(f->other_key, "Test Kurum NES SHS", f->now - 400 * DAY,
                           f->now + 4000 * DAY, false); /* same name, other key */
    if (!f->ca || !f->other || ca__profile_new(&c, &f->prof, &st) != CA_OK)
        return -1;
    f->good = leaf(f, f->ca, f->ca_key, s_good);
    f->revoked = leaf(f, f->ca, f->ca_key, s_rev);
    f->unknown = leaf(f, f->ca, f->ca_key, NULL);
    f->foreign = leaf(f, f->other, f->other_key, NULL);
    reg_add(&f->reg, s_good, CA_CERT_GOOD, 0, 0);
    reg_add(&f->reg, s_rev, CA_CERT_REVOKED, f->now - 3600, 1 /* keyCompromise */);
    reg_add(&f->reg, "0A1B2C", CA_CERT_REVOKED, f->now - 7200, 0 /* unspecified */);
    f->registry = (struct ca_registry){reg_status, reg_each, &f->reg, reg_record};
    /* the delegated responder: a key of its own, 30 days from the CA */
    ASN1_INTEGER *rs = NULL;
    f->resp.key = cat_key(false);
    if (!f->resp.key || ca__serial_new(&rs, &st) != CA_OK ||
        ca__responder_cert_make(f->ca, f->ca_key, f->resp.key, rs, f->now - 600, f->now + 30 * DAY,
                                &f->resp.cert, &st) != CA_OK)
        return -1;
    ASN1_INTEGER_free(rs);
    f->signer = (struct ca__ocsp_signer){signer_get, &f->resp};
    if (cat_dir_make(&f->d) || cat_write_pem(&f->d, "ca.pem", f->ca) ||
        cat_write_pem(&f->d, "other.pem", f->other) || cat_write_pem(&f->d, "good.pem", f->good) ||
        cat_write_pem(&f->d, "revoked.pem", f->revoked) ||
        cat_write_pem(&f->d, "unknown.pem", f->unknown) ||
        cat_write_pem(&f->d, "foreign.pem", f->foreign))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    cat_dir_remove(&f->d);
    ca__profile_free(&f->prof);
    X509_free(f->ca);
    X509_free(f->other);
    X509_free(f->good);
    X509_free(f->revoked);
    X509_free(f->unknown);
    X509_free(f->foreign);
    EVP_PKEY_free(f->ca_key);
    EVP_PKEY_free(f->other_key);
    EVP_PKEY_free(f->leaf_key);
    X509_free(f->resp.cert);
    EVP_PKEY_free(f->resp.key);
    free(f);
    return 0;
}

static int64_t unix_of(const ASN1_TIME *t)
{
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
    return (int64_t)timegm(&tm);
}

/* ---- CRL -------------------------------------------------------------------------------- */

static void test_crl(void **state)
{
    struct fix *f = *state;
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    assert_int_equal(
        ca__crl_make(&f->prof, f->ca, f->ca_key, NULL, &f->registry, 77, f->now, &der, &len, &st),
        CA_OK);
    const unsigned char *p = der;
    X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
    assert_non_null(crl);
    assert_ptr_equal(p, der + len);
    assert_int_equal(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
    assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(f->ca)), 0);
    assert_int_equal(unix_of(X509_CRL_get0_lastUpdate(crl)), f->now);
    assert_int_equal(unix_of(X509_CRL_get0_nextUpdate(crl)), f->now + 24 * 3600);
    assert_int_equal(X509_CRL_verify(crl, f->ca_key), 1);
    ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
    assert_non_null(num);
    assert_int_equal(ASN1_INTEGER_get(num), 77);
    ASN1_INTEGER_free(num);
    AUTHORITY_KEYID *aki = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL, NULL);
    assert_non_null(aki);
    assert_int_equal(ASN1_OCTET_STRING_cmp(aki->keyid, X509_get0_subject_key_id(f->ca)), 0);
    AUTHORITY_KEYID_free(aki);
    STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
    assert_int_equal(sk_X509_REVOKED_num(revs), 2);
    int seen = 0;
    for (int i = 0; i < 2; i++) {
        X509_REVOKED *r = sk_X509_REVOKED_value(revs, i);
        char hex[CA_SERIAL_MAX];
        assert_int_equal(ca__serial_hex(X509_REVOKED_get0_serialNumber(r), hex), 0);
        ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL);
        if (strcmp(hex, "0A1B2C") == 0) { /* whole bytes, as crypto/x509 writes serials */
            assert_null(reason);          /* unspecified: no reason code */
            assert_int_equal(unix_of(X509_REVOKED_get0_revocationDate(r)), f->now - 7200);
            seen |= 1;
        } else {
            assert_string_equal(hex, f->reg.e[1].serial);
            assert_non_null(reason);
            assert_int_equal(ASN1_ENUMERATED_get(reason), 1);
            assert_int_equal(unix_of(X509_REVOKED_get0_revocationDate(r)), f->now - 3600);
            seen |= 2;
        }
        ASN1_ENUMERATED_free(reason);
    }
    assert_int_equal(seen, 3);
    X509_CRL_free(crl);

    /* openssl's judgement: the CRL verifies under the CA, the good leaf passes a CRL check
     * and the revoked one does not */
    assert_int_equal(cat_write(&f->d, "crl.der", der, len), 0);
    assert_int_equal(cat_sh(&f->d, "openssl crl -inform DER -in crl.der -CAfile ca.pem -verify "
                                   "-noout"),
                     0);
    assert_true(cat_out_has(&f->d, "verify OK"));
    /* same name, other key (openssl crl says so, but exits 0) */
    cat_sh(&f->d, "openssl crl -inform DER -in crl.der -CAfile other.pem -verify -noout");
    assert_true(cat_out_has(&f->d, "verify failure"));
    assert_int_equal(cat_sh(&f->d, "openssl crl -inform DER -in crl.der -out crl.pem"), 0);
    assert_int_equal(
        cat_sh(&f->d, "openssl verify -crl_check -CAfile ca.pem -CRLfile crl.pem good.pem"), 0);
    assert_true(cat_out_has(&f->d, "good.pem: OK"));
    assert_int_equal(
        cat_sh(&f->d, "openssl verify -crl_check -CAfile ca.pem -CRLfile crl.pem revoked.pem"), 2);
    assert_true(cat_out_has(&f->d, "certificate revoked"));
    free(der);
}

static void test_crl_empty_and_registry_faults(void **state)
{
    struct fix *f = *state;
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    struct reg empty = {0};
    struct ca_registry r = {reg_status, reg_each, &empty, NULL};
    assert_int_equal(ca__crl_make(&f->prof, f->ca, f->ca_key, NULL, &r, 0, f->now, &der, &len, &st),
                     CA_OK);
    assert_int_equal(cat_write(&f->d, "empty.der", der, len), 0);
    assert_int_equal(cat_sh(&f->d, "openssl crl -inform DER -in empty.der -CAfile ca.pem -verify "
                                   "-noout -text"),
                     0);
    assert_true(cat_out_has(&f->d, "No Revoked Certificates"));
    free(der);

    /* the registry cannot answer */
    empty.fail = true;
    der = (unsigned char *)"x";
    assert_int_equal(ca__crl_make(&f->prof, f->ca, f->ca_key, NULL, &r, 1, f->now, &der, &len, &st),
                     CA_E_REGISTRY);
    assert_null(der);
    assert_string_equal(ca_err_code(st.err), "registry_error");
    struct ca_registry none = {NULL, NULL, NULL, NULL};
    assert_int_equal(
        ca__crl_make(&f->prof, f->ca, f->ca_key, NULL, &none, 1, f->now, &der, &len, &st),
        CA_E_REGISTRY);
    /* the registry lists nonsense: each entry alone makes the CRL fail, never half-made */
    static const struct {
        const char *serial;
        int64_t at;
        int reason;
    } bad[] = {{"", 100, 0},
               {"12x4", 100, 0},
               {"ab", 100, 0},
               {"-1", 100, 0},
               {"0A", 0, 0},
               {"0A", 100, 7},
               {"0A", 100, 11},
               {"0A", 100, -1},
               {"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
                "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123",
                100, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct reg one = {0};
        reg_add(&one, bad[i].serial, CA_CERT_REVOKED, bad[i].at, bad[i].reason);
        struct ca_registry ro = {reg_status, reg_each, &one, NULL};
        der = NULL;
        enum ca_err e =
            ca__crl_make(&f->prof, f->ca, f->ca_key, NULL, &ro, 1, f->now, &der, &len, &st);
        if (e != CA_E_REGISTRY)
            fail_msg("case %zu: %s", i, ca_err_code(e));
        assert_null(der);
    }
}

/* ---- OCSP ------------------------------------------------------------------------------- */

/* Answers the request in file `reqfile`, writing the response to `respfile`. */
static enum ca_err answer_file(struct fix *f, const struct ca_registry *r, const char *reqfile,
                               const char *respfile, OCSP_RESPONSE **resp)
{
    size_t n = 0;
    char *req = cat_read(&f->d, reqfile, &n);
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    assert_non_null(req);
    enum ca_err e = ca__ocsp_answer(&f->prof, f->ca, &f->signer, r, (unsigned char *)req, n, f->now,
                                    &der, &len, &st);
    assert_non_null(der);
    assert_int_equal(cat_write(&f->d, respfile, der, len), 0);
    const unsigned char *p = der;
    *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
    assert_non_null(*resp);
    assert_ptr_equal(p, der + len);
    free(der);
    free(req);
    return e;
}

static int status_of(OCSP_BASICRESP *bs, X509 *cert, X509 *issuer, const EVP_MD *md, int *reason,
                     int64_t *revoked_at)
{
    OCSP_CERTID *id = OCSP_cert_to_id(md, cert, issuer);
    ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
    int st = -1;
    assert_non_null(id);
    assert_int_equal(OCSP_resp_find_status(bs, id, &st, reason, &rev, &thisupd, &nextupd), 1);
    if (rev && revoked_at)
        *revoked_at = unix_of(rev);
    OCSP_CERTID_free(id);
    return st;
}

static void test_ocsp(void **state)
{
    struct fix *f = *state;
    OCSP_RESPONSE *resp = NULL;
    /* the request as an OCSP client makes it: three certificates of ours, a nonce */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -issuer ca.pem -cert good.pem -cert revoked.pem "
                                   "-cert unknown.pem -reqout req.der"),
                     0);
    assert_int_equal(answer_file(f, &f->registry, "req.der", "resp.der", &resp), CA_OK);
    assert_int_equal(OCSP_response_status(resp), OCSP_RESPONSE_STATUS_SUCCESSFUL);
    OCSP_BASICRESP *bs = OCSP_response_get1_basic(resp);
    assert_non_null(bs);
    /* signed by the delegated responder, whose certificate it carries: the client knows only
     * the issuer, its one trust anchor */
    STACK_OF(X509) *issuers = sk_X509_new_null();
    X509_STORE *store = X509_STORE_new();
    sk_X509_push(issuers, f->ca);
    X509_STORE_add_cert(store, f->ca);
    assert_int_equal(OCSP_basic_verify(bs, issuers, store, 0), 1);
    const STACK_OF(X509) *certs = OCSP_resp_get0_certs(bs);
    assert_int_equal(sk_X509_num(certs), 1);
    assert_int_equal(X509_cmp(sk_X509_value(certs, 0), f->resp.cert), 0);
    X509 *signer = NULL;
    assert_int_equal(OCSP_resp_get0_signer(bs, &signer, NULL), 1);
    const char *wrong = cat_responder_wrong(signer, f->ca);
    if (wrong)
        fail_msg("the responder's certificate: %s", wrong);
    /* its key signed, not the CA's */
    assert_true(cat_ocsp_signed_by(bs, f->resp.key));
    assert_false(cat_ocsp_signed_by(bs, f->ca_key));
    /* responder id by key: the SHA-1 of the responder's public key */
    const ASN1_OCTET_STRING *keyid = NULL;
    const X509_NAME *byname = NULL;
    unsigned char md[20];
    unsigned int mdlen = 0;
    assert_int_equal(OCSP_resp_get0_id(bs, &keyid, &byname), 1);
    assert_null(byname);
    assert_int_equal(X509_pubkey_digest(f->resp.cert, EVP_sha1(), md, &mdlen), 1);
    assert_int_equal(ASN1_STRING_length(keyid), 20);
    assert_memory_equal(ASN1_STRING_get0_data(keyid), md, 20);
    /* statuses */
    int reason = -9;
    int64_t at = 0;
    assert_int_equal(status_of(bs, f->good, f->ca, NULL, &reason, NULL), V_OCSP_CERTSTATUS_GOOD);
    assert_int_equal(status_of(bs, f->revoked, f->ca, NULL, &reason, &at),
                     V_OCSP_CERTSTATUS_REVOKED);
    assert_int_equal(reason, 1);
    assert_int_equal(at, f->now - 3600);
    assert_int_equal(status_of(bs, f->unknown, f->ca, NULL, &reason, NULL),
                     V_OCSP_CERTSTATUS_UNKNOWN);
    assert_int_equal(f->reg.asked, 3);
    /* times: thisUpdate now, nextUpdate an hour later, for every answer */
    for (int i = 0; i < OCSP_resp_count(bs); i++) {
        ASN1_GENERALIZEDTIME *tu = NULL, *nu = NULL;
        OCSP_single_get0_status(OCSP_resp_get0(bs, i), NULL, NULL, &tu, &nu);
        assert_int_equal(unix_of(tu), f->now);
        assert_int_equal(unix_of(nu), f->now + 3600);
    }
    /* the nonce echoed */
    size_t n = 0;
    char *req = cat_read(&f->d, "req.der", &n);
    const unsigned char *p = (unsigned char *)req;
    OCSP_REQUEST *rq = d2i_OCSP_REQUEST(NULL, &p, (long)n);
    assert_int_equal(OCSP_check_nonce(rq, bs), 1);
    OCSP_REQUEST_free(rq);
    free(req);
    sk_X509_free(issuers);
    X509_STORE_free(store);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);

    /* openssl ocsp's judgement of the same response */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -respin resp.der -reqin req.der -issuer ca.pem "
                                   "-CAfile ca.pem -resp_text"),
                     0);
    assert_true(cat_out_has(&f->d, "Response verify OK"));
    assert_true(cat_out_has(&f->d, "Cert Status: revoked"));
    assert_true(cat_out_has(&f->d, "Revocation Reason: keyCompromise (0x1)"));
    /* (-no_nonce: these -cert make a request of their own, whose nonce the response cannot
     * know) */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -respin resp.der -issuer ca.pem -CAfile ca.pem "
                                   "-no_nonce -cert good.pem -cert revoked.pem -cert unknown.pem"),
                     0);
    assert_true(cat_out_has(&f->d, "Response verify OK"));
    assert_true(cat_out_has(&f->d, "good.pem: good"));
    assert_true(cat_out_has(&f->d, "revoked.pem: revoked"));
    assert_true(cat_out_has(&f->d, "unknown.pem: unknown"));
    /* a certificate of another issuer (same name, other key) is unknown, and the registry
     * is not even asked about it */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -issuer other.pem -cert foreign.pem "
                                   "-reqout reqf.der"),
                     0);
    f->reg.asked = 0;
    assert_int_equal(answer_file(f, &f->registry, "reqf.der", "respf.der", &resp), CA_OK);
    bs = OCSP_response_get1_basic(resp);
    assert_int_equal(status_of(bs, f->foreign, f->other, NULL, &reason, NULL),
                     V_OCSP_CERTSTATUS_UNKNOWN);
    assert_int_equal(f->reg.asked, 0);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    /* and our response does not verify under another key of the same name */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -respin resp.der -issuer other.pem "
                                   "-CAfile other.pem -no_nonce -cert good.pem"),
                     1);
    assert_true(cat_out_has(&f->d, "Response Verify Failure"));
}

static void test_ocsp_sha256_no_nonce(void **state)
{
    struct fix *f = *state;
    OCSP_RESPONSE *resp = NULL;
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -sha256 -no_nonce -issuer ca.pem -cert good.pem "
                                   "-reqout req256.der"),
                     0);
    assert_int_equal(answer_file(f, &f->registry, "req256.der", "resp256.der", &resp), CA_OK);
    OCSP_BASICRESP *bs = OCSP_response_get1_basic(resp);
    assert_non_null(bs);
    assert_int_equal(status_of(bs, f->good, f->ca, EVP_sha256(), NULL, NULL),
                     V_OCSP_CERTSTATUS_GOOD);
    assert_int_equal(OCSP_BASICRESP_get_ext_by_NID(bs, NID_id_pkix_OCSP_Nonce, -1), -1);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -sha256 -respin resp256.der -issuer ca.pem "
                                   "-CAfile ca.pem -no_nonce -cert good.pem"),
                     0);
    assert_true(cat_out_has(&f->d, "good.pem: good"));
}

static void expect_status(struct fix *f, const struct ca_registry *r, const unsigned char *req,
                          size_t n, enum ca_err want, int want_status)
{
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    enum ca_err e =
        ca__ocsp_answer(&f->prof, f->ca, &f->signer, r, req, n, f->now, &der, &len, &st);
    if (e != want)
        fail_msg("%s (%s), want %s", ca_err_code(e), st.detail, ca_err_code(want));
    assert_non_null(der);
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
    assert_non_null(resp);
    assert_int_equal(OCSP_response_status(resp), want_status);
    if (want_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        OCSP_BASICRESP *bs = OCSP_response_get1_basic(resp);
        assert_null(bs); /* an error response carries no body */
        ERR_clear_error();
    }
    OCSP_RESPONSE_free(resp);
    free(der);
}

static void test_ocsp_bad_requests(void **state)
{
    struct fix *f = *state;
    const int malformed = OCSP_RESPONSE_STATUS_MALFORMEDREQUEST;
    size_t n = 0;
    char *req = cat_read(&f->d, "req.der", &n); /* from test_ocsp */
    assert_non_null(req);
    unsigned char *big = calloc(1, CA_OCSP_MAX_REQUEST + 2);
    assert_non_null(big);
    f->resp.asked = 0;

    expect_status(f, &f->registry, (const unsigned char *)"", 0, CA_E_REQUEST, malformed);
    expect_status(f, &f->registry, NULL, 10, CA_E_REQUEST, malformed);
    expect_status(f, &f->registry, (const unsigned char *)"hello", 5, CA_E_REQUEST, malformed);
    expect_status(f, &f->registry, (unsigned char *)req, n - 1, CA_E_REQUEST, malformed);
    memcpy(big, req, n); /* a good request followed by a byte more */
    expect_status(f, &f->registry, big, n + 1, CA_E_REQUEST, malformed);
    expect_status(f, &f->registry, big, CA_OCSP_MAX_REQUEST + 1, CA_E_REQUEST, malformed);
    /* 17 certificates in one request */
    char cmd[2048] = "openssl ocsp -issuer ca.pem -reqout many.der";
    size_t len = strlen(cmd);
    for (int i = 0; i < CA_OCSP_MAX_CERTS + 1; i++)
        len += (size_t)snprintf(cmd + len, sizeof cmd - len, " -cert good.pem");
    assert_int_equal(cat_sh(&f->d, "%s", cmd), 0);
    size_t mn = 0;
    char *many = cat_read(&f->d, "many.der", &mn);
    expect_status(f, &f->registry, (unsigned char *)many, mn, CA_E_REQUEST, malformed);
    free(many);
    /* the registry cannot answer: try later */
    struct reg down = {.fail = true};
    struct ca_registry rd = {reg_status, reg_each, &down, reg_record};
    expect_status(f, &rd, (unsigned char *)req, n, CA_E_REGISTRY, OCSP_RESPONSE_STATUS_TRYLATER);
    struct ca_registry nothing = {NULL, NULL, NULL, NULL};
    expect_status(f, &nothing, (unsigned char *)req, n, CA_E_REGISTRY,
                  OCSP_RESPONSE_STATUS_TRYLATER);
    /* or answers nonsense about a revoked certificate */
    struct reg odd = f->reg;
    odd.e[1].reason = 7;
    struct ca_registry ro = {reg_status, reg_each, &odd, reg_record};
    expect_status(f, &ro, (unsigned char *)req, n, CA_E_REGISTRY, OCSP_RESPONSE_STATUS_TRYLATER);
    odd.e[1].reason = 1;
    odd.e[1].at = 0;
    expect_status(f, &ro, (unsigned char *)req, n, CA_E_REGISTRY, OCSP_RESPONSE_STATUS_TRYLATER);
    /* none of these asked for the responder's key */
    assert_int_equal(f->resp.asked, 0);
    /* the responder cannot be had (a token error): internalError, nothing signed */
    f->resp.fail = CA_E_RESPONDER;
    expect_status(f, &f->registry, (unsigned char *)req, n, CA_E_RESPONDER,
                  OCSP_RESPONSE_STATUS_INTERNALERROR);
    f->resp.fail = CA_E_CA_VALIDITY;
    expect_status(f, &f->registry, (unsigned char *)req, n, CA_E_CA_VALIDITY,
                  OCSP_RESPONSE_STATUS_INTERNALERROR);
    struct ca__ocsp_signer none = {NULL, NULL};
    unsigned char *der = NULL;
    size_t dlen = 0;
    struct ca_status st;
    assert_int_equal(ca__ocsp_answer(&f->prof, f->ca, &none, &f->registry, (unsigned char *)req, n,
                                     f->now, &der, &dlen, &st),
                     CA_E_RESPONDER);
    assert_int_equal(dlen, 5); /* 30 03 0a 01 02: internalError, no body */
    assert_int_equal(der[4], OCSP_RESPONSE_STATUS_INTERNALERROR);
    free(der);
    f->resp.fail = CA_OK;
    /* the same request with a working registry and responder is fine */
    expect_status(f, &f->registry, (unsigned char *)req, n, CA_OK, OCSP_RESPONSE_STATUS_SUCCESSFUL);
    assert_int_equal(f->resp.asked, 3);
    free(big);
    free(req);
}

/* The nextUpdate of every answer in the response to req.der from issuer's signer, at f->now. */
static int64_t next_update_of(struct fix *f, X509 *issuer, struct signer *sg, int64_t *this_update)
{
    size_t n = 0;
    char *req = cat_read(&f->d, "req.der", &n);
    unsigned char *der = NULL;
    size_t len = 0;
    struct ca_status st;
    const struct ca__ocsp_signer signer = {signer_get, sg};
    assert_non_null(req);
    assert_int_equal(ca__ocsp_answer(&f->prof, issuer, &signer, &f->registry, (unsigned char *)req,
                                     n, f->now, &der, &len, &st),
                     CA_OK);
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
    OCSP_BASICRESP *bs = resp ? OCSP_response_get1_basic(resp) : NULL;
    assert_non_null(bs);
    assert_int_equal(OCSP_resp_count(bs), 2);
    int64_t next = -1;
    for (int i = 0; i < OCSP_resp_count(bs); i++) {
        ASN1_GENERALIZEDTIME *tu = NULL, *nu = NULL;
        OCSP_single_get0_status(OCSP_resp_get0(bs, i), NULL, NULL, &tu, &nu);
        assert_non_null(nu);
        assert_true(next < 0 || next == unix_of(nu)); /* the same for all */
        next = unix_of(nu);
        *this_update = unix_of(tu);
    }
    assert_int_equal(cat_write(&f->d, "resp-cut.der", der, len), 0);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    free(der);
    free(req);
    return next;
}

/* An answer's nextUpdate (now + an hour) is never after the end of the responder's
 * certificate, nor after the CA's. */
static void test_ocsp_next_update_cut(void **state)
{
    struct fix *f = *state;
    struct ca_status st;
    ASN1_INTEGER *rs = NULL;
    int64_t tu = 0;
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -issuer ca.pem -cert good.pem -cert revoked.pem "
                                   "-reqout req.der"),
                     0);
    /* the fixture's responder (30 days) under the CA (4000 days): an hour */
    assert_int_equal(next_update_of(f, f->ca, &f->resp, &tu), f->now + 3600);
    assert_int_equal(tu, f->now);
    /* a responder certificate that ends in 20 minutes: its end */
    struct signer brief = {cat_key(false), NULL, CA_OK, 0};
    assert_non_null(brief.key);
    assert_int_equal(ca__serial_new(&rs, &st), CA_OK);
    assert_int_equal(ca__responder_cert_make(f->ca, f->ca_key, brief.key, rs, f->now - 600,
                                             f->now + 1200, &brief.cert, &st),
                     CA_OK);
    assert_int_equal(next_update_of(f, f->ca, &brief, &tu), f->now + 1200);
    assert_int_equal(cat_write_pem(&f->d, "brief.pem", brief.cert), 0);
    /* openssl takes it: signed by that responder, valid now */
    assert_int_equal(cat_sh(&f->d, "openssl ocsp -respin resp-cut.der -issuer ca.pem -CAfile "
                                   "ca.pem -no_nonce -cert good.pem -cert revoked.pem"),
                     0);
    assert_true(cat_out_has(&f->d, "Response verify OK"));
    assert_true(cat_out_has(&f->d, "good.pem: good"));
    /* the same CA (name and key) with a certificate that ends in half an hour, the 30-day
     * responder: the CA's end */
    X509 *ending =
        cat_ca_cert(f->ca_key, "Test Kurum NES SHS", f->now - 400 * DAY, f->now + 1800, false);
    assert_non_null(ending);
    assert_int_equal(next_update_of(f, ending, &f->resp, &tu), f->now + 1800);
    X509_free(ending);
    X509_free(brief.cert);
    EVP_PKEY_free(brief.key);
    ASN1_INTEGER_free(rs);
}

/* ---- the responder's certificate (profile.c) ----------------------------------------------- */

static void test_responder_profile(void **state)
{
    struct fix *f = *state;
    struct ca_status st;
    ASN1_INTEGER *serial = NULL;
    X509 *x = NULL;
    char cn[300];
    assert_int_equal(ca__serial_new(&serial, &st), CA_OK);
    /* the fixture's: named after the CA, 30 days, the profile RFC 6960 asks for */
    assert_null(cat_responder_wrong(f->resp.cert, f->ca));
    cat_cn(X509_get_subject_name(f->resp.cert), cn, sizeof cn);
    assert_string_equal(cn, "Test Kurum NES SHS OCSP");
    X509_NAME *ca_name = X509_NAME_dup(X509_get_subject_name(f->ca));
    assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(f->resp.cert)),
                     X509_NAME_entry_count(ca_name)); /* C=TR kept, CN replaced */
    X509_NAME_free(ca_name);
    assert_int_equal(unix_of(X509_get0_notAfter(f->resp.cert)) -
                         unix_of(X509_get0_notBefore(f->resp.cert)),
                     30 * DAY + 600);
    /* an RSA responder under the same CA; openssl's view of it */
    EVP_PKEY *rsa = cat_key(true);
    assert_int_equal(
        ca__responder_cert_make(f->ca, f->ca_key, rsa, serial, f->now, f->now + DAY, &x, &st),
        CA_OK);
    assert_null(cat_responder_wrong(x, f->ca));
    assert_int_equal(cat_write_pem(&f->d, "resp.pem", x), 0);
    assert_int_equal(cat_sh(&f->d, "openssl x509 -in resp.pem -noout -text"), 0);
    assert_true(cat_out_has(&f->d, "X509v3 Extended Key Usage: critical"));
    assert_true(cat_out_has(&f->d, "OCSP Signing"));
    assert_true(cat_out_has(&f->d, "OCSP No Check"));
    assert_true(cat_out_has(&f->d, "X509v3 Key Usage: critical"));
    assert_int_equal(cat_sh(&f->d, "openssl verify -purpose ocsphelper -CAfile ca.pem resp.pem"),
                     0);
    X509_free(x);
    x = NULL;
    /* a CA whose CN is 64 characters, some of two bytes: whole characters, 64 at most */
    char longcn[200] = "";
    size_t at = 0;
    for (int i = 0; i < 64; i++)
        at += (size_t)snprintf(longcn + at, sizeof longcn - at, "%s",
                               i >= 32 ? "b"
                               : i % 2 ? "Ş"
                                       : "a");
    X509 *lca = cat_ca_cert(f->ca_key, longcn, f->now - DAY, f->now + 400 * DAY, false);
    assert_non_null(lca);
    assert_int_equal(
        ca__responder_cert_make(lca, f->ca_key, rsa, serial, f->now, f->now + DAY, &x, &st), CA_OK);
    cat_cn(X509_get_subject_name(x), cn, sizeof cn);
    char want[300];
    snprintf(want, sizeof want, "%.*s OCSP", (int)(strlen(longcn) - 32 + 27), longcn);
    assert_string_equal(cn, want); /* 59 characters of the CA's CN, then " OCSP" */
    X509_free(x);
    x = NULL;
    /* a validity the CA certificate does not cover is refused, nothing signed */
    assert_int_equal(
        ca__responder_cert_make(lca, f->ca_key, rsa, serial, f->now, f->now + 401 * DAY, &x, &st),
        CA_E_CA_VALIDITY);
    assert_null(x);
    assert_int_equal(
        ca__responder_cert_make(lca, f->ca_key, rsa, serial, f->now - 2 * DAY, f->now, &x, &st),
        CA_E_CA_VALIDITY);
    assert_null(x);
    X509_free(lca);
    EVP_PKEY_free(rsa);
    ASN1_INTEGER_free(serial);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crl),
        cmocka_unit_test(test_crl_empty_and_registry_faults),
        cmocka_unit_test(test_ocsp),
        cmocka_unit_test(test_ocsp_sha256_no_nonce),
        cmocka_unit_test(test_ocsp_bad_requests),
        cmocka_unit_test(test_ocsp_next_update_cut),
        cmocka_unit_test(test_responder_profile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
