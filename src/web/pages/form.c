/* eimza — the application form (web/pages/): /basvuru, step 2. The saved application as the
 * form shows it (identity, institution and the mobile number read-only: the personnel
 * record's, the T.C. Kimlik No masked, the security word never written back), the notices
 * above it (eligibility in words, the renewal phase, the certificate's end in Turkey's time),
 * the form shown again with every field's own message when the use case refuses it, and the
 * draft: what was typed and not saved, kept on the server ("Taslak olarak kaydet", and
 * session.js while the person types) and shown again over the saved application. A valid
 * form goes on to the check of the answers (/kontrol).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/http/error.h"
#include "web/pages/pages.h"

/* ---- step 2: /basvuru ---------------------------------------------------------------------- */

static const struct web_option reasons[] = {
    {"renewal", WEB_MSG_REASON_RENEWAL, NULL, WEB_MSG_REASON_RENEWAL_HINT},
    {"lost_stolen", WEB_MSG_REASON_LOST, NULL, WEB_MSG_REASON_LOST_HINT},
    {"other", WEB_MSG_REASON_OTHER, NULL, WEB_MSG_REASON_OTHER_HINT},
};
static const struct web_option validities[] = {
    {"1", WEB_MSG_VALIDITY_1, NULL, WEB_MSG_NONE},
    {"2", WEB_MSG_VALIDITY_2, NULL, WEB_MSG_NONE},
    {"3", WEB_MSG_VALIDITY_3, NULL, WEB_MSG_NONE},
};
static const struct web_option operators[] = {
    {"turkcell", WEB_MSG_OPERATOR_TURKCELL, NULL, WEB_MSG_NONE},
    {"vodafone", WEB_MSG_OPERATOR_VODAFONE, NULL, WEB_MSG_NONE},
    {"turk_telekom", WEB_MSG_OPERATOR_TURK_TELEKOM, NULL, WEB_MSG_NONE},
};
static const struct web_option notify[] = {
    {"email", WEB_MSG_NOTIFY_EMAIL, NULL, WEB_MSG_NONE},
    {"sms", WEB_MSG_NOTIFY_SMS, NULL, WEB_MSG_NONE},
    {"both", WEB_MSG_NOTIFY_BOTH, NULL, WEB_MSG_NONE},
};

#define NOPT(a) (sizeof(a) / sizeof((a)[0]))

/* The form's fields in page order, each with the application field it shows. */
enum form_field {
    F_REASON,
    F_CARD_READER,
    F_VALIDITY,
    F_TCKN,
    F_FIRST,
    F_LAST,
    F_PLACE,
    F_DATE,
    F_WORD,
    F_WORD2,
    F_INSTITUTION,
    F_REGISTRY,
    F_UNIT,
    F_TITLE,
    F_ADDRESS,
    F_PROVINCE,
    F_DISTRICT,
    F_POSTAL,
    F_EMAIL,
    F_WORK_PHONE,
    F_WORK_EXT,
    F_MOBILE,
    F_OPERATOR,
    F_HOME_PHONE,
    F_NOTIFY,
    F_COUNT
};

static const enum app_field form_app_field[F_COUNT] = {
    [F_REASON] = APP_F_REASON,
    [F_CARD_READER] = APP_F_CARD_READER,
    [F_VALIDITY] = APP_F_VALIDITY_YEARS,
    [F_TCKN] = APP_F_TCKN,
    [F_FIRST] = APP_F_FIRST_NAME,
    [F_LAST] = APP_F_LAST_NAME,
    [F_PLACE] = APP_F_BIRTH_PLACE,
    [F_DATE] = APP_F_BIRTH_DATE,
    [F_WORD] = APP_F_SECURITY_WORD,
    [F_WORD2] = APP_F_SECURITY_WORD_REPEAT,
    [F_INSTITUTION] = APP_F_INSTITUTION_NAME,
    [F_REGISTRY] = APP_F_REGISTRY_NO,
    [F_UNIT] = APP_F_UNIT,
    [F_TITLE] = APP_F_TITLE,
    [F_ADDRESS] = APP_F_ADDRESS,
    [F_PROVINCE] = APP_F_PROVINCE,
    [F_DISTRICT] = APP_F_DISTRICT,
    [F_POSTAL] = APP_F_POSTAL_CODE,
    [F_EMAIL] = APP_F_EMAIL,
    [F_WORK_PHONE] = APP_F_WORK_PHONE,
    [F_WORK_EXT] = APP_F_WORK_PHONE_EXT,
    [F_MOBILE] = APP_F_MOBILE_PHONE,
    [F_OPERATOR] = APP_F_MOBILE_OPERATOR,
    [F_HOME_PHONE] = APP_F_HOME_PHONE,
    [F_NOTIFY] = APP_F_NOTIFY_BY,
};

static const struct web_field form_fields[F_COUNT] = {
    [F_REASON] = {WEB_FIELD_RADIO, "reason", WEB_MSG_REASON, .options = reasons,
                  .noptions = NOPT(reasons)},
    [F_CARD_READER] = {WEB_FIELD_SELECT, "card_reader", WEB_MSG_CARD_READER},
    [F_VALIDITY] = {WEB_FIELD_RADIO, "validity_years", WEB_MSG_VALIDITY, .options = validities,
                    .noptions = NOPT(validities)},
    [F_TCKN] = {WEB_FIELD_READONLY, "tckn", WEB_MSG_TCKN, WEB_MSG_READONLY_HINT},
    [F_FIRST] = {WEB_FIELD_READONLY, "first_name", WEB_MSG_FIRST_NAME},
    [F_LAST] = {WEB_FIELD_READONLY, "last_name", WEB_MSG_LAST_NAME},
    [F_PLACE] = {WEB_FIELD_READONLY, "birth_place", WEB_MSG_BIRTH_PLACE},
    [F_DATE] = {WEB_FIELD_READONLY, "birth_date", WEB_MSG_BIRTH_DATE},
    [F_WORD] = {WEB_FIELD_PASSWORD, "security_word", WEB_MSG_SECURITY_WORD,
                WEB_MSG_SECURITY_WORD_HINT, .autocomplete = "new-password",
                .maxlength = APP_SECURITY_WORD_MAX},
    [F_WORD2] = {WEB_FIELD_PASSWORD, "security_word_repeat", WEB_MSG_SECURITY_WORD_REPEAT,
                 .autocomplete = "new-password", .maxlength = APP_SECURITY_WORD_MAX},
    [F_INSTITUTION] = {WEB_FIELD_READONLY, "institution_name", WEB_MSG_INSTITUTION_NAME,
                       WEB_MSG_INSTITUTION_HINT},
    [F_REGISTRY] = {WEB_FIELD_READONLY, "registry_no", WEB_MSG_REGISTRY_NO,
                    WEB_MSG_REGISTRY_NO_HINT},
    [F_UNIT] = {WEB_FIELD_TEXT, "unit", WEB_MSG_UNIT, .autocomplete = "off",
                .maxlength = APP_UNIT_MAX},
    [F_TITLE] = {WEB_FIELD_TEXT, "title", WEB_MSG_JOB_TITLE, .autocomplete = "organization-title",
                 .maxlength = APP_TITLE_MAX},
    [F_ADDRESS] = {WEB_FIELD_TEXTAREA, "address", WEB_MSG_ADDRESS, WEB_MSG_ADDRESS_HINT,
                   .autocomplete = "street-address", .maxlength = APP_ADDRESS_MAX},
    [F_PROVINCE] = {WEB_FIELD_SELECT, "province", WEB_MSG_PROVINCE},
    [F_DISTRICT] = {WEB_FIELD_TEXT, "district", WEB_MSG_DISTRICT, .maxlength = APP_DISTRICT_MAX},
    [F_POSTAL] = {WEB_FIELD_NUMERIC, "postal_code", WEB_MSG_POSTAL_CODE, WEB_MSG_POSTAL_CODE_HINT,
                  .autocomplete = "postal-code", .maxlength = 5},
    [F_EMAIL] = {WEB_FIELD_EMAIL, "email", WEB_MSG_EMAIL, .autocomplete = "email",
                 .maxlength = APP_EMAIL_MAX},
    [F_WORK_PHONE] = {WEB_FIELD_TEL, "work_phone", WEB_MSG_WORK_PHONE_NUMBER, .optional = true,
                      .maxlength = 20},
    [F_WORK_EXT] = {WEB_FIELD_NUMERIC, "work_phone_ext", WEB_MSG_WORK_PHONE_EXT, .optional = true,
                    .maxlength = 6},
    /* the personnel record's: the SMS code goes to it (issue 17, point 1) */
    [F_MOBILE] = {WEB_FIELD_READONLY, "mobile_phone", WEB_MSG_MOBILE_PHONE,
                  WEB_MSG_MOBILE_PHONE_HINT},
    [F_OPERATOR] = {WEB_FIELD_SELECT, "mobile_operator", WEB_MSG_MOBILE_OPERATOR,
                    .options = operators, .noptions = NOPT(operators)},
    [F_HOME_PHONE] = {WEB_FIELD_TEL, "home_phone", WEB_MSG_HOME_PHONE, .optional = true,
                      .maxlength = 20},
    [F_NOTIFY] = {WEB_FIELD_RADIO, "notify_by", WEB_MSG_NOTIFY_BY, .options = notify,
                  .noptions = NOPT(notify)},
};

/* The saved values of the application as the form shows them, and the hints' arguments. */
struct form_values {
    char validity[4];
    char province[4];
    char mobile[24]; /* 0555 123 45 67 */
    char birth[16];  /* 27.03.1980 */
    char word_min[8], word_max[8];
    const char *word_args[2]; /* the security word's limits */
    char plate[4];
    const char *postal_args[2]; /* the postal code's example: the person's own province */
};

/* A mobile number as people write it: "0555 123 45 67" (from 5551234567). */
static void phone_shown(const char *p, char out[24])
{
    if (strlen(p) == 10)
        snprintf(out, 24, "0%.3s %.3s %.2s %.2s", p, p + 3, p + 6, p + 8);
    else
        snprintf(out, 24, "%s", p);
}

static void form_fill(struct web_field *f, const struct app_view *v, struct form_values *fv)
{
    const struct app_application *a = &v->app;
    snprintf(fv->validity, sizeof fv->validity, "%d", a->validity_years);
    snprintf(fv->province, sizeof fv->province, "%d", a->province);
    phone_shown(a->mobile_phone, fv->mobile);
    f[F_REASON].value = a->reason;
    f[F_CARD_READER].value = a->card_reader;
    f[F_VALIDITY].value = fv->validity;
    f[F_TCKN].value = a->tckn_masked;
    f[F_FIRST].value = a->first_name;
    f[F_LAST].value = a->last_name;
    f[F_PLACE].value = a->birth_place;
    if (strlen(a->birth_date) == 10) /* YYYY-MM-DD as people write it */
        snprintf(fv->birth, sizeof fv->birth, "%.2s.%.2s.%.4s", a->birth_date + 8,
                 a->birth_date + 5, a->birth_date);
    f[F_DATE].value = fv->birth;
    f[F_INSTITUTION].value = a->institution_name;
    f[F_REGISTRY].value = a->registry_no;
    f[F_UNIT].value = a->unit;
    f[F_TITLE].value = a->title;
    f[F_ADDRESS].value = a->address;
    f[F_PROVINCE].value = a->province ? fv->province : "";
    f[F_DISTRICT].value = a->district;
    f[F_POSTAL].value = a->postal_code;
    f[F_EMAIL].value = a->email;
    f[F_WORK_PHONE].value = a->work_phone;
    f[F_WORK_EXT].value = a->work_phone_ext;
    f[F_MOBILE].value = fv->mobile;
    f[F_OPERATOR].value = a->mobile_operator;
    f[F_HOME_PHONE].value = a->home_phone;
    f[F_NOTIFY].value = a->notify_by;
}

/* The hints that say the person's own limits and province: the security word's length, a
 * postal code of the province chosen ("İzmir için 35xxx", not always Batman's), and a saved
 * security word kept when the two fields stay empty. */
static void form_hints(struct web_field *f, const struct app_view *v, struct form_values *fv)
{
    snprintf(fv->word_min, sizeof fv->word_min, "%d", APP_SECURITY_WORD_MIN);
    snprintf(fv->word_max, sizeof fv->word_max, "%d", APP_SECURITY_WORD_MAX);
    fv->word_args[0] = fv->word_min;
    fv->word_args[1] = fv->word_max;
    f[F_WORD].hint_args = fv->word_args;
    f[F_WORD].nhint_args = 2;
    if (v->security_word_set) {
        f[F_WORD].hint = WEB_MSG_SECURITY_WORD_KEPT_HINT;
        f[F_WORD].optional = f[F_WORD2].optional = true;
    }
    int plate = 0; /* the province chosen (a plate code), else the saved one's */
    if (f[F_PROVINCE].value) {
        char *end;
        long n = strtol(f[F_PROVINCE].value, &end, 10);
        plate = *end == '\0' && n >= 1 && n <= 81 ? (int)n : 0;
    }
    if (plate < 1 || plate > 81)
        plate = v->app.province;
    if (plate >= 1 && plate <= 81) {
        snprintf(fv->plate, sizeof fv->plate, "%02d", plate);
        fv->postal_args[0] = app_province_name(plate);
        fv->postal_args[1] = fv->plate;
        f[F_POSTAL].hint = WEB_MSG_POSTAL_CODE_HINT_PROVINCE;
        f[F_POSTAL].hint_args = fv->postal_args;
        f[F_POSTAL].nhint_args = 2;
    }
}

/* The notices above the form: eligibility in words, the renewal phase. */
static void form_notices(struct web_page *p, const struct app_view *v)
{
    for (size_t i = 0; i < v->nnotices; i++) {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_page_open(p, WEB_EL_P);
        if (!strcmp(v->notices[i], "ineligible_warning")) {
            struct ubuf why = UBUF_INIT(4096);
            for (size_t k = 0; k < v->ninelig; k++)
                (void)(ubuf_puts(&why, app_reason_text(v->inelig_codes[k], p->lang)) |
                       ubuf_putc(&why, ' '));
            const char *args[] = {ubuf_str(&why)};
            web_page_msg_args(p, WEB_MSG_INELIGIBLE_WARNING, args, 1);
            ubuf_free(&why);
        } else {
            web_page_text(p, app_reason_text(v->notices[i], p->lang));
        }
        web_page_close(p, WEB_EL_P);
        web_page_notice_end(p);
    }
}

/* The certificate being renewed and its end, a day in Turkey's time (the same day the staff's
 * pages and the warning messages name). */
static void form_certificate(struct web_page *p, const struct app_view *v)
{
    char day[32];
    if (!v->has_cert || v->cert_not_after <= 0)
        return;
    web_pg_time(v->cert_not_after, WEB_PG_DATE, day);
    const char *args[] = {day};
    web_page_open_class(p, WEB_EL_P, "cert-end");
    web_page_msg_args(p, WEB_MSG_CERT_ENDS, args, 1);
    web_page_close(p, WEB_EL_P);
}

/* What the page says about the draft: restored (and when), or just saved. */
enum form_draft_note { DRAFT_NONE, DRAFT_RESTORED, DRAFT_SAVED };

static enum web_err form_page(struct web_pg *c, const struct app_view *v, struct web_field *f,
                              struct form_values *fv, const struct web_error_item *extra,
                              size_t nextra, enum form_draft_note note, int64_t draft_at)
{
    const struct app_portal_cfg *cfg = &c->app.set->portal;
    struct web_option provinces[81], readers[APP_READERS_MAX + 1];
    char plates[81][3];
    struct web_error_item items[F_COUNT + 8];
    struct web_page p;

    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    f[F_PROVINCE].options = provinces;
    f[F_PROVINCE].noptions = 81;
    readers[0] = (struct web_option){"none", WEB_MSG_CARD_READER_NONE, NULL, WEB_MSG_NONE};
    for (size_t i = 0; i < cfg->ncard_readers && i < APP_READERS_MAX; i++)
        readers[i + 1] = (struct web_option){cfg->card_readers[i], WEB_MSG_NONE,
                                             cfg->card_readers[i], WEB_MSG_NONE};
    f[F_CARD_READER].options = readers;
    f[F_CARD_READER].noptions =
        1 + (cfg->ncard_readers < APP_READERS_MAX ? cfg->ncard_readers : APP_READERS_MAX);
    f[F_WORD].value = f[F_WORD2].value = NULL; /* never written back */
    form_hints(f, v, fv);

    size_t n =
        web_pg_summary_items(f, F_COUNT, extra, nextra, items, sizeof items / sizeof items[0]);
    const struct web_layout layout = {
        .title = WEB_MSG_FORM_TITLE, .step = WEB_STEP_FORM, .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    web_pg_heading(&p, WEB_MSG_FORM_TITLE);
    web_pg_app_number(&p, v->app.number);
    if (note != DRAFT_NONE) {
        char at[32];
        web_pg_time(draft_at, WEB_PG_DATETIME, at);
        const char *args[] = {at};
        web_pg_notice(&p, note == DRAFT_SAVED ? WEB_NOTICE_SUCCESS : WEB_NOTICE_INFO,
                      note == DRAFT_SAVED ? WEB_MSG_DRAFT_SAVED : WEB_MSG_DRAFT_RESTORED, args, 1);
    }
    web_pg_para(&p, WEB_MSG_PP_FORM_LEAD);
    form_certificate(&p, v);
    form_notices(&p, v);
    web_page_notice_begin(&p, WEB_NOTICE_INFO);
    web_pg_para(&p, WEB_MSG_DECLARATION);
    web_page_notice_end(&p);

    web_page_form_open(&p, "/basvuru");
    web_page_attr(&p, "data-draft", ""); /* session.js keeps what is typed (a draft) */
    web_page_csrf(&p, web_pg_csrf(c));
    web_page_section_begin(&p, WEB_MSG_SECTION_APPLICATION);
    for (int i = F_REASON; i <= F_VALIDITY; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_PERSONAL);
    for (int i = F_TCKN; i <= F_WORD2; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_INSTITUTION);
    for (int i = F_INSTITUTION; i <= F_POSTAL; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_CONTACT);
    web_page_field(&p, &f[F_EMAIL]);
    web_page_fieldset_begin(&p, WEB_MSG_WORK_PHONE);
    web_page_field(&p, &f[F_WORK_PHONE]);
    web_page_field(&p, &f[F_WORK_EXT]);
    web_page_fieldset_end(&p);
    for (int i = F_MOBILE; i <= F_NOTIFY; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_open_class(&p, WEB_EL_DIV, "buttons");
    web_page_button(&p, WEB_MSG_CONFIRM_FORM, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_button(&p, WEB_MSG_DRAFT_SAVE, WEB_BUTTON_SECONDARY, "action", "draft");
    web_page_close(&p, WEB_EL_DIV);
    web_page_form_end(&p);
    web_page_end(&p);
    return web_pg_reply(c, &p, 200);
}

/* The form as posted, over the saved values. The read-only fields are the record's and are
 * shown as people read them (27.03.1980, 0555 123 45 67), not sent back as data: the page
 * leaves them out (the JSON API is where a changed one is refused). */
static void form_posted(struct web_pg *c, struct web_field *f, struct app_form *af)
{
    memset(af, 0, sizeof *af);
    for (int i = 0; i < F_COUNT; i++) {
        if (f[i].kind == WEB_FIELD_READONLY)
            continue;
        af->v[form_app_field[i]] = web_pg_field(c, f[i].name);
        if (af->v[form_app_field[i]])
            f[i].value = af->v[form_app_field[i]];
    }
}

/* A request from the page's script (session.js saving the draft while the person types): it
 * wants a small JSON answer, not the next page. */
static bool wants_json(const struct web_pg *c)
{
    const char *accept = web_req_header(c->rq, "Accept");
    return accept && strstr(accept, "application/json");
}

/* "Taslak olarak kaydet": the form as typed, kept (the script's request answered in JSON with
 * the session's time left, a person's with the form again, saying so). */
static enum web_err form_save_draft(struct web_pg *c, struct web_field *f)
{
    struct app_form af;
    form_posted(c, f, &af);
    if (app_form_draft_save(&c->app, &af, &c->err) != APP_OK) {
        if (wants_json(c))
            return web_reply_app_error(c->rq, &c->err);
        return web_pg_app_failure(c);
    }
    if (wants_json(c)) {
        struct ubuf b = UBUF_INIT(64);
        enum web_err rc = WEB_E_NOMEM;
        if (ubuf_printf(&b, "{\"saved\":true,\"expires_in\":%lld}",
                        (long long)app_session_left(&c->app)) == 0)
            rc = web_reply(c->rq, 200, "application/json", &b);
        ubuf_free(&b);
        return rc;
    }
    return web_pg_see_other(c->rq, "/basvuru?taslak=kaydedildi");
}

enum web_err web_h_page_form(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_field f[F_COUNT];
    struct form_values fv;
    struct web_error_item extra[8];
    struct app_draft *draft = NULL;
    bool post = !strcmp(web_req_method(rq), "POST");
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, post, &v, &rc))
        goto out;
    if (!web_pg_in_state(&v.app, CORE_APP_DRAFT) &&
        !web_pg_in_state(&v.app, CORE_APP_CODE_VERIFIED)) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    memcpy(f, form_fields, sizeof f);
    memset(&fv, 0, sizeof fv);
    form_fill(f, &v, &fv);
    if (post) {
        const char *action = web_pg_field(&c, "action");
        if (action && !strcmp(action, "draft")) {
            rc = form_save_draft(&c, f);
            goto out;
        }
        struct app_form af;
        struct app_view saved;
        form_posted(&c, f, &af);
        if (app_application_update(&c.app, &af, &saved, &c.err) == APP_OK) {
            rc = web_pg_see_other(rq, "/kontrol");
            goto out;
        }
        if (c.err.status != APP_EINVAL) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        /* shown again as sent, each field with its own message */
        size_t nextra = web_pg_form_errors(&c, f, F_COUNT, extra, 8);
        if (!c.err.nfields)
            extra[nextra++] = web_pg_message_item(web_pg_reason(&c, c.err.code));
        rc = form_page(&c, &v, f, &fv, extra, nextra, DRAFT_NONE, 0);
        goto out;
    }
    /* a draft newer than the saved form is what the person last typed */
    draft = malloc(sizeof *draft);
    if (!draft) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (app_form_draft_get(&c.app, draft, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    enum form_draft_note note = DRAFT_NONE;
    const char *q = web_req_query(rq, "taslak");
    if (draft->present && draft->saved_at >= v.app.updated_at) {
        for (int i = 0; i < F_COUNT; i++)
            if (draft->has[form_app_field[i]] && f[i].kind != WEB_FIELD_READONLY)
                f[i].value = draft->v[form_app_field[i]];
        note = q && !strcmp(q, "kaydedildi") ? DRAFT_SAVED : DRAFT_RESTORED;
    }
    rc = form_page(&c, &v, f, &fv, NULL, 0, note, draft->present ? draft->saved_at : 0);
out:
    free(draft);
    web_pg_done(&c);
    return rc;
}
