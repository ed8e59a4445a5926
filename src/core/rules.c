/* eimza — eligibility of a personnel record and the renewal timeline of a certificate
 * (core/: pure; "today" and "now" come from the caller). See rules.h.
 *
 * Boundaries, all inclusive at the later side so that each instant has exactly one phase:
 *   now <  not_after - window_open_days*86400             not_open
 *   now >= not_after - window_open_days*86400  (opens)     open
 *   now >= not_after - deadline_days*86400     (deadline)  late
 *   now >= not_after                           (expiry)    expired
 * Warnings are per day, not per second: a milestone's day is the UTC day of not_after minus
 * its warn_days, and it is reached from 00:00 UTC of that day, so a scan run once a day (at
 * any hour, or with --now YYYY-MM-DD, i.e. midnight) sends it on the same day.
 */
#include "core/rules.h"

#include <limits.h>

#include "core/date.h"

#define SECONDS_PER_DAY 86400

void core_rules_default(struct core_rules *r)
{
    *r = (struct core_rules){
        .validity_years = 3,
        .warn_days = {90, 60, 30},
        .warn_count = 3,
        .window_open_days = 90,
        .deadline_days = 30,
        .otp_ttl_seconds = 300,
        .otp_max_wrong = 3,
        .otp_cooldown_seconds = 60,
        .otp_max_per_hour = 5,
        .delivery_expected_days = 15,
    };
}

#define VALIDITY_YEARS_MAX 10
#define OTP_TTL_MAX        86400

const char *core_rules_check(const struct core_rules *r)
{
    if (r->validity_years < 1 || r->validity_years > VALIDITY_YEARS_MAX)
        return "rules_validity_years";
    /* The shortest validity of that many years, in days (no leap day). */
    int validity_days = r->validity_years * 365;
    if (r->warn_count < 0 || r->warn_count > CORE_MAX_WARNINGS)
        return "rules_warn_count";
    for (int i = 0; i < r->warn_count; i++) {
        if (r->warn_days[i] < 1 || r->warn_days[i] >= validity_days)
            return "rules_warn_days";
        if (i > 0 && r->warn_days[i] >= r->warn_days[i - 1])
            return "rules_warn_days";
    }
    if (r->window_open_days < 1 || r->window_open_days >= validity_days)
        return "rules_window";
    if (r->deadline_days < 0 || r->deadline_days >= r->window_open_days)
        return "rules_deadline";
    if (r->otp_ttl_seconds < 1 || r->otp_ttl_seconds > OTP_TTL_MAX || r->otp_max_wrong < 1 ||
        r->otp_cooldown_seconds < 0 || r->otp_max_per_hour < 1)
        return "rules_otp";
    if (r->delivery_expected_days < 1)
        return "rules_delivery_days";
    return NULL;
}

unsigned core_eligibility(const struct core_personnel *p, int32_t today)
{
    unsigned v = 0;
    if (!p)
        return CORE_INELIG_NO_RECORD;
    if (p->duty != CORE_DUTY_ACTIVE)
        v |= CORE_INELIG_NOT_IN_SERVICE;
    /* The end date itself is still a day of the assignment. */
    if (p->assignment_end != CORE_DATE_NONE && p->assignment_end < today)
        v |= CORE_INELIG_ASSIGNMENT_ENDED;
    if (!p->entitled)
        v |= CORE_INELIG_NOT_ENTITLED;
    return v;
}

const char *core_inelig_code(unsigned bit)
{
    switch (bit) {
    case CORE_INELIG_NO_RECORD:
        return "no_personnel_record";
    case CORE_INELIG_NOT_IN_SERVICE:
        return "not_in_service";
    case CORE_INELIG_ASSIGNMENT_ENDED:
        return "assignment_ended";
    case CORE_INELIG_NOT_ENTITLED:
        return "not_entitled";
    default:
        return NULL;
    }
}

/* t - days*86400 without overflowing for any certificate date a parser could hand in. */
static int64_t minus_days(int64_t t, int days)
{
    int64_t d = (int64_t)days * SECONDS_PER_DAY;
    if (d > 0 && t < INT64_MIN + d)
        return INT64_MIN;
    if (d < 0 && t > INT64_MAX + d)
        return INT64_MAX;
    return t - d;
}

enum core_phase core_renewal_phase(const struct core_rules *r, int64_t now, int64_t not_after)
{
    if (now >= not_after)
        return CORE_PHASE_EXPIRED;
    if (now >= minus_days(not_after, r->deadline_days))
        return CORE_PHASE_LATE;
    if (now >= minus_days(not_after, r->window_open_days))
        return CORE_PHASE_OPEN;
    return CORE_PHASE_NOT_OPEN;
}

const char *core_phase_code(enum core_phase p)
{
    switch (p) {
    case CORE_PHASE_NOT_OPEN:
        return "not_open";
    case CORE_PHASE_OPEN:
        return "open";
    case CORE_PHASE_LATE:
        return "late";
    case CORE_PHASE_EXPIRED:
        return "expired";
    }
    return NULL;
}

unsigned core_allowed_methods(enum core_phase p)
{
    /* A new key pair can be certified on the strength of the current signature only while
     * that certificate is valid; afterwards the holder applies like a first applicant. */
    if (p == CORE_PHASE_EXPIRED)
        return CORE_METHOD_WET;
    return CORE_METHOD_ESIGN | CORE_METHOD_WET;
}

int core_warning_milestone(const struct core_rules *r, int64_t now, int64_t not_after)
{
    if (now >= not_after)
        return r->warn_count;
    /* days as the holder counts them: Turkey's (core/date.h) */
    int64_t today = core_date_tr_from_unix(now);
    int64_t expiry_day = core_date_tr_from_unix(not_after);
    /* warn_days descends, so the milestones come in index order: the latest one reached is
     * the highest index whose day has come. */
    int count = r->warn_count < CORE_MAX_WARNINGS ? r->warn_count : CORE_MAX_WARNINGS;
    for (int i = count - 1; i >= 0; i--)
        if (today >= expiry_day - r->warn_days[i])
            return i;
    return -1;
}
