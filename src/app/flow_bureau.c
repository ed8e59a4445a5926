/* eimza — the card bureau (card_flow.h): production batches of a province's approved
 * applications (the oldest-expiring certificate first) with the revocation requests that go
 * with them, their export as CSV or JSON with what the bureau needs to make each card, and
 * the list of batches. The bureau's answer file is read in flow_files.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/flow_int.h"
#include "core/date.h"
#include "util/log.h"

#define BATCH_MAX 500

static void batch_view(const struct store_batch *b, struct app_batch *out)
{
    memset(out, 0, sizeof *out);
    out->id = b->id;
    out->province = b->province;
    out->created_at = b->created_at;
    snprintf(out->created_by, sizeof out->created_by, "%s", b->created_by);
    out->applications = (long)b->applications;
    out->revocations = (long)b->revocations;
}

/* The bureau's part is open only where the bureau makes the cards. */
static enum app_status bureau_staff(const struct app_ctx *c, const struct app_staff **who,
                                    struct app_err *err)
{
    if (app__flow_staff(c, who, err) != APP_OK)
        return err->status;
    if (c->set->portal.production != APP_PRODUCTION_BUREAU)
        return app__fail(err, APP_ECONFLICT, "production_bureau_only");
    return APP_OK;
}

/* One application into the batch: approved -> in_production, the holder told. */
static enum store_err order_one(struct store *s, int64_t id, int64_t batch_id, const char *actor,
                                int64_t now, bool *ordered)
{
    struct store_application a, next;
    *ordered = false;
    enum store_err e = store_app_get(s, id, &a);
    if (e != STORE_OK)
        return e;
    if (strcmp(a.state, core_app_state_code(CORE_APP_APPROVED)) != 0 || a.batch_id)
        return STORE_OK; /* moved meanwhile */
    next = a;
    next.batch_id = batch_id;
    char detail[48];
    snprintf(detail, sizeof detail, "{\"batch\":%lld}", (long long)batch_id);
    if ((e = app__flow_step(s, &a, &next, CORE_EV_ORDER, actor, "application.order", detail,
                            now)) != STORE_OK)
        return e;
    char name[2 * CORE_NAME_MAX + 2];
    app__flow_name(&a, name, sizeof name);
    const struct notify_var vars[] = {{"name", name}, {"number", a.number}};
    if ((e = app__flow_tell(s, &next, NOTIFY_TPL_CARD_ORDERED, "ordered", vars, 2, now)) ==
        STORE_OK)
        *ordered = true;
    return e;
}

enum app_status app_admin_batch_make(const struct app_ctx *c, int province, long limit,
                                     struct app_batch *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX];
    int64_t *ids = NULL;
    long n = 0, ordered = 0, revocations = 0;
    enum app_status st = APP_OK;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (bureau_staff(c, &who, err) != APP_OK)
        return err->status;
    if (province < 1 || province > 81)
        app_err_field(err, "province", "province_unknown");
    if (limit < 0 || limit > BATCH_MAX)
        app_err_field(err, "limit", "limit_range");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    if (!(ids = calloc(BATCH_MAX, sizeof *ids)))
        return app__fail(err, APP_EINTERNAL, NULL);
    app__staff_actor(who, actor);

    struct store_batch b = {.province = province, .created_at = c->now};
    snprintf(b.created_by, sizeof b.created_by, "%s", who->username);
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_batch_candidates(s, province, limit ? limit : BATCH_MAX, ids, &n);
    if (e == STORE_OK && n == 0) {
        store_tx_rollback(s);
        st = app__fail(err, APP_ECONFLICT, "nothing_to_order");
        goto out;
    }
    if (e == STORE_OK)
        e = store_batch_put(s, &b);
    for (long i = 0; e == STORE_OK && i < n; i++) {
        bool one;
        if ((e = order_one(s, ids[i], b.id, actor, c->now, &one)) == STORE_OK && one)
            ordered++;
    }
    if (e == STORE_OK)
        e = store_revocation_assign(s, b.id, province, &revocations);
    if (e == STORE_OK)
        e = store_batch_counts(s, b.id, ordered, revocations);
    if (e == STORE_OK) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 "{\"province\":%d,\"applications\":%ld,\"revocations\":%ld}", province, ordered,
                 revocations);
        char object[32];
        snprintf(object, sizeof object, "batch:%lld", (long long)b.id);
        e = app__audit(s, c->now, actor, "batch.create", object, detail);
    }
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK) {
        st = app__store_err(s, e, "making a production batch", NULL, "wrong_state", err);
        goto out;
    }
    b.applications = ordered;
    b.revocations = revocations;
    batch_view(&b, out);
    ulog(ULOG_INFO, "flow.batch", "batch=%lld province=%d applications=%ld revocations=%ld",
         (long long)b.id, province, ordered, revocations);
out:
    free(ids);
    return st;
}

struct batches_ctx {
    int (*fn)(void *ctx, const struct app_batch *b);
    void *ctx;
};

static int batch_row(void *ctx, const struct store_batch *b)
{
    struct batches_ctx *x = ctx;
    struct app_batch v;
    batch_view(b, &v);
    return x->fn(x->ctx, &v);
}

enum app_status app_admin_batches(const struct app_ctx *c, int province,
                                  int (*fn)(void *ctx, const struct app_batch *b), void *ctx,
                                  struct app_err *err)
{
    const struct app_staff *who;
    app_err_clear(err);
    if (app__flow_staff(c, &who, err) != APP_OK)
        return err->status;
    if (province < 0 || province > 81) {
        app_err_field(err, "province", "province_unknown");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    struct batches_ctx x = {fn, ctx};
    enum store_err e = store_batch_list(c->db, province, 100, batch_row, &x);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "listing production batches", NULL, NULL, err);
    return APP_OK;
}

/* ---- the export ------------------------------------------------------------------------------ */

static const char *const card_cols[] = {
    "application_number",
    "tckn",
    "first_name",
    "last_name",
    "institution_name",
    "unit",
    "title",
    "address",
    "district",
    "province",
    "postal_code",
    "mobile_phone",
    "email",
    "card_reader",
    "validity_years",
    "reason",
    "renews_not_after",
};
static const char *const revocation_cols[] = {
    "application_number", "tckn", "certificate_serial", "issuer", "reason", "requested_at",
};
#define NCARD_COLS (sizeof card_cols / sizeof card_cols[0])
#define NREV_COLS  (sizeof revocation_cols / sizeof revocation_cols[0])

struct export_ctx {
    bool csv;
    struct ubuf *b;
    json_t *arr;
    long rows;
    bool bad;
};

/* The day of moment t in Turkey, YYYY-MM-DD: the bureau's people read these dates as the
 * portal's do (a certificate ending 23:59 UTC ends the next day in Turkey). */
static void iso_day(int64_t t, char out[CORE_DATE_STRLEN + 1])
{
    if (t > 0)
        core_date_format(core_date_tr_from_unix(t), out);
    else
        out[0] = '\0';
}

static int export_row(struct export_ctx *x, const char *const *cols, const char *const *v, size_t n)
{
    if (x->csv) {
        x->bad |= app__csv_row(x->b, v, n) < 0;
    } else {
        json_t *o = json_object();
        x->bad |= !o;
        for (size_t i = 0; o && i < n; i++)
            x->bad |= json_object_set_new(o, cols[i], json_string(v[i])) != 0;
        x->bad |= json_array_append_new(x->arr, o) != 0;
    }
    x->rows++;
    return x->bad;
}

static int export_card(void *ctx, const struct store_application *a, const struct core_personnel *p)
{
    (void)p;
    char prov[8], years[8], renews[CORE_DATE_STRLEN + 1];
    snprintf(prov, sizeof prov, "%02d", a->province);
    snprintf(years, sizeof years, "%d", a->validity_years);
    iso_day(a->cert_not_after, renews);
    const char *v[] = {
        a->number,      a->tckn,         a->first_name, a->last_name,   a->institution_name,
        a->unit,        a->title,        a->address,    a->district,    prov,
        a->postal_code, a->mobile_phone, a->email,      a->card_reader, years,
        a->reason,      renews};
    _Static_assert(sizeof v / sizeof v[0] == NCARD_COLS, "columns");
    return export_row(ctx, card_cols, v, NCARD_COLS);
}

static int export_revocation(void *ctx, const struct store_revocation_row *r)
{
    char reason[8], at[CORE_DATE_STRLEN + 1];
    snprintf(reason, sizeof reason, "%d", r->reason);
    iso_day(r->requested_at, at);
    const char *v[] = {r->number, r->c->tckn, r->c->serial, r->c->issuer, reason, at};
    return export_row(ctx, revocation_cols, v, NREV_COLS);
}

enum app_status app_admin_batch_export(const struct app_ctx *c, int64_t id, const char *format,
                                       struct ubuf *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_batch b;
    char actor[APP__ACTOR_MAX];
    app_err_clear(err);
    if (app__flow_staff(c, &who, err) != APP_OK)
        return err->status;
    bool csv = format && !strcmp(format, "csv");
    if (!csv && !(format && !strcmp(format, "json"))) {
        app_err_field(err, "format", "format_unknown");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    enum store_err e = id > 0 ? store_batch_get(s, id, &b) : STORE_ENOTFOUND;
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a production batch", "batch_not_found", NULL, err);

    struct ubuf body = UBUF_INIT(32u << 20);
    struct export_ctx cards = {csv, &body, json_array(), 0, false};
    struct export_ctx revs = {csv, &body, json_array(), 0, false};
    enum app_status st = APP_OK;
    json_t *doc = NULL;
    char *text = NULL;
    if (!cards.arr || !revs.arr)
        goto nomem;
    if (csv &&
        (ubuf_puts(&body, "\xEF\xBB\xBF") < 0 || app__csv_row(&body, card_cols, NCARD_COLS) < 0))
        goto nomem;
    if ((e = store_batch_apps(s, id, export_card, &cards)) != STORE_OK)
        goto store_failed;
    if (csv &&
        (ubuf_puts(&body, "\r\n") < 0 || app__csv_row(&body, revocation_cols, NREV_COLS) < 0))
        goto nomem;
    if ((e = store_revocation_list(s, id, 0, export_revocation, &revs)) != STORE_OK)
        goto store_failed;
    if (cards.bad || revs.bad)
        goto nomem;
    if (!csv) {
        char created[24], prov[8];
        iso_day(b.created_at, created);
        snprintf(prov, sizeof prov, "%02d", b.province);
        doc = json_pack("{s:{s:I, s:s, s:s, s:s}, s:O, s:O}", "batch", "id", (json_int_t)b.id,
                        "province", prov, "created", created, "created_by", b.created_by, "cards",
                        cards.arr, "revocations", revs.arr);
        text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        if (!text || ubuf_puts(&body, text) < 0 || ubuf_putc(&body, '\n') < 0)
            goto nomem;
    }
    /* full T.C. Kimlik Nos leave the system: on record before they do */
    app__staff_actor(who, actor);
    char object[32], detail[96];
    snprintf(object, sizeof object, "batch:%lld", (long long)id);
    snprintf(detail, sizeof detail, "{\"format\":\"%s\",\"cards\":%ld,\"revocations\":%ld}",
             csv ? "csv" : "json", cards.rows, revs.rows);
    if ((e = app__audit(s, c->now, actor, "export.batch", object, detail)) != STORE_OK)
        goto store_failed;
    if (ubuf_put(out, body.p, body.len) < 0)
        goto nomem;
    goto done;
nomem:
    st = app__fail(err, APP_EINTERNAL, NULL);
    goto done;
store_failed:
    st = app__store_err(s, e, "exporting a production batch", NULL, NULL, err);
done:
    free(text);
    json_decref(doc);
    json_decref(cards.arr);
    json_decref(revs.arr);
    ubuf_free(&body);
    return st;
}
