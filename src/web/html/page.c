/* eimza — the page writer's core (web/html/): a page over the element writer, catalogue
 * messages with placeholders, the layout (head, header, footer) and the step indicator. The
 * form components are in page_form.c. See page.h.
 */
#include "web/html/page.h"

#include <stdio.h>
#include <string.h>

void web_page_init(struct web_page *p, enum core_lang lang)
{
    memset(p, 0, sizeof *p);
    ubuf_init(&p->b, WEB_PAGE_MAX);
    web_html_init(&p->h, &p->b);
    p->lang = lang;
}

void web_page_free(struct web_page *p)
{
    ubuf_free(&p->b);
}

bool web_page_failed(const struct web_page *p)
{
    return web_html_failed(&p->h);
}

void web_page_fail(struct web_page *p)
{
    web_html_fail(&p->h);
}

const char *web_page_str(const struct web_page *p)
{
    return ubuf_str(&p->b);
}

/* ---- writing ----------------------------------------------------------------------------- */

void web_page_open(struct web_page *p, enum web_el e)
{
    web_html_open(&p->h, e);
}

void web_page_close(struct web_page *p, enum web_el e)
{
    web_html_close(&p->h, e);
}

void web_page_open_class(struct web_page *p, enum web_el e, const char *cls)
{
    web_page_open(p, e);
    web_page_attr(p, "class", cls);
}

void web_page_el_msg(struct web_page *p, enum web_el e, enum web_msg key)
{
    web_page_open(p, e);
    web_page_msg(p, key);
    web_page_close(p, e);
}

void web_page_el_text(struct web_page *p, enum web_el e, const char *text)
{
    web_page_open(p, e);
    web_page_text(p, text);
    web_page_close(p, e);
}

void web_page_textn(struct web_page *p, const char *s, size_t n)
{
    web_html_textn(&p->h, s, n);
}

void web_page_text(struct web_page *p, const char *s)
{
    web_html_text(&p->h, s);
}

void web_page_uint(struct web_page *p, unsigned long long v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%llu", v);
    web_page_textn(p, num, (size_t)n);
}

/* The text of key on this page: in its language, and the deployment's twin (web_msg_deployed). */
static const char *web_page_msg_text(const struct web_page *p, enum web_msg key)
{
    return web_msg(web_msg_deployed(key, p->inhouse), p->lang);
}

static void web_page_msg_days(struct web_page *p, enum web_msg key);

/* The texts that state when a card comes: their {0} is the configured days, filled by
 * web_page_msg wherever they are written (a page names the key and nothing more). */
static bool web_msg_says_days(enum web_msg key)
{
    switch (key) {
    case WEB_MSG_FOOTER_CARD_LATE:
    case WEB_MSG_HELP_A_CARD:
    case WEB_MSG_NEXT_CARD:
    case WEB_MSG_LANDING_AFTER:
        return true;
    default:
        return false;
    }
}

void web_page_msg(struct web_page *p, enum web_msg key)
{
    if (web_msg_says_days(key))
        web_page_msg_days(p, key);
    else
        web_page_text(p, web_page_msg_text(p, key));
}

/* The placeholder "{N}" (one digit) at or after s: returns where it starts and sets *idx,
 * or returns NULL when there is none. */
static const char *web_msg_placeholder(const char *s, unsigned *idx)
{
    for (const char *q = strchr(s, '{'); q; q = strchr(q + 1, '{')) {
        if (q[1] >= '0' && q[1] <= '9' && q[2] == '}') {
            *idx = (unsigned)(q[1] - '0');
            return q;
        }
    }
    return NULL;
}

static void web_page_text_args(struct web_page *p, const char *s, const char *const *args,
                               size_t nargs);

void web_page_msg_args(struct web_page *p, enum web_msg key, const char *const *args, size_t nargs)
{
    web_page_text_args(p, web_page_msg_text(p, key), args, nargs);
}

/* Writes text t with placeholders {0}..{n-1} replaced by args (escaped). */
static void web_page_text_args(struct web_page *p, const char *s, const char *const *args,
                               size_t nargs)
{
    const char *ph;
    unsigned idx;
    while ((ph = web_msg_placeholder(s, &idx))) {
        web_page_textn(p, s, (size_t)(ph - s));
        if (idx < nargs)
            web_page_text(p, args[idx]);
        s = ph + 3;
    }
    web_page_text(p, s);
}

void web_page_msg_n(struct web_page *p, enum web_msg key, unsigned long n, const char *const *args,
                    size_t nargs)
{
    web_page_text_args(p, web_msg_n(web_msg_deployed(key, p->inhouse), n, p->lang), args, nargs);
}

/* A message that states when a card comes: {0} is p->delivery_days, in the form for that
 * number ("15 gün", "within 1 day" / "within 15 days"). */
static void web_page_msg_days(struct web_page *p, enum web_msg key)
{
    int days = p->delivery_days;
    if (days <= 0) { /* not set: the settings' default */
        struct app_portal_cfg d;
        app_portal_cfg_default(&d);
        days = d.rules.delivery_expected_days;
    }
    char num[16];
    snprintf(num, sizeof num, "%d", days);
    const char *a[] = {num};
    web_page_msg_n(p, key, (unsigned long)days, a, 1);
}

void web_page_duration(struct web_page *p, long long seconds)
{
    char num[24];
    if (seconds < 0)
        seconds = 0;
    long long m = seconds / 60, s = seconds % 60;
    if (m > 0) {
        snprintf(num, sizeof num, "%lld", m);
        const char *a[] = {num};
        web_page_msg_n(p, WEB_MSG_DUR_MINUTES, (unsigned long)m, a, 1);
    }
    if (s > 0 || m == 0) {
        if (m > 0)
            web_page_text(p, " ");
        snprintf(num, sizeof num, "%lld", s);
        const char *a[] = {num};
        web_page_msg_n(p, WEB_MSG_DUR_SECONDS, (unsigned long)s, a, 1);
    }
}

void web_page_duration_attrs(struct web_page *p)
{
    web_html_attr(&p->h, "data-unit-min", web_msg_n(WEB_MSG_DUR_MINUTES, 1, p->lang));
    web_html_attr(&p->h, "data-unit-mins", web_msg_n(WEB_MSG_DUR_MINUTES, 2, p->lang));
    web_html_attr(&p->h, "data-unit-sec", web_msg_n(WEB_MSG_DUR_SECONDS, 1, p->lang));
    web_html_attr(&p->h, "data-unit-secs", web_msg_n(WEB_MSG_DUR_SECONDS, 2, p->lang));
}

void web_page_msg_part(struct web_page *p, enum web_msg key, unsigned part)
{
    const char *s = web_page_msg_text(p, key), *ph;
    unsigned idx;
    for (unsigned i = 0; i < part; i++) {
        ph = web_msg_placeholder(s, &idx);
        if (!ph)
            return; /* no such part */
        s = ph + 3;
    }
    ph = web_msg_placeholder(s, &idx);
    web_page_textn(p, s, ph ? (size_t)(ph - s) : strlen(s));
}

void web_page_attr_msg_(struct web_page *p, const char *name, enum web_msg key)
{
    web_html_attr_(&p->h, name, web_page_msg_text(p, key));
}

/* ---- the layout -------------------------------------------------------------------------- */

static const enum web_msg web_step_names[WEB_STEP_COUNT] = {
    WEB_MSG_STEP_1, WEB_MSG_STEP_2, WEB_MSG_STEP_3, WEB_MSG_STEP_4, WEB_MSG_STEP_5,
};

enum web_msg web_page_step_name(int step)
{
    return step >= 1 && step <= WEB_STEP_COUNT ? web_step_names[step - 1] : WEB_MSG_NONE;
}

/* "Adım 2 / 5: <span>Başvuru Formu</span>", or the overview's or the end's words. */
static void web_steps_counter(struct web_page *p, enum web_step step)
{
    web_page_open_class(p, WEB_EL_P, "steps-counter");
    web_page_attr(p, "id", "steps-counter");
    if (step == WEB_STEP_OVERVIEW) {
        web_page_msg(p, WEB_MSG_STEPS_OVERVIEW);
    } else if (step == WEB_STEP_DONE) {
        web_page_msg(p, WEB_MSG_STEPS_ALL_DONE);
    } else {
        char cur[4], total[4];
        bool paper = step == WEB_STEP_PAPER;
        if (paper)
            step = WEB_STEP_SIGN;
        snprintf(cur, sizeof cur, "%d", (int)step);
        snprintf(total, sizeof total, "%d", WEB_STEP_COUNT);
        const char *args[] = {cur, total};
        web_page_msg_args(p, WEB_MSG_STEP_COUNTER, args, 2);
        web_page_text(p, ": ");
        web_page_open_class(p, WEB_EL_SPAN, "steps-current-name");
        web_page_msg(p, web_step_names[step - 1]);
        web_page_close(p, WEB_EL_SPAN);
        if (paper) {
            web_page_text(p, " – ");
            web_page_msg(p, WEB_MSG_STEPS_PAPER_AWAITED);
        }
    }
    web_page_close(p, WEB_EL_P);
}

void web_page_steps(struct web_page *p, enum web_step step)
{
    if (step == WEB_STEP_NONE || step > WEB_STEP_PAPER)
        return;
    bool overview = step == WEB_STEP_OVERVIEW, paper = step == WEB_STEP_PAPER;
    web_page_open_class(p, WEB_EL_DIV, overview ? "steps steps-overview" : "steps");
    web_steps_counter(p, step);
    if (paper)
        step = WEB_STEP_SIGN;
    web_page_open(p, WEB_EL_OL);
    web_page_attr_msg(p, "aria-label", WEB_MSG_STEPS_LABEL);
    for (int i = 1; i <= WEB_STEP_COUNT; i++) {
        web_page_open(p, WEB_EL_LI);
        if (paper && i == (int)step) {
            web_page_attr(p, "class", "current outstanding");
            web_page_attr(p, "aria-current", "step");
            web_page_open_class(p, WEB_EL_SPAN, "visually-hidden");
            web_page_msg(p, WEB_MSG_STEP_OUTSTANDING);
            web_page_text(p, " ");
            web_page_close(p, WEB_EL_SPAN);
        } else if (!overview && i < (int)step) {
            web_page_attr(p, "class", "done");
            web_page_open_class(p, WEB_EL_SPAN, "visually-hidden");
            web_page_msg(p, WEB_MSG_STEP_DONE);
            web_page_text(p, " ");
            web_page_close(p, WEB_EL_SPAN);
        } else if (!overview && i == (int)step) {
            web_page_attr(p, "class", "current");
            web_page_attr(p, "aria-current", "step");
        }
        web_page_msg(p, web_step_names[i - 1]);
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_OL);
    web_page_close(p, WEB_EL_DIV);
}

/* <head>: charset, viewport, the title, the stylesheets and the icon. */
static void web_page_head(struct web_page *p, const struct web_layout *l)
{
    web_page_open(p, WEB_EL_HEAD);
    web_page_open(p, WEB_EL_META);
    web_page_attr(p, "charset", "utf-8");
    web_page_open(p, WEB_EL_META);
    web_page_attr(p, "name", "viewport");
    web_page_attr(p, "content", "width=device-width, initial-scale=1");
    web_page_open(p, WEB_EL_TITLE);
    if (l->errors)
        web_page_msg(p, WEB_MSG_TITLE_ERROR_PREFIX);
    if (l->title_text)
        web_page_text(p, l->title_text);
    else
        web_page_msg(p, l->title);
    if (l->title_text || l->title != WEB_MSG_NONE)
        web_page_text(p, " – ");
    web_page_msg(p, WEB_MSG_SERVICE_NAME);
    web_page_close(p, WEB_EL_TITLE);
    static const char *const sheets[] = {"/static/vendor/pico.classless.min.css",
                                         "/static/css/eimza.css"};
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        web_page_open(p, WEB_EL_LINK);
        web_page_attr(p, "rel", "stylesheet");
        web_page_attr(p, "href", sheets[i]);
    }
    web_page_open(p, WEB_EL_LINK);
    web_page_attr(p, "rel", "icon");
    web_page_attr(p, "href", "/static/img/favicon.svg");
    web_page_attr(p, "type", "image/svg+xml");
    web_page_close(p, WEB_EL_HEAD);
}

const char *web_page_ministry(const struct web_page *p)
{
    const char *name = !p->site                  ? ""
                       : p->lang == CORE_LANG_EN ? p->site->ministry_name_en
                                                 : p->site->ministry_name;
    /* settings that never set a name (a zeroed struct) still show the ministry */
    if (!name[0])
        return p->lang == CORE_LANG_EN ? "Republic of Türkiye Ministry of National Education"
                                       : "T.C. Millî Eğitim Bakanlığı";
    return name;
}

/* The skip link and the header: the ministry's logo and name and the service's name (one link
 * home), and the page in the other language. */
static void web_page_header(struct web_page *p)
{
    web_page_open_class(p, WEB_EL_A, "skip-link");
    web_page_attr(p, "href", "#main");
    web_page_msg(p, WEB_MSG_SKIP_LINK);
    web_page_close(p, WEB_EL_A);
    web_page_open(p, WEB_EL_HEADER);
    web_page_open_class(p, WEB_EL_DIV, "masthead");
    web_page_open_class(p, WEB_EL_A, "brand");
    web_page_attr(p, "href", "/");
    /* the name beside it says what the logo says: the picture itself is decoration */
    web_page_open_class(p, WEB_EL_IMG, "brand-logo");
    web_page_attr(p, "src", p->site && p->site->logo ? "/logo" : "/static/img/logo.svg");
    web_page_attr(p, "alt", "");
    web_page_attr(p, "width", "44");
    web_page_attr(p, "height", "44");
    web_page_open_class(p, WEB_EL_SPAN, "brand-text");
    web_page_open_class(p, WEB_EL_SPAN, "ministry-name");
    web_page_text(p, web_page_ministry(p));
    web_page_close(p, WEB_EL_SPAN);
    web_page_open_class(p, WEB_EL_SPAN, "service-name");
    web_page_msg(p, WEB_MSG_SERVICE_NAME);
    web_page_close(p, WEB_EL_SPAN);
    web_page_close(p, WEB_EL_SPAN);
    web_page_close(p, WEB_EL_A);
    /* a link to this page in the other language: a query-only URL keeps the path */
    const char *other = web_msg(WEB_MSG_LANG_OTHER_CODE, p->lang);
    char href[16];
    snprintf(href, sizeof href, "?lang=%s", other);
    web_page_open_class(p, WEB_EL_A, "lang-switch");
    web_page_attr(p, "href", href);
    web_page_attr(p, "lang", other);
    web_page_attr(p, "hreflang", other);
    web_page_msg(p, WEB_MSG_LANG_OTHER);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_HEADER);
}

void web_page_begin(struct web_page *p, const struct web_layout *l)
{
    p->errors = l->errors;
    web_html_doctype(&p->h);
    web_page_open(p, WEB_EL_HTML);
    web_page_attr(p, "lang", web_lang_code(p->lang));
    /* the light theme only: our own colours (errors, notices) are chosen for it */
    web_page_attr(p, "data-theme", "light");
    web_page_head(p, l);
    web_page_open(p, WEB_EL_BODY);
    web_page_header(p);
    web_page_open(p, WEB_EL_MAIN);
    web_page_attr(p, "id", "main");
    web_page_attr(p, "tabindex", "-1");
    web_page_steps(p, l->step);
}

/* A paragraph of the footer. */
static void web_footer_para(struct web_page *p, const char *cls, const char *href, enum web_msg key)
{
    web_page_open_class(p, WEB_EL_P, cls);
    if (href) {
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", href);
    }
    web_page_msg(p, key);
    if (href)
        web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_P);
}

static void web_page_script(struct web_page *p, const char *src)
{
    web_page_open(p, WEB_EL_SCRIPT);
    web_page_attr(p, "src", src);
    web_page_flag(p, "defer");
    web_page_close(p, WEB_EL_SCRIPT);
}

/* One link of the footer's list. */
static void web_footer_link(struct web_page *p, const char *href, enum web_msg key)
{
    web_page_open(p, WEB_EL_LI);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", href);
    web_page_msg(p, key);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_LI);
}

/* The applicant's session, its end near and come (session.js opens them): a dialog that offers
 * to extend it, and one that says it ended and where to log in again. Both say that what was
 * typed into the form is kept as a draft. */
static void web_page_session_dialogs(struct web_page *p)
{
    char left[24];
    snprintf(left, sizeof left, "%lld", (long long)p->session_left);
    p->scripts |= WEB_SCRIPT_SESSION;
    web_page_open_class(p, WEB_EL_DIALOG, "session-dialog");
    web_page_attr(p, "id", "session-warning");
    web_page_attr(p, "aria-labelledby", "session-warning-title");
    web_page_attr(p, "aria-describedby", "session-warning-text");
    web_page_attr(p, "data-session-left", left);
    web_page_attr(p, "data-session-warn", "120");
    web_page_attr(p, "data-extend-url", "/api/v1/session/extend");
    web_page_attr(p, "data-csrf", p->session_csrf);
    web_page_duration_attrs(p);
    web_page_open_class(p, WEB_EL_DIV, "session-box"); /* Pico: the dialog is the overlay */
    web_page_open(p, WEB_EL_H2);
    web_page_attr(p, "id", "session-warning-title");
    web_page_msg(p, WEB_MSG_SESSION_WARN_TITLE);
    web_page_close(p, WEB_EL_H2);
    web_page_open(p, WEB_EL_P);
    web_page_attr(p, "id", "session-warning-text");
    web_page_msg_part(p, WEB_MSG_SESSION_WARN_TEXT, 0);
    web_page_open(p, WEB_EL_STRONG);
    web_page_flag(p, "data-session-time");
    web_page_duration(p, 120);
    web_page_close(p, WEB_EL_STRONG);
    web_page_msg_part(p, WEB_MSG_SESSION_WARN_TEXT, 1);
    web_page_close(p, WEB_EL_P);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "button");
    web_page_flag(p, "data-session-extend");
    web_page_msg(p, WEB_MSG_SESSION_EXTEND);
    web_page_close(p, WEB_EL_BUTTON);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_DIALOG);

    web_page_open_class(p, WEB_EL_DIALOG, "session-dialog");
    web_page_attr(p, "id", "session-ended");
    web_page_attr(p, "aria-labelledby", "session-ended-title");
    web_page_attr(p, "aria-describedby", "session-ended-text");
    web_page_open_class(p, WEB_EL_DIV, "session-box");
    web_page_open(p, WEB_EL_H2);
    web_page_attr(p, "id", "session-ended-title");
    web_page_msg(p, WEB_MSG_SESSION_ENDED_TITLE);
    web_page_close(p, WEB_EL_H2);
    web_page_open(p, WEB_EL_P);
    web_page_attr(p, "id", "session-ended-text");
    web_page_msg(p, WEB_MSG_SESSION_ENDED_TEXT);
    web_page_close(p, WEB_EL_P);
    web_page_open(p, WEB_EL_P);
    web_page_link_button(p, "/giris", WEB_MSG_SESSION_LOGIN_AGAIN);
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_DIALOG);
}

void web_page_end(struct web_page *p)
{
    if (p->summary_shown != p->errors)
        web_page_fail(p); /* a page written wrongly: a 500 the tests see, not a quiet slip */
    web_page_close(p, WEB_EL_MAIN);
    web_page_open(p, WEB_EL_FOOTER);
    web_page_open(p, WEB_EL_NAV);
    web_page_attr_msg(p, "aria-label", WEB_MSG_FOOTER_NAV_LABEL);
    web_page_open_class(p, WEB_EL_UL, "footer-links");
    web_footer_link(p, "/yardim", WEB_MSG_FOOTER_HELP);
    web_footer_link(p, "/erisilebilirlik", WEB_MSG_FOOTER_ACCESSIBILITY);
    web_footer_link(p, "/#kvkk", WEB_MSG_FOOTER_PRIVACY);
    web_page_close(p, WEB_EL_UL);
    web_page_close(p, WEB_EL_NAV);
    web_footer_para(p, "call-centre", "tel:4445576", WEB_MSG_FOOTER_CALL_CENTRE); /* or its twin */
    if (!p->card_settled) /* no card awaited: nothing on a late one */
        web_footer_para(p, NULL, NULL, WEB_MSG_FOOTER_CARD_LATE); /* the configured days */
    web_page_open_class(p, WEB_EL_P, "operator");
    const char *who[] = {web_page_ministry(p)};
    web_page_msg_args(p, WEB_MSG_FOOTER_OPERATOR, who, 1);
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_FOOTER);
    if (p->session_left > 0 && p->session_csrf && *p->session_csrf)
        web_page_session_dialogs(p);
    if (p->scripts & WEB_SCRIPT_FOCUS_ERRORS)
        web_page_script(p, "/static/js/focus-errors.js");
    if (p->scripts & WEB_SCRIPT_COUNTDOWN)
        web_page_script(p, "/static/js/countdown.js");
    if (p->scripts & WEB_SCRIPT_SESSION)
        web_page_script(p, "/static/js/session.js");
    if (p->scripts & WEB_SCRIPT_PRINT)
        web_page_script(p, "/static/js/print.js");
    if (p->scripts & WEB_SCRIPT_SIGN)
        web_page_script(p, "/static/js/sign.js");
    web_page_close(p, WEB_EL_BODY);
    web_page_close(p, WEB_EL_HTML);
    if (!web_html_complete(&p->h))
        web_page_fail(p); /* an element left open */
}

/* ---- a page with a footer of its own (issue 17: the staff's, web/pages/pages.c) ------------ */

void web_page_end_footer(struct web_page *p, void (*footer)(struct web_page *p, const void *ctx),
                         const void *ctx)
{
    if (p->summary_shown != p->errors)
        web_page_fail(p);
    web_page_close(p, WEB_EL_MAIN);
    web_page_open(p, WEB_EL_FOOTER);
    footer(p, ctx);
    web_page_close(p, WEB_EL_FOOTER);
    /* the scripts a staff page's components may ask for (the applicant's session and print
     * scripts are not among them) */
    if (p->scripts & WEB_SCRIPT_FOCUS_ERRORS)
        web_page_script(p, "/static/js/focus-errors.js");
    if (p->scripts & WEB_SCRIPT_COUNTDOWN)
        web_page_script(p, "/static/js/countdown.js");
    if (p->scripts & WEB_SCRIPT_STAFF_IMPORT)
        web_page_script(p, "/static/js/import.js");
    web_page_close(p, WEB_EL_BODY);
    web_page_close(p, WEB_EL_HTML);
    if (!web_html_complete(&p->h))
        web_page_fail(p);
}
