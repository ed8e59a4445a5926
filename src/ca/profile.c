/* eimza — the NES certificate profile of the in-house CA (ca/): the holder's data checked,
 * the validity worked out, and the certificate built and signed with OpenSSL.
 *
 * Every extension is built from OpenSSL's structures (never from a configuration string
 * handed to X509V3_EXT_conf, where a comma in a URL would add an entry of its own), and the
 * extensions that are the same on every certificate of the CA are encoded once, at start. The
 * QC statements (RFC 3739) have no OpenSSL structure: their DER is written here with
 * OpenSSL's primitive encoders. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "ca/ca_int.h"
#include "core/date.h"
#include "core/tckn.h"
#include "util/rand.h"

#define CA_OID_QC_ETSI   "0.4.0.1862.1.1"             /* id-etsi-qcs-QcCompliance */
#define CA_OID_QC_TR5070 "2.16.792.1.61.0.1.5070.1.1" /* the 5070 law's statement */
#define CA_OID_MAX       64

/* Whether s[0..n) is UTF-8 without control characters (C0, DEL, C1); *chars gets the number
 * of characters. OpenSSL's UTF8_getc refuses overlong forms; surrogates are refused here. */
static bool ca_utf8_clean(const char *s, size_t n, size_t *chars)
{
    size_t count = 0;
    while (n > 0) {
        unsigned long c;
        int k = UTF8_getc((const unsigned char *)s, (int)(n > 8 ? 8 : n), &c);
        if (k <= 0 || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
            (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
            return false;
        s += k;
        n -= (size_t)k;
        count++;
    }
    *chars = count;
    return true;
}

/* An http(s) URL of printable ASCII without spaces, at most CA_URL_MAX bytes. */
static bool ca_url_ok(const char *u)
{
    size_t n = u ? strnlen(u, CA_URL_MAX + 1) : 0;
    if (n == 0 || n > CA_URL_MAX)
        return false;
    if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7F)
            return false;
    return strlen(u) > (strncmp(u, "https://", 8) == 0 ? 8u : 7u);
}

/* A dotted OID (digits and single dots, at least two arcs) that OpenSSL reads as numeric. */
static ASN1_OBJECT *ca_oid(const char *s)
{
    size_t n = s ? strnlen(s, CA_OID_MAX + 1) : 0;
    bool dot = false;
    if (n == 0 || n > CA_OID_MAX || s[0] == '.' || s[n - 1] == '.')
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (i > 0 && s[i - 1] == '.')
                return NULL;
            dot = true;
        } else if (s[i] < '0' || s[i] > '9') {
            return NULL;
        }
    }
    return dot ? OBJ_txt2obj(s, 1) : NULL;
}

static GENERAL_NAME *ca_uri_name(const char *url)
{
    GENERAL_NAME *gn = GENERAL_NAME_new();
    ASN1_IA5STRING *s = ASN1_IA5STRING_new();
    if (!gn || !s || !ASN1_STRING_set(s, url, (int)strlen(url))) {
        GENERAL_NAME_free(gn);
        ASN1_IA5STRING_free(s);
        return NULL;
    }
    GENERAL_NAME_set0_value(gn, GEN_URI, s);
    return gn;
}

/* Appends an encoded extension to p->fixed (takes ext). */
static int ca_fixed_push(struct ca__profile *p, X509_EXTENSION *ext)
{
    if (!ext)
        return -1;
    if (!sk_X509_EXTENSION_push(p->fixed, ext)) {
        X509_EXTENSION_free(ext);
        return -1;
    }
    return 0;
}

static int ca_ext_basic(struct ca__profile *p)
{
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    if (!bc)
        return -1;
    bc->ca = 0;
    int rc = ca_fixed_push(p, X509V3_EXT_i2d(NID_basic_constraints, 1, bc));
    BASIC_CONSTRAINTS_free(bc);
    return rc;
}

static int ca_ext_key_usage(struct ca__profile *p, bool digital_signature)
{
    ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
    int rc = -1;
    if (!ku || (digital_signature && !ASN1_BIT_STRING_set_bit(ku, 0, 1)) ||
        !ASN1_BIT_STRING_set_bit(ku, 1, 1))
        goto out;
    rc = ca_fixed_push(p, X509V3_EXT_i2d(NID_key_usage, 1, ku));
out:
    ASN1_BIT_STRING_free(ku);
    return rc;
}

static int ca_ext_policies(struct ca__profile *p, const char *const *oids, size_t n,
                           const char *cps)
{
    CERTIFICATEPOLICIES *cp = CERTIFICATEPOLICIES_new();
    int rc = -1;
    if (!cp)
        return -1;
    for (size_t i = 0; i < n; i++) {
        POLICYINFO *pi = POLICYINFO_new();
        if (!pi || !sk_POLICYINFO_push(cp, pi)) {
            POLICYINFO_free(pi);
            goto out;
        }
        ASN1_OBJECT_free(pi->policyid);
        if (!(pi->policyid = ca_oid(oids[i])))
            goto out;
        if (cps) {
            POLICYQUALINFO *q = POLICYQUALINFO_new();
            if (!q || !(pi->qualifiers = sk_POLICYQUALINFO_new_null()) ||
                !sk_POLICYQUALINFO_push(pi->qualifiers, q)) {
                POLICYQUALINFO_free(q);
                goto out;
            }
            ASN1_OBJECT_free(q->pqualid);
            q->pqualid = OBJ_nid2obj(NID_id_qt_cps);
            if (!(q->d.cpsuri = ASN1_IA5STRING_new()) ||
                !ASN1_STRING_set(q->d.cpsuri, cps, (int)strlen(cps)))
                goto out;
        }
    }
    rc = ca_fixed_push(p, X509V3_EXT_i2d(NID_certificate_policies, 0, cp));
out:
    CERTIFICATEPOLICIES_free(cp);
    return rc;
}

static int ca_aia_add(AUTHORITY_INFO_ACCESS *aia, int method, const char *url)
{
    ACCESS_DESCRIPTION *ad = ACCESS_DESCRIPTION_new();
    GENERAL_NAME *gn = ca_uri_name(url);
    if (!ad || !gn || !sk_ACCESS_DESCRIPTION_push(aia, ad)) {
        ACCESS_DESCRIPTION_free(ad);
        GENERAL_NAME_free(gn);
        return -1;
    }
    ASN1_OBJECT_free(ad->method);
    ad->method = OBJ_nid2obj(method);
    GENERAL_NAME_free(ad->location);
    ad->location = gn;
    return 0;
}

static int ca_ext_aia(struct ca__profile *p, const char *ocsp, const char *issuers)
{
    AUTHORITY_INFO_ACCESS *aia = AUTHORITY_INFO_ACCESS_new();
    int rc = -1;
    if (!aia || ca_aia_add(aia, NID_ad_OCSP, ocsp) ||
        (issuers && ca_aia_add(aia, NID_ad_ca_issuers, issuers)))
        goto out;
    rc = ca_fixed_push(p, X509V3_EXT_i2d(NID_info_access, 0, aia));
out:
    AUTHORITY_INFO_ACCESS_free(aia);
    return rc;
}

static int ca_ext_cdp(struct ca__profile *p, const char *url)
{
    CRL_DIST_POINTS *cdp = CRL_DIST_POINTS_new();
    DIST_POINT *dp = DIST_POINT_new();
    GENERAL_NAME *gn = ca_uri_name(url);
    int rc = -1;
    if (!cdp || !dp || !gn || !(dp->distpoint = DIST_POINT_NAME_new()) ||
        !(dp->distpoint->name.fullname = GENERAL_NAMES_new()) ||
        !sk_GENERAL_NAME_push(dp->distpoint->name.fullname, gn))
        goto out;
    gn = NULL;
    dp->distpoint->type = 0; /* fullName */
    if (!sk_DIST_POINT_push(cdp, dp))
        goto out;
    dp = NULL;
    rc = ca_fixed_push(p, X509V3_EXT_i2d(NID_crl_distribution_points, 0, cdp));
out:
    GENERAL_NAME_free(gn);
    DIST_POINT_free(dp);
    CRL_DIST_POINTS_free(cdp);
    return rc;
}

/* qcStatements ::= SEQUENCE OF QCStatement; QCStatement ::= SEQUENCE { statementId OID,
 * statementInfo ANY OPTIONAL }: QcCompliance without info, the 5070 statement with its
 * UTF8String text. */
static int ca_ext_qc(struct ca__profile *p, const char *text)
{
    ASN1_OBJECT *etsi = OBJ_txt2obj(CA_OID_QC_ETSI, 1), *tr = OBJ_txt2obj(CA_OID_QC_TR5070, 1);
    ASN1_UTF8STRING *txt = ASN1_UTF8STRING_new();
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    unsigned char *der = NULL, *q;
    int rc = -1;
    if (!etsi || !tr || !txt || !os || !ASN1_STRING_set(txt, text, (int)strlen(text)))
        goto out;
    int l1 = i2d_ASN1_OBJECT(etsi, NULL);
    int l2 = i2d_ASN1_OBJECT(tr, NULL) + i2d_ASN1_UTF8STRING(txt, NULL);
    int s1 = ASN1_object_size(1, l1, V_ASN1_SEQUENCE);
    int s2 = ASN1_object_size(1, l2, V_ASN1_SEQUENCE);
    int total = ASN1_object_size(1, s1 + s2, V_ASN1_SEQUENCE);
    if (l1 <= 0 || l2 <= 0 || s1 <= 0 || s2 <= 0 || total <= 0 || !(der = OPENSSL_malloc(total)))
        goto out;
    q = der;
    ASN1_put_object(&q, 1, s1 + s2, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    ASN1_put_object(&q, 1, l1, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    i2d_ASN1_OBJECT(etsi, &q);
    ASN1_put_object(&q, 1, l2, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    i2d_ASN1_OBJECT(tr, &q);
    i2d_ASN1_UTF8STRING(txt, &q);
    if (q != der + total || !ASN1_OCTET_STRING_set(os, der, total))
        goto out;
    rc = ca_fixed_push(p, X509_EXTENSION_create_by_NID(NULL, NID_qcStatements, 0, os));
out:
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(os);
    ASN1_UTF8STRING_free(txt);
    ASN1_OBJECT_free(etsi);
    ASN1_OBJECT_free(tr);
    return rc;
}

enum ca_err ca__profile_new(const struct ca_config *c, struct ca__profile *p, struct ca_status *st)
{
    static const char *const nes[] = {CA_NES_POLICY};
    const char *const *pol = c->npolicies ? c->policies : nes;
    size_t npol = c->npolicies ? c->npolicies : 1;
    const char *text = c->qc_text ? c->qc_text : CA_QC_TEXT;
    size_t chars;
    enum ca_err e = CA_E_CONFIG;

    memset(p, 0, sizeof *p);
    if (!ca_url_ok(c->ocsp_url)) {
        ca__status_set(st, e, "ocsp_url: an http(s) URL of printable ASCII is required");
        goto fail;
    }
    if (!ca_url_ok(c->crl_url)) {
        ca__status_set(st, e, "crl_url: an http(s) URL of printable ASCII is required");
        goto fail;
    }
    if (c->ca_issuers_url && !ca_url_ok(c->ca_issuers_url)) {
        ca__status_set(st, e, "ca_issuers_url: not an http(s) URL of printable ASCII");
        goto fail;
    }
    if (c->cps_url && !ca_url_ok(c->cps_url)) {
        ca__status_set(st, e, "cps_url: not an http(s) URL of printable ASCII");
        goto fail;
    }
    if (npol > CA_POLICIES_MAX || (c->npolicies && !c->policies)) {
        ca__status_set(st, e, "policies: at most %d OIDs", CA_POLICIES_MAX);
        goto fail;
    }
    for (size_t i = 0; i < npol; i++) {
        ASN1_OBJECT *o = ca_oid(pol[i]);
        bool dup = false;
        for (size_t j = 0; o && j < i; j++)
            dup = dup || strcmp(pol[i], pol[j]) == 0;
        ASN1_OBJECT_free(o);
        if (!o || dup) {
            ca__status_set(st, e, "policies: entry %zu is %s", i + 1,
                           o ? "repeated" : "not a dotted OID");
            goto fail;
        }
    }
    if (!*text || strnlen(text, CA_QC_TEXT_MAX + 1) > CA_QC_TEXT_MAX ||
        !ca_utf8_clean(text, strlen(text), &chars)) {
        ca__status_set(st, e, "qc_text: 1-%d bytes of UTF-8 without control characters",
                       CA_QC_TEXT_MAX);
        goto fail;
    }
    if (c->crl_hours > 24 * 31 || c->ocsp_minutes > 7 * 24 * 60) {
        ca__status_set(st, e, "crl_hours at most 744, ocsp_minutes at most 10080");
        goto fail;
    }
    p->crl_hours = c->crl_hours ? c->crl_hours : 24;
    p->ocsp_minutes = c->ocsp_minutes ? c->ocsp_minutes : 60;

    e = CA_E_NOMEM;
    if (!(p->fixed = sk_X509_EXTENSION_new_null()) || ca_ext_basic(p) ||
        ca_ext_key_usage(p, !c->no_digital_signature) ||
        ca_ext_policies(p, pol, npol, c->cps_url) ||
        ca_ext_aia(p, c->ocsp_url, c->ca_issuers_url) || ca_ext_cdp(p, c->crl_url) ||
        ca_ext_qc(p, text)) {
        ca__status_set(st, e, "encoding the certificate extensions");
        ca__status_ossl(st);
        goto fail;
    }
    ca__status_set(st, CA_OK, NULL);
    return CA_OK;
fail:
    ca__profile_free(p);
    return e;
}

void ca__profile_free(struct ca__profile *p)
{
    sk_X509_EXTENSION_pop_free(p->fixed, X509_EXTENSION_free);
    p->fixed = NULL;
}

enum ca_err ca__holder_check(const struct ca_holder *h, int64_t now, int64_t *not_before,
                             int64_t *not_after, struct ca_status *st)
{
    size_t n = h->tckn ? strnlen(h->tckn, CORE_TCKN_LEN + 1) : 0;
    size_t chars = 0;
    if (!core_tckn_valid(h->tckn ? h->tckn : "", n))
        return ca__status_set(st, CA_E_TCKN, "not an 11-digit T.C. Kimlik No with its checksum");
    n = h->name ? strnlen(h->name, 4 * CA_NAME_MAX_CHARS + 1) : 0;
    if (n == 0 || n > 4 * CA_NAME_MAX_CHARS || !ca_utf8_clean(h->name, n, &chars) ||
        chars > CA_NAME_MAX_CHARS || h->name[0] == ' ' || h->name[n - 1] == ' ')
        return ca__status_set(st, CA_E_NAME,
                              "the name must be 1-64 characters of UTF-8, no control "
                              "characters, no space at either end");
    if (h->key_type != CA_KEY_RSA2048 && h->key_type != CA_KEY_EC_P256)
        return ca__status_set(st, CA_E_KEY_TYPE, "key type %d", (int)h->key_type);
    if (h->years < 1 || h->years > 3)
        return ca__status_set(st, CA_E_VALIDITY, "years %u: 1-3 are allowed", h->years);
    if (now <= 0 || h->renews_not_after < 0 || h->renews_not_after > now + CA_RENEW_AHEAD)
        return ca__status_set(st, CA_E_VALIDITY, "a renewal may start at most 366 days from now");
    int64_t nb = h->renews_not_after > now ? h->renews_not_after : now;
    int32_t day = core_date_from_unix(nb);
    int32_t end = core_date_add_years(day, (int)h->years);
    if (end == CORE_DATE_NONE)
        return ca__status_set(st, CA_E_VALIDITY, "the end date is out of range");
    *not_before = nb;
    *not_after = core_date_to_unix(end) + (nb - core_date_to_unix(day));
    return ca__status_set(st, CA_OK, NULL);
}

enum ca_err ca__serial_new(ASN1_INTEGER **out, struct ca_status *st)
{
    unsigned char b[16];
    BIGNUM *bn = NULL;
    *out = NULL;
    if (urand_bytes(b, sizeof b))
        return ca__status_set(st, CA_E_RAND, "getrandom failed");
    b[0] = (unsigned char)((b[0] & 0x3F) | 0x40);
    if (!(bn = BN_bin2bn(b, sizeof b, NULL)) || !(*out = BN_to_ASN1_INTEGER(bn, NULL))) {
        BN_free(bn);
        return ca__status_set(st, CA_E_NOMEM, "serial");
    }
    BN_free(bn);
    return ca__status_set(st, CA_OK, NULL);
}

int ca__serial_hex(const ASN1_INTEGER *s, char out[CA_SERIAL_MAX])
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(s, NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    int rc = -1;
    if (hex && strlen(hex) < CA_SERIAL_MAX && hex[0] != '-') {
        memcpy(out, hex, strlen(hex) + 1);
        rc = 0;
    }
    OPENSSL_free(hex);
    BN_free(bn);
    return rc;
}

const EVP_MD *ca__md_for(EVP_PKEY *k)
{
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC && EVP_PKEY_get_bits(k) >= 384)
        return EVP_sha384();
    return EVP_sha256();
}

/* An ASN1_TIME as Unix seconds. 0 or -1. */
int ca__time_unix(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return -1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int ca_subject(X509 *x, const struct ca_holder *h)
{
    X509_NAME *n = X509_NAME_new();
    int rc = -1;
    if (n &&
        X509_NAME_add_entry_by_NID(n, NID_countryName, V_ASN1_PRINTABLESTRING,
                                   (const unsigned char *)"TR", 2, -1, 0) &&
        X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING,
                                   (const unsigned char *)h->name, (int)strlen(h->name), -1, 0) &&
        X509_NAME_add_entry_by_NID(n, NID_serialNumber, V_ASN1_PRINTABLESTRING,
                                   (const unsigned char *)h->tckn, CORE_TCKN_LEN, -1, 0) &&
        X509_set_subject_name(x, n))
        rc = 0;
    X509_NAME_free(n);
    return rc;
}

/* The subject key identifier (SHA-1 of the subjectPublicKey, RFC 5280 method 1) and the
 * authority key identifier (the issuer's subject key identifier). */
static int ca_key_ids(X509 *x, X509 *issuer)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    ASN1_OCTET_STRING *ski = ASN1_OCTET_STRING_new();
    AUTHORITY_KEYID *aki = AUTHORITY_KEYID_new();
    const ASN1_OCTET_STRING *iski = X509_get0_subject_key_id(issuer);
    int rc = -1;
    if (!ski || !aki || !iski || !X509_pubkey_digest(x, EVP_sha1(), md, &mdlen) ||
        !ASN1_OCTET_STRING_set(ski, md, (int)mdlen) ||
        !X509_add1_ext_i2d(x, NID_subject_key_identifier, ski, 0, X509V3_ADD_DEFAULT) ||
        !(aki->keyid = ASN1_OCTET_STRING_dup(iski)) ||
        !X509_add1_ext_i2d(x, NID_authority_key_identifier, aki, 0, X509V3_ADD_DEFAULT))
        goto out;
    rc = 0;
out:
    ASN1_OCTET_STRING_free(ski);
    AUTHORITY_KEYID_free(aki);
    return rc;
}

/* The last step of making a certificate: x signed by the issuer's key and checked against the
 * issuer's certificate, then *out (taken); freed on failure (what names it in the status). */
static enum ca_err ca_sign_out(X509 *x, X509 *issuer, EVP_PKEY *issuer_key, const char *what,
                               X509 **out, struct ca_status *st)
{
    if (X509_sign(x, issuer_key, ca__md_for(issuer_key)) <= 0 ||
        X509_verify(x, X509_get0_pubkey(issuer)) != 1) {
        enum ca_err e = ca__status_set(st, CA_E_SIGN, "%s", what);
        ca__status_ossl(st);
        X509_free(x);
        return e;
    }
    *out = x;
    return ca__status_set(st, CA_OK, NULL);
}

enum ca_err ca__cert_make(const struct ca__profile *p, X509 *issuer, EVP_PKEY *issuer_key,
                          EVP_PKEY *holder_pub, const struct ca_holder *h,
                          const ASN1_INTEGER *serial, int64_t not_before, int64_t not_after,
                          X509 **out, struct ca_status *st)
{
    X509 *x = NULL;
    int64_t ib = 0, ia = 0;
    enum ca_err e = CA_E_NOMEM;
    *out = NULL;
    ERR_clear_error();
    if (ca__time_unix(X509_get0_notBefore(issuer), &ib) ||
        ca__time_unix(X509_get0_notAfter(issuer), &ia) || ib > not_before || ia < not_after) {
        e = ca__status_set(st, CA_E_CA_VALIDITY,
                           "the CA certificate does not cover the new certificate's validity");
        goto out;
    }
    if (!(x = X509_new()) || !X509_set_version(x, X509_VERSION_3) ||
        !X509_set_serialNumber(x, (ASN1_INTEGER *)serial) ||
        !X509_set_issuer_name(x, X509_get_subject_name(issuer)) || ca_subject(x, h) ||
        !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) ||
        !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) ||
        !X509_set_pubkey(x, holder_pub)) {
        ca__status_set(st, e, "building the certificate");
        ca__status_ossl(st);
        goto out;
    }
    /* the order Kamu SM's certificates show: constraints and usage, key ids, the rest */
    for (int i = 0; i < 2; i++)
        if (!X509_add_ext(x, sk_X509_EXTENSION_value(p->fixed, i), -1)) {
            ca__status_set(st, e, "adding an extension");
            goto out;
        }
    if (ca_key_ids(x, issuer)) {
        ca__status_set(st, e, "key identifiers (has the CA certificate a subjectKeyIdentifier?)");
        ca__status_ossl(st);
        goto out;
    }
    for (int i = 2; i < sk_X509_EXTENSION_num(p->fixed); i++)
        if (!X509_add_ext(x, sk_X509_EXTENSION_value(p->fixed, i), -1)) {
            ca__status_set(st, e, "adding an extension");
            goto out;
        }
    e = ca_sign_out(x, issuer, issuer_key, "signing the certificate", out, st);
    x = NULL; /* *out's now, or freed */
out:
    X509_free(x);
    ERR_clear_error();
    return e;
}

int ca__random_digits(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t d;
        if (urand_uniform(10, &d)) {
            memset(out, 0, n);
            return -1;
        }
        out[i] = (char)('0' + d);
    }
    out[n] = '\0';
    return 0;
}

/* ---- the delegated OCSP responder's certificate -------------------------------------------- */

/* The responder's subject: the issuer's name, its (last) CN followed by CA_RESPONDER_SUFFIX and
 * cut to CA_NAME_MAX_CHARS characters; a CN of the suffix alone when the issuer has none. */
static int ca_responder_subject(X509 *x, X509 *issuer)
{
    static const char suffix[] = CA_RESPONDER_SUFFIX;
    X509_NAME *n = X509_NAME_dup(X509_get_subject_name(issuer));
    unsigned char *cn = NULL;
    char buf[4 * CA_NAME_MAX_CHARS + 1];
    int len = 0, rc = -1, at = -1, k;
    if (!n)
        return -1;
    while ((k = X509_NAME_get_index_by_NID(n, NID_commonName, at)) >= 0)
        at = k;
    if (at >= 0) {
        X509_NAME_ENTRY *old = X509_NAME_get_entry(n, at);
        if ((len = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(old))) < 0)
            goto out;
        X509_NAME_ENTRY_free(X509_NAME_delete_entry(n, at));
    }
    /* whole characters of the CA's CN, as many as leave room for the suffix */
    size_t keep = 0, chars = 0, room = CA_NAME_MAX_CHARS - (sizeof suffix - 1);
    for (size_t i = 0; i < (size_t)len; i++) {
        if ((cn[i] & 0xC0) != 0x80) {
            if (chars == room)
                break;
            chars++;
        }
        keep = i + 1;
    }
    len = snprintf(buf, sizeof buf, "%.*s%s", (int)keep, cn ? (const char *)cn : "",
                   keep ? suffix : suffix + 1);
    if (len > 0 && (size_t)len < sizeof buf &&
        X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING, (const unsigned char *)buf,
                                   len, at, 0) &&
        X509_set_subject_name(x, n))
        rc = 0;
out:
    OPENSSL_free(cn);
    X509_NAME_free(n);
    return rc;
}

/* The responder's extensions but the key identifiers: basicConstraints, keyUsage, EKU,
 * nocheck. */
static int ca_responder_exts(X509 *x)
{
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
    EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
    ASN1_OBJECT *ocsp_sign = OBJ_nid2obj(NID_OCSP_sign);
    ASN1_NULL *nocheck = ASN1_NULL_new();
    int rc = -1;
    if (!bc || !ku || !eku || !ocsp_sign || !nocheck || !ASN1_BIT_STRING_set_bit(ku, 0, 1) ||
        !sk_ASN1_OBJECT_push(eku, ocsp_sign))
        goto out;
    bc->ca = 0;
    if (X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT) == 1 &&
        X509_add1_ext_i2d(x, NID_key_usage, ku, 1, X509V3_ADD_DEFAULT) == 1 &&
        X509_add1_ext_i2d(x, NID_ext_key_usage, eku, 1, X509V3_ADD_DEFAULT) == 1 &&
        X509_add1_ext_i2d(x, NID_id_pkix_OCSP_noCheck, nocheck, 0, X509V3_ADD_DEFAULT) == 1)
        rc = 0;
out:
    BASIC_CONSTRAINTS_free(bc);
    ASN1_BIT_STRING_free(ku);
    sk_ASN1_OBJECT_free(eku); /* OBJ_nid2obj's object is static */
    ASN1_NULL_free(nocheck);
    return rc;
}

enum ca_err ca__responder_cert_make(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *responder_pub,
                                    const ASN1_INTEGER *serial, int64_t not_before,
                                    int64_t not_after, X509 **out, struct ca_status *st)
{
    X509 *x = NULL;
    int64_t ib = 0, ia = 0;
    enum ca_err e = CA_E_NOMEM;
    *out = NULL;
    ERR_clear_error();
    if (ca__time_unix(X509_get0_notBefore(issuer), &ib) ||
        ca__time_unix(X509_get0_notAfter(issuer), &ia) || ib > not_before || ia < not_after ||
        not_before >= not_after) {
        e = ca__status_set(st, CA_E_CA_VALIDITY,
                           "the CA certificate does not cover the OCSP responder's validity");
        goto out;
    }
    if (!(x = X509_new()) || !X509_set_version(x, X509_VERSION_3) ||
        !X509_set_serialNumber(x, (ASN1_INTEGER *)serial) ||
        !X509_set_issuer_name(x, X509_get_subject_name(issuer)) ||
        ca_responder_subject(x, issuer) ||
        !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) ||
        !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) ||
        !X509_set_pubkey(x, responder_pub) || ca_responder_exts(x) || ca_key_ids(x, issuer)) {
        ca__status_set(st, e, "building the OCSP responder's certificate");
        ca__status_ossl(st);
        goto out;
    }
    e = ca_sign_out(x, issuer, issuer_key, "signing the OCSP responder's certificate", out, st);
    x = NULL; /* *out's now, or freed */
out:
    X509_free(x);
    ERR_clear_error();
    return e;
}
