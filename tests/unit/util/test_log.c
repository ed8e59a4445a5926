/* Unit tests for util/log.h's JSON form (log_format = json): each key=value of a text line
 * becomes a member, numbers stay numbers, quoted values lose their quotes and keep their
 * escapes, other words go to "msg", and whatever the input the line is one JSON object that
 * ends in a newline (cut short, never broken, when it does not fit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/log.h"

static const char *line(const char *rest)
{
    static char out[2048];
    size_t n =
        ulog_json_line(out, sizeof out, "2025-01-02T03:04:05.006Z", "info", "http.request", rest);
    out[n] = '\0';
    return out;
}

static void test_pairs(void **state)
{
    (void)state;
    assert_string_equal(line("rid=00ab method=GET path=\"/api/v1/x\" status=200 ms=1.250"),
                        "{\"ts\":\"2025-01-02T03:04:05.006Z\",\"level\":\"info\","
                        "\"event\":\"http.request\",\"rid\":\"00ab\",\"method\":\"GET\","
                        "\"path\":\"/api/v1/x\",\"status\":200,\"ms\":1.250}\n");
    assert_string_equal(line(""), "{\"ts\":\"2025-01-02T03:04:05.006Z\",\"level\":\"info\","
                                  "\"event\":\"http.request\"}\n");
}

static void test_numbers_and_strings(void **state)
{
    (void)state;
    /* only what JSON reads as a number is written as one */
    assert_non_null(strstr(line("a=-3 b=007 c=1. d=1e5 e=12x"),
                           "\"a\":-3,\"b\":\"007\",\"c\":\"1.\",\"d\":\"1e5\",\"e\":\"12x\""));
    /* escapes the log text keeps (\xHH) stay as text; a quote or control byte is escaped */
    assert_non_null(
        strstr(line("detail=\"a\\x22b \\x0a c\""), "\"detail\":\"a\\\\x22b \\\\x0a c\""));
    assert_non_null(strstr(line("k=\x01"), "\"k\":\"\\u0001\""));
    /* an unterminated quote takes the rest of the line */
    assert_non_null(strstr(line("k=\"open end"), "\"k\":\"open end\"}\n"));
}

static void test_free_words(void **state)
{
    (void)state;
    assert_non_null(strstr(line("application=AB12 mkdir failed: no space"),
                           "\"application\":\"AB12\",\"msg\":\"mkdir failed: no space\"}\n"));
    /* a word that only looks like a pair (no key) is a word */
    assert_non_null(strstr(line("=x y"), "\"msg\":\"=x y\""));
}

static void test_cut_short(void **state)
{
    (void)state;
    char big[1800], out[256];
    memset(big, 'x', sizeof big - 1);
    big[0] = 'k';
    big[1] = '=';
    big[sizeof big - 1] = '\0';
    for (size_t cap = 64; cap <= sizeof out; cap += 7) {
        size_t n = ulog_json_line(out, cap, "t", "info", "e", big);
        assert_true(n <= cap);
        assert_true(n >= 3);
        assert_memory_equal(out + n - 2, "}\n", 2);
        assert_int_equal(out[0], '{');
        /* balanced quotes: the member that did not fit was left out whole */
        size_t quotes = 0;
        for (size_t i = 0; i < n; i++)
            quotes += out[i] == '"' && (i == 0 || out[i - 1] != '\\');
        assert_int_equal(quotes % 2, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_numbers_and_strings),
        cmocka_unit_test(test_free_words),
        cmocka_unit_test(test_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
