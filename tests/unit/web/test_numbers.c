/* eimza — the one rule for numbers in URLs (web/http/request.h): an id in the path is a
 * canonical positive decimal (web_id_parse), a number in the query string a decimal within the
 * caller's bounds (web_num_parse). Table-driven: each written form and what it must give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "web/http/request.h"

struct id_case {
    const char *text;
    bool ok;
    int64_t want;
};

static const struct id_case ids[] = {
    {"1", true, 1},
    {"12", true, 12},
    {"1000000000", true, 1000000000},
    {"9223372036854775807", true, INT64_MAX}, /* the int64 boundary: the largest id */
    {"9223372036854775806", true, INT64_MAX - 1},
    {"9223372036854775808", false, 0},  /* one past it */
    {"9223372036854775810", false, 0},  /* past it in the last digit */
    {"18446744073709551616", false, 0}, /* 2^64: wraps an unsigned reader to 0 */
    {"99999999999999999999", false, 0},
    {"012", false, 0}, /* a leading zero: a second spelling of 12 */
    {"0", false, 0},
    {"00", false, 0},
    {"+12", false, 0},
    {"-12", false, 0},
    {" 12", false, 0},
    {"12 ", false, 0},
    {"1 2", false, 0},
    {"\t12", false, 0},
    {"", false, 0},
    {"12a", false, 0},
    {"1e3", false, 0},
    {"0x1F", false, 0},
    {"12.0", false, 0},
    {"\xd9\xa1\xd9\xa2", false, 0}, /* Arabic-Indic digits one, two */
};

static void test_ids(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const struct id_case *t = &ids[i];
        int64_t got = -7;
        bool ok = web_id_parse(t->text, strlen(t->text), &got);
        if (ok != t->ok || (ok && got != t->want) || (!ok && got != -7)) {
            fprintf(stderr, "id \"%s\": %s %lld\n", t->text, ok ? "taken" : "refused",
                    (long long)got);
            fail();
        }
    }
}

/* The length bounds what is read: "12.csv" with its length up to the dot is 12; the length
 * taking in the dot is not an id; NULL and a zero length are none. */
static void test_id_length(void **state)
{
    (void)state;
    int64_t id = 0;
    assert_true(web_id_parse("12.csv", 2, &id));
    assert_int_equal(id, 12);
    assert_false(web_id_parse("12.csv", 3, &id));
    assert_false(web_id_parse("12", 0, &id));
    assert_false(web_id_parse(NULL, 2, &id));
    assert_true(web_id_parse("9223372036854775807.json", 19, &id));
    assert_true(id == INT64_MAX);
    assert_false(web_id_parse("9223372036854775808.json", 19, &id));
}

struct num_case {
    const char *text;
    long min, max;
    bool ok;
    long want;
};

static const struct num_case nums[] = {
    {"0", 0, 81, true, 0},
    {"6", 0, 81, true, 6},
    {"06", 0, 81, true, 6}, /* a plate code as people write it */
    {"81", 0, 81, true, 81},
    {"82", 0, 81, false, 0}, /* above max */
    {"-1", 0, 81, false, 0}, /* below min */
    {"-1", -1, 81, true, -1},
    {"-0", 0, 81, true, 0},
    {"-2147483648", INT_MIN, INT_MAX, true, INT_MIN},
    {"2147483647", INT_MIN, INT_MAX, true, INT_MAX},
    {"2147483648", INT_MIN, INT_MAX, false, 0},
    {"-2147483649", INT_MIN, INT_MAX, false, 0},
    {"9223372036854775807", LONG_MIN, LONG_MAX, true, LONG_MAX},
    {"-9223372036854775808", LONG_MIN, LONG_MAX, true, LONG_MIN},
    {"9223372036854775808", LONG_MIN, LONG_MAX, false, 0}, /* overflow at the int64 boundary */
    {"-9223372036854775809", LONG_MIN, LONG_MAX, false, 0},
    {"99999999999999999999", LONG_MIN, LONG_MAX, false, 0},
    {"", 0, 81, false, 0},
    {"-", -5, 81, false, 0},
    {"+5", 0, 81, false, 0},
    {" 5", 0, 81, false, 0},
    {"5 ", 0, 81, false, 0},
    {"5x", 0, 81, false, 0},
    {"1e1", 0, 100, false, 0},
    {"--5", -10, 10, false, 0},
    {"5", 10, 0, false, 0}, /* no number fits bounds the wrong way round */
};

static void test_nums(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const struct num_case *t = &nums[i];
        long got = -7;
        bool ok = web_num_parse(t->text, t->min, t->max, &got);
        if (ok != t->ok || (ok && got != t->want) || (!ok && got != -7)) {
            fprintf(stderr, "number \"%s\" in %ld..%ld: %s %ld\n", t->text, t->min, t->max,
                    ok ? "taken" : "refused", got);
            fail();
        }
    }
    long v = 3;
    assert_false(web_num_parse(NULL, 0, 81, &v));
    assert_int_equal(v, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_id_length),
        cmocka_unit_test(test_nums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
