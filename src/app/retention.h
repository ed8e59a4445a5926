/* eimza — personal data kept only as long as allowed (app/; KVKK, issue 18): one run of the
 * retention, for `eimza retention run` and the server's daily work.
 *
 * What goes, and when (the periods are the retention_* settings, app_retention_cfg; the privacy
 * notice on the portal's first page states the same, from the same settings):
 *   - sessions once ended (their absolute end, or idle longer than the portal's or the staff's
 *     idle time, whichever is longer), captchas once expired, rate-limit windows a day old;
 *   - an SMS code's salted hash once the code expired (a used code's is cleared when used);
 *   - a message delivered or failed for good, messages_days after it was queued: its
 *     recipient, subject, body and values (what was sent, to whom, stays as channel, template
 *     name, status and times);
 *   - a closed application's (rejected, completed, cancelled) contact data, contact_years
 *     after it closed: address, district, postal code, e-mail, phones, operator, and the
 *     security word's hash;
 *   - the registration evidence (the application with its identity, the signed content and
 *     the signature, the timeline, the decisions): kept evidence_years (at least 7, ETSI EN
 *     319 411-1) after the certificate it concerns ceases to be valid, counted from the latest
 *     that can be (the closing, plus the validity asked for, plus a year), then removed.
 * The audit log is kept whole (it names people only masked, and its chain must verify).
 * Each run that is not a dry run is one audit entry (`retention.run`) with the counts.
 */
#ifndef EIMZA_APP_RETENTION_H
#define EIMZA_APP_RETENTION_H

#include <stdbool.h>

#include "app/context.h"

#define APP_RETENTION_EVIDENCE_MIN 7 /* years: ETSI EN 319 411-1's registration records */

/* What a run removed (or, dry, would remove). */
struct app_retention_counts {
    long sessions, captchas, rate_windows, sms_codes, messages, contact_data, applications;
};

/* The defaults: messages 30 days, contact data 2 years, evidence 7 years. */
void app_retention_cfg_default(struct app_retention_cfg *c);
/* NULL when the periods are valid, else the reason (evidence under 7 years, ...). */
const char *app_retention_cfg_check(const struct app_retention_cfg *c);

/* One run at c->now with c->set's periods (and its session idle times), for actor ("cli",
 * "serve"): the audit entry names it. With dry nothing is changed and nothing audited. The
 * steps run in the order above; on a failure the counts say what was done before it and the
 * audit entry is still written. */
enum app_status app_retention_run(const struct app_ctx *c, const char *actor, bool dry,
                                  struct app_retention_counts *out, struct app_err *err);

#endif
