/* eimza — one-time passwords for staff accounts (crypto/): HOTP (RFC 4226) and TOTP
 * (RFC 6238) with HMAC-SHA1 from liboath, the replay-proof check of a typed code over the
 * clock-drift window, the shared secret (random bytes, base32 through liboath), and the otpauth
 * URI that authenticator apps read from a QR code.
 *
 * SHA-1 is what every authenticator app implements for TOTP; HMAC-SHA1 is not weakened by
 * SHA-1's collision attacks. In use: 6 digits, 30-second steps, a window of one step either
 * side for clock drift. The clock is never read here: callers pass "now" (Unix seconds, UTC).
 * A code is accepted at most once: verification returns the time step it matched, the caller
 * stores it and refuses any later code of the same or an earlier step (crypto_totp_check).
 * liboath computes the codes; the window walk stays here because liboath's own validation
 * stops at the first match and knows nothing of the last step used.
 */
#ifndef EIMZA_CRYPTO_TOTP_H
#define EIMZA_CRYPTO_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define CRYPTO_TOTP_SECRET_LEN 20 /* bytes: the HMAC-SHA1 block's natural key size (RFC 4226) */
#define CRYPTO_TOTP_SECRET_B32 32 /* base32 characters for 20 bytes, no padding */
#define CRYPTO_TOTP_DIGITS     6
#define CRYPTO_TOTP_PERIOD     30 /* seconds per step */
#define CRYPTO_TOTP_WINDOW     1  /* steps accepted either side of now */
#define CRYPTO_HOTP_MIN_DIGITS 6  /* liboath computes 6, 7 or 8 digits */
#define CRYPTO_HOTP_MAX_DIGITS 8

/* ---- HOTP / TOTP ----------------------------------------------------------------------------
 * The HOTP value of key at counter with `digits` decimal digits (CRYPTO_HOTP_MIN_DIGITS ..
 * CRYPTO_HOTP_MAX_DIGITS),
 * written with leading zeros and a NUL into out (digits + 1 bytes). Returns 0, or -1 for bad
 * arguments or when HMAC fails. */
int crypto_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits, char *out);
/* The time step of t: floor(t / CRYPTO_TOTP_PERIOD); -1 for t < 0 (no code before 1970). */
int64_t crypto_totp_step(int64_t t);
/* The code for the step of `now` (CRYPTO_TOTP_DIGITS digits). Returns 0 or -1. */
int crypto_totp_code(const unsigned char *key, size_t keylen, int64_t now,
                     char out[CRYPTO_TOTP_DIGITS + 1]);
/* The same with the digit count as a parameter (the RFC 6238 test vectors use 8). */
int crypto_totp_code_digits(const unsigned char *key, size_t keylen, int64_t now, int digits,
                            char *out);

/* Checks a code typed by a person against the steps step(now)-window .. step(now)+window.
 * Every step of the window is computed and compared in constant time whatever the outcome,
 * so the time taken says nothing about which step (if any) matched.
 *   CRYPTO_TOTP_OK      a match with a step greater than last_step: *step gets it (the
 *                       greatest such step) and the caller stores it as the new last_step
 *   CRYPTO_TOTP_REPLAY  the code matches only steps <= last_step: it was used already
 *   CRYPTO_TOTP_WRONG   no match, or the code is not exactly `digits` ASCII digits
 *   CRYPTO_TOTP_ERROR   bad arguments or HMAC failure
 * last_step is -1 when no code was ever accepted. window is 0..10. */
enum crypto_totp_result {
    CRYPTO_TOTP_OK = 0,
    CRYPTO_TOTP_WRONG,
    CRYPTO_TOTP_REPLAY,
    CRYPTO_TOTP_ERROR,
};
enum crypto_totp_result crypto_totp_check(const unsigned char *key, size_t keylen, const char *code,
                                          int64_t now, int window, int64_t last_step,
                                          int64_t *step);
/* crypto_totp_check with the digit count as a parameter. */
enum crypto_totp_result crypto_totp_check_digits(const unsigned char *key, size_t keylen,
                                                 const char *code, int digits, int64_t now,
                                                 int window, int64_t last_step, int64_t *step);

/* ---- secrets and enrolment ------------------------------------------------------------------
 * Secrets are kept as base32 (RFC 4648 section 6, alphabet A-Z 2-7, no padding), the form the
 * otpauth URI carries.
 * A new secret: CRYPTO_TOTP_SECRET_LEN bytes from the kernel's CSPRNG (util/rand.h), base32
 * encoded with a NUL into out. Returns 0, or -1 when no random bytes could be had. */
int crypto_totp_secret_new(char out[CRYPTO_TOTP_SECRET_B32 + 1]);
/* Decodes a stored base32 secret into key (CRYPTO_TOTP_SECRET_LEN bytes room is enough for
 * secrets made here; longer ones up to keymax are accepted). Letters of either case and the
 * digits 2-7 only: no padding and no spaces (which liboath's decoder would pass over), so a
 * secret that decodes is one an authenticator app reads the same way. Returns the key length,
 * or -1 for a malformed, empty or too long secret. */
int crypto_totp_secret_decode(const char *b32, unsigned char *key, size_t keymax);
/* Appends the enrolment URI for an authenticator app:
 *   otpauth://totp/eimza:USERNAME?secret=SECRET&issuer=eimza&algorithm=SHA1&digits=6&period=30
 * The user name is percent-encoded (every byte but A-Z a-z 0-9 - . _ ~), so any name gives a
 * valid URI. secret must be base32 (checked: -1 otherwise). Returns 0, or -1 (b unchanged). */
int crypto_totp_uri(struct ubuf *b, const char *username, const char *secret_b32);

#endif
