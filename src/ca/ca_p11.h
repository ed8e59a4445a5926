/* eimza — the inside of a loaded PKCS#11 module for ca/p11.c and ca/card.c (the PKCS#11
 * types come from p11-kit's header; nothing of p11-kit is linked). Not for other layers. */
#ifndef EIMZA_CA_CA_P11_H
#define EIMZA_CA_CA_P11_H

#include <stdbool.h>

#include <libp11.h>
#include <p11-kit/pkcs11.h>

#include "ca/ca_int.h"

struct ca__mod {
    PKCS11_CTX *ctx;     /* libp11: loaded, initialised, finalised by it */
    bool loaded;         /* PKCS11_CTX_load succeeded */
    void *dl;            /* our reference to the same shared object */
    CK_FUNCTION_LIST *f; /* the module's functions */
};

/* The public key object h as an EVP_PKEY of exactly the type asked for (RSA-2048 or P-256),
 * checked by OpenSSL; NULL otherwise. (card.c) */
EVP_PKEY *ca__p11_public_key(struct ca__mod *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
                             enum ca_key_type type);

/* ---- the delegated OCSP responder (responder.c) ------------------------------------------- */

struct ca__responder;

/* A responder for the CA token in slot (logged in), with no key yet: nothing is made on the
 * token before the first ca__responder_get. The key type follows the CA key's (EC: P-256,
 * else RSA-2048). */
enum ca_err ca__responder_new(struct ca__mod *m, PKCS11_SLOT *slot, EVP_PKEY *ca_key,
                              struct ca__responder **out, struct ca_status *st);
/* Destroys the responder's objects on the token (before the token is logged out). */
void ca__responder_free(struct ca__responder *r);

/* The responder's key and certificate for an answer at now (a ca__ocsp_signer's get; arg is a
 * struct ca__responder_use): made, or renewed, first when there is none yet, when now is
 * outside the certificate's validity or when two thirds of it have passed. */
struct ca__responder_use {
    struct ca__responder *r;
    X509 *issuer;
    EVP_PKEY *issuer_key;
    pthread_mutex_t *issuer_mu; /* held while issuer_key signs the responder's certificate */
};
enum ca_err ca__responder_get(void *use, int64_t now, EVP_PKEY **key, X509 **cert,
                              pthread_mutex_t **mu, struct ca_status *st);

#endif
