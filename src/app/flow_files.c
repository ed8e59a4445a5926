/* eimza — the files that come back (card_flow.h): the card bureau's answer file (a card made,
 * with its serial and perhaps its shipment, or refused with a reason) and a carrier's file of
 * shipments (application number, carrier, tracking number). Both are CSV read with app/csv.c
 * (a header row, columns by name, ';' or ','); each row is checked and applied in its own
 * transaction, a bad row is reported with its line, field and reason and skipped, and the
 * same file imported twice changes nothing the second time. Reading and checking the rows is
 * app/card_file.c's part; what a checked row does is here. */
#include <stdio.h>
#include <string.h>

#include "app/card_file.h"
#include "app/flow_int.h"
#include "util/log.h"

enum file_kind { FILE_ANSWER, FILE_SHIPMENTS };

struct file_run {
    const struct app_ctx *c;
    enum file_kind kind;
    char actor[APP__ACTOR_MAX];
    void (*refuse)(void *fctx, const struct app_file_refusal *r);
    void *fctx;
    struct app_file_result *res;
};

static void refuse(struct file_run *f, long line, const char *field, const char *code)
{
    f->res->refused++;
    if (f->refuse) {
        const struct app_file_refusal r = {line, field, code};
        f->refuse(f->fctx, &r);
    }
}

/* What one row does, checked against the application as it is now (read in the row's
 * transaction). Returns the store's outcome; *code is set for a refusal, *changed when the
 * row changed something. */

static enum store_err shipment_row(struct file_run *f, const struct app_cardfile_row *r,
                                   const struct store_application *a, const char **field_name,
                                   const char **code, bool *changed)
{
    struct store *s = f->c->db;
    struct store_application next;
    if (!strcmp(a->state, core_app_state_code(CORE_APP_SHIPPED))) {
        struct store_card k;
        enum store_err e = store_card_of_app(s, a->id, &k);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return e;
        if (e == STORE_OK && !strcmp(k.carrier, r->carrier) &&
            !strcmp(k.tracking_number, r->tracking))
            return STORE_OK; /* the same shipment again */
    }
    if (strcmp(a->state, core_app_state_code(CORE_APP_IN_PRODUCTION)) != 0) {
        *field_name = "application_number";
        *code = "wrong_state";
        return STORE_OK;
    }
    *changed = true;
    return app__flow_shipped(s, a, &next, r->carrier, r->tracking, f->actor, f->c->now);
}

static enum store_err produced_row(struct file_run *f, const struct app_cardfile_row *r,
                                   const struct store_application *a, const char **field_name,
                                   const char **code, bool *changed)
{
    struct store *s = f->c->db;
    const int64_t now = f->c->now;
    struct store_card k;
    enum store_err e = store_card_of_app(s, a->id, &k);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    bool has = e == STORE_OK;
    bool in_prod = !strcmp(a->state, core_app_state_code(CORE_APP_IN_PRODUCTION));
    if (has && !strcmp(k.serial, r->serial) &&
        (!r->carrier[0] ||
         (!strcmp(k.carrier, r->carrier) && !strcmp(k.tracking_number, r->tracking))) &&
        (!in_prod || !r->carrier[0]))
        return STORE_OK; /* answered before */
    if (!in_prod) {
        *field_name = "application_number";
        *code = "wrong_state";
        return STORE_OK;
    }
    if (has && k.serial[0] && strcmp(k.serial, r->serial) != 0) {
        *field_name = "card_serial";
        *code = "card_state"; /* another card was recorded for it already */
        return STORE_OK;
    }
    *changed = true;
    if (!has)
        app__flow_bureau_card(a, &k, now);
    snprintf(k.serial, sizeof k.serial, "%s", r->serial);
    snprintf(k.state, sizeof k.state, "produced");
    k.produced_at = now;
    k.updated_at = now;
    if ((e = has ? store_card_update(s, &k) : store_card_put(s, &k)) != STORE_OK)
        return e;
    char detail[96];
    snprintf(detail, sizeof detail, "{\"card\":%lld}", (long long)k.id);
    if ((e = app__audit(s, now, f->actor, "card.produced", a->number, detail)) != STORE_OK)
        return e;
    if (r->carrier[0]) {
        struct store_application next;
        return app__flow_shipped(s, a, &next, r->carrier, r->tracking, f->actor, now);
    }
    return app__flow_note(s, a, "card_issued", f->actor, now);
}

static enum store_err refused_row(struct file_run *f, const struct app_cardfile_row *r,
                                  const struct store_application *a, const char **field_name,
                                  const char **code, bool *changed)
{
    struct store *s = f->c->db;
    struct store_application next;
    if (!strcmp(a->state, core_app_state_code(CORE_APP_APPROVED)) &&
        !strcmp(a->closed_reason, r->reason))
        return STORE_OK; /* refused before */
    if (strcmp(a->state, core_app_state_code(CORE_APP_IN_PRODUCTION)) != 0) {
        *field_name = "application_number";
        *code = "wrong_state";
        return STORE_OK;
    }
    *changed = true;
    next = *a;
    next.batch_id = 0; /* to be ordered again */
    snprintf(next.closed_reason, sizeof next.closed_reason, "%s", r->reason);
    enum store_err e =
        app__flow_step(s, a, &next, CORE_EV_REFUSE, f->actor, "application.production_refused",
                       "{\"reason\":\"bureau\"}", f->c->now);
    if (e != STORE_OK)
        return e;
    char name[2 * CORE_NAME_MAX + 2];
    app__flow_name(a, name, sizeof name);
    const struct notify_var vars[] = {{"name", name}, {"number", a->number}, {"reason", r->reason}};
    char what[48];
    snprintf(what, sizeof what, "refused%lld", (long long)f->c->now);
    return app__flow_tell(s, &next, NOTIFY_TPL_CARD_REFUSED, what, vars, 3, f->c->now);
}

/* Applies one checked row in its own transaction. -1 when the database failed. */
static int apply_row(struct file_run *f, const struct app_cardfile_row *r, struct app_err *err)
{
    struct store *s = f->c->db;
    struct store_application a;
    const char *field_name = "", *code = NULL;
    bool changed = false;
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK) {
        e = store_app_by_number(s, r->number, &a);
        if (e == STORE_ENOTFOUND) {
            field_name = "application_number";
            code = "application_unknown";
            e = STORE_OK;
        } else if (e == STORE_OK) {
            e = f->kind == FILE_SHIPMENTS ? shipment_row(f, r, &a, &field_name, &code, &changed)
                : !strcmp(r->result, "produced")
                    ? produced_row(f, r, &a, &field_name, &code, &changed)
                    : refused_row(f, r, &a, &field_name, &code, &changed);
        }
    }
    if (e == STORE_OK && !code && changed)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e == STORE_ECONFLICT) { /* the application changed under the row */
        code = "wrong_state";
        field_name = "application_number";
        e = STORE_OK;
    }
    if (e != STORE_OK) {
        app__store_err(s, e, "applying a file's row", NULL, NULL, err);
        return -1;
    }
    if (code)
        refuse(f, r->line, field_name, code);
    else if (changed)
        f->res->applied++;
    else
        f->res->unchanged++;
    return 0;
}

static enum app_status import_file(const struct app_ctx *c, enum file_kind kind, const char *actor,
                                   ssize_t (*read)(void *rctx, void *buf, size_t n), void *rctx,
                                   void (*refuse_fn)(void *fctx, const struct app_file_refusal *r),
                                   void *fctx, struct app_file_result *res, struct app_err *err)
{
    struct file_run f = {.c = c, .kind = kind, .refuse = refuse_fn, .fctx = fctx, .res = res};
    enum app_status st = APP_OK;
    app_err_clear(err);
    memset(res, 0, sizeof *res);
    if (c->who.kind == APP_ACTOR_STAFF) {
        const struct app_staff *who;
        if (app__flow_staff(c, &who, err) != APP_OK)
            return err->status;
        app__staff_actor(who, f.actor);
    } else {
        snprintf(f.actor, sizeof f.actor, "%s", actor ? actor : "cli");
    }
    if (kind == FILE_ANSWER && c->set->portal.production != APP_PRODUCTION_BUREAU)
        return app__fail(err, APP_ECONFLICT, "production_bureau_only");
    struct app_cardfile *rd = app_cardfile_new(
        kind == FILE_ANSWER ? APP_CARDFILE_ANSWER : APP_CARDFILE_SHIPMENTS, read, rctx);
    if (!rd)
        return app__fail(err, APP_EINTERNAL, NULL);
    for (bool more = true; more;) {
        struct app_cardfile_row r;
        struct app_file_refusal why;
        switch (app_cardfile_next(rd, &r, &why)) {
        case APP_CARDFILE_ROW:
            res->rows++;
            if (apply_row(&f, &r, err) < 0) {
                st = err->status;
                more = false;
            }
            break;
        case APP_CARDFILE_REFUSED:
            res->rows++;
            refuse(&f, why.line, why.field, why.code);
            break;
        case APP_CARDFILE_HEADER_REFUSED:
            refuse(&f, why.line, why.field, why.code);
            more = false;
            break;
        case APP_CARDFILE_EOF:
            more = false;
            break;
        case APP_CARDFILE_EREAD:
        default:
            st = app__fail(err, APP_EINVAL, "file_unreadable");
            more = false;
            break;
        }
    }
    app_cardfile_free(rd);
    if (st != APP_OK && st != APP_EINVAL)
        return st;
    char detail[160];
    snprintf(detail, sizeof detail,
             "{\"rows\":%ld,\"applied\":%ld,\"unchanged\":%ld,\"refused\":%ld}", res->rows,
             res->applied, res->unchanged, res->refused);
    enum store_err e = app__audit(c->db, c->now, f.actor,
                                  kind == FILE_ANSWER ? "bureau.answer_import" : "shipments.import",
                                  "file", detail);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "auditing a file's import", NULL, NULL, err);
    ulog(ULOG_INFO, kind == FILE_ANSWER ? "flow.answer_import" : "flow.shipments_import",
         "rows=%ld applied=%ld unchanged=%ld refused=%ld", res->rows, res->applied, res->unchanged,
         res->refused);
    return st;
}

enum app_status app_bureau_import(const struct app_ctx *c, const char *actor,
                                  ssize_t (*read)(void *rctx, void *buf, size_t n), void *rctx,
                                  void (*refuse_fn)(void *fctx, const struct app_file_refusal *r),
                                  void *fctx, struct app_file_result *res, struct app_err *err)
{
    return import_file(c, FILE_ANSWER, actor, read, rctx, refuse_fn, fctx, res, err);
}

enum app_status app_shipments_import(const struct app_ctx *c, const char *actor,
                                     ssize_t (*read)(void *rctx, void *buf, size_t n), void *rctx,
                                     void (*refuse_fn)(void *fctx,
                                                       const struct app_file_refusal *r),
                                     void *fctx, struct app_file_result *res, struct app_err *err)
{
    return import_file(c, FILE_SHIPMENTS, actor, read, rctx, refuse_fn, fctx, res, err);
}
