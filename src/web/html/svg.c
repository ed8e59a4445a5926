/* eimza — server-rendered SVG (web/html/; see svg.h): the charts and the enrolment's QR code,
 * written through the element writer.
 *
 * Geometry is in whole viewBox units and every length is computed with integer arithmetic,
 * so the output is byte-for-byte the same on every machine. Colours pass WCAG contrast on a
 * white background: bars #1d4ed8, text #1f2937, the empty note #4b5563.
 */
#include "web/html/svg.h"

#include <stdio.h>
#include <string.h>

#include "app/staff_auth.h"
#include "app/text.h"
#include "web/html/escape.h"

#define ITEMS_MAX 64
#define FG        "#1f2937"
#define BAR_FILL  "#1d4ed8"
#define MUTED     "#4b5563"
#define AXIS      "#6b7280"
#define EMPTY_H   48 /* the height of a chart with no items */

/* bar chart */
#define BAR_PAD  8
#define BAR_ROW  28
#define BAR_H    18
#define BAR_X    220 /* labels end 8 units left of it */
#define BAR_FULL 340 /* the greatest value's length; room for its number after it */

/* column chart */
#define COL_H      240
#define COL_SIDE   16
#define COL_AXIS_Y 196
#define COL_FULL   160 /* the greatest value's height; room for its number above it */

static int id_ok(const char *id)
{
    size_t n;
    if (!id || !((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
        return 0;
    n = strlen(id);
    if (n > WEB_SVG_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* Checks the arguments and finds the greatest value. */
static int chart_ok(const struct web_svg_chart *c, long long *max)
{
    *max = 0;
    if (!c || !id_ok(c->id) || !c->title || c->n > ITEMS_MAX || (c->n > 0 && !c->items))
        return 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct web_svg_item *it = &c->items[i];
        if (!it->label || it->value < 0 || it->value > WEB_SVG_VALUE_MAX)
            return 0;
        if (it->value > *max)
            *max = it->value;
    }
    return 1;
}

/* value's share of full, rounded to the nearest unit; at least 1 for a non-zero value.
 * value and max are at most 10^12 and full a few hundred: no overflow in 64 bits. */
static long long scale(long long value, long long max, long long full)
{
    if (max <= 0 || value <= 0)
        return 0;
    long long v = (value * full * 2 + max) / (max * 2);
    return v > 0 ? v : 1;
}

/* "LABEL: VALUE UNIT" as text. */
static void put_item_text(struct web_html *h, const struct web_svg_chart *c,
                          const struct web_svg_item *it)
{
    char num[32];
    snprintf(num, sizeof num, ": %lld", it->value);
    web_html_text(h, it->label);
    web_html_text(h, num);
    if (c->unit && *c->unit) {
        web_html_text(h, " ");
        web_html_text(h, c->unit);
    }
}

static const char *empty_text(const struct web_svg_chart *c)
{
    return c->empty ? c->empty : "-";
}

/* "ID-SUFFIX" into out. */
static const char *id_of(char out[WEB_SVG_ID_MAX + 16], const char *id, const char *suffix)
{
    snprintf(out, WEB_SVG_ID_MAX + 16, "%s%s", id, suffix);
    return out;
}

/* The root element (left open), <title> and <desc> (the data in words). */
static void put_head(struct web_html *h, const struct web_svg_chart *c, int height)
{
    char a[WEB_SVG_ID_MAX + 16], labelled[2 * WEB_SVG_ID_MAX + 16];
    snprintf(labelled, sizeof labelled, "%s-title %s-desc", c->id, c->id);
    char box[32];
    snprintf(box, sizeof box, "0 0 %d %d", WEB_SVG_WIDTH, height);
    web_html_open(h, WEB_EL_SVG);
    web_html_attr(h, "xmlns", "http://www.w3.org/2000/svg");
    web_html_attr(h, "role", "img");
    web_html_attr(h, "aria-labelledby", labelled);
    web_html_attr(h, "viewBox", box);
    web_html_attr_int(h, "width", WEB_SVG_WIDTH);
    web_html_attr_int(h, "height", height);
    web_html_attr(h, "font-family", "sans-serif");
    web_html_attr(h, "font-size", "13");
    web_html_open(h, WEB_EL_SVG_TITLE);
    web_html_attr(h, "id", id_of(a, c->id, "-title"));
    web_html_text(h, c->title);
    web_html_close(h, WEB_EL_SVG_TITLE);
    web_html_open(h, WEB_EL_DESC);
    web_html_attr(h, "id", id_of(a, c->id, "-desc"));
    if (c->n == 0)
        web_html_text(h, empty_text(c));
    for (size_t i = 0; i < c->n; i++) {
        if (i > 0)
            web_html_text(h, "; ");
        put_item_text(h, c, &c->items[i]);
    }
    if (c->n > 0)
        web_html_text(h, ".");
    web_html_close(h, WEB_EL_DESC);
}

/* <text x y [text-anchor] fill>...: a label (the number when label is NULL). */
static void put_text(struct web_html *h, long long x, long long y, const char *anchor,
                     const char *fill, const char *label, long long number)
{
    web_html_open(h, WEB_EL_TEXT);
    web_html_attr_int(h, "x", x);
    web_html_attr_int(h, "y", y);
    web_html_attr(h, "text-anchor", anchor);
    web_html_attr(h, "fill", fill);
    if (label)
        web_html_text(h, label);
    else
        web_html_int(h, number);
    web_html_close(h, WEB_EL_TEXT);
}

static void put_empty_note(struct web_html *h, const struct web_svg_chart *c)
{
    put_text(h, WEB_SVG_WIDTH / 2, EMPTY_H / 2 + 5, "middle", MUTED, empty_text(c), 0);
}

/* A bar or column with its own tooltip. */
static void put_rect(struct web_html *h, const struct web_svg_chart *c,
                     const struct web_svg_item *it, long long x, long long y, long long w,
                     long long height)
{
    web_html_open(h, WEB_EL_RECT);
    web_html_attr_int(h, "x", x);
    web_html_attr_int(h, "y", y);
    web_html_attr_int(h, "width", w);
    web_html_attr_int(h, "height", height);
    web_html_attr(h, "fill", BAR_FILL);
    web_html_open(h, WEB_EL_SVG_TITLE);
    put_item_text(h, c, it);
    web_html_close(h, WEB_EL_SVG_TITLE);
    web_html_close(h, WEB_EL_RECT);
}

/* Where a chart began, to leave the writer as it was when a write fails. */
struct mark {
    size_t len, depth;
};

static struct mark mark_of(const struct web_html *h)
{
    return (struct mark){h->b->len, web_html_depth(h)};
}

/* 0 when the chart was written; else -1 with the buffer and the writer's open elements as
 * they were (the writer stays failed: a page holding the chart fails with it). */
static int finish(struct web_html *h, struct mark m)
{
    if (!web_html_failed(h))
        return 0;
    h->depth = m.depth;
    h->in_tag = false;
    if (h->b->p) {
        h->b->len = m.len;
        h->b->p[m.len] = '\0';
    }
    return -1;
}

int web_svg_bar_chart(struct web_html *h, const struct web_svg_chart *c)
{
    const struct mark m = mark_of(h);
    long long max;

    if (web_html_failed(h) || !chart_ok(c, &max))
        return -1;
    int height = c->n == 0 ? EMPTY_H : BAR_PAD * 2 + (int)c->n * BAR_ROW;
    put_head(h, c, height);
    if (c->n == 0)
        put_empty_note(h, c);
    for (size_t i = 0; i < c->n; i++) {
        const struct web_svg_item *it = &c->items[i];
        long long y0 = BAR_PAD + (long long)i * BAR_ROW;
        long long w = scale(it->value, max, BAR_FULL);
        long long base = y0 + (BAR_ROW + BAR_H) / 2 - 4; /* text baseline inside the bar */
        put_text(h, BAR_X - 8, base, "end", FG, it->label, 0);
        put_rect(h, c, it, BAR_X, y0 + (BAR_ROW - BAR_H) / 2, w, BAR_H);
        put_text(h, BAR_X + w + 6, base, NULL, FG, NULL, it->value);
    }
    web_html_close(h, WEB_EL_SVG);
    return finish(h, m);
}

int web_svg_column_chart(struct web_html *h, const struct web_svg_chart *c)
{
    const struct mark m = mark_of(h);
    long long max;

    if (web_html_failed(h) || !chart_ok(c, &max))
        return -1;
    if (c->n == 0) {
        put_head(h, c, EMPTY_H);
        put_empty_note(h, c);
        web_html_close(h, WEB_EL_SVG);
        return finish(h, m);
    }
    long long slot = (WEB_SVG_WIDTH - 2 * COL_SIDE) / (long long)c->n;
    long long colw = slot - slot / 4;
    put_head(h, c, COL_H);
    web_html_open(h, WEB_EL_LINE);
    web_html_attr_int(h, "x1", COL_SIDE);
    web_html_attr_int(h, "y1", COL_AXIS_Y);
    web_html_attr_int(h, "x2", WEB_SVG_WIDTH - COL_SIDE);
    web_html_attr_int(h, "y2", COL_AXIS_Y);
    web_html_attr(h, "stroke", AXIS);
    web_html_attr(h, "stroke-width", "1");
    web_html_close(h, WEB_EL_LINE);
    for (size_t i = 0; i < c->n; i++) {
        const struct web_svg_item *it = &c->items[i];
        long long left = COL_SIDE + (long long)i * slot;
        long long mid = left + slot / 2;
        long long height = scale(it->value, max, COL_FULL);
        put_rect(h, c, it, left + (slot - colw) / 2, COL_AXIS_Y - height, colw, height);
        put_text(h, mid, COL_AXIS_Y - height - 6, "middle", FG, NULL, it->value);
        put_text(h, mid, COL_AXIS_Y + 20, "middle", FG, it->label, 0);
    }
    web_html_close(h, WEB_EL_SVG);
    return finish(h, m);
}

/* ---- the QR code ---------------------------------------------------------------------------- */

int web_svg_qr(struct web_html *h, const char *text, int size, const char *label)
{
    const struct mark m = mark_of(h);
    struct ubuf d = UBUF_INIT(64 * 1024);
    char box[32];
    int full;
    if (web_html_failed(h) || size < 1 || size > 4096 || !label ||
        !web_utf8_valid(label, strlen(label)) || app_qr_path(text, &d, &full) < 0) {
        ubuf_free(&d);
        return -1;
    }
    snprintf(box, sizeof box, "0 0 %d %d", full, full);
    web_html_open(h, WEB_EL_SVG);
    web_html_attr(h, "xmlns", "http://www.w3.org/2000/svg");
    web_html_attr(h, "role", "img");
    web_html_attr(h, "aria-label", label);
    web_html_attr(h, "viewBox", box);
    web_html_attr_int(h, "width", size);
    web_html_attr_int(h, "height", size);
    web_html_attr(h, "shape-rendering", "crispEdges");
    web_html_open(h, WEB_EL_RECT);
    web_html_attr_int(h, "width", full);
    web_html_attr_int(h, "height", full);
    web_html_attr(h, "fill", "#ffffff");
    web_html_close(h, WEB_EL_RECT);
    web_html_open(h, WEB_EL_PATH);
    web_html_attr(h, "fill", "#000000");
    web_html_attr(h, "d", ubuf_str(&d));
    web_html_close(h, WEB_EL_PATH);
    web_html_close(h, WEB_EL_SVG);
    ubuf_free(&d);
    return finish(h, m);
}

/* ---- waiting times ------------------------------------------------------------------------ */

/* The groups of waiting times; their labels are the catalogue's "chart.<name>" (po/). */
static const struct {
    int64_t below_days; /* the bucket holds waits shorter than this; 0: no upper bound */
    const char *name;
} wait_buckets[WEB_SVG_WAIT_BUCKETS] = {
    {1, "wait_under_1"}, {3, "wait_1_3"}, {7, "wait_3_7"}, {15, "wait_7_15"}, {0, "wait_15_more"},
};

size_t web_svg_wait_bucket(int64_t seconds)
{
    for (size_t i = 0; i + 1 < WEB_SVG_WAIT_BUCKETS; i++)
        if (seconds < wait_buckets[i].below_days * 86400)
            return i;
    return WEB_SVG_WAIT_BUCKETS - 1;
}

const char *web_svg_wait_label(size_t bucket, enum core_lang lang)
{
    if (bucket >= WEB_SVG_WAIT_BUCKETS)
        return NULL;
    const char *t = app_text_of("chart", wait_buckets[bucket].name, lang);
    return t ? t : "";
}
