/* eimza — PKCS#11 modules for the in-house CA (ca/): loaded and initialised by libp11, as
 * sign/p11.c does, with the module's own function list beside it for what libp11 0.4 (Debian
 * 12) has no call for: generating a key pair with the attributes we choose (EC included),
 * reading an object's CKA_SENSITIVE / CKA_EXTRACTABLE, C_InitPIN / C_SetPIN in a session of
 * ours. The function list is the module's, reached with dlopen(RTLD_NOLOAD) on the path
 * libp11 loaded, so both use one initialised instance of the module; libp11 alone finalises
 * it. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <libp11.h>
#include <openssl/err.h>
#include <p11-kit/pkcs11.h>

#include "ca/ca_p11.h"

enum ca_err ca__mod_open(const char *path, struct ca__mod **out, struct ca_status *st)
{
    struct ca__mod *m = NULL;
    CK_C_GetFunctionList gfl;
    enum ca_err e = CA_E_NOMEM;
    char detail[160] = "no detail";

    *out = NULL;
    ERR_clear_error();
    if (!path || !*path)
        return ca__status_set(st, CA_E_CONFIG, "no PKCS#11 module path");
    if (!(m = calloc(1, sizeof *m)) || !(m->ctx = PKCS11_CTX_new())) {
        ca__status_set(st, e, NULL);
        goto fail;
    }
    if (PKCS11_CTX_load(m->ctx, path) != 0) {
        unsigned long err = ERR_peek_error();
        if (err)
            ERR_error_string_n(err, detail, sizeof detail);
        PKCS11_CTX_free(m->ctx);
        m->ctx = NULL;
        e = ca__status_set(st, CA_E_MODULE, "cannot load %s: %s", path, detail);
        goto fail;
    }
    m->loaded = true;
    /* the instance libp11 loaded: RTLD_NOLOAD never loads a second copy */
    m->dl = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    gfl = m->dl ? (CK_C_GetFunctionList)dlsym(m->dl, "C_GetFunctionList") : NULL;
    if (!gfl || gfl(&m->f) != CKR_OK || !m->f) {
        e = ca__status_set(st, CA_E_MODULE, "%s: no C_GetFunctionList", path);
        goto fail;
    }
    *out = m;
    ERR_clear_error();
    return ca__status_set(st, CA_OK, NULL);
fail:
    ca__mod_close(m);
    ERR_clear_error();
    return e;
}

void ca__mod_close(struct ca__mod *m)
{
    if (!m)
        return;
    if (m->dl)
        dlclose(m->dl);
    if (m->ctx) {
        if (m->loaded)
            PKCS11_CTX_unload(m->ctx);
        PKCS11_CTX_free(m->ctx);
    }
    ERR_clear_error();
    free(m);
}

void *ca__mod_ctx(struct ca__mod *m)
{
    return m->ctx;
}

int ca__mod_key_flags(struct ca__mod *m, unsigned long slot, const unsigned char *id, size_t idlen,
                      bool *sensitive, bool *extractable, struct ca_status *st)
{
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE find[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, (void *)id, idlen}};
    CK_OBJECT_HANDLE h[2];
    CK_ULONG found = 0;
    CK_BBOOL sens = CK_FALSE, extr = CK_TRUE;
    CK_ATTRIBUTE get[] = {{CKA_SENSITIVE, &sens, sizeof sens},
                          {CKA_EXTRACTABLE, &extr, sizeof extr}};
    CK_RV rv;
    int rc = -1;

    if ((rv = m->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s)) != CKR_OK) {
        ca__status_set(st, CA_E_CA_TOKEN, "C_OpenSession: 0x%lx", (unsigned long)rv);
        return -1;
    }
    if ((rv = m->f->C_FindObjectsInit(s, find, 2)) != CKR_OK) {
        ca__status_set(st, CA_E_CA_TOKEN, "C_FindObjectsInit: 0x%lx", (unsigned long)rv);
        goto out;
    }
    rv = m->f->C_FindObjects(s, h, 2, &found);
    m->f->C_FindObjectsFinal(s);
    if (rv != CKR_OK || found != 1) {
        ca__status_set(st, CA_E_CA_TOKEN, "%lu private keys with the CA key's id",
                       (unsigned long)found);
        goto out;
    }
    if ((rv = m->f->C_GetAttributeValue(s, h[0], get, 2)) != CKR_OK) {
        ca__status_set(st, CA_E_CA_TOKEN, "C_GetAttributeValue: 0x%lx", (unsigned long)rv);
        goto out;
    }
    *sensitive = sens == CK_TRUE;
    *extractable = extr != CK_FALSE;
    rc = 0;
out:
    m->f->C_CloseSession(s);
    return rc;
}
