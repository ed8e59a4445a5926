/* Unit tests for the pure Assuan (pinentry protocol) parts of sign/: escaping command
 * arguments, decoding data lines, classifying replies, and recognising a cancel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sign/sign_int.h"

static void test_escape(void **state)
{
    struct ubuf b = UBUF_INIT(200);
    (void)state;
    assert_int_equal(sign_assuan_escape("100% «kart»\nSon deneme\r\x01", &b), 0);
    assert_string_equal(ubuf_str(&b), "100%25 «kart»%0ASon deneme%0D%01");
    ubuf_reset(&b);
    assert_int_equal(sign_assuan_escape("", &b), 0);
    assert_string_equal(ubuf_str(&b), "");
    ubuf_free(&b);
}

static void test_escape_cap(void **state)
{
    struct ubuf b = UBUF_INIT(5);
    (void)state;
    /* "\n\n" needs 6 bytes escaped: past the cap */
    assert_int_equal(sign_assuan_escape("\n\n", &b), -1);
    ubuf_free(&b);
}

static void test_unescape(void **state)
{
    char out[16];
    size_t len = 0;
    (void)state;
    assert_int_equal(sign_assuan_unescape("12%2534", out, sizeof out, &len), 0);
    assert_string_equal(out, "12%34");
    assert_int_equal(len, 5);
    /* appends: pinentry may split the data over several D lines */
    assert_int_equal(sign_assuan_unescape("%0a9", out, sizeof out, &len), 0);
    assert_string_equal(out, "12%34\n9");
    assert_int_equal(len, 7);
}

static void test_unescape_bad(void **state)
{
    char out[8];
    size_t len = 0;
    (void)state;
    assert_int_equal(sign_assuan_unescape("12%2", out, sizeof out, &len), -1);
    len = 0;
    assert_int_equal(sign_assuan_unescape("%G1", out, sizeof out, &len), -1);
    len = 0;
    assert_int_equal(sign_assuan_unescape("a%00b", out, sizeof out, &len), -1);
    len = 0;
    /* 8 bytes do not fit 8 with the NUL */
    assert_int_equal(sign_assuan_unescape("12345678", out, sizeof out, &len), -1);
    len = 0;
    assert_int_equal(sign_assuan_unescape("1234567", out, sizeof out, &len), 0);
    assert_int_equal(len, 7);
    assert_int_equal(sign_assuan_unescape("", out, sizeof out, &len), 0);
    assert_int_equal(sign_assuan_unescape("x", out, sizeof out, &len), -1);
}

static void test_parse(void **state)
{
    struct sign_assuan_reply r;
    (void)state;
    sign_assuan_parse("OK Pleased to meet you", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_OK);
    assert_string_equal(r.rest, "Pleased to meet you");
    sign_assuan_parse("OK", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_OK);
    assert_string_equal(r.rest, "");
    sign_assuan_parse("D 123%25456", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_DATA);
    assert_string_equal(r.rest, "123%25456");
    sign_assuan_parse("ERR 83886179 Operation cancelled <Pinentry>", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_ERR);
    assert_int_equal(r.code, 83886179UL);
    assert_string_equal(r.rest, "Operation cancelled <Pinentry>");
    sign_assuan_parse("ERR 99", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_ERR);
    assert_int_equal(r.code, 99);
    sign_assuan_parse("S PASSWORD_FROM_CACHE", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_SKIP);
    sign_assuan_parse("# a comment", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_SKIP);
    sign_assuan_parse("INQUIRE QUALITY", &r);
    assert_int_equal(r.kind, SIGN_ASSUAN_INQUIRE);
}

static void test_parse_bad(void **state)
{
    struct sign_assuan_reply r;
    (void)state;
    const char *bad[] = {"", "OKAY", "ERR", "ERR x", "ERR 12x", "Data", "D", "ok", " OK"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sign_assuan_parse(bad[i], &r);
        /* "D" alone is an empty data line, which is allowed */
        if (!strcmp(bad[i], "D"))
            assert_int_equal(r.kind, SIGN_ASSUAN_DATA);
        else
            assert_int_equal(r.kind, SIGN_ASSUAN_BAD);
    }
}

static void test_cancel(void **state)
{
    (void)state;
    assert_true(sign_assuan_is_cancel(83886179UL)); /* pinentry's source, GPG_ERR_CANCELED */
    assert_true(sign_assuan_is_cancel(99));
    assert_false(sign_assuan_is_cancel(83886178UL));
    assert_false(sign_assuan_is_cancel(0));
    assert_false(sign_assuan_is_cancel(83918950UL)); /* GPG_ERR_ASS_UNKNOWN_CMD (275) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),   cmocka_unit_test(test_escape_cap),
        cmocka_unit_test(test_unescape), cmocka_unit_test(test_unescape_bad),
        cmocka_unit_test(test_parse),    cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
