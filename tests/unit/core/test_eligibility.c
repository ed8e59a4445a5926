/* Unit tests for core/eligibility.h: every reason alone and combined, the date edges of an
 * ending assignment, the remote-renewal limit's edge and its interplay with the method, the
 * iteration order, the texts, and the ready-made rejection table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/eligibility.h"
#include "core/reason.h"

static int32_t day(int y, int m, int d)
{
    int32_t v;
    assert_int_equal(core_date_from_ymd(y, m, d, &v), 0);
    return v;
}

/* An active, entitled person with no assignment end: eligible on any day. */
static void good_person(struct core_personnel *p)
{
    core_personnel_clear(p);
    memcpy(p->tckn, "10000000146", 12);
    p->duty = CORE_DUTY_ACTIVE;
    p->entitled = true;
    p->province = 72;
}

static struct core_verdict judge(const struct core_personnel *p, int32_t today, bool late,
                                 int chain, int limit, unsigned method)
{
    struct core_verdict_input in = {p, today, late, chain, limit, method};
    struct core_verdict v;
    memset(&v, 0xA5, sizeof v); /* every field must be written */
    core_verdict_make(&in, &v);
    return v;
}

static void test_eligible(void **state)
{
    struct core_personnel p;
    (void)state;
    good_person(&p);
    struct core_verdict v = judge(&p, day(2025, 3, 1), false, 0, 2, CORE_METHOD_ESIGN);
    assert_true(v.eligible);
    assert_int_equal(v.reasons, 0);
    assert_false(v.wet_required);
    assert_int_equal(core_verdict_count(v.reasons), 0);
}

static void test_each_reason_alone(void **state)
{
    struct core_personnel p;
    const int32_t today = day(2025, 3, 1);
    struct core_verdict v;
    (void)state;

    v = judge(NULL, today, false, 0, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_NO_PERSONNEL_RECORD);

    static const enum core_duty away[] = {CORE_DUTY_LEFT, CORE_DUTY_RETIRED, CORE_DUTY_SUSPENDED};
    for (size_t i = 0; i < 3; i++) {
        good_person(&p);
        p.duty = away[i];
        v = judge(&p, today, false, 0, 2, 0);
        assert_false(v.eligible);
        assert_int_equal(v.reasons, CORE_VR_NOT_IN_SERVICE);
    }

    good_person(&p);
    p.assignment_end = today - 1;
    v = judge(&p, today, false, 0, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_ASSIGNMENT_ENDED);

    good_person(&p);
    p.entitled = false;
    v = judge(&p, today, false, 0, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_NOT_ENTITLED);

    good_person(&p);
    v = judge(&p, today, false, 2, 2, CORE_METHOD_ESIGN);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_REMOTE_RENEWAL_LIMIT);
    assert_true(v.wet_required);

    /* late is a reason but never blocks approval. */
    good_person(&p);
    v = judge(&p, today, true, 0, 2, CORE_METHOD_ESIGN);
    assert_true(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_LATE);
    assert_false(v.wet_required);
}

static void test_combined(void **state)
{
    struct core_personnel p;
    const int32_t today = day(2025, 3, 1);
    struct core_verdict v;
    (void)state;

    good_person(&p);
    p.duty = CORE_DUTY_RETIRED;
    p.assignment_end = day(2024, 12, 31);
    p.entitled = false;
    v = judge(&p, today, true, 5, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_NOT_IN_SERVICE | CORE_VR_ASSIGNMENT_ENDED |
                                    CORE_VR_NOT_ENTITLED | CORE_VR_REMOTE_RENEWAL_LIMIT |
                                    CORE_VR_LATE);
    assert_true(v.wet_required);
    assert_int_equal(core_verdict_count(v.reasons), 5);

    /* No record: the record reasons collapse to no_personnel_record; the others still add. */
    v = judge(NULL, today, true, 3, 3, CORE_METHOD_ESIGN);
    assert_int_equal(v.reasons,
                     CORE_VR_NO_PERSONNEL_RECORD | CORE_VR_REMOTE_RENEWAL_LIMIT | CORE_VR_LATE);
    assert_false(v.eligible);

    /* Late and not entitled: the block comes from the record, not from lateness. */
    good_person(&p);
    p.entitled = false;
    v = judge(&p, today, true, 0, 2, 0);
    assert_int_equal(v.reasons, CORE_VR_NOT_ENTITLED | CORE_VR_LATE);
    assert_false(v.eligible);
}

static void test_assignment_dates(void **state)
{
    struct core_personnel p;
    const int32_t today = day(2024, 3, 1); /* after a leap day */
    (void)state;
    good_person(&p);

    p.assignment_end = today; /* the last day is still a day of the assignment */
    assert_true(judge(&p, today, false, 0, 2, 0).eligible);
    p.assignment_end = today - 1; /* 2024-02-29: ended yesterday */
    assert_int_equal(p.assignment_end, day(2024, 2, 29));
    struct core_verdict v = judge(&p, today, false, 0, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_ASSIGNMENT_ENDED);
    p.assignment_end = today + 1;
    assert_true(judge(&p, today, false, 0, 2, 0).eligible);
    p.assignment_end = CORE_DATE_NONE; /* open-ended */
    assert_true(judge(&p, today, false, 0, 2, 0).eligible);
    /* The same record judged on a later day. */
    p.assignment_end = day(2025, 12, 31);
    assert_true(judge(&p, day(2025, 12, 31), false, 0, 2, 0).eligible);
    assert_false(judge(&p, day(2026, 1, 1), false, 0, 2, 0).eligible);
}

static void test_remote_limit_edge(void **state)
{
    struct core_personnel p;
    const int32_t today = day(2025, 3, 1);
    struct core_verdict v;
    (void)state;
    good_person(&p);

    /* limit 2: two signature-only renewals are allowed, the third needs the wet path. */
    v = judge(&p, today, false, 1, 2, CORE_METHOD_ESIGN);
    assert_true(v.eligible);
    assert_false(v.wet_required);
    v = judge(&p, today, false, 2, 2, CORE_METHOD_ESIGN);
    assert_false(v.eligible);
    assert_true(v.wet_required);
    assert_int_equal(v.reasons, CORE_VR_REMOTE_RENEWAL_LIMIT);
    v = judge(&p, today, false, 3, 2, CORE_METHOD_ESIGN);
    assert_false(v.eligible);

    /* The method not chosen yet counts as the e-signature: warn before the choice. */
    v = judge(&p, today, false, 2, 2, 0);
    assert_false(v.eligible);
    assert_int_equal(v.reasons, CORE_VR_REMOTE_RENEWAL_LIMIT);

    /* On the wet path the limit holds nothing back; wet_required still says the in-person
     * check is due. */
    v = judge(&p, today, false, 2, 2, CORE_METHOD_WET);
    assert_true(v.eligible);
    assert_int_equal(v.reasons, 0);
    assert_true(v.wet_required);

    /* limit 1: no second signature-only renewal. */
    assert_true(judge(&p, today, false, 0, 1, CORE_METHOD_ESIGN).eligible);
    assert_false(judge(&p, today, false, 1, 1, CORE_METHOD_ESIGN).eligible);

    /* limit <= 0: no limit at all. */
    v = judge(&p, today, false, 1000, 0, CORE_METHOD_ESIGN);
    assert_true(v.eligible);
    assert_false(v.wet_required);
    v = judge(&p, today, false, 1000, -1, CORE_METHOD_ESIGN);
    assert_true(v.eligible);
    assert_false(v.wet_required);
}

static void test_codes_and_order(void **state)
{
    static const char *order[] = {"no_personnel_record", "not_in_service",       "assignment_ended",
                                  "not_entitled",        "remote_renewal_limit", "late"};
    size_t pos = 0, i = 0;
    unsigned bit = 0;
    (void)state;

    /* All bits: the codes come out in the fixed order. Unknown bits are skipped. */
    while (core_verdict_next(~0u, &pos, &bit)) {
        assert_true(i < 6);
        assert_string_equal(core_verdict_code(bit), order[i]);
        assert_int_equal(core_verdict_parse(order[i]), bit);
        i++;
    }
    assert_int_equal(i, 6);
    assert_false(core_verdict_next(~0u, &pos, &bit)); /* stays at the end */

    /* A subset, given out of order as bits, still comes in the fixed order. */
    pos = 0;
    i = 0;
    const char *got[6];
    while (core_verdict_next(CORE_VR_LATE | CORE_VR_NOT_ENTITLED | CORE_VR_NO_PERSONNEL_RECORD,
                             &pos, &bit))
        got[i++] = core_verdict_code(bit);
    assert_int_equal(i, 3);
    assert_string_equal(got[0], "no_personnel_record");
    assert_string_equal(got[1], "not_entitled");
    assert_string_equal(got[2], "late");

    pos = 0;
    assert_false(core_verdict_next(0, &pos, &bit));
    assert_false(core_verdict_next(1u << 20, &(size_t){0}, &bit));
    assert_int_equal(core_verdict_count(1u << 20), 0);

    assert_null(core_verdict_code(0));
    assert_null(core_verdict_code(1u << 20));
    assert_null(core_verdict_code(CORE_VR_LATE | CORE_VR_NOT_ENTITLED));
    assert_int_equal(core_verdict_parse("nope"), 0);
    assert_int_equal(core_verdict_parse(NULL), 0);
    assert_int_equal(core_verdict_parse(""), 0);

    /* The record reasons are the same bits and codes as core/rules.h's. */
    for (unsigned b = 1; b <= CORE_INELIG_NOT_ENTITLED; b <<= 1)
        assert_string_equal(core_verdict_code(b), core_inelig_code(b));
}

static void test_texts(void **state)
{
    size_t pos = 0;
    unsigned bit;
    (void)state;
    while (core_verdict_next(~0u, &pos, &bit)) {
        const char *tr = core_verdict_approver_text(bit, CORE_LANG_TR);
        const char *en = core_verdict_approver_text(bit, CORE_LANG_EN);
        assert_non_null(tr);
        assert_non_null(en);
        assert_true(strlen(tr) > 40);
        assert_true(strlen(en) > 40);
        assert_string_not_equal(tr, en);
        /* The applicant's message is in the one reason table (core/reason.c). */
        if (!core_reason_known(core_verdict_code(bit)))
            fail_msg("the reason table (core/reason.c) has no row for \"%s\"",
                     core_verdict_code(bit));
    }
    assert_null(core_verdict_approver_text(0, CORE_LANG_TR));
    assert_null(core_verdict_approver_text(1u << 20, CORE_LANG_EN));
    /* Record problems send the person to the personnel unit. */
    assert_non_null(
        strstr(core_verdict_approver_text(CORE_VR_ASSIGNMENT_ENDED, CORE_LANG_TR), "e-personel"));
    assert_non_null(
        strstr(core_verdict_approver_text(CORE_VR_NOT_ENTITLED, CORE_LANG_TR), "özlük birimi"));
    assert_non_null(strstr(core_verdict_approver_text(CORE_VR_REMOTE_RENEWAL_LIMIT, CORE_LANG_TR),
                           "Yöntem 2: Islak imzalı başvuru"));
}

/* Every reason has a short label for the queue, in both languages, far shorter than its
 * sentence; an unknown bit has none. */
static void test_short_texts(void **state)
{
    size_t pos = 0;
    unsigned bit;
    (void)state;
    while (core_verdict_next(~0u, &pos, &bit)) {
        for (int l = CORE_LANG_TR; l <= CORE_LANG_EN; l++) {
            const char *s = core_verdict_short_text(bit, (enum core_lang)l);
            const char *full = core_verdict_approver_text(bit, (enum core_lang)l);
            if (!s || !*s || strlen(s) > 32 || !strcmp(s, full))
                fail_msg("\"%s\" (%s) has no short label: \"%s\"", core_verdict_code(bit),
                         l ? "en" : "tr", s ? s : "(null)");
        }
        assert_string_not_equal(core_verdict_short_text(bit, CORE_LANG_TR),
                                core_verdict_short_text(bit, CORE_LANG_EN));
    }
    assert_string_equal(core_verdict_short_text(CORE_VR_NO_PERSONNEL_RECORD, CORE_LANG_TR),
                        "Kadro kaydı yok");
    assert_string_equal(core_verdict_short_text(CORE_VR_REMOTE_RENEWAL_LIMIT, CORE_LANG_TR),
                        "Islak imza gerekli");
    assert_null(core_verdict_short_text(0, CORE_LANG_TR));
    assert_null(core_verdict_short_text(1u << 20, CORE_LANG_EN));
}

static bool snake_case(const char *s)
{
    if (!*s || *s == '_')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static void test_rejections(void **state)
{
    unsigned covered = 0;
    (void)state;
    assert_true(core_rejections_count >= 5);
    for (size_t i = 0; i < core_rejections_count; i++) {
        const struct core_rejection *r = &core_rejections[i];
        assert_true(snake_case(r->code));
        assert_true(strlen(core_rejection_text(r, CORE_LANG_TR)) > 30);
        assert_true(strlen(core_rejection_text(r, CORE_LANG_EN)) > 30);
        /* Distinct codes; and none reuses a reason code, so a code always means one text. */
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(core_rejections[j].code, r->code);
        assert_false(core_reason_known(r->code));
        assert_ptr_equal(core_rejection_find(r->code), r);
        assert_int_equal(r->verdict & ~CORE_VR_BLOCKING, 0);
        covered |= r->verdict;
    }
    /* Every blocking reason has a ready text to reject with. */
    assert_int_equal(covered, CORE_VR_BLOCKING);
    assert_null(core_rejection_find("nope"));
    assert_null(core_rejection_find(NULL));
    assert_non_null(
        strstr(core_rejection_text(core_rejection_find("records_outdated"), CORE_LANG_TR),
               "MEBBİS kayıtlarınız güncel değil; il/ilçe millî eğitim özlük "
               "biriminizle görüşünüz"));
    assert_non_null(core_rejection_find("other"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eligible),
        cmocka_unit_test(test_each_reason_alone),
        cmocka_unit_test(test_combined),
        cmocka_unit_test(test_assignment_dates),
        cmocka_unit_test(test_remote_limit_edge),
        cmocka_unit_test(test_codes_and_order),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_short_texts),
        cmocka_unit_test(test_rejections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
