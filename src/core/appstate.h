/* eimza — the application's state machine (core/: pure). One transition table: every allowed
 * (state, event) -> next state is a row of it; anything else is refused. */
#ifndef EIMZA_CORE_APPSTATE_H
#define EIMZA_CORE_APPSTATE_H

#include <stddef.h>

#include "core/reason.h"

enum core_app_state {
    CORE_APP_DRAFT = 0,         /* "draft": form being filled in */
    CORE_APP_CODE_VERIFIED,     /* "code_verified": SMS code entered correctly */
    CORE_APP_SUBMITTED,         /* "submitted": signed (or paper received), waits for approval */
    CORE_APP_AWAITING_ORIGINAL, /* "awaiting_original": wet signature chosen, paper on its way */
    CORE_APP_APPROVED,          /* "approved" */
    CORE_APP_REJECTED,          /* "rejected" (final) */
    CORE_APP_IN_PRODUCTION,     /* "in_production": card ordered */
    CORE_APP_SHIPPED,           /* "shipped": handed to the courier */
    CORE_APP_DELIVERED,         /* "delivered" */
    CORE_APP_COMPLETED,         /* "completed": new certificate in use (final) */
    CORE_APP_CANCELLED,         /* "cancelled" (final) */
    CORE_APP__STATE_COUNT
};

enum core_app_event {
    CORE_EV_CODE_VERIFIED = 0, /* "code_verified": applicant entered the right SMS code */
    CORE_EV_SIGNED,            /* "signed": a valid e-signature was accepted */
    CORE_EV_WET_CHOSEN,        /* "wet_chosen": applicant chose the printed form */
    CORE_EV_PAPER_RECEIVED,    /* "paper_received": operator recorded the signed paper */
    CORE_EV_APPROVE,           /* "approve": provincial approver approved */
    CORE_EV_REJECT,            /* "reject": provincial approver rejected, with a reason */
    CORE_EV_ORDER,             /* "order": operator ordered the card's production */
    CORE_EV_SHIP,              /* "ship": operator recorded the courier shipment */
    CORE_EV_DELIVER,           /* "deliver": delivery recorded */
    CORE_EV_CERT_IN_USE,       /* "cert_in_use": the new certificate was imported */
    CORE_EV_CANCEL,            /* "cancel": applicant or operator cancelled */
    CORE_EV_REOPEN,            /* "reopen": applicant edited the form after the code step */
    CORE_EV_REFUSE,            /* "production_refused": the card bureau refused to make it */
    CORE_APP__EVENT_COUNT
};

struct core_app_transition {
    enum core_app_state from;
    enum core_app_event event;
    enum core_app_state to;
};

/* The table itself (for documentation, tests and the status page's "what happens next"). */
extern const struct core_app_transition core_app_transitions[];
extern const size_t core_app_transitions_count;

/* Looks (from, event) up; returns 0 and sets *to, or -1 when the event is not allowed there. */
int core_app_next(enum core_app_state from, enum core_app_event event, enum core_app_state *to);
int core_app_is_final(enum core_app_state s);

const char *core_app_state_code(enum core_app_state s); /* "draft", ... */
int core_app_state_parse(const char *s, enum core_app_state *out);
const char *core_app_event_code(enum core_app_event e); /* "code_verified", ... */
int core_app_event_parse(const char *s, enum core_app_event *out);
/* Turkish label for the status page ("Taslak", "Onay bekliyor", ...). */
const char *core_app_state_label_tr(enum core_app_state s);
/* The label in a language (English for CORE_LANG_EN, Turkish otherwise). */
const char *core_app_state_label(enum core_app_state s, enum core_lang lang);

#endif
