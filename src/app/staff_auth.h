/* eimza — staff accounts and the staff login (app/): passwords, the TOTP second factor, the
 * lock-out and `eimza user add`. No HTTP here: the JSON API and the pages call these.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str_alg). The cost is libsodium's
 * INTERACTIVE set (2 passes, 64 MiB): a staff account can approve certificates for a whole
 * province, so it gets more than OWASP's floor (19 MiB, 2 passes) that the applicants' security
 * words use; MODERATE (256 MiB, ~0.7 s) would let a handful of simultaneous logins exhaust the
 * memory of a small server. Staff log in a few times a day, so ~0.1 s per login costs nothing.
 * Hashes made with other parameters still verify, and are re-hashed at the next good login.
 *
 * Every staff account needs a TOTP code (RFC 6238, crypto/totp.h) besides the password, except
 * under --dev (cfg.dev) for accounts that have not enrolled. Enrolment is part of the login: the
 * first login with the right password and no confirmed TOTP answers "totp_enrolment_required"
 * with the otpauth URI and its QR code; the next login with the password and a code from the
 * app confirms the secret and opens the session. Each accepted code's time step is stored and
 * no code of the same or an earlier step is accepted again.
 *
 * Guessing is limited per address and per name (issue 19, findings 1 and 2), never by locking
 * the account itself, which anyone could do to anyone by typing its name: failures are counted
 * in fixed windows of lockout_seconds (store_rate_hit, shared by every server of a database)
 * per client address (max_per_addr, 20) and per typed name from that address (max_failures,
 * 5); a full counter answers 429 with Retry-After = the window's end, before any hashing. Known
 * and unknown names go the same way: an unknown name is verified against a dummy hash of the
 * same cost and counted the same, so the answer, its Retry-After and its time say nothing
 * about whether an account exists. Only after the right password does the answer say more
 * (code needed, enrolment, disabled account); wrong or replayed codes are counted on the
 * account, and max_failures of them lock it for lockout_seconds: only someone who knows the
 * password can cause that, and only they are told.
 *
 * The Argon2id verification runs through the server's hash gate (context.h, app/hash_gate.c):
 * at most a few at once, one worker always left for everything else; a login that finds no
 * slot free is answered 503 server_busy with Retry-After 1 at once, known name or not.
 *
 * Every outcome is written to the audit log with actor "staff:USERNAME", never with a
 * password, a code or a secret. A name with no account is written as "staff:?" (reason
 * "unknown_user"): what was typed may be a password entered into the wrong field.
 * Each function takes "now" from its caller; randomness comes from util/rand.h.
 */
#ifndef EIMZA_APP_STAFF_AUTH_H
#define EIMZA_APP_STAFF_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "util/buf.h"

/* ---- accounts ------------------------------------------------------------------------------ */
#define APP_PASSWORD_MIN 12   /* characters (UTF-8 code points) */
#define APP_PASSWORD_MAX 1024 /* bytes: bounds the hashing work one request can ask for */

/* The password rules of `eimza user add`. Returns NULL when pw is acceptable, or the reason:
 *   "password_too_short"  fewer than APP_PASSWORD_MIN characters
 *   "password_too_long"   more than APP_PASSWORD_MAX bytes
 *   "not_utf8"            invalid UTF-8, or a control character
 *   "password_one_class"  letters only, digits only, ...: at least two of lower-case,
 *                         upper-case, digits and other characters are needed
 *   "password_repetitive" one character repeated, or fewer than 5 different characters
 *   "password_has_username"  contains the user name (ASCII case-insensitive)
 * username may be NULL (not compared). */
const char *app_password_check(const char *pw, const char *username);

/* Hashes pw with Argon2id at the configured cost. Returns 0 or -1. */
int app_password_hash(const struct app_staff_cfg *cfg, const char *pw, char out[APP_PWHASH_MAX]);

/* `eimza user add`: a new account. Invalid input is a 400 invalid_fields with per-field codes:
 *   username  "required" | "username_format" (1..63 bytes of a-z 0-9 . _ -)
 *   role      "required" | "role_unknown" (approver, operator, admin)
 *   province  "province_required" (an approver needs a plate code 1..81) |
 *             "province_not_allowed" (other roles have 0: all provinces)
 *   password  a code of app_password_check
 *   email     "email_format" (email may be NULL or "": none; an approver's daily digest goes
 *             there)
 * A taken name is a 409 "username_taken". The account starts without TOTP (enrolment happens
 * at the first login). actor ("cli", "staff:admin") is written to the audit entry. */
enum app_status app_user_add(struct store *s, const struct app_staff_cfg *cfg, const char *username,
                             const char *role, int province, const char *email,
                             const char *password, const char *actor, int64_t now,
                             struct app_err *err);

/* What app_user_set changes; a NULL pointer / false leaves the field as it is. */
struct app_user_change {
    const char *email;    /* "" removes the address */
    const int *province;  /* approvers only: 1..81 */
    const bool *disabled; /* a disabled account cannot log in; its sessions end */
    bool reset_totp;      /* the account enrols again at its next login */
    bool unlock;          /* ends the account's lock-out and forgets its wrong codes (the
                           * per-address counters of wrong passwords end with their window) */
};

/* Changes a staff account, in one transaction with its audit entry ("staff.user.set", the
 * names of the fields changed; never an address). Invalid input is APP_EINVAL with
 * field codes: email "email_format", province "province_required" (an approver's plate code
 * 1..81) or "province_not_allowed" (other roles), and "nothing_to_change" when c asks for
 * nothing. An unknown account is a 404 "user_not_found". */
enum app_status app_user_set(struct store *s, const char *username, const struct app_user_change *c,
                             const char *actor, int64_t now, struct app_err *err);

/* ---- login --------------------------------------------------------------------------------- */
struct app_staff_login_req {
    const char *username;
    const char *password;
    const char *totp; /* the code from the app; NULL or "" when not asked for yet */
};

#define APP_TOTP_URI_MAX    256
#define APP_TOTP_SECRET_MAX 32 /* base32 characters of a secret (crypto/totp.h) */

struct app_staff_login_out {
    /* with APP_OK: the new session (kind "staff", subject the user name) */
    char token[APP_TOKEN_LEN + 1];
    char csrf[APP_CSRF_LEN + 1];
    int64_t expires_at;
    char role[16];
    int province;
    /* with "totp_enrolment_required": what the person types into or scans with the app.
     * The page showing them must not be cached (Cache-Control: no-store). */
    char totp_secret[APP_TOTP_SECRET_MAX + 1];
    char totp_uri[APP_TOTP_URI_MAX];
};

/* The staff login; c->client_addr keys the per-address counters (NULL: "unknown"). Returns
 * APP_OK only when a session was opened. Otherwise, in the order the checks run:
 *   400 invalid_fields            username or password missing (per-field "required"), or the
 *                                 code given is not 6 digits ("totp": "totp_format")
 *   429 too_many_attempts         this address, or this name from this address, failed too
 *                                 often in the window; retry_after (the window's end)
 *   503 server_busy               no hash slot free; retry_after 1
 *   401 staff_login_failed        wrong password or unknown user (counted; the failure that
 *                                 fills a counter answers 429 at once)
 *   429 too_many_attempts         right password, the account is locked by wrong codes
 *   403 account_disabled          right password, account disabled (not counted)
 *   401 totp_enrolment_required   right password, no confirmed TOTP yet and not dev: *out has
 *                                 the secret and the URI (the secret is made once and kept
 *                                 until a code confirms it); send the password again with a
 *                                 code from the app
 *   401 totp_required             right password, code not given
 *   401 totp_wrong                right password, wrong code (counted on the account)
 *   401 totp_reused               right password, a code whose time step was used already
 *                                 (counted on the account)
 * The code failure that reaches max_failures locks the account and answers 429 at once. */
enum app_status app_staff_login(const struct app_ctx *c, const struct app_staff_login_req *rq,
                                struct app_staff_login_out *out, struct app_err *err);

/* A staff session is let in by app_authenticate(c, APP_ACTOR_STAFF, ...) (app/context.h): it
 * must be a staff session, neither idle too long nor past its end, and its account must still
 * exist and not be disabled. */

/* ---- the TOTP secrets at rest ---------------------------------------------------------------
 * Every TOTP secret is stored sealed with the server's key (crypto/seal.h; the secret_key
 * setting), for its own account; without a key (and outside --dev) no enrolment can start
 * (503 secret_key_missing). A secret stored before sealing existed (plain base32) still works
 * and is sealed at its account's next login with a code ("first use", audited
 * staff.totp.sealed), or all at once by `eimza migrate` given the key (app_totp_seal_all). */
struct crypto_seal_key;
/* Seals every plain TOTP secret with key in one transaction, audited once ("staff.totp.sealed",
 * actor "cli", {"sealed":N}) when there was any; *sealed (may be NULL) gets N. A NULL key is a
 * 503 secret_key_missing. */
enum app_status app_totp_seal_all(struct store *s, const struct crypto_seal_key *key, int64_t now,
                                  long *sealed, struct app_err *err);

/* ---- QR code --------------------------------------------------------------------------------
 * The QR code of text (libqrencode, error correction M, 8-bit mode) as the data of one SVG path
 * (web/html/svg.h draws it): each run of black modules in a row is one rectangle "Mx yhNv1h-Nz",
 * already moved by the 4-module quiet zone the standard asks for; *full gets the side with the
 * quiet zone, in modules. Appends to d; returns 0, or -1 (d unchanged). */
int app_qr_path(const char *text, struct ubuf *d, int *full);

#endif
