/* eimza — the files that come back (card_flow.h): the card bureau's answer file (a card made,
 * with its serial and perhaps its shipment, or refused with a reason) and a carrier's file of
 * shipments (application number, carrier, tracking number). Both are CSV read with app/csv.c
 * (a header row, columns by name, ';' or ','); each row is checked and applied in its own
 * transaction, a bad row is reported with its line, field and reason and skipped, and the
 * same file imported twice changes nothing the second time. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/csv.h"
#include "app/flow_int.h"
#include "util/log.h"

#define COL_NONE (-1)

enum file_kind { FILE_ANSWER, FILE_SHIPMENTS };

struct file_run {
    const struct app_ctx *c;
    enum file_kind kind;
    char actor[APP__ACTOR_MAX];
    void (*refuse)(void *fctx, const struct app_file_refusal *r);
    void *fctx;
    struct app_file_result *res;
    /* the columns found in the header */
    int number, result, serial, carrier, tracking, reason;
};

static void refuse(struct file_run *f, long line, const char *field, const char *code)
{
    f->res->refused++;
    if (f->refuse) {
        const struct app_file_refusal r = {line, field, code};
        f->refuse(f->fctx, &r);
    }
}

/* A field of the record (trimmed of blanks, as a copy into out[cap]); "" when the column is
 * missing or the row is short. */
static const char *field(const struct app_csv_record *rec, int col, char *out, size_t cap)
{
    out[0] = '\0';
    if (col < 0 || (size_t)col >= rec->n)
        return out;
    const char *p = rec->field[col].p;
    size_t n = rec->field[col].n;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* The header's column named name (ASCII case ignored, a BOM and blanks around it allowed). */
static int column(const struct app_csv_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n; i++) {
        const char *p = rec->field[i].p;
        size_t n = rec->field[i].n;
        if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3, n -= 3;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            n--;
        if (n == strlen(name) && !strncasecmp(p, name, n))
            return (int)i;
    }
    return COL_NONE;
}

/* The application number as written: 10 characters of Crockford's base32, case ignored. */
static bool number_of(const char *v, char out[APP_NUMBER_LEN + 1])
{
    if (strlen(v) != APP_NUMBER_LEN)
        return false;
    for (size_t i = 0; i < APP_NUMBER_LEN; i++) {
        char ch = (char)toupper((unsigned char)v[i]);
        if (!strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", ch))
            return false;
        out[i] = ch;
    }
    out[APP_NUMBER_LEN] = '\0';
    return true;
}

/* What one row does, checked against the application as it is now (read in the row's
 * transaction). Returns the store's outcome; *code is set for a refusal, *changed when the
 * row changed something. */
struct row {
    long line;
    char number[APP_NUMBER_LEN + 1];
    char result[16];
    char serial[STORE_CARD_SERIAL_MAX];
    char carrier[STORE_CARRIER_MAX];
    char tracking[STORE_TRACKING_MAX];
    char reason[STORE_CLOSED_REASON_MAX];
};

static enum store_err shipment_row(struct file_run *f, const struct row *r,
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

static enum store_err produced_row(struct file_run *f, const struct row *r,
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
    if (!has) {
        memset(&k, 0, sizeof k);
        snprintf(k.tckn, sizeof k.tckn, "%s", a->tckn);
        k.application_id = a->id;
        k.certificate_id = a->new_cert_id;
        snprintf(k.source, sizeof k.source, "bureau");
        k.created_at = now;
    }
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

static enum store_err refused_row(struct file_run *f, const struct row *r,
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

/* Reads and checks a data row into r; false (refused) when a field is wrong. */
static bool read_row(struct file_run *f, const struct app_csv_record *rec, struct row *r)
{
    char buf[STORE_CLOSED_REASON_MAX * 4];
    const char *why;
    memset(r, 0, sizeof *r);
    r->line = rec->line;
    if (!number_of(field(rec, f->number, buf, sizeof buf), r->number)) {
        refuse(f, rec->line, "application_number", *buf ? "application_unknown" : "required");
        return false;
    }
    const char *carrier = field(rec, f->carrier, buf, sizeof buf);
    if (*carrier && (why = app__flow_label_problem(carrier, r->carrier, sizeof r->carrier))) {
        refuse(f, rec->line, "carrier", why);
        return false;
    }
    const char *tracking = field(rec, f->tracking, buf, sizeof buf);
    if (*tracking && (why = app__flow_label_problem(tracking, r->tracking, sizeof r->tracking))) {
        refuse(f, rec->line, "tracking_number", why);
        return false;
    }
    if (f->kind == FILE_SHIPMENTS || r->carrier[0] || r->tracking[0]) {
        /* a shipment names both */
        if (!r->carrier[0]) {
            refuse(f, rec->line, "carrier", "required");
            return false;
        }
        if (!r->tracking[0]) {
            refuse(f, rec->line, "tracking_number", "required");
            return false;
        }
    }
    if (f->kind == FILE_SHIPMENTS)
        return true;
    field(rec, f->result, r->result, sizeof r->result);
    for (char *p = r->result; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!strcmp(r->result, "produced")) {
        if ((why = app__flow_label_problem(field(rec, f->serial, buf, sizeof buf), r->serial,
                                           sizeof r->serial))) {
            refuse(f, rec->line, "card_serial", why);
            return false;
        }
    } else if (!strcmp(r->result, "refused")) {
        const char *reason = field(rec, f->reason, buf, sizeof buf);
        if ((why = app__flow_text_problem(reason, APP__FLOW_REASON_CHARS)) ||
            strlen(reason) >= sizeof r->reason) {
            refuse(f, rec->line, "reason", why ? why : "too_long");
            return false;
        }
        snprintf(r->reason, sizeof r->reason, "%s", reason);
    } else {
        refuse(f, rec->line, "result", r->result[0] ? "answer_unknown" : "required");
        return false;
    }
    return true;
}

/* Applies one checked row in its own transaction. -1 when the database failed. */
static int apply_row(struct file_run *f, const struct row *r, struct app_err *err)
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
    struct app_csv_record rec;
    enum app_status st = APP_OK;
    bool header = true;
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
    struct app_csv *csv = app_csv_new(read, rctx, 0);
    if (!csv)
        return app__fail(err, APP_EINTERNAL, NULL);
    for (;;) {
        enum app_csv_status cs = app_csv_next(csv, &rec);
        if (cs == APP_CSV_EOF)
            break;
        if (cs != APP_CSV_RECORD) {
            st = app__fail(err, APP_EINVAL, "file_unreadable");
            break;
        }
        if (header) {
            header = false;
            f.number = column(&rec, "application_number");
            f.result = column(&rec, "result");
            f.serial = column(&rec, "card_serial");
            f.carrier = column(&rec, "carrier");
            f.tracking = column(&rec, "tracking_number");
            f.reason = column(&rec, "reason");
            const char *missing = f.number == COL_NONE ? "application_number"
                                  : kind == FILE_ANSWER && f.result == COL_NONE     ? "result"
                                  : kind == FILE_SHIPMENTS && f.carrier == COL_NONE ? "carrier"
                                  : kind == FILE_SHIPMENTS && f.tracking == COL_NONE
                                      ? "tracking_number"
                                      : NULL;
            if (rec.error || missing) {
                refuse(&f, rec.line, missing ? missing : "",
                       rec.error ? rec.error : "column_missing");
                break;
            }
            continue;
        }
        if (rec.blank)
            continue;
        res->rows++;
        struct row r;
        if (rec.error) {
            refuse(&f, rec.line, "", rec.error);
            continue;
        }
        if (!read_row(&f, &rec, &r))
            continue;
        if (apply_row(&f, &r, err) < 0) {
            st = err->status;
            break;
        }
    }
    app_csv_free(csv);
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
