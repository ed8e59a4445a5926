/* eimza — the portal's pages that stand on their own (web/pages/): the landing page at GET / and,
 * under --dev only, GET/POST /ornek-form, a sample of every form component with wrong and
 * hostile values, so the page writer (page.h), the static files and the e2e tests have a
 * page to exercise before the step pages exist. The step pages (login, form, SMS code,
 * signing, status) live in their own files over the application services.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/text.h"
#include "web/html/page.h"
#include "web/http/formdata.h"
#include "web/pages/pages.h"

/* ---- GET / ------------------------------------------------------------------------------- */

/* What each of the five steps asks, under the very names the step indicator shows on the
 * step pages (web_page_step_name), so the overview and the indicator cannot drift apart. */
static const enum web_msg landing_step_texts[WEB_STEP_COUNT] = {
    WEB_MSG_LANDING_STEP_1, WEB_MSG_LANDING_STEP_2, WEB_MSG_LANDING_STEP_3,
    WEB_MSG_LANDING_STEP_4, WEB_MSG_LANDING_STEP_5,
};

static void landing_steps(struct web_page *p)
{
    web_page_el_msg(p, WEB_EL_H2, WEB_MSG_LANDING_STEPS_TITLE);
    web_page_open_class(p, WEB_EL_OL, "landing-steps");
    for (int i = 1; i <= WEB_STEP_COUNT; i++) {
        web_page_open(p, WEB_EL_LI);
        web_page_open_class(p, WEB_EL_STRONG, "landing-step-name");
        web_page_msg(p, web_page_step_name(i));
        web_page_close(p, WEB_EL_STRONG);
        web_page_text(p, " ");
        web_page_open_class(p, WEB_EL_SPAN, "landing-step-text");
        web_page_msg(p, landing_step_texts[i - 1]);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_OL);
}

/* A sentence of the catalogue with its {0} made n, as an item of the list. */
static void kvkk_line(struct web_page *p, enum web_msg key, int n)
{
    char num[16], line[1024];
    snprintf(num, sizeof num, "%d", n);
    web_page_el_text(p, WEB_EL_LI, web_pg_fill(web_msg(key, p->lang), num, line, sizeof line));
}

/* How long what is kept, with the periods this server's retention uses (app/retention.h). */
static void kvkk_periods(struct web_req *rq, struct web_page *p)
{
    struct app_ctx c;
    web_ctx_nodb(rq, APP_ACTOR_NONE, p->lang, &c);
    const struct app_retention_cfg *r = &c.set->retention;
    web_page_el_msg(p, WEB_EL_P, WEB_MSG_KVKK_KEEP_LEAD);
    web_page_open(p, WEB_EL_UL);
    kvkk_line(p, WEB_MSG_KVKK_KEEP_MESSAGES, r->messages_days);
    kvkk_line(p, WEB_MSG_KVKK_KEEP_CONTACT, r->contact_years);
    kvkk_line(p, WEB_MSG_KVKK_KEEP_LOGINS, r->contact_years);
    kvkk_line(p, WEB_MSG_KVKK_KEEP_DRAFTS, r->draft_days);
    kvkk_line(p, WEB_MSG_KVKK_KEEP_EVIDENCE, r->evidence_years);
    web_page_el_msg(p, WEB_EL_LI, WEB_MSG_KVKK_KEEP_SESSIONS);
    web_page_close(p, WEB_EL_UL);
}

enum web_err web_h_landing(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    const struct web_layout layout = {.title = WEB_MSG_LANDING_TITLE};

    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    web_page_el_msg(&p, WEB_EL_H1, WEB_MSG_LANDING_TITLE);
    web_page_open_class(&p, WEB_EL_P, "lead");
    web_page_msg(&p, WEB_MSG_LANDING_LEAD);
    web_page_close(&p, WEB_EL_P);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_LANDING_WHO);
    landing_steps(&p);

    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_LANDING_BEFORE_TITLE);
    web_page_open(&p, WEB_EL_UL);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_LANDING_NEED_CARD);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_LANDING_NEED_PHONE);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_LANDING_NEED_TIME);
    web_page_close(&p, WEB_EL_UL);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_LANDING_DEADLINE);
    web_page_link_button(&p, "/giris", WEB_MSG_LANDING_START);

    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_LANDING_AFTER_TITLE);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_LANDING_AFTER); /* with the configured days */
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_LANDING_INELIGIBLE);
    web_page_notice_end(&p);
    web_page_action_link(&p, "/yardim", WEB_MSG_LANDING_HELP_LINK);

    web_page_open(&p, WEB_EL_SECTION);
    web_page_attr(&p, "id", "kvkk");
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_KVKK_TITLE);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_KVKK_WHAT);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_KVKK_WHY);
    kvkk_periods(rq, &p);
    web_page_el_msg(&p, WEB_EL_P, WEB_MSG_KVKK_RIGHTS);
    web_page_close(&p, WEB_EL_SECTION);
    web_page_end(&p);
    enum web_err rc = web_pg_reply(&c, &p, 200);
    web_pg_done(&c);
    return rc;
}

/* ---- /ornek-form (--dev) ----------------------------------------------------------------- */

/* The sample's CSRF token: a fixed value, as the sample has no session to bind one to. */
#define DEMO_CSRF "ornek-form-csrf"

enum demo_field {
    D_TCKN,
    D_FIRST_NAME,
    D_LAST_NAME,
    D_BIRTH_PLACE,
    D_BIRTH_DATE,
    D_INSTITUTION,
    D_REASON,
    D_CARD_READER,
    D_VALIDITY,
    D_SECURITY_WORD,
    D_SECURITY_WORD_REPEAT,
    D_ADDRESS,
    D_PROVINCE,
    D_POSTAL_CODE,
    D_EMAIL,
    D_WORK_PHONE,
    D_WORK_PHONE_EXT,
    D_MOBILE_PHONE,
    D_MOBILE_OPERATOR,
    D_NOTIFY_BY,
    D_COUNT
};

static const struct web_option demo_reasons[] = {
    {"renewal", WEB_MSG_REASON_RENEWAL, NULL, WEB_MSG_REASON_RENEWAL_HINT},
    {"lost_stolen", WEB_MSG_REASON_LOST, NULL, WEB_MSG_REASON_LOST_HINT},
    {"other", WEB_MSG_REASON_OTHER, NULL, WEB_MSG_REASON_OTHER_HINT},
};
static const struct web_option demo_readers[] = {
    {"none", WEB_MSG_CARD_READER_NONE, NULL, WEB_MSG_NONE},
    {"mini", WEB_MSG_CARD_READER_MINI, NULL, WEB_MSG_NONE},
};
static const struct web_option demo_validity[] = {
    {"1", WEB_MSG_VALIDITY_1, NULL, WEB_MSG_NONE},
    {"2", WEB_MSG_VALIDITY_2, NULL, WEB_MSG_NONE},
    {"3", WEB_MSG_VALIDITY_3, NULL, WEB_MSG_NONE},
};
static const struct web_option demo_operators[] = {
    {"turkcell", WEB_MSG_OPERATOR_TURKCELL, NULL, WEB_MSG_NONE},
    {"vodafone", WEB_MSG_OPERATOR_VODAFONE, NULL, WEB_MSG_NONE},
    {"turk_telekom", WEB_MSG_OPERATOR_TURK_TELEKOM, NULL, WEB_MSG_NONE},
};
static const struct web_option demo_notify[] = {
    {"email", WEB_MSG_NOTIFY_EMAIL, NULL, WEB_MSG_NONE},
    {"sms", WEB_MSG_NOTIFY_SMS, NULL, WEB_MSG_NONE},
    {"both", WEB_MSG_NOTIFY_BOTH, NULL, WEB_MSG_NONE},
};

/* The security word's limits, as the real form states them. */
#define DEMO_STR_(x) #x
#define DEMO_STR(x)  DEMO_STR_(x)
static const char *const demo_word_limits[] = {DEMO_STR(APP_SECURITY_WORD_MIN),
                                               DEMO_STR(APP_SECURITY_WORD_MAX)};

/* The fields of the sample, values and errors left empty. */
static const struct web_field demo_fields[D_COUNT] = {
    [D_TCKN] = {WEB_FIELD_NUMERIC, "tckn", WEB_MSG_TCKN, WEB_MSG_TCKN_HINT, .autocomplete = "off",
                .maxlength = 11},
    [D_FIRST_NAME] = {WEB_FIELD_TEXT, "first_name", WEB_MSG_FIRST_NAME,
                      .autocomplete = "given-name"},
    [D_LAST_NAME] = {WEB_FIELD_TEXT, "last_name", WEB_MSG_LAST_NAME, .autocomplete = "family-name"},
    [D_BIRTH_PLACE] = {WEB_FIELD_TEXT, "birth_place", WEB_MSG_BIRTH_PLACE},
    [D_BIRTH_DATE] = {WEB_FIELD_DATE, "birth_date", WEB_MSG_BIRTH_DATE, WEB_MSG_BIRTH_DATE_HINT,
                      .autocomplete = "bday"},
    [D_INSTITUTION] = {WEB_FIELD_READONLY, "institution_name", WEB_MSG_INSTITUTION_NAME,
                       WEB_MSG_INSTITUTION_HINT},
    [D_REASON] = {WEB_FIELD_RADIO, "reason", WEB_MSG_REASON, .options = demo_reasons,
                  .noptions = sizeof demo_reasons / sizeof demo_reasons[0]},
    [D_CARD_READER] = {WEB_FIELD_SELECT, "card_reader", WEB_MSG_CARD_READER,
                       .options = demo_readers,
                       .noptions = sizeof demo_readers / sizeof demo_readers[0]},
    [D_VALIDITY] = {WEB_FIELD_RADIO, "validity_years", WEB_MSG_VALIDITY, .options = demo_validity,
                    .noptions = sizeof demo_validity / sizeof demo_validity[0]},
    [D_SECURITY_WORD] = {WEB_FIELD_PASSWORD, "security_word", WEB_MSG_SECURITY_WORD,
                         WEB_MSG_SECURITY_WORD_HINT, .autocomplete = "new-password",
                         .maxlength = APP_SECURITY_WORD_MAX, .hint_args = demo_word_limits,
                         .nhint_args = 2},
    [D_SECURITY_WORD_REPEAT] = {WEB_FIELD_PASSWORD, "security_word_repeat",
                                WEB_MSG_SECURITY_WORD_REPEAT, .autocomplete = "new-password"},
    [D_ADDRESS] = {WEB_FIELD_TEXTAREA, "address", WEB_MSG_ADDRESS,
                   .autocomplete = "street-address"},
    [D_PROVINCE] = {WEB_FIELD_SELECT, "province", WEB_MSG_PROVINCE}, /* options: the 81 */
    [D_POSTAL_CODE] = {WEB_FIELD_NUMERIC, "postal_code", WEB_MSG_POSTAL_CODE,
                       WEB_MSG_POSTAL_CODE_HINT, .autocomplete = "postal-code", .maxlength = 5},
    [D_EMAIL] = {WEB_FIELD_EMAIL, "email", WEB_MSG_EMAIL, .autocomplete = "email"},
    [D_WORK_PHONE] = {WEB_FIELD_TEL, "work_phone", WEB_MSG_WORK_PHONE_NUMBER, .optional = true},
    [D_WORK_PHONE_EXT] = {WEB_FIELD_NUMERIC, "work_phone_ext", WEB_MSG_WORK_PHONE_EXT,
                          .optional = true, .maxlength = 6},
    [D_MOBILE_PHONE] = {WEB_FIELD_TEL, "mobile_phone", WEB_MSG_MOBILE_PHONE,
                        WEB_MSG_MOBILE_PHONE_HINT, .autocomplete = "tel"},
    [D_MOBILE_OPERATOR] = {WEB_FIELD_SELECT, "mobile_operator", WEB_MSG_MOBILE_OPERATOR,
                           .options = demo_operators,
                           .noptions = sizeof demo_operators / sizeof demo_operators[0]},
    [D_NOTIFY_BY] = {WEB_FIELD_RADIO, "notify_by", WEB_MSG_NOTIFY_BY, .options = demo_notify,
                     .noptions = sizeof demo_notify / sizeof demo_notify[0]},
};

/* What GET shows: one wrong value of each kind, and hostile text that must come back
 * escaped (the e2e test looks for it, shown as text, and for no script running). */
static const char *const demo_sample[D_COUNT] = {
    [D_TCKN] = "1000000014",
    [D_FIRST_NAME] = "\"><script>alert(1)</script>",
    [D_LAST_NAME] = "",
    [D_BIRTH_PLACE] = "Iğdır",
    [D_BIRTH_DATE] = "1980-02-29",
    [D_INSTITUTION] = "Batman İl Millî Eğitim Müdürlüğü <b>&amp;</b>",
    [D_CARD_READER] = "none",
    [D_VALIDITY] = "3",
    [D_ADDRESS] = "Kültür Mah. Atatürk Bulvarı No: 1\n</textarea><script>alert(2)</script>",
    [D_PROVINCE] = "72",
    [D_POSTAL_CODE] = "34000",
    [D_EMAIL] = "ayse@",
    [D_MOBILE_PHONE] = "0555 123 45 67",
    [D_MOBILE_OPERATOR] = "turkcell",
    [D_NOTIFY_BY] = "both",
};

static bool demo_one_of(const char *v, const struct web_option *opts, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (!strcmp(v, opts[i].value))
            return true;
    return false;
}

/* Fills the errors of f[] from their values with the domain's own checks (core/), as the
 * real form will through the application service. */
static void demo_validate(struct web_field *f, enum core_lang lang)
{
    static const enum demo_field required[] = {D_FIRST_NAME, D_LAST_NAME, D_BIRTH_PLACE,
                                               D_ADDRESS,    D_EMAIL,     D_MOBILE_PHONE};
    const char *code;
    const char *v = f[D_TCKN].value ? f[D_TCKN].value : "";

    code = *v ? app_tckn_problem(v) : "required";
    if (code)
        f[D_TCKN].error = app_reason_text(code, lang);
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!f[required[i]].value || !*f[required[i]].value)
            f[required[i]].error = app_reason_text("required", lang);
    if (!demo_one_of(f[D_REASON].value, demo_reasons, f[D_REASON].noptions))
        f[D_REASON].error = app_reason_text("required", lang);
    v = f[D_POSTAL_CODE].value ? f[D_POSTAL_CODE].value : "";
    int province = f[D_PROVINCE].value ? app_province_lookup(f[D_PROVINCE].value) : 0;
    code = *v ? app_postal_problem(v, province > 0 ? province : 0) : "required";
    if (code)
        f[D_POSTAL_CODE].error = app_reason_text(code, lang);
    v = f[D_EMAIL].value;
    if (v && *v && !app_email_valid(v))
        f[D_EMAIL].error = app_reason_text("email_format", lang);
}

static void demo_render(struct web_page *p, struct web_field *f, bool posted)
{
    struct web_option provinces[81];
    char plates[81][3];
    size_t nerr = 0;

    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    f[D_PROVINCE].options = provinces;
    f[D_PROVINCE].noptions = 81;
    for (int i = 0; i < D_COUNT; i++)
        nerr += f[i].error != NULL;

    const struct web_layout layout = {
        .title = WEB_MSG_DEMO_TITLE, .step = WEB_STEP_FORM, .errors = nerr > 0};
    web_page_begin(p, &layout);
    web_page_error_summary_fields(p, f, D_COUNT);
    web_page_el_msg(p, WEB_EL_H1, WEB_MSG_DEMO_TITLE);
    web_page_el_msg(p, WEB_EL_P, WEB_MSG_DEMO_LEAD);
    if (posted && nerr == 0) {
        web_page_notice_begin(p, WEB_NOTICE_SUCCESS);
        web_page_el_msg(p, WEB_EL_P, WEB_MSG_DEMO_SAVED);
        web_page_notice_end(p);
    }
    web_page_notice_begin(p, WEB_NOTICE_INFO);
    web_page_open(p, WEB_EL_P);
    const char *num[] = {"2026-000123"};
    web_page_msg_args(p, WEB_MSG_APPLICATION_NUMBER, num, 1);
    web_page_close(p, WEB_EL_P);
    web_page_notice_end(p);

    web_page_form_begin(p, "/ornek-form", DEMO_CSRF);
    web_page_section_begin(p, WEB_MSG_SECTION_PERSONAL);
    for (int i = D_TCKN; i <= D_INSTITUTION; i++)
        web_page_field(p, &f[i]);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_APPLICATION);
    for (int i = D_REASON; i <= D_SECURITY_WORD_REPEAT; i++)
        web_page_field(p, &f[i]);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_INSTITUTION);
    for (int i = D_ADDRESS; i <= D_POSTAL_CODE; i++)
        web_page_field(p, &f[i]);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_CONTACT);
    web_page_field(p, &f[D_EMAIL]);
    web_page_fieldset_begin(p, WEB_MSG_WORK_PHONE);
    web_page_field(p, &f[D_WORK_PHONE]);
    web_page_field(p, &f[D_WORK_PHONE_EXT]);
    web_page_fieldset_end(p);
    for (int i = D_MOBILE_PHONE; i <= D_NOTIFY_BY; i++)
        web_page_field(p, &f[i]);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_DEMO_COUNTDOWN_TITLE);
    web_page_countdown(p, 300);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SIGNED_CONTENT);
    web_page_el_msg(p, WEB_EL_P, WEB_MSG_DECLARATION);
    web_page_open_class(p, WEB_EL_PRE, "signed-content");
    web_page_msg(p, WEB_MSG_DEMO_SIGNED_SAMPLE);
    web_page_close(p, WEB_EL_PRE);
    web_page_section_end(p);

    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, WEB_MSG_OK, WEB_BUTTON_PRIMARY, "action", "ok");
    web_page_button(p, WEB_MSG_CANCEL, WEB_BUTTON_SECONDARY, "action", "cancel");
    web_page_close(p, WEB_EL_DIV);
    web_page_form_end(p);
    web_page_end(p);
}

enum web_err web_h_demo_form(struct web_req *rq)
{
    struct web_field f[D_COUNT];
    struct web_formdata form = {0};
    struct web_page p;
    bool posted = !strcmp(web_req_method(rq), "POST");
    enum web_err rc;

    if (!web_req_dev(rq))
        return WEB_E_NOT_FOUND; /* a development page: absent in production */
    struct web_pg c;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    memcpy(f, demo_fields, sizeof f);
    if (posted) {
        size_t len;
        const char *body = web_req_body(rq, &len);
        const char *ctype = web_req_header(rq, "Content-Type");
        if (!ctype || strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0) {
            rc = WEB_E_MEDIA_TYPE;
            goto out;
        }
        if (web_formdata_parse(&form, body, len) < 0) {
            rc = WEB_E_BAD_REQUEST;
            goto out;
        }
        const char *token = web_formdata_get(&form, "csrf_token");
        if (!token || strcmp(token, DEMO_CSRF) != 0) {
            rc = WEB_E_FORBIDDEN;
            goto out;
        }
        for (int i = 0; i < D_COUNT; i++)
            f[i].value = web_formdata_get(&form, f[i].name);
        demo_validate(f, p.lang);
    } else {
        for (int i = 0; i < D_COUNT; i++)
            f[i].value = demo_sample[i];
        demo_validate(f, p.lang);
    }
    demo_render(&p, f, posted);
    /* a form shown again with its errors is a page like any other (200), as on GOV.UK: a
     * 4xx would put a "failed to load" error in the browser's console on every typo */
    rc = web_pg_answer(rq, &p, 200);
out:
    web_formdata_free(&form);
    web_page_free(&p);
    return rc;
}
