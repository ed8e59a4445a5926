/* Unit tests for core/appstate.h: the transition table is exactly the intended one (every
 * (state, event) pair outside it is refused), final states are dead ends, every state is
 * reachable and can finish, and codes and labels round-trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/appstate.h"
#include "core/trtext.h"

#define NS CORE_APP__STATE_COUNT
#define NE CORE_APP__EVENT_COUNT

/* The intended machine, written out independently of appstate.c. */
static const struct {
    const char *from, *event, *to;
} expected[] = {
    {"draft", "code_verified", "code_verified"},
    {"code_verified", "signed", "submitted"},
    {"code_verified", "wet_chosen", "awaiting_original"},
    {"awaiting_original", "paper_received", "submitted"},
    {"submitted", "approve", "approved"},
    {"submitted", "reject", "rejected"},
    {"approved", "order", "in_production"},
    {"in_production", "ship", "shipped"},
    {"in_production", "production_refused", "approved"},
    {"in_production", "deliver", "delivered"},
    {"shipped", "deliver", "delivered"},
    {"approved", "cert_in_use", "completed"},
    {"in_production", "cert_in_use", "completed"},
    {"delivered", "cert_in_use", "completed"},
    {"shipped", "cert_in_use", "completed"},
    {"draft", "cancel", "cancelled"},
    {"code_verified", "cancel", "cancelled"},
    {"awaiting_original", "cancel", "cancelled"},
    {"submitted", "cancel", "cancelled"},
    {"approved", "cancel", "cancelled"},
    {"in_production", "cancel", "cancelled"},
    {"shipped", "cancel", "cancelled"},
    {"delivered", "cancel", "cancelled"},
    {"code_verified", "reopen", "draft"},
};
#define NEXPECTED (sizeof expected / sizeof expected[0])

static enum core_app_state state_of(const char *code)
{
    enum core_app_state s;
    if (core_app_state_parse(code, &s) != 0)
        fail_msg("unknown state \"%s\"", code);
    return s;
}

static enum core_app_event event_of(const char *code)
{
    enum core_app_event e;
    if (core_app_event_parse(code, &e) != 0)
        fail_msg("unknown event \"%s\"", code);
    return e;
}

static void test_every_pair(void **state)
{
    (void)state;
    int allowed = 0;
    for (int s = 0; s < NS; s++) {
        for (int e = 0; e < NE; e++) {
            const char *want = NULL;
            for (size_t i = 0; i < NEXPECTED; i++)
                if (state_of(expected[i].from) == (enum core_app_state)s &&
                    event_of(expected[i].event) == (enum core_app_event)e)
                    want = expected[i].to;
            enum core_app_state to = (enum core_app_state)77;
            int rc = core_app_next((enum core_app_state)s, (enum core_app_event)e, &to);
            if (want) {
                if (rc != 0)
                    fail_msg("%s --%s--> refused, want %s",
                             core_app_state_code((enum core_app_state)s),
                             core_app_event_code((enum core_app_event)e), want);
                assert_int_equal(to, state_of(want));
                allowed++;
            } else {
                if (rc != -1)
                    fail_msg("%s --%s--> %s allowed, want refused",
                             core_app_state_code((enum core_app_state)s),
                             core_app_event_code((enum core_app_event)e), core_app_state_code(to));
                assert_int_equal(to, 77); /* untouched */
            }
        }
    }
    assert_int_equal(allowed, NEXPECTED);
    assert_int_equal(core_app_transitions_count, NEXPECTED);
    /* Out-of-range values are refused too. */
    enum core_app_state to;
    assert_int_equal(core_app_next((enum core_app_state)NS, CORE_EV_CANCEL, &to), -1);
    assert_int_equal(core_app_next(CORE_APP_DRAFT, (enum core_app_event)NE, &to), -1);
}

static void test_table_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < core_app_transitions_count; i++) {
        const struct core_app_transition *t = &core_app_transitions[i];
        assert_true((unsigned)t->from < NS && (unsigned)t->to < NS && (unsigned)t->event < NE);
        for (size_t j = i + 1; j < core_app_transitions_count; j++)
            assert_false(core_app_transitions[j].from == t->from &&
                         core_app_transitions[j].event == t->event);
    }
}

static void test_final_states(void **state)
{
    (void)state;
    int finals = 0;
    for (int s = 0; s < NS; s++) {
        bool final = core_app_is_final((enum core_app_state)s);
        finals += final;
        bool has_exit = false;
        for (size_t i = 0; i < core_app_transitions_count; i++)
            has_exit |= core_app_transitions[i].from == (enum core_app_state)s;
        assert_int_equal(has_exit, !final); /* final exactly when there is no way out */
    }
    assert_int_equal(finals, 3);
    assert_true(core_app_is_final(CORE_APP_REJECTED));
    assert_true(core_app_is_final(CORE_APP_COMPLETED));
    assert_true(core_app_is_final(CORE_APP_CANCELLED));
    assert_false(core_app_is_final(CORE_APP_DELIVERED));
}

/* Every state is reachable from draft, and from every state a final one is reachable. */
static void test_reachability(void **state)
{
    (void)state;
    bool reach[NS] = {false};
    reach[CORE_APP_DRAFT] = true;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < core_app_transitions_count; i++) {
            const struct core_app_transition *t = &core_app_transitions[i];
            if (reach[t->from] && !reach[t->to])
                reach[t->to] = changed = true;
        }
    }
    bool ends[NS] = {false};
    for (int s = 0; s < NS; s++)
        ends[s] = core_app_is_final((enum core_app_state)s);
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < core_app_transitions_count; i++) {
            const struct core_app_transition *t = &core_app_transitions[i];
            if (ends[t->to] && !ends[t->from])
                ends[t->from] = changed = true;
        }
    }
    for (int s = 0; s < NS; s++) {
        if (!reach[s] || !ends[s])
            fail_msg("state %s: reachable %d, can finish %d",
                     core_app_state_code((enum core_app_state)s), reach[s], ends[s]);
    }
}

/* The happy paths, step by step. */
static void test_paths(void **state)
{
    (void)state;
    static const enum core_app_event esign[] = {
        CORE_EV_CODE_VERIFIED, CORE_EV_SIGNED,  CORE_EV_APPROVE,    CORE_EV_ORDER,
        CORE_EV_SHIP,          CORE_EV_DELIVER, CORE_EV_CERT_IN_USE};
    enum core_app_state s = CORE_APP_DRAFT;
    for (size_t i = 0; i < sizeof esign / sizeof esign[0]; i++)
        assert_int_equal(core_app_next(s, esign[i], &s), 0);
    assert_int_equal(s, CORE_APP_COMPLETED);

    static const enum core_app_event wet[] = {CORE_EV_CODE_VERIFIED,  CORE_EV_REOPEN,
                                              CORE_EV_CODE_VERIFIED,  CORE_EV_WET_CHOSEN,
                                              CORE_EV_PAPER_RECEIVED, CORE_EV_REJECT};
    s = CORE_APP_DRAFT;
    for (size_t i = 0; i < sizeof wet / sizeof wet[0]; i++)
        assert_int_equal(core_app_next(s, wet[i], &s), 0);
    assert_int_equal(s, CORE_APP_REJECTED);

    /* The card bureau's certificate may come before the courier; a refused card goes back to
     * be ordered again; no cancelling once it ended; no skipping steps. */
    static const enum core_app_event bureau[] = {CORE_EV_ORDER, CORE_EV_REFUSE, CORE_EV_ORDER,
                                                 CORE_EV_CERT_IN_USE};
    s = CORE_APP_APPROVED;
    for (size_t i = 0; i < sizeof bureau / sizeof bureau[0]; i++)
        assert_int_equal(core_app_next(s, bureau[i], &s), 0);
    assert_int_equal(s, CORE_APP_COMPLETED);
    assert_int_equal(core_app_next(CORE_APP_COMPLETED, CORE_EV_CANCEL, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_REJECTED, CORE_EV_CANCEL, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_DRAFT, CORE_EV_SIGNED, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_SUBMITTED, CORE_EV_SIGNED, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_AWAITING_ORIGINAL, CORE_EV_APPROVE, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_SUBMITTED, CORE_EV_CERT_IN_USE, &s), -1);
    assert_int_equal(core_app_next(CORE_APP_SHIPPED, CORE_EV_REFUSE, &s), -1);
}

static void test_codes_and_labels(void **state)
{
    (void)state;
    static const char *const states[NS] = {
        "draft",         "code_verified", "submitted", "awaiting_original", "approved",  "rejected",
        "in_production", "shipped",       "delivered", "completed",         "cancelled",
    };
    static const char *const events[NE] = {
        "code_verified",
        "signed",
        "wet_chosen",
        "paper_received",
        "approve",
        "reject",
        "order",
        "ship",
        "deliver",
        "cert_in_use",
        "cancel",
        "reopen",
        "production_refused",
    };
    for (int s = 0; s < NS; s++) {
        assert_string_equal(core_app_state_code((enum core_app_state)s), states[s]);
        assert_int_equal(state_of(states[s]), s);
        const char *label = core_app_state_label_tr((enum core_app_state)s);
        assert_non_null(label);
        assert_true(strlen(label) > 0 && core_utf8_valid(label, strlen(label)));
        for (int t = s + 1; t < NS; t++)
            assert_string_not_equal(label, core_app_state_label_tr((enum core_app_state)t));
    }
    for (int e = 0; e < NE; e++) {
        assert_string_equal(core_app_event_code((enum core_app_event)e), events[e]);
        assert_int_equal(event_of(events[e]), e);
    }
    assert_string_equal(core_app_state_label_tr(CORE_APP_DRAFT), "Taslak");
    assert_string_equal(core_app_state_label_tr(CORE_APP_SUBMITTED), "Onay bekliyor");
    assert_string_equal(core_app_state_label_tr(CORE_APP_CANCELLED), "İptal edildi");
    assert_null(core_app_state_code((enum core_app_state)NS));
    assert_null(core_app_state_label_tr((enum core_app_state)NS));
    assert_null(core_app_event_code((enum core_app_event)NE));

    enum core_app_state s = CORE_APP_APPROVED;
    enum core_app_event e = CORE_EV_SHIP;
    static const char *const bad[] = {"", "Draft", "DRAFT", "draft ", "drafts", "taslak"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(core_app_state_parse(bad[i], &s), -1);
        assert_int_equal(core_app_event_parse(bad[i], &e), -1);
    }
    assert_int_equal(core_app_state_parse(NULL, &s), -1);
    assert_int_equal(core_app_event_parse(NULL, &e), -1);
    assert_int_equal(core_app_event_parse("submitted", &e), -1); /* a state, not an event */
    assert_int_equal(s, CORE_APP_APPROVED);
    assert_int_equal(e, CORE_EV_SHIP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),   cmocka_unit_test(test_table_rows),
        cmocka_unit_test(test_final_states), cmocka_unit_test(test_reachability),
        cmocka_unit_test(test_paths),        cmocka_unit_test(test_codes_and_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
