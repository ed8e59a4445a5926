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

#endif
