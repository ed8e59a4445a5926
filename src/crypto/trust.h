/* eimza — the trust store and the certificate cache of signature verification (crypto/,
 * internal to the layer: it hands out OpenSSL objects, so only the crypto layer includes it).
 *
 * A trust store is built once from directories of PEM/DER files (every certificate in them
 * goes into one X509_STORE; self-signed ones are the anchors, the others serve as
 * intermediates whose chain must still end at an anchor). It is read-only afterwards, so any
 * number of threads may verify against it at once.
 *
 * The certificate cache exists because decoding a certificate is the dearest step of a
 * verification in OpenSSL 3 (the public key goes through the provider decoders: ~0.25 ms,
 * ten times an RSA-2048 signature check). Certificates are looked up by the SHA-256 of their
 * DER, decoded once, and kept with the facts verification asks of a signer (profile, key
 * strength) and, once a chain has been built for it, that chain. Entries are reference
 * counted; the cache is bounded and is emptied when full (entries in use live on until put).
 */
#ifndef EIMZA_CRYPTO_TRUST_H
#define EIMZA_CRYPTO_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "core/certificate.h"

struct crypto_trust;

/* One cached certificate. All fields but the chain ones are fixed once the entry is made;
 * the chain fields are written once under the cache lock (crypto_trust_chain). */
struct crypto_cert {
    unsigned char sha256[32]; /* of der: the cache key */
    unsigned char *der;       /* the encoding as received (owned) */
    size_t der_len;
    X509 *x;
    /* slices of der (tbsCertificate fields, exact bytes) for matching signer identifiers */
    const unsigned char *issuer_tlv;
    size_t issuer_len;
    const unsigned char *serial_tlv;
    size_t serial_len;
    /* signer facts */
    bool info_ok; /* info could be filled (crypto_x509_parse_der rules) */
    struct core_certificate info;
    int key_type;    /* EVP_PKEY base id */
    int key_bits;    /* EVP_PKEY_get_bits */
    bool key_strong; /* RSA >= 2048, EC >= 256, Ed25519/Ed448; anything else is weak */
    bool sig_weak;   /* the certificate itself is signed with MD5 or SHA-1 */
    bool ku_present; /* a keyUsage extension is there */
    bool nonrep;     /* ... and has nonRepudiation (contentCommitment) */
    bool qc_etsi;    /* QC statement 0.4.0.1862.1.1 */
    bool qc_tr;      /* QC statement 2.16.792.1.61.0.1.5070.1.1 */
    /* chain cache: set when a chain to an anchor was built (never for failures) */
    bool chain_ok;
    STACK_OF(X509) * chain;   /* leaf first, anchor last */
    int64_t ca_not_before;    /* latest notBefore of the CA certificates of the chain */
    int64_t ca_not_after;     /* earliest notAfter of them */
    char anchor[256];         /* the anchor's subject, one-line form, for the evidence */
    int refs;                 /* guarded by the cache lock */
    struct crypto_cert *next; /* bucket chain (cache lock) */
};

/* Loads every certificate of every regular file in dirs[0..ndirs) (files that hold none,
 * like a README, are skipped). At least one certificate is needed. cache_max bounds the
 * certificate cache (0: 4096). Returns 0, or -1 with err set. */
int crypto_trust_new(const char *const *dirs, size_t ndirs, size_t cache_max,
                     struct crypto_trust **out, char *err, size_t errlen);
void crypto_trust_free(struct crypto_trust *t);
/* The store (owned by t; shared, do not change it). */
X509_STORE *crypto_trust_store(struct crypto_trust *t);
/* Number of certificates loaded from the directories. */
size_t crypto_trust_count(const struct crypto_trust *t);

/* The cached certificate whose DER is der[0..n), decoding it on first sight. Returns a
 * reference the caller gives back with crypto_cert_put(); NULL when the bytes are not one
 * certificate (*nomem tells out-of-memory apart). The sha256 of der may be passed when known
 * (else NULL). */
struct crypto_cert *crypto_trust_cert_get(struct crypto_trust *t, const unsigned char *der,
                                          size_t n, const unsigned char *sha256, bool *nomem);
void crypto_trust_cert_put(struct crypto_trust *t, struct crypto_cert *c);

/* Builds (or takes from the cache) the chain of leaf up to an anchor, using untrusted[0..n)
 * and the store's certificates as intermediates. Time is not checked here (a cached chain
 * must stay usable as time goes on): callers compare ca_not_before/ca_not_after and the
 * leaf's own dates with their `now`. Keys under 112 bits of security and MD5/SHA-1 signatures
 * anywhere in the chain fail it (auth level 2). No extended key usage is required.
 * Returns 1 on success (leaf->chain etc. set; *cached tells whether it came from the cache),
 * 0 when no trusted chain exists (*verr holds the X509_V_ERR_* code), -1 on out-of-memory. */
int crypto_trust_chain(struct crypto_trust *t, struct crypto_cert *leaf, X509 *const *untrusted,
                       size_t n, bool *cached, int *verr);
/* True when a chain of leaf is already cached (then crypto_trust_chain needs no intermediates). */
bool crypto_trust_has_chain(struct crypto_trust *t, struct crypto_cert *leaf);

/* An ASN1_TIME as Unix seconds (any year). Returns 0, or -1 when it cannot be read. */
int crypto_asn1_time_unix(const ASN1_TIME *t, int64_t *out);

/* ---- a strict DER reader (shared by the crypto files that walk structures by hand) ----- */

struct crypto_der {
    const unsigned char *p; /* the bytes still to read */
    size_t n;
};
/* Reads the next element of d: its tag byte (low-tag-number form only), its value and the
 * whole element (tag, length and value; tlv may be NULL). Definite, minimal lengths only.
 * Returns 0, or -1 when d is empty, truncated or not DER. */
int crypto_der_next(struct crypto_der *d, unsigned *tag, struct crypto_der *val,
                    struct crypto_der *tlv);
/* Like crypto_der_next, but the tag must be want. */
int crypto_der_expect(struct crypto_der *d, unsigned want, struct crypto_der *val,
                      struct crypto_der *tlv);
/* The issuer Name and serialNumber INTEGER elements (tag, length, value) of a DER
 * certificate, found without decoding it. Returns 0, or -1 when der is not shaped like one. */
int crypto_der_cert_ids(const unsigned char *der, size_t n, struct crypto_der *issuer,
                        struct crypto_der *serial);

#endif
