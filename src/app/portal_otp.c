/* eimza — steps 3 and 4 of the portal: the SMS code (see portal.h).
 *
 * A code is 6 digits from the CSPRNG. Only SHA-256(salt ":" code) is stored, with a fresh
 * random salt per code, and the SMS is queued in the outbox (the development outbox in
 * --dev, the SMS gateway otherwise). The wrong-entry count belongs to the application and
 * lives for an hour from the first wrong entry: asking for a new code never resets it, so
 * otp_max_wrong wrong entries void the code and every entry is refused until the hour is over.
 * Sending is limited by a cool-down between codes and a number of codes per hour.
 *
 * The SMS is the template otp_code (notify/templates.h) kept as its values; its text has the
 * placeholder {code}, filled only by the sender at delivery; the code itself is sealed with the
 * server's key apart from it (store.h, "SMS codes at rest"; issue 19, finding 4) and dropped when
 * the gateway takes the message, when a newer code replaces it, when it is used, and when it
 * expires. Without a key (secret_key, and outside --dev) no code is sent: 503
 * secret_key_missing.
 *
 * Each use case is one transaction that first reads (and on PostgreSQL locks) the application,
 * so two requests for the same application run one after the other and no wrong entry is
 * lost to a race.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "core/validate.h"
#include "crypto/seal.h"
#include "notify/outbox.h"
#include "util/log.h"
#include "util/rand.h"

#define OTP_DIGITS 6
#define HOUR       3600

static int otp_hash(const char *salt, const char *code, char out[STORE_HASH_HEX + 1])
{
    char in[96];
    int n = snprintf(in, sizeof in, "%s:%s", salt, code);
    if (n < 0 || (size_t)n >= sizeof in)
        return -1;
    int rc = app__sha256(in, out);
    sodium_memzero(in, sizeof in);
    return rc;
}

/* Windows that have run out start again. */
static void roll_windows(struct store_otp *o, int64_t now)
{
    if (o->wrong_window_start && now >= o->wrong_window_start + HOUR) {
        o->wrong_window_start = 0;
        o->wrong_count = 0;
    }
    if (o->send_window_start && now >= o->send_window_start + HOUR) {
        o->send_window_start = 0;
        o->sends_in_window = 0;
    }
}

/* Reads the application (locking it inside the transaction) and checks it may take a code:
 * a confirmed form, still in draft. */
static enum app_status load_for_code(struct store *s, const struct app_session *ss,
                                     struct store_application *a, struct app_err *err)
{
    if (app__load(s, ss, a, err) != APP_OK)
        return err->status;
    /* read again by id inside the transaction: this read takes the row lock */
    enum store_err e = store_app_get(s, a->id, a);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the application", "no_application", NULL, err);
    if (strcmp(a->state, core_app_state_code(CORE_APP_DRAFT)) != 0)
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    if (!a->confirmed)
        return app__fail(err, APP_ECONFLICT, "form_not_confirmed");
    return APP_OK;
}

static enum app_status too_many(struct app_err *err, const char *code, int64_t retry)
{
    err->retry_after = retry > 0 ? retry : 1;
    return app__fail(err, APP_ETOOMANY, code);
}

enum app_status app_otp_status(const struct app_ctx *ctx, struct app_otp_state *out,
                               struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    const struct core_rules *r = &cfg->rules;
    struct store_application a;
    struct store_otp o;
    struct core_personnel p;
    enum store_err e;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    if (app__load(s, ss, &a, err) != APP_OK)
        return err->status;
    e = store_personnel_get(s, a.tckn, &p);
    if (e == STORE_OK && p.mobile_phone[0]) {
        out->has_phone = true;
        core_phone_mask(p.mobile_phone, out->masked_phone);
    } else if (e != STORE_OK && e != STORE_ENOTFOUND) {
        return app__store_err(s, e, "reading the personnel record", NULL, NULL, err);
    }
    if ((e = store_otp_get(s, a.id, &o)) != STORE_OK)
        return app__store_err(s, e, "reading the SMS code state", NULL, NULL, err);
    roll_windows(&o, now);
    if (o.wrong_count >= r->otp_max_wrong)
        out->locked_for = o.wrong_window_start + HOUR - now;
    out->live = o.code_hash[0] && now < o.expires_at && !out->locked_for;
    out->expires_in = out->live ? o.expires_at - now : 0;
    if (o.sent_at && now < o.sent_at + r->otp_cooldown_seconds)
        out->resend_in = o.sent_at + r->otp_cooldown_seconds - now;
    return APP_OK;
}

/* The limits on sending: none while the code is locked after wrong tries, none before the
 * cool-down has passed, at most otp_max_per_hour an hour. */
static enum app_status otp_send_allowed(const struct store_otp *o, const struct core_rules *r,
                                        int64_t now, struct app_err *err)
{
    if (o->wrong_count >= r->otp_max_wrong)
        return too_many(err, "otp_locked", o->wrong_window_start + HOUR - now);
    if (o->sent_at && now < o->sent_at + r->otp_cooldown_seconds)
        return too_many(err, "otp_cooldown", o->sent_at + r->otp_cooldown_seconds - now);
    if (o->sends_in_window >= r->otp_max_per_hour)
        return too_many(err, "otp_hourly_limit", o->send_window_start + HOUR - now);
    return APP_OK;
}

/* A new random code into code, its salted hash into o, and o's counters moved on. */
static enum app_status otp_new_code(struct store_otp *o, const struct core_rules *r, int64_t now,
                                    char code[OTP_DIGITS + 1], struct app_err *err)
{
    uint32_t n;
    unsigned char salt[16];
    if (urand_uniform(1000000, &n) < 0 || urand_bytes(salt, sizeof salt) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    snprintf(code, OTP_DIGITS + 1, "%06u", (unsigned)n);
    sodium_bin2hex(o->salt, sizeof o->salt, salt, sizeof salt);
    if (otp_hash(o->salt, code, o->code_hash) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    o->seq++;
    o->sent_at = now;
    o->expires_at = now + r->otp_ttl_seconds;
    if (!o->send_window_start)
        o->send_window_start = now;
    o->sends_in_window++;
    return APP_OK;
}

enum app_status app_otp_send(const struct app_ctx *ctx, struct app_otp_sent *out,
                             struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    const struct core_rules *r = &cfg->rules;
    struct store_application a;
    struct store_otp o;
    struct core_personnel p;
    char code[OTP_DIGITS + 1] = "", key[64], prefix[64], actor[32], minutes[16], seconds[16],
                           sealed[CRYPTO_SEAL_TEXT_MAX] = "";
    char *params = NULL;
    enum store_err e;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    if (!ctx->set->seal_key) {
        ulog(ULOG_ERROR, "otp.send", "no secret_key is set, so no SMS code can be kept");
        return app__fail(err, APP_EUNAVAILABLE, "secret_key_missing");
    }
    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if (load_for_code(s, ss, &a, err) != APP_OK)
        goto fail;
    /* The number on file, not the one typed into the form: a form cannot redirect the code. */
    e = store_personnel_get(s, a.tckn, &p);
    if (e == STORE_ENOTFOUND || (e == STORE_OK && !p.mobile_phone[0])) {
        app__fail(err, APP_ECONFLICT, "no_mobile_on_file");
        goto fail;
    }
    if (e != STORE_OK || (e = store_otp_get(s, a.id, &o)) != STORE_OK) {
        app__store_err(s, e, "reading the SMS code state", NULL, NULL, err);
        goto fail;
    }
    roll_windows(&o, now);
    if (otp_send_allowed(&o, r, now, err) != APP_OK ||
        otp_new_code(&o, r, now, code, err) != APP_OK)
        goto fail;

    /* The code stays out of the outbox (issue 19, finding 4): the message is the template
     * otp_code and its values, whose text has the code's mark, and the code is sealed apart
     * with the server's key until the gateway takes it or it expires (store.h, "SMS codes at
     * rest"); the sender puts it in place of the mark (notify/outbox.h). */
    snprintf(minutes, sizeof minutes, "%d", (r->otp_ttl_seconds + 59) / 60);
    snprintf(seconds, sizeof seconds, "%d", r->otp_ttl_seconds);
    const struct notify_var vars[] = {
        {"number", a.number}, {"minutes", minutes}, {"seconds", seconds}};
    snprintf(key, sizeof key, "otp:%s:%d", a.number, o.seq);
    snprintf(prefix, sizeof prefix, "otp:%s:", a.number);
    if (!(params = notify_params_json(vars, sizeof vars / sizeof vars[0])) ||
        crypto_seal(ctx->set->seal_key, key, code, sealed, sizeof sealed) < 0) {
        app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    struct store_outbox_msg m = {.channel = "sms",
                                 .recipient = p.mobile_phone,
                                 .tpl = notify_tpl_name(NOTIFY_TPL_OTP_CODE),
                                 .params = params,
                                 .dedupe_key = key};
    app__actor(a.tckn, actor);
    bool inserted;
    /* The number the code goes to is the one the application (and the printed form) shows. */
    bool renumber = strcmp(a.mobile_phone, p.mobile_phone) != 0;
    if (renumber) {
        snprintf(a.mobile_phone, sizeof a.mobile_phone, "%s", p.mobile_phone);
        a.updated_at = now;
    }
    /* the codes sent before are void now: theirs go, whether or not they went out; and any
     * other code that expired on the way (housekeeping) */
    if ((renumber && (e = store_app_update(s, &a, a.state, NULL)) != STORE_OK) ||
        (e = store_outbox_drop_secrets(s, prefix, now, NULL)) != STORE_OK ||
        (e = store_outbox_drop_secrets(s, NULL, now, NULL)) != STORE_OK ||
        (e = store_otp_put(s, &o)) != STORE_OK ||
        (e = store_outbox_put(s, &m, now, &inserted)) != STORE_OK ||
        (e = store_outbox_set_secret(s, key, sealed, o.expires_at)) != STORE_OK ||
        (e = app__audit(s, now, actor, "application.otp_sent", a.number, NULL)) != STORE_OK ||
        (e = store_tx_commit(s)) != STORE_OK) {
        app__store_err(s, e, "sending an SMS code", NULL, NULL, err);
        goto fail;
    }
    sodium_memzero(code, sizeof code);
    sodium_memzero(sealed, sizeof sealed);
    free(params);
    core_phone_mask(p.mobile_phone, out->masked_phone);
    out->expires_in = r->otp_ttl_seconds;
    out->expires_at = o.expires_at;
    out->resend_in = r->otp_cooldown_seconds;
    return APP_OK;
fail:
    store_tx_rollback(s);
    sodium_memzero(code, sizeof code);
    sodium_memzero(sealed, sizeof sealed);
    free(params);
    return err->status;
}

enum app_status app_otp_verify(const struct app_ctx *ctx, const char *code, struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    const struct core_rules *r = &cfg->rules;
    struct store_application a;
    struct store_otp o;
    char h[STORE_HASH_HEX + 1], actor[32];
    enum store_err e;

    app_err_clear(err);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if (load_for_code(s, ss, &a, err) != APP_OK)
        goto fail;
    if ((e = store_otp_get(s, a.id, &o)) != STORE_OK) {
        app__store_err(s, e, "reading the SMS code state", NULL, NULL, err);
        goto fail;
    }
    roll_windows(&o, now);
    if (o.wrong_count >= r->otp_max_wrong) {
        too_many(err, "otp_locked", o.wrong_window_start + HOUR - now);
        goto fail;
    }
    if (!o.code_hash[0] || now >= o.expires_at) {
        app__fail(err, APP_EINVAL, "otp_expired");
        goto fail;
    }

    /* Anything but the right six digits is a wrong entry (malformed ones too). */
    bool right = false;
    size_t len = code ? strlen(code) : 0;
    if (len == OTP_DIGITS && strspn(code, "0123456789") == OTP_DIGITS) {
        if (otp_hash(o.salt, code, h) < 0) {
            app__fail(err, APP_EINTERNAL, NULL);
            goto fail;
        }
        right = app__ct_equal(h, o.code_hash);
    }
    app__actor(a.tckn, actor);
    if (!right) {
        if (!o.wrong_window_start)
            o.wrong_window_start = now;
        o.wrong_count++;
        char voided[64];
        snprintf(voided, sizeof voided, "otp:%s:", a.number);
        if (o.wrong_count >= r->otp_max_wrong)
            o.code_hash[0] = '\0'; /* void: and so is what any message still holds */
        if ((e = store_otp_put(s, &o)) != STORE_OK ||
            (!o.code_hash[0] &&
             (e = store_outbox_drop_secrets(s, voided, now, NULL)) != STORE_OK) ||
            (e = store_tx_commit(s)) != STORE_OK) {
            app__store_err(s, e, "counting a wrong SMS code", NULL, NULL, err);
            goto fail;
        }
        ulog(ULOG_INFO, "otp.wrong", "application=%s wrong=%d", a.number, o.wrong_count);
        err->remaining = r->otp_max_wrong - o.wrong_count;
        if (err->remaining <= 0) {
            err->remaining = 0;
            err->retry_after = o.wrong_window_start + HOUR - now;
        }
        return app__fail(err, APP_EINVAL, "otp_wrong");
    }

    /* Right: the code is used up, and the application moves on with its event. */
    struct store_application next = a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(CORE_APP_CODE_VERIFIED));
    next.updated_at = now;
    o.code_hash[0] = '\0';
    struct store_app_event ev = {now, a.state, next.state, "code_verified", actor};
    char prefix[64];
    snprintf(prefix, sizeof prefix, "otp:%s:", a.number);
    if ((e = store_otp_put(s, &o)) != STORE_OK ||
        /* used: no message keeps it any more (a late SMS would carry a dead code anyway) */
        (e = store_outbox_drop_secrets(s, prefix, now, NULL)) != STORE_OK ||
        (e = store_app_update(s, &next, a.state, &ev)) != STORE_OK ||
        (e = app__audit(s, now, actor, "application.code_verified", a.number, NULL)) != STORE_OK ||
        (e = store_tx_commit(s)) != STORE_OK) {
        app__store_err(s, e, "verifying the SMS code", "no_application", "wrong_state", err);
        goto fail;
    }
    return APP_OK;
fail:
    store_tx_rollback(s);
    return err->status;
}
