/* eimza — "try my new card" (card_flow.h): the holder signs a short text with the new card
 * made in house, through the same local agent and the same verifier as the application's
 * e-signature; when the signature verifies and its signer is the certificate linked to the
 * application, the card is in use: active in the inventory, and the application completed.
 *
 * The text names the application, the card and the certificate, and a value made from the
 * session (a hash of its token's hash): a signature is bound to this holder's session and
 * cannot be brought from elsewhere, and nothing has to be stored to check it.
 *
 * A renewal's certificate starts where the old one ends, so on the day the card arrives it is
 * usually not valid yet. The verifier's checks run in a fixed order and stop at the first that
 * fails; "not yet valid" comes after the structure, the content, the signature and the chain to
 * the trust anchors (docs/INTERFACES.md). That answer is accepted here, and only here, when the
 * signer is the very certificate this deployment issued for the card and recorded unrevoked:
 * its profile, T.C. Kimlik No and revocation are this deployment's own. The card works; the
 * certificate starts on its date.
 */
#include <stdio.h>
#include <string.h>

#include "app/flow_int.h"
#include "crypto/cms_verify.h"
#include "util/log.h"

/* The applicant's application and its in-house card, as they must be for a try. */
static enum app_status test_load(const struct app_ctx *c, const struct app_session **ss,
                                 struct store_application *a, struct store_card *k,
                                 struct core_certificate *nc, struct app_err *err)
{
    struct store *s = c->db;
    if (!(*ss = app__applicant(c, err)))
        return err->status;
    if (app__load(s, *ss, a, err) != APP_OK)
        return err->status;
    enum store_err e = store_card_of_app(s, a->id, k);
    if (e == STORE_OK && a->new_cert_id)
        e = store_certificate_by_id(s, a->new_cert_id, nc);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading the card", NULL, NULL, err);
    if (e == STORE_ENOTFOUND || !a->new_cert_id ||
        strcmp(a->state, core_app_state_code(CORE_APP_DELIVERED)) != 0 ||
        strcmp(k->source, "inhouse") != 0 || strcmp(k->state, "delivered") != 0)
        return app__fail(err, APP_ECONFLICT, "card_test_not_available");
    return APP_OK;
}

static int test_text(const struct app_session *ss, const struct store_application *a,
                     const struct store_card *k, const struct core_certificate *nc,
                     struct ubuf *out)
{
    char in[128], h[STORE_HASH_HEX + 1];
    snprintf(in, sizeof in, "eimza-card-test:%s", ss->token_hash);
    if (app__sha256(in, h) < 0)
        return -1;
    h[16] = '\0';
    return ubuf_printf(out,
                       "Yeni e-imza kartımı deniyorum.\n\nBAŞVURU NO: %s\nKART SERİ NO: %s\n"
                       "SERTİFİKA SERİ NO: %s\nOTURUM: %s\n",
                       a->number, k->serial, nc->serial, h);
}

enum app_status app_card_test_content(const struct app_ctx *c, struct ubuf *out,
                                      struct app_err *err)
{
    const struct app_session *ss;
    struct store_application a;
    struct store_card k;
    struct core_certificate nc;
    app_err_clear(err);
    if (test_load(c, &ss, &a, &k, &nc, err) != APP_OK)
        return err->status;
    if (test_text(ss, &a, &k, &nc, out) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    return APP_OK;
}

enum app_status app_card_test(const struct app_ctx *c, const unsigned char *cms, size_t len,
                              struct app_application *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_session *ss;
    struct store_application a, next;
    struct store_card k;
    struct core_certificate nc;
    struct crypto_verify_result r;
    struct ubuf text = UBUF_INIT(4096);
    char actor[32];
    enum app_status st = APP_OK;
    app_err_clear(err);
    memset(&r, 0, sizeof r);
    if (test_load(c, &ss, &a, &k, &nc, err) != APP_OK)
        return err->status;
    if (!cms || len == 0 || len > APP_SIGNATURE_MAX)
        return app__fail(err, APP_EREJECTED, "malformed");
    if (!c->set->portal.verifier)
        return app__fail(err, APP_EUNAVAILABLE, "verification_unavailable");
    if (test_text(ss, &a, &k, &nc, &text) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    if (crypto_verify_cades(c->set->portal.verifier, cms, len, (const unsigned char *)text.p,
                            text.len, a.tckn, c->now, &r) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    bool same = r.have_signer && !strcmp(r.signer.fingerprint, nc.fingerprint);
    bool not_yet = r.code && !strcmp(r.code, "certificate_not_yet_valid") && same && !nc.revoked_at;
    app__actor(a.tckn, actor);
    if (r.code && !not_yet) {
        char detail[96];
        snprintf(detail, sizeof detail, "{\"code\":\"%s\"}", r.code);
        (void)app__audit(s, c->now, actor, "card.test_refused", a.number, detail);
        ulog(ULOG_INFO, "flow.card_test", "application=%s refused=%s detail=%s", a.number, r.code,
             r.detail);
        st = app__fail(err, APP_EREJECTED, r.code);
        goto out;
    }
    if (!same) {
        (void)app__audit(s, c->now, actor, "card.test_refused", a.number,
                         "{\"code\":\"card_test_other_card\"}");
        st = app__fail(err, APP_EREJECTED, "card_test_other_card");
        goto out;
    }

    /* the card works: in use, and the application complete */
    enum store_err e = store_tx_begin(s);
    struct store_application now_a;
    if (e == STORE_OK)
        e = store_app_get(s, a.id, &now_a);
    if (e == STORE_OK)
        e = store_card_get(s, k.id, &k);
    if (e == STORE_OK && (strcmp(now_a.state, a.state) || strcmp(k.state, "delivered")))
        e = STORE_ECONFLICT;
    if (e == STORE_OK) {
        snprintf(k.state, sizeof k.state, "active");
        k.activated_at = c->now;
        k.updated_at = c->now;
        e = store_card_update(s, &k);
    }
    char detail[96];
    snprintf(detail, sizeof detail, "{\"card\":%lld,\"valid_from\":%lld}", (long long)k.id,
             (long long)nc.not_before);
    if (e == STORE_OK)
        e = app__audit(s, c->now, actor, "card.activated", a.number, detail);
    if (e == STORE_OK)
        e = app__flow_note(s, &now_a, "card_tested", actor, c->now);
    if (e == STORE_OK)
        e = store_app_get(s, a.id, &now_a); /* the note moved updated_at */
    if (e == STORE_OK) {
        next = now_a;
        e = app__flow_step(s, &now_a, &next, CORE_EV_CERT_IN_USE, actor, "application.complete",
                           "{\"by\":\"card_test\"}", c->now);
    }
    if (e == STORE_OK) {
        char name[2 * CORE_NAME_MAX + 2], from[16], until[16];
        app__flow_name(&a, name, sizeof name);
        app__flow_date(nc.not_before, from);
        app__flow_date(nc.not_after, until);
        const struct notify_var vars[] = {
            {"name", name},       {"number", a.number},   {"serial", nc.serial},
            {"valid_from", from}, {"valid_until", until},
        };
        e = app__flow_tell(s, &next, NOTIFY_TPL_COMPLETED, "completed", vars, 5, c->now);
    }
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK) {
        st =
            app__store_err(s, e, "recording the card in use", "no_application", "wrong_state", err);
        goto out;
    }
    ulog(ULOG_INFO, "flow.card_test", "application=%s card active%s", a.number,
         not_yet ? " (certificate not valid yet)" : "");
    if (out)
        app__application_view(&next, out);
out:
    crypto_verify_result_free(&r);
    ubuf_free(&text);
    return st;
}
