/* Unit tests for the in-house CA's certificate profile (ca/profile.c) with software keys: the
 * holder's data refused when it is wrong (T.C. Kimlik No, name, years, renewal start, key
 * type), the validity of a first card and of a renewal (from the old notAfter, never before
 * now, 29 February), the configuration refused when it is wrong, and the certificate itself
 * read back field by field: subject string types, every extension's content and criticality,
 * the QC statements' DER, key identifiers, the signature, and `openssl verify` of it against
 * its CA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "ca/ca_int.h"
#include "ca_test.h"
#include "core/catalogue.h"

#define NOW ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */
#define DAY 86400

static const struct ca_config base_cfg = {
    .ocsp_url = "http://127.0.0.1:9/ocsp",
    .crl_url = "http://127.0.0.1:9/kurum.crl",
};

static struct ca_holder holder(void)
{
    struct ca_holder h = {CAT_TCKN, "AYŞE ÇİĞDEM ÖZTÜRK", 3, 0, CA_KEY_RSA2048, NULL};
    return h;
}

/* ---- the holder's data ---------------------------------------------------------------- */

static void test_holder_first_card(void **state)
{
    struct ca_holder h = holder();
    struct ca_status st;
    int64_t nb = 0, na = 0;
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_OK);
    assert_int_equal(nb, NOW);
    assert_int_equal(na, (int64_t)1861920000); /* 2029-01-01T00:00:00Z */
    h.years = 1;
    assert_int_equal(ca__holder_check(&h, NOW + 3723, &nb, &na, &st), CA_OK);
    assert_int_equal(na, (int64_t)1798761600 + 3723); /* 2027-01-01T01:02:03Z */
}

static void test_holder_renewal(void **state)
{
    struct ca_holder h = holder();
    struct ca_status st;
    int64_t nb = 0, na = 0;
    /* the old certificate ends on 2026-02-15T23:59:59Z: the new one starts that second */
    h.renews_not_after = (int64_t)1771199999;
    h.years = 2;
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_OK);
    assert_int_equal(nb, (int64_t)1771199999);
    assert_int_equal(na, (int64_t)1834271999); /* 2028-02-15T23:59:59Z */
    /* an old certificate already ended: from now, never backdated */
    h.renews_not_after = NOW - 10 * DAY;
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_OK);
    assert_int_equal(nb, NOW);
    /* 29 February 2028 12:00 + 1 year: 28 February 2029 12:00 */
    h.renews_not_after = (int64_t)1835438400;
    h.years = 1;
    assert_int_equal(ca__holder_check(&h, (int64_t)1835438400 - 100 * DAY, &nb, &na, &st), CA_OK);
    assert_int_equal(nb, (int64_t)1835438400);
    assert_int_equal(na, (int64_t)1866974400);
    /* more than 366 days ahead is not a renewal */
    h.renews_not_after = NOW + 367 * DAY;
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_E_VALIDITY);
    assert_string_equal(ca_err_code(st.err), "validity_invalid");
    h.renews_not_after = -1;
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_E_VALIDITY);
}

static void test_holder_refused(void **state)
{
    struct ca_status st;
    int64_t nb = 0, na = 0;
    static const struct {
        const char *tckn, *name;
        unsigned years;
        int key;
        enum ca_err want;
    } cases[] = {
        {"10000000147", "A B", 3, 0, CA_E_TCKN},  /* checksum */
        {"1000000014", "A B", 3, 0, CA_E_TCKN},   /* 10 digits */
        {"100000001466", "A B", 3, 0, CA_E_TCKN}, /* 12 digits */
        {"0000000014X", "A B", 3, 0, CA_E_TCKN},
        {NULL, "A B", 3, 0, CA_E_TCKN},
        {CAT_TCKN, "", 3, 0, CA_E_NAME},
        {CAT_TCKN, NULL, 3, 0, CA_E_NAME},
        {CAT_TCKN, " AYŞE", 3, 0, CA_E_NAME},
        {CAT_TCKN, "AYŞE ", 3, 0, CA_E_NAME},
        {CAT_TCKN, "AY\nŞE", 3, 0, CA_E_NAME},
        {CAT_TCKN, "AY\x7fŞE", 3, 0, CA_E_NAME},
        {CAT_TCKN, "AY\xc2\x85ŞE", 3, 0, CA_E_NAME},  /* U+0085, a C1 control */
        {CAT_TCKN, "AY\xc3\x28", 3, 0, CA_E_NAME},    /* broken UTF-8 */
        {CAT_TCKN, "A\xc0\xa0", 3, 0, CA_E_NAME},     /* overlong */
        {CAT_TCKN, "A\xed\xa0\x80", 3, 0, CA_E_NAME}, /* a surrogate */
        {CAT_TCKN, "A B", 0, 0, CA_E_VALIDITY},
        {CAT_TCKN, "A B", 4, 0, CA_E_VALIDITY},
        {CAT_TCKN, "A B", 3, 7, CA_E_KEY_TYPE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ca_holder h = {
            cases[i].tckn, cases[i].name, cases[i].years, 0, (enum ca_key_type)cases[i].key, NULL};
        st.err = CA_OK;
        enum ca_err e = ca__holder_check(&h, NOW, &nb, &na, &st);
        if (e != cases[i].want)
            fail_msg("case %zu: %s, want %s", i, ca_err_code(e), ca_err_code(cases[i].want));
        assert_int_equal(st.err, e);
        assert_true(st.message[0] != '\0');
    }
    /* 64 characters (128 bytes in Turkish letters) fit, 65 do not */
    char name[200] = "";
    for (int i = 0; i < 64; i++)
        memcpy(name + 2 * i, "Ş", 2);
    struct ca_holder h = {CAT_TCKN, name, 3, 0, CA_KEY_EC_P256, NULL};
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_OK);
    name[128] = 'A';
    assert_int_equal(ca__holder_check(&h, NOW, &nb, &na, &st), CA_E_NAME);
}

/* ---- the configuration --------------------------------------------------------------- */

static void test_profile_config_refused(void **state)
{
    struct ca__profile p;
    struct ca_status st;
    static const char *const bad_oid[] = {"2.16.792.1.2.1.1.5.7.1.1", "2.16..792"};
    static const char *const name_oid[] = {"commonName"};
    static const char *const twice[] = {"1.2.3", "1.2.3"};
    static const char *const nine[] = {"1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5",
                                       "1.2.6", "1.2.7", "1.2.8", "1.2.9"};
    struct {
        struct ca_config c;
        const char *detail;
    } cases[] = {
        {{.crl_url = "http://x/c.crl"}, "ocsp_url"},
        {{.ocsp_url = "http://x/o"}, "crl_url"},
        {{.ocsp_url = "ftp://x/o", .crl_url = "http://x/c.crl"}, "ocsp_url"},
        {{.ocsp_url = "http://x/o p", .crl_url = "http://x/c.crl"}, "ocsp_url"},
        {{.ocsp_url = "http://", .crl_url = "http://x/c.crl"}, "ocsp_url"},
        {{.ocsp_url = "http://x/ö", .crl_url = "http://x/c.crl"}, "ocsp_url"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c\r\n.crl"}, "crl_url"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .ca_issuers_url = "x"},
         "ca_issuers_url"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .cps_url = "mailto:a"}, "cps_url"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .policies = bad_oid, .npolicies = 2},
         "policies: entry 2"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .policies = name_oid, .npolicies = 1},
         "policies: entry 1"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .policies = twice, .npolicies = 2},
         "repeated"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .policies = nine, .npolicies = 9},
         "at most 8"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .qc_text = ""}, "qc_text"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .qc_text = "a\tb"}, "qc_text"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .crl_hours = 745}, "crl_hours"},
        {{.ocsp_url = "http://x/o", .crl_url = "http://x/c", .ocsp_minutes = 10081},
         "ocsp_minutes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum ca_err e = ca__profile_new(&cases[i].c, &p, &st);
        if (e != CA_E_CONFIG || !strstr(st.detail, cases[i].detail))
            fail_msg("case %zu: %s \"%s\", want ca_config \"%s\"", i, ca_err_code(e), st.detail,
                     cases[i].detail);
        assert_string_equal(ca_err_code(st.err), "ca_config");
    }
    assert_int_equal(ca__profile_new(&base_cfg, &p, &st), CA_OK);
    ca__profile_free(&p);
}

/* ---- the certificate -------------------------------------------------------------------- */

struct ca_fix {
    EVP_PKEY *ca_key, *holder_rsa, *holder_ec;
    X509 *ca;
};

static int setup(void **state)
{
    struct ca_fix *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->ca_key = cat_key(false);
    f->holder_rsa = cat_key(true);
    f->holder_ec = cat_key(false);
    f->ca = cat_ca_cert(f->ca_key, "Test Kurum NES SHS", NOW - 400 * DAY, NOW + 4000 * DAY, false);
    *state = f;
    return f->ca_key && f->holder_rsa && f->holder_ec && f->ca ? 0 : -1;
}

static int teardown(void **state)
{
    struct ca_fix *f = *state;
    EVP_PKEY_free(f->ca_key);
    EVP_PKEY_free(f->holder_rsa);
    EVP_PKEY_free(f->holder_ec);
    X509_free(f->ca);
    free(f);
    return 0;
}

static X509 *make(struct ca_fix *f, const struct ca_config *c, EVP_PKEY *holder_key,
                  const struct ca_holder *h, int64_t nb, int64_t na, enum ca_err want)
{
    struct ca__profile p;
    struct ca_status st;
    ASN1_INTEGER *serial = NULL;
    X509 *x = NULL;
    assert_int_equal(ca__profile_new(c, &p, &st), CA_OK);
    assert_int_equal(ca__serial_new(&serial, &st), CA_OK);
    enum ca_err e = ca__cert_make(&p, f->ca, f->ca_key, holder_key, h, serial, nb, na, &x, &st);
    if (e != want)
        fail_msg("%s (%s), want %s", ca_err_code(e), st.detail, ca_err_code(want));
    ASN1_INTEGER_free(serial);
    ca__profile_free(&p);
    return x;
}

/* The text of the name entry nid and its ASN.1 string type. */
static void name_entry(X509 *x, int nid, const char *want, int want_type)
{
    const X509_NAME *n = X509_get_subject_name(x);
    int i = X509_NAME_get_index_by_NID(n, nid, -1);
    assert_true(i >= 0);
    assert_int_equal(X509_NAME_get_index_by_NID(n, nid, i), -1); /* only once */
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
    assert_int_equal(ASN1_STRING_type(s), want_type);
    assert_int_equal(ASN1_STRING_length(s), (int)strlen(want));
    assert_memory_equal(ASN1_STRING_get0_data(s), want, strlen(want));
}

static int64_t unix_of(const ASN1_TIME *t)
{
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
    return (int64_t)timegm(&tm);
}

static void check_uri(GENERAL_NAME *gn, const char *want)
{
    int type;
    ASN1_IA5STRING *s = GENERAL_NAME_get0_value(gn, &type);
    assert_int_equal(type, GEN_URI);
    assert_int_equal(ASN1_STRING_length(s), (int)strlen(want));
    assert_memory_equal(ASN1_STRING_get0_data(s), want, strlen(want));
}

/* The qcStatements extension: exactly QcCompliance, then the 5070 statement with text. */
static void check_qc(X509 *x, const char *text)
{
    int i = X509_get_ext_by_NID(x, NID_qcStatements, -1);
    assert_true(i >= 0);
    X509_EXTENSION *ext = X509_get_ext(x, i);
    assert_int_equal(X509_EXTENSION_get_critical(ext), 0);
    const ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(ext);
    const unsigned char *p = ASN1_STRING_get0_data(os);
    long len = ASN1_STRING_length(os);
    STACK_OF(ASN1_TYPE) *outer = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
    assert_non_null(outer);
    assert_ptr_equal(p, ASN1_STRING_get0_data(os) + len);
    assert_int_equal(sk_ASN1_TYPE_num(outer), 2);
    const char *ids[2] = {"0.4.0.1862.1.1", "2.16.792.1.61.0.1.5070.1.1"};
    for (int k = 0; k < 2; k++) {
        ASN1_TYPE *t = sk_ASN1_TYPE_value(outer, k);
        assert_int_equal(t->type, V_ASN1_SEQUENCE);
        const unsigned char *q = t->value.sequence->data;
        STACK_OF(ASN1_TYPE) *inner = d2i_ASN1_SEQUENCE_ANY(NULL, &q, t->value.sequence->length);
        assert_non_null(inner);
        assert_int_equal(sk_ASN1_TYPE_num(inner), k == 0 ? 1 : 2);
        ASN1_TYPE *oid = sk_ASN1_TYPE_value(inner, 0);
        char buf[64];
        assert_int_equal(oid->type, V_ASN1_OBJECT);
        OBJ_obj2txt(buf, sizeof buf, oid->value.object, 1);
        assert_string_equal(buf, ids[k]);
        if (k == 1) {
            ASN1_TYPE *info = sk_ASN1_TYPE_value(inner, 1);
            assert_int_equal(info->type, V_ASN1_UTF8STRING);
            assert_int_equal(info->value.utf8string->length, (int)strlen(text));
            assert_memory_equal(info->value.utf8string->data, text, strlen(text));
        }
        sk_ASN1_TYPE_pop_free(inner, ASN1_TYPE_free);
    }
    sk_ASN1_TYPE_pop_free(outer, ASN1_TYPE_free);
}

static void test_cert_profile(void **state)
{
    struct ca_fix *f = *state;
    static const char *const pols[] = {"2.16.792.1.2.1.1.5.7.1.1", "2.16.792.1.2.1.1.5.7.50.1"};
    struct ca_config c = base_cfg;
    c.policies = pols;
    c.npolicies = 2;
    c.cps_url = "http://127.0.0.1:9/ilke";
    c.ca_issuers_url = "http://127.0.0.1:9/kurum.crt";
    c.ocsp_url = "http://127.0.0.1:9/ocsp,extra"; /* a comma is part of the URL, no new entry */
    struct ca_holder h = holder();
    int64_t nb = NOW, na = NOW + 3 * 365 * DAY;
    X509 *x = make(f, &c, f->holder_rsa, &h, nb, na, CA_OK);

    assert_int_equal(X509_get_version(x), X509_VERSION_3);
    /* serial: 16 bytes, positive */
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    assert_int_equal(ASN1_STRING_type(sn), V_ASN1_INTEGER);
    assert_int_equal(ASN1_STRING_length(sn), 16);
    assert_in_range(ASN1_STRING_get0_data(sn)[0], 0x40, 0x7F);
    /* subject: C=TR (PrintableString), CN (UTF8String), serialNumber (PrintableString) */
    assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(x)), 3);
    name_entry(x, NID_countryName, "TR", V_ASN1_PRINTABLESTRING);
    name_entry(x, NID_commonName, "AYŞE ÇİĞDEM ÖZTÜRK", V_ASN1_UTF8STRING);
    name_entry(x, NID_serialNumber, CAT_TCKN, V_ASN1_PRINTABLESTRING);
    assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(f->ca)), 0);
    assert_int_equal(unix_of(X509_get0_notBefore(x)), nb);
    assert_int_equal(unix_of(X509_get0_notAfter(x)), na);
    assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(x), f->holder_rsa), 1);

    /* basicConstraints critical, not a CA */
    int crit = -1;
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    assert_non_null(bc);
    assert_int_equal(crit, 1);
    assert_int_equal(bc->ca, 0);
    BASIC_CONSTRAINTS_free(bc);
    /* keyUsage critical: nonRepudiation and digitalSignature, nothing else */
    ASN1_BIT_STRING *ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
    assert_non_null(ku);
    assert_int_equal(crit, 1);
    for (int bit = 0; bit < 9; bit++)
        assert_int_equal(ASN1_BIT_STRING_get_bit(ku, bit), bit <= 1);
    ASN1_BIT_STRING_free(ku);
    /* policies, in order, each with the CPS */
    CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, &crit, NULL);
    assert_non_null(cp);
    assert_int_equal(crit, 0);
    assert_int_equal(sk_POLICYINFO_num(cp), 2);
    for (int i = 0; i < 2; i++) {
        POLICYINFO *pi = sk_POLICYINFO_value(cp, i);
        char buf[64];
        OBJ_obj2txt(buf, sizeof buf, pi->policyid, 1);
        assert_string_equal(buf, pols[i]);
        assert_int_equal(sk_POLICYQUALINFO_num(pi->qualifiers), 1);
        POLICYQUALINFO *q = sk_POLICYQUALINFO_value(pi->qualifiers, 0);
        assert_int_equal(OBJ_obj2nid(q->pqualid), NID_id_qt_cps);
        assert_string_equal((const char *)ASN1_STRING_get0_data(q->d.cpsuri),
                            "http://127.0.0.1:9/ilke");
    }
    CERTIFICATEPOLICIES_free(cp);
    /* AIA: one OCSP URL (with its comma) and the caIssuers URL */
    AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, &crit, NULL);
    assert_non_null(aia);
    assert_int_equal(sk_ACCESS_DESCRIPTION_num(aia), 2);
    assert_int_equal(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, 0)->method), NID_ad_OCSP);
    check_uri(sk_ACCESS_DESCRIPTION_value(aia, 0)->location, "http://127.0.0.1:9/ocsp,extra");
    assert_int_equal(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, 1)->method), NID_ad_ca_issuers);
    check_uri(sk_ACCESS_DESCRIPTION_value(aia, 1)->location, "http://127.0.0.1:9/kurum.crt");
    AUTHORITY_INFO_ACCESS_free(aia);
    /* CRL distribution point */
    CRL_DIST_POINTS *cdp = X509_get_ext_d2i(x, NID_crl_distribution_points, &crit, NULL);
    assert_non_null(cdp);
    assert_int_equal(sk_DIST_POINT_num(cdp), 1);
    DIST_POINT *dp = sk_DIST_POINT_value(cdp, 0);
    assert_int_equal(dp->distpoint->type, 0);
    assert_int_equal(sk_GENERAL_NAME_num(dp->distpoint->name.fullname), 1);
    check_uri(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, 0),
              "http://127.0.0.1:9/kurum.crl");
    CRL_DIST_POINTS_free(cdp);
    /* QC statements with the default text */
    check_qc(x, CA_QC_TEXT);
    /* key identifiers: SKI is the SHA-1 of the public key, AKI the CA's SKI */
    unsigned char md[20];
    unsigned int mdlen = 0;
    assert_int_equal(X509_pubkey_digest(x, EVP_sha1(), md, &mdlen), 1);
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    assert_non_null(ski);
    assert_int_equal(ASN1_STRING_length(ski), 20);
    assert_memory_equal(ASN1_STRING_get0_data(ski), md, 20);
    assert_int_equal(
        ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(x), X509_get0_subject_key_id(f->ca)), 0);
    assert_int_equal(X509_get_ext_count(x), 8); /* nothing more */
    /* signed by the CA with SHA-256 */
    assert_int_equal(X509_verify(x, f->ca_key), 1);
    assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);

    /* and openssl verify agrees, as a signing certificate under its CA */
    struct cat_dir d;
    assert_int_equal(cat_dir_make(&d), 0);
    assert_int_equal(cat_write_pem(&d, "ca.pem", f->ca), 0);
    assert_int_equal(cat_write_pem(&d, "leaf.pem", x), 0);
    assert_int_equal(
        cat_sh(&d, "openssl verify -CAfile ca.pem -attime %lld leaf.pem", (long long)NOW + 10), 0);
    assert_true(cat_out_has(&d, "leaf.pem: OK"));
    cat_dir_remove(&d);
    X509_free(x);
}

static void test_cert_options(void **state)
{
    struct ca_fix *f = *state;
    struct ca_config c = base_cfg;
    c.no_digital_signature = true;
    c.qc_text = "Nitelikli elektronik sertifika (deneme).";
    struct ca_holder h = holder();
    h.key_type = CA_KEY_EC_P256;
    X509 *x = make(f, &c, f->holder_ec, &h, NOW, NOW + 365 * DAY, CA_OK);
    ASN1_BIT_STRING *ku = X509_get_ext_d2i(x, NID_key_usage, NULL, NULL);
    assert_int_equal(ASN1_BIT_STRING_get_bit(ku, 0), 0);
    assert_int_equal(ASN1_BIT_STRING_get_bit(ku, 1), 1);
    ASN1_BIT_STRING_free(ku);
    check_qc(x, "Nitelikli elektronik sertifika (deneme).");
    /* the default policy alone, without qualifiers; no caIssuers */
    CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
    char buf[64];
    assert_int_equal(sk_POLICYINFO_num(cp), 1);
    OBJ_obj2txt(buf, sizeof buf, sk_POLICYINFO_value(cp, 0)->policyid, 1);
    assert_string_equal(buf, CA_NES_POLICY);
    assert_null(sk_POLICYINFO_value(cp, 0)->qualifiers);
    CERTIFICATEPOLICIES_free(cp);
    AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
    assert_int_equal(sk_ACCESS_DESCRIPTION_num(aia), 1);
    AUTHORITY_INFO_ACCESS_free(aia);
    X509_free(x);
}

static void test_cert_ca_must_cover(void **state)
{
    struct ca_fix *f = *state;
    struct ca_holder h = holder();
    /* the CA ends NOW + 4000 days: a certificate past it is refused, and before it too */
    assert_null(
        make(f, &base_cfg, f->holder_ec, &h, NOW + 3000 * DAY, NOW + 4001 * DAY, CA_E_CA_VALIDITY));
    assert_null(make(f, &base_cfg, f->holder_ec, &h, NOW - 401 * DAY, NOW, CA_E_CA_VALIDITY));
    /* a CA certificate without a subjectKeyIdentifier cannot give an AKI */
    X509 *noski = cat_ca_cert(f->ca_key, "No SKI", NOW - DAY, NOW + 4000 * DAY, true);
    X509 *keep = f->ca;
    f->ca = noski;
    assert_null(make(f, &base_cfg, f->holder_ec, &h, NOW, NOW + DAY, CA_E_NOMEM));
    f->ca = keep;
    X509_free(noski);
    /* the wrong key for the CA certificate: the self-check refuses to hand it out */
    EVP_PKEY *keep_key = f->ca_key;
    f->ca_key = f->holder_ec;
    assert_null(make(f, &base_cfg, f->holder_ec, &h, NOW, NOW + DAY, CA_E_SIGN));
    f->ca_key = keep_key;
}

static void test_serials_and_digits(void **state)
{
    char seen[64][CA_SERIAL_MAX];
    struct ca_status st;
    for (int i = 0; i < 64; i++) {
        ASN1_INTEGER *s = NULL;
        assert_int_equal(ca__serial_new(&s, &st), CA_OK);
        assert_int_equal(ca__serial_hex(s, seen[i]), 0);
        assert_int_equal(strlen(seen[i]), 32);
        assert_true(strspn(seen[i], "0123456789ABCDEF") == 32);
        assert_true(seen[i][0] >= '4' && seen[i][0] <= '7');
        for (int j = 0; j < i; j++)
            assert_string_not_equal(seen[i], seen[j]);
        ASN1_INTEGER_free(s);
    }
    /* PINs: only digits, of the length asked; 200 of them are not all alike */
    char pin[9], first[9];
    bool differ = false;
    assert_int_equal(ca__random_digits(first, 8), 0);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(ca__random_digits(pin, 8), 0);
        assert_int_equal(strlen(pin), 8);
        assert_true(strspn(pin, "0123456789") == 8);
        differ = differ || strcmp(pin, first) != 0;
    }
    assert_true(differ);
}

/* Each error's code is unique, and its message is the catalogue's "ca_err.CODE" (po/) in Turkish
 * and in English; the catalogue holds no "ca_err." key that no error uses. */
static void test_error_table(void **state)
{
    size_t codes = 0;
    for (int e = CA_OK; e <= CA_E_NOMEM; e++, codes++) {
        const char *code = ca_err_code((enum ca_err)e);
        assert_non_null(code);
        assert_true(strspn(code, "abcdefghijklmnopqrstuvwxyz_") == strlen(code));
        for (int g = CA_OK; g < e; g++)
            assert_string_not_equal(code, ca_err_code((enum ca_err)g));
        const char *tr = core_text_of("ca_err", code, CORE_LANG_TR);
        const char *en = core_text_of("ca_err", code, CORE_LANG_EN);
        if (!tr || !en || !strcmp(tr, en))
            fail_msg("ca_err.%s: no Turkish or no English text in po/", code);
        assert_ptr_equal(ca_err_message((enum ca_err)e), tr);
        assert_true(strlen(tr) > 5 && strlen(en) > 2);
        assert_int_equal(tr[strlen(tr) - 1], '.');
        assert_int_equal(en[strlen(en) - 1], '.');
    }
    char key[CORE_TEXT_KEY_MAX];
    size_t keys = 0;
    for (size_t i = 0; core_text_key(i, key, sizeof key) == 0; i++)
        keys += strncmp(key, "ca_err.", 7) == 0;
    assert_int_equal(keys, codes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holder_first_card),  cmocka_unit_test(test_holder_renewal),
        cmocka_unit_test(test_holder_refused),     cmocka_unit_test(test_profile_config_refused),
        cmocka_unit_test(test_cert_profile),       cmocka_unit_test(test_cert_options),
        cmocka_unit_test(test_cert_ca_must_cover), cmocka_unit_test(test_serials_and_digits),
        cmocka_unit_test(test_error_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
