/* eimza — the ca/ layer's internal interfaces: the certificate profile, the CRL and OCSP
 * builders (OpenSSL only, any EVP_PKEY: the token's key in the engine, software keys in the
 * unit tests), the card personalisation over raw PKCS#11, and the status helper. Not for
 * other layers: they use ca/ca.h. */
#ifndef EIMZA_CA_CA_INT_H
#define EIMZA_CA_CA_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca/ca.h"

/* Sets st->err, st->message (the Turkish message of e) and st->detail (printf-style, English,
 * may be NULL). st may be NULL. Returns e. */
enum ca_err ca__status_set(struct ca_status *st, enum ca_err e, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends OpenSSL's first queued error (or "no detail") to st->detail after "; " and empties
 * the queue. */
void ca__status_ossl(struct ca_status *st);

/* ---- the certificate profile (profile.c) ------------------------------------------------ */

#define CA_NAME_MAX_CHARS 64  /* X.520 ub-common-name */
#define CA_URL_MAX        512 /* bytes of an OCSP, CRL, caIssuers or CPS URL */
#define CA_QC_TEXT_MAX    400 /* bytes of the 5070 statement's text */
#define CA_POLICIES_MAX   8
#define CA_RENEW_AHEAD    (366 * 86400) /* a renewal may start at most this far after now */

/* What every certificate of one CA carries, made once from the configuration: the
 * extensions that do not depend on the holder, already encoded. */
struct ca__profile {
    STACK_OF(X509_EXTENSION) * fixed;
    unsigned crl_hours, ocsp_minutes;
};

/* Checks the profile part of c (policies, URLs, QC text) and encodes it. CA_E_CONFIG with
 * the setting named in the detail when something is wrong. Free with ca__profile_free. */
enum ca_err ca__profile_new(const struct ca_config *c, struct ca__profile *p, struct ca_status *st);
void ca__profile_free(struct ca__profile *p);

/* Checks the holder's data (T.C. Kimlik No, name, years, key type) and works out the validity
 * at now: from now, or from renews_not_after when that is later (at most CA_RENEW_AHEAD
 * ahead), for `years` calendar years (29 February to 28 February). */
enum ca_err ca__holder_check(const struct ca_holder *h, int64_t now, int64_t *not_before,
                             int64_t *not_after, struct ca_status *st);

/* A new serial: 16 random bytes, positive, first byte 0x40-0x7F (so always 16 bytes). */
enum ca_err ca__serial_new(ASN1_INTEGER **out, struct ca_status *st);
/* A certificate time as Unix seconds; -1 when t is missing or unreadable. (profile.c) */
int ca__time_unix(const ASN1_TIME *t, int64_t *out);
/* The serial as upper-case hex without leading zeros (crypto/x509.c's form). 0 or -1. */
int ca__serial_hex(const ASN1_INTEGER *s, char out[CA_SERIAL_MAX]);

/* The digest a CA key signs with: SHA-384 for EC keys of 384 bits and more, else SHA-256. */
const EVP_MD *ca__md_for(EVP_PKEY *k);

/* Builds the holder's certificate (h already checked) for holder_pub and signs it with
 * issuer_key, whose certificate is issuer; checks the signature with issuer's public key
 * before handing it out. *out is the caller's. */
enum ca_err ca__cert_make(const struct ca__profile *p, X509 *issuer, EVP_PKEY *issuer_key,
                          EVP_PKEY *holder_pub, const struct ca_holder *h,
                          const ASN1_INTEGER *serial, int64_t not_before, int64_t not_after,
                          X509 **out, struct ca_status *st);

/* ---- revocation (revoke.c) --------------------------------------------------------------- */

/* key_mu, when not NULL, is held only while the key signs: the registry is asked, and the
 * CRL or response built, without it. */
enum ca_err ca__crl_make(const struct ca__profile *p, X509 *issuer, EVP_PKEY *key,
                         pthread_mutex_t *key_mu, const struct ca_registry *r, uint64_t number,
                         int64_t now, unsigned char **der, size_t *len, struct ca_status *st);

/* Who signs an OCSP response: get gives the key, its certificate (both for the caller to
 * free) and the lock to hold while the key signs (may be NULL). It is called once per answer,
 * after the request was read and the registry asked, so a malformed request or a registry
 * that cannot answer never makes a responder key. A failure there is an internalError
 * response (tryLater for CA_E_REGISTRY: the registry could not say whether the responder's
 * certificate was revoked, or did not record a new one), never a response signed by another
 * key. */
struct ca__ocsp_signer {
    enum ca_err (*get)(void *arg, int64_t now, EVP_PKEY **key, X509 **cert, pthread_mutex_t **mu,
                       struct ca_status *st);
    void *arg;
};

/* Answers an OCSP request about certificates of issuer (ca_ocsp in ca.h), signed by the
 * signer's key, its certificate in the response's certs, responderID by its key hash. */
enum ca_err ca__ocsp_answer(const struct ca__profile *p, X509 *issuer,
                            const struct ca__ocsp_signer *signer, const struct ca_registry *r,
                            const unsigned char *req, size_t reqlen, int64_t now,
                            unsigned char **der, size_t *len, struct ca_status *st);

/* ---- the delegated OCSP responder's certificate (profile.c) --------------------------------- */

#define CA_RESPONDER_LABEL    "eimza-ocsp" /* CKA_LABEL of the responder's key pair */
#define CA_RESPONDER_LIFETIME (30 * 86400) /* seconds a responder certificate lasts */
#define CA_RESPONDER_SKEW     600          /* its notBefore this long before now */
#define CA_RESPONDER_SUFFIX   " OCSP"      /* its CN: the CA's CN and this */

/* Builds the OCSP responder certificate for responder_pub and signs it with issuer_key
 * (RFC 6960 4.2.2.2): subject the issuer's name with the CN followed by CA_RESPONDER_SUFFIX;
 * basicConstraints CA:FALSE; keyUsage digitalSignature (critical); extendedKeyUsage
 * id-kp-OCSPSigning (critical: the key may be used for nothing else); id-pkix-ocsp-nocheck;
 * subject and authority key identifiers; no AIA, no CRL distribution point, no policy. The
 * signature is checked with issuer's public key. *out is the caller's. */
enum ca_err ca__responder_cert_make(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *responder_pub,
                                    const ASN1_INTEGER *serial, int64_t not_before,
                                    int64_t not_after, X509 **out, struct ca_status *st);

/* Signs random bytes with key and verifies them with cert's public key: the key and the
 * certificate belong together, and the key signs. 0 or -1. (ca.c) */
int ca__key_matches(EVP_PKEY *key, X509 *cert);

/* ---- PKCS#11 (p11.c, card.c) ---------------------------------------------------------------- */

struct ca__mod; /* a loaded module: libp11's context and the module's function list */

/* Loads a module through libp11 (which initialises it) and takes its function list for the
 * calls libp11 0.4 does not offer. */
enum ca_err ca__mod_open(const char *path, struct ca__mod **out, struct ca_status *st);
void ca__mod_close(struct ca__mod *m);
/* libp11's context of a module (PKCS11_CTX *), for the CA token. */
void *ca__mod_ctx(struct ca__mod *m);

/* Reads the CKA_SENSITIVE and CKA_EXTRACTABLE flags of the private key with CKA_ID id on the
 * token in slot (the token must be logged in). Returns 0, or -1 with a detail in st. */
int ca__mod_key_flags(struct ca__mod *m, unsigned long slot, const unsigned char *id, size_t idlen,
                      bool *sensitive, bool *extractable, struct ca_status *st);

struct ca__card_cfg {
    const char *blank_label;
    const char *transport_pin;
    const char *transport_so_pin;
    bool skip_slot; /* the CA token's slot when cards share its module */
    unsigned long skip_slot_id;
};

/* The blank cards present (see ca.h): their slots and serials, up to cap; *n counts all. */
enum ca_err ca__card_list(struct ca__mod *m, const struct ca__card_cfg *cfg, unsigned long *slots,
                          char (*serials)[17], size_t cap, size_t *n, struct ca_status *st);

/* Makes the certificate for the card's new public key (called once, during
 * ca__card_personalise); *cert is handed to the card code, which frees it. */
typedef enum ca_err (*ca__certify_fn)(void *arg, EVP_PKEY *pub, X509 **cert, struct ca_status *st);

/* Personalises the blank card in slot: key pair, certify(), certificate, PINs (ca.h steps 1-5).
 * On success *cert is the certificate written and pin/puk the new PINs. */
enum ca_err ca__card_personalise(struct ca__mod *m, const struct ca__card_cfg *cfg,
                                 unsigned long slot, enum ca_key_type type, ca__certify_fn certify,
                                 void *arg, X509 **cert, char pin[CA_PIN_LEN + 1],
                                 char puk[CA_PUK_LEN + 1], struct ca_status *st);

/* Random decimal digits (n of them and a NUL) from util/rand.h. 0 or -1. */
int ca__random_digits(char *out, size_t n);

#endif
