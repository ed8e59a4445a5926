/* eimza — one pass of the outbox drain (notify.h): claim, send, record the outcome.
 *
 * Messages are claimed one at a time, each with a lease a little longer than one send can
 * take, so a drain that dies leaves at most one message held, and only until its lease ends;
 * other drains (threads, or servers sharing a PostgreSQL) meanwhile take the next ones. The
 * claim has already counted the attempt, so the attempt number is both the back-off's input
 * and the token the marks are checked against (store.h, "outbox delivery").
 *
 * Logs name the message by id, the recipient masked, and the outcome's reason; never the
 * text (it carries the SMS code) nor the full number or address. An SMS code is kept sealed
 * apart from the text (store.h, "SMS codes at rest"): it is opened into the text in memory just
 * before the send, and the store drops it at the hand-over.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/personnel.h"
#include "core/validate.h"
#include "notify/outbox.h"
#include "util/log.h"

#define DRAIN_SUBJECT_MAX 1024        /* a rendered subject */
#define DRAIN_BODY_MAX    (64 * 1024) /* a rendered body */

/* A claimed message, copied out of the claim's callback (whose strings live only there). */
struct held {
    struct store_outbox_msg m;
    char *channel, *recipient, *subject, *body, *dedupe_key, *tpl, *params, *secret;
    bool got;
    bool nomem;
};

static char *dup_str(const char *s, bool *nomem)
{
    char *d = strdup(s ? s : "");
    if (!d)
        *nomem = true;
    return d;
}

static int hold(void *ctx, const struct store_outbox_msg *m)
{
    struct held *h = ctx;
    h->channel = dup_str(m->channel, &h->nomem);
    h->recipient = dup_str(m->recipient, &h->nomem);
    h->subject = dup_str(m->subject, &h->nomem);
    h->body = dup_str(m->body, &h->nomem);
    h->dedupe_key = m->dedupe_key ? dup_str(m->dedupe_key, &h->nomem) : NULL;
    h->tpl = m->tpl ? dup_str(m->tpl, &h->nomem) : NULL;
    h->params = m->params ? dup_str(m->params, &h->nomem) : NULL;
    h->secret = m->secret ? dup_str(m->secret, &h->nomem) : NULL;
    h->m = *m;
    h->m.channel = h->channel;
    h->m.recipient = h->recipient;
    h->m.subject = h->subject;
    h->m.body = h->body;
    h->m.dedupe_key = h->dedupe_key;
    h->m.tpl = h->tpl;
    h->m.params = h->params;
    h->m.secret = h->secret;
    h->m.status = "sending";
    h->got = true;
    return 1; /* one at a time */
}

static void release(struct held *h)
{
    if (h->body)
        explicit_bzero(h->body, strlen(h->body)); /* it may hold an SMS code */
    free(h->channel);
    free(h->recipient);
    free(h->subject);
    free(h->body);
    free(h->dedupe_key);
    free(h->tpl);
    free(h->params);
    free(h->secret);
    memset(h, 0, sizeof *h);
}

/* The recipient as logs may show it. */
static void mask_recipient(const struct store_outbox_msg *m, char *out, size_t outlen)
{
    if (!strcmp(m->channel, "sms")) {
        char p[CORE_PHONE_LEN + 1];
        core_phone_mask(m->recipient, p);
        snprintf(out, outlen, "%s", p);
    } else {
        core_email_mask(m->recipient, out, outlen);
    }
}

static int64_t clock_now(const struct notify_drain_cfg *cfg)
{
    return cfg->now ? cfg->now() : (int64_t)time(NULL);
}

int64_t notify_backoff(int attempts, int retry_base, int retry_max)
{
    int64_t wait = retry_base > 0 ? retry_base : 1;
    int64_t cap = retry_max > 0 ? retry_max : 1;
    for (int i = 1; i < attempts && wait < cap; i++)
        wait *= 2;
    return wait < cap ? wait : cap;
}

enum store_err notify_drain(struct store *s, const struct notify_sender *snd,
                            const struct notify_drain_cfg *cfg, const atomic_bool *stop,
                            struct notify_drain_stats *stats)
{
    enum store_err e = STORE_OK;
    struct notify_drain_stats st = {0};
    if (!s || !snd || !snd->send || !snd->channel || !cfg || cfg->max_tries < 1 ||
        cfg->lease_seconds < 1 || cfg->max_per_pass < 1) {
        e = STORE_EINVAL;
        goto out;
    }
    /* codes that expired while they waited are dropped before anything is claimed (issue 19,
     * finding 4): a message whose code is gone fails rather than going out without it */
    if ((e = store_outbox_drop_secrets(s, NULL, clock_now(cfg), NULL)) != STORE_OK)
        goto out;
    for (long handled = 0; handled < cfg->max_per_pass; handled++) {
        if (stop && atomic_load(stop))
            break;
        struct held h = {0};
        long n = 0;
        /* without the key, a message whose code is still sealed waits for a sender with it */
        e = store_outbox_claim(s, snd->channel, clock_now(cfg), cfg->lease_seconds, 1,
                               cfg->key != NULL, hold, &h, &n);
        if (e != STORE_OK || n == 0 || h.nomem) {
            if (e == STORE_OK && h.nomem)
                e = STORE_ENOMEM; /* claimed but not copied: it comes back after its lease */
            release(&h);
            break;
        }
        st.claimed++;

        char why[NOTIFY_WHY_MAX] = "", to[CORE_EMAIL_MAX + 4];
        mask_recipient(&h.m, to, sizeof to);
        enum notify_outcome o;
        struct ubuf subj = UBUF_INIT(DRAIN_SUBJECT_MAX), body = UBUF_INIT(DRAIN_BODY_MAX),
                    text = UBUF_INIT(DRAIN_BODY_MAX);
        const char *bad = NULL;
        if (h.m.attempts > cfg->max_tries) {
            /* its senders kept dying half-way: do not try a message without end */
            o = NOTIFY_FAILED;
            snprintf(why, sizeof why, "too_many_tries");
        } else if (h.m.tpl && (!cfg->tpl || notify_outbox_render(cfg->tpl, cfg->portal_url, &h.m,
                                                                 &subj, &body, &bad) < 0)) {
            /* kept unrendered, and it cannot be rendered: no try will do better */
            o = NOTIFY_FAILED;
            snprintf(why, sizeof why, "%s", bad ? bad : "no_templates");
        } else if (notify_code_fill(cfg->key, &h.m, h.m.tpl ? ubuf_str(&body) : h.m.body, &text,
                                    &bad) < 0) {
            /* its SMS code is gone (superseded, used, expired) or cannot be opened */
            o = NOTIFY_FAILED;
            snprintf(why, sizeof why, "%s", bad ? bad : "code_withdrawn");
        } else {
            if (h.m.tpl)
                h.m.subject = ubuf_str(&subj);
            h.m.body = ubuf_str(&text);
            o = snd->send(snd->ctx, &h.m, why);
        }
        if (body.len)
            explicit_bzero(body.p, body.len);
        if (text.len)
            explicit_bzero(text.p, text.len); /* it may hold an SMS code */
        ubuf_free(&subj);
        ubuf_free(&body);
        ubuf_free(&text);
        int64_t now = clock_now(cfg);
        const long long id = (long long)h.m.id;
        const int att = h.m.attempts;
        if (o == NOTIFY_RETRY && att >= cfg->max_tries)
            o = NOTIFY_FAILED;
        switch (o) {
        case NOTIFY_SENT:
            e = store_outbox_mark_sent(s, h.m.id, att, now);
            if (e == STORE_OK) {
                st.sent++;
                ulog(ULOG_INFO, "outbox.sent", "id=%lld channel=%s to=%s attempt=%d", id,
                     h.m.channel, to, att);
            }
            break;
        case NOTIFY_RETRY: {
            int64_t wait = notify_backoff(att, cfg->retry_base, cfg->retry_max);
            e = store_outbox_mark_retry(s, h.m.id, att, now + wait, why);
            /* the gateway did not take it: its code (dropped at the hand-over) goes back for
             * the next try, while it is still valid */
            if (e == STORE_OK && h.m.secret)
                e = store_outbox_restore_secret(s, h.m.id, att, h.m.secret, now);
            if (e == STORE_OK) {
                st.retried++;
                ulog(ULOG_WARN, "outbox.retry",
                     "id=%lld channel=%s to=%s attempt=%d reason=%s retry_in=%lld", id, h.m.channel,
                     to, att, why, (long long)wait);
            }
            break;
        }
        case NOTIFY_FAILED:
            e = store_outbox_mark_failed(s, h.m.id, att, why);
            if (e == STORE_OK) {
                st.failed++;
                ulog(ULOG_WARN, "outbox.failed", "id=%lld channel=%s to=%s attempt=%d reason=%s",
                     id, h.m.channel, to, att, why);
            }
            break;
        }
        if (e == STORE_ECONFLICT || e == STORE_ENOTFOUND) {
            /* our lease ran out and another sender holds it now: its outcome stands */
            st.lost++;
            ulog(ULOG_WARN, "outbox.lease_lost", "id=%lld channel=%s attempt=%d", id, h.m.channel,
                 att);
            e = STORE_OK;
        }
        release(&h);
        if (e != STORE_OK)
            break;
    }
out:
    if (stats)
        *stats = st;
    return e;
}
