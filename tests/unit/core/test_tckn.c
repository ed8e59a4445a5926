/* Unit tests for core/tckn.h: the T.C. Kimlik No check, check digits, serialNumber forms and
 * the mask. Property checks use a fixed-seed generator so failures reproduce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/tckn.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static enum core_tckn_err check(const char *s)
{
    return core_tckn_check(s, strlen(s));
}

static void test_valid_numbers(void **state)
{
    (void)state;
    assert_int_equal(check("10000000146"), CORE_TCKN_OK);
    assert_true(core_tckn_valid("10000000146", 11));
    assert_int_equal(check("12345678950"), CORE_TCKN_OK);
    /* Not NUL-terminated: only n bytes are read. */
    const char buf[11] = {'1', '0', '0', '0', '0', '0', '0', '0', '1', '4', '6'};
    assert_int_equal(core_tckn_check(buf, sizeof buf), CORE_TCKN_OK);
}

/* d1..d9 = 1,9,0,9,0,9,0,9,0: odd sum 1, even sum 36, 1*7 - 36 = -29. The non-negative
 * modulo gives d10 = 1 (then d11 = 38 mod 10 = 8); C's % would give -9, and an abs() fix 9. */
static void test_negative_modulo(void **state)
{
    (void)state;
    assert_int_equal(check("19090909018"), CORE_TCKN_OK);
    assert_int_equal(check("19090909096"), CORE_TCKN_CHECKSUM); /* the abs() mistake */
    char out[CORE_TCKN_LEN + 1];
    assert_int_equal(core_tckn_complete("190909090", out), 0);
    assert_string_equal(out, "19090909018");
}

static void test_errors(void **state)
{
    (void)state;
    assert_int_equal(check(""), CORE_TCKN_LENGTH);
    assert_int_equal(core_tckn_check(NULL, 0), CORE_TCKN_LENGTH);
    assert_int_equal(check("1000000014"), CORE_TCKN_LENGTH);
    assert_int_equal(check("100000001460"), CORE_TCKN_LENGTH);
    assert_int_equal(check(" 10000000146"), CORE_TCKN_LENGTH); /* no trimming here */
    assert_int_equal(check("1000000014a"), CORE_TCKN_NOT_DIGITS);
    assert_int_equal(check(" 0000000146"), CORE_TCKN_NOT_DIGITS);
    assert_int_equal(check("1000000-146"), CORE_TCKN_NOT_DIGITS);
    assert_int_equal(check("0000000000a"), CORE_TCKN_NOT_DIGITS); /* digits are checked first */
    assert_int_equal(check("01234567890"), CORE_TCKN_LEADING_ZERO);
    assert_int_equal(check("00000000000"), CORE_TCKN_LEADING_ZERO);
    assert_int_equal(check("10000000147"), CORE_TCKN_CHECKSUM); /* d11 wrong */
    assert_int_equal(check("10000000156"), CORE_TCKN_CHECKSUM); /* d10 wrong */
    assert_int_equal(check("11111111111"), CORE_TCKN_CHECKSUM);
    assert_false(core_tckn_valid("10000000147", 11));
    /* An embedded NUL is a non-digit, not an end. */
    assert_int_equal(core_tckn_check("10000\0000146", 11), CORE_TCKN_NOT_DIGITS);
}

static void test_err_codes(void **state)
{
    (void)state;
    assert_null(core_tckn_err_code(CORE_TCKN_OK));
    assert_string_equal(core_tckn_err_code(CORE_TCKN_LENGTH), "tckn_length");
    assert_string_equal(core_tckn_err_code(CORE_TCKN_NOT_DIGITS), "tckn_not_digits");
    assert_string_equal(core_tckn_err_code(CORE_TCKN_LEADING_ZERO), "tckn_leading_zero");
    assert_string_equal(core_tckn_err_code(CORE_TCKN_CHECKSUM), "tckn_checksum");
}

static void test_complete(void **state)
{
    (void)state;
    char out[CORE_TCKN_LEN + 1];
    assert_int_equal(core_tckn_complete("100000001", out), 0);
    assert_string_equal(out, "10000000146");
    /* Only the first nine characters are read. */
    assert_int_equal(core_tckn_complete("12345678999", out), 0);
    assert_string_equal(out, "12345678950");

    memcpy(out, "untouched!!", 12);
    assert_int_equal(core_tckn_complete("012345678", out), -1);
    assert_int_equal(core_tckn_complete("12345678", out), -1);
    assert_int_equal(core_tckn_complete("12345678a", out), -1);
    assert_int_equal(core_tckn_complete("1234 5678", out), -1);
    assert_int_equal(core_tckn_complete("", out), -1);
    assert_int_equal(core_tckn_complete(NULL, out), -1);
    assert_string_equal(out, "untouched!!");
}

/* Any nine-digit prefix completes to a valid number, and changing any one digit of a valid
 * number to any other digit makes it invalid (the check digits catch every single error). */
static void test_property_single_digit_errors(void **state)
{
    (void)state;
    for (int round = 0; round < 2000; round++) {
        char d9[10], num[CORE_TCKN_LEN + 1];
        d9[0] = (char)('1' + rng() % 9);
        for (int i = 1; i < 9; i++)
            d9[i] = (char)('0' + rng() % 10);
        d9[9] = '\0';
        assert_int_equal(core_tckn_complete(d9, num), 0);
        assert_memory_equal(num, d9, 9);
        assert_int_equal(core_tckn_check(num, 11), CORE_TCKN_OK);
        for (int pos = 0; pos < CORE_TCKN_LEN; pos++) {
            char orig = num[pos];
            for (char c = '0'; c <= '9'; c++) {
                if (c == orig)
                    continue;
                num[pos] = c;
                enum core_tckn_err e = core_tckn_check(num, 11);
                if (pos == 0 && c == '0')
                    assert_int_equal(e, CORE_TCKN_LEADING_ZERO);
                else
                    assert_int_equal(e, CORE_TCKN_CHECKSUM);
            }
            num[pos] = orig;
        }
    }
}

/* Exactly one in a hundred random 11-digit strings (first digit not 0) should be valid: the
 * two check digits are each determined by the rest. */
static void test_property_random_rate(void **state)
{
    (void)state;
    int valid = 0, total = 20000;
    for (int round = 0; round < total; round++) {
        char num[CORE_TCKN_LEN];
        num[0] = (char)('1' + rng() % 9);
        for (int i = 1; i < CORE_TCKN_LEN; i++)
            num[i] = (char)('0' + rng() % 10);
        valid += core_tckn_valid(num, sizeof num);
    }
    assert_in_range(valid, 140, 260); /* expected 200 */
}

static void test_from_serial(void **state)
{
    (void)state;
    char out[CORE_TCKN_LEN + 1];
    static const char *const ok[] = {"10000000146", "PNOTR-10000000146", "IDCTR-10000000146",
                                     "TINTR-10000000146", "TAXTR-10000000146"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        memset(out, 'x', sizeof out);
        assert_int_equal(core_tckn_from_serial(ok[i], strlen(ok[i]), out), CORE_TCKN_OK);
        assert_string_equal(out, "10000000146");
    }
    struct {
        const char *s;
        enum core_tckn_err e;
    } bad[] = {
        {"", CORE_TCKN_LENGTH},
        {"PNOTR-", CORE_TCKN_LENGTH},
        {"PNOTR-1000000014", CORE_TCKN_LENGTH},
        {"PNOTR-10000000147", CORE_TCKN_CHECKSUM},
        {"PNOTR-01234567890", CORE_TCKN_LEADING_ZERO},
        {"PNOTR-1000000014a", CORE_TCKN_NOT_DIGITS},
        {"pnotr-10000000146", CORE_TCKN_LENGTH}, /* lower case: not a prefix */
        {"PNODE-10000000146", CORE_TCKN_LENGTH}, /* not a Turkish identifier */
        {"PN0TR-10000000146", CORE_TCKN_LENGTH}, /* a digit among the letters */
        {"PNOTR10000000146", CORE_TCKN_LENGTH},  /* no hyphen */
        {"PNOTR-PNOTR-1000", CORE_TCKN_LENGTH},  /* the prefix once only */
        {"PNOTR-TR-10000000", CORE_TCKN_NOT_DIGITS},
        {"PNOTR- 0000000146", CORE_TCKN_NOT_DIGITS},
        {"ABCDEFGHIJK", CORE_TCKN_NOT_DIGITS},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(out, 'x', sizeof out);
        assert_int_equal(core_tckn_from_serial(bad[i].s, strlen(bad[i].s), out), bad[i].e);
        assert_string_equal(out, "");
    }
    memset(out, 'x', sizeof out);
    assert_int_equal(core_tckn_from_serial(NULL, 0, out), CORE_TCKN_LENGTH);
    assert_string_equal(out, "");
    /* n bounds the read: the valid number in a longer buffer. */
    assert_int_equal(core_tckn_from_serial("PNOTR-10000000146XYZ", 17, out), CORE_TCKN_OK);
    assert_string_equal(out, "10000000146");
}

static void test_mask(void **state)
{
    (void)state;
    char out[CORE_TCKN_LEN + 1];
    core_tckn_mask("10000000146", out);
    assert_string_equal(out, "100******46");
    core_tckn_mask("12345678950", out);
    assert_string_equal(out, "123******50");
    core_tckn_mask("1234567895", out);
    assert_string_equal(out, "***********");
    core_tckn_mask("123456789501", out);
    assert_string_equal(out, "***********");
    core_tckn_mask("", out);
    assert_string_equal(out, "***********");
    core_tckn_mask(NULL, out);
    assert_string_equal(out, "***********");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_numbers),
        cmocka_unit_test(test_negative_modulo),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_err_codes),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_property_single_digit_errors),
        cmocka_unit_test(test_property_random_rate),
        cmocka_unit_test(test_from_serial),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
