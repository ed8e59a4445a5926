/* eimza — which of a holder's personal data a staff role sees, and how (app/): one rule for
 * every page, JSON answer and CSV export (issue 19, finding 5: expiring.csv gave every role the
 * T.C. Kimlik No, e-mail and mobile number in full while the pages masked them).
 *
 * The rule is a table, role by field: "full" only where the role's work needs the value
 * itself in every view, "on request" where it needs it now and then, for one holder at a time
 * (shown only when asked for, each look audited: app_admin_tckn), "masked" otherwise. Today no
 * staff role needs any of them in every view: approvers decide on the verdict, operators record
 * paper and answer messages, admins manage accounts, and the portal itself sends every message
 * to the holder. Approvers see the T.C. Kimlik No on request (issue 17): they look a holder up
 * in MEBBİS by it, and they see only their own province's applications. A masked value still
 * tells the reader whether there is one (an empty field stays empty), which is what the
 * expiring list is for: those the portal's own warnings cannot reach. Lists and exports always
 * mask. Changing the table is a decision to record in docs/SECURITY.md.
 */
#ifndef EIMZA_APP_PRIVACY_H
#define EIMZA_APP_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#include "app/context.h"

enum app_pii {
    APP_PII_TCKN,  /* T.C. Kimlik No: "100******46" */
    APP_PII_EMAIL, /* "a***@meb.gov.tr" */
    APP_PII_PHONE, /* any phone number: "5*******67" */
    APP_PII__COUNT
};

#define APP_PII_MAX 320 /* room for any value the rule gives (an e-mail address in full) */

/* Writes into out (cap >= APP_PII_MAX) the value v of kind as the staff member who may see it:
 * in full, masked, or "" when v is empty or NULL. An unknown role gets the masked form, and so
 * does a role that sees it only on request. */
void app_pii_view(const struct app_staff *who, enum app_pii kind, const char *v, char *out,
                  size_t cap);
/* True when the staff member's role may see a value of kind in full on request (a look of its
 * own, audited). */
bool app_pii_on_request(const struct app_staff *who, enum app_pii kind);

#endif
