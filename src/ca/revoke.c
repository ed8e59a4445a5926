/* eimza — revocation answers of the in-house CA (ca/): a v2 CRL of what the registry lists
 * as revoked, signed with the CA's key, and OCSP responses (RFC 6960) to DER requests, signed
 * by a delegated responder (responder.c) whose certificate goes with every response.
 *
 * The registry is the caller's (the store keeps which serials were issued and revoked); this
 * file only asks it and encodes. An OCSP request is read whole before anything is asked: its
 * size, its DER (nothing after it) and the number of certificates are bounded, and a request
 * about another issuer is answered "unknown" for that certificate, never with our status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "ca/ca_int.h"

/* Upper-case hex of at most CA_SERIAL_MAX-1 digits, no sign, as an INTEGER. NULL if not. */
static ASN1_INTEGER *ca_serial_from_hex(const char *hex)
{
    size_t n = hex ? strnlen(hex, CA_SERIAL_MAX) : 0;
    BIGNUM *bn = NULL;
    ASN1_INTEGER *ai = NULL;
    if (n == 0 || n >= CA_SERIAL_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'A' && hex[i] <= 'F')))
            return NULL;
    if (BN_hex2bn(&bn, hex) == (int)n)
        ai = BN_to_ASN1_INTEGER(bn, NULL);
    BN_free(bn);
    return ai;
}

static bool ca_reason_ok(int r)
{
    return r >= 0 && r <= 10 && r != 7;
}

/* Copies an OpenSSL-allocated DER into a malloc'ed buffer for the caller. */
static int ca_der_out(unsigned char *d, int n, unsigned char **der, size_t *len)
{
    if (n <= 0 || !d)
        return -1;
    if (!(*der = malloc((size_t)n)))
        return -1;
    memcpy(*der, d, (size_t)n);
    *len = (size_t)n;
    return 0;
}

/* ---- CRL ------------------------------------------------------------------------------ */

struct ca_crl_fill {
    X509_CRL *crl;
    enum ca_err err;
    char detail[128];
};

static int ca_crl_add(void *arg, const char *serial, int64_t revoked_at, int reason)
{
    struct ca_crl_fill *f = arg;
    X509_REVOKED *rv = NULL;
    ASN1_INTEGER *ai = ca_serial_from_hex(serial);
    ASN1_TIME *t = NULL;
    ASN1_ENUMERATED *re = NULL;
    if (!ai || revoked_at <= 0 || !ca_reason_ok(reason)) {
        f->err = CA_E_REGISTRY;
        snprintf(f->detail, sizeof f->detail, "the registry listed a malformed revocation");
        goto fail;
    }
    f->err = CA_E_NOMEM;
    if (!(rv = X509_REVOKED_new()) || !(t = ASN1_TIME_set(NULL, (time_t)revoked_at)) ||
        !X509_REVOKED_set_serialNumber(rv, ai) || !X509_REVOKED_set_revocationDate(rv, t))
        goto fail;
    if (reason != 0 && (!(re = ASN1_ENUMERATED_new()) || !ASN1_ENUMERATED_set(re, reason) ||
                        !X509_REVOKED_add1_ext_i2d(rv, NID_crl_reason, re, 0, 0)))
        goto fail;
    if (!X509_CRL_add0_revoked(f->crl, rv))
        goto fail;
    rv = NULL;
    f->err = CA_OK;
fail:
    X509_REVOKED_free(rv);
    ASN1_INTEGER_free(ai);
    ASN1_TIME_free(t);
    ASN1_ENUMERATED_free(re);
    return f->err == CA_OK ? 0 : -1;
}

enum ca_err ca__crl_make(const struct ca__profile *p, X509 *issuer, EVP_PKEY *key,
                         pthread_mutex_t *key_mu, const struct ca_registry *r, uint64_t number,
                         int64_t now, unsigned char **der, size_t *len, struct ca_status *st)
{
    struct ca_crl_fill f = {NULL, CA_OK, ""};
    ASN1_TIME *t = NULL;
    ASN1_INTEGER *num = NULL;
    AUTHORITY_KEYID *aki = NULL;
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);
    unsigned char *d = NULL;
    enum ca_err e = CA_E_NOMEM;

    *der = NULL;
    *len = 0;
    ERR_clear_error();
    if (!(f.crl = X509_CRL_new()) || !X509_CRL_set_version(f.crl, X509_CRL_VERSION_2) ||
        !X509_CRL_set_issuer_name(f.crl, X509_get_subject_name(issuer)) ||
        !(t = ASN1_TIME_set(NULL, (time_t)now)) || !X509_CRL_set1_lastUpdate(f.crl, t) ||
        !ASN1_TIME_set(t, (time_t)(now + (int64_t)p->crl_hours * 3600)) ||
        !X509_CRL_set1_nextUpdate(f.crl, t)) {
        ca__status_set(st, e, "building the CRL");
        goto out;
    }
    if (!r || !r->each_revoked || r->each_revoked(r->arg, ca_crl_add, &f) != 0) {
        e = f.err != CA_OK ? f.err : CA_E_REGISTRY;
        ca__status_set(st, e, "%s", f.detail[0] ? f.detail : "the registry did not list");
        goto out;
    }
    if (!X509_CRL_sort(f.crl) || !(num = ASN1_INTEGER_new()) ||
        !ASN1_INTEGER_set_uint64(num, number) ||
        !X509_CRL_add1_ext_i2d(f.crl, NID_crl_number, num, 0, 0) ||
        !(aki = AUTHORITY_KEYID_new()) || !ski || !(aki->keyid = ASN1_OCTET_STRING_dup(ski)) ||
        !X509_CRL_add1_ext_i2d(f.crl, NID_authority_key_identifier, aki, 0, 0)) {
        ca__status_set(st, e, "CRL extensions");
        goto out;
    }
    if (key_mu)
        pthread_mutex_lock(key_mu);
    int signed_ok = X509_CRL_sign(f.crl, key, ca__md_for(key)) > 0;
    if (key_mu)
        pthread_mutex_unlock(key_mu);
    if (!signed_ok || X509_CRL_verify(f.crl, X509_get0_pubkey(issuer)) != 1) {
        e = ca__status_set(st, CA_E_SIGN, "signing the CRL");
        ca__status_ossl(st);
        goto out;
    }
    int n = i2d_X509_CRL(f.crl, &d);
    if (ca_der_out(d, n, der, len)) {
        ca__status_set(st, e, "encoding the CRL");
        goto out;
    }
    e = ca__status_set(st, CA_OK, NULL);
out:
    OPENSSL_free(d);
    AUTHORITY_KEYID_free(aki);
    ASN1_INTEGER_free(num);
    ASN1_TIME_free(t);
    X509_CRL_free(f.crl);
    ERR_clear_error();
    return e;
}

/* ---- OCSP ----------------------------------------------------------------------------- */

/* An unsuccessful response (no body) of the given status. */
static int ca_ocsp_status_only(int status, unsigned char **der, size_t *len)
{
    OCSP_RESPONSE *resp = OCSP_response_create(status, NULL);
    unsigned char *d = NULL;
    int rc = -1;
    if (resp) {
        int n = i2d_OCSP_RESPONSE(resp, &d);
        rc = ca_der_out(d, n, der, len);
    }
    OPENSSL_free(d);
    OCSP_RESPONSE_free(resp);
    return rc;
}

/* Whether cid names a certificate issued by `issuer` (same name and key hashes, in the hash
 * the request chose); *serial then points into cid. */
static bool ca_ocsp_ours(OCSP_CERTID *cid, X509 *issuer, ASN1_INTEGER **serial)
{
    ASN1_OBJECT *mdo = NULL;
    OCSP_CERTID *mine = NULL;
    bool ours = false;
    if (!OCSP_id_get0_info(NULL, &mdo, NULL, serial, cid) || !*serial || !mdo)
        return false;
    const EVP_MD *md = EVP_get_digestbyobj(mdo);
    if (md && (mine = OCSP_cert_id_new(md, X509_get_subject_name(issuer),
                                       X509_get0_pubkey_bitstr(issuer), *serial)))
        ours = OCSP_id_issuer_cmp(mine, cid) == 0;
    OCSP_CERTID_free(mine);
    ERR_clear_error();
    return ours;
}

/* What the registry said of one certificate of the request. */
struct ca_ocsp_one {
    OCSP_CERTID *cid; /* the request's */
    int status;       /* V_OCSP_CERTSTATUS_* */
    int reason;
    int64_t revoked_at;
};

/* The answers' nextUpdate: now + ocsp_minutes, cut at the end of the responder's certificate
 * and of the CA's (an answer must not outlive the key that vouches for it). */
static int64_t ca_ocsp_next_update(const struct ca__profile *p, X509 *issuer, X509 *responder,
                                   int64_t now)
{
    int64_t next = now + (int64_t)p->ocsp_minutes * 60, end = 0;
    if (ca__time_unix(X509_get0_notAfter(responder), &end) == 0 && end < next)
        next = end;
    if (ca__time_unix(X509_get0_notAfter(issuer), &end) == 0 && end < next)
        next = end;
    return next > now ? next : now;
}

enum ca_err ca__ocsp_answer(const struct ca__profile *p, X509 *issuer,
                            const struct ca__ocsp_signer *signer, const struct ca_registry *r,
                            const unsigned char *req, size_t reqlen, int64_t now,
                            unsigned char **der, size_t *len, struct ca_status *st)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    pthread_mutex_t *key_mu = NULL;
    OCSP_REQUEST *rq = NULL;
    OCSP_BASICRESP *bs = NULL;
    OCSP_RESPONSE *resp = NULL;
    ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL, *revt = NULL;
    unsigned char *d = NULL;
    const unsigned char *q = req;
    int status = OCSP_RESPONSE_STATUS_INTERNALERROR;
    enum ca_err e = CA_E_NOMEM;
    int n = 0;
    struct ca_ocsp_one one[CA_OCSP_MAX_CERTS];

    *der = NULL;
    *len = 0;
    ERR_clear_error();
    if (!req || reqlen == 0 || reqlen > CA_OCSP_MAX_REQUEST ||
        !(rq = d2i_OCSP_REQUEST(NULL, &q, (long)reqlen)) || q != req + reqlen ||
        (n = OCSP_request_onereq_count(rq)) < 1 || n > CA_OCSP_MAX_CERTS) {
        status = OCSP_RESPONSE_STATUS_MALFORMEDREQUEST;
        e = ca__status_set(st, CA_E_REQUEST,
                           "%zu bytes: not a DER OCSP request of 1-%d "
                           "certificates within %d bytes",
                           reqlen, CA_OCSP_MAX_CERTS, CA_OCSP_MAX_REQUEST);
        goto respond;
    }
    /* the registry first: a registry that cannot answer makes no responder */
    for (int i = 0; i < n; i++) {
        OCSP_CERTID *cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(rq, i));
        ASN1_INTEGER *serial = NULL;
        struct ca_cert_status cs = {CA_CERT_UNKNOWN, 0, 0};
        char hex[CA_SERIAL_MAX];
        one[i] =
            (struct ca_ocsp_one){cid, V_OCSP_CERTSTATUS_UNKNOWN, OCSP_REVOKED_STATUS_NOSTATUS, 0};
        if (ca_ocsp_ours(cid, issuer, &serial) && ca__serial_hex(serial, hex) == 0) {
            if (!r || !r->status || r->status(r->arg, hex, &cs) != 0 ||
                (cs.state == CA_CERT_REVOKED && (cs.revoked_at <= 0 || !ca_reason_ok(cs.reason)))) {
                status = OCSP_RESPONSE_STATUS_TRYLATER;
                e = ca__status_set(st, CA_E_REGISTRY, "the registry did not give a status");
                goto respond;
            }
            if (cs.state == CA_CERT_GOOD) {
                one[i].status = V_OCSP_CERTSTATUS_GOOD;
            } else if (cs.state == CA_CERT_REVOKED) {
                one[i].status = V_OCSP_CERTSTATUS_REVOKED;
                one[i].reason = cs.reason ? cs.reason : OCSP_REVOKED_STATUS_NOSTATUS;
                one[i].revoked_at = cs.revoked_at;
            }
        }
    }
    /* signed by the delegated responder, named by its key hash, its certificate sent along:
     * the client knows only the issuer. Nothing else ever signs: no responder, no answer. */
    if (!signer || !signer->get) {
        e = ca__status_set(st, CA_E_RESPONDER, "no OCSP responder");
        goto respond;
    }
    if ((e = signer->get(signer->arg, now, &key, &cert, &key_mu, st)) != CA_OK) {
        if (e == CA_E_REGISTRY) /* its certificate's status not given, or a new one not recorded */
            status = OCSP_RESPONSE_STATUS_TRYLATER;
        goto respond;
    }
    e = CA_E_NOMEM;
    if (!(bs = OCSP_BASICRESP_new()) || !(thisupd = ASN1_GENERALIZEDTIME_set(NULL, (time_t)now)) ||
        !(nextupd =
              ASN1_GENERALIZEDTIME_set(NULL, (time_t)ca_ocsp_next_update(p, issuer, cert, now)))) {
        ca__status_set(st, e, "building the OCSP response");
        goto respond;
    }
    for (int i = 0; i < n; i++) {
        bool revoked = one[i].status == V_OCSP_CERTSTATUS_REVOKED;
        ASN1_GENERALIZEDTIME_free(revt);
        revt = NULL;
        if (revoked && !(revt = ASN1_GENERALIZEDTIME_set(NULL, (time_t)one[i].revoked_at))) {
            ca__status_set(st, e, "revocation time");
            goto respond;
        }
        if (!OCSP_basic_add1_status(bs, one[i].cid, one[i].status, one[i].reason, revt, thisupd,
                                    nextupd)) {
            ca__status_set(st, e, "adding a status");
            goto respond;
        }
    }
    if (OCSP_copy_nonce(bs, rq) <= 0) {
        ca__status_set(st, e, "copying the nonce");
        goto respond;
    }
    if (key_mu)
        pthread_mutex_lock(key_mu);
    int signed_ok = OCSP_basic_sign(bs, cert, key, ca__md_for(key), NULL, OCSP_RESPID_KEY) > 0;
    if (key_mu)
        pthread_mutex_unlock(key_mu);
    /* the signature checked with the certificate sent (what the client will do) */
    if (!signed_ok || OCSP_basic_verify(bs, NULL, NULL, OCSP_NOVERIFY | OCSP_NOCHECKS) != 1) {
        e = ca__status_set(st, CA_E_SIGN, "signing the OCSP response");
        ca__status_ossl(st);
        goto respond;
    }
    if (!(resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs))) {
        ca__status_set(st, e, "building the OCSP response");
        goto respond;
    }
    int dn = i2d_OCSP_RESPONSE(resp, &d);
    if (ca_der_out(d, dn, der, len)) {
        ca__status_set(st, CA_E_NOMEM, "encoding the OCSP response");
        e = CA_E_NOMEM;
        goto out;
    }
    e = ca__status_set(st, CA_OK, NULL);
    goto out;
respond:
    if (ca_ocsp_status_only(status, der, len)) {
        e = ca__status_set(st, CA_E_NOMEM, "encoding the OCSP error response");
        *der = NULL;
        *len = 0;
    }
out:
    OPENSSL_free(d);
    OCSP_RESPONSE_free(resp);
    ASN1_GENERALIZEDTIME_free(thisupd);
    ASN1_GENERALIZEDTIME_free(nextupd);
    ASN1_GENERALIZEDTIME_free(revt);
    OCSP_BASICRESP_free(bs);
    OCSP_REQUEST_free(rq);
    EVP_PKEY_free(key);
    X509_free(cert);
    ERR_clear_error();
    return e;
}
