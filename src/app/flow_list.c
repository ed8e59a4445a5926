/* eimza — the staff's view of applications after approval (card_flow.h, app_admin_flow): the
 * production queue, what is being made, shipped, delivered, the overdue ones and those at risk
 * of a gap, the renewed certificate's end first; one application by its number. */
#include <stdio.h>
#include <string.h>

#include "app/flow_int.h"

struct flow_list {
    const struct app_ctx *c;
    int64_t expected; /* seconds from approval to the card's arrival */
    int (*fn)(void *ctx, const struct app_flow_item *it);
    void *ctx;
};

static int flow_row(void *ctx, const struct store_application *a, int province,
                    const struct store_card *card)
{
    struct flow_list *l = ctx;
    struct app_application view;
    enum core_app_state st;
    app__application_view(a, &view);
    bool waiting =
        core_app_state_parse(a->state, &st) == 0 &&
        (st == CORE_APP_APPROVED || st == CORE_APP_IN_PRODUCTION || st == CORE_APP_SHIPPED);
    const int64_t now = l->c->now;
    struct app_flow_item it = {
        .app = &view,
        .province = province,
        .expected_at = a->approved_at ? a->approved_at + l->expected : 0,
        .has_card = card != NULL,
        .card_state = card ? card->state : "",
        .card_serial = card ? card->serial : "",
        .carrier = card ? card->carrier : "",
        .tracking_number = card ? card->tracking_number : "",
    };
    it.overdue = waiting && it.expected_at && now >= it.expected_at;
    it.at_risk =
        waiting && a->cert_not_after &&
        (a->cert_not_after < now || (it.expected_at && a->cert_not_after < it.expected_at));
    return l->fn(l->ctx, &it);
}

static bool number_ok(const char *n)
{
    if (strlen(n) != APP_NUMBER_LEN)
        return false;
    for (const char *p = n; *p; p++)
        if (!strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *p))
            return false;
    return true;
}

enum app_status app_admin_flow(const struct app_ctx *c, const struct app_flow_filter *f,
                               int (*fn)(void *ctx, const struct app_flow_item *it), void *ctx,
                               long *total, struct app_err *err)
{
    static const char *const states[] = {
        [APP_FLOW_APPROVED] = "approved",
        [APP_FLOW_IN_PRODUCTION] = "in_production",
        [APP_FLOW_SHIPPED] = "shipped",
        [APP_FLOW_DELIVERED] = "delivered",
    };
    const struct app_staff *who;
    app_err_clear(err);
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (f->province < 0 || f->province > 81)
        app_err_field(err, "province", "province_unknown");
    if (f->limit < 0 || f->limit > APP__LIST_MAX)
        app_err_field(err, "limit", "limit_range");
    if (f->offset < 0)
        app_err_field(err, "offset", "offset_range");
    if (f->number && *f->number && !number_ok(f->number))
        app_err_field(err, "number", "application_unknown");
    if ((unsigned)f->kind > APP_FLOW_AT_RISK)
        app_err_field(err, "view", "state_unknown");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    const int64_t expected = (int64_t)c->set->portal.rules.delivery_expected_days * APP__DAY;
    struct store_flow_filter sf = {
        .province = app__scope_province(who, f->province),
        .state =
            f->kind >= APP_FLOW_APPROVED && f->kind <= APP_FLOW_DELIVERED ? states[f->kind] : NULL,
        .number = f->number && *f->number ? f->number : NULL,
        .overdue_before = f->kind == APP_FLOW_OVERDUE ? c->now - expected + 1 : 0,
        .risk_now = f->kind == APP_FLOW_AT_RISK ? c->now : 0,
        .expected = expected,
        .limit = f->limit ? f->limit : APP__LIST_DEFAULT,
        .offset = f->offset,
    };
    struct flow_list l = {c, expected, fn, ctx};
    enum store_err e = store_flow_list(c->db, &sf, flow_row, &l, total);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "listing applications after approval", NULL, NULL, err);
    return APP_OK;
}

enum app_status app_admin_card(const struct app_ctx *c, int64_t id, struct app_card_view *out,
                               struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a;
    struct core_personnel p;
    struct store_card k;
    bool has_p;
    enum core_app_state st;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (app__load_scoped(s, who, id, &a, &p, &has_p, err) != APP_OK)
        return err->status;
    app__application_view(&a, &out->app);
    out->province = has_p ? p.province : a.province;
    const int64_t expected = (int64_t)c->set->portal.rules.delivery_expected_days * APP__DAY;
    bool waiting =
        core_app_state_parse(a.state, &st) == 0 &&
        (st == CORE_APP_APPROVED || st == CORE_APP_IN_PRODUCTION || st == CORE_APP_SHIPPED);
    out->expected_at = a.approved_at ? a.approved_at + expected : 0;
    out->overdue = waiting && out->expected_at && c->now >= out->expected_at;
    out->at_risk =
        waiting && a.cert_not_after &&
        (a.cert_not_after < c->now || (out->expected_at && a.cert_not_after < out->expected_at));
    enum store_err e = store_card_of_app(s, a.id, &k);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading the card", NULL, NULL, err);
    if (e == STORE_OK) {
        out->has_card = true;
        snprintf(out->state, sizeof out->state, "%s", k.state);
        snprintf(out->source, sizeof out->source, "%s", k.source);
        snprintf(out->serial, sizeof out->serial, "%s", k.serial);
        snprintf(out->carrier, sizeof out->carrier, "%s", k.carrier);
        snprintf(out->tracking_number, sizeof out->tracking_number, "%s", k.tracking_number);
        snprintf(out->note, sizeof out->note, "%s", k.note);
        out->produced_at = k.produced_at;
        out->shipped_at = k.shipped_at;
        out->delivered_at = k.delivered_at;
        out->activated_at = k.activated_at;
        struct store_card_pin pin;
        e = store_card_pin_get(s, k.id, &pin);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return app__store_err(s, e, "reading the card's PIN", NULL, NULL, err);
        if (e == STORE_OK) {
            snprintf(out->pin_state, sizeof out->pin_state, "%s", pin.state);
            snprintf(out->pin_waived_by, sizeof out->pin_waived_by, "%s", pin.word_waived_by);
            /* the note may name an identity document: for those who give the waiver (operators
             * and admins), not for the province's approvers (KVKK: what the role needs) */
            if (!app__role_is(who, "approver"))
                snprintf(out->pin_waived_note, sizeof out->pin_waived_note, "%s",
                         pin.word_waived_note);
            out->pin_waived_at = pin.word_waived_at;
            if (!strcmp(pin.state, "waiting") && pin.word_waived_until > c->now)
                out->pin_waived_until = pin.word_waived_until;
        }
    }
    if (a.new_cert_id) {
        struct core_certificate nc;
        e = store_certificate_by_id(s, a.new_cert_id, &nc);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return app__store_err(s, e, "reading the new certificate", NULL, NULL, err);
        if (e == STORE_OK) {
            snprintf(out->new_serial, sizeof out->new_serial, "%s", nc.serial);
            out->new_not_before = nc.not_before;
            out->new_not_after = nc.not_after;
        }
    }
    return APP_OK;
}
