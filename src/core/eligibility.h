/* eimza — the approvers' verdict on one application (core/: pure; "today" is passed in).
 *
 * Built on core_eligibility (core/rules.h: what the personnel record says) and adds what the
 * application itself says: whether it came after the renewal deadline ("late"), and whether
 * the holder has already renewed by signature alone as many times in a row as allowed
 * ("remote_renewal_limit").
 *
 * Decision — remote_renewal_limit makes the verdict NOT eligible: an application that must go
 * the wet-signature path with an in-person identity check cannot be approved as an e-signed
 * one. It applies only while the method is the e-signature or not chosen yet; an application
 * on the wet path with the in-person check is not held back by it (wet_required stays true so
 * the pages say the check is due). "late" is a reason but never makes a verdict ineligible:
 * the deadline is there to hurry people, and the guide approves late applications (the
 * approver sees the flag and the applicant has been told).
 *
 * Texts: the applicant-facing message of every code is in the one reason table (core/reason.c,
 * core_reason_message). The approver-facing explanation (what to check, what to tell the
 * person) is a verdict explanation, not an error message, and lives here. The ready-made
 * rejection texts approvers choose from are a small table here too.
 */
#ifndef EIMZA_CORE_ELIGIBILITY_H
#define EIMZA_CORE_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/personnel.h"
#include "core/reason.h"
#include "core/rules.h"

/* The reason bits, in the fixed order their codes are listed. The first four are the personnel
 * record's (the same values as core/rules.h's CORE_INELIG_*). */
enum core_verdict_reason {
    CORE_VR_NO_PERSONNEL_RECORD = CORE_INELIG_NO_RECORD,     /* "no_personnel_record" */
    CORE_VR_NOT_IN_SERVICE = CORE_INELIG_NOT_IN_SERVICE,     /* "not_in_service" */
    CORE_VR_ASSIGNMENT_ENDED = CORE_INELIG_ASSIGNMENT_ENDED, /* "assignment_ended" */
    CORE_VR_NOT_ENTITLED = CORE_INELIG_NOT_ENTITLED,         /* "not_entitled" */
    CORE_VR_REMOTE_RENEWAL_LIMIT = 1u << 4,                  /* "remote_renewal_limit" */
    CORE_VR_LATE = 1u << 5,                                  /* "late" */
};
#define CORE_VR_COUNT 6
/* The reasons that make a verdict ineligible (every one but late). */
#define CORE_VR_BLOCKING                                                                           \
    (CORE_VR_NO_PERSONNEL_RECORD | CORE_VR_NOT_IN_SERVICE | CORE_VR_ASSIGNMENT_ENDED |             \
     CORE_VR_NOT_ENTITLED | CORE_VR_REMOTE_RENEWAL_LIMIT)

struct core_verdict_input {
    const struct core_personnel *person; /* the record now; NULL: none */
    int32_t today;                       /* core/date.h days */
    bool late;        /* the application came after the renewal deadline (as stored) */
    int remote_chain; /* signature-only renewals in a row so far (store_remote_chain_get) */
    int remote_limit; /* the configured most; <= 0: no limit */
    unsigned method;  /* CORE_METHOD_ESIGN, CORE_METHOD_WET, or 0 when not chosen yet */
};

struct core_verdict {
    bool eligible;     /* may be approved as it is: no blocking reason */
    unsigned reasons;  /* enum core_verdict_reason bits */
    bool wet_required; /* the remote-renewal limit is reached: only the wet-signature path
                          with an in-person identity check is open (whatever the method) */
};

/* The verdict for one application. Reasons combine: a record can be both not in service and
 * not entitled. With no record at all the only record reason is no_personnel_record. */
void core_verdict_make(const struct core_verdict_input *in, struct core_verdict *out);

/* The code of one reason bit ("no_personnel_record", ..., "remote_renewal_limit", "late");
 * NULL for anything else. */
const char *core_verdict_code(unsigned bit);
/* The bit of a code, or 0 for an unknown code. */
unsigned core_verdict_parse(const char *code);

/* Iterates the reasons set in `reasons` in the fixed order: start with *pos = 0; each call
 * gives the next set bit and returns true, false when there are no more. Bits outside the
 * known ones are skipped.
 *     size_t pos = 0; unsigned bit;
 *     while (core_verdict_next(v.reasons, &pos, &bit)) use(core_verdict_code(bit));   */
bool core_verdict_next(unsigned reasons, size_t *pos, unsigned *bit);
/* How many known reasons are set. */
size_t core_verdict_count(unsigned reasons);

/* For the approver: what the reason means for this application and what to do about it
 * (Turkish or English; the catalogue's "verdict.<code>"). NULL for an unknown bit. The applicant's
 * message for the same code is core_reason_message(core_verdict_code(bit), lang). */
const char *core_verdict_approver_text(unsigned bit, enum core_lang lang);
/* The same reason as a short label for a list (the approvers' queue: "Kadro kaydı yok"): the
 * catalogue's "reason_short.<code>", or the full core_verdict_approver_text for a code that has
 * none (the one place that falls back). NULL for an unknown bit. */
const char *core_verdict_short_text(unsigned bit, enum core_lang lang);

/* ---- ready-made rejection reasons -----------------------------------------------------------
 * The texts approvers pick from when rejecting (they may also write their own). Each says, to
 * the applicant, why and what to do next. Codes are stable (stored with the decision). */
struct core_rejection {
    const char *code; /* snake_case, stable; the text is the catalogue's "rejection.<code>" */
    unsigned verdict; /* the verdict reasons it answers (suggested first when set); 0: any */
};
extern const struct core_rejection core_rejections[];
extern const size_t core_rejections_count;
/* The row of a code; NULL when unknown. */
const struct core_rejection *core_rejection_find(const char *code);
/* A rejection's text for the applicant, in Turkish or English. */
const char *core_rejection_text(const struct core_rejection *r, enum core_lang lang);

#endif
