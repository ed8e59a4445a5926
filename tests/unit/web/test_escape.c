/* Unit tests for web/html/escape.c: HTML and JSON escaping of tricky input (markup, quotes,
 * control characters, Turkish letters, every kind of invalid UTF-8), the buffer cap, and the
 * log-safe path with its masking of identifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/html/escape.h"

#define FFFD "\xEF\xBF\xBD"

static void html_is(const char *in, size_t n, const char *want)
{
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(web_html_escape(&b, in, n), 0);
    assert_string_equal(ubuf_str(&b), want);
    ubuf_free(&b);
}

static void json_is(const char *in, size_t n, const char *want)
{
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(web_json_string(&b, in, n), 0);
    assert_string_equal(ubuf_str(&b), want);
    ubuf_free(&b);
}

#define HTML(s, want) html_is(s, sizeof(s) - 1, want)
#define JSON(s, want) json_is(s, sizeof(s) - 1, want)

static void test_html_markup(void **state)
{
    (void)state;
    HTML("", "");
    HTML("plain text 123", "plain text 123");
    HTML("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    HTML("a & b \"quoted\"", "a &amp; b &quot;quoted&quot;");
    HTML("&amp;", "&amp;amp;"); /* escaping is not idempotent: no double-decoding games */
    HTML("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
}

static void test_html_turkish_and_controls(void **state)
{
    (void)state;
    HTML("Iğdır İstanbul ŞÇÖÜ ışık", "Iğdır İstanbul ŞÇÖÜ ışık");
    HTML("satır1\nsatır2\tx\r", "satır1\nsatır2\tx\r");
    HTML("a\x01z\x7f", "a" FFFD "z" FFFD);
    html_is("a\0b", 3, "a" FFFD "b"); /* an embedded NUL is not copied */
    HTML("😀 €", "😀 €");               /* 4- and 3-byte sequences pass */
}

static void test_html_invalid_utf8(void **state)
{
    (void)state;
    HTML("\xff", FFFD);                            /* never valid */
    HTML("\x80", FFFD);                            /* lone continuation byte */
    HTML("\xc0\xaf", FFFD FFFD);                   /* overlong '/' */
    HTML("\xe0\x80\xaf", FFFD FFFD FFFD);          /* overlong, 3 bytes */
    HTML("\xed\xa0\x80", FFFD FFFD FFFD);          /* UTF-16 surrogate D800 */
    HTML("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    HTML("ab\xc4", "ab" FFFD);                     /* truncated 'ğ' at the end */
    HTML("\xc4<", FFFD "&lt;");                    /* truncated, then markup: still escaped */
    HTML("\xc3\xbc\xc3", "ü" FFFD);
}

static void test_json_basics(void **state)
{
    (void)state;
    JSON("", "\"\"");
    JSON("abc", "\"abc\"");
    JSON("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"");
    JSON("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
    JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    json_is("a\0b", 3, "\"a\\u0000b\""); /* JSON can carry NUL, escaped */
    JSON("</script><!--&", "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
    JSON("a\xe2\x80\xa8z\xe2\x80\xa9", "\"a\\u2028z\\u2029\"");
}

static void test_json_turkish_and_invalid(void **state)
{
    (void)state;
    JSON("Doğum Yeri: Iğdır; ŞİMŞEK", "\"Doğum Yeri: Iğdır; ŞİMŞEK\"");
    JSON("\xff", "\"\\ufffd\"");
    JSON("\xc0\x80", "\"\\ufffd\\ufffd\""); /* overlong NUL */
    JSON("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"");
    JSON("x\xf0\x9f\x98", "\"x\\ufffd\\ufffd\\ufffd\""); /* truncated emoji */
    JSON("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
    /* what goes out as it is comes in runs between the escapes */
    JSON("a\xff"
         "b",
         "\"a\\ufffdb\"");
    JSON("ğ<ş&\"x\"\n", "\"ğ\\u003cş\\u0026\\\"x\\\"\\n\"");
    JSON("<<ab", "\"\\u003c\\u003cab\"");
}

static void test_null_strings(void **state)
{
    (void)state;
    struct ubuf b = UBUF_INIT(64);
    assert_int_equal(web_json_string_str(&b, NULL), 0);
    assert_int_equal(web_html_escape_str(&b, NULL), 0);
    assert_string_equal(ubuf_str(&b), "null");
    ubuf_free(&b);
}

/* Past the cap the call fails and the buffer keeps what it had: no half-escaped output. */
static void test_cap_leaves_buffer_unchanged(void **state)
{
    (void)state;
    struct ubuf b = UBUF_INIT(16);
    assert_int_equal(ubuf_puts(&b, "keep"), 0);
    assert_int_equal(web_html_escape_str(&b, "<<<<<<<<"), -1); /* 32 bytes escaped */
    assert_string_equal(ubuf_str(&b), "keep");
    assert_int_equal(web_json_string_str(&b, "0123456789abcdef"), -1);
    assert_string_equal(ubuf_str(&b), "keep");
    assert_int_equal(web_json_string_str(&b, "0123456789"), 0); /* 12 bytes: fits */
    assert_string_equal(ubuf_str(&b), "keep\"0123456789\"");
    ubuf_free(&b);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(web_utf8_valid("", 0));
    assert_true(web_utf8_valid("çğıöşü", strlen("çğıöşü")));
    assert_false(web_utf8_valid("a\0b", 3));
    assert_false(web_utf8_valid("\xc3", 1));
    assert_false(web_utf8_valid("\xed\xa0\x80", 3));
    assert_false(web_utf8_valid("\xf5\x80\x80\x80", 4));
}

static void test_log_path(void **state)
{
    (void)state;
    char out[64];
    web_log_path(out, sizeof out, "/healthz");
    assert_string_equal(out, "/healthz");
    /* an identity number or a phone number is never logged whole */
    web_log_path(out, sizeof out, "/api/v1/personnel/10000000146/x");
    assert_string_equal(out, "/api/v1/personnel/100******46/x");
    web_log_path(out, sizeof out, "/p/05321234567");
    assert_string_equal(out, "/p/053******67");
    web_log_path(out, sizeof out, "/applications/123456789/decision"); /* 9 digits: kept */
    assert_string_equal(out, "/applications/123456789/decision");
    web_log_path(out, sizeof out, "/u/ali.veli@example.com/z");
    assert_string_equal(out, "/u/*/z");
    web_log_path(out, sizeof out, "/a b\"c\\d\n\xc4\x9f");
    assert_string_equal(out, "/a b\\x22c\\x5cd\\x0a\\xc4\\x9f");
}

static void test_log_path_truncates(void **state)
{
    (void)state;
    char out[16];
    size_t n = web_log_path(out, sizeof out, "/aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_int_equal(n, strlen(out));
    assert_true(n <= sizeof out - 1);
    assert_string_equal(out + n - 3, "...");
    /* an exact fit is not truncated */
    web_log_path(out, sizeof out, "/aaaaaaaaaaaaaa");
    assert_string_equal(out, "/aaaaaaaaaaaaaa");
    /* a masked run cut short never shows more digits than the mask would */
    web_log_path(out, sizeof out, "/xxxxxxx/10000000146");
    assert_null(strstr(out, "0000"));
    char tiny[2];
    web_log_path(tiny, sizeof tiny, "/abc");
    assert_string_equal(tiny, "/");
}

static void test_log_text(void **state)
{
    (void)state;
    char out[64];
    web_log_text(out, sizeof out, "could not connect: \"db\"\nretry");
    assert_string_equal(out, "could not connect: \\x22db\\x22\\x0aretry");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_markup),
        cmocka_unit_test(test_html_turkish_and_controls),
        cmocka_unit_test(test_html_invalid_utf8),
        cmocka_unit_test(test_json_basics),
        cmocka_unit_test(test_json_turkish_and_invalid),
        cmocka_unit_test(test_null_strings),
        cmocka_unit_test(test_cap_leaves_buffer_unchanged),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_log_path),
        cmocka_unit_test(test_log_path_truncates),
        cmocka_unit_test(test_log_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
