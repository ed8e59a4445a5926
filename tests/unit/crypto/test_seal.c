/* eimza — secrets sealed at rest (crypto/seal.h): the round trip, a fresh nonce each time, the
 * key's text form, and every way a sealed value must refuse to open (another key, another
 * context, one byte changed, cut short, not sealed at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/seal.h"

#define KEY1   "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="
#define KEY2   "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define SECRET "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

static void test_round_trip(void **state)
{
    (void)state;
    struct crypto_seal_key k;
    char a[CRYPTO_SEAL_TEXT_MAX], b[CRYPTO_SEAL_TEXT_MAX], out[CRYPTO_SEAL_PLAIN_MAX + 1];
    assert_int_equal(crypto_seal_key_parse(KEY1, &k), 0);
    assert_int_equal(strlen(k.id), CRYPTO_SEAL_ID_HEX);
    assert_int_equal(crypto_seal(&k, "totp:ayse", SECRET, a, sizeof a), 0);
    assert_int_equal(crypto_seal(&k, "totp:ayse", SECRET, b, sizeof b), 0);
    assert_true(crypto_sealed(a));
    assert_string_not_equal(a, b); /* a new nonce every time */
    assert_null(strstr(a, SECRET));
    assert_int_equal(strncmp(a + 3, k.id, CRYPTO_SEAL_ID_HEX), 0);
    assert_int_equal(crypto_unseal(&k, "totp:ayse", a, out, sizeof out), CRYPTO_UNSEAL_OK);
    assert_string_equal(out, SECRET);
    assert_int_equal(crypto_unseal(&k, "totp:ayse", b, out, sizeof out), CRYPTO_UNSEAL_OK);
    assert_string_equal(out, SECRET);
    /* the longest value and context fit the text's room */
    char plain[CRYPTO_SEAL_PLAIN_MAX + 1], ctx[CRYPTO_SEAL_CTX_MAX + 1];
    memset(plain, 'x', CRYPTO_SEAL_PLAIN_MAX);
    plain[CRYPTO_SEAL_PLAIN_MAX] = '\0';
    memset(ctx, 'c', CRYPTO_SEAL_CTX_MAX);
    ctx[CRYPTO_SEAL_CTX_MAX] = '\0';
    assert_int_equal(crypto_seal(&k, ctx, plain, a, sizeof a), 0);
    assert_int_equal(crypto_unseal(&k, ctx, a, out, sizeof out), CRYPTO_UNSEAL_OK);
    assert_string_equal(out, plain);
    /* too long, or no room: refused with nothing written */
    char big[CRYPTO_SEAL_PLAIN_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(crypto_seal(&k, "c", big, a, sizeof a), -1);
    assert_string_equal(a, "");
    assert_int_equal(crypto_seal(&k, "c", SECRET, a, 20), -1);
    assert_string_equal(a, "");
    /* the empty value is a value */
    assert_int_equal(crypto_seal(&k, "c", "", a, sizeof a), 0);
    assert_int_equal(crypto_unseal(&k, "c", a, out, sizeof out), CRYPTO_UNSEAL_OK);
    assert_string_equal(out, "");
}

static void test_refusals(void **state)
{
    (void)state;
    struct crypto_seal_key k1, k2;
    char a[CRYPTO_SEAL_TEXT_MAX], out[CRYPTO_SEAL_PLAIN_MAX + 1];
    assert_int_equal(crypto_seal_key_parse(KEY1, &k1), 0);
    assert_int_equal(crypto_seal_key_parse(KEY2, &k2), 0);
    assert_string_not_equal(k1.id, k2.id);
    assert_int_equal(crypto_seal(&k1, "totp:ayse", SECRET, a, sizeof a), 0);

    assert_int_equal(crypto_unseal(&k2, "totp:ayse", a, out, sizeof out), CRYPTO_UNSEAL_OTHER_KEY);
    assert_string_equal(out, "");
    assert_int_equal(crypto_unseal(&k1, "totp:ali", a, out, sizeof out), CRYPTO_UNSEAL_BAD);
    assert_string_equal(out, "");
    assert_int_equal(crypto_unseal(&k1, "totp:ayse", SECRET, out, sizeof out),
                     CRYPTO_UNSEAL_NOT_SEALED);
    /* a key of another id but the same bytes' id: the box itself refuses */
    struct crypto_seal_key forged = k2;
    memcpy(forged.id, k1.id, sizeof forged.id);
    assert_int_equal(crypto_unseal(&forged, "totp:ayse", a, out, sizeof out), CRYPTO_UNSEAL_BAD);
    /* every single byte of the base64 changed: never opens */
    size_t head = 3 + CRYPTO_SEAL_ID_HEX + 1;
    for (size_t i = head; a[i]; i++) {
        char t[CRYPTO_SEAL_TEXT_MAX];
        memcpy(t, a, sizeof t);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        /* the last character of unpadded base64 may carry unused bits: changing only those
         * may decode to the same bytes, which then open to the same value */
        enum crypto_unseal u = crypto_unseal(&k1, "totp:ayse", t, out, sizeof out);
        if (u == CRYPTO_UNSEAL_OK && (strcmp(out, SECRET) != 0 || a[i + 1]))
            fail_msg("byte %zu changed and it still opened", i);
    }
    /* cut short, or with something after */
    char t[CRYPTO_SEAL_TEXT_MAX + 8];
    snprintf(t, sizeof t, "%.*s", (int)strlen(a) - 3, a);
    assert_int_equal(crypto_unseal(&k1, "totp:ayse", t, out, sizeof out), CRYPTO_UNSEAL_BAD);
    snprintf(t, sizeof t, "%s!", a);
    assert_int_equal(crypto_unseal(&k1, "totp:ayse", t, out, sizeof out), CRYPTO_UNSEAL_BAD);
    assert_int_equal(crypto_unseal(&k1, "totp:ayse", "s1.", out, sizeof out), CRYPTO_UNSEAL_BAD);
    assert_int_equal(crypto_unseal(NULL, "totp:ayse", a, out, sizeof out), CRYPTO_UNSEAL_BAD);
}

static void test_key_text(void **state)
{
    (void)state;
    struct crypto_seal_key k, d1, d2;
    assert_int_equal(crypto_seal_key_parse("  " KEY1 "\n", &k), 0);
    assert_int_equal(crypto_seal_key_parse("q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA", &k), 0);
    assert_int_equal(crypto_seal_key_parse("c2hvcnQ=", &k), -1); /* 5 bytes */
    assert_int_equal(crypto_seal_key_parse("", &k), -1);
    assert_int_equal(crypto_seal_key_parse("not base64 at all!!", &k), -1);
    assert_int_equal(crypto_seal_key_parse(KEY1 KEY1, &k), -1); /* 64 bytes */
    assert_int_equal(crypto_seal_key_parse(NULL, &k), -1);
    crypto_seal_key_dev(&d1);
    crypto_seal_key_dev(&d2);
    assert_memory_equal(d1.k, d2.k, sizeof d1.k); /* fixed: the same on every start */
    assert_int_equal(strlen(d1.id), CRYPTO_SEAL_ID_HEX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_key_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
