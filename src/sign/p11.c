/* eimza — PKCS#11 tokens through libp11: loading a module, listing tokens, choosing the
 * certificate to sign with, logging in once with the PIN, and signing with the card's key.
 *
 * Each operation enumerates the slots afresh and releases them at its end: cards come and
 * go between requests of the agent, and releasing the slots closes every session, which logs
 * the card out, so a PIN entered for one signature never serves a second one. libp11 keeps a
 * copy of the PIN for re-login while the slot lives; it wipes it when the slot is released,
 * that is before this file returns.
 *
 * Before login only public objects are visible (AKİS keeps its private key private), so a
 * token "has a certificate" when it holds a non-CA certificate whose key usage allows
 * signing; its private key (same CKA_ID) is looked up after login. With several such
 * certificates the one with non-repudiation (the qualified one) and the latest notAfter
 * wins. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libp11.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/catalogue.h"
#include "sign/sign_int.h"

/* The PKCS#11 return values this file tells apart (from the PKCS#11 specification; libp11
 * puts them on OpenSSL's error queue as the reason of its "CKR" library). */
#define SIGN_CKR_FUNCTION_CANCELED 0x50UL
#define SIGN_CKR_PIN_INCORRECT     0xA0UL
#define SIGN_CKR_PIN_INVALID       0xA1UL
#define SIGN_CKR_PIN_LEN_RANGE     0xA2UL
#define SIGN_CKR_PIN_EXPIRED       0xA3UL
#define SIGN_CKR_PIN_LOCKED        0xA4UL

struct sign_module {
    PKCS11_CTX *ctx;
};

struct sign_slots {
    PKCS11_SLOT *v;
    unsigned int n;
};

/* The most recent libp11 PKCS#11 return value on the error queue, or 0; and an English
 * description of the first error for the detail. The queue is emptied. */
static unsigned long sign_p11_ckr(char *detail, size_t n)
{
    unsigned long e, ckr = 0;
    int ckrlib = ERR_get_CKR_code();
    if (detail && n)
        detail[0] = '\0';
    while ((e = ERR_get_error()) != 0) {
        if (ERR_GET_LIB(e) == ckrlib)
            ckr = (unsigned long)ERR_GET_REASON(e);
        if (detail && n && !detail[0])
            ERR_error_string_n(e, detail, n);
    }
    return ckr;
}

enum sign_err sign_module_open(const char *path, struct sign_module **out, struct sign_status *st)
{
    struct sign_module *m = NULL;
    char detail[200];
    enum sign_err e = SIGN_E_NOMEM;
    *out = NULL;
    ERR_clear_error();
    m = calloc(1, sizeof *m);
    if (!m || !(m->ctx = PKCS11_CTX_new())) {
        sign_status_set(st, e, NULL);
        goto out;
    }
    if (PKCS11_CTX_load(m->ctx, path) != 0) {
        sign_p11_ckr(detail, sizeof detail);
        e = SIGN_E_MODULE;
        sign_status_set(st, e, "cannot load the PKCS#11 module %s: %s", path,
                        detail[0] ? detail : "no detail");
        PKCS11_CTX_free(m->ctx);
        m->ctx = NULL;
        goto out;
    }
    *out = m;
    m = NULL;
    e = SIGN_OK;
    sign_status_set(st, e, NULL);
out:
    free(m);
    return e;
}

void sign_module_close(struct sign_module *m)
{
    if (!m)
        return;
    if (m->ctx) {
        PKCS11_CTX_unload(m->ctx);
        PKCS11_CTX_free(m->ctx);
    }
    ERR_clear_error();
    free(m);
}

static enum sign_err sign_slots_get(struct sign_module *m, struct sign_slots *s,
                                    struct sign_status *st)
{
    char detail[200];
    s->v = NULL;
    s->n = 0;
    if (PKCS11_enumerate_slots(m->ctx, &s->v, &s->n) != 0) {
        sign_p11_ckr(detail, sizeof detail);
        s->v = NULL;
        s->n = 0;
        sign_status_set(st, SIGN_E_MODULE, "cannot list the slots: %s", detail);
        return SIGN_E_MODULE;
    }
    return SIGN_OK;
}

static void sign_slots_release(struct sign_module *m, struct sign_slots *s)
{
    if (s->v)
        PKCS11_release_all_slots(m->ctx, s->v, s->n);
    s->v = NULL;
    s->n = 0;
}

/* Copies a libp11 string (already stripped of PKCS#11's blank padding), NULL as "". */
static void sign_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
    for (size_t n = strlen(dst); n > 0 && dst[n - 1] == ' '; n--)
        dst[n - 1] = '\0';
}

/* 2 for non-repudiation, 1 for digitalSignature or no key usage at all, 0 when the
 * certificate is not for signing (a CA, or a key usage without either bit). */
static int sign_cert_score(X509 *x)
{
    if (!x || X509_check_ca(x) != 0)
        return 0;
    uint32_t ku = X509_get_key_usage(x);
    if (ku == UINT32_MAX)
        return 1;
    if (ku & KU_NON_REPUDIATION)
        return 2;
    return (ku & KU_DIGITAL_SIGNATURE) ? 1 : 0;
}

/* The token's certificate to sign with, or NULL; owned by libp11 (the slot). */
static PKCS11_CERT *sign_pick_cert(PKCS11_TOKEN *tok)
{
    PKCS11_CERT *certs = NULL, *best = NULL;
    unsigned int n = 0;
    int best_score = 0;
    if (PKCS11_enumerate_certs(tok, &certs, &n) != 0) {
        ERR_clear_error();
        return NULL;
    }
    for (unsigned int i = 0; i < n; i++) {
        int score = sign_cert_score(certs[i].x509);
        if (score == 0)
            continue;
        if (!best || score > best_score ||
            (score == best_score && ASN1_TIME_compare(X509_get0_notAfter(certs[i].x509),
                                                      X509_get0_notAfter(best->x509)) > 0)) {
            best = &certs[i];
            best_score = score;
        }
    }
    return best;
}

static void sign_cert_info(X509 *x, struct sign_token_info *t)
{
    const X509_NAME *subj = X509_get_subject_name(x);
    int idx = subj ? X509_NAME_get_index_by_NID(subj, NID_commonName, -1) : -1;
    struct tm tm;
    t->cert_subject_cn[0] = '\0';
    if (idx >= 0) {
        unsigned char *utf8 = NULL;
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx));
        int n = ASN1_STRING_to_UTF8(&utf8, s);
        if (n > 0)
            snprintf(t->cert_subject_cn, sizeof t->cert_subject_cn, "%.*s", n, (char *)utf8);
        OPENSSL_free(utf8);
    }
    t->cert_not_after[0] = '\0';
    if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
        strftime(t->cert_not_after, sizeof t->cert_not_after, "%Y-%m-%dT%H:%M:%SZ", &tm);
    EVP_PKEY *pk = X509_get0_pubkey(x);
    int id = pk ? EVP_PKEY_get_base_id(pk) : 0;
    snprintf(t->cert_key_type, sizeof t->cert_key_type, "%s",
             id == EVP_PKEY_RSA  ? "RSA"
             : id == EVP_PKEY_EC ? "EC"
                                 : "?");
}

static void sign_pin_flags(const PKCS11_TOKEN *tok, struct sign_pin_state *p)
{
    p->count_low = tok->userPinCountLow != 0;
    p->final_try = tok->userPinFinalTry != 0;
    p->locked = tok->userPinLocked != 0;
}

/* Fills *t from the slot's token (which must be present); returns its signing certificate
 * or NULL. */
static PKCS11_CERT *sign_token_describe(PKCS11_SLOT *slot, struct sign_token_info *t)
{
    PKCS11_TOKEN *tok = slot->token;
    memset(t, 0, sizeof *t);
    t->slot_id = PKCS11_get_slotid_from_slot(slot);
    sign_copy(t->label, sizeof t->label, tok->label);
    sign_copy(t->manufacturer, sizeof t->manufacturer, tok->manufacturer);
    sign_copy(t->model, sizeof t->model, tok->model);
    sign_copy(t->serial, sizeof t->serial, tok->serialnr);
    sign_pin_flags(tok, &t->pin);
    t->login_required = tok->loginRequired != 0;
    t->protected_path = tok->secureLogin != 0;
    PKCS11_CERT *c = sign_pick_cert(tok);
    if (c) {
        t->has_certificate = true;
        sign_cert_info(c->x509, t);
    }
    return c;
}

static bool sign_slot_usable(const PKCS11_SLOT *slot)
{
    return slot->token && slot->token->initialized;
}

enum sign_err sign_module_tokens(struct sign_module *m, struct sign_token_info **out, size_t *n,
                                 struct sign_status *st)
{
    struct sign_slots s;
    struct sign_token_info *v = NULL;
    size_t k = 0;
    enum sign_err e;
    *out = NULL;
    *n = 0;
    ERR_clear_error();
    e = sign_slots_get(m, &s, st);
    if (e != SIGN_OK)
        goto out;
    if (s.n > 0 && !(v = calloc(s.n, sizeof *v))) {
        e = SIGN_E_NOMEM;
        sign_status_set(st, e, NULL);
        goto out;
    }
    for (unsigned int i = 0; i < s.n; i++)
        if (sign_slot_usable(&s.v[i]))
            sign_token_describe(&s.v[i], &v[k++]);
    *out = v;
    *n = k;
    v = NULL;
    sign_status_set(st, SIGN_OK, NULL);
out:
    free(v);
    sign_slots_release(m, &s);
    ERR_clear_error();
    return e;
}

/* Chooses the slot: the token labelled label that holds a signing certificate (cards made
 * from one blank batch share their label: the blank ones beside it are passed over), or the
 * only one with a signing certificate. */
static enum sign_err sign_choose(struct sign_slots *s, const char *label, PKCS11_SLOT **slot,
                                 PKCS11_CERT **cert, struct sign_token_info *info,
                                 struct sign_status *st)
{
    struct sign_token_info t;
    unsigned int present = 0, candidates = 0, labelled = 0;
    *slot = NULL;
    *cert = NULL;
    for (unsigned int i = 0; i < s->n; i++) {
        if (!sign_slot_usable(&s->v[i]))
            continue;
        present++;
        PKCS11_CERT *c = sign_token_describe(&s->v[i], &t);
        if (label && *label) {
            if (strcmp(t.label, label) != 0)
                continue;
            labelled++;
        }
        if (!c)
            continue;
        if (candidates++ == 0) {
            *slot = &s->v[i];
            *cert = c;
            *info = t;
        }
    }
    if (label && *label && candidates == 0 && labelled > 0) {
        sign_status_set(st, SIGN_E_NO_CERTIFICATE, "token \"%s\" has no signing certificate",
                        label);
        return SIGN_E_NO_CERTIFICATE;
    }
    if (label && *label && candidates == 0) {
        sign_status_set(st, SIGN_E_TOKEN_NOT_FOUND, "no token labelled \"%s\" (%u present)", label,
                        present);
        sign_status_say(st, "sign_err.token_not_found.label", label);
        return SIGN_E_TOKEN_NOT_FOUND;
    }
    if (candidates == 0) {
        enum sign_err e = present ? SIGN_E_NO_CERTIFICATE : SIGN_E_TOKEN_NOT_FOUND;
        sign_status_set(st, e, "%u token(s) present, none with a signing certificate", present);
        return e;
    }
    if (candidates > 1) {
        sign_status_set(st, SIGN_E_TOKEN_AMBIGUOUS, "%u tokens could sign: name one by its label",
                        candidates);
        *slot = NULL;
        *cert = NULL;
        return SIGN_E_TOKEN_AMBIGUOUS;
    }
    return SIGN_OK;
}

/* After the card refused the PIN: read the flags again (the card counts, not us) and say
 * what it reports about the tries that remain. */
static enum sign_err sign_login_failed(struct sign_module *m, struct sign_slots *s,
                                       unsigned long slot_id, unsigned long ckr, const char *detail,
                                       struct sign_status *st)
{
    struct sign_pin_state after = {0};
    bool have = false;
    enum sign_err e;

    sign_slots_release(m, s); /* fresh slots, so libp11 asks the card for its flags again */
    if (sign_slots_get(m, s, NULL) == SIGN_OK)
        for (unsigned int i = 0; i < s->n; i++)
            if (sign_slot_usable(&s->v[i]) && PKCS11_get_slotid_from_slot(&s->v[i]) == slot_id) {
                sign_pin_flags(s->v[i].token, &after);
                have = true;
            }
    ERR_clear_error();
    if (ckr == SIGN_CKR_PIN_LOCKED || after.locked) {
        after.locked = true;
        e = SIGN_E_PIN_LOCKED;
        sign_status_set(st, e, "C_Login: %s", detail);
        sign_status_say(st, sign_pin_failure_key(&after), NULL);
    } else if (ckr == SIGN_CKR_PIN_INCORRECT) {
        e = SIGN_E_PIN_INCORRECT;
        sign_status_set(st, e, "C_Login: %s", detail);
        sign_status_say(st, sign_pin_failure_key(&after), NULL);
    } else if (ckr == SIGN_CKR_PIN_INVALID || ckr == SIGN_CKR_PIN_LEN_RANGE) {
        e = SIGN_E_PIN_INVALID;
        sign_status_set(st, e, "C_Login: %s", detail);
    } else if (ckr == SIGN_CKR_FUNCTION_CANCELED) {
        e = SIGN_E_CANCELLED;
        sign_status_set(st, e, "C_Login: %s", detail);
    } else if (ckr == SIGN_CKR_PIN_EXPIRED) {
        e = SIGN_E_PIN_INVALID;
        sign_status_set(st, e, "C_Login: %s", detail);
        sign_status_say(st, "sign_err.pin_invalid.expired", NULL);
    } else {
        e = SIGN_E_TOKEN;
        sign_status_set(st, e, "C_Login: %s", detail);
    }
    st->has_pin = have || e == SIGN_E_PIN_LOCKED;
    st->pin = after;
    return e;
}

enum sign_err sign_module_sign(struct sign_module *m, const struct sign_request *req,
                               unsigned char **der, size_t *der_len, struct sign_token_info *used,
                               struct sign_status *st)
{
    struct sign_slots s = {NULL, 0};
    struct sign_token_info info;
    PKCS11_SLOT *slot = NULL;
    PKCS11_CERT *cert = NULL;
    PKCS11_KEY *key = NULL;
    EVP_PKEY *pkey = NULL;
    char pin[SIGN_PIN_MAX + 1];
    char detail[200];
    bool logged_in = false;
    enum sign_err e;

    *der = NULL;
    *der_len = 0;
    memset(pin, 0, sizeof pin);
    ERR_clear_error();
    e = sign_slots_get(m, &s, st);
    if (e != SIGN_OK)
        goto out;
    e = sign_choose(&s, req->token_label, &slot, &cert, &info, st);
    if (e != SIGN_OK)
        goto out;
    if (info.pin.locked) {
        e = SIGN_E_PIN_LOCKED;
        sign_status_set(st, e, "the token reports its user PIN locked");
        sign_status_say(st, "pin.warning_locked", NULL);
        st->has_pin = true;
        st->pin = info.pin;
        goto out;
    }

    /* No PIN typed here (a PIN pad, or no login at all): the person still says yes first. */
    if ((!info.login_required || info.protected_path) && req->confirm) {
        struct sign_pin_request pr = {&info, sign_pin_warning(&info.pin), req->purpose};
        e = req->confirm(req->confirm_arg, &pr);
        if (e != SIGN_OK) {
            sign_status_set(st, e, "the person did not confirm");
            goto out;
        }
    }
    if (info.login_required) {
        const char *pinp = NULL; /* NULL: typed on the reader's PIN pad */
        if (!info.protected_path) {
            struct sign_pin_request pr = {&info, sign_pin_warning(&info.pin), req->purpose};
            e = req->ask_pin(req->ask_arg, &pr, pin, sizeof pin);
            if (e != SIGN_OK) {
                sign_status_set(st, e, "the PIN was not given");
                goto out;
            }
            pinp = pin;
        }
        if (PKCS11_login(slot, 0, pinp) != 0) {
            unsigned long ckr = sign_p11_ckr(detail, sizeof detail);
            OPENSSL_cleanse(pin, sizeof pin);
            slot = NULL;
            cert = NULL;
            e = sign_login_failed(m, &s, info.slot_id, ckr, detail, st);
            goto out;
        }
        logged_in = true;
        OPENSSL_cleanse(pin, sizeof pin);
    }

    key = PKCS11_find_key(cert);
    if (!key) {
        e = SIGN_E_NO_KEY;
        sign_p11_ckr(detail, sizeof detail);
        sign_status_set(st, e, "no private key with the certificate's id on \"%s\"", info.label);
        goto out;
    }
    pkey = PKCS11_get_private_key(key);
    if (!pkey) {
        e = SIGN_E_TOKEN;
        sign_p11_ckr(detail, sizeof detail);
        sign_status_set(st, e, "cannot use the private key: %s", detail);
        goto out;
    }
    e = sign_cms_cades(pkey, cert->x509, req->content, req->content_len, der, der_len, st);
    if (e != SIGN_OK)
        goto out;
    if (used)
        *used = info;
    sign_status_set(st, SIGN_OK, NULL);
out:
    OPENSSL_cleanse(pin, sizeof pin);
    EVP_PKEY_free(pkey);
    if (logged_in && slot)
        PKCS11_logout(slot);
    sign_slots_release(m, &s);
    ERR_clear_error();
    return e;
}
