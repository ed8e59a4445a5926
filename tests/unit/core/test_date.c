/* Unit tests for core/date.h: the calendar (leap years), both text forms, Unix time floors,
 * adding years, and a day-by-day walk over years 1..9999 against a naive calendar. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/date.h"

static int32_t ymd(int y, int m, int d)
{
    int32_t v = 0;
    assert_int_equal(core_date_from_ymd(y, m, d, &v), 0);
    return v;
}

static void test_known_days(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(1970, 1, 2), 1);
    assert_int_equal(ymd(2000, 1, 1), 10957);
    assert_int_equal(ymd(2024, 2, 29), 19782);
    assert_int_equal(ymd(1, 1, 1), -719162);
    assert_int_equal(ymd(9999, 12, 31), 2932896);
    int y, m, d;
    core_date_to_ymd(19782, &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    /* Any day number converts, also before year 1 (proleptic year 0 is a leap year). */
    core_date_to_ymd(-719163, &y, &m, &d);
    assert_int_equal(y, 0);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    core_date_to_ymd(-719162 - 366 + 59, &y, &m, &d);
    assert_int_equal(y, 0);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
}

static void test_impossible_dates(void **state)
{
    (void)state;
    int32_t v = 12345;
    assert_int_equal(core_date_from_ymd(2023, 2, 29, &v), -1);
    assert_int_equal(core_date_from_ymd(1900, 2, 29, &v), -1); /* divisible by 100 */
    assert_int_equal(core_date_from_ymd(2100, 2, 29, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 4, 31, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 6, 31, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 1, 32, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 1, 0, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 0, 1, &v), -1);
    assert_int_equal(core_date_from_ymd(2024, 13, 1, &v), -1);
    assert_int_equal(core_date_from_ymd(0, 1, 1, &v), -1);
    assert_int_equal(core_date_from_ymd(10000, 1, 1, &v), -1);
    assert_int_equal(core_date_from_ymd(-1, 1, 1, &v), -1);
    assert_int_equal(v, 12345); /* untouched */
    /* The leap years that are. */
    assert_int_equal(core_date_from_ymd(2000, 2, 29, NULL), 0); /* divisible by 400 */
    assert_int_equal(core_date_from_ymd(2024, 2, 29, NULL), 0);
    assert_int_equal(core_date_from_ymd(1600, 2, 29, NULL), 0);
    assert_int_equal(core_date_from_ymd(4, 2, 29, NULL), 0);
    assert_int_equal(core_date_from_ymd(2024, 12, 31, NULL), 0);
}

static int parse(const char *s, int32_t *out)
{
    return core_date_parse(s, strlen(s), out);
}

static void test_parse(void **state)
{
    (void)state;
    int32_t a = 0, b = 0;
    assert_int_equal(parse("2024-02-29", &a), 0);
    assert_int_equal(parse("29.02.2024", &b), 0);
    assert_int_equal(a, 19782);
    assert_int_equal(b, 19782);
    assert_int_equal(parse("0001-01-01", &a), 0);
    assert_int_equal(a, -719162);
    assert_int_equal(parse("31.12.9999", &a), 0);
    assert_int_equal(a, 2932896);

    static const char *const bad[] = {
        "2023-02-29",       "31.04.2024", "29.02.1900", "0000-01-01",  "01.01.0000",
        "2024-00-10",       "2024-13-10", "2024-01-00", "2024-01-32",  "2024-2-29",
        "2024-02-9",        "24-02-2024", "29-02-2024", "2024.02.29",  "29.02-2024",
        "2024/02/29",       "2024-02-2x", "2O24-02-29", " 2024-02-29", "2024-02-29 ",
        "2024-02-29T00:00", "",           "2024-02-",   "+024-02-29",  "2024-+2-29",
        "1.1.2024",         "01.1.2024",  "2024 02 29", "29 02 2024",  "2024-02-29\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t v = 777;
        if (parse(bad[i], &v) != -1)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(parse(bad[i], &v), -1);
        assert_int_equal(v, 777);
    }
    int32_t v = 777;
    assert_int_equal(core_date_parse(NULL, 10, &v), -1);
    /* n bounds the read. */
    assert_int_equal(core_date_parse("2024-02-29xyz", 10, &v), 0);
    assert_int_equal(v, 19782);
    assert_int_equal(core_date_parse("2024-02-2", 9, &v), -1);
}

static void test_format(void **state)
{
    (void)state;
    char s[CORE_DATE_STRLEN + 1];
    core_date_format(0, s);
    assert_string_equal(s, "1970-01-01");
    core_date_format_tr(0, s);
    assert_string_equal(s, "01.01.1970");
    core_date_format(19782, s);
    assert_string_equal(s, "2024-02-29");
    core_date_format_tr(19782, s);
    assert_string_equal(s, "29.02.2024");
    core_date_format(-719162, s);
    assert_string_equal(s, "0001-01-01");
    core_date_format(2932896, s);
    assert_string_equal(s, "9999-12-31");
    /* No date, and days without a four-digit year, format as "". */
    memset(s, 'x', sizeof s);
    core_date_format(CORE_DATE_NONE, s);
    assert_string_equal(s, "");
    core_date_format_tr(CORE_DATE_NONE, s);
    assert_string_equal(s, "");
    core_date_format(-719163, s);
    assert_string_equal(s, "");
    core_date_format(2932897, s);
    assert_string_equal(s, "");
    core_date_format(INT32_MAX, s);
    assert_string_equal(s, "");
}

static void test_unix(void **state)
{
    (void)state;
    assert_int_equal(core_date_from_unix(0), 0);
    assert_int_equal(core_date_from_unix(86399), 0);
    assert_int_equal(core_date_from_unix(86400), 1);
    /* Floor, not truncation, before the epoch. */
    assert_int_equal(core_date_from_unix(-1), -1);
    assert_int_equal(core_date_from_unix(-86399), -1);
    assert_int_equal(core_date_from_unix(-86400), -1);
    assert_int_equal(core_date_from_unix(-86401), -2);
    assert_int_equal(core_date_from_unix(1709164800), 19782); /* 2024-02-29T00:00:00Z */
    assert_int_equal(core_date_from_unix(1709251199), 19782); /* 23:59:59 */
    assert_int_equal(core_date_to_unix(19782), (int64_t)1709164800);
    assert_int_equal(core_date_to_unix(-1), (int64_t)-86400);
    assert_int_equal(core_date_to_unix(-719162), (int64_t)-62135596800);
    /* Absurd times clamp instead of overflowing, and never become CORE_DATE_NONE. */
    assert_int_equal(core_date_from_unix(INT64_MAX), INT32_MAX);
    assert_true(core_date_from_unix(INT64_MIN) != CORE_DATE_NONE);
    assert_true(core_date_from_unix(INT64_MIN) < 0);
}

/* Cross-check against the C library's UTC breakdown (an independent implementation). */
/* Turkey's time (UTC+3 all year since 2016): the day changes at 21:00 UTC, for everyone. */
static void test_turkey_time(void **state)
{
    (void)state;
    int64_t jan20_2359 = core_date_to_unix(ymd(2026, 1, 20)) + 23 * 3600 + 59 * 60;
    assert_int_equal(core_date_from_unix(jan20_2359), ymd(2026, 1, 20));
    assert_int_equal(core_date_tr_from_unix(jan20_2359), ymd(2026, 1, 21));
    int64_t jan20_2059 = core_date_to_unix(ymd(2026, 1, 20)) + 20 * 3600 + 59 * 60 + 59;
    assert_int_equal(core_date_tr_from_unix(jan20_2059), ymd(2026, 1, 20));
    assert_int_equal(core_date_tr_from_unix(jan20_2059 + 1), ymd(2026, 1, 21));
    assert_int_equal(core_date_tr_to_unix(ymd(2026, 1, 21)), jan20_2059 + 1);
    /* summer the same as winter: no daylight saving time since 2016 */
    int64_t jul1 = core_date_to_unix(ymd(2026, 7, 1)) + 22 * 3600;
    assert_int_equal(core_date_tr_from_unix(jul1), ymd(2026, 7, 2));

    struct core_clock c;
    core_time_tr(jan20_2359, &c);
    assert_int_equal(c.day, ymd(2026, 1, 21));
    assert_int_equal(c.year, 2026);
    assert_int_equal(c.month, 1);
    assert_int_equal(c.mday, 21);
    assert_int_equal(c.hour, 2);
    assert_int_equal(c.min, 59);
    assert_int_equal(c.sec, 0);
    core_time_tr(-1, &c); /* 1969-12-31 23:59:59 UTC */
    assert_int_equal(c.day, 0);
    assert_int_equal(c.hour, 2);
    assert_int_equal(c.min, 59);
    assert_int_equal(c.sec, 59);
    core_time_tr(INT64_MAX, &c); /* absurd times do not overflow */
    assert_true(c.hour >= 0 && c.hour < 24);
}

static void test_against_libc(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Between 1900 and 2200. */
        int64_t t = (int64_t)(x % (uint64_t)(300LL * 366 * 86400)) - 2208988800LL;
        time_t tt = (time_t)t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        int y, m, d;
        int32_t day = core_date_from_unix(t);
        core_date_to_ymd(day, &y, &m, &d);
        assert_int_equal(y, tm.tm_year + 1900);
        assert_int_equal(m, tm.tm_mon + 1);
        assert_int_equal(d, tm.tm_mday);
        assert_true(core_date_to_unix(day) <= t && t < core_date_to_unix(day) + 86400);
    }
}

static void test_add_years(void **state)
{
    (void)state;
    char s[CORE_DATE_STRLEN + 1];
    int32_t leap = ymd(2024, 2, 29);
    core_date_format(core_date_add_years(leap, 1), s);
    assert_string_equal(s, "2025-02-28");
    core_date_format(core_date_add_years(leap, 4), s);
    assert_string_equal(s, "2028-02-29");
    core_date_format(core_date_add_years(leap, -1), s);
    assert_string_equal(s, "2023-02-28");
    core_date_format(core_date_add_years(leap, 3), s);
    assert_string_equal(s, "2027-02-28");
    core_date_format(core_date_add_years(ymd(1896, 2, 29), 4), s);
    assert_string_equal(s, "1900-02-28");
    core_date_format(core_date_add_years(ymd(1896, 2, 29), 104), s);
    assert_string_equal(s, "2000-02-29");
    core_date_format(core_date_add_years(ymd(2023, 3, 1), 3), s);
    assert_string_equal(s, "2026-03-01");
    core_date_format(core_date_add_years(ymd(2023, 12, 31), 3), s);
    assert_string_equal(s, "2026-12-31");
    core_date_format(core_date_add_years(ymd(2023, 2, 28), 1), s);
    assert_string_equal(s, "2024-02-28");
    assert_int_equal(core_date_add_years(ymd(2023, 6, 15), 0), ymd(2023, 6, 15));
    /* Out of range and no date. */
    assert_int_equal(core_date_add_years(ymd(9999, 1, 1), 1), CORE_DATE_NONE);
    assert_int_equal(core_date_add_years(ymd(1, 1, 1), -1), CORE_DATE_NONE);
    assert_int_equal(core_date_add_years(CORE_DATE_NONE, 3), CORE_DATE_NONE);
    assert_int_equal(core_date_add_years(ymd(2000, 1, 1), 1000000), CORE_DATE_NONE);
}

static bool naive_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walks every day from 0001-01-01 to 9999-12-31 with a naive calendar: each day's number is
 * one more than the day before, and converts back to the same y/m/d. Every 97th day also
 * round-trips through both text forms. */
static void test_walk_all_days(void **state)
{
    (void)state;
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t expect = -719162;
    long count = 0;
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            int last = dim[m - 1] + (m == 2 && naive_leap(y));
            for (int d = 1; d <= last; d++, expect++, count++) {
                int32_t v;
                if (core_date_from_ymd(y, m, d, &v) != 0 || v != expect)
                    fail_msg("from_ymd %04d-%02d-%02d gave %d, want %d", y, m, d, (int)v,
                             (int)expect);
                int yy, mm, dd;
                core_date_to_ymd(v, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("to_ymd %d gave %04d-%02d-%02d", (int)v, yy, mm, dd);
                if (count % 97 == 0) {
                    char s[CORE_DATE_STRLEN + 1];
                    int32_t back;
                    core_date_format(v, s);
                    assert_int_equal(core_date_parse(s, strlen(s), &back), 0);
                    assert_int_equal(back, v);
                    core_date_format_tr(v, s);
                    assert_int_equal(core_date_parse(s, strlen(s), &back), 0);
                    assert_int_equal(back, v);
                }
            }
            if (core_date_from_ymd(y, m, last + 1, NULL) != -1)
                fail_msg("accepted %04d-%02d-%02d", y, m, last + 1);
        }
    }
    assert_int_equal(expect - 1, 2932896);
    assert_int_equal(count, 3652059);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),  cmocka_unit_test(test_impossible_dates),
        cmocka_unit_test(test_parse),       cmocka_unit_test(test_format),
        cmocka_unit_test(test_unix),        cmocka_unit_test(test_against_libc),
        cmocka_unit_test(test_add_years),   cmocka_unit_test(test_walk_all_days),
        cmocka_unit_test(test_turkey_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
