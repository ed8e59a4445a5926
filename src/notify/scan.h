/* eimza — the notification scan (notify/): who should hear from eimza today, queued in the
 * outbox.
 *
 * One pass queues, for "now":
 *   - expiry warnings: every holder whose current certificate reached a milestone (by default
 *     90, 60 and 30 days before expiry, then the expiry itself) gets the message of the latest
 *     milestone reached, by e-mail and by SMS (each where the personnel record has an address
 *     or a mobile number). A scan that missed days sends the latest milestone only; a
 *     milestone is never sent again, nor an earlier one after a later; a holder who applied
 *     (an application still going, or one made since the certificate was issued), whose
 *     certificate was revoked, or who has a newer certificate, gets nothing. Someone the
 *     personnel records show as not entitled to an e-signature, or as having left or retired,
 *     gets nothing either (the milestone is recorded all the same);
 *   - reminders: an application that waits for its applicant (draft: the SMS code never
 *     verified; code_verified: not signed; awaiting_original: the signed paper not arrived)
 *     and has not changed for reminder_days gets one reminder per state, through the channels
 *     the form asked for (notify_by), to the form's addresses or else the record's;
 *   - late cards: an application approved delivery_expected_days ago or more whose card has not
 *     arrived (approved, in_production, shipped) tells its holder once, through the channels of
 *     notify_by, whom to call (card_late; card_late_inhouse where the cards are made in
 *     house; "overdue:<application id>:<channel>");
 *   - digests: once per UTC day, each province with an enabled approver account and a
 *     configured digest address gets the count of applications waiting there, when any do.
 *
 * Exactly once: every message carries a dedupe key naming what it is for, e.g.
 * "warn:<certificate id>:<days>:<channel>", "remind:<application id>:<state>:<channel>",
 * "digest:<province>:<YYYY-MM-DD>", and the outbox keeps each key once, however many scans run
 * at once in however many processes. What was queued is also marked where the next scan looks
 * (store.h, "expiry warnings"), so that scan finds nothing to do without touching the outbox.
 * Work goes in transactions of `batch` certificates or applications: a scan that stops
 * half-way leaves whole batches queued and marked, and the next one carries on.
 */
#ifndef EIMZA_NOTIFY_SCAN_H
#define EIMZA_NOTIFY_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rules.h"
#include "notify/templates.h"
#include "store/store.h"

#define NOTIFY_DIGEST_MAX 81 /* one address per province at most */

/* Where a province's digest goes. */
struct notify_digest_to {
    int province;
    char address[256];
};

struct notify_scan_cfg {
    struct core_rules rules; /* warn_days / warn_count (milestones), deadline_days */
    int expired_days;        /* the expiry message goes at most this many days after expiry;
                                0: no expiry message */
    int reminder_days;       /* days unchanged before a reminder; 0: no reminders */
    const char *portal_url;  /* the link in every message */
    const char *lang;        /* "tr" | "en": dates as 31.12.2025 or 2025-12-31 */
    const struct notify_templates *tpl;
    const struct notify_digest_to *digest_to; /* may be NULL when ndigest is 0 */
    size_t ndigest;
    long batch; /* certificates or applications per transaction (>= 1) */
    /* the cards are made in house (production = inhouse): a late card's holder is sent to the
     * e-imza sorumlusu, not to Kamu SM (notify_tpl_deployed) */
    bool inhouse;
};

/* What one pass queued: messages (an e-mail and an SMS count two). */
struct notify_scan_stats {
    long warned[CORE_MAX_WARNINGS]; /* per milestone, in the order of rules.warn_days */
    long expired;                   /* the expiry message */
    long reminders;
    long overdue; /* holders told their card is late (delivery_expected_days after approval) */
    long digests;
    long holders;     /* certificates whose milestone was recorded */
    long unreachable; /* of those, holders with neither an e-mail address nor a mobile number */
    long skipped;     /* of those, holders not entitled, or who left or retired */
};

/* Parses "NN=address,NN=address" (plate code 1..81, an e-mail address; blanks around the
 * parts allowed; "" gives none) into out[NOTIFY_DIGEST_MAX]. Returns 0, or -1 with the
 * reason in err (a bad plate code, a bad address, a province twice). */
int notify_digest_parse(const char *spec, struct notify_digest_to *out, size_t *n, char *err,
                        size_t errlen);

/* One pass at now (Unix seconds). Returns STORE_OK, or the store's error that ended the pass
 * (stats then count what was committed before); STORE_EINVAL for a bad configuration. */
enum store_err notify_scan(struct store *s, const struct notify_scan_cfg *cfg, int64_t now,
                           struct notify_scan_stats *stats);

#endif
