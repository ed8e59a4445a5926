/* eimza — HOTP/TOTP, the secret and the otpauth URI (see totp.h).
 *
 * The codes come from liboath (oath_hotp_generate: HMAC-SHA1 and the dynamic truncation of
 * RFC 4226), base32 from liboath too. What stays here is what liboath does not offer: the
 * check of a typed code over the whole window in constant time with the replay rule, the
 * strict reading of a stored secret, the random secret and the URI. liboath is initialised
 * once per process (oath_init is not meant to be called from several threads at once).
 */
#include "crypto/totp.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <openssl/crypto.h>

#include "util/rand.h"

static pthread_once_t totp_once = PTHREAD_ONCE_INIT;
static int totp_init_rc = -1;

static void totp_init(void)
{
    totp_init_rc = oath_init() == OATH_OK ? 0 : -1;
}

static int totp_ready(void)
{
    return pthread_once(&totp_once, totp_init) == 0 ? totp_init_rc : -1;
}

/* ---- HOTP / TOTP -------------------------------------------------------------------------- */

int crypto_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits, char *out)
{
    if (!key || keylen == 0 || !out || digits < CRYPTO_HOTP_MIN_DIGITS ||
        digits > CRYPTO_HOTP_MAX_DIGITS || totp_ready() < 0)
        return -1;
    if (oath_hotp_generate((const char *)key, keylen, counter, (unsigned)digits, false,
                           OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int64_t crypto_totp_step(int64_t t)
{
    return t < 0 ? -1 : t / CRYPTO_TOTP_PERIOD;
}

int crypto_totp_code_digits(const unsigned char *key, size_t keylen, int64_t now, int digits,
                            char *out)
{
    int64_t step = crypto_totp_step(now);
    if (step < 0)
        return -1;
    return crypto_hotp(key, keylen, (uint64_t)step, digits, out);
}

int crypto_totp_code(const unsigned char *key, size_t keylen, int64_t now,
                     char out[CRYPTO_TOTP_DIGITS + 1])
{
    return crypto_totp_code_digits(key, keylen, now, CRYPTO_TOTP_DIGITS, out);
}

enum crypto_totp_result crypto_totp_check_digits(const unsigned char *key, size_t keylen,
                                                 const char *code, int digits, int64_t now,
                                                 int window, int64_t last_step, int64_t *step)
{
    char want[CRYPTO_HOTP_MAX_DIGITS + 1];
    int64_t center = crypto_totp_step(now);
    int64_t fresh = -1;
    int stale = 0, wellformed = 1;
    enum crypto_totp_result res = CRYPTO_TOTP_ERROR;
    size_t len;

    if (!key || keylen == 0 || !code || digits < CRYPTO_HOTP_MIN_DIGITS ||
        digits > CRYPTO_HOTP_MAX_DIGITS || window < 0 || window > 10 || center < 0 ||
        last_step < -1)
        return CRYPTO_TOTP_ERROR;
    len = strnlen(code, (size_t)digits + 1);
    if (len != (size_t)digits)
        wellformed = 0;
    for (size_t i = 0; i < len; i++)
        if (code[i] < '0' || code[i] > '9')
            wellformed = 0;
    for (int64_t s = center - window; s <= center + window; s++) {
        if (s < 0)
            continue;
        if (crypto_hotp(key, keylen, (uint64_t)s, digits, want) < 0)
            goto out;
        /* Compare whatever the shape of the code, so every call does the same work. */
        int match = wellformed && CRYPTO_memcmp(want, code, (size_t)digits) == 0;
        if (match && s > last_step)
            fresh = s; /* steps ascend: the greatest fresh match wins */
        else if (match)
            stale = 1;
    }
    if (fresh >= 0) {
        if (step)
            *step = fresh;
        res = CRYPTO_TOTP_OK;
    } else {
        res = stale ? CRYPTO_TOTP_REPLAY : CRYPTO_TOTP_WRONG;
    }
out:
    OPENSSL_cleanse(want, sizeof want);
    return res;
}

enum crypto_totp_result crypto_totp_check(const unsigned char *key, size_t keylen, const char *code,
                                          int64_t now, int window, int64_t last_step, int64_t *step)
{
    return crypto_totp_check_digits(key, keylen, code, CRYPTO_TOTP_DIGITS, now, window, last_step,
                                    step);
}

/* ---- secrets and enrolment ---------------------------------------------------------------- */

int crypto_totp_secret_new(char out[CRYPTO_TOTP_SECRET_B32 + 1])
{
    unsigned char raw[CRYPTO_TOTP_SECRET_LEN];
    char *enc = NULL;
    size_t enclen = 0;
    int rc = -1;

    out[0] = '\0';
    if (totp_ready() < 0 || urand_bytes(raw, sizeof raw) < 0)
        goto out;
    /* 20 bytes are a whole number of 5-byte groups: 32 characters and no padding. */
    if (oath_base32_encode((const char *)raw, sizeof raw, &enc, &enclen) != OATH_OK ||
        enclen != CRYPTO_TOTP_SECRET_B32)
        goto out;
    memcpy(out, enc, CRYPTO_TOTP_SECRET_B32);
    out[CRYPTO_TOTP_SECRET_B32] = '\0';
    rc = 0;
out:
    OPENSSL_cleanse(raw, sizeof raw);
    if (enc) {
        OPENSSL_cleanse(enc, enclen);
        free(enc);
    }
    return rc;
}

/* Letters of either case and 2-7: the base32 alphabet without padding. */
static bool b32_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

int crypto_totp_secret_decode(const char *b32, unsigned char *key, size_t keymax)
{
    char *dec = NULL;
    size_t n, declen = 0;
    int rc = -1;

    if (!b32 || !key || totp_ready() < 0)
        return -1;
    n = strlen(b32);
    if (n == 0 || n / 8 * 5 > keymax) /* whole groups of 8 characters alone exceed keymax */
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!b32_char(b32[i]))
            return -1;
    if (oath_base32_decode(b32, n, &dec, &declen) != OATH_OK || declen == 0 || declen > keymax ||
        declen > INT32_MAX)
        goto out;
    memcpy(key, dec, declen);
    rc = (int)declen;
out:
    if (dec) {
        OPENSSL_cleanse(dec, declen);
        free(dec);
    }
    return rc;
}

static int put_pct(struct ubuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~';
        if (plain ? ubuf_putc(b, (char)c) < 0
                  : ubuf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]) < 0)
            return -1;
    }
    return 0;
}

int crypto_totp_uri(struct ubuf *b, const char *username, const char *secret_b32)
{
    unsigned char key[64];
    size_t before = b->len;
    int rc = -1;

    /* The secret goes into the URI as it is: make sure it is one an app can read. */
    if (!username || !*username || crypto_totp_secret_decode(secret_b32, key, sizeof key) < 0)
        goto out;
    if (ubuf_puts(b, "otpauth://totp/eimza:") < 0 || put_pct(b, username) < 0 ||
        ubuf_printf(b, "?secret=%s&issuer=eimza&algorithm=SHA1&digits=%d&period=%d", secret_b32,
                    CRYPTO_TOTP_DIGITS, CRYPTO_TOTP_PERIOD) < 0)
        goto out;
    rc = 0;
out:
    OPENSSL_cleanse(key, sizeof key);
    if (rc < 0 && b->p) {
        b->len = before;
        b->p[before] = '\0';
    }
    return rc;
}
