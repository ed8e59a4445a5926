/* eimza — the application read back (web/pages/), issue 17, point 4: the check of the answers
 * before the SMS code confirms them (/kontrol: every field, a "Değiştir" link each to its place
 * in the form), the confirmation once the application went (/basvuru/tamam: the application
 * number in a panel, what happens next, the wet path's print, sign and post with the address
 * the paper goes to), and a view of the whole application made for printing (/basvuru/ozet).
 * The three share one list of the answers, read from the saved application; the security word
 * is never shown, only whether one is saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

/* ---- the answers, as a list ------------------------------------------------------------- */

/* A value shown for a code of the form (its words in the page's language). */
struct code_label {
    const char *code;
    enum web_msg label;
};
static const struct code_label reasons[] = {{"renewal", WEB_MSG_REASON_RENEWAL},
                                            {"lost_stolen", WEB_MSG_REASON_LOST},
                                            {"other", WEB_MSG_REASON_OTHER}};
static const struct code_label operators[] = {{"turkcell", WEB_MSG_OPERATOR_TURKCELL},
                                              {"vodafone", WEB_MSG_OPERATOR_VODAFONE},
                                              {"turk_telekom", WEB_MSG_OPERATOR_TURK_TELEKOM}};
static const struct code_label notify[] = {
    {"email", WEB_MSG_NOTIFY_EMAIL}, {"sms", WEB_MSG_NOTIFY_SMS}, {"both", WEB_MSG_NOTIFY_BOTH}};
static const struct code_label validities[] = {
    {"1", WEB_MSG_VALIDITY_1}, {"2", WEB_MSG_VALIDITY_2}, {"3", WEB_MSG_VALIDITY_3}};
#define NLAB(a) (sizeof(a) / sizeof((a)[0]))

static enum web_msg label_of(const struct code_label *t, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(t[i].code, code))
            return t[i].label;
    return WEB_MSG_NONE;
}

/* One row: the label, the value (text, or a message when text is NULL), and for an editable
 * field a link to it in the form, its label read out after "Değiştir" for screen readers. An
 * empty value reads "—" ("not given"). */
static void row(struct web_page *p, enum web_msg label, const char *text, enum web_msg value,
                const char *field)
{
    web_page_open_class(p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(p, WEB_EL_DT, label);
    web_page_open(p, WEB_EL_DD);
    if (text && *text)
        web_page_text(p, text);
    else if (!text && value != WEB_MSG_NONE)
        web_page_msg(p, value);
    else
        web_page_msg(p, WEB_MSG_NOT_GIVEN);
    web_page_close(p, WEB_EL_DD);
    if (field) {
        char href[64];
        snprintf(href, sizeof href, "/basvuru#%s", field);
        web_page_open_class(p, WEB_EL_DD, "summary-change");
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", href);
        web_page_msg(p, WEB_MSG_CHANGE);
        web_page_open_class(p, WEB_EL_SPAN, "visually-hidden");
        web_page_text(p, ": ");
        web_page_msg(p, label);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_DD);
    }
    web_page_close(p, WEB_EL_DIV);
}

static void list_begin(struct web_page *p, enum web_msg heading)
{
    web_page_el_msg(p, WEB_EL_H2, heading);
    web_page_open_class(p, WEB_EL_DL, "summary-list");
}

static void list_end(struct web_page *p)
{
    web_page_close(p, WEB_EL_DL);
}

/* "0555 123 45 67" from 5551234567, "(0488) 212 12 12 / 123" for a work phone with extension. */
static void phone_text(const char *digits, const char *ext, char *out, size_t cap)
{
    if (strlen(digits) == 10)
        snprintf(out, cap, "0%.3s %.3s %.2s %.2s", digits, digits + 3, digits + 6, digits + 8);
    else
        snprintf(out, cap, "%s", digits);
    if (ext && *ext && *out) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, " / %s", ext);
    }
}

/* Every answer of the application, in the form's order and sections. change: the links to the
 * form (the check of the answers); without them the list only shows (the print view). */
static void answers(struct web_page *p, const struct app_view *v, bool change)
{
    const struct app_application *a = &v->app;
    char validity[4], date[16] = "", work[48], mobile[48], home[48];
    snprintf(validity, sizeof validity, "%d", a->validity_years);
    if (strlen(a->birth_date) == 10) /* YYYY-MM-DD as DD.MM.YYYY */
        snprintf(date, sizeof date, "%.2s.%.2s.%.4s", a->birth_date + 8, a->birth_date + 5,
                 a->birth_date);
    phone_text(a->work_phone, a->work_phone_ext, work, sizeof work);
    phone_text(a->mobile_phone, NULL, mobile, sizeof mobile);
    phone_text(a->home_phone, NULL, home, sizeof home);
#define CH(field) (change ? (field) : NULL)

    list_begin(p, WEB_MSG_SECTION_APPLICATION);
    row(p, WEB_MSG_REASON, NULL, label_of(reasons, NLAB(reasons), a->reason), CH("reason"));
    if (!strcmp(a->card_reader, "none") || !a->card_reader[0])
        row(p, WEB_MSG_CARD_READER, NULL, WEB_MSG_CARD_READER_NONE, CH("card_reader"));
    else
        row(p, WEB_MSG_CARD_READER, a->card_reader, WEB_MSG_NONE, CH("card_reader"));
    row(p, WEB_MSG_VALIDITY, NULL, label_of(validities, NLAB(validities), validity),
        CH("validity_years"));
    list_end(p);

    list_begin(p, WEB_MSG_SECTION_PERSONAL);
    row(p, WEB_MSG_TCKN, a->tckn_masked, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_FIRST_NAME, a->first_name, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_LAST_NAME, a->last_name, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_BIRTH_PLACE, a->birth_place, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_BIRTH_DATE, date, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_SECURITY_WORD, NULL,
        v->security_word_set ? WEB_MSG_SECURITY_WORD_SAVED : WEB_MSG_NOT_GIVEN,
        CH("security_word"));
    list_end(p);

    list_begin(p, WEB_MSG_SECTION_INSTITUTION);
    row(p, WEB_MSG_INSTITUTION_NAME, a->institution_name, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_REGISTRY_NO, a->registry_no, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_UNIT, a->unit, WEB_MSG_NONE, CH("unit"));
    row(p, WEB_MSG_JOB_TITLE, a->title, WEB_MSG_NONE, CH("title"));
    row(p, WEB_MSG_ADDRESS, a->address, WEB_MSG_NONE, CH("address"));
    row(p, WEB_MSG_PROVINCE, a->province ? app_province_name(a->province) : "", WEB_MSG_NONE,
        CH("province"));
    row(p, WEB_MSG_DISTRICT, a->district, WEB_MSG_NONE, CH("district"));
    row(p, WEB_MSG_POSTAL_CODE, a->postal_code, WEB_MSG_NONE, CH("postal_code"));
    list_end(p);

    list_begin(p, WEB_MSG_SECTION_CONTACT);
    row(p, WEB_MSG_EMAIL, a->email, WEB_MSG_NONE, CH("email"));
    row(p, WEB_MSG_WORK_PHONE, work, WEB_MSG_NONE, CH("work_phone"));
    row(p, WEB_MSG_MOBILE_PHONE, mobile, WEB_MSG_NONE, NULL);
    row(p, WEB_MSG_MOBILE_OPERATOR, NULL, label_of(operators, NLAB(operators), a->mobile_operator),
        CH("mobile_operator"));
    row(p, WEB_MSG_HOME_PHONE, home, WEB_MSG_NONE, CH("home_phone"));
    row(p, WEB_MSG_NOTIFY_BY, NULL, label_of(notify, NLAB(notify), a->notify_by), CH("notify_by"));
    list_end(p);
#undef CH
}

/* ---- /kontrol: the check of the answers ------------------------------------------------- */

enum web_err web_h_page_check(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_otp_state ss;
    struct web_page p;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    if (!web_pg_in_state(&v.app, CORE_APP_DRAFT) || !v.app.confirmed) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    if (app_otp_status(&c.app, &ss, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_CHECK_TITLE, .step = WEB_STEP_FORM};
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_CHECK_TITLE);
    web_pg_app_number(&p, v.app.number);
    web_pg_para(&p, WEB_MSG_CHECK_LEAD);
    answers(&p, &v, true);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_CHECK_DECLARATION_TITLE);
    web_page_notice_begin(&p, WEB_NOTICE_INFO);
    web_pg_para(&p, WEB_MSG_DECLARATION);
    web_page_notice_end(&p);
    if (ss.has_phone) {
        const char *args[] = {ss.masked_phone};
        web_pg_para_args(&p, WEB_MSG_CHECK_CODE_GOES, args, 1);
        web_page_form_begin(&p, "/sms/gonder", web_pg_csrf(&c));
        web_pg_hidden(&p, "from", "kontrol");
        web_page_form_submit(&p, WEB_MSG_CHECK_CONFIRM, WEB_BUTTON_PRIMARY);
    } else {
        web_page_notice_begin(&p, WEB_NOTICE_WARNING);
        web_pg_text_para(&p, web_pg_reason(&c, "no_mobile_on_file"));
        web_page_notice_end(&p);
    }
    web_page_action_link(&p, "/basvuru", WEB_MSG_PP_EDIT_FORM);
    web_page_end(&p);
    rc = web_pg_reply(&c, &p, 200);
out:
    web_pg_done(&c);
    return rc;
}

/* ---- /basvuru/tamam: the confirmation --------------------------------------------------- */

/* The panel at the top: the outcome in words and the application number. */
static void panel(struct web_page *p, enum web_msg title, enum web_msg sub, const char *number)
{
    web_page_open_class(p, WEB_EL_DIV, "panel-confirmation");
    web_pg_heading(p, title);
    web_page_open_class(p, WEB_EL_P, "panel-body");
    web_page_msg(p, WEB_MSG_CONFIRM_NUMBER_LABEL);
    web_page_open(p, WEB_EL_BR);
    web_page_el_text(p, WEB_EL_STRONG, number);
    web_page_close(p, WEB_EL_P);
    if (sub != WEB_MSG_NONE)
        web_pg_para(p, sub);
    web_page_close(p, WEB_EL_DIV);
}

/* A list of what comes next, one message an item. */
static void next_list(struct web_page *p, const enum web_msg *items, size_t n)
{
    web_page_el_msg(p, WEB_EL_H2, WEB_MSG_STATUS_NEXT);
    web_page_open_class(p, WEB_EL_OL, "next-steps");
    for (size_t i = 0; i < n; i++)
        web_page_el_msg(p, WEB_EL_LI, items[i]);
    web_page_close(p, WEB_EL_OL);
}

enum web_err web_h_page_done(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_page p;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    bool wet = web_pg_in_state(&v.app, CORE_APP_AWAITING_ORIGINAL);
    if (!wet && !web_pg_in_state(&v.app, CORE_APP_SUBMITTED)) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    const struct web_layout layout = {.title = wet ? WEB_MSG_DONE_WET_TITLE : WEB_MSG_DONE_TITLE,
                                      .step = wet ? WEB_STEP_PAPER : WEB_STEP_DONE};
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    if (wet) {
        panel(&p, WEB_MSG_DONE_WET_TITLE, WEB_MSG_DONE_WET_SUB, v.app.number);
        web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_WET_HOWTO_TITLE);
        web_pg_wet_howto(&c, &p, v.approver_province);
        static const enum web_msg after[] = {WEB_MSG_NEXT_APPROVAL, WEB_MSG_NEXT_CARD,
                                             WEB_MSG_NEXT_TOLD};
        next_list(&p, after, sizeof after / sizeof after[0]);
    } else {
        panel(&p, WEB_MSG_DONE_TITLE, WEB_MSG_NONE, v.app.number);
        static const enum web_msg after[] = {WEB_MSG_NEXT_APPROVAL, WEB_MSG_NEXT_CARD,
                                             WEB_MSG_NEXT_TOLD};
        next_list(&p, after, sizeof after / sizeof after[0]);
    }
    web_pg_para(&p, WEB_MSG_DONE_KEEP_NUMBER);
    web_page_open_class(&p, WEB_EL_UL, "page-links");
    web_page_open(&p, WEB_EL_LI);
    web_page_open(&p, WEB_EL_A);
    web_page_attr(&p, "href", "/basvuru/ozet");
    web_page_msg(&p, WEB_MSG_DONE_PRINT_VIEW);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_LI);
    web_page_open(&p, WEB_EL_LI);
    web_page_open(&p, WEB_EL_A);
    web_page_attr(&p, "href", "/durum");
    web_page_msg(&p, WEB_MSG_DONE_FOLLOW);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_LI);
    web_page_close(&p, WEB_EL_UL);
    web_page_end(&p);
    rc = web_pg_reply(&c, &p, 200);
out:
    web_pg_done(&c);
    return rc;
}

/* ---- /basvuru/ozet: the print view ------------------------------------------------------- */

enum web_err web_h_page_print(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_page p;
    enum web_err rc;
    char created[32], updated[32];
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    const struct web_layout layout = {.title = WEB_MSG_PRINT_TITLE};
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    web_page_open_class(&p, WEB_EL_DIV, "print-view");
    web_pg_heading(&p, WEB_MSG_PRINT_TITLE);
    web_page_open_class(&p, WEB_EL_DL, "summary-list print-facts");
    web_page_open_class(&p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_CONFIRM_NUMBER_LABEL);
    web_page_el_text(&p, WEB_EL_DD, v.app.number);
    web_page_close(&p, WEB_EL_DIV);
    web_page_open_class(&p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_PP_STATE);
    web_page_open(&p, WEB_EL_DD);
    web_pg_state_text(&p, &v.app);
    web_page_close(&p, WEB_EL_DD);
    web_page_close(&p, WEB_EL_DIV);
    web_pg_time(v.app.created_at, WEB_PG_DATE, created);
    web_pg_time(v.app.updated_at, WEB_PG_DATETIME, updated);
    web_page_open_class(&p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_AP_CREATED);
    web_page_el_text(&p, WEB_EL_DD, created);
    web_page_close(&p, WEB_EL_DIV);
    web_page_open_class(&p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_PRINT_UPDATED);
    web_page_el_text(&p, WEB_EL_DD, updated);
    web_page_close(&p, WEB_EL_DIV);
    web_page_close(&p, WEB_EL_DL);
    answers(&p, &v, false);
    web_page_close(&p, WEB_EL_DIV);
    /* printing: the browser's own command, and a button for it where script runs */
    p.scripts |= WEB_SCRIPT_PRINT;
    web_page_open_class(&p, WEB_EL_DIV, "buttons print-actions");
    web_page_open(&p, WEB_EL_BUTTON);
    web_page_attr(&p, "type", "button");
    web_page_flag(&p, "data-print");
    web_page_flag(&p, "hidden");
    web_page_msg(&p, WEB_MSG_PRINT_BUTTON);
    web_page_close(&p, WEB_EL_BUTTON);
    web_page_close(&p, WEB_EL_DIV);
    web_page_open_class(&p, WEB_EL_P, "print-hint");
    web_page_msg(&p, WEB_MSG_PRINT_HINT);
    web_page_close(&p, WEB_EL_P);
    web_page_action_link(&p, web_pg_step_path(&v.app), WEB_MSG_PRINT_BACK);
    web_page_end(&p);
    rc = web_pg_reply(&c, &p, 200);
out:
    web_pg_done(&c);
    return rc;
}
