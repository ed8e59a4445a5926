/* eimza — calendar dates as day numbers, their two text forms, and UTC day arithmetic
 * (core/: pure; the clock is never read here). See date.h.
 *
 * The conversions count in a calendar whose years begin on 1 March. The leap day is then the
 * last day of its year, so the day of the year depends only on the month, and 400 of these
 * years (an "era", 146097 days) repeat exactly. Day 0 of this count is 0000-03-01; the Unix
 * epoch 1970-01-01 is day 719468 of it (1969 March-years of 365 days, plus 1969/4 - 1969/100
 * + 1969/400 = 477 leap days, plus the 306 days from 1 March to 1 January).
 */
#include "core/date.h"

#include <stdbool.h>

#define EPOCH_FROM_MARCH_0 719468 /* days from 0000-03-01 to 1970-01-01 */
#define DAYS_PER_ERA       146097 /* 400 * 365 + 97 leap days */
#define SECONDS_PER_DAY    86400

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Days before March-year yoe (0..399) inside an era: a leap day ends every fourth March-year
 * except the hundredth ones (the four-hundredth would be year 400, outside the era). */
static int64_t days_before_year_of_era(int64_t yoe)
{
    return yoe * 365 + yoe / 4 - yoe / 100;
}

/* Days before month mp (0 = March ... 11 = February) of a March-year. The month lengths from
 * March run 31 30 31 30 31 | 31 30 31 30 31 | 31 28/29: two five-month blocks of 153 days,
 * and (153 * mp + 2) / 5 reproduces the running total for every mp (0, 31, 61, 92, ... 337). */
static int64_t days_before_month(int mp)
{
    return (153 * (int64_t)mp + 2) / 5;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int mp = (m + 9) % 12; /* March = 0, ..., February = 11 */
    if (m <= 2)
        y -= 1; /* January and February belong to the March-year that began the year before */
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doe = days_before_year_of_era(yoe) + days_before_month(mp) + d - 1;
    return era * DAYS_PER_ERA + doe - EPOCH_FROM_MARCH_0;
}

static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + EPOCH_FROM_MARCH_0;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t doe = z - era * DAYS_PER_ERA; /* 0 .. 146096 */
    /* Counting 365-day years guesses the year of the era at most one too high (the era's 97
     * leap days are fewer than a year), and the guess is never too low: step back once if the
     * guessed year starts after the day. */
    int64_t yoe = doe / 365;
    if (yoe > 399)
        yoe = 399;
    while (days_before_year_of_era(yoe) > doe)
        yoe--;
    int64_t doy = doe - days_before_year_of_era(yoe); /* 0 .. 365 */
    /* Inverse of days_before_month: the largest mp whose start is <= doy. */
    int mp = (int)((5 * doy + 2) / 153);
    *d = (int)(doy - days_before_month(mp)) + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = era * 400 + yoe + (*m <= 2 ? 1 : 0);
}

int core_date_from_ymd(int y, int m, int d, int32_t *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    if (out)
        *out = (int32_t)days_from_civil(y, m, d);
    return 0;
}

void core_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
    int64_t yy;
    civil_from_days(days, &yy, m, d);
    *y = (int)yy; /* |yy| < 6 million for any int32_t day */
}

/* The value of n decimal digits at s, or -1 if one of them is not a digit. */
static int parse_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int core_date_parse(const char *s, size_t n, int32_t *out)
{
    int y, m, d;
    if (!s || n != CORE_DATE_STRLEN)
        return -1;
    if (s[4] == '-' && s[7] == '-') {
        y = parse_digits(s, 4);
        m = parse_digits(s + 5, 2);
        d = parse_digits(s + 8, 2);
    } else if (s[2] == '.' && s[5] == '.') {
        d = parse_digits(s, 2);
        m = parse_digits(s + 3, 2);
        y = parse_digits(s + 6, 4);
    } else {
        return -1;
    }
    if (y < 0 || m < 0 || d < 0)
        return -1;
    return core_date_from_ymd(y, m, d, out);
}

/* Writes v (>= 0) as exactly n digits. */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Splits days into y/m/d for formatting; false when the year has no four-digit form. */
static bool formattable(int32_t days, int *y, int *m, int *d)
{
    if (days == CORE_DATE_NONE)
        return false;
    core_date_to_ymd(days, y, m, d);
    return *y >= 1 && *y <= 9999;
}

void core_date_format(int32_t days, char out[CORE_DATE_STRLEN + 1])
{
    int y, m, d;
    out[0] = '\0';
    if (!formattable(days, &y, &m, &d))
        return;
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

void core_date_format_tr(int32_t days, char out[CORE_DATE_STRLEN + 1])
{
    int y, m, d;
    out[0] = '\0';
    if (!formattable(days, &y, &m, &d))
        return;
    put_digits(out, d, 2);
    out[2] = '.';
    put_digits(out + 3, m, 2);
    out[5] = '.';
    put_digits(out + 6, y, 4);
    out[10] = '\0';
}

int32_t core_date_from_unix(int64_t t)
{
    int64_t days = floor_div(t, SECONDS_PER_DAY);
    /* Only for absurd times (beyond +-5.8 million years); keeps clear of CORE_DATE_NONE. */
    if (days > INT32_MAX)
        return INT32_MAX;
    if (days <= CORE_DATE_NONE)
        return CORE_DATE_NONE + 1;
    return (int32_t)days;
}

int64_t core_date_to_unix(int32_t days)
{
    return (int64_t)days * SECONDS_PER_DAY;
}

int32_t core_date_tr_from_unix(int64_t t)
{
    return core_date_from_unix(t > INT64_MAX - CORE_TR_UTC_OFFSET ? t : t + CORE_TR_UTC_OFFSET);
}

int64_t core_date_tr_to_unix(int32_t days)
{
    return core_date_to_unix(days) - CORE_TR_UTC_OFFSET;
}

void core_time_tr(int64_t t, struct core_clock *out)
{
    int32_t day = core_date_tr_from_unix(t);
    int64_t sec = t - core_date_tr_to_unix(day); /* 0 .. 86399, also before 1970 (floor) */
    if (sec < 0 || sec >= SECONDS_PER_DAY)
        sec = 0; /* only for absurd times, clamped by core_date_from_unix */
    out->day = day;
    core_date_to_ymd(day, &out->year, &out->month, &out->mday);
    out->hour = (int)(sec / 3600);
    out->min = (int)(sec / 60 % 60);
    out->sec = (int)(sec % 60);
}

int32_t core_date_add_years(int32_t days, int years)
{
    int64_t y;
    int m, d;
    if (days == CORE_DATE_NONE)
        return CORE_DATE_NONE;
    civil_from_days(days, &y, &m, &d);
    y += years;
    if (y < 1 || y > 9999)
        return CORE_DATE_NONE;
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return (int32_t)days_from_civil(y, m, d);
}
