/* eimza — server-rendered SVG charts (see svg.h).
 *
 * Geometry is in whole viewBox units and every length is computed with integer arithmetic,
 * so the output is byte-for-byte the same on every machine. Colours pass WCAG contrast on a
 * white background: bars #1d4ed8, text #1f2937, the empty note #4b5563.
 */
#include "web/html/svg.h"

#include <string.h>

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

/* "LABEL: VALUE UNIT", escaped. */
static int put_item_text(struct ubuf *b, const struct web_svg_chart *c,
                         const struct web_svg_item *it)
{
    if (web_html_escape_str(b, it->label) < 0 || ubuf_printf(b, ": %lld", it->value) < 0)
        return -1;
    if (c->unit && *c->unit && (ubuf_putc(b, ' ') < 0 || web_html_escape_str(b, c->unit) < 0))
        return -1;
    return 0;
}

static const char *empty_text(const struct web_svg_chart *c)
{
    return c->empty ? c->empty : "-";
}

/* The root element, <title> and <desc> (the data in words). */
static int put_head(struct ubuf *b, const struct web_svg_chart *c, int height)
{
    if (ubuf_printf(b,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                    "aria-labelledby=\"%s-title %s-desc\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                    "height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">"
                    "<title id=\"%s-title\">",
                    c->id, c->id, WEB_SVG_WIDTH, height, WEB_SVG_WIDTH, height, c->id) < 0 ||
        web_html_escape_str(b, c->title) < 0 ||
        ubuf_printf(b, "</title><desc id=\"%s-desc\">", c->id) < 0)
        return -1;
    if (c->n == 0) {
        if (web_html_escape_str(b, empty_text(c)) < 0)
            return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        if ((i > 0 && ubuf_puts(b, "; ") < 0) || put_item_text(b, c, &c->items[i]) < 0)
            return -1;
    }
    if (c->n > 0 && ubuf_putc(b, '.') < 0)
        return -1;
    return ubuf_puts(b, "</desc>");
}

static int put_empty_note(struct ubuf *b, const struct web_svg_chart *c)
{
    if (ubuf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"" MUTED "\">",
                    WEB_SVG_WIDTH / 2, EMPTY_H / 2 + 5) < 0 ||
        web_html_escape_str(b, empty_text(c)) < 0 || ubuf_puts(b, "</text>") < 0)
        return -1;
    return 0;
}

/* A bar or column with its own tooltip. */
static int put_rect(struct ubuf *b, const struct web_svg_chart *c, const struct web_svg_item *it,
                    long long x, long long y, long long w, long long h)
{
    if (ubuf_printf(b,
                    "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" "
                    "fill=\"" BAR_FILL "\"><title>",
                    x, y, w, h) < 0 ||
        put_item_text(b, c, it) < 0 || ubuf_puts(b, "</title></rect>") < 0)
        return -1;
    return 0;
}

static void restore(struct ubuf *b, size_t len)
{
    if (b->p) {
        b->len = len;
        b->p[len] = '\0';
    }
}

int web_svg_bar_chart(struct ubuf *b, const struct web_svg_chart *c)
{
    const size_t before = b->len;
    long long max;

    if (!chart_ok(c, &max))
        return -1;
    int height = c->n == 0 ? EMPTY_H : BAR_PAD * 2 + (int)c->n * BAR_ROW;
    if (put_head(b, c, height) < 0)
        goto fail;
    if (c->n == 0 && put_empty_note(b, c) < 0)
        goto fail;
    for (size_t i = 0; i < c->n; i++) {
        const struct web_svg_item *it = &c->items[i];
        long long y0 = BAR_PAD + (long long)i * BAR_ROW;
        long long w = scale(it->value, max, BAR_FULL);
        long long base = y0 + (BAR_ROW + BAR_H) / 2 - 4; /* text baseline inside the bar */
        if (ubuf_printf(b, "<text x=\"%d\" y=\"%lld\" text-anchor=\"end\" fill=\"" FG "\">",
                        BAR_X - 8, base) < 0 ||
            web_html_escape_str(b, it->label) < 0 || ubuf_puts(b, "</text>") < 0 ||
            put_rect(b, c, it, BAR_X, y0 + (BAR_ROW - BAR_H) / 2, w, BAR_H) < 0 ||
            ubuf_printf(b, "<text x=\"%lld\" y=\"%lld\" fill=\"" FG "\">%lld</text>", BAR_X + w + 6,
                        base, it->value) < 0)
            goto fail;
    }
    if (ubuf_puts(b, "</svg>") < 0)
        goto fail;
    return 0;
fail:
    restore(b, before);
    return -1;
}

int web_svg_column_chart(struct ubuf *b, const struct web_svg_chart *c)
{
    const size_t before = b->len;
    long long max;

    if (!chart_ok(c, &max))
        return -1;
    if (c->n == 0) {
        if (put_head(b, c, EMPTY_H) < 0 || put_empty_note(b, c) < 0 || ubuf_puts(b, "</svg>") < 0)
            goto fail;
        return 0;
    }
    long long slot = (WEB_SVG_WIDTH - 2 * COL_SIDE) / (long long)c->n;
    long long colw = slot - slot / 4;
    if (put_head(b, c, COL_H) < 0 ||
        ubuf_printf(b,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" AXIS
                    "\" stroke-width=\"1\"/>",
                    COL_SIDE, COL_AXIS_Y, WEB_SVG_WIDTH - COL_SIDE, COL_AXIS_Y) < 0)
        goto fail;
    for (size_t i = 0; i < c->n; i++) {
        const struct web_svg_item *it = &c->items[i];
        long long left = COL_SIDE + (long long)i * slot;
        long long mid = left + slot / 2;
        long long h = scale(it->value, max, COL_FULL);
        if (put_rect(b, c, it, left + (slot - colw) / 2, COL_AXIS_Y - h, colw, h) < 0 ||
            ubuf_printf(
                b, "<text x=\"%lld\" y=\"%lld\" text-anchor=\"middle\" fill=\"" FG "\">%lld</text>",
                mid, COL_AXIS_Y - h - 6, it->value) < 0 ||
            ubuf_printf(b, "<text x=\"%lld\" y=\"%d\" text-anchor=\"middle\" fill=\"" FG "\">", mid,
                        COL_AXIS_Y + 20) < 0 ||
            web_html_escape_str(b, it->label) < 0 || ubuf_puts(b, "</text>") < 0)
            goto fail;
    }
    if (ubuf_puts(b, "</svg>") < 0)
        goto fail;
    return 0;
fail:
    restore(b, before);
    return -1;
}

/* ---- waiting times ------------------------------------------------------------------------ */

static const struct {
    int64_t below_days; /* the bucket holds waits shorter than this; 0: no upper bound */
    const char *tr, *en;
} wait_buckets[WEB_SVG_WAIT_BUCKETS] = {
    {1, "1 günden az", "under 1 day"},
    {3, "1–3 gün", "1–3 days"},
    {7, "3–7 gün", "3–7 days"},
    {15, "7–15 gün", "7–15 days"},
    {0, "15 gün ve üzeri", "15 days or more"},
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
    return lang == CORE_LANG_EN ? wait_buckets[bucket].en : wait_buckets[bucket].tr;
}
