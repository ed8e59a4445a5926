/* eimza — personal data kept only as long as allowed (app/; KVKK, issue 18): one run of the
 * retention, for `eimza retention run` and the server's periodic work.
 *
 * What goes, and when (the periods are the retention_* settings, app_retention_cfg; the privacy
 * notice on the portal's first page states the same, from the same settings, and
 * docs/CONFIGURATION.md lists them). A year is counted as 366 days, so nothing goes early.
 *   1. sessions once ended (their absolute end, or idle longer than the portal's or the
 *      staff's idle time, whichever is longer), captchas once expired, rate-limit windows (which
 *      hold addresses) and the relay's signing tickets a day old;
 *   2. an SMS code's salted hash once the code expired, the application's and a card PIN's (a
 *      used code's is cleared when it is used);
 *   3. a message delivered or failed for good: its recipient, subject, body and values; one
 *      carrying a one-time code (an SMS code, a PIN's code) at once (and already when it is
 *      delivered: store_outbox_mark_sent), any other messages_days after it was queued (the
 * channel, status, times and key stay);
 *   4. a closed application's (rejected, completed, cancelled) contact data, contact_years after
 *      it closed: address, district, postal code, e-mail, phones, operator, the security word's
 *      hash, its cards' carrier and tracking number, and a PIN still sealed for one of its cards
 *      (destroyed); the identity and the rest stay as evidence;
 *   5. the audit entries of the applicants' logins and lock-outs, contact_years after they were
 *      written: anonymised (store.h: the actor reduced to "applicant", object and detail
 *      emptied, still verified by `eimza audit verify`);
 *   6. a draft never submitted, draft_days after its last change: removed, with everything that
 *      hangs on it and its audit entries anonymised;
 *   7. the registration evidence (the application with its identity, the signed content and
 *      the signature, the timeline, the decisions, the cards and PINs, the revocation requests):
 *      kept evidence_years (at least 7, ETSI EN 319 411-1) after the certificate it concerns
 *      ceases to be valid, counted from the latest that can be (the closing, plus the validity
 *      asked for, plus a year; the new certificate's own end when it is later), then removed,
 *      and the audit entries about it anonymised;
 *   8. certificates that ended evidence_years ago that nothing kept names any more, cards
 *      recorded without an application (reported lost) as old, and the renewal count of a
 *      holder with nothing left.
 * Open applications (submitted up to delivered) are kept whole while they are open: the staff
 * closes them. The personnel records are the institution's export, replaced by each import.
 * Each run that is not a dry run is one audit entry (`retention.run`) with the counts, and one
 * `audit.anonymised` entry per batch of audit entries it anonymised.
 */
#ifndef EIMZA_APP_RETENTION_H
#define EIMZA_APP_RETENTION_H

#include <stdbool.h>

#include "app/context.h"

#define APP_RETENTION_EVIDENCE_MIN 7 /* years: ETSI EN 319 411-1's registration records */

/* What a run removed (or, dry, would remove). */
struct app_retention_counts {
    long sessions, captchas, rate_windows; /* 1 */
    long tickets;                          /* 1: signing tickets */
    long sms_codes;                        /* 2 */
    long messages;                         /* 3 */
    long contact_data;                     /* 4: applications */
    long logins;                           /* 5: audit entries */
    long drafts;                           /* 6: applications */
    long applications;                     /* 7 */
    long audit_entries;                    /* 6 and 7: audit entries about those applications */
    long certificates;                     /* 8: certificates and cards */
    char failed[600]; /* "" when the run did not fail; else the step and the database's word */
};

/* The defaults: messages 30 days, contact data 2 years, drafts 180 days, evidence 7 years. */
void app_retention_cfg_default(struct app_retention_cfg *c);
/* NULL when the periods are valid, else the reason, naming the setting (evidence under 7
 * years, contact data kept longer than the evidence, ...). */
const char *app_retention_cfg_check(const struct app_retention_cfg *c);

/* One run at c->now with c->set's periods (and its session idle times), for actor ("cli",
 * "serve"): the audit entries name it. With dry nothing is changed and nothing audited. The
 * steps run in the order above; on a failure the counts say what was done before it, out->failed
 * says what failed (the database's message holds no personal data) and the audit entry is still
 * written (with "failed"). */
enum app_status app_retention_run(const struct app_ctx *c, const char *actor, bool dry,
                                  struct app_retention_counts *out, struct app_err *err);

#endif
