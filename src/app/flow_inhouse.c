/* eimza — in-house production (card_flow.h): the engine of ca/ca.h makes an approved
 * application's card, and answers revocation for what it issued from the store.
 *
 * Making a card takes seconds (the key pair is generated on the card), so it happens outside
 * any database transaction: the application is read and checked, the card made, then one
 * transaction records the certificate (so the CA's OCSP and CRL know it at once), the card in
 * the inventory, its PIN and PUK sealed (flow_pin.c), the application's link to the new
 * certificate and its step to in_production, the timeline, the audit entry and the holder's
 * message. Should that transaction fail, a card exists that the database does not know: the
 * error log names its serial and its certificate's, for the operator to set it aside (and
 * nothing is left half-recorded). The certificates the engine makes for its OCSP responder are
 * recorded the same way (certificates table, audited), before the engine uses them.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/flow_int.h"
#include "ca/ca.h"
#include "core/trtext.h"
#include "crypto/x509.h"
#include "util/log.h"

int app_ca_attach(struct app_settings *set, struct ca *ca, char *err, size_t errlen)
{
    size_t len = 0;
    const unsigned char *der = ca_certificate(ca, &len);
    struct core_certificate c;
    if (!der || crypto_x509_parse_der(der, len, &c) != CRYPTO_X509_OK) {
        snprintf(err, errlen, "the CA certificate of the token cannot be read");
        return -1;
    }
    set->ca = ca;
    snprintf(set->ca_issuer, sizeof set->ca_issuer, "%s", c.subject);
    return 0;
}

/* ---- the registry the engine asks -------------------------------------------------------------
 */

struct registry_ctx {
    struct store *s;
    const char *issuer;
    int64_t now;
};

static int reg_status(void *arg, const char *serial, struct ca_cert_status *out)
{
    const struct registry_ctx *r = arg;
    bool found;
    int64_t revoked_at;
    int reason;
    if (store_ca_status(r->s, r->issuer, serial, &found, &revoked_at, &reason) != STORE_OK)
        return -1;
    out->state = !found ? CA_CERT_UNKNOWN : revoked_at ? CA_CERT_REVOKED : CA_CERT_GOOD;
    out->revoked_at = revoked_at;
    out->reason = reason;
    return 0;
}

struct revoked_emit {
    ca_revoked_fn emit;
    void *arg;
};

static int reg_one(void *ctx, const char *serial, int64_t revoked_at, int reason)
{
    const struct revoked_emit *x = ctx;
    return x->emit(x->arg, serial, revoked_at, reason);
}

static int reg_each(void *arg, ca_revoked_fn emit, void *emit_arg)
{
    const struct registry_ctx *r = arg;
    struct revoked_emit x = {emit, emit_arg};
    return store_ca_each_revoked(r->s, r->issuer, reg_one, &x) == STORE_OK ? 0 : -1;
}

/* A certificate the engine signed for itself (its OCSP responder's): kept with the cards' in
 * the certificates table, so the CA's OCSP and CRL know it, and audited, in one transaction;
 * why (CA_RESPONDER_*) is in the audit entry and the log line. */
static int reg_record(void *arg, const unsigned char *der, size_t len, const char *why)
{
    const struct registry_ctx *r = arg;
    struct core_certificate cert;
    bool inserted = false;
    char detail[256];
    if (crypto_x509_parse_der(der, len, &cert) != CRYPTO_X509_OK)
        return -1;
    enum store_err e = store_tx_begin(r->s);
    if (e == STORE_OK)
        e = store_certificate_put(r->s, &cert, der, len, &inserted);
    if (e == STORE_OK && inserted) {
        snprintf(detail, sizeof detail,
                 "{\"purpose\":\"ocsp_responder\",\"why\":\"%s\",\"not_before\":%lld,"
                 "\"not_after\":%lld}",
                 why, (long long)cert.not_before, (long long)cert.not_after);
        e = app__audit(r->s, r->now, "system", "ca.certificate", cert.serial, detail);
    }
    if (e == STORE_OK)
        e = store_tx_commit(r->s);
    else
        store_tx_rollback(r->s);
    if (e != STORE_OK) {
        ulog(ULOG_ERROR, "ca.record",
             "certificate=%s: the OCSP responder's certificate could not "
             "be recorded (%s: %s)",
             cert.serial, store_strerror(e), store_last_error(r->s));
        return -1;
    }
    if (strcmp(why, CA_RESPONDER_REVOKED) == 0)
        ulog(ULOG_WARN, "ca.record",
             "certificate=%s why=%s: the OCSP responder's certificate was revoked; a new one "
             "signs from now on, until %lld",
             cert.serial, why, (long long)cert.not_after);
    else
        ulog(ULOG_INFO, "ca.record",
             "certificate=%s why=%s: a new OCSP responder certificate, until %lld", cert.serial,
             why, (long long)cert.not_after);
    return 0;
}

static enum app_status ca_ready(const struct app_ctx *c, struct app_err *err)
{
    if (c->set->portal.production != APP_PRODUCTION_INHOUSE)
        return app__fail(err, APP_ENOTFOUND, "production_inhouse_only");
    if (!c->set->ca)
        return app__fail(err, APP_EUNAVAILABLE, "ca_unavailable");
    return APP_OK;
}

enum app_status app_ca_crl(const struct app_ctx *c, unsigned char **der, size_t *len,
                           struct app_err *err)
{
    struct ca_status cs;
    int64_t number = 0;
    app_err_clear(err);
    *der = NULL;
    *len = 0;
    if (ca_ready(c, err) != APP_OK)
        return err->status;
    enum store_err e = store_ca_crl_number(c->db, c->set->ca_issuer, &number);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "numbering a CRL", NULL, NULL, err);
    struct registry_ctx rc = {c->db, c->set->ca_issuer, c->now};
    const struct ca_registry reg = {reg_status, reg_each, &rc, NULL};
    if (ca_crl(c->set->ca, &reg, (uint64_t)number, c->now, der, len, &cs) != CA_OK) {
        ulog(ULOG_ERROR, "ca.crl", "code=%s detail=\"%s\"", ca_err_code(cs.err), cs.detail);
        return app__fail(err, APP_EUNAVAILABLE, "ca_unavailable");
    }
    return APP_OK;
}

enum app_status app_ca_ocsp(const struct app_ctx *c, const unsigned char *req, size_t reqlen,
                            unsigned char **der, size_t *len, struct app_err *err)
{
    struct ca_status cs;
    app_err_clear(err);
    *der = NULL;
    *len = 0;
    if (ca_ready(c, err) != APP_OK)
        return err->status;
    struct registry_ctx rc = {c->db, c->set->ca_issuer, c->now};
    const struct ca_registry reg = {reg_status, reg_each, &rc, reg_record};
    enum ca_err e = ca_ocsp(c->set->ca, &reg, req, reqlen, c->now, der, len, &cs);
    if (e != CA_OK && e != CA_E_REQUEST)
        ulog(ULOG_WARN, "ca.ocsp", "code=%s detail=\"%s\"", ca_err_code(e), cs.detail);
    if (!*der)
        return app__fail(err, APP_EINTERNAL, NULL);
    return APP_OK; /* an OCSP error response is still the answer to send */
}

/* ---- making a card ------------------------------------------------------------------------------
 */

/* The engine's failures as the operator reads them. */
static enum app_status ca_failure(enum ca_err e, struct app_err *err)
{
    switch (e) {
    case CA_E_CARD_NOT_FOUND:
    case CA_E_CARD_AMBIGUOUS:
    case CA_E_CARD_NOT_BLANK:
    case CA_E_CARD_PIN:
    case CA_E_CARD:
    case CA_E_CARD_SPOILED:
        return app__fail(err, APP_ECONFLICT, ca_err_code(e));
    case CA_E_TCKN:     /* holder_tckn */
    case CA_E_NAME:     /* holder_name */
    case CA_E_VALIDITY: /* validity_invalid: a renewal more than a year ahead */
        return app__fail(err, APP_ECONFLICT, ca_err_code(e));
    default:
        return app__fail(err, APP_EUNAVAILABLE, "ca_unavailable");
    }
}

/* Records what the engine made for a (inside the caller's transaction); *next gets the saved
 * application. */
static enum store_err record_card(struct store *s, const struct app_settings *set,
                                  const struct store_application *a, const struct ca_issued *is,
                                  const char *actor, int64_t now, struct store_application *next)
{
    struct core_certificate cert;
    bool inserted;
    int64_t cert_id = 0;
    if (crypto_x509_parse_der(is->cert_der, is->cert_len, &cert) != CRYPTO_X509_OK)
        return STORE_EINVAL;
    enum store_err e = store_certificate_put(s, &cert, is->cert_der, is->cert_len, &inserted);
    if (e == STORE_OK)
        e = store_certificate_by_fpr(s, cert.fingerprint, &cert_id, &cert);
    if (e != STORE_OK)
        return e;
    struct store_card k = {0};
    snprintf(k.tckn, sizeof k.tckn, "%s", a->tckn);
    k.application_id = a->id;
    k.certificate_id = cert_id;
    snprintf(k.serial, sizeof k.serial, "%s", is->card_serial);
    snprintf(k.source, sizeof k.source, "inhouse");
    snprintf(k.state, sizeof k.state, "produced");
    k.produced_at = k.created_at = k.updated_at = now;
    if ((e = store_card_put(s, &k)) != STORE_OK)
        return e;
    struct store_card_pin pin = {.card_id = k.id, .created_at = now};
    snprintf(pin.state, sizeof pin.state, "waiting");
    if (app__pin_seal(set, k.id, a->number, is->pin, is->puk, pin.sealed, sizeof pin.sealed) < 0)
        return STORE_EINVAL;
    if ((e = store_card_pin_put(s, &pin)) != STORE_OK)
        return e;
    sodium_memzero(pin.sealed, sizeof pin.sealed);
    *next = *a;
    next->new_cert_id = cert_id;
    char detail[256];
    snprintf(detail, sizeof detail,
             "{\"card\":%lld,\"card_serial\":\"%.16s\",\"serial\":\"%.64s\"}", (long long)k.id,
             is->card_serial, is->serial);
    if ((e = app__flow_step(s, a, next, CORE_EV_ORDER, actor, "application.order", detail, now)) !=
            STORE_OK ||
        (e = app__flow_note(s, next, "card_issued", actor, now)) != STORE_OK)
        return e;
    char name[2 * CORE_NAME_MAX + 2];
    app__flow_name(a, name, sizeof name);
    const struct notify_var vars[] = {{"name", name}, {"number", a->number}};
    /* the card is made here: it may be handed over at the office, not only sent by courier */
    return app__flow_tell(s, next, notify_tpl_deployed(NOTIFY_TPL_CARD_ORDERED, true), "ordered",
                          vars, 2, now);
}

enum app_status app_admin_produce(const struct app_ctx *c, int64_t id, const char *card_serial,
                                  struct app_application *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a, now_a, next;
    struct ca_issued is = {0};
    struct ca_status cs;
    char actor[APP__ACTOR_MAX], serial[17] = "", name[2 * CORE_NAME_MAX + 2];
    enum app_status st = APP_OK;
    app_err_clear(err);
    if (app__flow_staff(c, &who, err) != APP_OK)
        return err->status;
    if (c->set->portal.production != APP_PRODUCTION_INHOUSE)
        return app__fail(err, APP_ECONFLICT, "production_inhouse_only");
    if (card_serial && *card_serial) {
        const char *why = app__flow_label_problem(card_serial, serial, sizeof serial);
        if (why) {
            app_err_field(err, "card_serial", why);
            return app__fail(err, APP_EINVAL, "invalid_fields");
        }
    }
    if (!c->set->ca)
        return app__fail(err, APP_EUNAVAILABLE, "ca_unavailable");
    if (!c->set->has_pin_key)
        return app__fail(err, APP_EUNAVAILABLE, "pin_key_missing");
    enum store_err e = id > 0 ? store_app_get(s, id, &a) : STORE_ENOTFOUND;
    if (e != STORE_OK)
        return app__store_err(s, e, "reading an application", "not_found", NULL, err);
    if (strcmp(a.state, core_app_state_code(CORE_APP_APPROVED)) != 0)
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    app__staff_actor(who, actor);

    /* the certificate's name as the card bureau writes it: upper case, Turkish rules */
    snprintf(name, sizeof name, "%s %s", a.first_name, a.last_name);
    char upper[sizeof name * 2];
    if (core_tr_upper(name, strlen(name), upper, sizeof upper) < 0)
        snprintf(upper, sizeof upper, "%s", name);
    bool renewal = !strcmp(a.reason, "renewal") && a.cert_not_after > c->now;
    const struct ca_holder h = {
        .tckn = a.tckn,
        .name = upper,
        .years = (unsigned)a.validity_years,
        .renews_not_after = renewal ? a.cert_not_after : 0,
        .key_type = (enum ca_key_type)c->set->ca_key_type,
        .card_serial = serial[0] ? serial : NULL,
    };
    enum ca_err ce = ca_issue(c->set->ca, &h, c->now, &is, &cs);
    if (ce != CA_OK) {
        ulog(ULOG_WARN, "flow.produce", "application=%s code=%s detail=\"%s\"", a.number,
             ca_err_code(ce), cs.detail);
        return ca_failure(ce, err);
    }

    e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_app_get(s, id, &now_a);
    if (e == STORE_OK && strcmp(now_a.state, a.state) != 0)
        e = STORE_ECONFLICT; /* decided otherwise meanwhile (cancelled) */
    if (e == STORE_OK)
        e = record_card(s, c->set, &now_a, &is, actor, c->now, &next);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK) {
        ulog(ULOG_ERROR, "flow.card_not_recorded",
             "application=%s card=%s certificate=%s: the card was made but could not be "
             "recorded; set it aside and revoke its certificate",
             a.number, is.card_serial, is.serial);
        st = app__store_err(s, e, "recording a new card", "not_found", "wrong_state", err);
        goto out;
    }
    ulog(ULOG_INFO, "flow.produce", "application=%s card=%s staff=%s", a.number, is.card_serial,
         who->username);
    if (out)
        app__application_view(&next, out);
out:
    ca_issued_clear(&is);
    return st;
}
