/* eimza — the page writer's core: escaping writes, catalogue messages with placeholders, the
 * layout (head, header, footer), the step indicator, the page's language and the reply.
 * The form components are in page_form.c. See page.h.
 */
#include "web/html/page.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"
#include "web/html/escape.h"
#include "web/http/request.h"

void web_page_init(struct web_page *p, enum core_lang lang)
{
    memset(p, 0, sizeof *p);
    ubuf_init(&p->b, WEB_PAGE_MAX);
    p->lang = lang;
}

void web_page_free(struct web_page *p)
{
    ubuf_free(&p->b);
}

bool web_page_failed(const struct web_page *p)
{
    return p->failed;
}

/* ---- writing ----------------------------------------------------------------------------- */

void web_page_raw_(struct web_page *p, const char *lit, size_t n)
{
    if (!p->failed && ubuf_put(&p->b, lit, n) < 0)
        p->failed = true;
}

void web_page_textn(struct web_page *p, const char *s, size_t n)
{
    if (!p->failed && s && web_html_escape(&p->b, s, n) < 0)
        p->failed = true;
}

void web_page_text(struct web_page *p, const char *s)
{
    if (s)
        web_page_textn(p, s, strlen(s));
}

void web_page_uint(struct web_page *p, unsigned long long v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%llu", v);
    web_page_textn(p, num, (size_t)n);
}

void web_page_msg(struct web_page *p, enum web_msg key)
{
    web_page_text(p, web_msg(key, p->lang));
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

void web_page_msg_args(struct web_page *p, enum web_msg key, const char *const *args, size_t nargs)
{
    const char *s = web_msg(key, p->lang), *ph;
    unsigned idx;
    while ((ph = web_msg_placeholder(s, &idx))) {
        web_page_textn(p, s, (size_t)(ph - s));
        if (idx < nargs)
            web_page_text(p, args[idx]);
        s = ph + 3;
    }
    web_page_text(p, s);
}

void web_page_msg_part(struct web_page *p, enum web_msg key, unsigned part)
{
    const char *s = web_msg(key, p->lang), *ph;
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

void web_page_attr_(struct web_page *p, const char *name, const char *value)
{
    if (!value)
        return;
    web_page_raw(p, " ");
    web_page_raw_(p, name, strlen(name));
    web_page_raw(p, "=\"");
    web_page_text(p, value);
    web_page_raw(p, "\"");
}

void web_page_attr_msg_(struct web_page *p, const char *name, enum web_msg key)
{
    web_page_attr_(p, name, web_msg(key, p->lang));
}

/* ---- the layout -------------------------------------------------------------------------- */

static const enum web_msg web_step_names[WEB_STEP_COUNT] = {
    WEB_MSG_STEP_1, WEB_MSG_STEP_2, WEB_MSG_STEP_3, WEB_MSG_STEP_4, WEB_MSG_STEP_5,
};

void web_page_steps(struct web_page *p, enum web_step step)
{
    if (step == WEB_STEP_NONE || step > WEB_STEP_OVERVIEW)
        return;
    bool overview = step == WEB_STEP_OVERVIEW;
    if (overview)
        web_page_raw(p, "<div class=\"steps steps-overview\">\n");
    else
        web_page_raw(p, "<div class=\"steps\">\n");
    web_page_raw(p, "<p class=\"steps-counter\" id=\"steps-counter\">");
    if (overview) {
        web_page_msg(p, WEB_MSG_STEPS_OVERVIEW);
    } else if (step == WEB_STEP_DONE) {
        web_page_msg(p, WEB_MSG_STEPS_ALL_DONE);
    } else {
        char cur[4], total[4];
        snprintf(cur, sizeof cur, "%d", (int)step);
        snprintf(total, sizeof total, "%d", WEB_STEP_COUNT);
        const char *args[] = {cur, total};
        web_page_msg_args(p, WEB_MSG_STEP_COUNTER, args, 2);
        web_page_raw(p, ": <span class=\"steps-current-name\">");
        web_page_msg(p, web_step_names[step - 1]);
        web_page_raw(p, "</span>");
    }
    web_page_raw(p, "</p>\n<ol");
    web_page_attr_msg(p, "aria-label", WEB_MSG_STEPS_LABEL);
    web_page_raw(p, ">\n");
    for (int i = 1; i <= WEB_STEP_COUNT; i++) {
        if (!overview && i < (int)step) {
            web_page_raw(p, "<li class=\"done\"><span class=\"visually-hidden\">");
            web_page_msg(p, WEB_MSG_STEP_DONE);
            web_page_raw(p, " </span>");
        } else if (!overview && i == (int)step) {
            web_page_raw(p, "<li class=\"current\" aria-current=\"step\">");
        } else {
            web_page_raw(p, "<li>");
        }
        web_page_msg(p, web_step_names[i - 1]);
        web_page_raw(p, "</li>\n");
    }
    web_page_raw(p, "</ol>\n</div>\n");
}

void web_page_begin(struct web_page *p, const struct web_layout *l)
{
    p->errors = l->errors;
    web_page_raw(p, "<!doctype html>\n<html");
    web_page_attr(p, "lang", web_lang_code(p->lang));
    /* the light theme only: our own colours (errors, notices) are chosen for it */
    web_page_raw(p, " data-theme=\"light\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    if (l->errors)
        web_page_msg(p, WEB_MSG_TITLE_ERROR_PREFIX);
    if (l->title_text)
        web_page_text(p, l->title_text);
    else
        web_page_msg(p, l->title);
    if (l->title_text || l->title != WEB_MSG_NONE)
        web_page_raw(p, " – ");
    web_page_msg(p, WEB_MSG_SERVICE_NAME);
    web_page_raw(p, "</title>\n"
                    "<link rel=\"stylesheet\" href=\"/static/vendor/pico.classless.min.css\">\n"
                    "<link rel=\"stylesheet\" href=\"/static/css/eimza.css\">\n"
                    "<link rel=\"icon\" href=\"/static/img/favicon.svg\" type=\"image/svg+xml\">\n"
                    "</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">");
    web_page_msg(p, WEB_MSG_SKIP_LINK);
    web_page_raw(p, "</a>\n<header>\n<div class=\"masthead\">\n"
                    "<a class=\"service-name\" href=\"/\">");
    web_page_msg(p, WEB_MSG_SERVICE_NAME);
    web_page_raw(p, "</a>\n<a class=\"lang-switch\"");
    /* a link to this page in the other language: a query-only URL keeps the path */
    const char *other = web_msg(WEB_MSG_LANG_OTHER_CODE, p->lang);
    web_page_raw(p, " href=\"?lang=");
    web_page_text(p, other);
    web_page_raw(p, "\"");
    web_page_attr(p, "lang", other);
    web_page_attr(p, "hreflang", other);
    web_page_raw(p, ">");
    web_page_msg(p, WEB_MSG_LANG_OTHER);
    web_page_raw(p, "</a>\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    web_page_steps(p, l->step);
}

void web_page_end(struct web_page *p)
{
    if (p->summary_shown != p->errors || p->open != 0)
        p->failed = true; /* a page written wrongly: a 500 the tests see, not a quiet slip */
    web_page_raw(p, "</main>\n<footer>\n<p class=\"call-centre\"><a href=\"tel:4445576\">");
    web_page_msg(p, WEB_MSG_FOOTER_CALL_CENTRE);
    web_page_raw(p, "</a></p>\n<p>");
    web_page_msg(p, WEB_MSG_FOOTER_CARD_LATE);
    web_page_raw(p, "</p>\n<p><a href=\"/#kvkk\">");
    web_page_msg(p, WEB_MSG_FOOTER_PRIVACY);
    web_page_raw(p, "</a></p>\n<p class=\"operator\">");
    web_page_msg(p, WEB_MSG_FOOTER_OPERATOR);
    web_page_raw(p, "</p>\n</footer>\n");
    if (p->scripts & WEB_SCRIPT_FOCUS_ERRORS)
        web_page_raw(p, "<script src=\"/static/js/focus-errors.js\" defer></script>\n");
    if (p->scripts & WEB_SCRIPT_COUNTDOWN)
        web_page_raw(p, "<script src=\"/static/js/countdown.js\" defer></script>\n");
    web_page_raw(p, "</body>\n</html>\n");
}

/* ---- the request side -------------------------------------------------------------------- */

static bool web_lang_parse(const char *s, size_t n, enum core_lang *out)
{
    if (n == 2 && !strncasecmp(s, "tr", 2)) {
        *out = CORE_LANG_TR;
        return true;
    }
    if (n == 2 && !strncasecmp(s, "en", 2)) {
        *out = CORE_LANG_EN;
        return true;
    }
    return false;
}

/* The value of cookie name in a Cookie header ("a=1; lang=en"), or NULL; *len its length.
 * (Parsed here rather than through a request accessor so that the page writer depends on
 * nothing but request.h's first version.) */
static const char *web_cookie_value(const char *header, const char *name, size_t *len)
{
    size_t nlen = strlen(name);
    for (const char *c = header; c && *c;) {
        c += strspn(c, " \t;");
        size_t item = strcspn(c, ";");
        if (item > nlen && !strncmp(c, name, nlen) && c[nlen] == '=') {
            *len = item - nlen - 1;
            return c + nlen + 1;
        }
        c += item;
    }
    return NULL;
}

enum core_lang web_page_lang(struct web_req *rq)
{
    enum core_lang lang;
    const char *q = web_req_query(rq, "lang");
    if (q && web_lang_parse(q, strlen(q), &lang)) {
        /* remembered for a year; Lax so that a link from elsewhere still shows it */
        (void)web_reply_header(rq, "Set-Cookie",
                               lang == CORE_LANG_EN
                                   ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
                                   : "lang=tr; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
        return lang;
    }
    size_t n;
    const char *c = web_cookie_value(web_req_header(rq, "Cookie"), "lang", &n);
    if (c && web_lang_parse(c, n, &lang))
        return lang;
    return web_req_lang(rq);
}

enum web_err web_page_reply(struct web_req *rq, struct web_page *p, unsigned status)
{
    if (p->failed) {
        ulog(ULOG_ERROR, "page.failed", "rid=%s bytes=%zu", web_req_id(rq), p->b.len);
        return WEB_E_INTERNAL;
    }
    if (web_reply_header(rq, "Vary", "Accept-Language, Cookie") < 0)
        return WEB_E_NOMEM;
    return web_reply(rq, status, "text/html; charset=utf-8", &p->b);
}
