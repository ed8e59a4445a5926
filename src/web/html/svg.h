/* eimza — small server-rendered SVG charts for the approvers' dashboard (web/html/).
 *
 * The pictures are written into the page as inline <svg> elements: no script, no style
 * attribute and no <style> element (the CSP has no 'unsafe-inline'), only SVG presentation
 * attributes (fill=, font-size=, text-anchor=). Each chart is an image for assistive
 * technology (role="img" aria-labelledby=... naming its <title> and <desc>) and its <desc>
 * spells the data out in text ("Onay bekliyor: 12 başvuru; ..."), so a screen reader gets
 * the numbers, not a picture; every bar has its own <title> (a tooltip too). Everything is
 * written through the element writer (web/html/html.h). The output is deterministic (integer
 * arithmetic only): the same data give the same bytes, so tests can compare them.
 *
 * Each writes one <svg> element with the writer h and returns 0, or -1 for bad arguments, a
 * full buffer or no memory; on -1 the buffer and the writer's open elements are left as they
 * were before the call (a write that failed leaves the writer failed, and the page with it).
 */
#ifndef EIMZA_WEB_HTML_SVG_H
#define EIMZA_WEB_HTML_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "util/buf.h"
#include "web/html/html.h"

#define WEB_SVG_ID_MAX    48            /* bytes of a chart id */
#define WEB_SVG_VALUE_MAX 1000000000000 /* the largest value drawn (10^12) */
#define WEB_SVG_WIDTH     640           /* the viewBox width of every chart */

struct web_svg_item {
    const char *label; /* UTF-8, escaped on output */
    long long value;   /* 0 .. WEB_SVG_VALUE_MAX */
};

struct web_svg_chart {
    const char *id;    /* unique in the page: a letter, then letters, digits, '-' or '_';
                          the <title> and <desc> get ids ID-title and ID-desc */
    const char *title; /* the chart's name, e.g. "Durumlarına göre başvurular" */
    const char *unit;  /* written after each number in the texts ("başvuru"); NULL: none */
    const char *empty; /* written when there are no items, e.g. "Veri yok"; NULL: "-" */
    const struct web_svg_item *items;
    size_t n; /* 0 .. 64 */
};

/* Horizontal bars: one row per item, the label on the left, the bar's length proportional
 * to its value (the greatest value spans the whole bar area; a non-zero value is at least
 * 1 unit long so it stays visible; all zero: no bar has length), the number after the bar. */
int web_svg_bar_chart(struct web_html *h, const struct web_svg_chart *c);

/* Columns: one column per item from left to right, the label below, the number above, the
 * height proportional to the value as for the bars. Meant for histograms (waiting times). */
int web_svg_column_chart(struct web_html *h, const struct web_svg_chart *c);

/* The QR code of text (app_qr_path: libqrencode, error correction M) as an inline SVG: one path
 * of black modules on a white square with a 4-module quiet zone, `size` units wide, role="img"
 * with the given aria-label. No style or script, so the page's CSP allows it (a data: URI image
 * would need img-src data:). For the TOTP enrolment (its otpauth URI). */
int web_svg_qr(struct web_html *h, const char *text, int size, const char *label);

/* ---- waiting times ----------------------------------------------------------------------------
 * The buckets of the waiting-time histogram: < 1 day, 1-3 days, 3-7, 7-15, >= 15. A bucket
 * holds its lower bound: exactly 3 days falls in 3-7. */
#define WEB_SVG_WAIT_BUCKETS 5
/* The bucket of a waiting time in seconds (a negative time counts as 0). */
size_t web_svg_wait_bucket(int64_t seconds);
/* The bucket's label ("1 günden az", "1–3 gün", ..., "15 gün ve üzeri"; English too); NULL for
 * a bucket past the last. */
const char *web_svg_wait_label(size_t bucket, enum core_lang lang);

#endif
