/* eimza — contact and address checks: Turkish phone numbers, e-mail syntax, postal codes, and
 * the masks that keep these out of logs in full (core/: pure). See validate.h. Provinces are
 * in provinces.c. */
#include "core/validate.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- phone numbers ---------------------------------------------------------------------- */

/* How people write separators in numbers: "0 (532) 123-45-67", "532.123.45.67", "532/1234567";
 * also a no-break space (U+00A0, as the portal's pages write a number's groups: copied from a
 * page, it is taken like a space). */
static bool is_phone_sep(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

#define PHONE_DIGITS_MAX 16 /* more than any prefixed form (0090 + 10 digits = 14) */

/* The shared part of both normalisers: strips separators and the country/trunk prefixes and
 * leaves the 10-digit national number in out. The prefixes are taken off only when the digit
 * count says they are prefixes ("90" followed by 10 digits, "0" followed by 10 digits), so
 * an area code or number that happens to start with 9 or 0 is never cut. */
static enum core_phone_err phone_national(const char *in, size_t n, char out[CORE_PHONE_LEN + 1])
{
    char dig[PHONE_DIGITS_MAX];
    size_t nd = 0;
    bool plus = false, seen = false; /* seen: a digit or '+' came already */

    out[0] = '\0';
    if (!in)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (is_digit(c)) {
            if (nd == sizeof dig)
                return CORE_PHONE_LENGTH;
            dig[nd++] = c;
            seen = true;
        } else if ((unsigned char)c == 0xC2 && i + 1 < n && (unsigned char)in[i + 1] == 0xA0) {
            i++; /* a no-break space */
        } else if (c == '+' && !seen) {
            plus = true; /* international form: only before everything else */
            seen = true;
        } else if (!is_phone_sep(c)) {
            return CORE_PHONE_BAD_CHAR;
        }
    }
    if (nd == 0)
        return CORE_PHONE_EMPTY;

    const char *p = dig;
    if (plus) {
        /* "+" must be followed by the country code 90 and the national number. */
        if (nd != 12 || dig[0] != '9' || dig[1] != '0')
            return CORE_PHONE_LENGTH;
        p += 2;
        nd -= 2;
    } else if (nd == 14 && memcmp(dig, "0090", 4) == 0) {
        p += 4;
        nd -= 4;
    } else if (nd == 12 && dig[0] == '9' && dig[1] == '0') {
        p += 2;
        nd -= 2;
    } else if (nd == 11 && dig[0] == '0') {
        p += 1;
        nd -= 1;
    }
    /* A national number never starts with 0: that would be a trunk prefix left over. */
    if (nd != CORE_PHONE_LEN || p[0] == '0')
        return CORE_PHONE_LENGTH;
    memcpy(out, p, CORE_PHONE_LEN);
    out[CORE_PHONE_LEN] = '\0';
    return CORE_PHONE_OK;
}

enum core_phone_err core_phone_normalize_any(const char *in, size_t n, char out[CORE_PHONE_LEN + 1])
{
    return phone_national(in, n, out);
}

enum core_phone_err core_phone_normalize(const char *in, size_t n, char out[CORE_PHONE_LEN + 1])
{
    enum core_phone_err e = phone_national(in, n, out);
    if (e == CORE_PHONE_OK && out[0] != '5') {
        out[0] = '\0';
        return CORE_PHONE_NOT_MOBILE;
    }
    return e;
}

const char *core_phone_err_code(enum core_phone_err e)
{
    switch (e) {
    case CORE_PHONE_OK:
        return NULL;
    case CORE_PHONE_EMPTY:
        return "required";
    case CORE_PHONE_BAD_CHAR:
    case CORE_PHONE_LENGTH:
        return "phone_format";
    case CORE_PHONE_NOT_MOBILE:
        return "phone_not_mobile";
    }
    return NULL;
}

void core_phone_mask(const char *phone10, char out[CORE_PHONE_LEN + 1])
{
    memset(out, '*', CORE_PHONE_LEN);
    out[CORE_PHONE_LEN] = '\0';
    if (phone10 && strnlen(phone10, CORE_PHONE_LEN + 1) == CORE_PHONE_LEN) {
        out[0] = phone10[0];
        out[8] = phone10[8];
        out[9] = phone10[9];
    }
}

/* ---- e-mail ----------------------------------------------------------------------------- */

#define EMAIL_MAX       254
#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The dot-atom characters of RFC 5322 other than letters, digits and the dot. */
static bool is_atext_special(char c)
{
    return c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static bool email_local_valid(const char *s, size_t n)
{
    if (n < 1 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') /* i > 0: s[0] is not a dot */
                return false;
        } else if (!is_alnum(s[i]) && !is_atext_special(s[i])) {
            return false;
        }
    }
    return true;
}

static bool email_domain_valid(const char *s, size_t n)
{
    size_t labels = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_alnum(s[i]) && s[i] != '-')
                return false;
            continue;
        }
        size_t len = i - start; /* a label ends at a dot or at the end */
        if (len < 1 || len > EMAIL_LABEL_MAX || s[start] == '-' || s[i - 1] == '-')
            return false;
        labels++;
        start = i + 1;
    }
    return labels >= 2;
}

bool core_email_valid(const char *s, size_t n)
{
    if (!s || n < 3 || n > EMAIL_MAX)
        return false;
    /* A second '@' needs no search of its own: the domain check refuses it. */
    const char *at = memchr(s, '@', n);
    if (!at)
        return false;
    size_t local = (size_t)(at - s);
    return email_local_valid(s, local) && email_domain_valid(at + 1, n - local - 1);
}

void core_email_mask(const char *email, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    out[0] = '\0';
    const char *at = email ? strchr(email, '@') : NULL;
    size_t dlen = at ? strlen(at) : 0; /* "@domain" */
    /* The first character, three stars whatever the length (the length itself tells
     * something), then the domain; without an '@' or room for all of it, stars only. */
    if (at && at != email && 4 + dlen < cap) {
        out[0] = email[0];
        memcpy(out + 1, "***", 3);
        memcpy(out + 4, at, dlen + 1);
    } else if (cap > 3) {
        memcpy(out, "***", 4);
    }
}

/* ---- postal codes ----------------------------------------------------------------------- */

enum core_postal_err core_postal_check(const char *s, size_t n, int province)
{
    if (!s || n != 5)
        return CORE_POSTAL_FORMAT;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return CORE_POSTAL_FORMAT;
    /* The first two digits are the plate code of the province the address is in. */
    int plate = (s[0] - '0') * 10 + (s[1] - '0');
    if (province < 0 || province > CORE_PROVINCE_COUNT)
        return CORE_POSTAL_PROVINCE; /* no such province: nothing can match it */
    if (province == 0)
        return plate >= 1 && plate <= CORE_PROVINCE_COUNT ? CORE_POSTAL_OK : CORE_POSTAL_PROVINCE;
    return plate == province ? CORE_POSTAL_OK : CORE_POSTAL_PROVINCE;
}

const char *core_postal_err_code(enum core_postal_err e)
{
    switch (e) {
    case CORE_POSTAL_OK:
        return NULL;
    case CORE_POSTAL_FORMAT:
        return "postal_format";
    case CORE_POSTAL_PROVINCE:
        return "postal_province";
    }
    return NULL;
}
