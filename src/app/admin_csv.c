/* eimza — the staff's CSV exports (see admin.h for the format): the queue with its verdicts
 * and the people whose certificate ends soon, personal data as the role may see it (app/
 * privacy.h: masked for every role, the same rule as the pages). Each export is audited; one
 * that could not be audited is not given. Column names and words are the catalogue's "csv.*"
 * (po/), in the language the export is asked in.
 */
#include "app/admin_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appstate.h"
#include "app/privacy.h"
#include "core/catalogue.h"
#include "core/date.h"

#define CSV_BOM "\xEF\xBB\xBF"

/* One cell: ';' before it unless it is the first of its row; quoted (quotes doubled) when it
 * holds the separator, a quote or a line break; and with ' before it when a spreadsheet would
 * take it for a formula (= + - @, and tab or carriage return, which some programs skip
 * before looking). */
static int csv_cell(struct ubuf *b, const char *v, bool first)
{
    int bad = first ? 0 : ubuf_putc(b, ';');
    bool formula =
        v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r';
    bool quote = strpbrk(v, ";\"\r\n") != NULL;
    if (quote)
        bad |= ubuf_putc(b, '"');
    if (formula)
        bad |= ubuf_putc(b, '\'');
    for (const char *p = v; *p && !bad; p++)
        bad |= (*p == '"' && quote) ? ubuf_puts(b, "\"\"") : ubuf_putc(b, *p);
    if (quote)
        bad |= ubuf_putc(b, '"');
    return bad ? -1 : 0;
}

int app__csv_row(struct ubuf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (csv_cell(b, cells[i] ? cells[i] : "", i == 0) < 0)
            return -1;
    return ubuf_puts(b, "\r\n");
}

/* The word "csv.NAME" in lang (every name below has its entry: test_admin reads both). */
static const char *csv_word(const char *name, enum core_lang lang)
{
    return core_word("csv", name, lang);
}

int app__csv_head(struct ubuf *b, const char *const *names, size_t n, enum core_lang lang)
{
    const char *cells[16];
    if (n > sizeof cells / sizeof cells[0])
        return -1;
    for (size_t i = 0; i < n; i++)
        cells[i] = csv_word(names[i], lang);
    return app__csv_row(b, cells, n);
}

/* Times and days in Turkey's time (core/date.h), as on the pages. */
static void tr_time(int64_t t, char out[24])
{
    struct core_clock c;
    core_time_tr(t, &c);
    if (snprintf(out, 24, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.mday, c.hour, c.min,
                 c.sec) >= 24)
        out[0] = '\0';
}

static void unix_date(int64_t t, char out[CORE_DATE_STRLEN + 1])
{
    if (t)
        core_date_format(core_date_tr_from_unix(t), out);
    else
        out[0] = '\0';
}

struct csv_ctx {
    struct ubuf *b;
    enum core_lang lang;
    long rows;
    bool bad;
};

static int queue_csv_row(void *ctx, const struct app_queue_item *it)
{
    struct csv_ctx *c = ctx;
    const struct app_application *a = it->app;
    char prov[8], cert[CORE_DATE_STRLEN + 1], since[24];
    struct ubuf reasons = UBUF_INIT(512);
    size_t pos = 0;
    unsigned bit;
    int bad = 0;
    while (core_verdict_next(it->verdict.reasons, &pos, &bit))
        bad |= ubuf_puts(&reasons, reasons.len ? ", " : "") |
               ubuf_puts(&reasons, core_verdict_code(bit));
    snprintf(prov, sizeof prov, "%02d", it->province);
    unix_date(a->cert_not_after, cert);
    tr_time(it->waiting_since, since);
    const char *method = !strcmp(a->method, "esign") ? csv_word("method_esign", c->lang)
                         : !strcmp(a->method, "wet") ? csv_word("method_wet", c->lang)
                                                     : "";
    const char *yes = csv_word("yes", c->lang), *no = csv_word("no", c->lang);
    const char *cells[] = {
        a->number,
        a->st < CORE_APP__STATE_COUNT ? core_app_state_label(a->st, c->lang) : a->state,
        a->tckn_masked,
        a->first_name,
        a->last_name,
        a->institution_name,
        it->person ? it->person->district : a->district,
        prov,
        method,
        a->late ? yes : no,
        it->verdict.eligible ? yes : no,
        bad ? "" : ubuf_str(&reasons),
        cert,
        since,
        it->verdict.wet_required ? yes : no,
    };
    if (bad || app__csv_row(c->b, cells, sizeof cells / sizeof cells[0]) < 0)
        c->bad = true;
    ubuf_free(&reasons);
    c->rows++;
    return c->bad ? 1 : 0;
}

/* The audit detail of a queue export: the filter as asked and the rows written. */
static char *queue_export_detail(const struct store_app_filter *sf, long rows)
{
    json_t *o = json_pack("{s:i, s:s?, s:s?, s:s?, s:i, s:I, s:I}", "province", sf->province,
                          "state", sf->state, "institution", sf->institution, "district",
                          sf->district, "late", sf->late, "updated_before",
                          (json_int_t)sf->updated_before, "rows", (json_int_t)rows);
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return t;
}

enum app_status app_admin_queue_csv(const struct app_ctx *ctx, const struct app_queue_filter *f,
                                    struct ubuf *out, struct app_err *err)
{
    struct store *s = ctx->db;
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t now = ctx->now;
    const struct app_staff *who;
    static const char *const head[] = {"number",    "state",       "tckn",        "first_name",
                                       "last_name", "institution", "district",    "province",
                                       "method",    "late",        "eligible",    "reasons",
                                       "cert_end",  "last_action", "wet_required"};
    struct store_app_filter sf;
    struct csv_ctx c = {out, ctx->lang, 0, false};
    char actor[APP__ACTOR_MAX];
    const size_t before = out->len;
    enum app_status st;

    app_err_clear(err);
    if (app__who(ctx, &who, err) != APP_OK || app__queue_filter(who, f, now, &sf, err) != APP_OK)
        return err->status;
    if (ubuf_puts(out, CSV_BOM) < 0 ||
        app__csv_head(out, head, sizeof head / sizeof head[0], ctx->lang) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    /* Every matching row, a page at a time (limit and offset of the filter do not apply). */
    sf.limit = APP__LIST_MAX;
    for (sf.offset = 0;; sf.offset += APP__LIST_MAX) {
        size_t rows = 0;
        bool stopped = false;
        long total = 0;
        if ((st = app__queue_page(s, cfg, &sf, now, queue_csv_row, &c, &total, &rows, &stopped,
                                  err)) != APP_OK)
            goto fail;
        if (c.bad) {
            st = app__fail(err, APP_EINTERNAL, NULL); /* the output's cap was reached */
            goto fail;
        }
        if (rows < APP__LIST_MAX)
            break;
    }
    char *detail = queue_export_detail(&sf, c.rows);
    app__staff_actor(who, actor);
    enum store_err e =
        detail ? app__audit(s, now, actor, "export.queue", "queue", detail) : STORE_ENOMEM;
    free(detail);
    if (e != STORE_OK) {
        st = app__store_err(s, e, "auditing an export", NULL, NULL, err);
        goto fail;
    }
    return APP_OK;
fail:
    /* nothing half-made leaves: an export that is not audited is not given */
    out->len = before;
    if (out->p)
        out->p[before] = '\0';
    return st;
}

struct exp_ctx {
    struct ubuf *b;
    const struct app_staff *who; /* whose view of personal data (app/privacy.h) */
    int64_t now;
    long rows;
    bool bad;
};

static int expiring_csv_row(void *ctx, const struct core_personnel *p,
                            const struct core_certificate *c)
{
    struct exp_ctx *x = ctx;
    char prov[8], end[CORE_DATE_STRLEN + 1], left[24], tckn[APP_PII_MAX], email[APP_PII_MAX],
        mobile[APP_PII_MAX];
    snprintf(prov, sizeof prov, "%02d", p->province);
    app_pii_view(x->who, APP_PII_TCKN, p->tckn, tckn, sizeof tckn);
    app_pii_view(x->who, APP_PII_EMAIL, p->email, email, sizeof email);
    app_pii_view(x->who, APP_PII_PHONE, p->mobile_phone, mobile, sizeof mobile);
    unix_date(c->not_after, end);
    int64_t secs = c->not_after - x->now;
    snprintf(left, sizeof left, "%lld", (long long)(secs > 0 ? secs / APP__DAY : 0));
    const char *cells[] = {tckn,        p->first_name, p->last_name, p->institution_name,
                           p->district, prov,          email,        mobile,
                           end,         left};
    if (app__csv_row(x->b, cells, sizeof cells / sizeof cells[0]) < 0) {
        x->bad = true;
        return 1;
    }
    x->rows++;
    return 0;
}

enum app_status app_admin_expiring_csv(const struct app_ctx *ctx, int province, int days,
                                       struct ubuf *out, struct app_err *err)
{
    struct store *s = ctx->db;
    const int64_t now = ctx->now;
    const struct app_staff *who;
    static const char *const head[] = {"tckn",     "first_name", "last_name", "institution",
                                       "district", "province",   "email",     "mobile",
                                       "cert_end", "days_left"};
    struct exp_ctx x = {out, NULL, now, 0, false};
    char actor[APP__ACTOR_MAX], detail[96];
    const size_t before = out->len;
    enum app_status st;
    int pr;

    app_err_clear(err);
    if (app__who(ctx, &who, err) != APP_OK ||
        app__expiring_args(who, province, days, &pr, err) != APP_OK)
        return err->status;
    x.who = who;
    if (ubuf_puts(out, CSV_BOM) < 0 ||
        app__csv_head(out, head, sizeof head / sizeof head[0], ctx->lang) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    enum store_err e =
        store_expiring_unapplied(s, pr, now, now + (int64_t)days * APP__DAY, expiring_csv_row, &x);
    if (e == STORE_OK && x.bad) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    app__staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"province\":%d,\"days\":%d,\"rows\":%ld}", pr, days, x.rows);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, "export.expiring", "expiring", detail);
    if (e != STORE_OK) {
        st = app__store_err(s, e, "exporting expiring certificates", NULL, NULL, err);
        goto fail;
    }
    return APP_OK;
fail:
    out->len = before;
    if (out->p)
        out->p[before] = '\0';
    return st;
}
