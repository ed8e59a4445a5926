/* eimza — X.509 certificates and CRLs as eimza sees them (crypto/: OpenSSL behind a small
 * API). Turns DER into struct core_certificate, and walks the objects of a file's bytes: PEM
 * with any number of certificates and CRLs (text around the blocks is ignored), or DER (one
 * certificate or CRL, or several concatenated).
 *
 * Nothing here decides whether a certificate is trusted or acceptable: no chain, signature or
 * policy checks (those belong to verification). Text comes out as UTF-8; DNs in RFC 2253
 * order and escaping but with non-ASCII letters kept as UTF-8, so "CN=AYŞE YILMAZ" is stored
 * and compared as people read it. A CRL's issuer is formatted exactly like a certificate's,
 * so the two can be matched by string.
 */
#ifndef EIMZA_CRYPTO_X509_H
#define EIMZA_CRYPTO_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certificate.h"

enum crypto_x509_err {
    CRYPTO_X509_OK = 0,
    CRYPTO_X509_NOT_CERT,  /* not a certificate or CRL at all (other PEM block, not DER) */
    CRYPTO_X509_MALFORMED, /* looks like one but does not parse, or bytes follow it */
    CRYPTO_X509_TOO_LONG,  /* a DN or the policy list is longer than eimza stores */
    CRYPTO_X509_NOMEM,
};
const char *crypto_x509_strerror(enum crypto_x509_err e);

/* Parses one DER certificate (exactly n bytes, nothing after it) into out; out->revoked_at
 * is 0. out->tckn is "" when the subject has no serialNumber holding a valid T.C. Kimlik No
 * (bare 11 digits or with a PNOTR- style prefix). On error out is cleared. */
enum crypto_x509_err crypto_x509_parse_der(const unsigned char *der, size_t n,
                                           struct core_certificate *out);

/* ---- the objects of a file --------------------------------------------------------------- */

enum crypto_obj_kind {
    CRYPTO_OBJ_CERT = 1,
    CRYPTO_OBJ_CRL,
};

struct crypto_obj {
    enum crypto_obj_kind kind;
    unsigned index;           /* position in the file, 1-based, counting every block */
    const unsigned char *der; /* the object's DER: owned by the iterator, valid until the */
    size_t der_len;           /* next crypto_objiter_next() or crypto_objiter_free() */
    /* CRYPTO_OBJ_CERT */
    struct core_certificate cert;
    bool is_ca; /* basicConstraints cA is true: a CA, not a holder's certificate */
    /* CRYPTO_OBJ_CRL */
    char crl_issuer[CORE_DN_MAX]; /* RFC 2253, UTF-8, as core_certificate.issuer */
    int64_t crl_this_update;
    int64_t crl_next_update; /* 0 when absent */
    size_t crl_count;        /* revoked entries: crypto_objiter_crl_entry(0..crl_count-1) */
};

struct crypto_crl_entry {
    char serial[CORE_SERIAL_MAX]; /* upper-case hex, as core_certificate.serial */
    int64_t revoked_at;           /* Unix seconds */
};

struct crypto_objiter;

/* Starts a walk over data[0..n). The iterator borrows data: the caller keeps it alive until
 * crypto_objiter_free(). Returns CRYPTO_X509_OK or CRYPTO_X509_NOMEM. */
enum crypto_x509_err crypto_objiter_new(const unsigned char *data, size_t n,
                                        struct crypto_objiter **out);
void crypto_objiter_free(struct crypto_objiter *it);

enum crypto_iter_status {
    CRYPTO_ITER_END = 0, /* no more objects */
    CRYPTO_ITER_OBJ,     /* *obj holds the next object */
    CRYPTO_ITER_BAD,     /* object obj->index was refused: *why and crypto_objiter_detail() say
                            why; calling again goes on with the next object when there is one */
};
/* Moves to the next object. CRYPTO_X509_NOMEM comes back as CRYPTO_ITER_BAD with *why set to
 * it; the walk then ends. */
enum crypto_iter_status crypto_objiter_next(struct crypto_objiter *it, struct crypto_obj *obj,
                                            enum crypto_x509_err *why);
/* A short English description of the last refused object ("PEM block \"PRIVATE KEY\" is not
 * a certificate or CRL"); "" when none. Valid until the next call. */
const char *crypto_objiter_detail(const struct crypto_objiter *it);
/* Entry i (0 <= i < obj->crl_count) of the current CRL. */
enum crypto_x509_err crypto_objiter_crl_entry(const struct crypto_objiter *it, size_t i,
                                              struct crypto_crl_entry *out);

#endif
