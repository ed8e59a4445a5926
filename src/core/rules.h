/* eimza — eligibility and the renewal timeline (core/: pure; "today"/"now" are passed in).
 *
 * The guide's rules, configurable: a certificate is valid 3 years; the first warning goes 90
 * days before expiry, reminders at 60 and 30; the renewal window opens 90 days before expiry
 * and the deadline is 30 days before (later applications are flagged late); once expired,
 * only the wet-signature method is possible. Approval needs the personnel record to show the
 * person in service, with an assignment that has not ended, and entitled to an e-signature.
 */
#ifndef EIMZA_CORE_RULES_H
#define EIMZA_CORE_RULES_H

#include <stdint.h>

#include "core/personnel.h"

#define CORE_MAX_WARNINGS 8

struct core_rules {
    int validity_years;               /* 3 */
    int warn_days[CORE_MAX_WARNINGS]; /* 90, 60, 30: days before expiry, descending */
    int warn_count;                   /* 3 */
    int window_open_days;             /* 90: applying opens this many days before expiry */
    int deadline_days;                /* 30: applications after this are "late" */
    int otp_ttl_seconds;              /* 300 */
    int otp_max_wrong;                /* 3 */
    int otp_cooldown_seconds;         /* 60 */
    int otp_max_per_hour;             /* 5 */
    int delivery_expected_days;       /* 15 */
};

/* Fills r with the guide's values (above). */
void core_rules_default(struct core_rules *r);
/* Checks a configured set: positive values, warnings descending, deadline < window, ...
 * Returns NULL, or a reason code describing the first inconsistency:
 *   "rules_validity_years"  validity_years not in 1..10
 *   "rules_warn_count"      warn_count not in 0..CORE_MAX_WARNINGS
 *   "rules_warn_days"       a warning day < 1, >= validity_years*365, or not strictly descending
 *   "rules_window"          window_open_days < 1 or >= validity_years*365
 *   "rules_deadline"        deadline_days < 0 or >= window_open_days
 *   "rules_otp"             otp_ttl_seconds not in 1..86400, otp_max_wrong < 1,
 *                           otp_cooldown_seconds < 0 or otp_max_per_hour < 1
 *   "rules_delivery_days"   delivery_expected_days < 1 */
const char *core_rules_check(const struct core_rules *r);

/* Reasons a person is not eligible; 0 means eligible. Bits, so several can hold at once. */
enum core_inelig {
    CORE_INELIG_NO_RECORD = 1u << 0,        /* "no_personnel_record" */
    CORE_INELIG_NOT_IN_SERVICE = 1u << 1,   /* "not_in_service": gorev_durumu is not aktif */
    CORE_INELIG_ASSIGNMENT_ENDED = 1u << 2, /* "assignment_ended": gorevlendirme_bitis < today */
    CORE_INELIG_NOT_ENTITLED = 1u << 3,     /* "not_entitled": eimza_hakki = 0 */
};
/* The verdict for a record (NULL: no record) on the given day. */
unsigned core_eligibility(const struct core_personnel *p, int32_t today);
/* The code of one reason bit ("no_personnel_record", ...); NULL for anything else. The
 * messages are in core/reason.h under the same codes. */
const char *core_inelig_code(unsigned bit);

enum core_phase {
    CORE_PHASE_NOT_OPEN = 0, /* "not_open": more than window_open_days before expiry */
    CORE_PHASE_OPEN,         /* "open": in the window, before the deadline */
    CORE_PHASE_LATE,         /* "late": past the deadline, not yet expired */
    CORE_PHASE_EXPIRED,      /* "expired": now >= not_after */
};
/* Where "now" stands relative to a certificate's not_after (both Unix seconds). The window
 * opens at not_after - window_open_days*86400, the deadline is not_after - deadline_days*86400.
 * Each boundary belongs to the later phase: at exactly the opening instant the phase is open,
 * at exactly the deadline late, at exactly not_after expired.
 */
enum core_phase core_renewal_phase(const struct core_rules *r, int64_t now, int64_t not_after);
const char *core_phase_code(enum core_phase p);

enum core_method {
    CORE_METHOD_ESIGN = 1u << 0, /* Yöntem 1: E-İmzalı Başvuru */
    CORE_METHOD_WET = 1u << 1,   /* Yöntem 2: Islak İmzalı Başvuru */
};
/* The signing methods open in a phase: both while the certificate is valid, only the wet
 * signature once it has expired. */
unsigned core_allowed_methods(enum core_phase p);

/* The warning milestone reached on "now" for a certificate: the index into r->warn_days of
 * the latest milestone whose day has come (so a scan that missed days gets only the latest),
 * r->warn_count for "expired", or -1 when no milestone has been reached yet. Milestones count
 * in UTC days: milestone i's day is (UTC day of not_after) - warn_days[i], reached from 00:00
 * UTC of that day; "expired" is now >= not_after to the second, as in core_renewal_phase. */
int core_warning_milestone(const struct core_rules *r, int64_t now, int64_t not_after);

#endif
