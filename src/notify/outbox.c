/* eimza — messages kept as a template and its values (outbox.h). */
#include "notify/outbox.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "core/trtext.h"
#include "crypto/seal.h"

#define OUTBOX_VARS_MAX 16 /* placeholders of one template, portal_url included */

/* A JSON string's escapes: '"', '\\' and the control characters; UTF-8 passes as it is.
 * Returns the number of failed writes (0: all written). */
static int put_json_string(struct ubuf *b, const char *v)
{
    int bad = ubuf_putc(b, '"') < 0;
    const char *run = v; /* the bytes not yet written that need no escape */
    for (const unsigned char *p = (const unsigned char *)v;; p++) {
        if (*p && *p != '"' && *p != '\\' && *p >= 0x20)
            continue;
        bad += ubuf_put(b, run, (size_t)((const char *)p - run)) < 0;
        if (!*p)
            break;
        if (*p < 0x20)
            bad += ubuf_printf(b, "\\u%04x", *p) < 0;
        else
            bad += ubuf_putc(b, '\\') < 0 || ubuf_putc(b, (char)*p) < 0;
        run = (const char *)p + 1;
    }
    return bad + (ubuf_putc(b, '"') < 0);
}

/* Written by hand, not through jansson: the first scan of a million certificates writes
 * 100,000 of these, and a tree of objects for each was a tenth of its time. */
char *notify_params_json(const struct notify_var *vars, size_t nvars)
{
    struct ubuf b = UBUF_INIT(64 * 1024);
    int bad = ubuf_putc(&b, '{') < 0;
    bool first = true;
    for (size_t i = 0; !bad && i < nvars; i++) {
        if (!strcmp(vars[i].name, "portal_url"))
            continue;
        const char *v = vars[i].value ? vars[i].value : "";
        if (!core_utf8_valid(v, strlen(v))) {
            bad = 1;
            break;
        }
        if (!first)
            bad += ubuf_putc(&b, ',') < 0;
        first = false;
        bad += put_json_string(&b, vars[i].name);
        bad += ubuf_putc(&b, ':') < 0;
        bad += put_json_string(&b, v);
    }
    bad += ubuf_putc(&b, '}') < 0;
    if (bad) {
        ubuf_free(&b);
        return NULL;
    }
    return ubuf_steal(&b);
}

int notify_tpl_by_name(const char *name)
{
    for (int t = 0; name && t < NOTIFY_TPL__COUNT; t++)
        if (!strcmp(notify_tpl_name((enum notify_tpl)t), name))
            return t;
    return -1;
}

static int fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return -1;
}

int notify_outbox_render(const struct notify_templates *set, const char *portal_url,
                         const struct store_outbox_msg *m, struct ubuf *subject, struct ubuf *body,
                         const char **why)
{
    const bool sms = !strcmp(m->channel, "sms");
    if (!m->tpl) {
        if ((subject && ubuf_puts(subject, m->subject ? m->subject : "") < 0) ||
            ubuf_puts(body, m->body ? m->body : "") < 0)
            return fail(why, "render_failed");
        return 0;
    }
    int t = notify_tpl_by_name(m->tpl);
    if (t < 0)
        return fail(why, "unknown_template");
    if (sms && !notify_tpl_has_sms((enum notify_tpl)t))
        return fail(why, "no_sms_form");
    if (!sms && !notify_tpl_has_email((enum notify_tpl)t))
        return fail(why, "no_email_form"); /* the SMS code goes nowhere but the SMS */
    json_t *o = m->params ? json_loads(m->params, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(o) || json_object_size(o) >= OUTBOX_VARS_MAX) {
        json_decref(o);
        return fail(why, "bad_params");
    }
    struct notify_var vars[OUTBOX_VARS_MAX];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        /* a value may not stand in for the SMS code's mark: the sender puts the code at the
         * first one */
        if (!json_is_string(v) || (notify_tpl_has_code((enum notify_tpl)t) &&
                                   strstr(json_string_value(v), NOTIFY_CODE_MARK))) {
            json_decref(o);
            return fail(why, "bad_params");
        }
        vars[n++] = (struct notify_var){k, json_string_value(v)};
    }
    vars[n++] = (struct notify_var){"portal_url", portal_url ? portal_url : ""};
    struct ubuf scratch; /* an e-mail's subject nobody asked for */
    ubuf_init(&scratch, 4096);
    int rc = notify_render(set, (enum notify_tpl)t, sms, vars, n,
                           sms       ? NULL
                           : subject ? subject
                                     : &scratch,
                           body);
    ubuf_free(&scratch);
    json_decref(o);
    return rc < 0 ? fail(why, "render_failed") : 0;
}

/* The text with the code, or the mask when key is NULL, in place of the mark. */
static int code_put(const struct crypto_seal_key *key, const struct store_outbox_msg *m,
                    const char *text, struct ubuf *out, const char **why)
{
    /* only a message queued with a code has one to put in (any other text is as it is, a
     * "{code}" someone wrote in it included) */
    const char *mark = m->secret_until > 0 ? strstr(text, NOTIFY_CODE_MARK) : NULL;
    if (!mark)
        return ubuf_puts(out, text) < 0 ? fail(why, "render_failed") : 0;
    char code[CRYPTO_SEAL_PLAIN_MAX + 1] = NOTIFY_CODE_MASK;
    if (key &&
        (!m->secret || !m->dedupe_key ||
         crypto_unseal(key, m->dedupe_key, m->secret, code, sizeof code) != CRYPTO_UNSEAL_OK))
        return fail(why, "code_withdrawn");
    int bad = ubuf_put(out, text, (size_t)(mark - text)) < 0 || ubuf_puts(out, code) < 0 ||
              ubuf_puts(out, mark + sizeof NOTIFY_CODE_MARK - 1) < 0;
    explicit_bzero(code, sizeof code);
    return bad ? fail(why, "render_failed") : 0;
}

int notify_code_fill(const struct crypto_seal_key *key, const struct store_outbox_msg *m,
                     const char *text, struct ubuf *out, const char **why)
{
    if (!key && m->secret_until > 0 && strstr(text, NOTIFY_CODE_MARK))
        return fail(why, m->secret ? "secret_key_missing" : "code_withdrawn");
    return code_put(key, m, text, out, why);
}

int notify_code_mask(const struct store_outbox_msg *m, const char *text, struct ubuf *out)
{
    return code_put(NULL, m, text, out, NULL);
}

json_t *notify_outbox_json(const struct notify_templates *set, const char *portal_url,
                           const struct crypto_seal_key *reveal, int64_t now,
                           const struct store_outbox_msg *m, const char *to)
{
    char at[24];
    struct tm tm;
    time_t t = (time_t)m->created_at;
    if (!gmtime_r(&t, &tm) || strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        at[0] = '\0';
    struct ubuf subj = UBUF_INIT(4096), body = UBUF_INIT(64 * 1024);
    const char *sv = m->subject ? m->subject : "", *bv = m->body ? m->body : "";
    if (m->tpl && notify_outbox_render(set, portal_url, m, &subj, &body, NULL) == 0) {
        sv = ubuf_str(&subj);
        bv = ubuf_str(&body);
    } else if (m->tpl) {
        bv = m->params ? m->params : "";
    }
    /* the code only for the development outbox, and only while it may still be used */
    struct ubuf shown = UBUF_INIT(64 * 1024);
    const struct crypto_seal_key *k = reveal && m->secret_until > now ? reveal : NULL;
    if (!k || notify_code_fill(k, m, bv, &shown, NULL) < 0) {
        ubuf_reset(&shown); /* dropped or expired: the mask */
        if (notify_code_mask(m, bv, &shown) < 0)
            ubuf_reset(&shown);
    }
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s*}", "channel", m->channel, "to", to, "subject", sv,
                  "body", shown.p ? ubuf_str(&shown) : "", "created_at", at, "template", m->tpl);
    if (shown.p)
        explicit_bzero(shown.p, shown.len);
    ubuf_free(&shown);
    ubuf_free(&subj);
    ubuf_free(&body);
    return o;
}
