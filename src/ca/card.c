/* eimza — personalising a blank card over raw PKCS#11 (ca/): finding the blank cards, and for
 * one of them the key pair made on the card, the certificate written beside it and the new
 * PINs, undone when a step fails (see ca/ca.h for what a blank card is).
 *
 * The card was checked empty before anything was written, so undoing means: log in with the
 * transport user PIN again and destroy every object on the card. Everything happens in one
 * read-write session of ours, opened after the card was found blank; a PIN, once used, is
 * wiped from this file's buffers before it returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "ca/ca_p11.h"

#define CA_CARD_KEY_ID      0x01 /* the card's one signing key and its certificate */
#define CA_CARD_OBJ_LABEL   "eimza NES"
#define CA_CARD_ATTR_MAX    1024 /* bytes of a public key attribute (RSA-2048: 256) */
#define CA_CARD_UNDO_ROUNDS 8

/* prime256v1 (1.2.840.10045.3.1.7) as DER, for CKA_EC_PARAMS */
static const CK_BYTE ca_p256_oid[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

/* A blank-padded PKCS#11 text field (label 32, serial 16) as a C string without the pad. */
static void ca_field(char *dst, size_t cap, const CK_UTF8CHAR *src, size_t n)
{
    while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\0'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool ca_pin_rv(CK_RV rv)
{
    return rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LOCKED || rv == CKR_PIN_LEN_RANGE ||
           rv == CKR_PIN_INVALID || rv == CKR_PIN_EXPIRED;
}

/* The number of objects the session sees (up to 2: "none", "one", "more" is all we need),
 * or -1. */
static int ca_count_objects(struct ca__mod *m, CK_SESSION_HANDLE s)
{
    CK_OBJECT_HANDLE h[2];
    CK_ULONG found = 0;
    if (m->f->C_FindObjectsInit(s, NULL, 0) != CKR_OK)
        return -1;
    CK_RV rv = m->f->C_FindObjects(s, h, 2, &found);
    m->f->C_FindObjectsFinal(s);
    return rv == CKR_OK ? (int)found : -1;
}

/* Whether the token in slot looks blank without logging in: initialised with a user PIN,
 * labelled blank, no public object. 1 blank, 0 not, -1 on a module failure. */
static int ca_card_is_blank(struct ca__mod *m, const struct ca__card_cfg *cfg, CK_SLOT_ID slot,
                            char serial[17])
{
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s;
    char label[33];
    if (m->f->C_GetTokenInfo(slot, &ti) != CKR_OK)
        return 0; /* removed meanwhile, or not a token we can read */
    ca_field(label, sizeof label, ti.label, sizeof ti.label);
    if (!(ti.flags & CKF_TOKEN_INITIALIZED) || !(ti.flags & CKF_USER_PIN_INITIALIZED) ||
        strcmp(label, cfg->blank_label) != 0)
        return 0;
    if (m->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK)
        return -1;
    int n = ca_count_objects(m, s);
    m->f->C_CloseSession(s);
    if (n < 0)
        return -1;
    ca_field(serial, 17, ti.serialNumber, sizeof ti.serialNumber);
    return n == 0 ? 1 : 0;
}

enum ca_err ca__card_list(struct ca__mod *m, const struct ca__card_cfg *cfg, unsigned long *slots,
                          char (*serials)[17], size_t cap, size_t *n, struct ca_status *st)
{
    CK_SLOT_ID *list = NULL;
    CK_ULONG count = 0;
    CK_RV rv = CKR_OK;
    size_t k = 0;
    enum ca_err e = CA_E_MODULE;

    *n = 0;
    for (int tries = 0; tries < 4; tries++) {
        if ((rv = m->f->C_GetSlotList(CK_TRUE, NULL, &count)) != CKR_OK)
            break;
        free(list);
        if (!(list = calloc(count ? count : 1, sizeof *list))) {
            e = ca__status_set(st, CA_E_NOMEM, NULL);
            goto out;
        }
        if ((rv = m->f->C_GetSlotList(CK_TRUE, list, &count)) != CKR_BUFFER_TOO_SMALL)
            break;
    }
    if (rv != CKR_OK) {
        ca__status_set(st, e, "C_GetSlotList: 0x%lx", (unsigned long)rv);
        goto out;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        char serial[17];
        if (cfg->skip_slot && list[i] == cfg->skip_slot_id)
            continue;
        int b = ca_card_is_blank(m, cfg, list[i], serial);
        if (b < 0) {
            ca__status_set(st, e, "cannot look into the token in slot %lu", (unsigned long)list[i]);
            goto out;
        }
        if (b == 0)
            continue;
        if (k < cap) {
            if (slots)
                slots[k] = list[i];
            if (serials)
                memcpy(serials[k], serial, sizeof serial);
        }
        k++;
    }
    *n = k;
    e = ca__status_set(st, CA_OK, NULL);
out:
    free(list);
    return e;
}

/* ---- the key pair ---------------------------------------------------------------------- */

CK_RV ca__p11_keygen(struct ca__mod *m, CK_SESSION_HANDLE s, enum ca_key_type type, bool on_token,
                     const CK_BYTE *id, CK_ULONG idlen, const char *label, CK_OBJECT_HANDLE *pub,
                     CK_OBJECT_HANDLE *priv)
{
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE, token = on_token ? CK_TRUE : CK_FALSE;
    CK_ULONG bits = 2048, label_len = (CK_ULONG)strlen(label);
    CK_BYTE exponent[] = {0x01, 0x00, 0x01};
    CK_MECHANISM rsa = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0}, ec = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pubt[] = {
        {CKA_TOKEN, &token, sizeof token},
        {CKA_PRIVATE, &no, sizeof no},
        {CKA_VERIFY, &yes, sizeof yes},
        {CKA_ENCRYPT, &no, sizeof no},
        {CKA_WRAP, &no, sizeof no},
        {CKA_ID, (void *)id, idlen},
        {CKA_LABEL, (void *)label, label_len},
        /* the last two: the algorithm's parameters */
        {CKA_MODULUS_BITS, &bits, sizeof bits},
        {CKA_PUBLIC_EXPONENT, exponent, sizeof exponent},
    };
    CK_ATTRIBUTE privt[] = {
        {CKA_TOKEN, &token, sizeof token}, {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes}, {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_SIGN, &yes, sizeof yes},      {CKA_DECRYPT, &no, sizeof no},
        {CKA_UNWRAP, &no, sizeof no},      {CKA_DERIVE, &no, sizeof no},
        {CKA_ID, (void *)id, idlen},       {CKA_LABEL, (void *)label, label_len},
    };
    CK_ULONG npub = sizeof pubt / sizeof pubt[0];
    if (type == CA_KEY_EC_P256) {
        pubt[npub - 2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)ca_p256_oid, sizeof ca_p256_oid};
        npub--;
    }
    return m->f->C_GenerateKeyPair(s, type == CA_KEY_EC_P256 ? &ec : &rsa, pubt, npub, privt,
                                   sizeof privt / sizeof privt[0], pub, priv);
}

/* Reads one variable-length attribute (at most CA_CARD_ATTR_MAX bytes) into a malloc'ed
 * buffer. */
static unsigned char *ca_attr(struct ca__mod *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
                              CK_ATTRIBUTE_TYPE type, size_t *len)
{
    CK_ATTRIBUTE a = {type, NULL, 0};
    unsigned char *v = NULL;
    if (m->f->C_GetAttributeValue(s, h, &a, 1) != CKR_OK || a.ulValueLen == 0 ||
        a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen > CA_CARD_ATTR_MAX ||
        !(v = malloc(a.ulValueLen)))
        return NULL;
    a.pValue = v;
    if (m->f->C_GetAttributeValue(s, h, &a, 1) != CKR_OK) {
        free(v);
        return NULL;
    }
    *len = a.ulValueLen;
    return v;
}

static EVP_PKEY *ca_pkey_from(const char *alg, const OSSL_PARAM *params)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
    EVP_PKEY *pk = NULL;
    if (!c || EVP_PKEY_fromdata_init(c) <= 0 ||
        EVP_PKEY_fromdata(c, &pk, EVP_PKEY_PUBLIC_KEY, (OSSL_PARAM *)params) <= 0)
        pk = NULL;
    EVP_PKEY_CTX_free(c);
    if (pk) {
        EVP_PKEY_CTX *chk = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
        if (!chk || EVP_PKEY_public_check(chk) != 1) {
            EVP_PKEY_free(pk);
            pk = NULL;
        }
        EVP_PKEY_CTX_free(chk);
    }
    return pk;
}

/* A new public key (the card's, or the OCSP responder's) as an EVP_PKEY, of exactly the type
 * asked for. */
EVP_PKEY *ca__p11_public_key(struct ca__mod *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
                             enum ca_key_type type)
{
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    EVP_PKEY *pk = NULL;
    BIGNUM *n = NULL, *e = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    ASN1_OCTET_STRING *os = NULL;

    if (type == CA_KEY_RSA2048) {
        if (!(a = ca_attr(m, s, h, CKA_MODULUS, &alen)) ||
            !(b = ca_attr(m, s, h, CKA_PUBLIC_EXPONENT, &blen)) ||
            !(n = BN_bin2bn(a, (int)alen, NULL)) || !(e = BN_bin2bn(b, (int)blen, NULL)) ||
            !(bld = OSSL_PARAM_BLD_new()) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
            !(params = OSSL_PARAM_BLD_to_param(bld)))
            goto out;
        pk = ca_pkey_from("RSA", params);
        if (pk && EVP_PKEY_get_bits(pk) != 2048) {
            EVP_PKEY_free(pk);
            pk = NULL;
        }
    } else {
        /* CKA_EC_POINT is DER OCTET STRING { 04 || X || Y } (PKCS#11 2.40); a few tokens give
         * the bare point */
        const unsigned char *pt = NULL, *q;
        size_t ptlen = 0;
        if (!(a = ca_attr(m, s, h, CKA_EC_POINT, &alen)))
            goto out;
        if (alen == 65 && a[0] == 0x04) {
            pt = a;
            ptlen = alen;
        } else if ((q = a, os = d2i_ASN1_OCTET_STRING(NULL, &q, (long)alen)) && q == a + alen) {
            pt = ASN1_STRING_get0_data(os);
            ptlen = (size_t)ASN1_STRING_length(os);
        }
        if (!pt || ptlen != 65 || pt[0] != 0x04)
            goto out;
        OSSL_PARAM p[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pt, ptlen),
            OSSL_PARAM_construct_end(),
        };
        pk = ca_pkey_from("EC", p);
    }
out:
    ASN1_OCTET_STRING_free(os);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    free(a);
    free(b);
    ERR_clear_error();
    return pk;
}

/* The private key as the template asked: sensitive, not extractable, for signing. */
static bool ca_priv_ok(struct ca__mod *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    CK_BBOOL sens = CK_FALSE, extr = CK_TRUE, sign = CK_FALSE;
    CK_ATTRIBUTE a[] = {{CKA_SENSITIVE, &sens, sizeof sens},
                        {CKA_EXTRACTABLE, &extr, sizeof extr},
                        {CKA_SIGN, &sign, sizeof sign}};
    return m->f->C_GetAttributeValue(s, h, a, 3) == CKR_OK && sens == CK_TRUE && extr == CK_FALSE &&
           sign == CK_TRUE;
}

static CK_RV ca_put_cert(struct ca__mod *m, CK_SESSION_HANDLE s, X509 *x)
{
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE ct = CKC_X_509;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_BYTE id = CA_CARD_KEY_ID;
    char label[] = CA_CARD_OBJ_LABEL;
    unsigned char *subj = NULL, *iss = NULL, *ser = NULL, *val = NULL;
    int ls = i2d_X509_NAME(X509_get_subject_name(x), &subj);
    int li = i2d_X509_NAME(X509_get_issuer_name(x), &iss);
    int lr = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &ser);
    int lv = i2d_X509(x, &val);
    CK_OBJECT_HANDLE h;
    CK_RV rv = CKR_HOST_MEMORY;
    if (ls > 0 && li > 0 && lr > 0 && lv > 0) {
        CK_ATTRIBUTE t[] = {
            {CKA_CLASS, &cls, sizeof cls},
            {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
            {CKA_TOKEN, &yes, sizeof yes},
            {CKA_PRIVATE, &no, sizeof no},
            {CKA_ID, &id, sizeof id},
            {CKA_LABEL, label, sizeof label - 1},
            {CKA_SUBJECT, subj, (CK_ULONG)ls},
            {CKA_ISSUER, iss, (CK_ULONG)li},
            {CKA_SERIAL_NUMBER, ser, (CK_ULONG)lr},
            {CKA_VALUE, val, (CK_ULONG)lv},
        };
        rv = m->f->C_CreateObject(s, t, sizeof t / sizeof t[0], &h);
    }
    OPENSSL_free(subj);
    OPENSSL_free(iss);
    OPENSSL_free(ser);
    OPENSSL_free(val);
    return rv;
}

/* ---- undoing ---------------------------------------------------------------------------- */

/* Destroys every object on the card (the session logged in as the user). 0 when none is
 * left. */
static int ca_wipe(struct ca__mod *m, CK_SESSION_HANDLE s)
{
    for (int round = 0; round < CA_CARD_UNDO_ROUNDS; round++) {
        CK_OBJECT_HANDLE h[16];
        CK_ULONG found = 0;
        if (m->f->C_FindObjectsInit(s, NULL, 0) != CKR_OK)
            return -1;
        CK_RV rv = m->f->C_FindObjects(s, h, 16, &found);
        m->f->C_FindObjectsFinal(s);
        if (rv != CKR_OK)
            return -1;
        if (found == 0)
            return 0;
        for (CK_ULONG i = 0; i < found; i++)
            if (m->f->C_DestroyObject(s, h[i]) != CKR_OK)
                return -1;
    }
    return -1;
}

enum ca_login { CA_LOGGED_OUT, CA_LOGGED_USER, CA_LOGGED_SO };

/* Returns the card to blank: logged in as the user with the transport PIN, every object
 * destroyed, logged out. 0, or -1 when it could not be done. */
static int ca_undo(struct ca__mod *m, const struct ca__card_cfg *cfg, CK_SESSION_HANDLE s,
                   enum ca_login *login)
{
    CK_RV rv;
    if (*login == CA_LOGGED_SO) {
        m->f->C_Logout(s);
        *login = CA_LOGGED_OUT;
    }
    if (*login == CA_LOGGED_OUT) {
        rv = m->f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)cfg->transport_pin,
                           (CK_ULONG)strlen(cfg->transport_pin));
        if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
            return -1;
        *login = CA_LOGGED_USER;
    }
    return ca_wipe(m, s);
}

enum ca_err ca__card_personalise(struct ca__mod *m, const struct ca__card_cfg *cfg,
                                 unsigned long slot, enum ca_key_type type, ca__certify_fn certify,
                                 void *arg, X509 **cert, char pin[CA_PIN_LEN + 1],
                                 char puk[CA_PUK_LEN + 1], struct ca_status *st)
{
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE hpub = CK_INVALID_HANDLE, hpriv = CK_INVALID_HANDLE;
    CK_TOKEN_INFO ti;
    CK_RV rv;
    enum ca_login login = CA_LOGGED_OUT;
    bool written = false; /* objects may be on the card: undo on failure */
    EVP_PKEY *pub = NULL;
    X509 *x = NULL;
    char newpin[CA_PIN_LEN + 1], newpuk[CA_PUK_LEN + 1];
    enum ca_err e = CA_E_CARD;

    *cert = NULL;
    memset(newpin, 0, sizeof newpin);
    memset(newpuk, 0, sizeof newpuk);
    if ((rv = m->f->C_GetTokenInfo(slot, &ti)) != CKR_OK) {
        ca__status_set(st, CA_E_CARD_NOT_FOUND, "C_GetTokenInfo: 0x%lx", (unsigned long)rv);
        e = CA_E_CARD_NOT_FOUND;
        goto out;
    }
    if (ti.flags & (CKF_USER_PIN_LOCKED | CKF_SO_PIN_LOCKED)) {
        e = ca__status_set(st, CA_E_CARD_PIN, "the card reports a locked PIN");
        goto out;
    }
    if (ti.ulMinPinLen > CA_PIN_LEN || ti.ulMaxPinLen < CA_PUK_LEN) {
        e = ca__status_set(st, CA_E_CARD, "the card takes PINs of %lu-%lu characters",
                           (unsigned long)ti.ulMinPinLen, (unsigned long)ti.ulMaxPinLen);
        goto out;
    }
    if ((rv = m->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) !=
        CKR_OK) {
        ca__status_set(st, e, "C_OpenSession: 0x%lx", (unsigned long)rv);
        goto out;
    }
    rv = m->f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)cfg->transport_pin,
                       (CK_ULONG)strlen(cfg->transport_pin));
    if (rv != CKR_OK) {
        e = ca__status_set(st, ca_pin_rv(rv) ? CA_E_CARD_PIN : CA_E_CARD,
                           "C_Login (transport user PIN): 0x%lx", (unsigned long)rv);
        goto out;
    }
    login = CA_LOGGED_USER;
    int objects = ca_count_objects(m, s);
    if (objects != 0) {
        e = ca__status_set(st, objects < 0 ? CA_E_CARD : CA_E_CARD_NOT_BLANK,
                           "the card holds private objects");
        goto out;
    }

    written = true;
    const CK_BYTE key_id = CA_CARD_KEY_ID;
    if ((rv = ca__p11_keygen(m, s, type, true, &key_id, 1, CA_CARD_OBJ_LABEL, &hpub, &hpriv)) !=
        CKR_OK) {
        ca__status_set(st, e, "C_GenerateKeyPair: 0x%lx", (unsigned long)rv);
        goto undo;
    }
    if (!ca_priv_ok(m, s, hpriv)) {
        ca__status_set(st, e,
                       "the card made a private key that is not sensitive, or "
                       "extractable, or not for signing");
        goto undo;
    }
    if (!(pub = ca__p11_public_key(m, s, hpub, type))) {
        ca__status_set(st, e, "cannot read the card's new public key");
        goto undo;
    }
    if ((e = certify(arg, pub, &x, st)) != CA_OK)
        goto undo;
    e = CA_E_CARD;
    if ((rv = ca_put_cert(m, s, x)) != CKR_OK) {
        ca__status_set(st, e, "C_CreateObject (certificate): 0x%lx", (unsigned long)rv);
        goto undo;
    }

    /* the PINs: the user PIN set by the SO (the transport user PIN is not needed for it),
     * then the SO PIN changed; each step undone if the next fails */
    m->f->C_Logout(s);
    login = CA_LOGGED_OUT;
    rv = m->f->C_Login(s, CKU_SO, (CK_UTF8CHAR *)cfg->transport_so_pin,
                       (CK_ULONG)strlen(cfg->transport_so_pin));
    if (rv != CKR_OK) {
        e = ca__status_set(st, ca_pin_rv(rv) ? CA_E_CARD_PIN : CA_E_CARD,
                           "C_Login (transport SO PIN): 0x%lx", (unsigned long)rv);
        goto undo;
    }
    login = CA_LOGGED_SO;
    if (ca__random_digits(newpin, CA_PIN_LEN) || ca__random_digits(newpuk, CA_PUK_LEN)) {
        e = ca__status_set(st, CA_E_RAND, "getrandom failed");
        goto undo;
    }
    if ((rv = m->f->C_InitPIN(s, (CK_UTF8CHAR *)newpin, CA_PIN_LEN)) != CKR_OK) {
        ca__status_set(st, e, "C_InitPIN: 0x%lx", (unsigned long)rv);
        goto undo;
    }
    rv = m->f->C_SetPIN(s, (CK_UTF8CHAR *)cfg->transport_so_pin,
                        (CK_ULONG)strlen(cfg->transport_so_pin), (CK_UTF8CHAR *)newpuk, CA_PUK_LEN);
    if (rv != CKR_OK) {
        /* the user PIN back to the transport one, so that undo can log in */
        CK_RV back = m->f->C_InitPIN(s, (CK_UTF8CHAR *)cfg->transport_pin,
                                     (CK_ULONG)strlen(cfg->transport_pin));
        if (back != CKR_OK) {
            written = false; /* cannot be undone: only the new user PIN opens it now */
            e = ca__status_set(st, CA_E_CARD_SPOILED,
                               "C_SetPIN (SO): 0x%lx; the user PIN could not be set back: 0x%lx",
                               (unsigned long)rv, (unsigned long)back);
            goto out;
        }
        ca__status_set(st, e, "C_SetPIN (SO): 0x%lx", (unsigned long)rv);
        goto undo;
    }
    m->f->C_Logout(s);
    login = CA_LOGGED_OUT;
    memcpy(pin, newpin, sizeof newpin);
    memcpy(puk, newpuk, sizeof newpuk);
    *cert = x;
    x = NULL;
    written = false;
    e = ca__status_set(st, CA_OK, NULL);
    goto out;

undo:
    if (written && ca_undo(m, cfg, s, &login) != 0) {
        char was[sizeof st->detail];
        snprintf(was, sizeof was, "%s", st ? st->detail : "");
        e = ca__status_set(st, CA_E_CARD_SPOILED, "%s; and the card could not be wiped", was);
    }
out:
    OPENSSL_cleanse(newpin, sizeof newpin);
    OPENSSL_cleanse(newpuk, sizeof newpuk);
    if (login != CA_LOGGED_OUT)
        m->f->C_Logout(s);
    if (s != CK_INVALID_HANDLE)
        m->f->C_CloseSession(s);
    EVP_PKEY_free(pub);
    X509_free(x);
    ERR_clear_error();
    return e;
}
