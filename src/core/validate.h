/* eimza — validation of contact and address data (core/: pure, no I/O).
 * Provinces: the 81 of shared/data/iller.tsv, by plate code 1..81. */
#ifndef EIMZA_CORE_VALIDATE_H
#define EIMZA_CORE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define CORE_PHONE_LEN 10 /* national significant number: 5XXXXXXXXX */

enum core_phone_err {
    CORE_PHONE_OK = 0,
    CORE_PHONE_EMPTY,
    CORE_PHONE_BAD_CHAR,  /* a character other than digits, space, +, -, ., (, ), / */
    CORE_PHONE_LENGTH,    /* wrong number of digits after the prefix */
    CORE_PHONE_NOT_MOBILE /* a Turkish number, but not a mobile one (does not start with 5) */
};

/* Normalises a Turkish mobile number given with +90, 0090, 90, 0 or no prefix, with spaces
 * and punctuation, to "5XXXXXXXXX". Writes 10 digits and a NUL to out on success. */
enum core_phone_err core_phone_normalize(const char *in, size_t n, char out[CORE_PHONE_LEN + 1]);

/* Normalises any Turkish phone number (land line or mobile, for work/home phones) the same way
 * to its 10 digits (area code + number), without the mobile check. */
enum core_phone_err core_phone_normalize_any(const char *in, size_t n,
                                             char out[CORE_PHONE_LEN + 1]);

/* The reason code (core/reason.h) of an error: "required" for EMPTY, "phone_format" for
 * BAD_CHAR and LENGTH, "phone_not_mobile"; NULL for CORE_PHONE_OK. */
const char *core_phone_err_code(enum core_phone_err e);

/* Masks a normalised number for pages and logs: "5** *** ** 67" style, as "5*******67".
 * Input that is not 10 characters masks to "**********". */
void core_phone_mask(const char *phone10, char out[CORE_PHONE_LEN + 1]);

/* Practical e-mail syntax: one '@', a local part of 1-64 chars of letters, digits and
 * !#$%&'*+/=?^_`{|}~.- with no leading/trailing/double dot, a domain of dot-separated labels
 * (letters, digits, hyphen not at either end, 1-63 each) with at least one dot, total <= 254. */
bool core_email_valid(const char *s, size_t n);
/* Masks "ayse.isik@meb.gov.tr" as "a***@meb.gov.tr" (first character, always three stars,
 * the domain). cap = strlen(email) + 4 always suffices; when the mask does not fit, or there
 * is nothing before an '@' or no '@', out gets "***" (or "" if cap < 4). */
void core_email_mask(const char *email, char *out, size_t cap);

enum core_postal_err {
    CORE_POSTAL_OK = 0,
    CORE_POSTAL_FORMAT,  /* not exactly 5 digits */
    CORE_POSTAL_PROVINCE /* first two digits are not the plate code of the province given */
};
/* province: the address's plate code 1..81 (0 = unknown: only the format is checked, and the
 * first two digits must still be a plate code that exists; any other value never matches). */
enum core_postal_err core_postal_check(const char *s, size_t n, int province);
/* "postal_format", "postal_province"; NULL for CORE_POSTAL_OK. */
const char *core_postal_err_code(enum core_postal_err e);

/* The province's name for plate code 1..81 (UTF-8, as in iller.tsv), or NULL. */
const char *core_province_name(int plate);
/* Plate code for a province name (Turkish-folded comparison) or for a one/two digit plate
 * code given as text ("6", "06"); 0 if none. */
int core_province_lookup(const char *s, size_t n);
#define CORE_PROVINCE_COUNT 81

#endif
