/* Unit tests for crypto/totp.h: HOTP against RFC 4226 Appendix D, TOTP against RFC 6238
 * Appendix B (SHA-1 rows, 8 digits; computed by liboath), stored secrets read against the base32
 * vectors of RFC 4648 section 10 and refused when malformed, the verification window's edges,
 * replay refusal, and the otpauth URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/totp.h"

/* The RFCs' shared secret: the ASCII digits "1234567890" twice (20 bytes). */
static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEYLEN 20

static void test_hotp_rfc4226(void **state)
{
    static const char *want[] = {"755224", "287082", "359152", "969429", "338314",
                                 "254676", "287922", "162583", "399871", "520489"};
    char out[CRYPTO_HOTP_MAX_DIGITS + 1];
    (void)state;
    for (uint64_t c = 0; c < 10; c++) {
        assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, c, 6, out), 0);
        assert_string_equal(out, want[c]);
    }
}

static void test_hotp_bad_args(void **state)
{
    char out[CRYPTO_HOTP_MAX_DIGITS + 2];
    (void)state;
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, 0, out), -1);
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, CRYPTO_HOTP_MIN_DIGITS - 1, out), -1);
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, CRYPTO_HOTP_MAX_DIGITS + 1, out), -1);
    assert_int_equal(crypto_hotp(rfc_key, 0, 0, 6, out), -1);
    assert_int_equal(crypto_hotp(NULL, 20, 0, 6, out), -1);
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, 6, NULL), -1);
    /* 7 and 8 digits: the 31-bit value of counter 0 with more leading digits kept (RFC 4226
     * D: the truncated decimal value of count 0 is 1284755224). */
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, 7, out), 0);
    assert_string_equal(out, "4755224");
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, 0, 8, out), 0);
    assert_string_equal(out, "84755224");
}

static void test_totp_rfc6238(void **state)
{
    static const struct {
        int64_t t;
        const char *code;
    } rows[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    char out[CRYPTO_HOTP_MAX_DIGITS + 1];
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(crypto_totp_code_digits(rfc_key, RFC_KEYLEN, rows[i].t, 8, out), 0);
        assert_string_equal(out, rows[i].code);
        /* The 6 digits in use are the last 6 of the same value. */
        char six[CRYPTO_TOTP_DIGITS + 1];
        assert_int_equal(crypto_totp_code(rfc_key, RFC_KEYLEN, rows[i].t, six), 0);
        assert_string_equal(six, rows[i].code + 2);
        /* And each one verifies at its own time, with 8 digits. */
        int64_t step = -5;
        assert_int_equal(
            crypto_totp_check_digits(rfc_key, RFC_KEYLEN, rows[i].code, 8, rows[i].t, 1, -1, &step),
            CRYPTO_TOTP_OK);
        assert_int_equal(step, rows[i].t / 30);
    }
    assert_int_equal(crypto_totp_code(rfc_key, RFC_KEYLEN, -1, out), -1);
}

static void test_totp_step(void **state)
{
    (void)state;
    assert_int_equal(crypto_totp_step(0), 0);
    assert_int_equal(crypto_totp_step(29), 0);
    assert_int_equal(crypto_totp_step(30), 1);
    assert_int_equal(crypto_totp_step(59), 1);
    assert_int_equal(crypto_totp_step(-1), -1);
}

static void code_at_step(int64_t step, char out[CRYPTO_TOTP_DIGITS + 1])
{
    assert_int_equal(crypto_hotp(rfc_key, RFC_KEYLEN, (uint64_t)step, 6, out), 0);
}

static void test_window_edges(void **state)
{
    const int64_t now = 1700000015; /* inside step 56666667 */
    const int64_t s = now / 30;
    char code[CRYPTO_TOTP_DIGITS + 1];
    int64_t got;
    (void)state;

    for (int d = -1; d <= 1; d++) {
        code_at_step(s + d, code);
        got = 0;
        assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -1, &got),
                         CRYPTO_TOTP_OK);
        assert_int_equal(got, s + d);
    }
    /* Two steps away is outside a window of one ... */
    code_at_step(s - 2, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    code_at_step(s + 2, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    /* ... inside a window of two, and with window 0 only the current step counts. */
    got = 0;
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 2, -1, &got),
                     CRYPTO_TOTP_OK);
    assert_int_equal(got, s + 2);
    code_at_step(s + 1, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 0, -1, &got),
                     CRYPTO_TOTP_WRONG);
    /* The last second of a step and the first of the next. */
    code_at_step(s + 1, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, (s - 1) * 30 + 29, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, s * 30, 1, -1, &got),
                     CRYPTO_TOTP_OK);
    /* Near the epoch the window does not reach below step 0. */
    code_at_step(0, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, 5, 1, -1, &got), CRYPTO_TOTP_OK);
    assert_int_equal(got, 0);
}

static void test_replay(void **state)
{
    const int64_t now = 1700000015;
    const int64_t s = now / 30;
    char code[CRYPTO_TOTP_DIGITS + 1];
    int64_t got = -7;
    (void)state;

    code_at_step(s, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -1, &got),
                     CRYPTO_TOTP_OK);
    assert_int_equal(got, s);
    /* The same code again, stored last step s: a replay, and *step is left alone. */
    got = -7;
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, s, &got),
                     CRYPTO_TOTP_REPLAY);
    assert_int_equal(got, -7);
    /* An older step's code after a newer one was accepted: also a replay. */
    code_at_step(s - 1, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, s, &got),
                     CRYPTO_TOTP_REPLAY);
    /* The next step's code is fresh. */
    code_at_step(s + 1, code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, s, &got), CRYPTO_TOTP_OK);
    assert_int_equal(got, s + 1);
    /* A wrong code stays wrong whatever the last step. */
    code[0] = (char)('0' + (code[0] - '0' + 1) % 10);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, s, &got),
                     CRYPTO_TOTP_WRONG);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
}

static void test_check_bad_input(void **state)
{
    const int64_t now = 1700000015;
    char code[CRYPTO_TOTP_DIGITS + 1], longer[16];
    int64_t got;
    (void)state;

    code_at_step(now / 30, code);
    /* The right digits with something after them, fewer digits, non-digits. */
    snprintf(longer, sizeof longer, "%s0", code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, longer, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    snprintf(longer, sizeof longer, "%s ", code);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, longer, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code + 1, now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, "", now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, "12a456", now, 1, -1, &got),
                     CRYPTO_TOTP_WRONG);
    /* The right code with another key is wrong. */
    static const unsigned char other[] = "abcdefghijabcdefghij";
    assert_int_equal(crypto_totp_check(other, 20, code, now, 1, -1, &got), CRYPTO_TOTP_WRONG);
    /* Bad arguments. */
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, NULL, now, 1, -1, &got),
                     CRYPTO_TOTP_ERROR);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, -30, 1, -1, &got),
                     CRYPTO_TOTP_ERROR);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, -1, -1, &got),
                     CRYPTO_TOTP_ERROR);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 11, -1, &got),
                     CRYPTO_TOTP_ERROR);
    assert_int_equal(crypto_totp_check(rfc_key, 0, code, now, 1, -1, &got), CRYPTO_TOTP_ERROR);
    assert_int_equal(crypto_totp_check(rfc_key, RFC_KEYLEN, code, now, 1, -2, &got),
                     CRYPTO_TOTP_ERROR);
}

/* Stored secrets are read with liboath's base32 decoder behind a strict alphabet check. */
static void test_secret_decode_rfc4648(void **state)
{
    static const struct {
        const char *plain, *b32;
    } v[] = {
        {"f", "MY"},
        {"fo", "MZXQ"},
        {"foo", "MZXW6"},
        {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
        {"12345678901234567890", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
    };
    unsigned char dec[64];
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t n = strlen(v[i].plain);
        assert_int_equal(crypto_totp_secret_decode(v[i].b32, dec, sizeof dec), (int)n);
        assert_memory_equal(dec, v[i].plain, n);
    }
    /* Lower case decodes the same. */
    assert_int_equal(crypto_totp_secret_decode("mzxw6ytboi", dec, sizeof dec), 6);
    assert_memory_equal(dec, "foobar", 6);
}

static void test_secret_decode_bad(void **state)
{
    unsigned char dec[16];
    (void)state;
    /* Characters outside the alphabet: 0, 1, 8, 9, padding, space (liboath alone would skip
     * it), non-ASCII, an empty secret. */
    const char *bad[] = {"MZXW0", "MZXW1", "MZXW8", "MZXW9", "MZXQ====", "MZ XQ", "MZXQ ", " MZXQ",
                         "MZ\xc3\x96Q", "MZ-Q", "", "=",
                         /* impossible lengths: 1, 3, 6 characters after the last full group */
                         "M", "MZX", "MZXW6Y", "MZXW6YTBM"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(crypto_totp_secret_decode(bad[i], dec, sizeof dec), -1);
    /* The key must fit keymax. */
    assert_int_equal(crypto_totp_secret_decode("MZXW6YTBOI", dec, 5), -1);
    assert_int_equal(crypto_totp_secret_decode("MZXW6YTBOI", dec, 6), 6);
    assert_int_equal(
        crypto_totp_secret_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBV", dec, sizeof dec), -1);
    assert_int_equal(crypto_totp_secret_decode(NULL, dec, sizeof dec), -1);
    assert_int_equal(crypto_totp_secret_decode("MZXQ", NULL, sizeof dec), -1);
}

static void test_secret_new(void **state)
{
    char a[CRYPTO_TOTP_SECRET_B32 + 1], b[CRYPTO_TOTP_SECRET_B32 + 1];
    unsigned char key[64];
    (void)state;
    assert_int_equal(crypto_totp_secret_new(a), 0);
    assert_int_equal(crypto_totp_secret_new(b), 0);
    assert_int_equal(strlen(a), CRYPTO_TOTP_SECRET_B32);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), CRYPTO_TOTP_SECRET_B32);
    assert_string_not_equal(a, b); /* 160 random bits: equal only if the generator is broken */
    assert_int_equal(crypto_totp_secret_decode(a, key, sizeof key), CRYPTO_TOTP_SECRET_LEN);
    assert_int_equal(crypto_totp_secret_decode("", key, sizeof key), -1);
    assert_int_equal(crypto_totp_secret_decode("not base32!", key, sizeof key), -1);
    assert_int_equal(crypto_totp_secret_decode(NULL, key, sizeof key), -1);
}

static void test_uri(void **state)
{
    struct ubuf b = UBUF_INIT(1024);
    (void)state;
    assert_int_equal(crypto_totp_uri(&b, "ayse.yilmaz", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), 0);
    assert_string_equal(ubuf_str(&b),
                        "otpauth://totp/eimza:ayse.yilmaz?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        "&issuer=eimza&algorithm=SHA1&digits=6&period=30");
    ubuf_reset(&b);
    /* Anything outside the unreserved set is percent-encoded, UTF-8 byte by byte. */
    assert_int_equal(crypto_totp_uri(&b, "a b:c/d?e&f#g%\xc3\xbc", "MZXW6YTBOI"), 0);
    assert_string_equal(ubuf_str(&b), "otpauth://totp/eimza:a%20b%3Ac%2Fd%3Fe%26f%23g%25%C3%BC"
                                      "?secret=MZXW6YTBOI&issuer=eimza&algorithm=SHA1&digits=6"
                                      "&period=30");
    /* A bad secret or an empty name writes nothing. */
    ubuf_reset(&b);
    assert_int_equal(ubuf_puts(&b, "x"), 0);
    assert_int_equal(crypto_totp_uri(&b, "ayse", "not base32"), -1);
    assert_int_equal(crypto_totp_uri(&b, "ayse", "MZXW6YTBO"), -1);
    assert_int_equal(crypto_totp_uri(&b, "", "MZXW6YTBOI"), -1);
    assert_int_equal(crypto_totp_uri(&b, NULL, "MZXW6YTBOI"), -1);
    assert_string_equal(ubuf_str(&b), "x");
    ubuf_free(&b);
    /* Past the cap: refused, buffer as before. */
    struct ubuf small = UBUF_INIT(40);
    assert_int_equal(ubuf_puts(&small, "y"), 0);
    assert_int_equal(crypto_totp_uri(&small, "ayse", "MZXW6YTBOI"), -1);
    assert_string_equal(ubuf_str(&small), "y");
    ubuf_free(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hotp_rfc4226),
        cmocka_unit_test(test_hotp_bad_args),
        cmocka_unit_test(test_totp_rfc6238),
        cmocka_unit_test(test_totp_step),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_replay),
        cmocka_unit_test(test_check_bad_input),
        cmocka_unit_test(test_secret_decode_rfc4648),
        cmocka_unit_test(test_secret_decode_bad),
        cmocka_unit_test(test_secret_new),
        cmocka_unit_test(test_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
