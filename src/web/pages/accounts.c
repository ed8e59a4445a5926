/* eimza — staff accounts for admins (web/pages/; issue 17, point 15): /yonetim/hesaplar lists
 * the accounts and adds one (POST), /yonetim/hesaplar/{name} shows one with its changes, each
 * a form of its own (POST with action = email | province | disable | enable | totp | unlock):
 * what `eimza user add` and `eimza user set` do, through app_admin_account_*, audited there.
 * Other roles get a 403 that says these are the admins' pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

#define ACCOUNTS_MAX 2000 /* accounts listed (a ministry has a few hundred) */

/* ---- pieces ------------------------------------------------------------------------------- */

static enum web_msg role_msg(const char *role)
{
    if (!strcmp(role, "approver"))
        return WEB_MSG_AP_ROLE_APPROVER;
    if (!strcmp(role, "operator"))
        return WEB_MSG_AP_ROLE_OPERATOR;
    return WEB_MSG_AP_ROLE_ADMIN;
}

/* The account's state in words: disabled, locked (until when), or active. */
static void status_text(struct web_page *p, const struct app_staff_account *a)
{
    char until[32];
    if (a->disabled) {
        web_page_open_class(p, WEB_EL_STRONG, "account-disabled");
        web_page_msg(p, WEB_MSG_SP_ACC_DISABLED);
        web_page_close(p, WEB_EL_STRONG);
    } else if (a->locked) {
        web_pg_time(a->locked_until, WEB_PG_DATETIME, until);
        const char *args[] = {until};
        web_page_open_class(p, WEB_EL_STRONG, "account-locked");
        web_page_msg_args(p, WEB_MSG_SP_ACC_LOCKED, args, 1);
        web_page_close(p, WEB_EL_STRONG);
    } else {
        web_page_msg(p, WEB_MSG_SP_ACC_ACTIVE);
    }
}

static void when_text(struct web_page *p, int64_t t, enum web_msg never)
{
    char when[32];
    if (t <= 0) {
        web_page_msg(p, never);
        return;
    }
    web_pg_time(t, WEB_PG_DATETIME, when);
    web_page_text(p, when);
}

static bool name_param(struct web_req *rq, const char **name)
{
    *name = web_req_param(rq, "name");
    return *name && **name;
}

/* The roles' options, and the provinces' (values "1".."81"), for the add form and the change. */
static const struct web_option role_options[] = {
    {"approver", WEB_MSG_AP_ROLE_APPROVER, NULL, WEB_MSG_NONE},
    {"operator", WEB_MSG_AP_ROLE_OPERATOR, NULL, WEB_MSG_NONE},
    {"admin", WEB_MSG_AP_ROLE_ADMIN, NULL, WEB_MSG_NONE},
};

struct provinces {
    struct web_option o[82];
    char plates[81][3];
    size_t n;
};

static void province_options(struct provinces *pv, bool none)
{
    pv->n = 0;
    if (none)
        pv->o[pv->n++] = (struct web_option){"", WEB_MSG_SP_ACC_PROVINCE_NONE, NULL, WEB_MSG_NONE};
    for (int i = 0; i < 81; i++) {
        snprintf(pv->plates[i], sizeof pv->plates[i], "%d", i + 1);
        pv->o[pv->n++] = (struct web_option){pv->plates[i], WEB_MSG_NONE, app_province_name(i + 1),
                                             WEB_MSG_NONE};
    }
}

/* ---- /yonetim/hesaplar -------------------------------------------------------------------- */

struct list_ctx {
    struct web_page *p;
    size_t n;
};

static int account_row(void *ctx, const struct app_staff_account *a)
{
    static const enum web_msg cols[] = {
        WEB_MSG_SP_ACC_COL_USER,   WEB_MSG_SP_ACC_COL_ROLE, WEB_MSG_SP_ACC_COL_EMAIL,
        WEB_MSG_SP_ACC_COL_STATUS, WEB_MSG_SP_ACC_COL_TOTP, WEB_MSG_SP_ACC_COL_LAST_LOGIN,
    };
    struct list_ctx *l = ctx;
    struct web_page *p = l->p;
    char href[96];
    if (l->n++ == 0) {
        web_page_open_class(p, WEB_EL_DIV, "table-wrap");
        web_page_open_class(p, WEB_EL_TABLE, "accounts cards");
        web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_SP_ACC_CAPTION);
        web_page_open(p, WEB_EL_THEAD);
        web_page_open(p, WEB_EL_TR);
        web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    }
    if (l->n > ACCOUNTS_MAX)
        return 1;
    snprintf(href, sizeof href, "/yonetim/hesaplar/%s", a->username);
    web_page_open(p, WEB_EL_TR);
    web_page_attr(p, "data-user", a->username);
    web_page_open(p, WEB_EL_TH);
    web_page_attr(p, "scope", "row");
    web_page_attr_msg(p, "data-label", WEB_MSG_SP_ACC_COL_USER);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", href);
    web_page_text(p, a->username);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_TH);
    web_pg_td_begin(p, WEB_MSG_SP_ACC_COL_ROLE);
    web_page_msg(p, role_msg(a->role));
    if (a->province > 0) {
        web_page_text(p, ", ");
        web_page_text(p, app_province_name(a->province));
    }
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_SP_ACC_COL_EMAIL);
    if (a->email[0])
        web_page_text(p, a->email);
    else
        web_page_msg(p, WEB_MSG_AP_NONE);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_SP_ACC_COL_STATUS);
    status_text(p, a);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_SP_ACC_COL_TOTP);
    web_page_msg(p, a->totp_enabled ? WEB_MSG_SP_ACC_TOTP_ON : WEB_MSG_SP_ACC_TOTP_OFF);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_SP_ACC_COL_LAST_LOGIN);
    when_text(p, a->last_login_at, WEB_MSG_SP_ACC_NEVER);
    web_page_close(p, WEB_EL_TD);
    web_page_close(p, WEB_EL_TR);
    return 0;
}

/* The add form's fields, in page order. */
enum add_field { A_USER, A_ROLE, A_PROVINCE, A_EMAIL, A_PASSWORD, A_N };

static void add_fields(struct web_field f[A_N], const struct provinces *pv)
{
    const struct web_field init[A_N] = {
        [A_USER] = {WEB_FIELD_TEXT, "username", WEB_MSG_AP_USERNAME, WEB_MSG_SP_ACC_USER_HINT,
                    .autocomplete = "off", .maxlength = 63},
        [A_ROLE] = {WEB_FIELD_SELECT, "role", WEB_MSG_SP_ACC_COL_ROLE, .options = role_options,
                    .noptions = 3},
        [A_PROVINCE] = {WEB_FIELD_SELECT, "province", WEB_MSG_SP_ACC_PROVINCE,
                        WEB_MSG_SP_ACC_PROVINCE_HINT, .options = pv->o, .noptions = pv->n},
        [A_EMAIL] = {WEB_FIELD_EMAIL, "email", WEB_MSG_SP_ACC_COL_EMAIL, WEB_MSG_SP_ACC_EMAIL_HINT,
                     .autocomplete = "off", .maxlength = 254, .optional = true},
        [A_PASSWORD] = {WEB_FIELD_PASSWORD, "password", WEB_MSG_SP_ACC_PASSWORD,
                        WEB_MSG_SP_ACC_PASSWORD_HINT, .autocomplete = "new-password",
                        .maxlength = 1024},
    };
    memcpy(f, init, sizeof init);
}

static enum web_err accounts_page(struct web_pg *c, struct web_field *f, size_t nf,
                                  const struct web_error_item *extra, size_t nextra,
                                  unsigned status)
{
    struct web_page p;
    struct web_error_item items[A_N + 2];
    size_t n = web_pg_summary_items(f, nf, extra, nextra, items, sizeof items / sizeof items[0]);
    web_pg_page(c, &p);
    const struct web_layout layout = {.title = WEB_MSG_SP_ACC_TITLE, .errors = n > 0};
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_ACCOUNTS);
    web_page_error_summary(&p, items, n);
    web_pg_heading(&p, WEB_MSG_SP_ACC_TITLE);
    const char *added = web_req_query(c->rq, "eklendi");
    if (added && *added && strlen(added) < APP_USERNAME_MAX && status == 200) {
        const char *args[] = {added};
        web_pg_notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_SP_ACC_ADDED, args, 1);
    }
    web_pg_para(&p, WEB_MSG_SP_ACC_LEAD);
    struct list_ctx l = {&p, 0};
    if (app_admin_accounts(&c->app, account_row, &l, &c->err) != APP_OK) {
        web_page_free(&p);
        return web_pg_app_failure(c);
    }
    web_pg_rows_end(&p, l.n, WEB_MSG_NONE);

    web_page_open_class(&p, WEB_EL_SECTION, "account-add");
    web_page_attr(&p, "aria-labelledby", "account-add-title");
    web_page_open(&p, WEB_EL_H2);
    web_page_attr(&p, "id", "account-add-title");
    web_page_msg(&p, WEB_MSG_SP_ACC_ADD_TITLE);
    web_page_close(&p, WEB_EL_H2);
    web_pg_para(&p, WEB_MSG_SP_ACC_ADD_LEAD);
    web_page_form_begin(&p, "/yonetim/hesaplar", web_pg_csrf(c));
    for (size_t i = 0; i < nf; i++)
        web_page_field(&p, &f[i]);
    web_page_form_submit(&p, WEB_MSG_SP_ACC_ADD_BUTTON, WEB_BUTTON_PRIMARY);
    web_page_close(&p, WEB_EL_SECTION);
    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_h_staff_accounts(struct web_req *rq)
{
    struct web_pg c;
    struct provinces pv;
    struct web_field f[A_N];
    struct web_error_item extra[2];
    size_t nextra = 0;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    bool post = web_pg_is_post(&c);
    if (!web_pg_enter_admin(&c, post, &rc))
        goto out;
    province_options(&pv, true);
    add_fields(f, &pv);
    if (!post) {
        rc = accounts_page(&c, f, A_N, NULL, 0, 200);
        goto out;
    }
    for (int i = 0; i < A_N; i++)
        f[i].value = web_pg_field(&c, f[i].name);
    long province = 0;
    const char *pv_text = f[A_PROVINCE].value;
    if (pv_text && *pv_text && !web_num_parse(pv_text, 0, 81, &province))
        province = -1; /* the use case says what is wrong */
    const char *password = f[A_PASSWORD].value;
    enum app_status st =
        app_admin_account_add(&c.app, f[A_USER].value, f[A_ROLE].value, (int)province,
                              f[A_EMAIL].value, password ? password : "", &c.err);
    if (st == APP_OK) {
        char where[128];
        snprintf(where, sizeof where, "/yonetim/hesaplar?eklendi=%s", f[A_USER].value);
        rc = web_pg_see_other(rq, where);
        goto out;
    }
    if (st == APP_EINVAL || st == APP_ECONFLICT) {
        if (c.err.nfields)
            nextra = web_pg_field_errors(&c.err, c.lang, f, A_N, extra, 2);
        else if (c.err.code && !strcmp(c.err.code, "username_taken"))
            f[A_USER].error = app_reason_text("username_taken", c.lang);
        else
            extra[nextra++] = web_pg_message_item(app_reason_text(c.err.code, c.lang));
        f[A_PASSWORD].value = NULL; /* never written back */
        rc = accounts_page(&c, f, A_N, extra, nextra, st == APP_ECONFLICT ? 409 : 400);
        goto out;
    }
    rc = web_pg_app_failure(&c);
out:
    web_pg_done(&c);
    return rc;
}

/* ---- /yonetim/hesaplar/{name} -------------------------------------------------------------- */

static void fact(struct web_page *p, enum web_msg term)
{
    web_page_el_msg(p, WEB_EL_DT, term);
    web_page_open(p, WEB_EL_DD);
    web_page_attr(p, "data-field", web_msg_name(term));
}

/* One change of the account: a form with its action, the fields it needs, a button and a
 * sentence on what it does. */
static void change_form(struct web_pg *c, struct web_page *p, const char *href, const char *action,
                        enum web_msg title, enum web_msg lead, const struct web_field *field,
                        enum web_msg button, enum web_button_kind kind)
{
    web_page_open_class(p, WEB_EL_SECTION, "account-change");
    web_page_el_msg(p, WEB_EL_H3, title);
    if (lead != WEB_MSG_NONE)
        web_pg_para(p, lead);
    web_page_form_begin(p, href, web_pg_csrf(c));
    web_pg_hidden(p, "action", action);
    if (field)
        web_page_field(p, field);
    web_page_form_submit(p, button, kind);
    web_page_close(p, WEB_EL_SECTION);
}

static enum web_err account_page(struct web_pg *c, const struct app_staff_account *a,
                                 const struct web_field *email, const struct web_field *province,
                                 const char *message, unsigned status)
{
    struct web_page p;
    struct web_error_item items[3];
    size_t n = 0;
    char href[96], title[128];
    if (message)
        items[n++] = web_pg_message_item(message);
    if (email->error)
        items[n++] = (struct web_error_item){email->name, email->label, email->error};
    if (province && province->error)
        items[n++] = (struct web_error_item){province->name, province->label, province->error};
    snprintf(href, sizeof href, "/yonetim/hesaplar/%s", a->username);
    web_pg_fill(web_msg(WEB_MSG_SP_ACC_DETAIL_TITLE, c->lang), a->username, title, sizeof title);
    web_pg_page(c, &p);
    const struct web_layout layout = {.title_text = title, .errors = n > 0};
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_ACCOUNTS);
    web_page_error_summary(&p, items, n);
    web_page_el_text(&p, WEB_EL_H1, title);
    if (web_req_query(c->rq, "yapildi") && status == 200)
        web_pg_notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_SP_ACC_DONE, NULL, 0);
    web_page_action_link(&p, "/yonetim/hesaplar", WEB_MSG_SP_ACC_BACK);

    web_page_open_class(&p, WEB_EL_DL, "facts account-facts");
    fact(&p, WEB_MSG_SP_ACC_COL_ROLE);
    web_page_msg(&p, role_msg(a->role));
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_PROVINCE);
    if (a->province > 0)
        web_page_text(&p, app_province_name(a->province));
    else
        web_page_msg(&p, WEB_MSG_SP_ACC_ALL_PROVINCES);
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_COL_EMAIL);
    if (a->email[0])
        web_page_text(&p, a->email);
    else
        web_page_msg(&p, WEB_MSG_AP_NONE);
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_COL_STATUS);
    status_text(&p, a);
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_COL_TOTP);
    web_page_msg(&p, a->totp_enabled ? WEB_MSG_SP_ACC_TOTP_ON : WEB_MSG_SP_ACC_TOTP_OFF);
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_COL_LAST_LOGIN);
    when_text(&p, a->last_login_at, WEB_MSG_SP_ACC_NEVER);
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_SP_ACC_CREATED);
    when_text(&p, a->created_at, WEB_MSG_AP_NONE);
    web_page_close(&p, WEB_EL_DD);
    web_page_close(&p, WEB_EL_DL);

    web_page_section_begin(&p, WEB_MSG_SP_ACC_CHANGES);
    web_page_open_class(&p, WEB_EL_DIV, "account-changes");
    change_form(c, &p, href, "email", WEB_MSG_SP_ACC_COL_EMAIL, WEB_MSG_NONE, email,
                WEB_MSG_SP_ACC_SAVE, WEB_BUTTON_SECONDARY);
    if (province)
        change_form(c, &p, href, "province", WEB_MSG_SP_ACC_PROVINCE, WEB_MSG_NONE, province,
                    WEB_MSG_SP_ACC_SAVE, WEB_BUTTON_SECONDARY);
    if (a->disabled)
        change_form(c, &p, href, "enable", WEB_MSG_SP_ACC_ACCESS, WEB_MSG_SP_ACC_ENABLE_LEAD, NULL,
                    WEB_MSG_SP_ACC_ENABLE, WEB_BUTTON_PRIMARY);
    else if (strcmp(a->username, c->who->username) != 0)
        change_form(c, &p, href, "disable", WEB_MSG_SP_ACC_ACCESS, WEB_MSG_SP_ACC_DISABLE_LEAD,
                    NULL, WEB_MSG_SP_ACC_DISABLE, WEB_BUTTON_SECONDARY);
    change_form(c, &p, href, "totp", WEB_MSG_SP_ACC_COL_TOTP, WEB_MSG_SP_ACC_TOTP_LEAD, NULL,
                WEB_MSG_SP_ACC_TOTP_RESET, WEB_BUTTON_SECONDARY);
    if (a->locked || a->failed_count > 0)
        change_form(c, &p, href, "unlock", WEB_MSG_SP_ACC_LOCK, WEB_MSG_SP_ACC_UNLOCK_LEAD, NULL,
                    WEB_MSG_SP_ACC_UNLOCK, WEB_BUTTON_PRIMARY);
    web_page_close(&p, WEB_EL_DIV);
    web_page_section_end(&p);
    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_h_staff_account(struct web_req *rq)
{
    struct web_pg c;
    struct app_staff_account a;
    struct provinces pv;
    const char *name, *message = NULL;
    char plate[8];
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    bool post = web_pg_is_post(&c);
    if (!web_pg_enter_admin(&c, post, &rc))
        goto out;
    if (!name_param(rq, &name) || app_admin_account(&c.app, name, &a, &c.err) != APP_OK) {
        rc = c.err.status == APP_ENOTFOUND || !c.err.status ? web_pg_404(&c)
                                                            : web_pg_app_failure(&c);
        goto out;
    }
    province_options(&pv, false);
    snprintf(plate, sizeof plate, "%d", a.province);
    struct web_field email = {WEB_FIELD_EMAIL,           "email",          WEB_MSG_SP_ACC_COL_EMAIL,
                              WEB_MSG_SP_ACC_EMAIL_HINT, .value = a.email, .autocomplete = "off",
                              .maxlength = 254,          .optional = true};
    struct web_field province = {WEB_FIELD_SELECT, "province",      WEB_MSG_SP_ACC_PROVINCE,
                                 .value = plate,   .options = pv.o, .noptions = pv.n};
    bool approver = !strcmp(a.role, "approver");
    if (!post) {
        rc = account_page(&c, &a, &email, approver ? &province : NULL, NULL, 200);
        goto out;
    }

    const char *action = web_pg_field(&c, "action");
    struct app_user_change ch = {0};
    bool yes = true, no = false;
    int newplate = 0;
    long v;
    if (!action) {
        action = "";
    } else if (!strcmp(action, "email")) {
        const char *e = web_pg_field(&c, "email");
        ch.email = e ? e : "";
        email.value = ch.email;
    } else if (!strcmp(action, "province")) {
        const char *e = web_pg_field(&c, "province");
        newplate = e && web_num_parse(e, 0, 81, &v) ? (int)v : 0;
        ch.province = &newplate;
        province.value = e;
    } else if (!strcmp(action, "disable")) {
        ch.disabled = &yes;
    } else if (!strcmp(action, "enable")) {
        ch.disabled = &no;
    } else if (!strcmp(action, "totp")) {
        ch.reset_totp = true;
    } else if (!strcmp(action, "unlock")) {
        ch.unlock = true;
    }
    enum app_status st = app_admin_account_set(&c.app, name, &ch, &c.err);
    if (st == APP_OK) {
        char where[128];
        snprintf(where, sizeof where, "/yonetim/hesaplar/%s?yapildi=%s", a.username,
                 strspn(action, "abcdefghijklmnopqrstuvwxyz") == strlen(action) ? action : "");
        rc = web_pg_see_other(rq, where);
        goto out;
    }
    if (st != APP_EINVAL && st != APP_ECONFLICT) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    for (size_t i = 0; i < c.err.nfields; i++) {
        const char *msg = app_reason_text(c.err.fields[i].code, c.lang);
        if (!strcmp(c.err.fields[i].field, "email"))
            email.error = msg;
        else if (!strcmp(c.err.fields[i].field, "province"))
            province.error = msg;
        else
            message = msg;
    }
    if (!c.err.nfields)
        message = app_reason_text(c.err.code, c.lang);
    rc = account_page(&c, &a, &email, approver ? &province : NULL, message,
                      st == APP_ECONFLICT ? 409 : 400);
out:
    web_pg_done(&c);
    return rc;
}
