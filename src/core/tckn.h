/* eimza — T.C. Kimlik No (core/: pure, no I/O).
 *
 * 11 digits, the first not 0; d10 = ((d1+d3+d5+d7+d9)*7 - (d2+d4+d6+d8)) mod 10 taken
 * non-negative, d11 = (d1+...+d10) mod 10. 10000000146 is a valid test number.
 */
#ifndef EIMZA_CORE_TCKN_H
#define EIMZA_CORE_TCKN_H

#include <stdbool.h>
#include <stddef.h>

#define CORE_TCKN_LEN 11

enum core_tckn_err {
    CORE_TCKN_OK = 0,
    CORE_TCKN_LENGTH,       /* not exactly 11 characters */
    CORE_TCKN_NOT_DIGITS,   /* a character that is not 0-9 */
    CORE_TCKN_LEADING_ZERO, /* first digit is 0 */
    CORE_TCKN_CHECKSUM,     /* d10 or d11 wrong */
};

/* Checks s[0..n) as a T.C. Kimlik No (no trimming: callers trim input first). */
enum core_tckn_err core_tckn_check(const char *s, size_t n);
bool core_tckn_valid(const char *s, size_t n);
/* The reason code (core/reason.h) of an error: "tckn_length", "tckn_not_digits",
 * "tckn_leading_zero", "tckn_checksum"; NULL for CORE_TCKN_OK. */
const char *core_tckn_err_code(enum core_tckn_err e);
/* Computes the two check digits for the first nine digits d9[0..9) (d9[0] != '0'); writes the
 * full 11-digit number and a NUL to out. Returns 0, or -1 if d9 is not nine digits or starts
 * with '0' (out untouched then). */
int core_tckn_complete(const char *d9, char out[CORE_TCKN_LEN + 1]);

/* Extracts the T.C. Kimlik No from a certificate subject serialNumber: bare 11 digits, or with
 * an ETSI EN 319 412-1 semantics prefix of three letters, "TR" and "-" (PNOTR-, IDCTR-,
 * TINTR-...). Writes it NUL-terminated to out and returns CORE_TCKN_OK, or the error why the
 * value (after the prefix) is not a valid number; out is "" then. */
enum core_tckn_err core_tckn_from_serial(const char *serial, size_t n, char out[CORE_TCKN_LEN + 1]);

/* Masks for pages and logs: "100******46" (first 3 and last 2 digits shown). out gets
 * CORE_TCKN_LEN+1 bytes; input that is not 11 characters masks to "***********". */
void core_tckn_mask(const char *tckn, char out[CORE_TCKN_LEN + 1]);

#endif
