/* eimza — after the decision, the staff's part on one application (card_flow.h): cancelling with
 * a reason, the shipment and the delivery of its card. Each is one transaction: the state
 * change, the card, the holder's messages, the timeline and the audit entry. */
#include <stdio.h>
#include <string.h>

#include "app/flow_int.h"
#include "core/trtext.h"
#include "util/log.h"

/* The application by id for an operator or admin, inside the transaction this opens (the
 * caller ends it). */
static enum app_status staff_app(const struct app_ctx *c, int64_t id, const struct app_staff **who,
                                 struct store_application *a, char actor[APP__ACTOR_MAX],
                                 struct app_err *err)
{
    if (app__flow_staff(c, who, err) != APP_OK || app__flow_tx_app(c->db, id, a, err) != APP_OK)
        return err->status;
    app__staff_actor(*who, actor);
    return APP_OK;
}

/* Commits what e left, or rolls back; the answer for the store's outcome. */
static enum app_status staff_end(struct store *s, enum store_err e, const char *what,
                                 struct app_err *err)
{
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, what, "not_found", "wrong_state", err);
    return APP_OK;
}

enum app_status app_admin_cancel(const struct app_ctx *c, int64_t id, const char *reason,
                                 struct app_application *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a, next;
    enum core_app_state st;
    char actor[APP__ACTOR_MAX];
    app_err_clear(err);
    const char *why = app__flow_text_problem(reason, APP__FLOW_REASON_CHARS);
    if (why) {
        app_err_field(err, "reason",
                      strcmp(why, "reason_required") ? why : "cancel_reason_required");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    if (strlen(reason) >= sizeof a.closed_reason) {
        app_err_field(err, "reason", "too_long");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    if (staff_app(c, id, &who, &a, actor, err) != APP_OK)
        return err->status;
    if (core_app_state_parse(a.state, &st) != 0 || core_app_is_final(st)) {
        store_tx_rollback(s);
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    next = a;
    snprintf(next.closed_reason, sizeof next.closed_reason, "%s", reason);
    /* the staff member's words go to the holder, never into the audit log */
    enum store_err e = app__flow_step(s, &a, &next, CORE_EV_CANCEL, actor, "application.cancel",
                                      "{\"by\":\"staff\",\"reason\":\"free_text\"}", c->now);
    if (e == STORE_OK) {
        char name[2 * CORE_NAME_MAX + 2];
        app__flow_name(&a, name, sizeof name);
        const struct notify_var vars[] = {{"name", name}, {"number", a.number}, {"reason", reason}};
        e = app__flow_tell(s, &next, NOTIFY_TPL_CANCELLED, "cancelled", vars, 3, c->now);
    }
    if (staff_end(s, e, "cancelling an application", err) != APP_OK)
        return err->status;
    ulog(ULOG_INFO, "flow.cancel", "application=%s by=%s", a.number, who->username);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}

/* ---- shipment and delivery --------------------------------------------------------------------
 */

const char *app__flow_label_problem(const char *v, char *out, size_t cap)
{
    out[0] = '\0';
    if (!v)
        return "required";
    int n = core_tr_normalize(v, strlen(v), out, cap);
    if (n < 0)
        return core_utf8_valid(v, strlen(v)) ? "too_long" : "not_utf8";
    if (n == 0)
        return "required";
    /* no control characters, none that reorder or hide text (finding 7 of issue 19) */
    return core_text_check_code(core_text_check(out, (size_t)n, 0));
}

void app__flow_bureau_card(const struct store_application *a, struct store_card *k, int64_t now)
{
    memset(k, 0, sizeof *k);
    snprintf(k->tckn, sizeof k->tckn, "%s", a->tckn);
    k->application_id = a->id;
    k->certificate_id = a->new_cert_id;
    snprintf(k->source, sizeof k->source, "bureau");
    k->produced_at = now;
    k->created_at = now;
}

enum store_err app__flow_shipped(struct store *s, const struct store_application *a,
                                 struct store_application *next, const char *carrier,
                                 const char *tracking, const char *actor, int64_t now)
{
    struct store_card k;
    enum store_err e = store_card_of_app(s, a->id, &k);
    bool has = e == STORE_OK;
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    if (!has) /* the bureau's card, known from now on by its shipment */
        app__flow_bureau_card(a, &k, now);
    snprintf(k.state, sizeof k.state, "shipped");
    snprintf(k.carrier, sizeof k.carrier, "%s", carrier);
    snprintf(k.tracking_number, sizeof k.tracking_number, "%s", tracking);
    k.shipped_at = now;
    k.updated_at = now;
    *next = *a;
    if ((e = has ? store_card_update(s, &k) : store_card_put(s, &k)) != STORE_OK ||
        (e = app__flow_step(s, a, next, CORE_EV_SHIP, actor, "application.ship", NULL, now)) !=
            STORE_OK)
        return e;
    char name[2 * CORE_NAME_MAX + 2];
    app__flow_name(a, name, sizeof name);
    const struct notify_var vars[] = {
        {"name", name}, {"number", a->number}, {"carrier", carrier}, {"tracking_number", tracking}};
    return app__flow_tell(s, next, NOTIFY_TPL_CARD_SHIPPED, "shipped", vars, 4, now);
}

enum store_err app__flow_delivered(struct store *s, const struct app_settings *set,
                                   const struct store_application *a,
                                   struct store_application *next, const char *actor, int64_t now)
{
    struct store_card k;
    enum store_err e = store_card_of_app(s, a->id, &k);
    bool has = e == STORE_OK;
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    if (!has)
        app__flow_bureau_card(a, &k, now);
    if (strcmp(k.state, "active") != 0)
        snprintf(k.state, sizeof k.state, "delivered");
    k.delivered_at = now;
    k.updated_at = now;
    *next = *a;
    if ((e = has ? store_card_update(s, &k) : store_card_put(s, &k)) != STORE_OK ||
        (e = app__flow_step(s, a, next, CORE_EV_DELIVER, actor, "application.deliver", NULL,
                            now)) != STORE_OK)
        return e;
    bool pin = !strcmp(k.source, "inhouse") && set->portal.production == APP_PRODUCTION_INHOUSE;
    char name[2 * CORE_NAME_MAX + 2];
    app__flow_name(a, name, sizeof name);
    const struct notify_var vars[] = {{"name", name}, {"number", a->number}};
    return app__flow_tell(s, next, pin ? NOTIFY_TPL_CARD_PIN_READY : NOTIFY_TPL_CARD_DELIVERED,
                          "delivered", vars, 2, now);
}

enum app_status app_admin_shipment(const struct app_ctx *c, int64_t id, const char *carrier,
                                   const char *tracking_number, struct app_application *out,
                                   struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a, next;
    char actor[APP__ACTOR_MAX], cr[STORE_CARRIER_MAX], tn[STORE_TRACKING_MAX];
    const char *why;
    app_err_clear(err);
    if ((why = app__flow_label_problem(carrier, cr, sizeof cr)))
        app_err_field(err, "carrier", why);
    if ((why = app__flow_label_problem(tracking_number, tn, sizeof tn)))
        app_err_field(err, "tracking_number", why);
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    if (staff_app(c, id, &who, &a, actor, err) != APP_OK)
        return err->status;
    if (strcmp(a.state, core_app_state_code(CORE_APP_IN_PRODUCTION)) != 0) {
        store_tx_rollback(s);
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    enum store_err e = app__flow_shipped(s, &a, &next, cr, tn, actor, c->now);
    if (staff_end(s, e, "recording a shipment", err) != APP_OK)
        return err->status;
    ulog(ULOG_INFO, "flow.shipped", "application=%s by=%s", a.number, who->username);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}

enum app_status app_admin_delivery(const struct app_ctx *c, int64_t id, struct app_application *out,
                                   struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a, next;
    char actor[APP__ACTOR_MAX];
    app_err_clear(err);
    if (staff_app(c, id, &who, &a, actor, err) != APP_OK)
        return err->status;
    if (strcmp(a.state, core_app_state_code(CORE_APP_SHIPPED)) != 0 &&
        strcmp(a.state, core_app_state_code(CORE_APP_IN_PRODUCTION)) != 0) {
        store_tx_rollback(s);
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    enum store_err e = app__flow_delivered(s, c->set, &a, &next, actor, c->now);
    if (staff_end(s, e, "recording a delivery", err) != APP_OK)
        return err->status;
    ulog(ULOG_INFO, "flow.delivered", "application=%s by=%s", a.number, who->username);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}
