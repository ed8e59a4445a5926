/* eimza — messages that need the operator (see admin.h): the outbox's failed and unconfirmed
 * messages, the recipient masked, and the operator's answer to one of them.
 */
#include "app/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "util/log.h"

enum app_status app_admin_message_action(const struct app_ctx *c, int64_t id, const char *action,
                                         struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX], object[24];
    app_err_clear(err);
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (!app__role_is(who, "operator") && !app__role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    const bool retry = action && !strcmp(action, "retry");
    if (!retry && (!action || strcmp(action, "confirm")))
        return app__fail(err, APP_EINVAL, "action_unknown");
    if (id <= 0)
        return app__fail(err, APP_ENOTFOUND, "message_not_found");
    app__staff_actor(who, actor);
    snprintf(object, sizeof object, "%lld", (long long)id);
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK && (e = store_outbox_resolve(s, id, retry, now)) == STORE_OK &&
        (e = app__audit(s, now, actor, retry ? "message.retry" : "message.confirm", object,
                        NULL)) == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "answering for a message", "message_not_found",
                              "message_not_waiting", err);
    ulog(ULOG_INFO, retry ? "admin.message_retry" : "admin.message_confirm", "id=%lld staff=%s",
         (long long)id, who->username);
    return APP_OK;
}

struct problems {
    int (*fn)(void *ctx, const struct app_message_problem *m);
    void *ctx;
};

static int one_problem(void *ctx, const struct store_outbox_problem *m)
{
    struct problems *p = ctx;
    struct app_message_problem v = {
        .id = m->id,
        .channel = m->channel,
        .subject = m->subject ? m->subject : "",
        .status = m->status,
        .error = m->last_error ? m->last_error : "",
        .dedupe_key = m->dedupe_key ? m->dedupe_key : "",
        .tpl = m->tpl,
        .attempts = m->attempts,
        .created_at = m->created_at,
        .handed_over_at = m->handed_over_at,
    };
    if (!strcmp(m->channel, "sms") && strlen(m->recipient) == CORE_PHONE_LEN)
        core_phone_mask(m->recipient, v.to);
    else if (!strcmp(m->channel, "email"))
        core_email_mask(m->recipient, v.to, sizeof v.to);
    else
        snprintf(v.to, sizeof v.to, "***");
    return p->fn(p->ctx, &v);
}

enum app_status app_admin_messages(const struct app_ctx *c,
                                   int (*fn)(void *ctx, const struct app_message_problem *m),
                                   void *ctx, struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    const struct app_staff *who;
    app_err_clear(err);
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (!app__role_is(who, "operator") && !app__role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    struct problems p = {fn, ctx};
    enum store_err e = store_outbox_problems(s, now, one_problem, &p);
    if (e != STORE_OK)
        return app__store_err(s, e, "listing the messages that failed", NULL, NULL, err);
    return APP_OK;
}

/* ---- the outcome codes in words (issue 17) ----------------------------------------------- */

/* The catalogue's entry ("delivery.NAME") for an outcome code: its family. */
static const char *delivery_family(const char *code)
{
    static const struct {
        const char *code, *family;
    } fixed[] = {
        {"timeout", "timeout"},
        {"connect_failed", "no_connection"},
        {"refused", "no_connection"},
        {"dns_failed", "no_connection"},
        {"no_host", "no_connection"},
        {"no_answer", "no_connection"},
        {"send_error", "no_connection"},
        {"recv_error", "no_connection"},
        {"tls_error", "tls"},
        {"tls_failed", "tls"},
        {"starttls_unavailable", "tls"},
        {"auth_failed", "auth_failed"},
        {"bad_recipient", "bad_recipient"},
        {"too_many_tries", "too_many_tries"},
        {"code_withdrawn", "code_withdrawn"},
        {"no_templates", "template"},
        {"unknown_template", "template"},
        {"no_sms_form", "template"},
        {"bad_params", "template"},
        {"lease_lost", "database"},
        {"db_error", "database"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!strcmp(code, fixed[i].code))
            return fixed[i].family;
    long n = 0;
    char *end = NULL;
    if (!strncmp(code, "http_", 5) && (n = strtol(code + 5, &end, 10)) > 0 && !*end)
        /* 408 and 429 say "later", as the SMS sender reads them; the rest of 4xx "never" */
        return n >= 400 && n < 500 && n != 408 && n != 429 ? "http_refused" : "http_later";
    if (!strncmp(code, "smtp_", 5) && (n = strtol(code + 5, &end, 10)) > 0 && !*end)
        return n >= 500 ? "smtp_refused" : "smtp_later";
    return "internal"; /* render_failed, bad_message, no_memory, curl_setup, curl_N, ... */
}

const char *app_delivery_error_text(const char *code, enum core_lang lang)
{
    if (!code || !*code)
        return "";
    const char *t = core_text_of("delivery", delivery_family(code), lang);
    return t ? t : code;
}
