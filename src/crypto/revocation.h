/* eimza — revocation status of a signer's certificate: OCSP from the certificate's AIA, the
 * CRL of its distribution point as fallback (crypto/, internal to the layer: OpenSSL types).
 *
 * Answers are kept in process until their nextUpdate (OCSP by the certificate's SHA-256, CRLs
 * by URL); an answer without nextUpdate is used once and not kept. Fetching goes through
 * libcurl with a short timeout, http and https only, no redirects, a size cap. An OCSP
 * response counts only when signed by the issuer itself or by a responder the issuer
 * certified for OCSP signing (OpenSSL's OCSP_basic_verify against the trust store, the
 * responder's chain valid at `now`, not at the real clock), names the certificate asked about
 * and is current at `now` (thisUpdate not after it, nextUpdate not before it, give or take
 * five minutes); a CRL only when signed by the
 * issuer's key, issued by its name and current at `now`. Indirect and delta CRLs are not
 * supported. Safe for concurrent use.
 */
#ifndef EIMZA_CRYPTO_REVOCATION_H
#define EIMZA_CRYPTO_REVOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

struct crypto_revoc;

/* store: the trust store OCSP responder certificates must chain to (read-only: its
 * certificates and verification settings are copied here, it need not outlive the checker).
 * timeout_ms bounds each HTTP exchange (0: 3000). Returns 0, or -1 (no memory). */
int crypto_revoc_new(X509_STORE *store, long timeout_ms, struct crypto_revoc **out);
void crypto_revoc_free(struct crypto_revoc *rv);

enum crypto_revoc_status {
    CRYPTO_REVOC_GOOD = 0,
    CRYPTO_REVOC_REVOKED,
    CRYPTO_REVOC_UNKNOWN, /* no usable answer: detail says why */
};

struct crypto_revoc_answer {
    enum crypto_revoc_status status;
    const char *source; /* "ocsp", "crl" or "none" (static strings) */
    bool cached;        /* taken from the in-process cache */
    int64_t this_update;
    int64_t next_update;     /* 0 when the answer has none */
    int64_t revoked_at;      /* CRYPTO_REVOC_REVOKED only */
    unsigned char *ocsp_der; /* the whole OCSP response when source is "ocsp" (malloc'd: */
    size_t ocsp_len;         /* crypto_revoc_answer_free releases it) */
    char url[256];           /* where the answer came from */
    char detail[256];        /* English, for logs: what was tried when status is UNKNOWN */
};
void crypto_revoc_answer_free(struct crypto_revoc_answer *a);

/* The status of cert (issued by issuer; sha256 is the SHA-256 of cert's DER) at `now`
 * (Unix seconds). Fills *a (to be released with crypto_revoc_answer_free). Returns 0, or -1
 * when memory runs out. Network failures are not errors: they give CRYPTO_REVOC_UNKNOWN. */
int crypto_revoc_check(struct crypto_revoc *rv, X509 *cert, const unsigned char sha256[32],
                       X509 *issuer, int64_t now, struct crypto_revoc_answer *a);

#endif
