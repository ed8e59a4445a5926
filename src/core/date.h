/* eimza — calendar dates, UTC time arithmetic and Turkey's time (core/: pure, no I/O, no time
 * zone database).
 *
 * A date is an int32_t count of days since 1970-01-01 (proleptic Gregorian); CORE_DATE_NONE
 * marks "no date" (an empty optional field). Times are int64_t Unix seconds, UTC. The clock
 * is never read here: callers pass "now" in.
 *
 * Every date and time a person reads — applicant or staff, on a page, in a message, on the
 * printed form, in the content signed, in an export — is in Turkey's time, and this is the one
 * place that turns a moment into it (core_date_tr_from_unix, core_time_tr): Europe/Istanbul has
 * been UTC+3 all year since September 2016 (no summer time), so a fixed offset is exact for
 * every moment the portal handles and needs no time zone database. A certificate that ends at
 * 23:59 UTC on 20 January ends on 21 January for everyone.
 */
#ifndef EIMZA_CORE_DATE_H
#define EIMZA_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define CORE_DATE_NONE   INT32_MIN
#define CORE_DATE_STRLEN 10 /* "YYYY-MM-DD" */

/* Builds a date from year (1..9999), month (1..12), day (valid for the month, leap years
 * included). Returns 0, or -1 for an impossible date (*out untouched; out may be NULL to only
 * check). core_date_to_ymd works for any day number. */
int core_date_from_ymd(int y, int m, int d, int32_t *out);
void core_date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Parses "YYYY-MM-DD" or "DD.MM.YYYY" (exact widths; no surrounding space). Returns 0, or -1
 * for any other shape or an impossible date (2023-02-29, 31.04.2024). */
int core_date_parse(const char *s, size_t n, int32_t *out);

/* Writes "YYYY-MM-DD" / "DD.MM.YYYY" and a NUL (11 bytes); writes "" for CORE_DATE_NONE and
 * for a day outside years 1..9999. */
void core_date_format(int32_t days, char out[CORE_DATE_STRLEN + 1]);
void core_date_format_tr(int32_t days, char out[CORE_DATE_STRLEN + 1]);

/* The UTC day a Unix time falls on (floor, also for negative times: -1 is 1969-12-31), and
 * midnight UTC of a day as Unix seconds. */
int32_t core_date_from_unix(int64_t t);
int64_t core_date_to_unix(int32_t days);

/* Turkey's offset from UTC, in seconds (UTC+3 since 2016). */
#define CORE_TR_UTC_OFFSET (3 * 3600)

/* The day a moment falls on in Turkey, and midnight in Turkey of a day as Unix seconds. */
int32_t core_date_tr_from_unix(int64_t t);
int64_t core_date_tr_to_unix(int32_t days);

/* A moment in Turkey's time, broken down. */
struct core_clock {
    int32_t day; /* core/date.h days */
    int year, month, mday;
    int hour, min, sec;
};
void core_time_tr(int64_t t, struct core_clock *out);

/* Adds whole years keeping month and day (29 Feb -> 28 Feb in a common year). Returns
 * CORE_DATE_NONE for CORE_DATE_NONE and when the result falls outside years 1..9999. */
int32_t core_date_add_years(int32_t days, int years);

#endif
