/* eimza — messages that need the operator (web/pages/): /yonetim/iletiler lists the failed and
 * the unconfirmed messages of the outbox (the recipient masked) with the operator's answers: send
 * again, or record an unconfirmed one as delivered (POST /yonetim/iletiler/{id}).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/pages/pages.h"

/* ---- /yonetim/iletiler: messages that need the operator ------------------------------------ */

struct messages_ctx {
    struct web_page *p;
    const char *csrf;
    size_t n;
};

/* The operator's answers to one message: send it again; for an unconfirmed one also "it
 * arrived" (app_admin_message_action). */
static void message_actions(struct messages_ctx *e, const struct app_message_problem *m)
{
    char action[48];
    snprintf(action, sizeof action, "/yonetim/iletiler/%lld", (long long)m->id);
    web_page_form_begin(e->p, action, e->csrf);
    web_page_open_class(e->p, WEB_EL_DIV, "buttons");
    web_page_button(e->p, WEB_MSG_AP_MSG_RETRY, WEB_BUTTON_SECONDARY, "action", "retry");
    if (strcmp(m->status, "failed"))
        web_page_button(e->p, WEB_MSG_AP_MSG_CONFIRM, WEB_BUTTON_SECONDARY, "action", "confirm");
    web_page_close(e->p, WEB_EL_DIV);
    web_page_form_end(e->p);
}

/* The application a message was for, read from its dedupe key (the senders' names for what a
 * message is for: "decision:<id>:...", "flow:<id>:...", "remind:<id>:...", "overdue:<id>:..."
 * name the application's id, "otp:<number>:..." and "pin:<number>:..." its number): its page,
 * or the search that opens it by number. False for a message of no one application (an expiry
 * warning is a certificate's, a digest a province's). */
static bool message_application_href(const char *key, char *href, size_t cap)
{
    static const char *const by_id[] = {"decision:", "flow:", "remind:", "overdue:"};
    static const char *const by_number[] = {"otp:", "pin:"};
    for (size_t i = 0; key && i < sizeof by_id / sizeof by_id[0]; i++) {
        size_t n = strlen(by_id[i]), d;
        if (strncmp(key, by_id[i], n) != 0)
            continue;
        d = strspn(key + n, "0123456789");
        if (d == 0 || d > 18 || key[n + d] != ':')
            return false;
        snprintf(href, cap, "/yonetim/basvuru/%.*s", (int)d, key + n);
        return true;
    }
    for (size_t i = 0; key && i < sizeof by_number / sizeof by_number[0]; i++) {
        size_t n = strlen(by_number[i]), d;
        if (strncmp(key, by_number[i], n) != 0)
            continue;
        d = strspn(key + n, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (d == 0 || d > 32 || key[n + d] != ':')
            return false;
        snprintf(href, cap, "/yonetim/ara?q=%.*s", (int)d, key + n);
        return true;
    }
    return false;
}

/* The masked recipient, and a way to the application (where the name and the institution are)
 * so the operator can reach the person another way, as the page's lead asks. */
static void recipient_cell(struct web_page *p, const struct app_message_problem *m)
{
    char href[80];
    web_page_text(p, m->to);
    if (!message_application_href(m->dedupe_key, href, sizeof href))
        return;
    web_page_open(p, WEB_EL_BR);
    web_page_open_class(p, WEB_EL_A, "message-application");
    web_page_attr(p, "href", href);
    web_page_msg(p, WEB_MSG_SP_MSG_APPLICATION);
    web_page_close(p, WEB_EL_A);
}

/* What went wrong, in words an operator can act on, and the sender's own code small beside
 * it for the technical staff (issue 17: no bare "http_400"). */
static void error_words(struct web_page *p, const char *code)
{
    const char *args[] = {code};
    if (!code || !*code)
        return;
    web_page_open_class(p, WEB_EL_SPAN, "error-words");
    web_page_text(p, app_delivery_error_text(code, p->lang));
    web_page_close(p, WEB_EL_SPAN);
    web_page_open(p, WEB_EL_BR);
    web_page_open_class(p, WEB_EL_SMALL, "error-code");
    web_page_msg_args(p, WEB_MSG_SP_ERROR_CODE, args, 1);
    web_page_close(p, WEB_EL_SMALL);
}

static int message_row(void *ctx, const struct app_message_problem *m)
{
    struct messages_ctx *e = ctx;
    struct web_page *p = e->p;
    static const enum web_msg cols[] = {WEB_MSG_AP_COL_CREATED,   WEB_MSG_AP_COL_CHANNEL,
                                        WEB_MSG_AP_COL_TO,        WEB_MSG_AP_COL_MSG_STATUS,
                                        WEB_MSG_AP_COL_ERROR,     WEB_MSG_AP_COL_ATTEMPTS,
                                        WEB_MSG_AP_COL_MSG_ACTION};
    if (e->n++ == 0) {
        web_page_open_class(p, WEB_EL_DIV, "table-wrap");
        web_page_open_class(p, WEB_EL_TABLE, "messages cards");
        web_page_open(p, WEB_EL_THEAD);
        web_page_open(p, WEB_EL_TR);
        web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    }
    char when[32], attempts[WEB_COUNT_MAX];
    web_pg_time(m->created_at, WEB_PG_DATETIME, when);
    web_count_text(m->attempts, p->lang, attempts);
    const char *cells[] = {when, NULL, m->to, NULL, NULL, attempts, ""};
    web_page_open(p, WEB_EL_TR);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        if (i == 0) {
            web_page_open(p, WEB_EL_TH);
            web_page_attr(p, "scope", "row");
        } else
            web_page_open(p, WEB_EL_TD);
        web_page_attr_msg(p, "data-label", cols[i]);
        if (cols[i] == WEB_MSG_AP_COL_MSG_ACTION)
            message_actions(e, m);
        else if (cols[i] == WEB_MSG_AP_COL_CHANNEL)
            web_page_msg(p, !strcmp(m->channel, "sms") ? WEB_MSG_SP_CHANNEL_SMS
                                                       : WEB_MSG_SP_CHANNEL_EMAIL);
        else if (cols[i] == WEB_MSG_AP_COL_ERROR)
            error_words(p, m->error);
        else if (cols[i] == WEB_MSG_AP_COL_TO)
            recipient_cell(p, m);
        else if (cells[i])
            web_page_text(p, cells[i]);
        else
            web_page_msg(p, !strcmp(m->status, "failed") ? WEB_MSG_AP_MSG_FAILED
                                                         : WEB_MSG_AP_MSG_UNCONFIRMED);
        if (i == 0)
            web_page_close(p, WEB_EL_TH);
        else
            web_page_close(p, WEB_EL_TD);
    }
    web_page_close(p, WEB_EL_TR);
    return 0;
}

enum web_err web_h_staff_messages(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    c.need = WEB_PG_NEED_MESSAGES;
    if (!web_pg_enter_staff(&c, false, &rc))
        goto out;
    if (!web_pg_role_is(c.who, "operator") && !web_pg_role_is(c.who, "admin")) {
        rc = web_pg_403(&c, "forbidden_role");
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_AP_MSG_TITLE};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_MESSAGES);
    web_pg_heading(&p, WEB_MSG_AP_MSG_TITLE);
    const char *done = web_req_query(rq, "yapildi");
    if (done && (!strcmp(done, "retry") || !strcmp(done, "confirm"))) {
        web_page_notice_begin(&p, WEB_NOTICE_SUCCESS);
        web_page_el_msg(&p, WEB_EL_P,
                        !strcmp(done, "retry") ? WEB_MSG_AP_MSG_DONE_RETRY
                                               : WEB_MSG_AP_MSG_DONE_CONFIRM);
        web_page_notice_end(&p);
    }
    web_pg_para(&p, WEB_MSG_AP_MSG_LEAD);
    struct messages_ctx mc = {&p, web_pg_csrf(&c), 0};
    if (app_admin_messages(&c.app, message_row, &mc, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    web_pg_rows_end(&p, mc.n, WEB_MSG_AP_MSG_EMPTY);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}

/* POST /yonetim/iletiler/{id}: the operator's answer (action retry | confirm), then back to
 * the list with what was done. */
enum web_err web_h_staff_message_action(struct web_req *rq)
{
    struct web_pg c;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    c.need = WEB_PG_NEED_MESSAGES;
    if (!web_pg_enter_staff(&c, true, &rc))
        goto out;
    int64_t id = 0;
    if (!web_req_param_id(rq, "id", &id))
        id = 0; /* app_admin_message_action: message_not_found */
    const char *action = web_pg_field(&c, "action");
    if (app_admin_message_action(&c.app, id, action, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    rc = web_pg_see_other(rq, !strcmp(action, "retry") ? "/yonetim/iletiler?yapildi=retry"
                                                       : "/yonetim/iletiler?yapildi=confirm");
out:
    web_pg_done(&c);
    return rc;
}
