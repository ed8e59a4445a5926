/* eimza — CAdES-BES verification (OpenSSL 3 for the cryptography). See cms_verify.h.
 *
 * Why not CMS_verify(): decoding a CMS with OpenSSL decodes every certificate in it, and in
 * OpenSSL 3 each certificate decode costs about ten RSA-2048 signature checks (the public key
 * goes through the provider decoders); CMS_verify also rebuilds the chain each time, checks
 * the signing-certificate attribute only with CMS_CADES, and refuses a signer without the
 * e-mail-protection EKU. So the SignedData is walked here with a strict DER reader (only the
 * fields verification needs; a BER encoding is first turned into DER by OpenSSL), each
 * certificate is taken from the verifier's cache by the SHA-256 of its bytes, the signature is
 * checked over the DER of the signed attributes with EVP_DigestVerify, and messageDigest and
 * signingCertificate(V2) are compared here. Chains come from trust.c, revocation from
 * revocation.c.
 *
 * Every step writes an entry to the result's checks JSON as it passes or fails; the first
 * failure ends the verification with its code.
 */
#include "crypto/cms_verify.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "crypto/revocation.h"
#include "crypto/trust.h"
#include "util/buf.h"

#define CMS_MAX_CERTS  32 /* certificates in one CMS; real ones carry two or three */
#define CMS_JSON_MAX   (64u << 10)
#define CMS_ATTRS_MAX  (64u << 10) /* signed attributes larger than this are not CAdES-BES */
#define CMS_DIGEST_MAX EVP_MAX_MD_SIZE

/* DER (tag, length, value) of the object identifiers compared as bytes. */
static const unsigned char OID_SIGNED_DATA[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                0xf7, 0x0d, 0x01, 0x07, 0x02};
static const unsigned char OID_DATA[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                         0xf7, 0x0d, 0x01, 0x07, 0x01};
static const unsigned char OID_CONTENT_TYPE[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                 0xf7, 0x0d, 0x01, 0x09, 0x03};
static const unsigned char OID_MESSAGE_DIGEST[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                   0xf7, 0x0d, 0x01, 0x09, 0x04};
static const unsigned char OID_SIGNING_CERT[] = {0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0c};
static const unsigned char OID_SIGNING_CERT_V2[] = {0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                    0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f};

/* The digests a signature may name (fetched once: an implicit fetch per call costs). */
static const int DIGEST_NIDS[] = {NID_sha1,   NID_sha224,   NID_sha256,   NID_sha384,
                                  NID_sha512, NID_sha3_256, NID_sha3_384, NID_sha3_512};
#define NDIGESTS (sizeof DIGEST_NIDS / sizeof DIGEST_NIDS[0])

struct crypto_verifier {
    struct crypto_trust *trust;
    struct crypto_revoc *revoc;
    char **policies;
    size_t npolicies;
    bool allow_unknown;
    bool curl_ready;
    EVP_MD *md[NDIGESTS];
};

/* ---- the verifier -------------------------------------------------------------------- */

int crypto_verifier_new(const struct crypto_verifier_opts *o, struct crypto_verifier **out,
                        char *err, size_t errlen)
{
    int rc = -1;
    struct crypto_verifier *v = calloc(1, sizeof *v);
    static const char *const default_policy[] = {CRYPTO_NES_POLICY};
    const char *const *pol = o->npolicies ? o->policies : default_policy;
    size_t npol = o->npolicies ? o->npolicies : 1;
    *out = NULL;
    if (!v || !(v->policies = calloc(npol, sizeof *v->policies))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < npol; i++) {
        ASN1_OBJECT *obj = pol[i] ? OBJ_txt2obj(pol[i], 1) : NULL;
        ASN1_OBJECT_free(obj);
        if (!obj) {
            snprintf(err, errlen, "policy %zu is not a dotted object identifier", i + 1);
            goto out;
        }
        if (!(v->policies[i] = strdup(pol[i]))) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        v->npolicies++;
    }
    v->allow_unknown = o->allow_unknown_revocation;
    for (size_t i = 0; i < NDIGESTS; i++)
        if (!(v->md[i] = EVP_MD_fetch(NULL, OBJ_nid2sn(DIGEST_NIDS[i]), NULL)))
            ERR_clear_error(); /* a provider without it: signatures using it are refused */
    /* Once per verifier, before any thread fetches: curl's global set-up is not thread-safe. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl initialisation failed");
        goto out;
    }
    v->curl_ready = true;
    if (crypto_trust_new(o->trust_dirs, o->ntrust_dirs, o->cache_max, &v->trust, err, errlen))
        goto out;
    if (crypto_revoc_new(crypto_trust_store(v->trust), o->revocation_timeout_ms, &v->revoc)) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    *out = v;
    v = NULL;
    rc = 0;
out:
    ERR_clear_error();
    crypto_verifier_free(v);
    return rc;
}

void crypto_verifier_free(struct crypto_verifier *v)
{
    if (!v)
        return;
    crypto_revoc_free(v->revoc);
    crypto_trust_free(v->trust);
    for (size_t i = 0; i < v->npolicies; i++)
        free(v->policies[i]);
    free(v->policies);
    for (size_t i = 0; i < NDIGESTS; i++)
        EVP_MD_free(v->md[i]);
    if (v->curl_ready)
        curl_global_cleanup();
    free(v);
}

void crypto_verify_result_free(struct crypto_verify_result *r)
{
    if (!r)
        return;
    free(r->signer_der);
    free(r->ocsp_der);
    free(r->checks_json);
    r->signer_der = r->ocsp_der = NULL;
    r->checks_json = NULL;
    r->signer_der_len = r->ocsp_len = 0;
}

const unsigned char *crypto_verify_result_signer_der(const struct crypto_verify_result *r,
                                                     size_t *len)
{
    *len = r->signer_der ? r->signer_der_len : 0;
    return r->signer_der;
}

/* ---- the SignedData walk ------------------------------------------------------------- */

struct signed_data {
    bool attached;
    struct crypto_der econtent;
    struct crypto_der certs[CMS_MAX_CERTS];
    size_t ncerts;
    size_t nsigners;
    /* the first SignerInfo */
    unsigned sid_tag;             /* 0x30 issuerAndSerialNumber, 0x80 subjectKeyIdentifier */
    struct crypto_der sid_issuer; /* Name element */
    struct crypto_der sid_serial; /* INTEGER element */
    struct crypto_der sid_ski;    /* value */
    struct crypto_der digest_oid; /* OBJECT IDENTIFIER element */
    bool has_attrs;
    struct crypto_der attrs;      /* the whole [0] element */
    struct crypto_der sigalg_oid; /* element */
    struct crypto_der sigalg_par; /* element; n = 0 when absent */
    struct crypto_der signature;  /* value */
};

static bool der_eq(const struct crypto_der *a, const unsigned char *b, size_t n)
{
    return a->n == n && !memcmp(a->p, b, n);
}

/* An AlgorithmIdentifier: its OID element and its parameters element (n = 0 when absent). */
static int alg_id(struct crypto_der *d, struct crypto_der *oid, struct crypto_der *par)
{
    struct crypto_der seq, v;
    unsigned tag;
    if (crypto_der_expect(d, 0x30, &seq, NULL) || crypto_der_expect(&seq, 0x06, &v, oid))
        return -1;
    par->p = NULL;
    par->n = 0;
    if (seq.n && (crypto_der_next(&seq, &tag, &v, par) || seq.n))
        return -1;
    return 0;
}

static int parse_signer(struct crypto_der *si, struct signed_data *sd)
{
    struct crypto_der v, tlv, par;
    unsigned tag;
    if (crypto_der_expect(si, 0x02, &v, NULL) || crypto_der_next(si, &tag, &v, &tlv))
        return -1;
    sd->sid_tag = tag;
    if (tag == 0x30) {
        if (crypto_der_next(&v, &tag, &par, &sd->sid_issuer) || tag != 0x30 ||
            crypto_der_expect(&v, 0x02, &par, &sd->sid_serial) || v.n)
            return -1;
    } else if (tag == 0x80) {
        sd->sid_ski = v;
    } else {
        return -1;
    }
    if (alg_id(si, &sd->digest_oid, &par))
        return -1;
    if (par.n && !(par.n == 2 && par.p[0] == 0x05 && par.p[1] == 0x00))
        return -1; /* digest parameters: absent or NULL */
    if (!crypto_der_expect(si, 0xa0, &v, &sd->attrs))
        sd->has_attrs = true;
    if (alg_id(si, &sd->sigalg_oid, &sd->sigalg_par) ||
        crypto_der_expect(si, 0x04, &sd->signature, NULL))
        return -1;
    crypto_der_expect(si, 0xa1, &v, NULL); /* unsigned attributes: not looked at */
    return si->n ? -1 : 0;
}

/* Walks a DER ContentInfo holding SignedData. Returns 0, or -1 (not DER, or not SignedData
 * over id-data, or too many certificates). */
static int parse_cms(const unsigned char *p, size_t n, struct signed_data *sd)
{
    struct crypto_der d = {p, n}, ci, v, tlv, sdata, eci, x;
    unsigned tag;
    memset(sd, 0, sizeof *sd);
    if (crypto_der_expect(&d, 0x30, &ci, NULL) || d.n || crypto_der_expect(&ci, 0x06, &v, &tlv) ||
        !der_eq(&tlv, OID_SIGNED_DATA, sizeof OID_SIGNED_DATA) ||
        crypto_der_expect(&ci, 0xa0, &v, NULL) || ci.n ||
        crypto_der_expect(&v, 0x30, &sdata, NULL) || v.n)
        return -1;
    if (crypto_der_expect(&sdata, 0x02, &v, NULL) || crypto_der_expect(&sdata, 0x31, &v, NULL) ||
        crypto_der_expect(&sdata, 0x30, &eci, NULL) || crypto_der_expect(&eci, 0x06, &v, &tlv) ||
        !der_eq(&tlv, OID_DATA, sizeof OID_DATA))
        return -1;
    if (eci.n) {
        if (crypto_der_expect(&eci, 0xa0, &v, NULL) || eci.n ||
            crypto_der_expect(&v, 0x04, &sd->econtent, NULL) || v.n)
            return -1;
        sd->attached = true;
    }
    if (!crypto_der_expect(&sdata, 0xa0, &v, NULL)) {
        while (v.n) {
            if (crypto_der_next(&v, &tag, &x, &tlv))
                return -1;
            if (tag != 0x30)
                continue; /* attribute certificates and other formats: not used */
            if (sd->ncerts == CMS_MAX_CERTS)
                return -1;
            sd->certs[sd->ncerts++] = tlv;
        }
    }
    crypto_der_expect(&sdata, 0xa1, &v, NULL); /* CRLs: revocation is looked up, not taken */
    if (crypto_der_expect(&sdata, 0x31, &v, NULL) || sdata.n)
        return -1;
    while (v.n) {
        struct crypto_der si;
        if (crypto_der_expect(&v, 0x30, &si, NULL))
            return -1;
        if (sd->nsigners++ == 0 && parse_signer(&si, sd))
            return -1;
    }
    return 0;
}

/* The signed attributes verification needs, each present at most once with one value. */
struct attrs {
    bool content_type_data;
    int n_content_type, n_digest, n_sc, n_sc2;
    struct crypto_der digest;  /* messageDigest value */
    struct crypto_der sc, sc2; /* SigningCertificate / SigningCertificateV2 element */
};

static int parse_attrs(const struct crypto_der *attrs_tlv, struct attrs *a)
{
    struct crypto_der d = *attrs_tlv, set, attr, oid, vals, val, tlv;
    unsigned tag;
    memset(a, 0, sizeof *a);
    if (crypto_der_expect(&d, 0xa0, &set, NULL))
        return -1;
    while (set.n) {
        if (crypto_der_expect(&set, 0x30, &attr, NULL) ||
            crypto_der_expect(&attr, 0x06, &val, &oid) ||
            crypto_der_expect(&attr, 0x31, &vals, NULL) || attr.n)
            return -1;
        bool ct = der_eq(&oid, OID_CONTENT_TYPE, sizeof OID_CONTENT_TYPE),
             md = der_eq(&oid, OID_MESSAGE_DIGEST, sizeof OID_MESSAGE_DIGEST),
             sc = der_eq(&oid, OID_SIGNING_CERT, sizeof OID_SIGNING_CERT),
             sc2 = der_eq(&oid, OID_SIGNING_CERT_V2, sizeof OID_SIGNING_CERT_V2);
        if (!(ct || md || sc || sc2))
            continue;
        if (crypto_der_next(&vals, &tag, &val, &tlv) || vals.n)
            return -1; /* exactly one value */
        if (ct) {
            a->n_content_type++;
            a->content_type_data = der_eq(&tlv, OID_DATA, sizeof OID_DATA);
        } else if (md) {
            if (tag != 0x04)
                return -1;
            a->n_digest++;
            a->digest = val;
        } else if (sc) {
            a->n_sc++;
            a->sc = tlv;
        } else {
            a->n_sc2++;
            a->sc2 = tlv;
        }
    }
    return 0;
}

/* ---- the verification state ---------------------------------------------------------- */

struct vstate {
    struct crypto_verifier *v;
    struct crypto_verify_result *r;
    struct ubuf js;
    bool first_check;
    bool nomem;
};

static int oid_nid(const struct crypto_der *tlv)
{
    const unsigned char *p = tlv->p;
    ASN1_OBJECT *o = d2i_ASN1_OBJECT(NULL, &p, (long)tlv->n);
    int nid = o ? OBJ_obj2nid(o) : NID_undef;
    ASN1_OBJECT_free(o);
    return nid;
}

static const EVP_MD *digest_of(const struct crypto_verifier *v, int nid)
{
    for (size_t i = 0; i < NDIGESTS; i++)
        if (DIGEST_NIDS[i] == nid)
            return v->md[i];
    return NULL;
}

static bool weak_digest(int nid)
{
    return nid == NID_sha1 || nid == NID_md5 || nid == NID_md4 || nid == NID_md5_sha1;
}

/* JSON string with escaping; UTF-8 passes through. */
static void js_str(struct vstate *s, const char *str)
{
    int e = ubuf_putc(&s->js, '"');
    for (const unsigned char *c = (const unsigned char *)str; !e && *c; c++) {
        if (*c == '"' || *c == '\\')
            e = ubuf_printf(&s->js, "\\%c", *c);
        else if (*c < 0x20)
            e = ubuf_printf(&s->js, "\\u%04x", *c);
        else
            e = ubuf_putc(&s->js, (char)*c);
    }
    if (e || ubuf_putc(&s->js, '"'))
        s->nomem = true;
}

static void js_raw(struct vstate *s, const char *text)
{
    if (ubuf_puts(&s->js, text))
        s->nomem = true;
}

/* Opens a check entry: {"check":"name","ok":true|false — the caller adds fields, then
 * js_end(). */
static void js_check(struct vstate *s, const char *name, bool ok)
{
    js_raw(s, s->first_check ? "{\"check\":" : ",{\"check\":");
    s->first_check = false;
    js_str(s, name);
    js_raw(s, ok ? ",\"ok\":true" : ",\"ok\":false");
}

static void js_field(struct vstate *s, const char *key, const char *val)
{
    js_raw(s, ",\"");
    js_raw(s, key);
    js_raw(s, "\":");
    js_str(s, val);
}

static void js_int(struct vstate *s, const char *key, long long val)
{
    if (ubuf_printf(&s->js, ",\"%s\":%lld", key, val))
        s->nomem = true;
}

static void js_bool(struct vstate *s, const char *key, bool val)
{
    if (ubuf_printf(&s->js, ",\"%s\":%s", key, val ? "true" : "false"))
        s->nomem = true;
}

static void js_end(struct vstate *s)
{
    js_raw(s, "}");
}

/* Records the failure of check `name` with code and an English detail. Returns 0 (a verdict
 * was reached) so that callers can `return fail(...)`. */
__attribute__((format(printf, 4, 5))) static int fail(struct vstate *s, const char *name,
                                                      const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->r->detail, sizeof s->r->detail, fmt, ap);
    va_end(ap);
    s->r->code = code;
    js_check(s, name, false);
    js_field(s, "code", code);
    js_field(s, "detail", s->r->detail);
    js_end(s);
    return 0;
}

static bool names_equal(const struct crypto_der *a, const unsigned char *b, size_t bn)
{
    if (der_eq(a, b, bn))
        return true;
    /* Same name, other encoding (string types, case): OpenSSL's canonical comparison. */
    const unsigned char *pa = a->p, *pb = b;
    X509_NAME *na = d2i_X509_NAME(NULL, &pa, (long)a->n), *nb = d2i_X509_NAME(NULL, &pb, (long)bn);
    bool eq = na && nb && X509_NAME_cmp(na, nb) == 0;
    X509_NAME_free(na);
    X509_NAME_free(nb);
    ERR_clear_error();
    return eq;
}

/* Finds the signer's certificate among the CMS certificates by its identifier. Returns 1 with
 * *out (a cache reference), 0 when none matches, -1 on out-of-memory. */
static int find_signer(struct vstate *s, const struct signed_data *sd, struct crypto_cert **out)
{
    *out = NULL;
    for (size_t i = 0; i < sd->ncerts; i++) {
        struct crypto_der is, se;
        if (sd->sid_tag == 0x30) {
            if (crypto_der_cert_ids(sd->certs[i].p, sd->certs[i].n, &is, &se) ||
                !der_eq(&se, sd->sid_serial.p, sd->sid_serial.n) ||
                !names_equal(&is, sd->sid_issuer.p, sd->sid_issuer.n))
                continue;
        }
        bool nomem;
        struct crypto_cert *c =
            crypto_trust_cert_get(s->v->trust, sd->certs[i].p, sd->certs[i].n, NULL, &nomem);
        if (!c) {
            if (nomem)
                return -1;
            continue;
        }
        if (sd->sid_tag == 0x80) {
            const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(c->x);
            if (!ski || (size_t)ASN1_STRING_length(ski) != sd->sid_ski.n ||
                memcmp(ASN1_STRING_get0_data(ski), sd->sid_ski.p, sd->sid_ski.n)) {
                crypto_trust_cert_put(s->v->trust, c);
                continue;
            }
        }
        *out = c;
        return 1;
    }
    return 0;
}

/* Checks a SigningCertificate (v2 = false: ESSCertID, SHA-1) or SigningCertificateV2 value
 * against the signer's certificate. Returns NULL when it binds it, else why not. */
static const char *ess_check(const struct crypto_verifier *v, const struct crypto_der *val, bool v2,
                             const struct crypto_cert *sc)
{
    struct crypto_der d = *val, outer, certs, id, hash, oid, par, iss, gns, gn, tlv, serial;
    unsigned tag;
    int nid = v2 ? NID_sha256 : NID_sha1;
    if (crypto_der_expect(&d, 0x30, &outer, NULL) || d.n ||
        crypto_der_expect(&outer, 0x30, &certs, NULL) || crypto_der_expect(&certs, 0x30, &id, NULL))
        return "signing-certificate attribute malformed";
    if (v2 && id.n && id.p[0] == 0x30) { /* hashAlgorithm, absent for the SHA-256 default */
        if (alg_id(&id, &oid, &par))
            return "signing-certificate attribute malformed";
        nid = oid_nid(&oid);
        if (weak_digest(nid))
            return "signing-certificate-v2 uses a weak hash";
    }
    if (crypto_der_expect(&id, 0x04, &hash, NULL))
        return "signing-certificate attribute malformed";
    const EVP_MD *md = digest_of(v, nid);
    unsigned char h[CMS_DIGEST_MAX];
    unsigned hl = 0;
    if (!md)
        return "signing-certificate hash algorithm not supported";
    if (nid == NID_sha256) {
        memcpy(h, sc->sha256, 32); /* the cache key is that very hash */
        hl = 32;
    } else if (!EVP_Digest(sc->der, sc->der_len, h, &hl, md, NULL)) {
        return "signing-certificate hash could not be computed";
    }
    if (!der_eq(&hash, h, hl))
        return "signing-certificate attribute names another certificate";
    if (id.n) { /* IssuerSerial: the issuer among the GeneralNames, and the serial */
        if (crypto_der_expect(&id, 0x30, &iss, NULL) || crypto_der_expect(&iss, 0x30, &gns, NULL) ||
            crypto_der_expect(&iss, 0x02, &serial, &tlv))
            return "signing-certificate attribute malformed";
        if (!der_eq(&tlv, sc->serial_tlv, sc->serial_len))
            return "signing-certificate attribute names another serial number";
        bool found = false;
        while (gns.n && !found) {
            if (crypto_der_next(&gns, &tag, &gn, NULL))
                return "signing-certificate attribute malformed";
            struct crypto_der name;
            if (tag == 0xa4 && !crypto_der_next(&gn, &tag, &par, &name) && tag == 0x30)
                found = names_equal(&name, sc->issuer_tlv, sc->issuer_len);
        }
        if (!found)
            return "signing-certificate attribute names another issuer";
    }
    return NULL;
}

/* The key type a signature algorithm needs, or NID_undef when it is not supported; *mdnid
 * gets the digest it implies (NID_undef when the digestAlgorithm decides). */
static int sig_key_type(int signid, int *mdnid)
{
    int pknid = NID_undef;
    *mdnid = NID_undef;
    if (signid == NID_rsaEncryption)
        return EVP_PKEY_RSA;
    if (signid == NID_X9_62_id_ecPublicKey)
        return EVP_PKEY_EC;
    if (signid == NID_rsassaPss || !OBJ_find_sigid_algs(signid, mdnid, &pknid))
        return NID_undef;
    switch (pknid) {
    case NID_rsaEncryption:
        return EVP_PKEY_RSA;
    case NID_X9_62_id_ecPublicKey:
        return EVP_PKEY_EC;
    case NID_ED25519:
        return EVP_PKEY_ED25519;
    case NID_ED448:
        return EVP_PKEY_ED448;
    }
    return NID_undef;
}

static int verify_sig(const struct signed_data *sd, const struct crypto_cert *sc, const EVP_MD *md,
                      bool *ok)
{
    int rc = -1;
    unsigned char *buf = malloc(sd->attrs.n);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    *ok = false;
    if (!buf || !mctx)
        goto out;
    /* The signature covers the attributes' DER with the SET OF tag, not the [0] one. */
    memcpy(buf, sd->attrs.p, sd->attrs.n);
    buf[0] = 0x31;
    EVP_PKEY *pk = X509_get0_pubkey(sc->x);
    bool edwards = sc->key_type == EVP_PKEY_ED25519 || sc->key_type == EVP_PKEY_ED448;
    if (EVP_DigestVerifyInit(mctx, NULL, edwards ? NULL : md, NULL, pk) == 1 &&
        EVP_DigestVerify(mctx, sd->signature.p, sd->signature.n, buf, sd->attrs.n) == 1)
        *ok = true;
    rc = 0;
out:
    ERR_clear_error();
    EVP_MD_CTX_free(mctx);
    free(buf);
    return rc;
}

static bool has_policy(const struct crypto_verifier *v, const char *policies, const char **which)
{
    for (size_t i = 0; i < v->npolicies; i++) {
        size_t n = strlen(v->policies[i]);
        for (const char *p = policies; (p = strstr(p, v->policies[i])); p += n) {
            if ((p == policies || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
                *which = v->policies[i];
                return true;
            }
        }
    }
    return false;
}

static const char *key_desc(const struct crypto_cert *c, char *buf, size_t cap)
{
    const char *t = c->key_type == EVP_PKEY_RSA       ? "RSA"
                    : c->key_type == EVP_PKEY_RSA_PSS ? "RSA-PSS"
                    : c->key_type == EVP_PKEY_EC      ? "EC"
                    : c->key_type == EVP_PKEY_ED25519 ? "Ed25519"
                    : c->key_type == EVP_PKEY_ED448   ? "Ed448"
                                                      : "other";
    snprintf(buf, cap, "%s-%d", t, c->key_bits);
    return buf;
}

/* ---- the steps after the walk ---------------------------------------------------------
 * Each step either passes (STEP_NEXT, its entry written to the checks), reaches a verdict
 * (STEP_VERDICT: fail() wrote the failed entry and r->code), or cannot be carried out
 * (STEP_ERROR: out of memory, a library failure). */

enum step { STEP_ERROR = -1, STEP_VERDICT = 0, STEP_NEXT = 1 };

/* What the steps learn and hand on to the next ones. */
struct vparts {
    const struct signed_data *sd;
    const unsigned char *content;
    size_t contentlen;
    const char *expected_tckn;
    int64_t now;
    struct attrs at;
    int dnid;               /* the digest algorithm named by the signer */
    const EVP_MD *md;       /* ... fetched */
    bool digest_ok;         /* messageDigest is the digest of the application's content */
    struct crypto_cert *sc; /* the signer's certificate (a cache reference) */
    struct crypto_cert *extra[CMS_MAX_CERTS]; /* the CMS certificates fetched for the chain */
    size_t nextra;
};

/* 2: the content signed is the application's: the encapsulated bytes (attached) or the
 * messageDigest (detached). The single signer's attributes are read here because the
 * detached comparison needs them. */
static int step_content(struct vstate *s, struct vparts *p)
{
    const struct signed_data *sd = p->sd;
    struct attrs *at = &p->at;
    if (sd->attached && !der_eq(&sd->econtent, p->content, p->contentlen))
        return fail(s, "content", "content_mismatch",
                    "encapsulated content (%zu bytes) differs from the application content (%zu "
                    "bytes)",
                    sd->econtent.n, p->contentlen);
    if (sd->nsigners != 1)
        return fail(s, "signature", "signature_invalid", "%zu signers; exactly one is expected",
                    sd->nsigners);
    if (!sd->has_attrs || sd->attrs.n > CMS_ATTRS_MAX || parse_attrs(&sd->attrs, at))
        return fail(s, "signature", "signature_invalid",
                    sd->has_attrs ? "signed attributes malformed" : "no signed attributes");
    if (at->n_digest != 1 || at->n_content_type != 1 || at->n_sc > 1 || at->n_sc2 > 1)
        return fail(s, "signature", "signature_invalid",
                    "signed attributes: %d content-type, %d message-digest, %d "
                    "signing-certificate, %d signing-certificate-v2",
                    at->n_content_type, at->n_digest, at->n_sc, at->n_sc2);
    p->dnid = oid_nid(&sd->digest_oid);
    if (!(p->md = digest_of(s->v, p->dnid)))
        return fail(s, "signature", "signature_invalid", "digest algorithm not supported");
    unsigned char dig[CMS_DIGEST_MAX];
    unsigned dlen = 0;
    if (!EVP_Digest(p->content, p->contentlen, dig, &dlen, p->md, NULL))
        return STEP_ERROR;
    p->digest_ok = der_eq(&at->digest, dig, dlen);
    if (!sd->attached && !p->digest_ok)
        return fail(s, "content", "content_mismatch",
                    "message digest differs from the %s of the application content",
                    OBJ_nid2sn(p->dnid));
    js_check(s, "content", true);
    js_field(s, "form", sd->attached ? "attached" : "detached");
    js_int(s, "bytes", (long long)p->contentlen);
    js_end(s);
    return STEP_NEXT;
}

/* 3a: the signer's certificate among the CMS certificates; from here on the result names
 * the signer, whatever the verdict. */
static int step_signer(struct vstate *s, struct vparts *p)
{
    struct crypto_verify_result *r = s->r;
    int rf = find_signer(s, p->sd, &p->sc);
    if (rf < 0)
        return STEP_ERROR;
    if (rf == 0)
        return fail(s, "signature", "signature_invalid", "signer certificate not in the CMS");
    if (!p->sc->info_ok)
        return fail(s, "signature", "malformed", "signer certificate fields cannot be read");
    r->have_signer = true;
    r->signer = p->sc->info;
    if (!(r->signer_der = malloc(p->sc->der_len)))
        return STEP_ERROR;
    memcpy(r->signer_der, p->sc->der, p->sc->der_len);
    r->signer_der_len = p->sc->der_len;
    return STEP_NEXT;
}

/* 3b: no weak digest, key or certificate signature, and a signature algorithm that fits
 * both the digest and the signer's key. */
static int step_algorithms(struct vstate *s, struct vparts *p)
{
    const struct crypto_cert *sc = p->sc;
    char kbuf[32];
    if (weak_digest(p->dnid))
        return fail(s, "signature", "signature_invalid", "weak digest algorithm %s",
                    OBJ_nid2sn(p->dnid));
    if (!sc->key_strong)
        return fail(s, "signature", "signature_invalid", "weak signer key %s",
                    key_desc(sc, kbuf, sizeof kbuf));
    if (sc->sig_weak)
        return fail(s, "signature", "signature_invalid",
                    "signer certificate is signed with a weak algorithm");
    int smd = NID_undef, signid = oid_nid(&p->sd->sigalg_oid), ktype = sig_key_type(signid, &smd);
    if (ktype == NID_undef || (smd != NID_undef && smd != p->dnid) || weak_digest(smd))
        return fail(s, "signature", "signature_invalid",
                    "signature algorithm %s not supported here",
                    signid == NID_undef ? "(unknown)" : OBJ_nid2sn(signid));
    if (ktype != sc->key_type)
        return fail(s, "signature", "signature_invalid",
                    "signature algorithm does not fit the signer key");
    return STEP_NEXT;
}

/* 3c: the signed attributes: content type id-data, a signing-certificate attribute that binds
 * the signer's certificate, and (attached) the digest of the encapsulated content. */
static int step_signed_attrs(struct vstate *s, struct vparts *p)
{
    const struct attrs *at = &p->at;
    const char *why = NULL;
    if (!at->content_type_data)
        return fail(s, "signature", "signature_invalid", "content-type attribute is not id-data");
    if (!at->n_sc && !at->n_sc2)
        return fail(s, "signature", "signature_invalid", "no signing-certificate attribute");
    if ((at->n_sc2 && (why = ess_check(s->v, &at->sc2, true, p->sc))) ||
        (at->n_sc && (why = ess_check(s->v, &at->sc, false, p->sc))))
        return fail(s, "signature", "signature_invalid", "%s", why);
    if (!p->digest_ok) /* attached content that is not what the signer's digest says */
        return fail(s, "signature", "signature_invalid",
                    "message digest does not match the encapsulated content");
    return STEP_NEXT;
}

/* 3d: the signature over the signed attributes. */
static int step_signature(struct vstate *s, struct vparts *p)
{
    char kbuf[32];
    bool sig_ok;
    if (verify_sig(p->sd, p->sc, p->md, &sig_ok))
        return STEP_ERROR;
    if (!sig_ok)
        return fail(s, "signature", "signature_invalid",
                    "signature over the signed attributes does not verify");
    js_check(s, "signature", true);
    js_field(s, "digest", OBJ_nid2sn(p->dnid));
    js_field(s, "key", key_desc(p->sc, kbuf, sizeof kbuf));
    js_field(s, "signing_certificate", p->at.n_sc2 ? (p->at.n_sc ? "v1+v2" : "v2") : "v1");
    js_end(s);
    return STEP_NEXT;
}

/* 4: the chain to a trust anchor (built once per signer certificate; the CMS certificates are
 * fetched as intermediates only when it is not known yet), its CA certificates valid now. */
static int step_chain(struct vstate *s, struct vparts *p)
{
    struct crypto_verifier *v = s->v;
    const struct crypto_cert *sc = p->sc;
    X509 *untrusted[CMS_MAX_CERTS];
    bool cached = false;
    int verr = 0;
    bool known = crypto_trust_has_chain(v->trust, p->sc);
    for (size_t i = 0; !known && i < p->sd->ncerts; i++) {
        bool nomem;
        struct crypto_cert *c =
            crypto_trust_cert_get(v->trust, p->sd->certs[i].p, p->sd->certs[i].n, NULL, &nomem);
        if (!c && nomem)
            return STEP_ERROR;
        if (c) {
            p->extra[p->nextra] = c;
            untrusted[p->nextra++] = c->x;
        }
    }
    int cr = crypto_trust_chain(v->trust, p->sc, untrusted, p->nextra, &cached, &verr);
    if (cr < 0)
        return STEP_ERROR;
    if (cr == 0) {
        bool weak = verr == X509_V_ERR_CA_KEY_TOO_SMALL || verr == X509_V_ERR_EE_KEY_TOO_SMALL ||
                    verr == X509_V_ERR_CA_MD_TOO_WEAK;
        return fail(s, "chain", weak ? "signature_invalid" : "chain_untrusted", "%s%s",
                    weak ? "weak algorithm in the chain: " : "",
                    X509_verify_cert_error_string(verr));
    }
    if (p->now < sc->ca_not_before || p->now > sc->ca_not_after)
        return fail(s, "chain", "chain_untrusted", "a CA certificate of the chain is %s",
                    p->now < sc->ca_not_before ? "not valid yet" : "expired");
    js_check(s, "chain", true);
    js_int(s, "length", sk_X509_num(sc->chain));
    js_field(s, "anchor", sc->anchor);
    js_bool(s, "cached", cached);
    js_end(s);
    return STEP_NEXT;
}

/* 5: the signer's certificate is valid now. */
static int step_validity(struct vstate *s, struct vparts *p)
{
    const struct core_certificate *info = &p->sc->info;
    if (p->now < info->not_before)
        return fail(s, "validity", "certificate_not_yet_valid", "valid from %lld, now %lld",
                    (long long)info->not_before, (long long)p->now);
    if (p->now > info->not_after)
        return fail(s, "validity", "certificate_expired", "expired at %lld, now %lld",
                    (long long)info->not_after, (long long)p->now);
    js_check(s, "validity", true);
    js_int(s, "not_before", info->not_before);
    js_int(s, "not_after", info->not_after);
    js_end(s);
    return STEP_NEXT;
}

/* 6: the qualified-certificate profile: an accepted policy and both QC statements. */
static int step_qualified(struct vstate *s, struct vparts *p)
{
    const struct crypto_cert *sc = p->sc;
    const char *policy = NULL;
    if (!has_policy(s->v, sc->info.policies, &policy))
        return fail(s, "qualified", "not_qualified", "no accepted certificate policy");
    if (!sc->qc_etsi || !sc->qc_tr)
        return fail(s, "qualified", "not_qualified", "QC statement %s missing",
                    !sc->qc_etsi ? "0.4.0.1862.1.1" : "2.16.792.1.61.0.1.5070.1.1");
    js_check(s, "qualified", true);
    js_field(s, "policy", policy);
    js_end(s);
    return STEP_NEXT;
}

/* 7: key usage allows non-repudiation. */
static int step_key_usage(struct vstate *s, struct vparts *p)
{
    if (!p->sc->nonrep)
        return fail(s, "key_usage", "key_usage",
                    p->sc->ku_present ? "key usage lacks nonRepudiation"
                                      : "no key usage extension");
    js_check(s, "key_usage", true);
    js_end(s);
    return STEP_NEXT;
}

/* 8: the applicant's T.C. Kimlik No (never written out). */
static int step_tckn(struct vstate *s, struct vparts *p)
{
    const char *tckn = p->sc->info.tckn;
    if (!p->expected_tckn || !tckn[0] || strcmp(p->expected_tckn, tckn))
        return fail(s, "tckn", "tckn_mismatch",
                    tckn[0] ? "subject serialNumber is another T.C. Kimlik No"
                            : "subject has no T.C. Kimlik No");
    js_check(s, "tckn", true);
    js_end(s);
    return STEP_NEXT;
}

/* 9: revocation (OCSP from the AIA, else the CRL). The OCSP response goes to the result
 * whatever the verdict, as evidence. */
static int step_revocation(struct vstate *s, struct vparts *p)
{
    const struct crypto_cert *sc = p->sc;
    struct crypto_revoc_answer ans = {0};
    int st = STEP_ERROR;
    X509 *issuer = sk_X509_num(sc->chain) > 1 ? sk_X509_value(sc->chain, 1) : sc->x;
    if (crypto_revoc_check(s->v->revoc, sc->x, sc->sha256, issuer, p->now, &ans))
        goto out;
    if (ans.status == CRYPTO_REVOC_REVOKED) {
        st = fail(s, "revocation", "certificate_revoked", "revoked at %lld (%s, %s)",
                  (long long)ans.revoked_at, ans.source, ans.url);
    } else if (ans.status == CRYPTO_REVOC_UNKNOWN && !s->v->allow_unknown) {
        st = fail(s, "revocation", "revocation_unknown", "%s", ans.detail);
    } else {
        js_check(s, "revocation", true);
        js_field(s, "status", ans.status == CRYPTO_REVOC_GOOD ? "good" : "unknown");
        js_field(s, "source", ans.source);
        if (ans.url[0])
            js_field(s, "url", ans.url);
        js_bool(s, "cached", ans.cached);
        js_int(s, "this_update", ans.this_update);
        js_int(s, "next_update", ans.next_update);
        if (ans.detail[0])
            js_field(s, "notes", ans.detail);
        js_end(s);
        st = STEP_NEXT;
    }
    s->r->ocsp_der = ans.ocsp_der;
    s->r->ocsp_len = ans.ocsp_len;
    ans.ocsp_der = NULL;
out:
    crypto_revoc_answer_free(&ans);
    return st;
}

/* Steps 2 to 9 once the CMS is walked, in this order; the first that does not pass ends the
 * verification. Returns 0 with r->code set (NULL: accepted), or -1. */
static int verify_parts(struct vstate *s, const struct signed_data *sd,
                        const unsigned char *content, size_t contentlen, const char *expected_tckn,
                        int64_t now)
{
    static int (*const steps[])(struct vstate *, struct vparts *) = {
        step_content,   step_signer, step_algorithms, step_signed_attrs,
        step_signature, step_chain,  step_validity,   step_qualified,
        step_key_usage, step_tckn,   step_revocation,
    };
    struct vparts p = {.sd = sd,
                       .content = content,
                       .contentlen = contentlen,
                       .expected_tckn = expected_tckn,
                       .now = now};
    int st = STEP_NEXT;
    for (size_t i = 0; st == STEP_NEXT && i < sizeof steps / sizeof steps[0]; i++)
        st = steps[i](s, &p);
    if (st == STEP_NEXT)
        s->r->code = NULL; /* every step passed: accepted */
    for (size_t i = 0; i < p.nextra; i++)
        crypto_trust_cert_put(s->v->trust, p.extra[i]);
    crypto_trust_cert_put(s->v->trust, p.sc);
    return st == STEP_ERROR ? -1 : 0;
}

int crypto_verify_cades(struct crypto_verifier *v, const unsigned char *cms, size_t cmslen,
                        const unsigned char *content, size_t contentlen, const char *expected_tckn,
                        int64_t now, struct crypto_verify_result *r)
{
    int rc = -1;
    struct vstate s = {.v = v, .r = r, .first_check = true};
    struct signed_data *sd = malloc(sizeof *sd);
    unsigned char *reenc = NULL;
    CMS_ContentInfo *ci = NULL;
    bool reencoded = false;
    memset(r, 0, sizeof *r);
    ubuf_init(&s.js, CMS_JSON_MAX);
    if (!sd)
        goto out;
    if (!content)
        contentlen = 0;
    js_raw(&s, "{\"checks\":[");

    /* 1: parse. DER is walked directly; anything else that OpenSSL reads as a CMS (BER with
     * indefinite lengths, say) is turned into DER by it first. */
    if (!cms || parse_cms(cms, cmslen, sd)) {
        const unsigned char *p = cms;
        int n;
        if (cms && cmslen && cmslen <= LONG_MAX &&
            (ci = d2i_CMS_ContentInfo(NULL, &p, (long)cmslen)) && p == cms + cmslen &&
            (n = i2d_CMS_ContentInfo(ci, &reenc)) > 0 && !parse_cms(reenc, (size_t)n, sd)) {
            reencoded = true;
        } else {
            ERR_clear_error();
            rc = fail(&s, "parse", "malformed", "not a CMS SignedData over id-data");
            goto verdict;
        }
    }
    js_check(&s, "parse", true);
    js_int(&s, "certificates", (long long)sd->ncerts);
    js_bool(&s, "reencoded", reencoded);
    js_end(&s);

    if ((rc = verify_parts(&s, sd, content ? content : (const unsigned char *)"", contentlen,
                           expected_tckn, now)))
        goto out;
verdict:
    js_raw(&s, "],\"result\":");
    js_str(&s, r->code ? r->code : "accepted");
    if (r->have_signer) {
        js_raw(&s, ",\"signer\":{\"fingerprint\":");
        js_str(&s, r->signer.fingerprint);
        js_raw(&s, ",\"serial\":");
        js_str(&s, r->signer.serial);
        js_raw(&s, ",\"issuer\":");
        js_str(&s, r->signer.issuer);
        js_raw(&s, "}");
    }
    js_raw(&s, "}");
    if (s.nomem)
        goto out;
    r->checks_json = ubuf_steal(&s.js);
    rc = 0;
out:
    if (rc) {
        snprintf(r->detail, sizeof r->detail, "out of memory during verification");
        r->code = NULL;
    }
    ERR_clear_error();
    CMS_ContentInfo_free(ci);
    OPENSSL_free(reenc);
    ubuf_free(&s.js);
    free(sd);
    return rc;
}
