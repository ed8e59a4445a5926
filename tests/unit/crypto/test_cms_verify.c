/* Unit tests for crypto/cms_verify.h: CAdES-BES verification, one test per outcome.
 *
 * The PKI, the signatures (`openssl cms -sign -cades`), the OCSP responder (`openssl ocsp`
 * over the sub-CA's real index) and a CRL served over HTTP are all made at run time by
 * pki_fixture.h, independently of the code under test; tampered signatures are made by
 * changing bytes of real ones. Every one of the eleven rejection codes comes out of some
 * test below, and each is checked to be in core/reason.h's table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/reason.h"
#include "crypto/cms_verify.h"
#include "pki_fixture.h"

static struct pki_fixture F;
static struct crypto_verifier *V;       /* trust/: the root only */
static struct crypto_verifier *V2;      /* trust2/: root and sub-CA */
static struct crypto_verifier *V_ALLOW; /* trust/, unknown revocation accepted */
static unsigned char *CONTENT;
static size_t CONTENT_LEN;

static const char CONTENT_TEXT[] =
    "Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak bütün zararlardan "
    "sorumlu olduğumu beyan ederim.\nBAŞVURU NO: 2024-000123\nTC KİMLİK NUMARASI: 10000000146\n";

static struct crypto_verifier *make_verifier(const char *trust, bool allow, const char *const *pols,
                                             size_t npols)
{
    char dir[256];
    char err[256] = "";
    const char *dirs[1] = {dir};
    snprintf(dir, sizeof dir, "%s/%s", F.dir, trust);
    struct crypto_verifier_opts o = {.trust_dirs = dirs,
                                     .ntrust_dirs = 1,
                                     .policies = pols,
                                     .npolicies = npols,
                                     .allow_unknown_revocation = allow,
                                     .revocation_timeout_ms = 2000};
    struct crypto_verifier *v = NULL;
    if (crypto_verifier_new(&o, &v, err, sizeof err))
        fprintf(stderr, "verifier: %s\n", err);
    return v;
}

static int group_setup(void **state)
{
    (void)state;
    if (pki_create(&F, false) || pki_start_ocsp(&F) || pki_start_crl_server(&F)) {
        fprintf(stderr, "test PKI could not be made in %s (see log.txt there)\n", F.dir);
        return -1;
    }
    CONTENT_LEN = sizeof CONTENT_TEXT - 1;
    CONTENT = (unsigned char *)CONTENT_TEXT;
    if (pki_write(&F, "content.txt", CONTENT, CONTENT_LEN))
        return -1;
    V = make_verifier("trust", false, NULL, 0);
    V2 = make_verifier("trust2", false, NULL, 0);
    V_ALLOW = make_verifier("trust", true, NULL, 0);
    return V && V2 && V_ALLOW ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    crypto_verifier_free(V);
    crypto_verifier_free(V2);
    crypto_verifier_free(V_ALLOW);
    pki_destroy(&F);
    return 0;
}

/* Verifies the DER in buf and returns the code ("accepted" for NULL), checking the result's
 * invariants on the way. When r is given, the result is left there for more checks. */
static const char *verify_buf(struct crypto_verifier *v, const unsigned char *cms, size_t n,
                              const unsigned char *content, size_t clen, const char *tckn,
                              int64_t now, struct crypto_verify_result *keep)
{
    struct crypto_verify_result r;
    assert_int_equal(crypto_verify_cades(v, cms, n, content, clen, tckn, now, &r), 0);
    assert_non_null(r.checks_json);
    const char *code = r.code ? r.code : "accepted";
    char want[64];
    snprintf(want, sizeof want, "\"result\":\"%s\"", code);
    assert_non_null(strstr(r.checks_json, want));
    if (r.code) {
        assert_true(core_reason_known(r.code));
        assert_true(r.detail[0] != '\0');
    }
    /* personal data stays out of the evidence text and the log detail */
    assert_null(strstr(r.checks_json, PKI_TCKN));
    assert_null(strstr(r.detail, PKI_TCKN));
    if (keep)
        *keep = r;
    else
        crypto_verify_result_free(&r);
    return code;
}

/* Signs content.txt with leaf `name` (extra: openssl cms options) and verifies it. */
static const char *sign_verify(struct crypto_verifier *v, const char *name, const char *extra,
                               const char *tckn, struct crypto_verify_result *keep)
{
    char out[64];
    size_t n = 0;
    snprintf(out, sizeof out, "%s.p7s", name);
    assert_int_equal(pki_sign(&F, name, "content.txt", out, extra), 0);
    unsigned char *cms = pki_read(&F, out, &n);
    assert_non_null(cms);
    const char *code = verify_buf(v, cms, n, CONTENT, CONTENT_LEN, tckn, time(NULL), keep);
    free(cms);
    return code;
}

static unsigned char *cert_der(const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.pem", F.dir, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    X509_free(x);
    assert_true(len > 0);
    *n = (size_t)len;
    return der;
}

static const char *section(const char *json, const char *check)
{
    char key[64];
    snprintf(key, sizeof key, "\"check\":\"%s\"", check);
    const char *p = strstr(json, key);
    assert_non_null(p);
    return p;
}

/* ---- accepted ----------------------------------------------------------------------- */

static void test_good_detached_ocsp_then_cached(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "good", "-certfile sub.pem", PKI_TCKN, &r), "accepted");
    assert_true(r.have_signer);
    assert_string_equal(r.signer.tckn, PKI_TCKN);
    assert_string_equal(r.signer.subject_name, "TEST good");
    size_t n = 0, sn = 0;
    unsigned char *der = cert_der("good", &n);
    const unsigned char *sd = crypto_verify_result_signer_der(&r, &sn);
    assert_int_equal(sn, n);
    assert_memory_equal(sd, der, n);
    OPENSSL_free(der);
    /* the OCSP response itself, for the evidence: it parses and says "good" */
    assert_non_null(r.ocsp_der);
    const unsigned char *p = r.ocsp_der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)r.ocsp_len);
    assert_non_null(resp);
    assert_int_equal(OCSP_response_status(resp), OCSP_RESPONSE_STATUS_SUCCESSFUL);
    OCSP_RESPONSE_free(resp);
    const char *rev = section(r.checks_json, "revocation");
    assert_non_null(strstr(rev, "\"source\":\"ocsp\""));
    assert_non_null(strstr(rev, "\"status\":\"good\""));
    assert_non_null(strstr(rev, "\"cached\":false"));
    assert_non_null(strstr(section(r.checks_json, "chain"), "\"cached\":false"));
    assert_non_null(strstr(section(r.checks_json, "signature"), "\"signing_certificate\":\"v2\""));
    crypto_verify_result_free(&r);

    /* Again: chain and OCSP answer come from the caches, and still say the same. */
    assert_string_equal(sign_verify(V, "good", "-certfile sub.pem", PKI_TCKN, &r), "accepted");
    assert_non_null(strstr(section(r.checks_json, "revocation"), "\"cached\":true"));
    assert_non_null(strstr(section(r.checks_json, "chain"), "\"cached\":true"));
    assert_non_null(r.ocsp_der);
    crypto_verify_result_free(&r);
}

static void test_good_attached(void **state)
{
    (void)state;
    assert_string_equal(sign_verify(V, "good", "-nodetach -certfile sub.pem", PKI_TCKN, NULL),
                        "accepted");
    /* the same attached signature presented for other content */
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "good.p7s", &n);
    assert_non_null(cms);
    const unsigned char other[] = "another application";
    assert_string_equal(verify_buf(V, cms, n, other, sizeof other - 1, PKI_TCKN, time(NULL), NULL),
                        "content_mismatch");
    free(cms);
}

static void test_ec_p256(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "ec", "-certfile sub.pem", PKI_TCKN, &r), "accepted");
    assert_non_null(strstr(section(r.checks_json, "signature"), "\"key\":\"EC-256\""));
    crypto_verify_result_free(&r);
}

/* BER (indefinite lengths, from -stream) is read by OpenSSL and turned into DER first. */
static void test_ber_stream(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "good", "-stream -nodetach -certfile sub.pem", PKI_TCKN, &r),
                        "accepted");
    assert_non_null(strstr(r.checks_json, "\"reencoded\":true"));
    crypto_verify_result_free(&r);
}

/* Intermediates may come from the trust directory instead of the CMS. Fresh verifiers: a
 * chain once built is cached per signer certificate, whatever supplied its intermediates. */
static void test_intermediate_from_trust_dir(void **state)
{
    (void)state;
    struct crypto_verifier *root_only = make_verifier("trust", false, NULL, 0),
                           *with_sub = make_verifier("trust2", false, NULL, 0);
    assert_non_null(root_only);
    assert_non_null(with_sub);
    assert_string_equal(sign_verify(root_only, "ec", NULL, PKI_TCKN, NULL), "chain_untrusted");
    assert_string_equal(sign_verify(with_sub, "ec", NULL, PKI_TCKN, NULL), "accepted");
    /* a failure is not cached: the same signer with its intermediate in the CMS passes */
    assert_string_equal(sign_verify(root_only, "ec", "-certfile sub.pem", PKI_TCKN, NULL),
                        "accepted");
    crypto_verifier_free(root_only);
    crypto_verifier_free(with_sub);
}

/* ---- 1 malformed, 2 content_mismatch -------------------------------------------------- */

static void test_malformed(void **state)
{
    (void)state;
    const unsigned char junk[] = "this is not a CMS";
    int64_t now = time(NULL);
    assert_string_equal(
        verify_buf(V, junk, sizeof junk - 1, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
        "malformed");
    assert_string_equal(verify_buf(V, junk, 0, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "malformed");
    assert_string_equal(verify_buf(V, NULL, 0, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "malformed");
    assert_int_equal(pki_sign(&F, "good", "content.txt", "m.p7s", "-certfile sub.pem"), 0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "m.p7s", &n);
    assert_non_null(cms);
    /* truncated, and with a byte after the end */
    assert_string_equal(verify_buf(V, cms, n - 1, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "malformed");
    unsigned char *longer = malloc(n + 1);
    assert_non_null(longer);
    memcpy(longer, cms, n);
    longer[n] = 0;
    assert_string_equal(verify_buf(V, longer, n + 1, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "malformed");
    free(longer);
    free(cms);
    /* a CMS, but plain data rather than SignedData */
    assert_int_equal(pki_sh(&F, "openssl cms -data_create -binary -in content.txt -outform DER "
                                "-out data.p7"),
                     0);
    cms = pki_read(&F, "data.p7", &n);
    assert_non_null(cms);
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "malformed");
    free(cms);
}

static void test_content_mismatch_detached(void **state)
{
    (void)state;
    assert_int_equal(pki_sign(&F, "good", "content.txt", "cm.p7s", "-certfile sub.pem"), 0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "cm.p7s", &n);
    assert_non_null(cms);
    unsigned char *changed = malloc(CONTENT_LEN);
    assert_non_null(changed);
    memcpy(changed, CONTENT, CONTENT_LEN);
    changed[CONTENT_LEN - 2] ^= 1; /* one bit of the T.C. Kimlik No line */
    int64_t now = time(NULL);
    assert_string_equal(verify_buf(V, cms, n, changed, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "content_mismatch");
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN - 1, PKI_TCKN, now, NULL),
                        "content_mismatch");
    assert_string_equal(verify_buf(V, cms, n, NULL, 0, PKI_TCKN, now, NULL), "content_mismatch");
    /* and the untouched content still passes: the check is not failing everything */
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, now, NULL),
                        "accepted");
    free(changed);
    free(cms);
}

/* ---- 3 signature_invalid ----------------------------------------------------------- */

static unsigned char *find(unsigned char *hay, size_t n, const void *needle, size_t nn)
{
    return memmem(hay, n, needle, nn);
}

static void test_tampered_signed_attribute(void **state)
{
    (void)state;
    static const unsigned char signing_time[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                 0xf7, 0x0d, 0x01, 0x09, 0x05};
    assert_int_equal(pki_sign(&F, "good", "content.txt", "ta.p7s", "-certfile sub.pem"), 0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "ta.p7s", &n);
    assert_non_null(cms);
    unsigned char *st = find(cms, n, signing_time, sizeof signing_time);
    assert_non_null(st);
    /* OID, SET (31 0f), UTCTime (17 0d), "YYMMDDhhmmssZ": change a digit of the seconds */
    assert_int_equal(st[sizeof signing_time + 2], 0x17);
    st[sizeof signing_time + 4 + 11] ^= 1;
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), NULL),
                        "signature_invalid");
    free(cms);
}

static void test_tampered_signature_value(void **state)
{
    (void)state;
    assert_int_equal(pki_sign(&F, "good", "content.txt", "ts.p7s", "-certfile sub.pem"), 0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "ts.p7s", &n);
    assert_non_null(cms);
    cms[n - 1] ^= 0x40; /* the last byte of a detached CMS is the signature's */
    struct crypto_verify_result r;
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "does not verify"));
    crypto_verify_result_free(&r);
    free(cms);
}

/* Certificate substitution: "twin" has good's key and subject, another serial. The signature
 * made with good is moved onto twin (certificate and signer identifier replaced): it still
 * verifies mathematically, but the signing-certificate-v2 hash names good, not twin. */
static void test_signing_certificate_v2_wrong_hash(void **state)
{
    (void)state;
    assert_int_equal(pki_sign(&F, "good", "content.txt", "sc.p7s", "-certfile sub.pem"), 0);
    size_t n = 0, gl = 0, tl = 0;
    unsigned char *cms = pki_read(&F, "sc.p7s", &n);
    unsigned char *g = cert_der("good", &gl), *t = cert_der("twin", &tl);
    assert_non_null(cms);
    assert_int_equal(gl, tl);
    unsigned char *at = find(cms, n, g, gl);
    assert_non_null(at);
    memcpy(at, t, tl);
    /* the signer identifier's serial (first after the certificates) becomes twin's */
    X509 *gx = NULL, *tx = NULL;
    const unsigned char *p = g;
    gx = d2i_X509(NULL, &p, (long)gl);
    p = t;
    tx = d2i_X509(NULL, &p, (long)tl);
    unsigned char *gs = NULL, *ts = NULL;
    int gsl = i2d_ASN1_INTEGER(X509_get0_serialNumber(gx), &gs);
    int tsl = i2d_ASN1_INTEGER(X509_get0_serialNumber(tx), &ts);
    assert_int_equal(gsl, tsl);
    unsigned char *after = at + tl;
    unsigned char *sid = find(after, n - (size_t)(after - cms), gs, (size_t)gsl);
    assert_non_null(sid);
    memcpy(sid, ts, (size_t)tsl);
    struct crypto_verify_result r;
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "another certificate"));
    crypto_verify_result_free(&r);
    OPENSSL_free(gs);
    OPENSSL_free(ts);
    X509_free(gx);
    X509_free(tx);
    OPENSSL_free(g);
    OPENSSL_free(t);
    free(cms);
}

static X509 *load_cert(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.pem", F.dir, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    return x;
}

/* A detached SHA-256 CAdES signature by `good` whose signing-certificate attribute is the ESS
 * v1 one (SHA-1 certificate hash) naming `named`. The CLI only makes v1 along with SHA-1
 * digests, so this is put together with OpenSSL's CMS and ESS functions. */
static unsigned char *sign_ess_v1(const char *named, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/good.key", F.dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    EVP_PKEY *key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(key);
    X509 *signer = load_cert("good"), *other = load_cert(named), *sub = load_cert("sub");
    unsigned flags = CMS_DETACHED | CMS_BINARY;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
    assert_non_null(cms);
    CMS_SignerInfo *si = CMS_add1_signer(cms, signer, key, EVP_sha256(), flags);
    assert_non_null(si);
    assert_true(CMS_add1_cert(cms, sub));
    ESS_SIGNING_CERT *sc = OSSL_ESS_signing_cert_new_init(other, NULL, 1);
    assert_non_null(sc);
    unsigned char *attr = NULL;
    int alen = i2d_ESS_SIGNING_CERT(sc, &attr);
    assert_true(alen > 0);
    assert_true(CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificate, V_ASN1_SEQUENCE,
                                            attr, alen));
    BIO *in = BIO_new_mem_buf(CONTENT, (int)CONTENT_LEN);
    assert_true(CMS_final(cms, in, NULL, flags));
    unsigned char *der = NULL;
    int len = i2d_CMS_ContentInfo(cms, &der);
    assert_true(len > 0);
    *n = (size_t)len;
    BIO_free(in);
    OPENSSL_free(attr);
    ESS_SIGNING_CERT_free(sc);
    CMS_ContentInfo_free(cms);
    X509_free(signer);
    X509_free(other);
    X509_free(sub);
    EVP_PKEY_free(key);
    return der;
}

static void test_signing_certificate_v1(void **state)
{
    (void)state;
    size_t n = 0;
    unsigned char *cms = sign_ess_v1("good", &n);
    struct crypto_verify_result r;
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r),
                        "accepted");
    assert_non_null(strstr(section(r.checks_json, "signature"), "\"signing_certificate\":\"v1\""));
    crypto_verify_result_free(&r);
    OPENSSL_free(cms);
    cms = sign_ess_v1("twin", &n); /* names another certificate of the same key */
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "another"));
    crypto_verify_result_free(&r);
    OPENSSL_free(cms);
}

static void test_no_signing_certificate_attribute(void **state)
{
    (void)state;
    /* without -cades OpenSSL adds no ESS signing-certificate attribute */
    assert_int_equal(pki_sh(&F, "openssl cms -sign -binary -in content.txt -signer good.pem "
                                "-inkey good.key -certfile sub.pem -outform DER -out ness.p7s"),
                     0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "ness.p7s", &n);
    assert_non_null(cms);
    struct crypto_verify_result r;
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "signing-certificate"));
    crypto_verify_result_free(&r);
    free(cms);
}

static void test_two_signers(void **state)
{
    (void)state;
    assert_string_equal(
        sign_verify(V, "good", "-signer ec.pem -inkey ec.key -certfile sub.pem", PKI_TCKN, NULL),
        "signature_invalid");
}

static void test_weak_algorithms(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "good", "-md sha1 -certfile sub.pem", PKI_TCKN, &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "weak digest"));
    crypto_verify_result_free(&r);
    assert_string_equal(sign_verify(V, "rsa1024", "-certfile sub.pem", PKI_TCKN, &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "RSA-1024"));
    crypto_verify_result_free(&r);
    assert_string_equal(sign_verify(V, "sha1", "-certfile sub.pem", PKI_TCKN, &r),
                        "signature_invalid");
    assert_non_null(strstr(r.detail, "weak algorithm"));
    crypto_verify_result_free(&r);
}

/* ---- 4 chain, 5 validity ----------------------------------------------------------- */

static void test_untrusted_root(void **state)
{
    (void)state;
    assert_string_equal(sign_verify(V, "untrusted", "-certfile other.pem", PKI_TCKN, NULL),
                        "chain_untrusted");
}

static void test_validity(void **state)
{
    (void)state;
    assert_string_equal(sign_verify(V, "expired", "-certfile sub.pem", PKI_TCKN, NULL),
                        "certificate_expired");
    assert_string_equal(sign_verify(V, "notyet", "-certfile sub.pem", PKI_TCKN, NULL),
                        "certificate_not_yet_valid");
    /* `now` is the caller's: the good certificate a day before and after its dates */
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "good", "-certfile sub.pem", PKI_TCKN, &r), "accepted");
    int64_t nb = r.signer.not_before, na = r.signer.not_after;
    crypto_verify_result_free(&r);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "good.p7s", &n);
    assert_non_null(cms);
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, na + 86400, NULL),
                        "certificate_expired");
    /* before it, the CA certificates (made the same second) are not valid yet either, and the
     * chain step comes first */
    assert_string_equal(verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, nb - 86400, NULL),
                        "chain_untrusted");
    /* far beyond the CA certificates' own lives, the chain itself is refused */
    assert_string_equal(
        verify_buf(V, cms, n, CONTENT, CONTENT_LEN, PKI_TCKN, na + 20LL * 365 * 86400, NULL),
        "chain_untrusted");
    free(cms);
}

/* ---- 6 not_qualified, 7 key_usage, 8 tckn_mismatch ---------------------------------- */

static void test_not_qualified(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "nopolicy", "-certfile sub.pem", PKI_TCKN, &r),
                        "not_qualified");
    assert_non_null(strstr(r.detail, "policy"));
    crypto_verify_result_free(&r);
    assert_string_equal(sign_verify(V, "noqc", "-certfile sub.pem", PKI_TCKN, &r), "not_qualified");
    assert_non_null(strstr(r.detail, "2.16.792.1.61.0.1.5070.1.1"));
    crypto_verify_result_free(&r);
    /* the accepted policies are configuration: another provider's list refuses Kamu SM's */
    const char *egu[] = {"2.16.792.3.0.1.1.1"};
    struct crypto_verifier *v = make_verifier("trust", false, egu, 1);
    assert_non_null(v);
    assert_string_equal(sign_verify(v, "good", "-certfile sub.pem", PKI_TCKN, NULL),
                        "not_qualified");
    crypto_verifier_free(v);
    const char *both[] = {"2.16.792.3.0.1.1.1", CRYPTO_NES_POLICY};
    assert_non_null(v = make_verifier("trust", false, both, 2));
    assert_string_equal(sign_verify(v, "good", "-certfile sub.pem", PKI_TCKN, NULL), "accepted");
    crypto_verifier_free(v);
}

static void test_key_usage(void **state)
{
    (void)state;
    assert_string_equal(sign_verify(V, "nonrep", "-certfile sub.pem", PKI_TCKN, NULL), "key_usage");
}

static void test_tckn_mismatch(void **state)
{
    (void)state;
    assert_string_equal(sign_verify(V, "good", "-certfile sub.pem", PKI_OTHER_TCKN, NULL),
                        "tckn_mismatch");
    assert_string_equal(sign_verify(V, "good", "-certfile sub.pem", NULL, NULL), "tckn_mismatch");
    assert_string_equal(sign_verify(V, "othertckn", "-certfile sub.pem", PKI_TCKN, NULL),
                        "tckn_mismatch");
    assert_string_equal(sign_verify(V, "othertckn", "-certfile sub.pem", PKI_OTHER_TCKN, NULL),
                        "accepted");
}

/* ---- 9 revocation ------------------------------------------------------------------ */

static void test_revoked_by_ocsp(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "revoked", "-certfile sub.pem", PKI_TCKN, &r),
                        "certificate_revoked");
    assert_non_null(strstr(r.detail, "ocsp"));
    assert_non_null(r.ocsp_der); /* the evidence of the refusal */
    crypto_verify_result_free(&r);
}

static void test_crl_fallback(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "crlgood", "-certfile sub.pem", PKI_TCKN, &r), "accepted");
    const char *rev = section(r.checks_json, "revocation");
    assert_non_null(strstr(rev, "\"source\":\"crl\""));
    assert_null(r.ocsp_der);
    crypto_verify_result_free(&r);
    assert_string_equal(sign_verify(V, "crlrevoked", "-certfile sub.pem", PKI_TCKN, &r),
                        "certificate_revoked");
    assert_non_null(strstr(r.detail, "crl"));
    crypto_verify_result_free(&r);
}

static void test_revocation_unknown(void **state)
{
    (void)state;
    struct crypto_verify_result r;
    assert_string_equal(sign_verify(V, "dead", "-certfile sub.pem", PKI_TCKN, &r),
                        "revocation_unknown");
    assert_null(r.ocsp_der);
    crypto_verify_result_free(&r);
    /* allowed by configuration: accepted, and the evidence says the status was unknown */
    assert_string_equal(sign_verify(V_ALLOW, "dead", "-certfile sub.pem", PKI_TCKN, &r),
                        "accepted");
    assert_non_null(strstr(section(r.checks_json, "revocation"), "\"status\":\"unknown\""));
    crypto_verify_result_free(&r);
}

/* ---- the verifier itself ------------------------------------------------------------- */

static void test_verifier_options(void **state)
{
    (void)state;
    char err[256];
    struct crypto_verifier *v = NULL;
    const char *nodir[] = {"/nonexistent/eimza-trust"};
    struct crypto_verifier_opts o = {.trust_dirs = nodir, .ntrust_dirs = 1};
    assert_int_equal(crypto_verifier_new(&o, &v, err, sizeof err), -1);
    assert_null(v);
    assert_non_null(strstr(err, "trust directory"));
    char empty[256];
    snprintf(empty, sizeof empty, "%s/newcerts/../trust-empty", F.dir);
    assert_int_equal(pki_sh(&F, "mkdir -p trust-empty && echo x > trust-empty/a.txt"), 0);
    const char *edir[] = {empty};
    o.trust_dirs = edir;
    assert_int_equal(crypto_verifier_new(&o, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "no certificate"));
    char good[256];
    snprintf(good, sizeof good, "%s/trust", F.dir);
    const char *gdir[] = {good}, *badpol[] = {"not-an-oid"};
    o.trust_dirs = gdir;
    o.policies = badpol;
    o.npolicies = 1;
    assert_int_equal(crypto_verifier_new(&o, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "policy"));
}

struct thread_arg {
    const unsigned char *cms;
    size_t n;
    int accepted;
};

static void *verify_thread(void *p)
{
    struct thread_arg *a = p;
    for (int i = 0; i < 20; i++) {
        struct crypto_verify_result r;
        if (crypto_verify_cades(V2, a->cms, a->n, CONTENT, CONTENT_LEN, PKI_TCKN, time(NULL), &r) ==
                0 &&
            !r.code)
            a->accepted++;
        crypto_verify_result_free(&r);
    }
    return NULL;
}

/* One verifier shared by four threads (caches filling up concurrently). */
static void test_concurrent(void **state)
{
    (void)state;
    assert_int_equal(pki_sign(&F, "ec", "content.txt", "mt.p7s", "-certfile sub.pem"), 0);
    size_t n = 0;
    unsigned char *cms = pki_read(&F, "mt.p7s", &n);
    assert_non_null(cms);
    pthread_t th[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thread_arg){cms, n, 0};
        assert_int_equal(pthread_create(&th[i], NULL, verify_thread, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].accepted, 20);
    }
    free(cms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_detached_ocsp_then_cached),
        cmocka_unit_test(test_good_attached),
        cmocka_unit_test(test_ec_p256),
        cmocka_unit_test(test_ber_stream),
        cmocka_unit_test(test_intermediate_from_trust_dir),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_content_mismatch_detached),
        cmocka_unit_test(test_tampered_signed_attribute),
        cmocka_unit_test(test_tampered_signature_value),
        cmocka_unit_test(test_signing_certificate_v2_wrong_hash),
        cmocka_unit_test(test_no_signing_certificate_attribute),
        cmocka_unit_test(test_signing_certificate_v1),
        cmocka_unit_test(test_two_signers),
        cmocka_unit_test(test_weak_algorithms),
        cmocka_unit_test(test_untrusted_root),
        cmocka_unit_test(test_validity),
        cmocka_unit_test(test_not_qualified),
        cmocka_unit_test(test_key_usage),
        cmocka_unit_test(test_tckn_mismatch),
        cmocka_unit_test(test_revoked_by_ocsp),
        cmocka_unit_test(test_crl_fallback),
        cmocka_unit_test(test_revocation_unknown),
        cmocka_unit_test(test_verifier_options),
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
