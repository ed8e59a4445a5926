/* eimza — exporting the evidence of an accepted e-signature (app/): what the server kept when
 * it accepted the signature (store_signature_get), written as plain files so that anyone can
 * verify it again without eimza:
 *
 *   signature.p7s    the CMS exactly as the applicant sent it (DER)
 *   content.txt      the bytes that were signed (the application's content, version 1)
 *   validation.json  each check the server made and its outcome, the signer's fingerprint
 *   ocsp.der         the OCSP response the revocation check relied on (when OCSP answered)
 *   README.txt       the openssl command that checks the signature over the content
 *
 * The files hold personal data (the content names the person): they are made readable by
 * the owner and group only (0640) in a directory made 0750 when missing. */
#ifndef EIMZA_APP_EVIDENCE_H
#define EIMZA_APP_EVIDENCE_H

#include <stdint.h>

#include "app/portal.h"
#include "store/store.h"

/* Writes the evidence of application `number` into dir (made when missing). 404
 * application_unknown for an unknown number, 404 no_signature when it has no accepted signature,
 * 500 with code "evidence_write" when a file cannot be written (nothing half-written stays:
 * each file is written under a temporary name and renamed). The export is audited
 * (evidence.export) with actor. */
enum app_status app_evidence_export(struct store *s, const char *number, const char *dir,
                                    const char *actor, int64_t now, struct app_err *err);

#endif
