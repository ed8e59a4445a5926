/* Unit tests for core/rules.h: defaults and their check, eligibility bits, the renewal phases
 * at their exact boundaries, the signing methods and the warning milestones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/reason.h"
#include "core/rules.h"

#define DAY 86400

static void test_defaults(void **state)
{
    (void)state;
    struct core_rules r;
    memset(&r, 0x7F, sizeof r);
    core_rules_default(&r);
    assert_int_equal(r.validity_years, 3);
    assert_int_equal(r.warn_count, 3);
    assert_int_equal(r.warn_days[0], 90);
    assert_int_equal(r.warn_days[1], 60);
    assert_int_equal(r.warn_days[2], 30);
    for (int i = 3; i < CORE_MAX_WARNINGS; i++)
        assert_int_equal(r.warn_days[i], 0);
    assert_int_equal(r.window_open_days, 90);
    assert_int_equal(r.deadline_days, 30);
    assert_int_equal(r.otp_ttl_seconds, 300);
    assert_int_equal(r.otp_max_wrong, 3);
    assert_int_equal(r.otp_cooldown_seconds, 60);
    assert_int_equal(r.otp_max_per_hour, 5);
    assert_int_equal(r.delivery_expected_days, 15);
    assert_null(core_rules_check(&r));
}

/* The defaults with one thing broken; the code core_rules_check() must give for it. */
static const struct {
    const char *what;
    const char *code;
} broken[] = {
    {"validity 0", "rules_validity_years"},
    {"validity 11", "rules_validity_years"},
    {"warn_count -1", "rules_warn_count"},
    {"warn_count past the array", "rules_warn_count"},
    {"warnings not descending", "rules_warn_days"},
    {"warnings rising at the end", "rules_warn_days"},
    {"a warning at 0 days", "rules_warn_days"},
    {"a warning as long as the validity", "rules_warn_days"},
    {"warn_count covering an unset day", "rules_warn_days"},
    {"window 0", "rules_window"},
    {"window as long as the validity", "rules_window"},
    {"deadline -1", "rules_deadline"},
    {"deadline = window", "rules_deadline"},
    {"otp ttl 0", "rules_otp"},
    {"otp ttl over a day", "rules_otp"},
    {"otp max wrong 0", "rules_otp"},
    {"otp cool-down -1", "rules_otp"},
    {"otp per hour 0", "rules_otp"},
    {"delivery 0 days", "rules_delivery_days"},
};

static void break_rules(struct core_rules *r, size_t which)
{
    switch (which) {
    case 0:
        r->validity_years = 0;
        break;
    case 1:
        r->validity_years = 11;
        break;
    case 2:
        r->warn_count = -1;
        break;
    case 3:
        r->warn_count = CORE_MAX_WARNINGS + 1;
        break;
    case 4:
        r->warn_days[1] = 90;
        break;
    case 5:
        r->warn_days[2] = 70;
        break;
    case 6:
        r->warn_days[2] = 0;
        break;
    case 7: /* one year, otherwise consistent */
        r->validity_years = 1;
        r->warn_days[0] = 365;
        r->warn_days[1] = 59;
        r->warn_days[2] = 20;
        r->window_open_days = 60;
        r->deadline_days = 10;
        break;
    case 8:
        r->warn_count = 4; /* warn_days[3] is 0 */
        break;
    case 9:
        r->window_open_days = 0;
        break;
    case 10:
        r->window_open_days = 3 * 365;
        break;
    case 11:
        r->deadline_days = -1;
        break;
    case 12:
        r->deadline_days = 90;
        break;
    case 13:
        r->otp_ttl_seconds = 0;
        break;
    case 14:
        r->otp_ttl_seconds = 86401;
        break;
    case 15:
        r->otp_max_wrong = 0;
        break;
    case 16:
        r->otp_cooldown_seconds = -1;
        break;
    case 17:
        r->otp_max_per_hour = 0;
        break;
    case 18:
        r->delivery_expected_days = 0;
        break;
    default:
        fail_msg("no case %zu", which);
    }
}

static void test_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        struct core_rules r;
        core_rules_default(&r);
        break_rules(&r, i);
        const char *code = core_rules_check(&r);
        if (!code || strcmp(code, broken[i].code) != 0)
            fail_msg("%s: got %s, want %s", broken[i].what, code ? code : "NULL", broken[i].code);
        assert_true(core_reason_known(code));
    }
    /* Edges that are fine: no warnings at all, a deadline at expiry, no cool-down, the most
     * warnings. */
    struct core_rules r;
    core_rules_default(&r);
    r.warn_count = 0;
    r.deadline_days = 0;
    r.otp_cooldown_seconds = 0;
    assert_null(core_rules_check(&r));
    core_rules_default(&r);
    r.warn_count = CORE_MAX_WARNINGS;
    for (int i = 0; i < CORE_MAX_WARNINGS; i++)
        r.warn_days[i] = 120 - 10 * i;
    assert_null(core_rules_check(&r));
    core_rules_default(&r);
    r.validity_years = 10;
    r.otp_ttl_seconds = 86400;
    assert_null(core_rules_check(&r));
}

static void test_eligibility(void **state)
{
    (void)state;
    struct core_personnel p;
    int32_t today;
    assert_int_equal(core_date_from_ymd(2025, 6, 15, &today), 0);

    assert_int_equal(core_eligibility(NULL, today), CORE_INELIG_NO_RECORD);

    core_personnel_clear(&p);
    p.entitled = true;
    assert_int_equal(core_eligibility(&p, today), 0);

    /* Every duty other than aktif. */
    for (int d = CORE_DUTY_LEFT; d <= CORE_DUTY_SUSPENDED; d++) {
        p.duty = (enum core_duty)d;
        assert_int_equal(core_eligibility(&p, today), CORE_INELIG_NOT_IN_SERVICE);
    }
    p.duty = CORE_DUTY_ACTIVE;

    /* The assignment's last day still counts; the day after it does not. */
    p.assignment_end = today;
    assert_int_equal(core_eligibility(&p, today), 0);
    p.assignment_end = today + 1;
    assert_int_equal(core_eligibility(&p, today), 0);
    p.assignment_end = today - 1;
    assert_int_equal(core_eligibility(&p, today), CORE_INELIG_ASSIGNMENT_ENDED);
    p.assignment_end = CORE_DATE_NONE;
    assert_int_equal(core_eligibility(&p, today), 0);

    p.entitled = false;
    assert_int_equal(core_eligibility(&p, today), CORE_INELIG_NOT_ENTITLED);

    /* Several at once. */
    p.duty = CORE_DUTY_RETIRED;
    p.assignment_end = today - 400;
    assert_int_equal(core_eligibility(&p, today), CORE_INELIG_NOT_IN_SERVICE |
                                                      CORE_INELIG_ASSIGNMENT_ENDED |
                                                      CORE_INELIG_NOT_ENTITLED);

    assert_string_equal(core_inelig_code(CORE_INELIG_NO_RECORD), "no_personnel_record");
    assert_string_equal(core_inelig_code(CORE_INELIG_NOT_IN_SERVICE), "not_in_service");
    assert_string_equal(core_inelig_code(CORE_INELIG_ASSIGNMENT_ENDED), "assignment_ended");
    assert_string_equal(core_inelig_code(CORE_INELIG_NOT_ENTITLED), "not_entitled");
    assert_null(core_inelig_code(0));
    assert_null(core_inelig_code(CORE_INELIG_NO_RECORD | CORE_INELIG_NOT_ENTITLED));
    assert_null(core_inelig_code(1u << 4));
}

static void test_phase_boundaries(void **state)
{
    (void)state;
    struct core_rules r;
    core_rules_default(&r);
    /* 2026-06-15T12:34:56Z */
    int64_t not_after = core_date_to_unix(20619) + 12 * 3600 + 34 * 60 + 56;
    int64_t opens = not_after - 90 * DAY, deadline = not_after - 30 * DAY;

    assert_int_equal(core_renewal_phase(&r, opens - 400 * DAY, not_after), CORE_PHASE_NOT_OPEN);
    assert_int_equal(core_renewal_phase(&r, opens - 1, not_after), CORE_PHASE_NOT_OPEN);
    assert_int_equal(core_renewal_phase(&r, opens, not_after), CORE_PHASE_OPEN);
    assert_int_equal(core_renewal_phase(&r, opens + 1, not_after), CORE_PHASE_OPEN);
    assert_int_equal(core_renewal_phase(&r, deadline - 1, not_after), CORE_PHASE_OPEN);
    assert_int_equal(core_renewal_phase(&r, deadline, not_after), CORE_PHASE_LATE);
    assert_int_equal(core_renewal_phase(&r, not_after - 1, not_after), CORE_PHASE_LATE);
    assert_int_equal(core_renewal_phase(&r, not_after, not_after), CORE_PHASE_EXPIRED);
    assert_int_equal(core_renewal_phase(&r, not_after + 1, not_after), CORE_PHASE_EXPIRED);
    assert_int_equal(core_renewal_phase(&r, not_after + 4000 * DAY, not_after), CORE_PHASE_EXPIRED);

    /* A deadline at expiry: never late. */
    r.deadline_days = 0;
    assert_int_equal(core_renewal_phase(&r, not_after - 1, not_after), CORE_PHASE_OPEN);
    assert_int_equal(core_renewal_phase(&r, not_after, not_after), CORE_PHASE_EXPIRED);

    /* Extreme dates do not overflow. */
    core_rules_default(&r);
    assert_int_equal(core_renewal_phase(&r, 0, INT64_MAX), CORE_PHASE_NOT_OPEN);
    assert_int_equal(core_renewal_phase(&r, 0, INT64_MIN + 5), CORE_PHASE_EXPIRED);
    assert_int_equal(core_renewal_phase(&r, INT64_MIN, INT64_MIN + 5), CORE_PHASE_LATE);

    assert_string_equal(core_phase_code(CORE_PHASE_NOT_OPEN), "not_open");
    assert_string_equal(core_phase_code(CORE_PHASE_OPEN), "open");
    assert_string_equal(core_phase_code(CORE_PHASE_LATE), "late");
    assert_string_equal(core_phase_code(CORE_PHASE_EXPIRED), "expired");
    assert_null(core_phase_code((enum core_phase)4));
}

static void test_methods(void **state)
{
    (void)state;
    unsigned both = CORE_METHOD_ESIGN | CORE_METHOD_WET;
    assert_int_equal(core_allowed_methods(CORE_PHASE_NOT_OPEN), both);
    assert_int_equal(core_allowed_methods(CORE_PHASE_OPEN), both);
    assert_int_equal(core_allowed_methods(CORE_PHASE_LATE), both);
    assert_int_equal(core_allowed_methods(CORE_PHASE_EXPIRED), CORE_METHOD_WET);
}

static void test_warning_milestones(void **state)
{
    (void)state;
    struct core_rules r;
    core_rules_default(&r);
    int32_t expiry_day = 20619; /* 2026-06-15 */
    int64_t not_after = core_date_to_unix(expiry_day) + 12 * 3600;
    /* midnight in Turkey (21:00 UTC the day before): the holder's days */
    int64_t midnight_90 = core_date_tr_to_unix(expiry_day - 90);
    int64_t midnight_60 = core_date_tr_to_unix(expiry_day - 60);
    int64_t midnight_30 = core_date_tr_to_unix(expiry_day - 30);

    assert_int_equal(core_warning_milestone(&r, midnight_90 - 200 * DAY, not_after), -1);
    assert_int_equal(core_warning_milestone(&r, midnight_90 - 1, not_after), -1);
    /* From 00:00 in Turkey of the milestone's day, although not_after - 90 days is at noon. */
    assert_int_equal(core_warning_milestone(&r, midnight_90, not_after), 0);
    assert_int_equal(core_warning_milestone(&r, midnight_90 + 12 * 3600, not_after), 0);
    assert_int_equal(core_warning_milestone(&r, midnight_60 - 1, not_after), 0);
    assert_int_equal(core_warning_milestone(&r, midnight_60, not_after), 1);
    assert_int_equal(core_warning_milestone(&r, midnight_30 - 1, not_after), 1);
    assert_int_equal(core_warning_milestone(&r, midnight_30, not_after), 2);
    /* A scan that missed days gets only the latest milestone. */
    assert_int_equal(core_warning_milestone(&r, midnight_60 + 15 * DAY, not_after), 1);
    assert_int_equal(core_warning_milestone(&r, not_after - 1, not_after), 2);
    /* Expired, to the second. */
    assert_int_equal(core_warning_milestone(&r, not_after, not_after), 3);
    assert_int_equal(core_warning_milestone(&r, not_after + 100 * DAY, not_after), 3);

    /* A certificate expiring at 00:00:00 UTC: its "day" is that day. */
    int64_t at_midnight = core_date_to_unix(expiry_day);
    assert_int_equal(core_warning_milestone(&r, midnight_90 - 1, at_midnight), -1);
    assert_int_equal(core_warning_milestone(&r, midnight_90, at_midnight), 0);
    assert_int_equal(core_warning_milestone(&r, at_midnight - 1, at_midnight), 2);
    assert_int_equal(core_warning_milestone(&r, at_midnight, at_midnight), 3);

    /* Other configurations. */
    r.warn_count = 0;
    assert_int_equal(core_warning_milestone(&r, not_after - 1, not_after), -1);
    assert_int_equal(core_warning_milestone(&r, not_after, not_after), 0);
    r.warn_count = 1;
    r.warn_days[0] = 7;
    assert_int_equal(core_warning_milestone(&r, midnight_30, not_after), -1);
    assert_int_equal(core_warning_milestone(&r, core_date_to_unix(expiry_day - 7), not_after), 0);
    assert_int_equal(core_warning_milestone(&r, not_after, not_after), 1);
    /* A count beyond the array is not read past its end. */
    core_rules_default(&r);
    r.warn_count = CORE_MAX_WARNINGS + 5;
    assert_int_equal(core_warning_milestone(&r, midnight_30, not_after), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),    cmocka_unit_test(test_check),
        cmocka_unit_test(test_eligibility), cmocka_unit_test(test_phase_boundaries),
        cmocka_unit_test(test_methods),     cmocka_unit_test(test_warning_milestones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
