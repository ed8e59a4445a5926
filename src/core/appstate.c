/* eimza — the application's state machine: the one transition table, and the codes and
 * Turkish labels of states and events (core/: pure). See appstate.h.
 *
 * The table is the whole life of an application: the applicant verifies the SMS code, then
 * signs electronically (straight to submitted) or chooses the wet signature (and waits for
 * the paper); the provincial approver decides; the operator orders the card, ships it and
 * records the delivery (or the holder confirms it); the new certificate in use completes it:
 * imported (the card bureau's certificate, which may come before the courier) or, for a card
 * made in house, tried by its holder. A bureau that refuses to make a card sends the
 * application back to approved, to be ordered again or cancelled. The holder cancels until an
 * approver has decided; an operator may cancel any application that is still going (the app
 * layer says who may do which).
 */
#include "core/appstate.h"

#include <string.h>

const struct core_app_transition core_app_transitions[] = {
    {CORE_APP_DRAFT, CORE_EV_CODE_VERIFIED, CORE_APP_CODE_VERIFIED},
    {CORE_APP_CODE_VERIFIED, CORE_EV_SIGNED, CORE_APP_SUBMITTED},
    {CORE_APP_CODE_VERIFIED, CORE_EV_WET_CHOSEN, CORE_APP_AWAITING_ORIGINAL},
    {CORE_APP_CODE_VERIFIED, CORE_EV_REOPEN, CORE_APP_DRAFT},
    {CORE_APP_AWAITING_ORIGINAL, CORE_EV_PAPER_RECEIVED, CORE_APP_SUBMITTED},
    {CORE_APP_SUBMITTED, CORE_EV_APPROVE, CORE_APP_APPROVED},
    {CORE_APP_SUBMITTED, CORE_EV_REJECT, CORE_APP_REJECTED},
    {CORE_APP_APPROVED, CORE_EV_ORDER, CORE_APP_IN_PRODUCTION},
    {CORE_APP_IN_PRODUCTION, CORE_EV_SHIP, CORE_APP_SHIPPED},
    {CORE_APP_IN_PRODUCTION, CORE_EV_REFUSE, CORE_APP_APPROVED},
    {CORE_APP_IN_PRODUCTION, CORE_EV_DELIVER, CORE_APP_DELIVERED}, /* handed over in person */
    {CORE_APP_SHIPPED, CORE_EV_DELIVER, CORE_APP_DELIVERED},
    {CORE_APP_APPROVED, CORE_EV_CERT_IN_USE, CORE_APP_COMPLETED},
    {CORE_APP_IN_PRODUCTION, CORE_EV_CERT_IN_USE, CORE_APP_COMPLETED},
    {CORE_APP_SHIPPED, CORE_EV_CERT_IN_USE, CORE_APP_COMPLETED},
    {CORE_APP_DELIVERED, CORE_EV_CERT_IN_USE, CORE_APP_COMPLETED},
    /* The holder cancels until an approver has decided; an operator at any step before the
     * end (app/card_flow.c). */
    {CORE_APP_DRAFT, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_CODE_VERIFIED, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_AWAITING_ORIGINAL, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_SUBMITTED, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_APPROVED, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_IN_PRODUCTION, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_SHIPPED, CORE_EV_CANCEL, CORE_APP_CANCELLED},
    {CORE_APP_DELIVERED, CORE_EV_CANCEL, CORE_APP_CANCELLED},
};

const size_t core_app_transitions_count =
    sizeof core_app_transitions / sizeof core_app_transitions[0];

int core_app_next(enum core_app_state from, enum core_app_event event, enum core_app_state *to)
{
    for (size_t i = 0; i < core_app_transitions_count; i++) {
        if (core_app_transitions[i].from == from && core_app_transitions[i].event == event) {
            *to = core_app_transitions[i].to;
            return 0;
        }
    }
    return -1;
}

int core_app_is_final(enum core_app_state s)
{
    return s == CORE_APP_REJECTED || s == CORE_APP_COMPLETED || s == CORE_APP_CANCELLED;
}

/* Each state's stable code; its label is the catalogue's "state.<code>" (po/). */
static const char *const states[CORE_APP__STATE_COUNT] = {
    [CORE_APP_DRAFT] = "draft",
    [CORE_APP_CODE_VERIFIED] = "code_verified",
    [CORE_APP_SUBMITTED] = "submitted",
    [CORE_APP_AWAITING_ORIGINAL] = "awaiting_original",
    [CORE_APP_APPROVED] = "approved",
    [CORE_APP_REJECTED] = "rejected",
    [CORE_APP_IN_PRODUCTION] = "in_production",
    [CORE_APP_SHIPPED] = "shipped",
    [CORE_APP_DELIVERED] = "delivered",
    [CORE_APP_COMPLETED] = "completed",
    [CORE_APP_CANCELLED] = "cancelled",
};

static const char *const events[CORE_APP__EVENT_COUNT] = {
    [CORE_EV_CODE_VERIFIED] = "code_verified",
    [CORE_EV_SIGNED] = "signed",
    [CORE_EV_WET_CHOSEN] = "wet_chosen",
    [CORE_EV_PAPER_RECEIVED] = "paper_received",
    [CORE_EV_APPROVE] = "approve",
    [CORE_EV_REJECT] = "reject",
    [CORE_EV_ORDER] = "order",
    [CORE_EV_SHIP] = "ship",
    [CORE_EV_DELIVER] = "deliver",
    [CORE_EV_CERT_IN_USE] = "cert_in_use",
    [CORE_EV_CANCEL] = "cancel",
    [CORE_EV_REOPEN] = "reopen",
    [CORE_EV_REFUSE] = "production_refused",
};

const char *core_app_state_code(enum core_app_state s)
{
    if ((unsigned)s >= CORE_APP__STATE_COUNT)
        return NULL;
    return states[s];
}

const char *core_app_state_label_tr(enum core_app_state s)
{
    if ((unsigned)s >= CORE_APP__STATE_COUNT)
        return NULL;
    return core_text_of("state", states[s], CORE_LANG_TR);
}

const char *core_app_state_label(enum core_app_state s, enum core_lang lang)
{
    if ((unsigned)s >= CORE_APP__STATE_COUNT)
        return NULL;
    return core_text_of("state", states[s], lang);
}

int core_app_state_parse(const char *s, enum core_app_state *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < CORE_APP__STATE_COUNT; i++) {
        if (strcmp(states[i], s) == 0) {
            *out = (enum core_app_state)i;
            return 0;
        }
    }
    return -1;
}

const char *core_app_event_code(enum core_app_event e)
{
    if ((unsigned)e >= CORE_APP__EVENT_COUNT)
        return NULL;
    return events[e];
}

int core_app_event_parse(const char *s, enum core_app_event *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < CORE_APP__EVENT_COUNT; i++) {
        if (strcmp(events[i], s) == 0) {
            *out = (enum core_app_event)i;
            return 0;
        }
    }
    return -1;
}
