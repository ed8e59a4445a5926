/* eimza — T.C. Kimlik No: the check, the check digits, the certificate serialNumber form and
 * the mask for logs (core/: pure). See tckn.h for the rules. */
#include "core/tckn.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The two check digits for the first nine digits (all '0'..'9'). d10 uses a non-negative
 * modulo: the difference can be negative (e.g. 1,9,0,9,0,9,0,9,0 gives 7 - 36 = -29, whose
 * check digit is 1, where C's % would give -9). */
static void check_digits(const char *d, char *d10, char *d11)
{
    int odd = 0, even = 0;
    for (int i = 0; i < 9; i++) {
        if (i % 2 == 0)
            odd += d[i] - '0'; /* d1, d3, d5, d7, d9 */
        else
            even += d[i] - '0'; /* d2, d4, d6, d8 */
    }
    int c10 = ((odd * 7 - even) % 10 + 10) % 10;
    int c11 = (odd + even + c10) % 10;
    *d10 = (char)('0' + c10);
    *d11 = (char)('0' + c11);
}

enum core_tckn_err core_tckn_check(const char *s, size_t n)
{
    if (!s || n != CORE_TCKN_LEN)
        return CORE_TCKN_LENGTH;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return CORE_TCKN_NOT_DIGITS;
    if (s[0] == '0')
        return CORE_TCKN_LEADING_ZERO;
    char d10, d11;
    check_digits(s, &d10, &d11);
    if (s[9] != d10 || s[10] != d11)
        return CORE_TCKN_CHECKSUM;
    return CORE_TCKN_OK;
}

bool core_tckn_valid(const char *s, size_t n)
{
    return core_tckn_check(s, n) == CORE_TCKN_OK;
}

const char *core_tckn_err_code(enum core_tckn_err e)
{
    switch (e) {
    case CORE_TCKN_OK:
        return NULL;
    case CORE_TCKN_LENGTH:
        return "tckn_length";
    case CORE_TCKN_NOT_DIGITS:
        return "tckn_not_digits";
    case CORE_TCKN_LEADING_ZERO:
        return "tckn_leading_zero";
    case CORE_TCKN_CHECKSUM:
        return "tckn_checksum";
    }
    return NULL;
}

int core_tckn_complete(const char *d9, char out[CORE_TCKN_LEN + 1])
{
    if (!d9 || !out)
        return -1;
    /* The loop stops at a NUL too, since NUL is not a digit. */
    for (int i = 0; i < 9; i++)
        if (!is_digit(d9[i]))
            return -1;
    if (d9[0] == '0')
        return -1;
    memcpy(out, d9, 9);
    check_digits(d9, &out[9], &out[10]);
    out[CORE_TCKN_LEN] = '\0';
    return 0;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

enum core_tckn_err core_tckn_from_serial(const char *serial, size_t n, char out[CORE_TCKN_LEN + 1])
{
    const char *s = serial;
    out[0] = '\0';
    if (!s)
        return CORE_TCKN_LENGTH;
    /* ETSI EN 319 412-1 5.1.3: three upper-case letters of the identity type, the country
     * code and a hyphen. Only Turkish ("TR") identifiers can hold a T.C. Kimlik No. */
    if (n >= 6 && is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]) && s[3] == 'T' &&
        s[4] == 'R' && s[5] == '-') {
        s += 6;
        n -= 6;
    }
    enum core_tckn_err e = core_tckn_check(s, n);
    if (e == CORE_TCKN_OK) {
        memcpy(out, s, CORE_TCKN_LEN);
        out[CORE_TCKN_LEN] = '\0';
    }
    return e;
}

void core_tckn_mask(const char *tckn, char out[CORE_TCKN_LEN + 1])
{
    memset(out, '*', CORE_TCKN_LEN);
    out[CORE_TCKN_LEN] = '\0';
    if (tckn && strnlen(tckn, CORE_TCKN_LEN + 1) == CORE_TCKN_LEN) {
        memcpy(out, tckn, 3);
        memcpy(out + 9, tckn + 9, 2);
    }
}
