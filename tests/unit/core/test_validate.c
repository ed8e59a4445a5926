/* Unit tests for core/validate.h: Turkish phone numbers, e-mail syntax, postal codes and the
 * masks. (Provinces are in test_provinces.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"

/* ---- phone -------------------------------------------------------------------------------- */

static enum core_phone_err mobile(const char *in, char out[CORE_PHONE_LEN + 1])
{
    memset(out, 'x', CORE_PHONE_LEN + 1);
    return core_phone_normalize(in, strlen(in), out);
}

static enum core_phone_err any(const char *in, char out[CORE_PHONE_LEN + 1])
{
    memset(out, 'x', CORE_PHONE_LEN + 1);
    return core_phone_normalize_any(in, strlen(in), out);
}

static void test_phone_accepted_forms(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "+90 532 123 45 67",
        "+905321234567",
        "+90 (532) 123-45-67",
        " +90 532 1234567",
        "0090 532 123 45 67",
        "00905321234567",
        "90 532 123 45 67",
        "905321234567",
        "0532 123 45 67",
        "05321234567",
        "0 (532) 123 45 67",
        "(0532) 123 45 67",
        "5321234567",
        "532 123 45 67",
        "532-123-45-67",
        "532.123.45.67",
        "532/123 45 67",
        "(532) 123-4567",
        "  532 123 45 67  ",
        "0532\xC2\xA0"
        "123\xC2\xA0"
        "45\xC2\xA0"
        "67", /* no-break spaces, as the pages write it */
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char out[CORE_PHONE_LEN + 1];
        if (mobile(forms[i], out) != CORE_PHONE_OK)
            print_error("refused \"%s\"\n", forms[i]);
        assert_int_equal(mobile(forms[i], out), CORE_PHONE_OK);
        assert_string_equal(out, "5321234567");
        assert_int_equal(any(forms[i], out), CORE_PHONE_OK);
        assert_string_equal(out, "5321234567");
    }
}

static void test_phone_refused(void **state)
{
    (void)state;
    struct {
        const char *in;
        enum core_phone_err e;
    } bad[] = {
        {"", CORE_PHONE_EMPTY},
        {"   ", CORE_PHONE_EMPTY},
        {"--", CORE_PHONE_EMPTY},
        {"+", CORE_PHONE_EMPTY},
        {"0532 123 45 6a", CORE_PHONE_BAD_CHAR},
        {"0532_123_45_67", CORE_PHONE_BAD_CHAR},
        {"0532\t1234567", CORE_PHONE_BAD_CHAR},
        {"532 + 1234567", CORE_PHONE_BAD_CHAR}, /* '+' only at the start */
        {"90+5321234567", CORE_PHONE_BAD_CHAR},
        {"++905321234567", CORE_PHONE_BAD_CHAR},
        {"0532 123 45 67 dahili 12", CORE_PHONE_BAD_CHAR},
        {"053212345\xC4\xB0", CORE_PHONE_BAD_CHAR}, /* non-ASCII */
        {"0532\xC2 1234567", CORE_PHONE_BAD_CHAR},  /* half a no-break space */
        {"05321234567\xC2", CORE_PHONE_BAD_CHAR},
        {"0532\xA0 1234567", CORE_PHONE_BAD_CHAR},
        {"532123456", CORE_PHONE_LENGTH},          /* 9 digits */
        {"53212345678", CORE_PHONE_LENGTH},        /* 11 digits, no 0 prefix */
        {"0532123456", CORE_PHONE_LENGTH},         /* 0 + 9 digits */
        {"053212345678", CORE_PHONE_LENGTH},       /* 12 digits, not 90 */
        {"0905321234567", CORE_PHONE_LENGTH},      /* 13 digits */
        {"+90 0532 123 45 67", CORE_PHONE_LENGTH}, /* trunk 0 after the country code */
        {"+5321234567", CORE_PHONE_LENGTH},        /* '+' without 90 */
        {"+44 20 7946 0958", CORE_PHONE_LENGTH},   /* a foreign number */
        {"+9053212345678", CORE_PHONE_LENGTH},
        {"00532 123 45 67", CORE_PHONE_LENGTH}, /* double trunk prefix */
        {"0000000000", CORE_PHONE_LENGTH},
        {"0090 0532 123 456", CORE_PHONE_LENGTH}, /* 0090 then a trunk 0 */
        {"53212345678901234567890", CORE_PHONE_LENGTH},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[CORE_PHONE_LEN + 1];
        enum core_phone_err e = mobile(bad[i].in, out);
        if (e != bad[i].e)
            print_error("\"%s\": got %d, want %d\n", bad[i].in, (int)e, (int)bad[i].e);
        assert_int_equal(e, bad[i].e);
        assert_string_equal(out, "");
        assert_int_equal(any(bad[i].in, out), bad[i].e);
        assert_string_equal(out, "");
    }
    char out[CORE_PHONE_LEN + 1];
    assert_int_equal(core_phone_normalize(NULL, 0, out), CORE_PHONE_EMPTY);
    /* n bounds the read. */
    assert_int_equal(core_phone_normalize("05321234567xyz", 11, out), CORE_PHONE_OK);
    assert_string_equal(out, "5321234567");
}

static void test_phone_land_lines(void **state)
{
    (void)state;
    char out[CORE_PHONE_LEN + 1];
    assert_int_equal(mobile("0212 123 45 67", out), CORE_PHONE_NOT_MOBILE);
    assert_string_equal(out, "");
    assert_int_equal(any("0212 123 45 67", out), CORE_PHONE_OK);
    assert_string_equal(out, "2121234567");
    assert_int_equal(mobile("+90 488 212 34 56", out), CORE_PHONE_NOT_MOBILE);
    assert_int_equal(any("+90 488 212 34 56", out), CORE_PHONE_OK); /* Batman */
    assert_string_equal(out, "4882123456");
    assert_int_equal(any("(0312) 413 10 00", out), CORE_PHONE_OK);
    assert_string_equal(out, "3124131000");
    assert_int_equal(any("0 850 123 45 67", out), CORE_PHONE_OK);
    assert_string_equal(out, "8501234567");
    /* 10 digits starting with 90 are an area code of 9xx, not a country code. */
    assert_int_equal(any("9012345678", out), CORE_PHONE_OK);
    assert_string_equal(out, "9012345678");
    assert_int_equal(mobile("9012345678", out), CORE_PHONE_NOT_MOBILE);
    /* 0090 with 12 digits after it is not a prefix. */
    assert_int_equal(any("009053212345", out), CORE_PHONE_LENGTH);
}

static void test_phone_codes_and_mask(void **state)
{
    (void)state;
    assert_null(core_phone_err_code(CORE_PHONE_OK));
    assert_string_equal(core_phone_err_code(CORE_PHONE_EMPTY), "required");
    assert_string_equal(core_phone_err_code(CORE_PHONE_BAD_CHAR), "phone_format");
    assert_string_equal(core_phone_err_code(CORE_PHONE_LENGTH), "phone_format");
    assert_string_equal(core_phone_err_code(CORE_PHONE_NOT_MOBILE), "phone_not_mobile");

    char out[CORE_PHONE_LEN + 1];
    core_phone_mask("5321234567", out);
    assert_string_equal(out, "5*******67");
    core_phone_mask("2121234567", out);
    assert_string_equal(out, "2*******67");
    core_phone_mask("532123456", out);
    assert_string_equal(out, "**********");
    core_phone_mask("53212345678", out);
    assert_string_equal(out, "**********");
    core_phone_mask(NULL, out);
    assert_string_equal(out, "**********");
}

/* ---- e-mail ------------------------------------------------------------------------------- */

static bool email(const char *s)
{
    return core_email_valid(s, strlen(s));
}

static void fill(char *buf, size_t n, char c)
{
    memset(buf, c, n);
    buf[n] = '\0';
}

static void test_email(void **state)
{
    (void)state;
    static const char *const good[] = {
        "ayse.isik@meb.gov.tr",
        "a@b.co",
        "user+tag@example.com",
        "o'brien@example.ie",
        "x_y-z@sub-domain.example.org",
        "A.B@C.D",
        "1@2.3",
        "!#$%&'*+/=?^_`{|}~-@x.tr",
        "ali.veli@xn--mnih-5qa.com.tr",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!email(good[i]))
            print_error("refused \"%s\"\n", good[i]);
        assert_true(email(good[i]));
    }
    static const char *const bad[] = {
        "",
        "ayse",
        "@meb.gov.tr",
        "ayse@",
        "ayse@meb",
        "a@@meb.gov.tr",
        "a@b@meb.gov.tr",
        ".ayse@meb.gov.tr",
        "ayse.@meb.gov.tr",
        "ay..se@meb.gov.tr",
        "ayse@-meb.gov.tr",
        "ayse@meb-.gov.tr",
        "ayse@meb.gov-.tr",
        "ayse@meb..gov.tr",
        "ayse@meb.gov.tr.",
        "ayse@.meb.gov.tr",
        "ay se@meb.gov.tr",
        "ayse@meb gov.tr",
        "ayşe@meb.gov.tr",
        "ayse@meb.gov.türk",
        "ayse@meb_gov.tr",
        "a\"b@x.tr",
        "a(b)@x.tr",
        "a,b@x.tr",
        "a;b@x.tr",
        "<a@x.tr>",
        "a@x.tr ",
        " a@x.tr",
        "a@[127.0.0.1]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (email(bad[i]))
            print_error("accepted \"%s\"\n", bad[i]);
        assert_false(email(bad[i]));
    }
    assert_false(core_email_valid("a\0b@x.tr", 8));
    assert_false(core_email_valid(NULL, 0));
    /* n bounds the read. */
    assert_true(core_email_valid("a@x.trGARBAGE", 6));

    /* Limits: local part 64, label 63, total 254. */
    char buf[400], local[80], label[80];
    fill(local, 64, 'l');
    fill(label, 63, 'd');
    snprintf(buf, sizeof buf, "%s@%s.tr", local, label);
    assert_true(email(buf));
    fill(local, 65, 'l');
    snprintf(buf, sizeof buf, "%s@x.tr", local);
    assert_false(email(buf));
    fill(local, 64, 'l');
    fill(label, 64, 'd');
    snprintf(buf, sizeof buf, "%s@%s.tr", local, label);
    assert_false(email(buf));
    /* 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 */
    char l2[80];
    fill(label, 63, 'd');
    fill(l2, 61, 'e');
    snprintf(buf, sizeof buf, "%s@%s.%s.%s", local, label, label, l2);
    assert_int_equal(strlen(buf), 254);
    assert_true(email(buf));
    fill(l2, 62, 'e');
    snprintf(buf, sizeof buf, "%s@%s.%s.%s", local, label, label, l2);
    assert_int_equal(strlen(buf), 255);
    assert_false(email(buf));
}

static void test_email_mask(void **state)
{
    (void)state;
    char out[64];
    core_email_mask("ayse.isik@meb.gov.tr", out, sizeof out);
    assert_string_equal(out, "a***@meb.gov.tr");
    /* cap = strlen + 4 is always enough, also for a one-letter local part. */
    core_email_mask("a@b.co", out, strlen("a@b.co") + 4);
    assert_string_equal(out, "a***@b.co");
    core_email_mask("a@b.co", out, 9); /* needs 10 */
    assert_string_equal(out, "***");
    core_email_mask("no-at-sign", out, sizeof out);
    assert_string_equal(out, "***");
    core_email_mask("@x.tr", out, sizeof out);
    assert_string_equal(out, "***");
    core_email_mask(NULL, out, sizeof out);
    assert_string_equal(out, "***");
    memset(out, 'x', sizeof out);
    core_email_mask("ayse@x.tr", out, 3);
    assert_string_equal(out, "");
    core_email_mask("ayse@x.tr", NULL, 0); /* nothing to write to: no crash */
}

/* ---- postal codes ------------------------------------------------------------------------- */

static enum core_postal_err postal(const char *s, int province)
{
    return core_postal_check(s, strlen(s), province);
}

static void test_postal(void **state)
{
    (void)state;
    assert_int_equal(postal("72100", 72), CORE_POSTAL_OK); /* Batman */
    assert_int_equal(postal("06100", 6), CORE_POSTAL_OK);
    assert_int_equal(postal("01000", 1), CORE_POSTAL_OK);
    assert_int_equal(postal("81000", 81), CORE_POSTAL_OK);
    assert_int_equal(postal("72100", 6), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("06100", 60), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("60100", 6), CORE_POSTAL_PROVINCE);
    /* Province unknown: the first two digits must still be a plate code. */
    assert_int_equal(postal("06100", 0), CORE_POSTAL_OK);
    assert_int_equal(postal("01100", 0), CORE_POSTAL_OK);
    assert_int_equal(postal("81100", 0), CORE_POSTAL_OK);
    assert_int_equal(postal("82000", 0), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("00100", 0), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("99999", 0), CORE_POSTAL_PROVINCE);
    /* A province that does not exist matches nothing. */
    assert_int_equal(postal("82000", 82), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("99000", 99), CORE_POSTAL_PROVINCE);
    assert_int_equal(postal("06100", -6), CORE_POSTAL_PROVINCE);
    /* Format. */
    static const char *const bad[] = {"",      "7210",  "721000",     "72a00", " 7210",
                                      "7210 ", "72-10", "７２１００", "-7210", "+7210"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(postal(bad[i], 72), CORE_POSTAL_FORMAT);
        assert_int_equal(postal(bad[i], 0), CORE_POSTAL_FORMAT);
    }
    assert_int_equal(core_postal_check(NULL, 0, 0), CORE_POSTAL_FORMAT);
    assert_int_equal(core_postal_check("72100999", 5, 72), CORE_POSTAL_OK);

    assert_null(core_postal_err_code(CORE_POSTAL_OK));
    assert_string_equal(core_postal_err_code(CORE_POSTAL_FORMAT), "postal_format");
    assert_string_equal(core_postal_err_code(CORE_POSTAL_PROVINCE), "postal_province");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_accepted_forms),
        cmocka_unit_test(test_phone_refused),
        cmocka_unit_test(test_phone_land_lines),
        cmocka_unit_test(test_phone_codes_and_mask),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_email_mask),
        cmocka_unit_test(test_postal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
