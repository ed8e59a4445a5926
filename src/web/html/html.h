/* eimza — the element writer (web/html/): every piece of markup the server sends is written
 * through it, element by element, so a page cannot be left unbalanced and no value can become
 * markup.
 *
 * The model is kcgi's khtml: elements are named by an enum (web_el), never by text, so only
 * the names in the table below can be written; the writer keeps the stack of open elements,
 * and web_html_close() must name the innermost one (anything else fails the document), so
 * closing is structural; attributes and text go through the escaper (web/html/escape.h), so a
 * value is always a value. Attribute names are string literals of the code (the macros make
 * any other argument a compile error) and are checked against [a-z][a-zA-Z0-9:-]*.
 *
 * A start tag is finished lazily: after web_html_open() attributes may follow until the first
 * text, child or close. Void elements (input, img, meta, link, br) close themselves with
 * their start tag; an SVG element closed with nothing in it is written "<x .../>".
 *
 * Line breaks are the writer's too, from each element's layout, so the markup reads well and
 * is the same wherever an element is written: a block (div, section, form, ul, table, ...)
 * has a line break after its start tag and after its end tag; a line (p, h1, li, label, td,
 * ...) after its end tag; an inline element (a, span, button, img, input, svg, ...) after its
 * end tag when it sits directly in a block, never inside a line. Outside any element (a
 * fragment: a chart, a snippet) only a block ends its line.
 *
 * Errors are sticky: a write that fails (the buffer's cap, memory, a close that does not match,
 * more than WEB_HTML_DEPTH open elements, a bad attribute name) marks the writer failed and
 * later writes do nothing, so a document is written straight through and checked once.
 */
#ifndef EIMZA_WEB_HTML_HTML_H
#define EIMZA_WEB_HTML_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* The elements the server writes. */
enum web_el {
    /* the document */
    WEB_EL_HTML,
    WEB_EL_HEAD,
    WEB_EL_TITLE,
    WEB_EL_META,
    WEB_EL_LINK,
    WEB_EL_SCRIPT,
    WEB_EL_NOSCRIPT,
    WEB_EL_BODY,
    WEB_EL_HEADER,
    WEB_EL_FOOTER,
    WEB_EL_MAIN,
    WEB_EL_NAV,
    WEB_EL_SECTION,
    WEB_EL_DIV,
    WEB_EL_FIGURE,
    WEB_EL_FIGCAPTION,
    WEB_EL_DETAILS,
    WEB_EL_SUMMARY,
    WEB_EL_DIALOG,
    /* text */
    WEB_EL_H1,
    WEB_EL_H2,
    WEB_EL_H3,
    WEB_EL_P,
    WEB_EL_PRE,
    WEB_EL_CODE,
    WEB_EL_A,
    WEB_EL_SPAN,
    WEB_EL_STRONG,
    WEB_EL_SMALL,
    WEB_EL_TIME,
    WEB_EL_BR,
    WEB_EL_IMG,
    /* lists and tables */
    WEB_EL_UL,
    WEB_EL_OL,
    WEB_EL_LI,
    WEB_EL_DL,
    WEB_EL_DT,
    WEB_EL_DD,
    WEB_EL_TABLE,
    WEB_EL_CAPTION,
    WEB_EL_THEAD,
    WEB_EL_TBODY,
    WEB_EL_TR,
    WEB_EL_TH,
    WEB_EL_TD,
    /* forms */
    WEB_EL_FORM,
    WEB_EL_FIELDSET,
    WEB_EL_LEGEND,
    WEB_EL_LABEL,
    WEB_EL_INPUT,
    WEB_EL_SELECT,
    WEB_EL_OPTION,
    WEB_EL_TEXTAREA,
    WEB_EL_BUTTON,
    WEB_EL_PROGRESS, /* the personnel import's upload (issue 17) */
    /* inline SVG (charts, the enrolment's QR code) */
    WEB_EL_SVG,
    WEB_EL_SVG_TITLE, /* <title> inside <svg> */
    WEB_EL_DESC,
    WEB_EL_RECT,
    WEB_EL_LINE,
    WEB_EL_PATH,
    WEB_EL_TEXT,
    WEB_EL__COUNT
};

#define WEB_HTML_DEPTH 32 /* open elements at most */

struct web_html {
    struct ubuf *b; /* where the markup goes; the caller's */
    bool failed;
    bool in_tag;     /* a start tag is open: attributes may follow */
    enum web_el tag; /* the element of that start tag */
    size_t depth;    /* open elements */
    enum web_el stack[WEB_HTML_DEPTH];
};

/* Starts a writer appending to b (which must outlive it). */
void web_html_init(struct web_html *h, struct ubuf *b);
/* True once a write failed. */
bool web_html_failed(const struct web_html *h);
/* Marks the document failed (a component used wrongly). */
void web_html_fail(struct web_html *h);
/* True when nothing is left open and nothing failed. */
bool web_html_complete(const struct web_html *h);

/* "<!doctype html>" and its line break. */
void web_html_doctype(struct web_html *h);
/* Opens element e (a void element is closed by its start tag). */
void web_html_open(struct web_html *h, enum web_el e);
/* Closes the innermost open element, which must be e. */
void web_html_close(struct web_html *h, enum web_el e);
/* The number of open elements, and closing every element opened since depth was it. */
size_t web_html_depth(const struct web_html *h);
void web_html_close_to(struct web_html *h, size_t depth);

/* An attribute ` name="value"` of the start tag just opened, the value escaped; NULL writes
 * nothing. A boolean attribute (` hidden`, ` selected`, ` download`) with web_html_flag. */
#define web_html_attr(h, name, value) web_html_attr_((h), "" name "", (value))
void web_html_attr_(struct web_html *h, const char *name, const char *value);
#define web_html_attr_int(h, name, value) web_html_attr_int_((h), "" name "", (value))
void web_html_attr_int_(struct web_html *h, const char *name, long long value);
#define web_html_flag(h, name) web_html_flag_((h), "" name "")
void web_html_flag_(struct web_html *h, const char *name);

/* Text, escaped (NULL writes nothing); a number. */
void web_html_text(struct web_html *h, const char *s);
void web_html_textn(struct web_html *h, const char *s, size_t n);
void web_html_int(struct web_html *h, long long v);

#endif
