/* eimza — X.509 certificates and CRLs over OpenSSL 3. See x509.h.
 *
 * OpenSSL objects never leave this file: callers get core_certificate and plain strings. The
 * PEM walk splits the text into BEGIN/END blocks itself instead of letting PEM_read_bio skip
 * what it does not want, so that every block is accounted for (a private key or a broken
 * block in a certificate file is reported, not silently passed over) and a bad block does
 * not stop the blocks after it.
 */
#include "crypto/x509.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/hash.h"
#include "crypto/trust.h" /* crypto_asn1_time_unix */

#define X509_LABEL_MAX 64

const char *crypto_x509_strerror(enum crypto_x509_err e)
{
    switch (e) {
    case CRYPTO_X509_OK:
        return "ok";
    case CRYPTO_X509_NOT_CERT:
        return "not a certificate or CRL";
    case CRYPTO_X509_MALFORMED:
        return "malformed certificate or CRL";
    case CRYPTO_X509_TOO_LONG:
        return "a name or the policy list is too long";
    case CRYPTO_X509_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

/* ---- fields ---------------------------------------------------------------------------- */

/* A DN as RFC 2253 text with UTF-8 kept (escaping of ,+"\<>; and control characters stays). */
static enum crypto_x509_err name_to_text(const X509_NAME *name, char *out, size_t cap)
{
    enum crypto_x509_err rc = CRYPTO_X509_NOMEM;
    BIO *bio = BIO_new(BIO_s_mem());
    char *p = NULL;
    if (!bio)
        goto out;
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
        rc = CRYPTO_X509_MALFORMED;
        goto out;
    }
    long len = BIO_get_mem_data(bio, &p);
    if (len < 0 || (size_t)len >= cap) {
        rc = CRYPTO_X509_TOO_LONG;
        goto out;
    }
    if (len > 0)
        memcpy(out, p, (size_t)len);
    out[len] = '\0';
    rc = CRYPTO_X509_OK;
out:
    BIO_free(bio);
    return rc;
}

/* Copies UTF-8 text into out, cut at a character boundary if it does not fit. */
static void copy_utf8(const unsigned char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && (s[n] & 0xC0) == 0x80) /* s[n] continues a character: back up */
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* The subject's commonName (the first one) as UTF-8; "" when there is none. */
static enum crypto_x509_err subject_cn(const X509_NAME *name, char *out, size_t cap)
{
    out[0] = '\0';
    int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (i < 0)
        return CRYPTO_X509_OK;
    unsigned char *utf8 = NULL;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
    if (n < 0)
        return CRYPTO_X509_MALFORMED;
    copy_utf8(utf8, (size_t)n, out, cap);
    OPENSSL_free(utf8);
    return CRYPTO_X509_OK;
}

/* The first subject serialNumber that holds a valid T.C. Kimlik No; "" when none does. */
static enum crypto_x509_err subject_tckn(const X509_NAME *name, char out[CORE_TCKN_LEN + 1])
{
    out[0] = '\0';
    for (int i = -1; (i = X509_NAME_get_index_by_NID(name, NID_serialNumber, i)) >= 0;) {
        unsigned char *utf8 = NULL;
        int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
        if (n < 0)
            return CRYPTO_X509_MALFORMED;
        enum core_tckn_err e = core_tckn_from_serial((const char *)utf8, (size_t)n, out);
        OPENSSL_free(utf8);
        if (e == CORE_TCKN_OK)
            return CRYPTO_X509_OK;
    }
    out[0] = '\0';
    return CRYPTO_X509_OK;
}

/* A serial number as upper-case hex without leading zero bytes (BN_bn2hex), the form in
 * which certificates and CRL entries are matched. */
static enum crypto_x509_err serial_to_hex(const ASN1_INTEGER *serial, char out[CORE_SERIAL_MAX])
{
    enum crypto_x509_err rc = CRYPTO_X509_MALFORMED;
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    char *hex = NULL;
    if (!bn)
        goto out;
    rc = CRYPTO_X509_NOMEM;
    if (!(hex = BN_bn2hex(bn)))
        goto out;
    size_t n = strlen(hex);
    if (n >= CORE_SERIAL_MAX) {
        rc = CRYPTO_X509_TOO_LONG;
        goto out;
    }
    memcpy(out, hex, n + 1);
    rc = CRYPTO_X509_OK;
out:
    OPENSSL_free(hex);
    BN_free(bn);
    return rc;
}

/* The certificate policy OIDs, dotted, separated by single spaces; "" without the extension. */
static enum crypto_x509_err policies_text(X509 *x, char *out, size_t cap)
{
    int crit = -1;
    out[0] = '\0';
    CERTIFICATEPOLICIES *pols = X509_get_ext_d2i(x, NID_certificate_policies, &crit, NULL);
    if (!pols)
        return crit == -1 ? CRYPTO_X509_OK : CRYPTO_X509_MALFORMED; /* -2: twice; >=0: bad */
    enum crypto_x509_err rc = CRYPTO_X509_OK;
    size_t len = 0;
    for (int i = 0; i < sk_POLICYINFO_num(pols); i++) {
        char oid[128];
        const POLICYINFO *pi = sk_POLICYINFO_value(pols, i);
        int n = OBJ_obj2txt(oid, sizeof oid, pi->policyid, 1);
        if (n <= 0 || (size_t)n >= sizeof oid) {
            rc = CRYPTO_X509_MALFORMED;
            break;
        }
        if (len + (len ? 1 : 0) + (size_t)n >= cap) {
            rc = CRYPTO_X509_TOO_LONG;
            break;
        }
        if (len)
            out[len++] = ' ';
        memcpy(out + len, oid, (size_t)n + 1);
        len += (size_t)n;
    }
    CERTIFICATEPOLICIES_free(pols);
    if (rc != CRYPTO_X509_OK)
        out[0] = '\0';
    return rc;
}

/* Fills out from a decoded certificate whose encoding is der[0..n). */
static enum crypto_x509_err fill_certificate(X509 *x, const unsigned char *der, size_t n,
                                             struct core_certificate *out)
{
    enum crypto_x509_err rc;
    memset(out, 0, sizeof *out);
    /* Decoding the extensions sets EXFLAG_INVALID for broken or repeated ones. */
    if (X509_get_extension_flags(x) & EXFLAG_INVALID) {
        rc = CRYPTO_X509_MALFORMED;
        goto out;
    }
    if (crypto_sha256_hex(der, n, out->fingerprint)) {
        rc = CRYPTO_X509_NOMEM;
        goto out;
    }
    const X509_NAME *subject = X509_get_subject_name(x);
    if ((rc = subject_tckn(subject, out->tckn)) != CRYPTO_X509_OK ||
        (rc = subject_cn(subject, out->subject_name, sizeof out->subject_name)) != CRYPTO_X509_OK ||
        (rc = name_to_text(subject, out->subject, sizeof out->subject)) != CRYPTO_X509_OK ||
        (rc = name_to_text(X509_get_issuer_name(x), out->issuer, sizeof out->issuer)) !=
            CRYPTO_X509_OK ||
        (rc = serial_to_hex(X509_get0_serialNumber(x), out->serial)) != CRYPTO_X509_OK ||
        (rc = policies_text(x, out->policies, sizeof out->policies)) != CRYPTO_X509_OK)
        goto out;
    if (crypto_asn1_time_unix(X509_get0_notBefore(x), &out->not_before) ||
        crypto_asn1_time_unix(X509_get0_notAfter(x), &out->not_after)) {
        rc = CRYPTO_X509_MALFORMED;
        goto out;
    }
    rc = CRYPTO_X509_OK;
out:
    if (rc != CRYPTO_X509_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

enum crypto_x509_err crypto_x509_parse_der(const unsigned char *der, size_t n,
                                           struct core_certificate *out)
{
    const unsigned char *p = der;
    memset(out, 0, sizeof *out);
    if (!der || n == 0 || n > LONG_MAX)
        return CRYPTO_X509_MALFORMED;
    X509 *x = d2i_X509(NULL, &p, (long)n);
    if (!x || p != der + n) {
        X509_free(x);
        ERR_clear_error();
        return CRYPTO_X509_MALFORMED;
    }
    enum crypto_x509_err rc = fill_certificate(x, der, n, out);
    X509_free(x);
    ERR_clear_error();
    return rc;
}

/* ---- the walk over a file ----------------------------------------------------------------- */

struct crypto_objiter {
    const unsigned char *data;
    size_t n;
    size_t pos;
    bool pem;             /* the data holds PEM blocks */
    bool done;            /* nothing more can be read */
    unsigned index;       /* objects handed out or refused so far */
    unsigned char *block; /* DER decoded from the current PEM block (OPENSSL_malloc) */
    X509_CRL *crl;        /* the current CRL, for its entries */
    char detail[192];
};

enum crypto_x509_err crypto_objiter_new(const unsigned char *data, size_t n,
                                        struct crypto_objiter **out)
{
    struct crypto_objiter *it = calloc(1, sizeof *it);
    *out = NULL;
    if (!it)
        return CRYPTO_X509_NOMEM;
    it->data = data;
    it->n = data ? n : 0;
    /* DER always starts with a SEQUENCE tag; PEM is text, with or without notes before the
     * first block. */
    it->pem = it->n > 0 && data[0] != 0x30 && memmem(data, n, "-----BEGIN ", 11) != NULL;
    *out = it;
    return CRYPTO_X509_OK;
}

static void iter_release_current(struct crypto_objiter *it)
{
    OPENSSL_free(it->block);
    it->block = NULL;
    X509_CRL_free(it->crl);
    it->crl = NULL;
}

void crypto_objiter_free(struct crypto_objiter *it)
{
    if (!it)
        return;
    iter_release_current(it);
    free(it);
}

const char *crypto_objiter_detail(const struct crypto_objiter *it)
{
    return it->detail;
}

/* Sets the description of a refused object and returns CRYPTO_ITER_BAD. */
__attribute__((format(printf, 4, 5))) static enum crypto_iter_status
iter_bad(struct crypto_objiter *it, enum crypto_x509_err e, enum crypto_x509_err *why,
         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof it->detail, fmt, ap);
    va_end(ap);
    *why = e;
    if (e == CRYPTO_X509_NOMEM)
        it->done = true;
    ERR_clear_error();
    return CRYPTO_ITER_BAD;
}

/* Fills obj from the CRL in der[0..n) and keeps the CRL for its entries. */
static enum crypto_iter_status take_crl(struct crypto_objiter *it, X509_CRL *crl,
                                        struct crypto_obj *obj, enum crypto_x509_err *why)
{
    enum crypto_x509_err e;
    it->crl = crl;
    obj->kind = CRYPTO_OBJ_CRL;
    if ((e = name_to_text(X509_CRL_get_issuer(crl), obj->crl_issuer, sizeof obj->crl_issuer)))
        return iter_bad(it, e, why, "CRL issuer: %s", crypto_x509_strerror(e));
    if (crypto_asn1_time_unix(X509_CRL_get0_lastUpdate(crl), &obj->crl_this_update))
        return iter_bad(it, CRYPTO_X509_MALFORMED, why, "CRL thisUpdate is not a valid time");
    const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
    if (next && crypto_asn1_time_unix(next, &obj->crl_next_update))
        return iter_bad(it, CRYPTO_X509_MALFORMED, why, "CRL nextUpdate is not a valid time");
    STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(crl);
    obj->crl_count = revoked ? (size_t)sk_X509_REVOKED_num(revoked) : 0;
    return CRYPTO_ITER_OBJ;
}

/* Decodes der[0..n) as what label says ("CERTIFICATE", "X509 CRL" ...; NULL for DER input,
 * which is tried as a certificate and then as a CRL). */
static enum crypto_iter_status take_der(struct crypto_objiter *it, const char *label,
                                        const unsigned char *der, size_t n, struct crypto_obj *obj,
                                        enum crypto_x509_err *why)
{
    bool want_cert = !label || !strcmp(label, "CERTIFICATE") ||
                     !strcmp(label, "X509 CERTIFICATE") || !strcmp(label, "TRUSTED CERTIFICATE");
    bool want_crl = !label || !strcmp(label, "X509 CRL");
    const unsigned char *p = der;
    obj->der = der;
    obj->der_len = n;
    if (n > LONG_MAX)
        return iter_bad(it, CRYPTO_X509_MALFORMED, why, "object too large");
    if (want_cert) {
        X509 *x = d2i_X509(NULL, &p, (long)n);
        /* A TRUSTED CERTIFICATE block carries OpenSSL's trust settings after the certificate. */
        if (x && (p == der + n || (label && !strcmp(label, "TRUSTED CERTIFICATE")))) {
            obj->der_len = (size_t)(p - der);
            enum crypto_x509_err e = fill_certificate(x, der, obj->der_len, &obj->cert);
            obj->kind = CRYPTO_OBJ_CERT;
            obj->is_ca = e == CRYPTO_X509_OK && X509_check_ca(x) != 0;
            X509_free(x);
            ERR_clear_error();
            if (e != CRYPTO_X509_OK)
                return iter_bad(it, e, why, "certificate: %s", crypto_x509_strerror(e));
            return CRYPTO_ITER_OBJ;
        }
        X509_free(x);
        ERR_clear_error();
        p = der;
    }
    if (want_crl) {
        X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)n);
        if (crl && p == der + n)
            return take_crl(it, crl, obj, why);
        X509_CRL_free(crl);
    }
    if (!label)
        return iter_bad(it, CRYPTO_X509_MALFORMED, why,
                        "DER object is neither an X.509 certificate nor a CRL");
    return iter_bad(it, CRYPTO_X509_MALFORMED, why, "PEM block \"%s\" does not decode as one",
                    label);
}

/* The next PEM block: finds BEGIN/END itself, then lets OpenSSL decode the base64. */
static enum crypto_iter_status next_pem(struct crypto_objiter *it, struct crypto_obj *obj,
                                        enum crypto_x509_err *why)
{
    static const char begin[] = "-----BEGIN ";
    const unsigned char *end = it->data + it->n;
    const unsigned char *b = memmem(it->data + it->pos, it->n - it->pos, begin, sizeof begin - 1);
    if (!b) {
        it->done = true;
        return CRYPTO_ITER_END;
    }
    obj->index = ++it->index;
    const unsigned char *lab = b + sizeof begin - 1;
    const unsigned char *dashes = memmem(lab, (size_t)(end - lab), "-----", 5);
    const unsigned char *eol = memchr(lab, '\n', (size_t)(end - lab));
    if (!dashes || (eol && eol < dashes) || dashes - lab > X509_LABEL_MAX) {
        it->done = true;
        return iter_bad(it, CRYPTO_X509_MALFORMED, why, "a PEM BEGIN line is broken");
    }
    char label[X509_LABEL_MAX + 1];
    memcpy(label, lab, (size_t)(dashes - lab));
    label[dashes - lab] = '\0';

    char endmark[X509_LABEL_MAX + 16];
    int em = snprintf(endmark, sizeof endmark, "-----END %s-----", label);
    const unsigned char *e = memmem(dashes, (size_t)(end - dashes), endmark, (size_t)em);
    if (!e) {
        it->done = true;
        return iter_bad(it, CRYPTO_X509_MALFORMED, why, "PEM block \"%s\" has no END line", label);
    }
    const unsigned char *stop = e + em;
    it->pos = (size_t)(stop - it->data);
    if (strcmp(label, "CERTIFICATE") && strcmp(label, "X509 CERTIFICATE") &&
        strcmp(label, "TRUSTED CERTIFICATE") && strcmp(label, "X509 CRL"))
        return iter_bad(it, CRYPTO_X509_NOT_CERT, why,
                        "PEM block \"%s\" is not a certificate or CRL", label);

    enum crypto_iter_status st;
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long len = 0;
    BIO *bio = BIO_new_mem_buf(b, (int)(stop - b));
    if (!bio || (stop - b) > INT_MAX) {
        st = iter_bad(it, CRYPTO_X509_NOMEM, why, "out of memory");
        goto out;
    }
    if (!PEM_read_bio(bio, &name, &header, &der, &len) || len <= 0) {
        st =
            iter_bad(it, CRYPTO_X509_MALFORMED, why, "PEM block \"%s\" is not valid base64", label);
        goto out;
    }
    it->block = der;
    der = NULL;
    st = take_der(it, label, it->block, (size_t)len, obj, why);
out:
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    BIO_free(bio);
    return st;
}

/* The next DER object: one TLV SEQUENCE after the other. */
static enum crypto_iter_status next_der(struct crypto_objiter *it, struct crypto_obj *obj,
                                        enum crypto_x509_err *why)
{
    if (it->pos == it->n) {
        it->done = true;
        if (it->index > 0)
            return CRYPTO_ITER_END;
        obj->index = ++it->index;
        return iter_bad(it, CRYPTO_X509_NOT_CERT, why, "the file is empty");
    }
    obj->index = ++it->index;
    const unsigned char *start = it->data + it->pos, *p = start;
    long len = 0;
    int tag = 0, cls = 0;
    size_t left = it->n - it->pos;
    int r = ASN1_get_object(&p, &len, &tag, &cls, left > LONG_MAX ? LONG_MAX : (long)left);
    if (start[0] != 0x30 || (r & 0x80) || (r & 0x01) || tag != V_ASN1_SEQUENCE) {
        it->done = true;
        if (it->index == 1)
            return iter_bad(it, CRYPTO_X509_NOT_CERT, why,
                            "neither PEM nor DER: no certificate or CRL in the file");
        return iter_bad(it, CRYPTO_X509_NOT_CERT, why,
                        "%zu bytes after the last object are not a certificate or CRL", left);
    }
    size_t total = (size_t)(p - start) + (size_t)len;
    it->pos += total;
    enum crypto_iter_status st = take_der(it, NULL, start, total, obj, why);
    if (st == CRYPTO_ITER_BAD)
        it->done = true; /* the bytes after a broken object cannot be trusted to be aligned */
    return st;
}

enum crypto_iter_status crypto_objiter_next(struct crypto_objiter *it, struct crypto_obj *obj,
                                            enum crypto_x509_err *why)
{
    enum crypto_x509_err dummy;
    if (!why)
        why = &dummy;
    *why = CRYPTO_X509_OK;
    iter_release_current(it);
    it->detail[0] = '\0';
    memset(obj, 0, sizeof *obj);
    if (it->done)
        return CRYPTO_ITER_END;
    return it->pem ? next_pem(it, obj, why) : next_der(it, obj, why);
}

enum crypto_x509_err crypto_objiter_crl_entry(const struct crypto_objiter *it, size_t i,
                                              struct crypto_crl_entry *out)
{
    memset(out, 0, sizeof *out);
    STACK_OF(X509_REVOKED) *revoked = it->crl ? X509_CRL_get_REVOKED(it->crl) : NULL;
    if (!revoked || i >= (size_t)sk_X509_REVOKED_num(revoked))
        return CRYPTO_X509_MALFORMED;
    const X509_REVOKED *r = sk_X509_REVOKED_value(revoked, (int)i);
    enum crypto_x509_err e = serial_to_hex(X509_REVOKED_get0_serialNumber(r), out->serial);
    if (e != CRYPTO_X509_OK)
        return e;
    if (crypto_asn1_time_unix(X509_REVOKED_get0_revocationDate(r), &out->revoked_at))
        return CRYPTO_X509_MALFORMED;
    return CRYPTO_X509_OK;
}
