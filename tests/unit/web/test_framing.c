/* eimza — the request framing rules (web/http/framing.h): each refusal of issue 19's finding 3
 * and the heads that must pass, as libmicrohttpd hands the fields over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "web/http/framing.h"

#define F(n, v)                                                                                    \
    {                                                                                              \
        n, sizeof n - 1, v, sizeof v - 1                                                           \
    }

struct head {
    const char *what;
    const char *version;
    struct web_field_view f[4];
    size_t n;
    enum web_framing want;
    const char *why;
};

static const struct head heads[] = {
    {"plain GET", "HTTP/1.1", {F("Host", "eimza.example.gov.tr")}, 1, WEB_FRAMING_OK, NULL},
    {"host with port", "HTTP/1.1", {F("Host", "127.0.0.1:8080")}, 1, WEB_FRAMING_OK, NULL},
    {"IPv6 host", "HTTP/1.1", {F("Host", "[::1]:8080")}, 1, WEB_FRAMING_OK, NULL},
    {"empty host", "HTTP/1.1", {F("Host", "")}, 1, WEB_FRAMING_OK, NULL},
    {"host, trailing space", "HTTP/1.1", {F("Host", "h:80 \t")}, 1, WEB_FRAMING_OK, NULL},
    {"HTTP/1.0 without host", "HTTP/1.0", {F("Accept", "*/*")}, 1, WEB_FRAMING_OK, NULL},
    {"a length", "HTTP/1.1", {F("Host", "h"), F("Content-Length", "12")}, 2, WEB_FRAMING_OK, NULL},
    {"chunked",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "Chunked")},
     2,
     WEB_FRAMING_OK,
     NULL},
    {"obs-text and tab in a value",
     "HTTP/1.1",
     {F("Host", "h"), F("X-A", "a\tb \xc3\xbc")},
     2,
     WEB_FRAMING_OK,
     NULL},
    {"no host", "HTTP/1.1", {F("Accept", "*/*")}, 1, WEB_FRAMING_BAD, "host_missing"},
    {"two hosts", "HTTP/1.1", {F("Host", "a"), F("host", "b")}, 2, WEB_FRAMING_BAD, "host_twice"},
    {"host syntax", "HTTP/1.1", {F("Host", "a b")}, 1, WEB_FRAMING_BAD, "host_syntax"},
    {"host user", "HTTP/1.1", {F("Host", "u@h")}, 1, WEB_FRAMING_BAD, "host_syntax"},
    {"host port letters", "HTTP/1.1", {F("Host", "h:8o")}, 1, WEB_FRAMING_BAD, "host_syntax"},
    {"space before colon",
     "HTTP/1.1",
     {F("Host", "h"), F("X-Probe ", "1")},
     2,
     WEB_FRAMING_BAD,
     "field_name"},
    {"empty name", "HTTP/1.1", {F("Host", "h"), F("", "1")}, 2, WEB_FRAMING_BAD, "field_name"},
    {"bare CR",
     "HTTP/1.1",
     {F("Host", "h"), F("X-A", "a\rb")},
     2,
     WEB_FRAMING_BAD,
     "field_value_control"},
    {"DEL",
     "HTTP/1.1",
     {F("Host", "h"), F("X-A", "a\x7f")},
     2,
     WEB_FRAMING_BAD,
     "field_value_control"},
    {"NUL kept by a parser",
     "HTTP/1.1",
     {F("Host", "h"), F("X-A", "a\0b")},
     2,
     WEB_FRAMING_BAD,
     "field_value_control"},
    {"length and chunked",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "5"), F("Transfer-Encoding", "chunked")},
     3,
     WEB_FRAMING_BAD,
     "length_and_coding"},
    {"two lengths",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "5"), F("Content-Length", "9")},
     3,
     WEB_FRAMING_BAD,
     "content_length_twice"},
    {"two equal lengths",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "5"), F("Content-Length", "5")},
     3,
     WEB_FRAMING_BAD,
     "content_length_twice"},
    {"length list",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "5, 5")},
     2,
     WEB_FRAMING_BAD,
     "content_length_syntax"},
    {"length sign",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "+5")},
     2,
     WEB_FRAMING_BAD,
     "content_length_syntax"},
    {"length 20 digits",
     "HTTP/1.1",
     {F("Host", "h"), F("Content-Length", "12345678901234567890")},
     2,
     WEB_FRAMING_BAD,
     "content_length_syntax"},
    {"folded coding",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encodingchunked", "x")},
     2,
     WEB_FRAMING_BAD,
     "folded_framing_field"},
    {"folded length",
     "HTTP/1.1",
     {F("Host", "h"), F("content-length5", "1")},
     2,
     WEB_FRAMING_BAD,
     "folded_framing_field"},
    {"chunked twice",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "chunked, chunked")},
     2,
     WEB_FRAMING_BAD,
     "chunked_not_once_last"},
    {"chunked in two fields",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "chunked"), F("Transfer-Encoding", "chunked")},
     3,
     WEB_FRAMING_BAD,
     "chunked_not_once_last"},
    {"coding in HTTP/1.0",
     "HTTP/1.0",
     {F("Transfer-Encoding", "chunked")},
     1,
     WEB_FRAMING_BAD,
     "coding_in_http10"},
    {"empty coding",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", " , ")},
     2,
     WEB_FRAMING_BAD,
     "transfer_encoding_syntax"},
    {"unknown coding",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "x-unknown")},
     2,
     WEB_FRAMING_UNSUPPORTED,
     "coding_unsupported"},
    {"gzip then chunked",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "gzip, chunked")},
     2,
     WEB_FRAMING_UNSUPPORTED,
     "coding_unsupported"},
    {"coding with parameters",
     "HTTP/1.1",
     {F("Host", "h"), F("Transfer-Encoding", "chunked;q=1")},
     2,
     WEB_FRAMING_UNSUPPORTED,
     "coding_unsupported"},
};

static void test_heads(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        const struct head *h = &heads[i];
        const char *why = "unset";
        enum web_framing got = web_framing_check(h->version, h->f, h->n, &why);
        if (got != h->want || (h->why ? !why || strcmp(why, h->why) : why != NULL))
            fail_msg("%s: got %d (%s), want %d (%s)", h->what, (int)got, why ? why : "NULL",
                     (int)h->want, h->why ? h->why : "NULL");
    }
}

/* The memory a parsed head holds (web_head_memory): the head, a record per field, and for a
 * Cookie field (its name in any case) a parsed copy and a record per cookie. */
static void test_head_memory(void **state)
{
    (void)state;
    const size_t r = WEB_MHD_FIELD_COST;
    const struct web_field_view plain[] = {F("Host", "a"), F("X-Pad", "0123456789")};
    assert_int_equal(web_head_memory(100, plain, 2), 100 + 2 * r);
    assert_int_equal(web_head_memory(100, plain, 0), 100);
    const struct web_field_view cookie[] = {F("Host", "a"), F("COOKIE", "a=1; b=2; c=3")};
    assert_int_equal(web_head_memory(100, cookie, 2), 100 + 2 * r + 13 + 1 + 3 * r);
    const struct web_field_view two[] = {F("cookie", "a=1"), F("Cookie", "b=2;c=3")};
    assert_int_equal(web_head_memory(50, two, 2), 50 + 2 * r + (3 + 1 + r) + (7 + 1 + 2 * r));
    /* a name that only begins like it is not a Cookie field */
    const struct web_field_view near[] = {F("Cookies", "a=1; b=2")};
    assert_int_equal(web_head_memory(50, near, 1), 50 + r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_heads),
                                       cmocka_unit_test(test_head_memory)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
