/* eimza — one person's record as JSON (app/: the use case behind `eimza personnel show`):
 * the personnel record, the eligibility verdict for today and the current certificate. */
#ifndef EIMZA_APP_PERSONNEL_SHOW_H
#define EIMZA_APP_PERSONNEL_SHOW_H

#include <stdint.h>

#include "core/tckn.h"
#include "store/store.h"

/* Checks a T.C. Kimlik No typed by a person (surrounding space allowed). Returns NULL and
 * writes the 11 digits and a NUL to out, or returns the reason code (core/reason.h). */
const char *app_tckn_parse(const char *s, char out[CORE_TCKN_LEN + 1]);

enum app_show_err {
    APP_SHOW_OK = 0,
    APP_SHOW_ENOTFOUND, /* no personnel record for this T.C. Kimlik No */
    APP_SHOW_ESTORE,    /* the database failed (store_last_error() says why) */
    APP_SHOW_ENOMEM,
};

/* Builds the JSON document for tckn (already checked) as of now (Unix seconds):
 *   {"tckn", "first_name", "last_name", "birth_place", "birth_date": "YYYY-MM-DD",
 *    "institution_code", "institution_name", "province": plate, "province_name", "district",
 *    "unit", "title", "duty_status", "assignment_end": "YYYY-MM-DD" | null, "entitled": bool,
 *    "email", "mobile_phone", "eligibility": {"eligible": bool, "reasons": [codes]},
 *    "certificate": null | {"serial", "issuer", "subject", "not_before", "not_after" (ISO 8601
 *    UTC), "fingerprint", "policies": [oids], "revoked": bool, "revoked_at": time | null,
 *    "status": "valid" | "expired" | "revoked" | "not_yet_valid", "days_left"},
 *    "certificates": [every certificate of the holder, the current one first: {"serial",
 *    "issuer", "not_before", "not_after", "fingerprint", "revoked_at": time | null, "status":
 *    "current" | "superseded" (a newer one was issued) | "revoked" | "expired"}]}
 * days_left counts whole days from now to not_after, rounded down (negative once expired).
 * On success *json is a NUL-terminated string the caller frees with free(). */
enum app_show_err app_personnel_show(struct store *s, const char *tckn, int64_t now, char **json);

#endif
