/* eimza — the in-house CA engine (ca/): opening the CA's token, and the calls of ca/ca.h
 * that tie the profile (profile.c), the card (card.c) and revocation (revoke.c) together.
 *
 * The CA token is reached through libp11, which gives its key as an EVP_PKEY that OpenSSL
 * signs certificates and CRLs with (the key's operations run in the token); OCSP responses are
 * signed by the delegated responder (responder.c), whose key is on the same token. The token
 * stays logged in while the engine is open. Locks: card_mu serialises card production (one
 * card at a time: a reader is a physical thing), key_mu every signature of the CA key, and
 * nothing else (the registry is asked, CRLs and responses built, outside it); the responder
 * has its own. An OCSP answer therefore never waits for a card's key generation nor for a
 * long CRL. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libp11.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "ca/ca_p11.h"
#include "util/rand.h"

#define CA_LABEL_MAX  32 /* PKCS#11 token labels */
#define CA_PIN_MAXLEN 64
#define CA_CARDS_MAX  64 /* blank cards looked at in one call */

struct ca {
    pthread_mutex_t card_mu, key_mu;
    struct ca__mod *ca_mod, *card_mod; /* card_mod == ca_mod when they are one module */
    PKCS11_SLOT *slots;                /* libp11's slot list of the CA module, kept while open */
    unsigned int nslots;
    struct ca__responder *responder; /* the OCSP responder, on the CA token */
    EVP_PKEY *key;                   /* the CA key, in the token */
    X509 *cert;
    unsigned char *cert_der;
    size_t cert_len;
    struct ca__profile prof;
    struct ca__card_cfg card;
    char blank_label[CA_LABEL_MAX + 1];
    char transport_pin[CA_PIN_MAXLEN + 1], transport_so_pin[CA_PIN_MAXLEN + 1];
};

/* Copies a setting that must be present and fit; -1 otherwise. */
static int ca_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap) : 0;
    if (n == 0 || n >= cap)
        return -1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

static void ca_trimmed(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
    for (size_t n = strlen(dst); n > 0 && dst[n - 1] == ' '; n--)
        dst[n - 1] = '\0';
}

int ca__key_matches(EVP_PKEY *key, X509 *cert)
{
    unsigned char msg[32], sig[1024];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = 0;
    const EVP_MD *md = ca__md_for(key);
    if (c && urand_bytes(msg, sizeof msg) == 0 && EVP_DigestSignInit(c, NULL, md, NULL, key) > 0 &&
        EVP_DigestSign(c, sig, &siglen, msg, sizeof msg) > 0) {
        EVP_MD_CTX_free(c);
        c = EVP_MD_CTX_new();
        ok = c && EVP_DigestVerifyInit(c, NULL, md, NULL, X509_get0_pubkey(cert)) > 0 &&
             EVP_DigestVerify(c, sig, siglen, msg, sizeof msg) == 1;
    }
    EVP_MD_CTX_free(c);
    ERR_clear_error();
    return ok ? 0 : -1;
}

/* The CA token: logged in, its key found and checked, its certificate read. */
static enum ca_err ca_open_token(struct ca *ca, const struct ca_config *c, struct ca_status *st)
{
    PKCS11_CTX *ctx = ca__mod_ctx(ca->ca_mod);
    PKCS11_SLOT *slot = NULL;
    PKCS11_KEY *keys = NULL, *key = NULL;
    unsigned int nkeys = 0, matches = 0;
    char label[CA_LABEL_MAX + 1], detail[160];
    bool sensitive = false, extractable = true;

    if (PKCS11_enumerate_slots(ctx, &ca->slots, &ca->nslots) != 0) {
        ca->slots = NULL;
        ca->nslots = 0;
        return ca__status_set(st, CA_E_MODULE, "cannot list the slots of %s", c->ca_module);
    }
    for (unsigned int i = 0; i < ca->nslots; i++) {
        PKCS11_TOKEN *t = ca->slots[i].token;
        if (!t || !t->initialized)
            continue;
        ca_trimmed(label, sizeof label, t->label);
        if (strcmp(label, c->ca_token_label) == 0) {
            slot = &ca->slots[i];
            matches++;
        }
    }
    if (matches != 1)
        return ca__status_set(st, CA_E_CA_TOKEN, "%u tokens labelled \"%s\"", matches,
                              c->ca_token_label);
    if (PKCS11_login(slot, 0, c->ca_pin) != 0) {
        unsigned long err = ERR_peek_error();
        snprintf(detail, sizeof detail, "no detail");
        if (err)
            ERR_error_string_n(err, detail, sizeof detail);
        ERR_clear_error();
        return ca__status_set(st, CA_E_CA_TOKEN, "the CA token refused its PIN: %s", detail);
    }
    ca->card.skip_slot = ca->card_mod == ca->ca_mod;
    ca->card.skip_slot_id = PKCS11_get_slotid_from_slot(slot);

    if (PKCS11_enumerate_keys(slot->token, &keys, &nkeys) != 0)
        return ca__status_set(st, CA_E_CA_TOKEN, "cannot list the CA token's keys");
    matches = 0;
    for (unsigned int i = 0; i < nkeys; i++) {
        ca_trimmed(label, sizeof label, keys[i].label);
        if (!c->ca_key_label || strcmp(label, c->ca_key_label) == 0) {
            key = &keys[i];
            matches++;
        }
    }
    if (matches != 1)
        return ca__status_set(st, CA_E_CA_TOKEN, "%u private keys labelled \"%s\" on the CA token",
                              matches, c->ca_key_label ? c->ca_key_label : "(any)");
    if (ca__mod_key_flags(ca->ca_mod, ca->card.skip_slot_id, key->id, key->id_len, &sensitive,
                          &extractable, st))
        return CA_E_CA_TOKEN;
    if (!sensitive || extractable)
        return ca__status_set(st, CA_E_CA_EXTRACTABLE, "CKA_SENSITIVE=%s CKA_EXTRACTABLE=%s",
                              sensitive ? "true" : "false", extractable ? "true" : "false");
    PKCS11_CERT *pc = PKCS11_find_certificate(key);
    if (!pc || !pc->x509 || !(ca->cert = X509_dup(pc->x509)))
        return ca__status_set(st, CA_E_CA_TOKEN, "no certificate with the CA key's CKA_ID");
    uint32_t ku = X509_get_key_usage(ca->cert);
    if (X509_check_ca(ca->cert) < 1 ||
        (ku != UINT32_MAX && (!(ku & KU_KEY_CERT_SIGN) || !(ku & KU_CRL_SIGN))))
        return ca__status_set(st, CA_E_CA_TOKEN,
                              "the certificate is not a CA's for certificates and CRLs");
    if (!X509_get0_subject_key_id(ca->cert))
        return ca__status_set(st, CA_E_CA_TOKEN, "the CA certificate has no subjectKeyIdentifier");
    if (!(ca->key = PKCS11_get_private_key(key)))
        return ca__status_set(st, CA_E_CA_TOKEN, "cannot use the CA key");
    if (ca__key_matches(ca->key, ca->cert))
        return ca__status_set(st, CA_E_CA_TOKEN,
                              "the CA key does not sign what its certificate verifies");
    enum ca_err e = ca__responder_new(ca->ca_mod, slot, ca->key, &ca->responder, st);
    if (e != CA_OK)
        return e;
    unsigned char *d = NULL;
    int n = i2d_X509(ca->cert, &d);
    if (n <= 0 || !(ca->cert_der = malloc((size_t)n))) {
        OPENSSL_free(d);
        return ca__status_set(st, CA_E_NOMEM, NULL);
    }
    memcpy(ca->cert_der, d, (size_t)n);
    ca->cert_len = (size_t)n;
    OPENSSL_free(d);
    return ca__status_set(st, CA_OK, NULL);
}

enum ca_err ca_open(const struct ca_config *c, struct ca **out, struct ca_status *st)
{
    struct ca *ca = NULL;
    enum ca_err e;

    *out = NULL;
    if (!(ca = calloc(1, sizeof *ca)))
        return ca__status_set(st, CA_E_NOMEM, NULL);
    pthread_mutex_init(&ca->card_mu, NULL);
    pthread_mutex_init(&ca->key_mu, NULL);
    e = CA_E_CONFIG;
    if (!c->ca_module || !*c->ca_module) {
        ca__status_set(st, e, "ca_module is required");
        goto fail;
    }
    if (!c->ca_token_label || !*c->ca_token_label ||
        strnlen(c->ca_token_label, CA_LABEL_MAX + 1) > CA_LABEL_MAX) {
        ca__status_set(st, e, "ca_token_label: 1-32 bytes");
        goto fail;
    }
    if (!c->ca_pin || !*c->ca_pin || strnlen(c->ca_pin, CA_PIN_MAXLEN + 1) > CA_PIN_MAXLEN) {
        ca__status_set(st, e, "ca_pin: 1-64 bytes");
        goto fail;
    }
    if (ca_copy(ca->blank_label, sizeof ca->blank_label,
                c->blank_label ? c->blank_label : CA_BLANK_LABEL)) {
        ca__status_set(st, e, "blank_label: 1-32 bytes");
        goto fail;
    }
    if (ca_copy(ca->transport_pin, sizeof ca->transport_pin, c->transport_pin) ||
        ca_copy(ca->transport_so_pin, sizeof ca->transport_so_pin, c->transport_so_pin)) {
        ca__status_set(st, e, "transport_pin and transport_so_pin: 1-64 bytes each");
        goto fail;
    }
    ca->card.blank_label = ca->blank_label;
    ca->card.transport_pin = ca->transport_pin;
    ca->card.transport_so_pin = ca->transport_so_pin;
    if ((e = ca__profile_new(c, &ca->prof, st)) != CA_OK)
        goto fail;
    if ((e = ca__mod_open(c->ca_module, &ca->ca_mod, st)) != CA_OK)
        goto fail;
    if (!c->card_module || !*c->card_module || strcmp(c->card_module, c->ca_module) == 0)
        ca->card_mod = ca->ca_mod;
    else if ((e = ca__mod_open(c->card_module, &ca->card_mod, st)) != CA_OK)
        goto fail;
    if ((e = ca_open_token(ca, c, st)) != CA_OK)
        goto fail;
    *out = ca;
    return ca__status_set(st, CA_OK, NULL);
fail:
    ca_close(ca);
    return e;
}

void ca_close(struct ca *ca)
{
    if (!ca)
        return;
    EVP_PKEY_free(ca->key);
    X509_free(ca->cert);
    free(ca->cert_der);
    ca__profile_free(&ca->prof);
    ca__responder_free(ca->responder); /* its objects go before the token is logged out */
    if (ca->slots)                     /* logs the CA token out */
        PKCS11_release_all_slots(ca__mod_ctx(ca->ca_mod), ca->slots, ca->nslots);
    if (ca->card_mod && ca->card_mod != ca->ca_mod)
        ca__mod_close(ca->card_mod);
    ca__mod_close(ca->ca_mod);
    OPENSSL_cleanse(ca->transport_pin, sizeof ca->transport_pin);
    OPENSSL_cleanse(ca->transport_so_pin, sizeof ca->transport_so_pin);
    pthread_mutex_destroy(&ca->card_mu);
    pthread_mutex_destroy(&ca->key_mu);
    free(ca);
}

const unsigned char *ca_certificate(struct ca *ca, size_t *len)
{
    *len = ca->cert_len;
    return ca->cert_der;
}

/* ---- issuing ------------------------------------------------------------------------------ */

struct ca_certify {
    struct ca *ca;
    const struct ca_holder *h;
    int64_t not_before, not_after;
    char serial[CA_SERIAL_MAX];
};

static enum ca_err ca_certify(void *arg, EVP_PKEY *pub, X509 **cert, struct ca_status *st)
{
    struct ca_certify *k = arg;
    ASN1_INTEGER *serial = NULL;
    enum ca_err e = ca__serial_new(&serial, st);
    if (e != CA_OK)
        return e;
    if (ca__serial_hex(serial, k->serial)) {
        ASN1_INTEGER_free(serial);
        return ca__status_set(st, CA_E_NOMEM, "serial");
    }
    pthread_mutex_lock(&k->ca->key_mu);
    e = ca__cert_make(&k->ca->prof, k->ca->cert, k->ca->key, pub, k->h, serial, k->not_before,
                      k->not_after, cert, st);
    pthread_mutex_unlock(&k->ca->key_mu);
    ASN1_INTEGER_free(serial);
    return e;
}

void ca_issued_clear(struct ca_issued *out)
{
    if (!out)
        return;
    free(out->cert_der);
    OPENSSL_cleanse(out, sizeof *out);
}

enum ca_err ca_issue(struct ca *ca, const struct ca_holder *h, int64_t now, struct ca_issued *out,
                     struct ca_status *st)
{
    struct ca_certify k = {ca, h, 0, 0, ""};
    unsigned long slots[CA_CARDS_MAX];
    char serials[CA_CARDS_MAX][17];
    size_t n = 0, pick = CA_CARDS_MAX;
    X509 *cert = NULL;
    unsigned char *d = NULL;
    enum ca_err e;

    memset(out, 0, sizeof *out);
    if ((e = ca__holder_check(h, now, &k.not_before, &k.not_after, st)) != CA_OK)
        return e;
    /* the CA certificate must cover the new one: known before any card is touched */
    int64_t ib = 0, ia = 0;
    (void)ca__time_unix(X509_get0_notBefore(ca->cert), &ib);
    (void)ca__time_unix(X509_get0_notAfter(ca->cert), &ia);
    if (ib > k.not_before || ia < k.not_after)
        return ca__status_set(st, CA_E_CA_VALIDITY,
                              "the CA certificate does not cover the new certificate's validity");

    pthread_mutex_lock(&ca->card_mu);
    if ((e = ca__card_list(ca->card_mod, &ca->card, slots, serials, CA_CARDS_MAX, &n, st)) != CA_OK)
        goto out;
    if (n > CA_CARDS_MAX)
        n = CA_CARDS_MAX;
    if (h->card_serial && *h->card_serial) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(serials[i], h->card_serial) == 0)
                pick = i;
        if (pick == CA_CARDS_MAX) {
            e = ca__status_set(st, CA_E_CARD_NOT_FOUND,
                               "no blank card with that serial (%zu "
                               "blank cards present)",
                               n);
            goto out;
        }
    } else if (n == 1) {
        pick = 0;
    } else {
        e = ca__status_set(st, n ? CA_E_CARD_AMBIGUOUS : CA_E_CARD_NOT_FOUND,
                           "%zu blank cards present", n);
        goto out;
    }
    e = ca__card_personalise(ca->card_mod, &ca->card, slots[pick], h->key_type, ca_certify, &k,
                             &cert, out->pin, out->puk, st);
    if (e != CA_OK)
        goto out;
    int len = i2d_X509(cert, &d);
    if (len <= 0 || !(out->cert_der = malloc((size_t)len))) {
        /* the card is made; only this copy failed. The caller learns the serial from the
         * status detail and can read the certificate from the card. */
        e = ca__status_set(st, CA_E_NOMEM, "card %s made, certificate %s", serials[pick], k.serial);
        OPENSSL_cleanse(out->pin, sizeof out->pin);
        OPENSSL_cleanse(out->puk, sizeof out->puk);
        goto out;
    }
    memcpy(out->cert_der, d, (size_t)len);
    out->cert_len = (size_t)len;
    memcpy(out->serial, k.serial, sizeof out->serial);
    memcpy(out->card_serial, serials[pick], sizeof out->card_serial);
    out->not_before = k.not_before;
    out->not_after = k.not_after;
    e = ca__status_set(st, CA_OK, NULL);
out:
    pthread_mutex_unlock(&ca->card_mu);
    OPENSSL_free(d);
    X509_free(cert);
    return e;
}

enum ca_err ca_blank_cards(struct ca *ca, char (*serials)[17], size_t cap, size_t *n,
                           struct ca_status *st)
{
    pthread_mutex_lock(&ca->card_mu);
    enum ca_err e = ca__card_list(ca->card_mod, &ca->card, NULL, serials, cap, n, st);
    pthread_mutex_unlock(&ca->card_mu);
    return e;
}

/* ---- revocation ----------------------------------------------------------------------- */

enum ca_err ca_crl(struct ca *ca, const struct ca_registry *r, uint64_t number, int64_t now,
                   unsigned char **der, size_t *len, struct ca_status *st)
{
    return ca__crl_make(&ca->prof, ca->cert, ca->key, &ca->key_mu, r, number, now, der, len, st);
}

enum ca_err ca_ocsp(struct ca *ca, const struct ca_registry *r, const unsigned char *req,
                    size_t reqlen, int64_t now, unsigned char **der, size_t *len,
                    struct ca_status *st)
{
    struct ca__responder_use use = {ca->responder, ca->cert, ca->key, &ca->key_mu, r};
    const struct ca__ocsp_signer signer = {ca__responder_get, &use};
    return ca__ocsp_answer(&ca->prof, ca->cert, &signer, r, req, reqlen, now, der, len, st);
}
