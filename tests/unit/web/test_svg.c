/* Unit tests for web/html/svg.h: the charts are well-formed XML (checked by a small parser here:
 * balanced tags, quoted attributes, only the five XML entities and numeric references),
 * hostile labels are escaped, nothing the CSP would block appears (style=, on*=, <script>),
 * lengths are proportional, empty and all-zero data draw, bad arguments and a full buffer
 * leave the buffer as it was, and the waiting-time buckets have the right edges. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/html/escape.h"
#include "web/html/svg.h"

/* ---- a tiny XML checker ------------------------------------------------------------------ */

static int entity_ok(const char *p)
{
    static const char *named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++)
        if (strncmp(p, named[i], strlen(named[i])) == 0)
            return 1;
    if (p[1] != '#')
        return 0;
    p += 2;
    int hex = (*p == 'x');
    p += hex;
    const char *start = p;
    while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
        p++;
    return p > start && *p == ';';
}

static int name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == ':' || c == '_';
}

/* Returns NULL when s is one well-formed element with no forbidden markup, else what is
 * wrong. */
static const char *xml_check(const char *s)
{
    char stack[32][32];
    int depth = 0, roots = 0;
    const char *p = s;

    if (!web_utf8_valid(s, strlen(s)))
        return "not UTF-8";
    while (*p) {
        if (*p == '&') {
            if (!entity_ok(p))
                return "bad entity in text";
            p++;
            continue;
        }
        if (*p != '<') {
            if (depth == 0 && !isspace((unsigned char)*p))
                return "text outside the root";
            p++;
            continue;
        }
        p++;
        if (*p == '/') {
            const char *n = ++p;
            while (name_char(*p))
                p++;
            size_t len = (size_t)(p - n);
            if (*p != '>' || depth == 0 || len != strlen(stack[depth - 1]) ||
                strncmp(n, stack[depth - 1], len) != 0)
                return "unbalanced end tag";
            depth--;
            p++;
            continue;
        }
        const char *n = p;
        while (name_char(*p))
            p++;
        size_t len = (size_t)(p - n);
        if (len == 0 || len >= 32)
            return "bad tag name";
        if (len == 6 && strncmp(n, "script", 6) == 0)
            return "script element";
        if (len == 5 && strncmp(n, "style", 5) == 0)
            return "style element";
        if (depth == 0 && roots++ > 0)
            return "two roots";
        for (;;) {
            while (*p == ' ')
                p++;
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            const char *an = p;
            while (name_char(*p))
                p++;
            size_t alen = (size_t)(p - an);
            if (alen == 0)
                return "bad attribute name";
            if ((alen == 5 && strncmp(an, "style", 5) == 0) ||
                (alen > 2 && strncmp(an, "on", 2) == 0))
                return "style or event attribute";
            if (p[0] != '=' || p[1] != '"')
                return "unquoted attribute";
            p += 2;
            while (*p && *p != '"') {
                if (*p == '<')
                    return "< in attribute";
                if (*p == '&' && !entity_ok(p))
                    return "bad entity in attribute";
                p++;
            }
            if (*p != '"')
                return "unterminated attribute";
            p++;
            if (*p != ' ' && *p != '>' && *p != '/')
                return "attributes run together";
        }
        if (*p == '/') {
            p += 2;
            continue;
        }
        if (depth == 32)
            return "too deep";
        memcpy(stack[depth], n, len);
        stack[depth][len] = '\0';
        depth++;
        p++;
    }
    if (depth != 0)
        return "unclosed element";
    if (roots != 1)
        return "not one root";
    return NULL;
}

static void assert_xml_ok(const char *s)
{
    const char *why = xml_check(s);
    if (why)
        fail_msg("%s in: %s", why, s);
}

/* The checker itself must refuse broken documents, or the tests above prove nothing. */
static void test_checker(void **state)
{
    (void)state;
    assert_null(xml_check("<svg a=\"1\"><g><title>x &amp; y</title></g><line/></svg>"));
    assert_non_null(xml_check("<svg><g></svg>"));
    assert_non_null(xml_check("<svg></g>"));
    assert_non_null(xml_check("<svg a=1></svg>"));
    assert_non_null(xml_check("<svg>a & b</svg>"));
    assert_non_null(xml_check("<svg>&nbsp;</svg>"));
    assert_non_null(xml_check("<svg><script>x</script></svg>"));
    assert_non_null(xml_check("<svg style=\"x\"></svg>"));
    assert_non_null(xml_check("<svg onload=\"x\"></svg>"));
    assert_non_null(xml_check("<svg a=\"<\"></svg>"));
    assert_non_null(xml_check("<svg></svg><svg></svg>"));
    assert_non_null(xml_check("<svg a=\"1\"b=\"2\"></svg>"));
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* The values of attribute `attr` of every <rect>, in order; returns how many. */
static size_t rect_attrs(const char *s, const char *attr, long long *out, size_t max)
{
    char key[32];
    size_t n = 0;
    snprintf(key, sizeof key, " %s=\"", attr);
    for (const char *p = strstr(s, "<rect "); p && n < max; p = strstr(p + 1, "<rect ")) {
        const char *end = strchr(p, '>');
        const char *a = strstr(p, key);
        assert_non_null(a);
        assert_true(a < end);
        out[n++] = strtoll(a + strlen(key), NULL, 10);
    }
    return n;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The writers over a plain buffer: a writer of its own per call (a fragment). */
static int bar(struct ubuf *b, const struct web_svg_chart *c)
{
    struct web_html h;
    web_html_init(&h, b);
    return web_svg_bar_chart(&h, c);
}

static int col(struct ubuf *b, const struct web_svg_chart *c)
{
    struct web_html h;
    web_html_init(&h, b);
    return web_svg_column_chart(&h, c);
}

static int qr(struct ubuf *b, const char *text, int size, const char *label)
{
    struct web_html h;
    web_html_init(&h, b);
    return web_svg_qr(&h, text, size, label);
}

/* ---- bar chart ---------------------------------------------------------------------------- */

static void test_bar_golden(void **state)
{
    const struct web_svg_item items[] = {{"Onay bekliyor", 12}};
    const struct web_svg_chart c = {"st", "Başvurular", "başvuru", "Veri yok", items, 1};
    struct ubuf b = UBUF_INIT(8192);
    (void)state;
    assert_int_equal(bar(&b, &c), 0);
    assert_string_equal(
        ubuf_str(&b),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"st-title "
        "st-desc\" viewBox=\"0 0 640 44\" width=\"640\" height=\"44\" font-family=\"sans-serif\" "
        "font-size=\"13\"><title id=\"st-title\">Başvurular</title><desc id=\"st-desc\">Onay "
        "bekliyor: 12 başvuru.</desc><text x=\"212\" y=\"27\" text-anchor=\"end\" "
        "fill=\"#1f2937\">Onay bekliyor</text><rect x=\"220\" y=\"13\" width=\"340\" "
        "height=\"18\" fill=\"#1d4ed8\"><title>Onay bekliyor: 12 başvuru</title></rect><text "
        "x=\"566\" y=\"27\" fill=\"#1f2937\">12</text></svg>");
    assert_xml_ok(ubuf_str(&b));
    ubuf_free(&b);
}

static void test_bar_proportional(void **state)
{
    const struct web_svg_item items[] = {
        {"a", 10}, {"b", 5}, {"c", 0}, {"d", 1}, {"e", 3},
    };
    const struct web_svg_chart c = {"p", "t", NULL, NULL, items, 5};
    struct ubuf b = UBUF_INIT(16384);
    long long w[8];
    (void)state;
    assert_int_equal(bar(&b, &c), 0);
    assert_xml_ok(ubuf_str(&b));
    assert_int_equal(rect_attrs(ubuf_str(&b), "width", w, 8), 5);
    assert_int_equal(w[0], 340);
    assert_int_equal(w[1], 170);
    assert_int_equal(w[2], 0);
    assert_int_equal(w[3], 34);
    assert_int_equal(w[4], 102);
    /* Rows go down one by one. */
    long long y[8];
    assert_int_equal(rect_attrs(ubuf_str(&b), "y", y, 8), 5);
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(y[i] - y[i - 1], 28);
    /* No unit: the text is just the number. */
    assert_non_null(
        strstr(ubuf_str(&b), "<desc id=\"p-desc\">a: 10; b: 5; c: 0; d: 1; e: 3.</desc>"));
    ubuf_free(&b);

    /* A tiny value next to a huge one stays visible; the huge one spans the area. */
    const struct web_svg_item big[] = {{"x", WEB_SVG_VALUE_MAX}, {"y", 1}};
    const struct web_svg_chart c2 = {"p", "t", NULL, NULL, big, 2};
    struct ubuf b2 = UBUF_INIT(16384);
    assert_int_equal(bar(&b2, &c2), 0);
    assert_int_equal(rect_attrs(ubuf_str(&b2), "width", w, 8), 2);
    assert_int_equal(w[0], 340);
    assert_int_equal(w[1], 1);
    ubuf_free(&b2);
}

static void test_hostile_labels(void **state)
{
    const struct web_svg_item items[] = {
        {"<script>alert(1)</script>", 3},
        {"\" onload=\"alert(1)", 2},
        {"a & b ' </title></rect></svg><svg onload=x>", 1},
        {"bad \xff\xfe utf-8 \x01 ctl", 1},
    };
    const struct web_svg_chart c = {"h", "</title><script>x</script>", "<b>", "<i>", items, 4};
    struct ubuf b = UBUF_INIT(65536);
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        ubuf_reset(&b);
        assert_int_equal(kind ? col(&b, &c) : bar(&b, &c), 0);
        const char *s = ubuf_str(&b);
        assert_xml_ok(s);
        assert_null(strstr(s, "<script"));
        assert_null(strstr(s, "<b>"));
        assert_null(strstr(s, "onload=\""));
        assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_non_null(strstr(s, "&quot; onload=&quot;alert(1)"));
        assert_non_null(strstr(s, "a &amp; b &#39; &lt;/title&gt;"));
        assert_int_equal(count(s, "<svg"), 1);
        assert_int_equal(count(s, "</svg>"), 1);
    }
    ubuf_free(&b);
}

static void test_empty_and_zero(void **state)
{
    const struct web_svg_chart none = {"e", "Boş", "kişi", "Veri yok", NULL, 0};
    const struct web_svg_chart none_default = {"e", "Boş", NULL, NULL, NULL, 0};
    const struct web_svg_item zeros[] = {{"a", 0}, {"b", 0}, {"c", 0}};
    const struct web_svg_chart zero = {"z", "Sıfır", "kişi", "Veri yok", zeros, 3};
    struct ubuf b = UBUF_INIT(16384);
    long long w[4];
    (void)state;

    for (int kind = 0; kind < 2; kind++) {
        ubuf_reset(&b);
        assert_int_equal(kind ? col(&b, &none) : bar(&b, &none), 0);
        assert_xml_ok(ubuf_str(&b));
        assert_null(strstr(ubuf_str(&b), "<rect"));
        assert_non_null(strstr(ubuf_str(&b), "<desc id=\"e-desc\">Veri yok</desc>"));
        assert_int_equal(count(ubuf_str(&b), "Veri yok"), 2); /* said and drawn */

        ubuf_reset(&b);
        assert_int_equal(kind ? col(&b, &none_default) : bar(&b, &none_default), 0);
        assert_xml_ok(ubuf_str(&b));
        assert_non_null(strstr(ubuf_str(&b), "<desc id=\"e-desc\">-</desc>"));

        /* All zero: no division by zero, every length 0, the numbers still said. */
        ubuf_reset(&b);
        assert_int_equal(kind ? col(&b, &zero) : bar(&b, &zero), 0);
        assert_xml_ok(ubuf_str(&b));
        assert_int_equal(rect_attrs(ubuf_str(&b), kind ? "height" : "width", w, 4), 3);
        assert_int_equal(w[0] + w[1] + w[2], 0);
        assert_non_null(strstr(ubuf_str(&b), "a: 0 kişi; b: 0 kişi; c: 0 kişi."));
    }
    ubuf_free(&b);
}

static void test_bad_arguments(void **state)
{
    const struct web_svg_item ok[] = {{"a", 1}};
    const struct web_svg_item neg[] = {{"a", -1}};
    const struct web_svg_item huge[] = {{"a", WEB_SVG_VALUE_MAX + 1}};
    const struct web_svg_item nolabel[] = {{NULL, 1}};
    static struct web_svg_item many[65];
    char longid[WEB_SVG_ID_MAX + 2];
    struct ubuf b = UBUF_INIT(16384);
    (void)state;

    for (size_t i = 0; i < 65; i++)
        many[i] = (struct web_svg_item){"x", 1};
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    const struct web_svg_chart bad[] = {
        {NULL, "t", NULL, NULL, ok, 1},     {"", "t", NULL, NULL, ok, 1},
        {"1a", "t", NULL, NULL, ok, 1},     {"a b", "t", NULL, NULL, ok, 1},
        {"a\"", "t", NULL, NULL, ok, 1},    {"a<", "t", NULL, NULL, ok, 1},
        {longid, "t", NULL, NULL, ok, 1},   {"a", NULL, NULL, NULL, ok, 1},
        {"a", "t", NULL, NULL, neg, 1},     {"a", "t", NULL, NULL, huge, 1},
        {"a", "t", NULL, NULL, nolabel, 1}, {"a", "t", NULL, NULL, NULL, 1},
        {"a", "t", NULL, NULL, many, 65},
    };
    assert_int_equal(ubuf_puts(&b, "before"), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(bar(&b, &bad[i]), -1);
        assert_int_equal(col(&b, &bad[i]), -1);
        assert_string_equal(ubuf_str(&b), "before");
    }
    assert_int_equal(bar(&b, NULL), -1);
    /* The edges that are allowed. */
    longid[WEB_SVG_ID_MAX] = '\0';
    const struct web_svg_chart edge = {longid, "t", NULL, NULL, many, 64};
    assert_int_equal(bar(&b, &edge), 0);
    const struct web_svg_chart ids = {"A-b_9", "t", NULL, NULL, ok, 1};
    assert_int_equal(col(&b, &ids), 0);
    ubuf_free(&b);
}

static void test_cap(void **state)
{
    const struct web_svg_item items[] = {{"a", 1}, {"b", 2}};
    const struct web_svg_chart c = {"c", "t", NULL, NULL, items, 2};
    struct ubuf full = UBUF_INIT(16384);
    (void)state;
    assert_int_equal(bar(&full, &c), 0);
    /* Every cap short of the whole chart fails and leaves the buffer as it was. */
    for (size_t cap = 3; cap < full.len + 3; cap += 37) {
        struct ubuf b = UBUF_INIT(cap);
        assert_int_equal(ubuf_puts(&b, "xy"), 0);
        assert_int_equal(bar(&b, &c), -1);
        assert_string_equal(ubuf_str(&b), "xy");
        assert_int_equal(col(&b, &c), -1);
        assert_string_equal(ubuf_str(&b), "xy");
        ubuf_free(&b);
    }
    struct ubuf exact = UBUF_INIT(full.len);
    assert_int_equal(bar(&exact, &c), 0);
    assert_string_equal(ubuf_str(&exact), ubuf_str(&full));
    ubuf_free(&exact);
    ubuf_free(&full);
}

/* ---- the QR code (app_qr_path drawn by web_svg_qr; moved from the staff login's tests)
 * ------------------------------------------------------------------------------- */

static void test_qr_svg(void **state)
{
    struct ubuf b = UBUF_INIT(1 << 20);
    const char *uri = "otpauth://totp/eimza:ayse?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                      "&issuer=eimza&algorithm=SHA1&digits=6&period=30";
    (void)state;
    assert_int_equal(qr(&b, uri, 240, "Karekod: \"eimza\" <ayse> & co"), 0);
    const char *s = ubuf_str(&b);
    assert_memory_equal(s,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                        "aria-label=\"Karekod: &quot;eimza&quot; &lt;ayse&gt; &amp; co\"",
                        strlen("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                               "aria-label=\"Karekod: &quot;eimza&quot; &lt;ayse&gt; &amp; "
                               "co\""));
    assert_non_null(strstr(s, "width=\"240\" height=\"240\""));
    assert_null(strstr(s, "style"));
    assert_null(strstr(s, "script"));
    assert_null(strstr(s, uri)); /* the secret is drawn, not written out */
    /* The symbol is square: viewBox = width + 2 * 4 quiet modules; a QR version v is 17 + 4v
     * modules wide, and this text needs more than version 1. */
    int vb = 0;
    assert_non_null(strstr(s, "viewBox=\"0 0 "));
    assert_int_equal(sscanf(strstr(s, "viewBox=\"0 0 ") + 13, "%d", &vb), 1);
    assert_true((vb - 8 - 17) % 4 == 0);
    assert_true(vb - 8 > 21);
    /* The three finder patterns start with a 7-module black run at (4,4), (4+w-7,4), (4,4+w-7). */
    char m[64];
    int w = vb - 8;
    snprintf(m, sizeof m, "M4 4h7v1h-7z");
    assert_non_null(strstr(s, m));
    snprintf(m, sizeof m, "M%d 4h7v1h-7z", 4 + w - 7);
    assert_non_null(strstr(s, m));
    snprintf(m, sizeof m, "M4 %dh7v1h-7z", 4 + w - 7);
    assert_non_null(strstr(s, m));
    assert_int_equal(strcmp(s + b.len - 9, "\"/></svg>"), 0);
    /* Deterministic. */
    struct ubuf b2 = UBUF_INIT(1 << 20);
    assert_int_equal(qr(&b2, uri, 240, "Karekod: \"eimza\" <ayse> & co"), 0);
    assert_string_equal(ubuf_str(&b2), s);
    ubuf_free(&b2);

    /* Bad arguments and a full buffer leave the buffer alone. */
    ubuf_reset(&b);
    assert_int_equal(ubuf_puts(&b, "x"), 0);
    assert_int_equal(qr(&b, "", 240, "k"), -1);
    assert_int_equal(qr(&b, NULL, 240, "k"), -1);
    assert_int_equal(qr(&b, uri, 0, "k"), -1);
    assert_int_equal(qr(&b, uri, 240, NULL), -1);
    assert_int_equal(qr(&b, uri, 240, "bad \xff"), -1);
    assert_string_equal(ubuf_str(&b), "x");
    ubuf_free(&b);
    struct ubuf small = UBUF_INIT(300);
    assert_int_equal(qr(&small, uri, 240, "k"), -1);
    assert_string_equal(ubuf_str(&small), "");
    ubuf_free(&small);
}

/* ---- column chart and waiting times ------------------------------------------------------- */

static void test_columns(void **state)
{
    long long counts[WEB_SVG_WAIT_BUCKETS] = {0};
    static const int64_t waits[] = {0,          3600,       86400,     2 * 86400, 3 * 86400,
                                    6 * 86400,  7 * 86400,  8 * 86400, 9 * 86400, 14 * 86400,
                                    15 * 86400, 40 * 86400, -5};
    struct web_svg_item items[WEB_SVG_WAIT_BUCKETS];
    struct ubuf b = UBUF_INIT(32768), again = UBUF_INIT(32768);
    long long h[8], y[8], x[8];
    (void)state;

    for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++)
        counts[web_svg_wait_bucket(waits[i])]++;
    /* < 1 day: 0, 3600, -5; 1-3: 1d, 2d; 3-7: 3d, 6d; 7-15: 7d, 8d, 9d, 14d; >= 15: 15d, 40d */
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[1], 2);
    assert_int_equal(counts[2], 2);
    assert_int_equal(counts[3], 4);
    assert_int_equal(counts[4], 2);
    for (size_t i = 0; i < WEB_SVG_WAIT_BUCKETS; i++)
        items[i] = (struct web_svg_item){web_svg_wait_label(i, CORE_LANG_TR), counts[i]};
    const struct web_svg_chart c = {"wait", "Bekleme süreleri",  "başvuru", NULL,
                                    items,  WEB_SVG_WAIT_BUCKETS};
    assert_int_equal(col(&b, &c), 0);
    assert_xml_ok(ubuf_str(&b));
    assert_int_equal(rect_attrs(ubuf_str(&b), "height", h, 8), 5);
    assert_int_equal(h[0], 120); /* 3/4 of 160 */
    assert_int_equal(h[1], 80);
    assert_int_equal(h[3], 160);
    /* Columns stand on one baseline and go left to right. */
    assert_int_equal(rect_attrs(ubuf_str(&b), "y", y, 8), 5);
    assert_int_equal(rect_attrs(ubuf_str(&b), "x", x, 8), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(y[i] + h[i], y[0] + h[0]);
        if (i > 0)
            assert_true(x[i] > x[i - 1]);
    }
    assert_non_null(strstr(ubuf_str(&b), "1 günden az: 3 başvuru; 1–3 gün: 2 başvuru; 3–7 gün: 2 "
                                         "başvuru; 7–15 gün: 4 başvuru; 15 gün ve üzeri: 2 "
                                         "başvuru."));
    /* Deterministic. */
    assert_int_equal(col(&again, &c), 0);
    assert_string_equal(ubuf_str(&b), ubuf_str(&again));
    ubuf_free(&b);
    ubuf_free(&again);
}

static void test_wait_buckets(void **state)
{
    (void)state;
    assert_int_equal(web_svg_wait_bucket(INT64_MIN), 0);
    assert_int_equal(web_svg_wait_bucket(0), 0);
    assert_int_equal(web_svg_wait_bucket(86399), 0);
    assert_int_equal(web_svg_wait_bucket(86400), 1);
    assert_int_equal(web_svg_wait_bucket(3 * 86400 - 1), 1);
    assert_int_equal(web_svg_wait_bucket(3 * 86400), 2);
    assert_int_equal(web_svg_wait_bucket(7 * 86400 - 1), 2);
    assert_int_equal(web_svg_wait_bucket(7 * 86400), 3);
    assert_int_equal(web_svg_wait_bucket(15 * 86400 - 1), 3);
    assert_int_equal(web_svg_wait_bucket(15 * 86400), 4);
    assert_int_equal(web_svg_wait_bucket(INT64_MAX), 4);
    for (size_t i = 0; i < WEB_SVG_WAIT_BUCKETS; i++) {
        assert_non_null(web_svg_wait_label(i, CORE_LANG_TR));
        assert_non_null(web_svg_wait_label(i, CORE_LANG_EN));
        assert_string_not_equal(web_svg_wait_label(i, CORE_LANG_TR),
                                web_svg_wait_label(i, CORE_LANG_EN));
    }
    assert_string_equal(web_svg_wait_label(0, CORE_LANG_TR), "1 günden az");
    assert_null(web_svg_wait_label(WEB_SVG_WAIT_BUCKETS, CORE_LANG_TR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker),
        cmocka_unit_test(test_bar_golden),
        cmocka_unit_test(test_bar_proportional),
        cmocka_unit_test(test_hostile_labels),
        cmocka_unit_test(test_empty_and_zero),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_wait_buckets),
        cmocka_unit_test(test_qr_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
