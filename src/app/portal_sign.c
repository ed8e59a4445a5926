/* eimza — signing (steps 6-7, see portal.h): the e-signature checked against the content to
 * sign and kept as evidence, and the printable form of the wet-signature path. The verifier
 * (crypto/cms_verify.c) judges the signature; this file decides what may be signed when, and
 * writes the outcome in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ops.h"
#include "app/portal_int.h"
#include "app/wetform.h"
#include "crypto/cms_verify.h"
#include "crypto/x509.h"
#include "util/log.h"

/* An application that may take an e-signature now; signer NULL: the holder's certificate and
 * renewal chain are read here. */
static enum app_status may_sign(struct store *s, const struct app_portal_cfg *cfg,
                                const struct store_application *a, const struct app__signer *signer,
                                int64_t now, struct app_err *err)
{
    if (strcmp(a->state, core_app_state_code(CORE_APP_CODE_VERIFIED)) != 0)
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    if (!strcmp(a->method, "wet"))
        return app__fail(err, APP_ECONFLICT, "signing_method_not_allowed");
    if (!strcmp(a->reason, "lost_stolen")) /* a lost or stolen card signs nothing any more */
        return app__fail(err, APP_ECONFLICT, "lost_card_wet_only");
    bool has_cert, limit;
    int64_t not_after;
    enum core_phase phase;
    unsigned methods;
    if (signer) {
        phase = app__phase_of(cfg, signer->has_cert ? &signer->cert : NULL, now);
        methods = app__methods_of(cfg, phase, signer->chain, &limit);
    } else if (app__phase(s, cfg, a->tckn, now, &has_cert, &not_after, &phase, err) != APP_OK ||
               app__methods(s, cfg, a->tckn, phase, &methods, &limit, err) != APP_OK) {
        return err->status;
    }
    if (!(methods & CORE_METHOD_ESIGN))
        return app__fail(err, APP_ECONFLICT,
                         limit ? "remote_renewal_limit" : "signing_method_not_allowed");
    return APP_OK;
}

/* Writes the accepted signature: the signer's certificate, the evidence, the state change and
 * the audit entry, all or nothing. */
static enum store_err keep_signature(struct store *s, const struct store_application *a,
                                     const struct store_application *next,
                                     const struct crypto_verify_result *r, const unsigned char *cms,
                                     size_t len, const struct ubuf *content, int64_t now,
                                     const char *actor, const struct store_ticket *ticket)
{
    size_t derlen = 0;
    const unsigned char *der = crypto_verify_result_signer_der(r, &derlen);
    struct store_signature sig = {
        .application_id = a->id,
        .at = now,
        .cms = cms,
        .cms_len = len,
        .content = (const unsigned char *)content->p,
        .content_len = content->len,
        .signer_fingerprint = r->signer.fingerprint,
        .validation = r->checks_json ? r->checks_json : "{}",
        .ocsp = r->ocsp_der,
        .ocsp_len = r->ocsp_len,
    };
    struct store_app_event ev = {now, a->state, next->state, "signed", actor};
    char detail[160];
    snprintf(detail, sizeof detail, "{\"signer\":\"%s\"}", r->signer.fingerprint);
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK && der)
        e = store_certificate_put(s, &r->signer, der, derlen, NULL);
    if (e == STORE_OK)
        e = store_signature_put(s, &sig);
    if (e == STORE_OK)
        e = store_app_update(s, next, a->state, &ev);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, "application.signed", a->number, detail);
    if (e == STORE_OK && ticket) /* the relay's ticket ends with the signature it brought */
        e = store_ticket_move(s, ticket, "checking");
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    return e;
}

enum app_status app__signature_check(const struct app_ctx *ctx, const struct store_application *a,
                                     const struct app__signer *signer, const unsigned char *cms,
                                     size_t len, const struct store_ticket *ticket,
                                     struct app_application *out, struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    struct crypto_verify_result r;
    struct ubuf content;
    char actor[32];
    enum app_status st;
    memset(&r, 0, sizeof r);
    ubuf_init(&content, 1 << 20);
    if (may_sign(s, cfg, a, signer, now, err) != APP_OK)
        return err->status;
    if (!cms || len == 0 || len > APP_SIGNATURE_MAX) {
        app_count_signature(ctx->set, "malformed");
        return app__fail(err, APP_EREJECTED, "malformed");
    }
    if (!cfg->verifier) {
        ulog(ULOG_ERROR, "portal.sign", "no verifier configured: signatures cannot be checked");
        return app__fail(err, APP_EUNAVAILABLE, "verification_unavailable");
    }
    if (app__content_render(a, &content) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    app__actor(a->tckn, actor);
    if (crypto_verify_cades(cfg->verifier, cms, len, (const unsigned char *)content.p, content.len,
                            a->tckn, now, &r) < 0) {
        ulog(ULOG_ERROR, "portal.sign", "application=%s verification failed: %s", a->number,
             r.detail);
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    app_count_signature(ctx->set, r.code ? r.code : "ok");
    if (r.code) {
        char detail[96];
        ulog(ULOG_INFO, "portal.sign", "application=%s refused=%s detail=%s", a->number, r.code,
             r.detail);
        snprintf(detail, sizeof detail, "{\"code\":\"%s\"%s}", r.code,
                 ticket ? ",\"path\":\"relay\"" : "");
        (void)app__audit(s, now, actor, "application.signature_refused", a->number, detail);
        st = app__fail(err, APP_EREJECTED, r.code);
        goto out;
    }
    struct store_application next = *a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(CORE_APP_SUBMITTED));
    snprintf(next.method, sizeof next.method, "esign");
    next.updated_at = now;
    enum store_err e = keep_signature(s, a, &next, &r, cms, len, &content, now, actor, ticket);
    if (e != STORE_OK) {
        /* the same CMS kept for another application, or the state moved meanwhile */
        st = app__store_err(s, e, "keeping a signature", "no_application", "wrong_state", err);
        goto out;
    }
    ulog(ULOG_INFO, "portal.sign", "application=%s accepted%s", a->number,
         ticket ? " path=relay" : "");
    if (out)
        app__application_view(&next, out);
    st = APP_OK;
out:
    crypto_verify_result_free(&r);
    ubuf_free(&content);
    return st;
}

enum app_status app_signature_submit(const struct app_ctx *ctx, const unsigned char *cms,
                                     size_t len, struct app_application *out, struct app_err *err)
{
    struct store_application a;
    struct app__signer signer;
    app_err_clear(err);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    /* the application, its holder's certificate and renewal chain: one read */
    enum store_err e = store_sign_read(ctx->db, ss->subject, ss->application_id, &a,
                                       &signer.has_cert, &signer.cert, &signer.chain);
    if (e != STORE_OK)
        return app__store_err(ctx->db, e, "reading the application", "no_application", NULL, err);
    return app__signature_check(ctx, &a, &signer, cms, len, NULL, out, err);
}

enum app_status app__may_sign(const struct app_ctx *ctx, const struct store_application *a,
                              struct app_err *err)
{
    return may_sign(ctx->db, &ctx->set->portal, a, NULL, ctx->now, err);
}

enum app_status app_wet_form(const struct app_ctx *ctx, unsigned char **pdf, size_t *len,
                             struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    struct store_application a;
    char msg[256];
    app_err_clear(err);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    *pdf = NULL;
    *len = 0;
    if (app__load(s, ss, &a, err) != APP_OK)
        return err->status;
    if (!strcmp(a.state, core_app_state_code(CORE_APP_CODE_VERIFIED))) {
        if (app__method_choose(s, cfg, ss, "wet", now, &a, err) != APP_OK)
            return err->status;
    } else if (strcmp(a.state, core_app_state_code(CORE_APP_AWAITING_ORIGINAL)) != 0) {
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    char send_to[1024];
    app_site_send_to(&ctx->set->site, app__approver_province(s, &a), send_to, sizeof send_to);
    /* the QR code opens the application on the staff's side of this portal (issue 17) */
    enum app_wetform_err we =
        app_wetform_pdf_qr(&a, now, send_to, ctx->set->portal_url, NULL, pdf, len, msg, sizeof msg);
    if (we != APP_WETFORM_OK) {
        ulog(ULOG_ERROR, "portal.wetform", "application=%s: %s", a.number, msg);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    return APP_OK;
}
