/* eimza — the element writer (see html.h). */
#include "web/html/html.h"

#include <stdio.h>
#include <string.h>

#include "web/html/escape.h"

/* Where an element's line breaks go (see html.h). */
enum layout {
    BLOCK,  /* after the start tag and after the end tag */
    LINE,   /* after the end tag */
    INLINE, /* after the end tag when directly in a block */
    VOID,   /* no end tag; after the start tag when directly in a block */
    SVG,    /* as INLINE; "<x .../>" when closed empty */
};

static const struct {
    const char *name;
    enum layout layout;
} elements[WEB_EL__COUNT] = {
    [WEB_EL_HTML] = {"html", BLOCK},
    [WEB_EL_HEAD] = {"head", BLOCK},
    [WEB_EL_TITLE] = {"title", LINE},
    [WEB_EL_META] = {"meta", VOID},
    [WEB_EL_LINK] = {"link", VOID},
    [WEB_EL_SCRIPT] = {"script", LINE},
    [WEB_EL_NOSCRIPT] = {"noscript", LINE},
    [WEB_EL_BODY] = {"body", BLOCK},
    [WEB_EL_HEADER] = {"header", BLOCK},
    [WEB_EL_FOOTER] = {"footer", BLOCK},
    [WEB_EL_MAIN] = {"main", BLOCK},
    [WEB_EL_NAV] = {"nav", BLOCK},
    [WEB_EL_SECTION] = {"section", BLOCK},
    [WEB_EL_DIV] = {"div", BLOCK},
    [WEB_EL_FIGURE] = {"figure", BLOCK},
    [WEB_EL_FIGCAPTION] = {"figcaption", LINE},
    [WEB_EL_DETAILS] = {"details", BLOCK},
    [WEB_EL_SUMMARY] = {"summary", LINE},
    [WEB_EL_DIALOG] = {"dialog", BLOCK},
    [WEB_EL_H1] = {"h1", LINE},
    [WEB_EL_H2] = {"h2", LINE},
    [WEB_EL_H3] = {"h3", LINE},
    [WEB_EL_P] = {"p", LINE},
    [WEB_EL_PRE] = {"pre", LINE},
    [WEB_EL_CODE] = {"code", INLINE},
    [WEB_EL_A] = {"a", INLINE},
    [WEB_EL_SPAN] = {"span", INLINE},
    [WEB_EL_STRONG] = {"strong", INLINE},
    [WEB_EL_SMALL] = {"small", INLINE},
    [WEB_EL_TIME] = {"time", INLINE},
    [WEB_EL_BR] = {"br", VOID},
    [WEB_EL_IMG] = {"img", VOID},
    [WEB_EL_UL] = {"ul", BLOCK},
    [WEB_EL_OL] = {"ol", BLOCK},
    [WEB_EL_LI] = {"li", LINE},
    [WEB_EL_DL] = {"dl", BLOCK},
    [WEB_EL_DT] = {"dt", LINE},
    [WEB_EL_DD] = {"dd", LINE},
    [WEB_EL_TABLE] = {"table", BLOCK},
    [WEB_EL_CAPTION] = {"caption", LINE},
    [WEB_EL_THEAD] = {"thead", BLOCK},
    [WEB_EL_TBODY] = {"tbody", BLOCK},
    [WEB_EL_TR] = {"tr", BLOCK},
    [WEB_EL_TH] = {"th", LINE},
    [WEB_EL_TD] = {"td", LINE},
    [WEB_EL_FORM] = {"form", BLOCK},
    [WEB_EL_FIELDSET] = {"fieldset", BLOCK},
    [WEB_EL_LEGEND] = {"legend", LINE},
    [WEB_EL_LABEL] = {"label", LINE},
    [WEB_EL_INPUT] = {"input", VOID},
    [WEB_EL_SELECT] = {"select", BLOCK},
    [WEB_EL_OPTION] = {"option", LINE},
    [WEB_EL_TEXTAREA] = {"textarea", LINE},
    [WEB_EL_BUTTON] = {"button", INLINE},
    [WEB_EL_PROGRESS] = {"progress", INLINE},
    [WEB_EL_SVG] = {"svg", SVG},
    [WEB_EL_SVG_TITLE] = {"title", SVG},
    [WEB_EL_DESC] = {"desc", SVG},
    [WEB_EL_RECT] = {"rect", SVG},
    [WEB_EL_LINE] = {"line", SVG},
    [WEB_EL_PATH] = {"path", SVG},
    [WEB_EL_TEXT] = {"text", SVG},
};

void web_html_init(struct web_html *h, struct ubuf *b)
{
    memset(h, 0, sizeof *h);
    h->b = b;
}

bool web_html_failed(const struct web_html *h)
{
    return h->failed;
}

void web_html_fail(struct web_html *h)
{
    h->failed = true;
}

bool web_html_complete(const struct web_html *h)
{
    return !h->failed && !h->in_tag && h->depth == 0;
}

static void put(struct web_html *h, const char *s, size_t n)
{
    if (!h->failed && ubuf_put(h->b, s, n) < 0)
        h->failed = true;
}

static void puts_(struct web_html *h, const char *s)
{
    put(h, s, strlen(s));
}

/* Whether the innermost open element is a block (its children's lines end with a break). */
static bool in_block(const struct web_html *h)
{
    return h->depth > 0 && elements[h->stack[h->depth - 1]].layout == BLOCK;
}

/* The line break after an element's end (or a void element's start tag). Outside any element
 * (a fragment: a chart, a snippet) only a block ends its line. */
static void break_after(struct web_html *h, enum web_el e)
{
    enum layout l = elements[e].layout;
    if (l == BLOCK || (h->depth > 0 && (l == LINE || in_block(h))))
        put(h, "\n", 1);
}

/* Ends a start tag still open for attributes. */
static void finish_tag(struct web_html *h)
{
    if (!h->in_tag)
        return;
    h->in_tag = false;
    put(h, ">", 1);
    enum layout l = elements[h->tag].layout;
    if (l == VOID)
        break_after(h, h->tag);
    else if (l == BLOCK)
        put(h, "\n", 1);
}

void web_html_doctype(struct web_html *h)
{
    if (h->depth || h->in_tag)
        h->failed = true;
    puts_(h, "<!doctype html>\n");
}

void web_html_open(struct web_html *h, enum web_el e)
{
    finish_tag(h);
    if (h->failed)
        return;
    if ((unsigned)e >= WEB_EL__COUNT) {
        h->failed = true;
        return;
    }
    if (elements[e].layout != VOID) {
        if (h->depth == WEB_HTML_DEPTH) {
            h->failed = true;
            return;
        }
        h->stack[h->depth++] = e;
    }
    put(h, "<", 1);
    puts_(h, elements[e].name);
    h->in_tag = true;
    h->tag = e;
}

void web_html_close(struct web_html *h, enum web_el e)
{
    if (h->failed)
        return;
    if (h->depth == 0 || h->stack[h->depth - 1] != e) {
        h->failed = true; /* the markup would not nest: a mistake of the calling code */
        return;
    }
    if (h->in_tag && h->tag == e && elements[e].layout == SVG) {
        h->in_tag = false;
        put(h, "/>", 2);
    } else {
        finish_tag(h);
        put(h, "</", 2);
        puts_(h, elements[e].name);
        put(h, ">", 1);
    }
    h->depth--;
    break_after(h, e);
}

size_t web_html_depth(const struct web_html *h)
{
    return h->depth;
}

void web_html_close_to(struct web_html *h, size_t depth)
{
    while (!h->failed && h->depth > depth)
        web_html_close(h, h->stack[h->depth - 1]);
}

/* An attribute's name: a literal of the code, still held to [a-z][a-zA-Z0-9:-]* (SVG has
 * viewBox). */
static bool name_ok(const char *name)
{
    size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-");
    return name[0] >= 'a' && name[0] <= 'z' && name[n] == '\0';
}

static bool attr_start(struct web_html *h, const char *name)
{
    if (h->failed)
        return false;
    if (!h->in_tag || !name_ok(name)) {
        h->failed = true; /* an attribute outside a start tag, or a name that is not one */
        return false;
    }
    put(h, " ", 1);
    puts_(h, name);
    return true;
}

void web_html_attr_(struct web_html *h, const char *name, const char *value)
{
    if (!value || !attr_start(h, name))
        return;
    put(h, "=\"", 2);
    if (!h->failed && web_html_escape_str(h->b, value) < 0)
        h->failed = true;
    put(h, "\"", 1);
}

void web_html_attr_int_(struct web_html *h, const char *name, long long value)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", value);
    web_html_attr_(h, name, num);
}

void web_html_flag_(struct web_html *h, const char *name)
{
    (void)attr_start(h, name);
}

static bool web_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Text, with a space between two digits written as a no-break space: a number written in
 * groups ("444 5 576", "0532 123 45 67", a date and its time) never breaks across lines on a
 * narrow screen. Not inside a textarea, whose text is a form's value sent back as typed. */
void web_html_textn(struct web_html *h, const char *s, size_t n)
{
    finish_tag(h);
    if (h->failed || !s)
        return;
    bool keep = h->depth > 0 && h->stack[h->depth - 1] == WEB_EL_TEXTAREA;
    size_t from = 0;
    for (size_t i = 1; !keep && i + 1 < n; i++) {
        if (s[i] != ' ' || !web_digit(s[i - 1]) || !web_digit(s[i + 1]))
            continue;
        if (web_html_escape(h->b, s + from, i - from) < 0 || ubuf_puts(h->b, "&#160;") < 0) {
            h->failed = true;
            return;
        }
        from = i + 1;
    }
    if (web_html_escape(h->b, s + from, n - from) < 0)
        h->failed = true;
}

void web_html_text(struct web_html *h, const char *s)
{
    if (s)
        web_html_textn(h, s, strlen(s));
    else
        finish_tag(h);
}

void web_html_int(struct web_html *h, long long v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", v);
    web_html_textn(h, num, (size_t)n);
}
