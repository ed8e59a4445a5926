/* eimza — HOTP/TOTP, base32 and the otpauth URI (see totp.h).
 *
 * HMAC-SHA1 comes from OpenSSL's EVP_Q_mac. Codes are compared with CRYPTO_memcmp over the
 * whole window, so timing does not tell a near miss from a far one or which step matched.
 */
#include "crypto/totp.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "util/rand.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* ---- base32 ------------------------------------------------------------------------------- */

size_t crypto_base32_len(size_t n)
{
    return (n / 5) * 8 + ((n % 5) * 8 + 4) / 5;
}

int crypto_base32_encode(const void *data, size_t n, char *out, size_t outlen)
{
    const unsigned char *p = data;
    size_t need = crypto_base32_len(n);
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;

    if (outlen > 0)
        out[0] = '\0';
    if (need >= outlen || need > (size_t)INT32_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[k++] = b32_alphabet[(acc >> bits) & 31];
        }
        acc &= (1u << bits) - 1; /* keep only the bits not written yet */
    }
    if (bits > 0)
        out[k++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[k] = '\0';
    return (int)k;
}

static int b32_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

int crypto_base32_decode(const char *s, size_t n, unsigned char *out, size_t outlen)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;
    size_t rem = n % 8;

    /* A final group of 1, 3 or 6 characters holds a partial byte that no input could give. */
    if (rem == 1 || rem == 3 || rem == 6 || n / 8 * 5 + rem * 5 / 8 > outlen || n > INT32_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int v = b32_value(s[i]);
        if (v < 0)
            return -1;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* The padding bits of the last character must be zero: one spelling per byte string. */
    if (acc != 0)
        return -1;
    return (int)k;
}

/* ---- HOTP / TOTP -------------------------------------------------------------------------- */

int crypto_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits, char *out)
{
    unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
    size_t maclen = 0;

    if (!key || keylen == 0 || !out || digits < 1 || digits > CRYPTO_HOTP_MAX_DIGITS)
        return -1;
    for (int i = 7; i >= 0; i--) {
        msg[i] = (unsigned char)(counter & 0xff);
        counter >>= 8;
    }
    if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, key, keylen, msg, sizeof msg, mac, sizeof mac,
                   &maclen) ||
        maclen != 20)
        return -1;
    /* Dynamic truncation (RFC 4226 section 5.3): 31 bits at the offset the last nibble names. */
    unsigned off = mac[19] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    OPENSSL_cleanse(mac, sizeof mac);
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + bin % 10);
        bin /= 10;
    }
    out[digits] = '\0';
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
    size_t len;

    if (!key || keylen == 0 || !code || digits < 1 || digits > CRYPTO_HOTP_MAX_DIGITS ||
        window < 0 || window > 10 || center < 0 || last_step < -1)
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
            return CRYPTO_TOTP_ERROR;
        /* Compare whatever the shape of the code, so every call does the same work. */
        int match = wellformed && CRYPTO_memcmp(want, code, (size_t)digits) == 0;
        if (match && s > last_step)
            fresh = s; /* steps ascend: the greatest fresh match wins */
        else if (match)
            stale = 1;
    }
    OPENSSL_cleanse(want, sizeof want);
    if (fresh >= 0) {
        if (step)
            *step = fresh;
        return CRYPTO_TOTP_OK;
    }
    return stale ? CRYPTO_TOTP_REPLAY : CRYPTO_TOTP_WRONG;
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
    int rc = -1;

    out[0] = '\0';
    if (urand_bytes(raw, sizeof raw) < 0)
        goto out;
    if (crypto_base32_encode(raw, sizeof raw, out, CRYPTO_TOTP_SECRET_B32 + 1) !=
        CRYPTO_TOTP_SECRET_B32)
        goto out;
    rc = 0;
out:
    OPENSSL_cleanse(raw, sizeof raw);
    return rc;
}

int crypto_totp_secret_decode(const char *b32, unsigned char *key, size_t keymax)
{
    if (!b32 || !key)
        return -1;
    int n = crypto_base32_decode(b32, strlen(b32), key, keymax);
    return n > 0 ? n : -1;
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
