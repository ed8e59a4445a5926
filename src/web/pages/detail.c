/* eimza — one application for the staff (web/pages/): /yonetim/basvuru/{id}: where it stands
 * (how long it has waited, or the decision taken: approved or rejected, by whom, when and why),
 * every field of the form as the applicant gave it (personal data as the role may see them,
 * app/privacy.h), the personnel record now, then the verdict and the decision forms (approve,
 * or, under a verdict that blocks it, why not and what to do instead; reject with a ready text
 * or words of one's own; or the signed paper of the wet path for operators) while a decision is
 * due, or the decision taken with the verdict it relied on, and
 * the timeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/privacy.h"
#include "app/text.h"
#include "web/pages/pages.h"

#define REASON_TEXT_MAX 500 /* characters of a rejection in words of ones own */

/* ---- /yonetim/basvuru/{id} ------------------------------------------------------------------- */

/* The application as app_admin_get gives it, copied. */
struct detail {
    struct app_application app;
    bool has_person;
    struct core_personnel person;
    int province;
    struct core_verdict verdict;
    int remote_chain;
    int64_t waiting_since;
    struct app_timeline_event timeline[APP_TIMELINE_MAX];
    size_t ntimeline;
    /* the latest decision, copied (its strings live only during the callback) */
    bool has_decision;
    bool approved; /* the decision was an approval (else a rejection) */
    int64_t decided_at;
    char decided_by[APP_USERNAME_MAX];
    char decision_reason[2048];
    bool has_verdict_then;
    struct core_verdict verdict_then;
    char tckn_full[CORE_TCKN_LEN + 1]; /* shown on request (app_admin_tckn); "" otherwise */
};

static int collect_detail(void *ctx, const struct app_queue_item *it)
{
    struct detail *d = ctx;
    d->app = *it->app;
    d->has_person = it->person != NULL;
    if (it->person)
        d->person = *it->person;
    d->province = it->province;
    d->verdict = it->verdict;
    d->remote_chain = it->remote_chain;
    d->waiting_since = it->waiting_since;
    d->ntimeline = it->ntimeline < APP_TIMELINE_MAX ? it->ntimeline : APP_TIMELINE_MAX;
    memcpy(d->timeline, it->timeline, d->ntimeline * sizeof d->timeline[0]);
    if (it->decision) {
        d->has_decision = true;
        d->approved = !strcmp(it->decision->decision, "approve");
        d->decided_at = it->decision->at;
        snprintf(d->decided_by, sizeof d->decided_by, "%s", it->decision->staff);
        snprintf(d->decision_reason, sizeof d->decision_reason, "%s", it->decision->reason);
        d->has_verdict_then = it->decision->has_verdict;
        d->verdict_then = it->decision->verdict_then;
    }
    return 0;
}

/* The decision forms' state when one is shown again. */
struct decision_form {
    const char *reason;      /* the chosen ready text's code, or "other" */
    const char *reason_text; /* the free text */
    const char *reason_error, *text_error;
    const char *message; /* a refusal of the whole decision (not_eligible, wrong_state) */
};

/* <dt>term</dt><dd data-field="NAME"> (NAME: the term's catalogue name, for scripts and tests) */
static void dl_item(struct web_page *p, enum web_msg term)
{
    web_page_el_msg(p, WEB_EL_DT, term);
    web_page_open(p, WEB_EL_DD);
    web_page_attr(p, "data-field", web_msg_name(term));
}

static void dl_text(struct web_page *p, enum web_msg term, const char *value)
{
    dl_item(p, term);
    if (value && *value)
        web_page_text(p, value);
    else
        web_page_msg(p, WEB_MSG_AP_NONE);
    web_page_close(p, WEB_EL_DD);
}

static enum web_msg duty_label(enum core_duty d)
{
    switch (d) {
    case CORE_DUTY_ACTIVE:
        return WEB_MSG_AP_DUTY_ACTIVE;
    case CORE_DUTY_LEFT:
        return WEB_MSG_AP_DUTY_LEFT;
    case CORE_DUTY_RETIRED:
        return WEB_MSG_AP_DUTY_RETIRED;
    default:
        return WEB_MSG_AP_DUTY_SUSPENDED;
    }
}

static void timeline_row(struct web_page *p, const struct app_timeline_event *ev)
{
    char when[32];
    web_pg_time(ev->at, WEB_PG_DATETIME, when);
    web_page_open(p, WEB_EL_LI);
    web_page_el_text(p, WEB_EL_TIME, when);
    web_page_text(p, " ");
    web_page_text(p, ev->label);
    if (ev->staff[0]) {
        web_page_text(p, " ");
        web_page_open_class(p, WEB_EL_SPAN, "actor");
        web_page_text(p, "(");
        web_page_text(p, ev->staff);
        web_page_text(p, ")");
        web_page_close(p, WEB_EL_SPAN);
    }
    web_page_close(p, WEB_EL_LI);
}

/* The reject form's select: the ready texts answering this verdict's reasons first, then the
 * others, then "other". */
static size_t rejection_options(const struct core_verdict *v, enum core_lang lang,
                                struct web_option *o, size_t cap)
{
    size_t n = 0, nrej;
    const struct core_rejection *rej = app_rejections(&nrej);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nrej && n + 1 < cap; i++) {
            const struct core_rejection *r = &rej[i];
            bool suggested = (r->verdict & v->reasons) != 0;
            if (suggested == (pass == 0))
                o[n++] = (struct web_option){r->code, WEB_MSG_NONE, app_rejection_text(r, lang),
                                             WEB_MSG_NONE};
        }
    o[n++] = (struct web_option){"other", WEB_MSG_AP_REJECT_OTHER, NULL, WEB_MSG_NONE};
    return n;
}

/* Whether the application waits for staff: a decision (submitted) or the signed paper. */
static bool waits_for_staff(const struct app_application *a)
{
    return a->st == CORE_APP_SUBMITTED || a->st == CORE_APP_AWAITING_ORIGINAL;
}

/* Whether no decision has been taken yet (nor will be: cancelled). */
static bool undecided(const struct app_application *a)
{
    return a->st == CORE_APP_DRAFT || a->st == CORE_APP_CODE_VERIFIED || waits_for_staff(a);
}

/* The decision taken, as facts: the outcome, who, when, the reason sent to the applicant and
 * the verdict it relied on. */
static void outcome_facts(struct web_page *p, const struct detail *d)
{
    char when[32];
    dl_item(p, WEB_MSG_SP_OUTCOME);
    web_page_open_class(p, WEB_EL_STRONG,
                        d->approved ? "outcome outcome-approved" : "outcome outcome-rejected");
    web_page_msg(p, d->approved ? WEB_MSG_SP_OUTCOME_APPROVED : WEB_MSG_SP_OUTCOME_REJECTED);
    web_page_close(p, WEB_EL_STRONG);
    web_page_close(p, WEB_EL_DD);
    dl_text(p, WEB_MSG_SP_DECIDED_BY, d->decided_by);
    web_pg_time(d->decided_at, WEB_PG_DATETIME, when);
    dl_text(p, WEB_MSG_SP_DECIDED_AT, when);
    if (!d->approved) {
        dl_item(p, WEB_MSG_SP_DECISION_REASON);
        web_page_open_class(p, WEB_EL_SPAN, "decision-reason");
        web_page_text(p, d->decision_reason);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_DD);
    }
    if (d->has_verdict_then) {
        dl_item(p, WEB_MSG_SP_VERDICT_THEN);
        web_pg_verdict_badge(p, &d->verdict_then);
        web_pg_verdict_reasons(p, &d->verdict_then, false);
        web_page_close(p, WEB_EL_DD);
    }
}

/* Where it stands, first: the state, and how long it has waited for staff, or the decision
 * taken, or the cancellation and its reason. */
static void status_section(struct web_pg *c, struct web_page *p, const struct detail *d)
{
    char when[32];
    const struct app_application *a = &d->app;
    web_page_section_begin(p, WEB_MSG_SP_SEC_STATUS);
    web_page_open_class(p, WEB_EL_DL, "facts status-facts");
    dl_item(p, WEB_MSG_AP_COL_STATE);
    web_page_open_class(p, WEB_EL_SPAN, "state");
    web_page_attr(p, "data-state", a->state);
    web_pg_state_text(p, a);
    web_page_close(p, WEB_EL_SPAN);
    web_page_close(p, WEB_EL_DD);
    if (waits_for_staff(a)) {
        dl_item(p, WEB_MSG_AP_COL_WAITING);
        web_pg_waiting_text(p, c->app.now, d->waiting_since);
        web_page_close(p, WEB_EL_DD);
    } else {
        web_pg_time(a->updated_at, WEB_PG_DATETIME, when);
        dl_text(p, WEB_MSG_SP_LAST_CHANGE, when);
    }
    if (d->has_decision && !undecided(a))
        outcome_facts(p, d);
    if (a->st == CORE_APP_CANCELLED && a->closed_reason[0])
        dl_text(p, WEB_MSG_FL_CANCEL_REASON, a->closed_reason);
    web_page_close(p, WEB_EL_DL);
    if (a->st >= CORE_APP_APPROVED && a->st != CORE_APP_REJECTED) {
        char href[48];
        snprintf(href, sizeof href, "/yonetim/kart/%lld", (long long)a->id);
        web_page_action_link(p, href, WEB_MSG_SP_CARD_LINK);
    }
    web_page_section_end(p);
}

static void decision_section(struct web_pg *c, struct web_page *p, const struct detail *d,
                             const struct decision_form *df)
{
    char action[64];
    snprintf(action, sizeof action, "/yonetim/basvuru/%lld", (long long)d->app.id);
    bool submitted = d->app.st == CORE_APP_SUBMITTED;
    bool awaiting = d->app.st == CORE_APP_AWAITING_ORIGINAL;

    web_page_section_begin(p, WEB_MSG_AP_SEC_DECISION);
    if (submitted && web_pg_may_decide(c->who)) {
        web_page_open_class(p, WEB_EL_DIV, "decision-forms");
        web_page_open_class(p, WEB_EL_SECTION, "decision-approve");
        web_page_el_msg(p, WEB_EL_H3, WEB_MSG_AP_APPROVE_TITLE);
        if (d->verdict.eligible) {
            web_pg_para(p, WEB_MSG_AP_APPROVE_LEAD);
            web_page_form_begin(p, action, web_pg_csrf(c));
            web_pg_hidden(p, "decision", "approve");
            web_page_form_submit(p, WEB_MSG_AP_APPROVE_BUTTON, WEB_BUTTON_PRIMARY);
        } else {
            /* no approve button the server would refuse (409 not_eligible): why not, with the
             * verdict's reasons just above, and what the approver can do instead */
            web_page_notice_begin(p, WEB_NOTICE_WARNING);
            web_page_open_class(p, WEB_EL_P, "approve-blocked");
            web_page_msg(p, WEB_MSG_SP_APPROVE_BLOCKED);
            web_page_close(p, WEB_EL_P);
            web_page_notice_end(p);
        }
        web_page_close(p, WEB_EL_SECTION);
        web_page_open_class(p, WEB_EL_SECTION, "decision-reject");
        web_page_el_msg(p, WEB_EL_H3, WEB_MSG_AP_REJECT_TITLE);
        struct web_option opts[32];
        size_t nopts = rejection_options(&d->verdict, c->lang, opts, 32);
        struct web_field rf[2] = {
            {WEB_FIELD_SELECT, "reason", WEB_MSG_AP_REJECT_REASON, WEB_MSG_AP_REJECT_REASON_HINT,
             .value = df->reason, .error = df->reason_error, .options = opts, .noptions = nopts},
            {WEB_FIELD_TEXTAREA, "reason_text", WEB_MSG_AP_REJECT_TEXT, WEB_MSG_AP_REJECT_TEXT_HINT,
             .value = df->reason_text, .error = df->text_error, .maxlength = REASON_TEXT_MAX,
             .optional = true},
        };
        web_page_form_begin(p, action, web_pg_csrf(c));
        web_pg_hidden(p, "decision", "reject");
        web_page_field(p, &rf[0]);
        web_page_field(p, &rf[1]);
        web_page_form_submit(p, WEB_MSG_AP_REJECT_BUTTON, WEB_BUTTON_SECONDARY);
        web_page_close(p, WEB_EL_SECTION);
        web_page_close(p, WEB_EL_DIV);
    } else if (awaiting && web_pg_may_record_paper(c->who)) {
        web_page_el_msg(p, WEB_EL_H3, WEB_MSG_AP_PAPER_TITLE);
        web_pg_para(p, WEB_MSG_AP_PAPER_LEAD);
        web_page_form_begin(p, action, web_pg_csrf(c));
        web_pg_hidden(p, "decision", "paper");
        web_page_form_submit(p, WEB_MSG_AP_PAPER_BUTTON, WEB_BUTTON_PRIMARY);
    } else if (submitted) {
        /* an operator: the decision is the approver's */
        web_pg_para(p, WEB_MSG_SP_AWAITING_DECISION);
    } else if (awaiting) {
        /* an approver, who decides only once the paper is recorded: who records it, and when */
        web_pg_para(p, WEB_MSG_SP_AWAITING_PAPER);
    } else if (d->app.st == CORE_APP_DRAFT || d->app.st == CORE_APP_CODE_VERIFIED) {
        web_pg_para(p, WEB_MSG_SP_NOT_WAITING_APPLICANT);
    } else {
        web_pg_para(p, WEB_MSG_AP_NO_DECISION);
    }
    web_page_section_end(p);
}

/* The verdict on the record as it is now, before the decision it is for. */
static void verdict_section(struct web_page *p, const struct detail *d)
{
    web_page_section_begin(p, WEB_MSG_AP_SEC_VERDICT);
    web_page_open_class(p, WEB_EL_DIV, "verdict-box");
    web_page_open(p, WEB_EL_P);
    web_pg_verdict_badge(p, &d->verdict);
    web_page_close(p, WEB_EL_P);
    web_page_el_msg(p, WEB_EL_P,
                    d->verdict.eligible ? WEB_MSG_AP_VERDICT_OK : WEB_MSG_AP_VERDICT_NO);
    web_pg_verdict_reasons(p, &d->verdict, false);
    web_page_close(p, WEB_EL_DIV);
    web_page_section_end(p);
}

/* A label of the form's choices for a stored value; NONE when it is not one of them. */
struct choice {
    const char *value;
    enum web_msg label;
};
static enum web_msg choice_label(const struct choice *ch, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ch[i].value, value))
            return ch[i].label;
    return WEB_MSG_NONE;
}

static void dl_choice(struct web_page *p, enum web_msg term, const struct choice *ch, size_t n,
                      const char *value)
{
    enum web_msg m = choice_label(ch, n, value);
    dl_item(p, term);
    if (m != WEB_MSG_NONE)
        web_page_msg(p, m);
    else if (value && *value)
        web_page_text(p, value);
    else
        web_page_msg(p, WEB_MSG_AP_NONE);
    web_page_close(p, WEB_EL_DD);
}

/* A personal value as the role may see it (app/privacy.h), in a span that is never translated. */
static void dl_pii(struct web_pg *c, struct web_page *p, enum web_msg term, enum app_pii kind,
                   const char *value, const char *cls)
{
    char shown[APP_PII_MAX];
    app_pii_view(c->who, kind, value, shown, sizeof shown);
    dl_item(p, term);
    if (shown[0]) {
        web_page_open_class(p, WEB_EL_SPAN, cls);
        web_page_attr(p, "translate", "no");
        web_page_text(p, shown);
        web_page_close(p, WEB_EL_SPAN);
    } else {
        web_page_msg(p, WEB_MSG_AP_NONE);
    }
    web_page_close(p, WEB_EL_DD);
}

#define NCHOICE(a) (sizeof(a) / sizeof((a)[0]))

/* Every field of the form as the applicant gave it, in the form's sections. */
static void form_sections(struct web_pg *c, struct web_page *p, const struct detail *d)
{
    static const struct choice reasons[] = {
        {"renewal", WEB_MSG_REASON_RENEWAL},
        {"lost_stolen", WEB_MSG_REASON_LOST},
        {"other", WEB_MSG_REASON_OTHER},
    };
    static const struct choice readers[] = {{"none", WEB_MSG_CARD_READER_NONE}};
    static const struct choice methods[] = {{"esign", WEB_MSG_METHOD_1}, {"wet", WEB_MSG_METHOD_2}};
    static const struct choice operators[] = {
        {"turkcell", WEB_MSG_OPERATOR_TURKCELL},
        {"vodafone", WEB_MSG_OPERATOR_VODAFONE},
        {"turk_telekom", WEB_MSG_OPERATOR_TURK_TELEKOM},
    };
    static const struct choice notify[] = {
        {"email", WEB_MSG_NOTIFY_EMAIL},
        {"sms", WEB_MSG_NOTIFY_SMS},
        {"both", WEB_MSG_NOTIFY_BOTH},
    };
    static const enum web_msg validity[] = {WEB_MSG_VALIDITY_1, WEB_MSG_VALIDITY_2,
                                            WEB_MSG_VALIDITY_3};
    const struct app_application *a = &d->app;
    char buf[64];

    web_page_section_begin(p, WEB_MSG_SECTION_APPLICATION);
    web_page_open_class(p, WEB_EL_DL, "facts form-facts");
    dl_choice(p, WEB_MSG_REASON, reasons, NCHOICE(reasons), a->reason);
    dl_choice(p, WEB_MSG_CARD_READER, readers, NCHOICE(readers), a->card_reader);
    dl_item(p, WEB_MSG_VALIDITY);
    if (a->validity_years >= 1 && a->validity_years <= 3)
        web_page_msg(p, validity[a->validity_years - 1]);
    else
        web_page_msg(p, WEB_MSG_AP_NONE);
    web_page_close(p, WEB_EL_DD);
    dl_choice(p, WEB_MSG_AP_METHOD, methods, NCHOICE(methods), a->method);
    web_pg_time(a->created_at, WEB_PG_DATETIME, buf);
    dl_text(p, WEB_MSG_AP_CREATED, buf);
    dl_item(p, WEB_MSG_AP_COL_EXPIRY);
    web_pg_expiry_text(p, a->cert_not_after);
    web_page_close(p, WEB_EL_DD);
    dl_item(p, WEB_MSG_AP_COL_LATE);
    web_page_msg(p, a->late ? WEB_MSG_AP_LATE : WEB_MSG_AP_IN_TIME);
    web_page_close(p, WEB_EL_DD);
    snprintf(buf, sizeof buf, "%d", d->remote_chain);
    dl_text(p, WEB_MSG_AP_REMOTE_CHAIN, buf);
    web_page_close(p, WEB_EL_DL);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_PERSONAL);
    web_pg_para(p, WEB_MSG_SP_MASKED_NOTE);
    web_page_open_class(p, WEB_EL_DL, "facts form-facts");
    dl_item(p, WEB_MSG_AP_COL_NAME);
    web_pg_person_name(p, a);
    web_page_close(p, WEB_EL_DD);
    dl_item(p, WEB_MSG_TCKN);
    web_page_open_class(p, WEB_EL_SPAN, d->tckn_full[0] ? "tckn tckn-full" : "tckn");
    web_page_attr(p, "translate", "no");
    web_page_text(p, d->tckn_full[0] ? d->tckn_full : a->tckn_masked);
    web_page_close(p, WEB_EL_SPAN);
    if (d->tckn_full[0]) {
        web_page_open_class(p, WEB_EL_SMALL, "tckn-note");
        web_page_msg(p, WEB_MSG_SP_TCKN_SHOWN);
        web_page_close(p, WEB_EL_SMALL);
    } else if (app_pii_on_request(c->who, APP_PII_TCKN)) {
        /* the full number on request: a POST of its own, audited (app_admin_tckn) */
        char action[64];
        snprintf(action, sizeof action, "/yonetim/basvuru/%lld", (long long)a->id);
        web_page_form_begin(p, action, web_pg_csrf(c));
        web_pg_hidden(p, "action", "tckn");
        web_page_button(p, WEB_MSG_SP_TCKN_SHOW, WEB_BUTTON_SECONDARY, NULL, NULL);
        web_page_open_class(p, WEB_EL_SMALL, "tckn-note");
        web_page_msg(p, WEB_MSG_SP_TCKN_SHOW_HINT);
        web_page_close(p, WEB_EL_SMALL);
        web_page_form_end(p);
    }
    web_page_close(p, WEB_EL_DD);
    dl_text(p, WEB_MSG_BIRTH_PLACE, a->birth_place);
    buf[0] = '\0';
    if (strlen(a->birth_date) == 10)
        snprintf(buf, sizeof buf, "%.2s.%.2s.%.4s", a->birth_date + 8, a->birth_date + 5,
                 a->birth_date);
    dl_text(p, WEB_MSG_BIRTH_DATE, buf);
    web_page_close(p, WEB_EL_DL);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_INSTITUTION);
    web_page_open_class(p, WEB_EL_DL, "facts form-facts");
    dl_text(p, WEB_MSG_INSTITUTION_NAME, a->institution_name);
    dl_text(p, WEB_MSG_REGISTRY_NO, a->registry_no);
    /* the form's labels speak to the applicant ("Unvanınız"); the staff's speak of them */
    dl_text(p, WEB_MSG_SP_UNIT, a->unit);
    dl_text(p, WEB_MSG_SP_JOB_TITLE, a->title);
    web_page_close(p, WEB_EL_DL);
    web_page_section_end(p);

    web_page_section_begin(p, WEB_MSG_SECTION_CONTACT);
    web_page_open_class(p, WEB_EL_DL, "facts form-facts");
    dl_text(p, WEB_MSG_SP_ADDRESS, a->address);
    dl_text(p, WEB_MSG_PROVINCE, a->province ? app_province_name(a->province) : NULL);
    dl_text(p, WEB_MSG_DISTRICT, a->district);
    dl_text(p, WEB_MSG_POSTAL_CODE, a->postal_code);
    dl_pii(c, p, WEB_MSG_EMAIL, APP_PII_EMAIL, a->email, "email");
    dl_pii(c, p, WEB_MSG_WORK_PHONE, APP_PII_PHONE, a->work_phone, "work-phone");
    if (a->work_phone_ext[0])
        dl_text(p, WEB_MSG_WORK_PHONE_EXT, a->work_phone_ext);
    dl_pii(c, p, WEB_MSG_MOBILE_PHONE, APP_PII_PHONE, a->mobile_phone, "mobile-phone");
    dl_choice(p, WEB_MSG_SP_OPERATOR, operators, NCHOICE(operators), a->mobile_operator);
    dl_pii(c, p, WEB_MSG_HOME_PHONE, APP_PII_PHONE, a->home_phone, "home-phone");
    dl_choice(p, WEB_MSG_SP_NOTIFY_BY, notify, NCHOICE(notify), a->notify_by);
    web_page_close(p, WEB_EL_DL);
    web_page_section_end(p);
}

/* The personnel record the verdict was made from. */
static void record_section(struct web_page *p, const struct detail *d)
{
    web_page_section_begin(p, WEB_MSG_AP_SEC_RECORD);
    if (!d->has_person) {
        web_pg_para(p, WEB_MSG_AP_NO_RECORD);
    } else {
        const struct core_personnel *r = &d->person;
        char date[CORE_DATE_STRLEN + 1];
        web_page_open_class(p, WEB_EL_DL, "facts");
        dl_item(p, WEB_MSG_AP_DUTY);
        web_page_msg(p, duty_label(r->duty));
        web_page_close(p, WEB_EL_DD);
        app_date_tr(r->assignment_end, date);
        dl_text(p, WEB_MSG_AP_ASSIGNMENT_END, date);
        dl_item(p, WEB_MSG_AP_ENTITLED);
        web_page_msg(p, r->entitled ? WEB_MSG_AP_YES : WEB_MSG_AP_NO);
        web_page_close(p, WEB_EL_DD);
        dl_text(p, WEB_MSG_INSTITUTION_NAME, r->institution_name);
        dl_text(p, WEB_MSG_PROVINCE, r->province ? app_province_name(r->province) : NULL);
        dl_text(p, WEB_MSG_DISTRICT, r->district);
        web_page_close(p, WEB_EL_DL);
    }
    web_page_section_end(p);
}

static void timeline_section(struct web_page *p, const struct detail *d)
{
    web_page_section_begin(p, WEB_MSG_PP_TIMELINE);
    web_pg_para(p, WEB_MSG_PP_TIMELINE_ZONE);
    web_page_open_class(p, WEB_EL_OL, "timeline");
    for (size_t i = 0; i < d->ntimeline; i++)
        timeline_row(p, &d->timeline[i]);
    web_page_close(p, WEB_EL_OL);
    web_page_section_end(p);
}

static enum web_err detail_page(struct web_pg *c, const struct detail *d,
                                const struct decision_form *df, unsigned status)
{
    struct web_page p;
    struct web_error_item items[3];
    size_t n = 0;

    if (df->message)
        items[n++] = (struct web_error_item){NULL, WEB_MSG_NONE, df->message};
    if (df->reason_error)
        items[n++] = (struct web_error_item){"reason", WEB_MSG_AP_REJECT_REASON, df->reason_error};
    if (df->text_error)
        items[n++] = (struct web_error_item){"reason_text", WEB_MSG_AP_REJECT_TEXT, df->text_error};

    web_pg_page(c, &p);
    char title[96];
    web_pg_fill(web_msg(WEB_MSG_AP_DETAIL_TITLE, c->lang), d->app.number, title, sizeof title);
    const struct web_layout layout = {.title_text = title, .errors = n > 0};
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_NONE);
    web_page_error_summary(&p, items, n);
    web_page_el_text(&p, WEB_EL_H1, title);
    const char *k = web_req_query(c->rq, "karar");
    if (k && !strcmp(k, "kagit") && status == 200)
        web_pg_notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_AP_FLASH_PAPER, NULL, 0);
    web_page_action_link(&p, "/yonetim", WEB_MSG_AP_BACK_TO_QUEUE);

    status_section(c, &p, d);
    form_sections(c, &p, d);
    record_section(&p, d);
    /* once decided, the outcome at the top takes the verdict's and the forms' place */
    if (undecided(&d->app))
        verdict_section(&p, d);
    if (!d->has_decision || undecided(&d->app))
        decision_section(c, &p, d, df);
    timeline_section(&p, d);

    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, status);
}

/* Loads the application for the page (404 / 403 pages when it cannot be shown). */
static bool load_detail(struct web_pg *c, int64_t id, struct detail *d, enum web_err *rc)
{
    struct app_err e;
    memset(d, 0, sizeof *d);
    if (app_admin_get(&c->app, id, collect_detail, d, &e) != APP_OK) {
        c->err = e;
        *rc = web_pg_app_failure(c);
        return false;
    }
    return true;
}

/* POST decision=paper: the wet-signed original arrived (back to the page with a flash), or
 * the page again when the application is no longer waiting for it. */
static enum web_err post_paper(struct web_pg *c, int64_t id, struct detail *d,
                               struct decision_form *df)
{
    enum web_err rc;
    char where[96];
    c->need = WEB_PG_NEED_PAPER;
    if (app_admin_paper_received(&c->app, id, NULL, &c->err) == APP_OK) {
        snprintf(where, sizeof where, "/yonetim/basvuru/%lld?karar=kagit", (long long)id);
        return web_pg_see_other(c->rq, where);
    }
    if (c->err.status != APP_ECONFLICT)
        return web_pg_app_failure(c);
    df->message = web_msg(WEB_MSG_AP_NO_DECISION, c->lang);
    if (load_detail(c, id, d, &rc))
        rc = detail_page(c, d, df, 409);
    return rc;
}

/* POST action=tckn: the page again with the full T.C. Kimlik No, for those whose role sees it
 * on request; the look is audited before the number is given. Never cached, never in a URL. */
static enum web_err post_tckn(struct web_pg *c, int64_t id, struct detail *d,
                              struct decision_form *df)
{
    c->need = WEB_PG_NEED_TCKN;
    if (app_admin_tckn(&c->app, id, d->tckn_full, &c->err) != APP_OK)
        return web_pg_app_failure(c);
    if (web_reply_header(c->rq, "Cache-Control", "no-store") < 0)
        return WEB_E_NOMEM;
    return detail_page(c, d, df, 200);
}

/* A rejection's reason as the form gives it: a ready text's code, or "other" with the
 * approver's own words. False, with the field's error in df, when it is not complete. */
static bool read_rejection(struct web_pg *c, struct decision_form *df)
{
    df->reason = web_pg_field(c, "reason");
    df->reason_text = web_pg_field(c, "reason_text");
    bool other = df->reason && !strcmp(df->reason, "other");
    bool text = df->reason_text && df->reason_text[strspn(df->reason_text, " \t\r\n")];
    if (!df->reason || !*df->reason)
        df->reason_error = web_msg(WEB_MSG_AP_REJECT_CHOOSE, c->lang);
    else if (other && !text)
        df->text_error = web_msg(WEB_MSG_AP_REJECT_WRITE, c->lang);
    else if (other && strlen(df->reason_text) > REASON_TEXT_MAX * 4)
        df->text_error = web_msg(WEB_MSG_AP_REJECT_TOO_LONG, c->lang);
    else if (!other && !app_rejection_find(df->reason))
        df->reason_error = web_msg(WEB_MSG_AP_REJECT_CHOOSE, c->lang);
    return !df->reason_error && !df->text_error;
}

/* POST decision=approve|reject: the use case decides; back to the queue with what was done,
 * or the page again with why not. */
static enum web_err post_decision(struct web_pg *c, int64_t id, struct detail *d,
                                  struct decision_form *df, const char *decision)
{
    enum web_err rc;
    const char *reason = NULL;
    bool reject = decision && !strcmp(decision, "reject");
    c->need = WEB_PG_NEED_DECIDE;
    if (reject) {
        if (!read_rejection(c, df))
            return detail_page(c, d, df, 400);
        reason = !strcmp(df->reason, "other") ? df->reason_text : df->reason;
    }
    if (app_admin_decide(&c->app, id, decision ? decision : "", reason, NULL, &c->err) == APP_OK) {
        struct ubuf w = UBUF_INIT(256);
        if (ubuf_puts(&w, reject ? "/yonetim?karar=ret" : "/yonetim?karar=onay") < 0 ||
            web_pg_q_add(&w, "no", d->app.number) < 0)
            rc = WEB_E_NOMEM;
        else
            rc = web_pg_see_other(c->rq, ubuf_str(&w));
        ubuf_free(&w);
    } else if (c->err.status == APP_ECONFLICT) {
        /* not_eligible: the verdict's words are on the page already; wrong_state: someone
         * decided meanwhile, so show the application as it is now */
        bool moved = !c->err.code || !strcmp(c->err.code, "wrong_state");
        df->message =
            moved ? web_msg(WEB_MSG_AP_NO_DECISION, c->lang) : web_pg_reason(c, c->err.code);
        if (moved && !load_detail(c, id, d, &rc))
            return rc;
        rc = detail_page(c, d, df, 409);
    } else if (c->err.status == APP_EINVAL) {
        const char *code = c->err.nfields ? c->err.fields[0].code : c->err.code;
        if (reject && df->reason && !strcmp(df->reason, "other"))
            df->text_error = web_pg_reason(c, code ? code : "reason_required");
        else
            df->message = web_pg_reason(c, code ? code : "invalid_fields");
        rc = detail_page(c, d, df, 400);
    } else {
        rc = web_pg_app_failure(c);
    }
    return rc;
}

enum web_err web_h_staff_detail(struct web_req *rq)
{
    struct web_pg c;
    struct detail *d = NULL;
    struct decision_form df = {0};
    bool post = !strcmp(web_req_method(rq), "POST");
    int64_t id;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    if (!web_pg_enter_staff(&c, post, &rc))
        goto out;
    if (!web_req_param_id(rq, "id", &id)) {
        rc = web_pg_404(&c);
        goto out;
    }
    d = malloc(sizeof *d);
    if (!d) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (!load_detail(&c, id, d, &rc))
        goto out;
    if (!post) {
        rc = detail_page(&c, d, &df, 200);
        goto out;
    }

    const char *action = web_pg_field(&c, "action");
    const char *decision = web_pg_field(&c, "decision");
    if (action && !strcmp(action, "tckn"))
        rc = post_tckn(&c, id, d, &df);
    else if (decision && !strcmp(decision, "paper"))
        rc = post_paper(&c, id, d, &df);
    else
        rc = post_decision(&c, id, d, &df, decision);
out:
    free(d);
    web_pg_done(&c);
    return rc;
}
