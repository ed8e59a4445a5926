/* eimza — the words the staff pages put where codes were (issue 17, point 14): a message's
 * outcome code (app_delivery_error_text) in Turkish and English, each family to its own text,
 * an unknown code to the general one, never the bare code; and the privacy table's "on request"
 * (app/privacy.h) per role; the audit log filter's days in Turkey's time (app_day_start_tr); the
 * personnel import's reasons for the one who imports (app_import_reason_text); a refusal's
 * words for staff (app_staff_reason_text: "staff.<code>", else the general ones); the JSON answers'
 * UTC times (app_time_utc_iso) against libc's gmtime_r and strftime; a reason's in-house twin
 * where cards are made in house (app_reason_text_deployed: "reason_inhouse.<code>"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/privacy.h"
#include "app/text.h"
#include "util/buf.h"

static void test_delivery_words(void **state)
{
    (void)state;
    static const struct {
        const char *code, *tr_part, *en_part;
    } cases[] = {
        {"http_400", "kabul etmedi", "did not accept"},
        {"http_404", "yeniden gönderilmez", "not sent again"},
        {"http_429", "yeniden denenir", "tried again"},
        {"http_408", "yeniden denenir", "tried again"},
        {"http_503", "yeniden denenir", "tried again"},
        {"smtp_550", "E-posta sunucusu iletiyi kabul etmedi", "mail server did not accept"},
        {"smtp_451", "şimdilik almadı", "for now"},
        {"timeout", "zamanında yanıt vermedi", "in time"},
        {"connect_failed", "bağlanılamadı", "could not be reached"},
        {"dns_failed", "bağlanılamadı", "could not be reached"},
        {"tls_error", "güvenli bağlantı", "secure connection"},
        {"auth_failed", "parolasını", "password"},
        {"bad_recipient", "özlük", "personnel office"},
        {"too_many_tries", "defalarca", "many times"},
        {"code_withdrawn", "SMS onay kodu", "SMS confirmation code"},
        {"unknown_template", "şablon", "template"},
        {"lease_lost", "kayıt yazılamadı", "record could not be written"},
        {"curl_77", "hazırlanamadı", "prepared"},
        {"http_x", "hazırlanamadı", "prepared"},
        {"something_new", "hazırlanamadı", "prepared"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *tr = app_delivery_error_text(cases[i].code, CORE_LANG_TR);
        const char *en = app_delivery_error_text(cases[i].code, CORE_LANG_EN);
        if (!strstr(tr, cases[i].tr_part) || !strstr(en, cases[i].en_part))
            fail_msg("%s: '%s' / '%s'", cases[i].code, tr, en);
        assert_null(strstr(tr, cases[i].code)); /* words, not the code */
    }
    assert_string_equal(app_delivery_error_text("", CORE_LANG_TR), "");
    assert_string_equal(app_delivery_error_text(NULL, CORE_LANG_EN), "");
}

static void test_on_request(void **state)
{
    (void)state;
    const struct app_staff approver = {"a", "approver", 72}, op = {"o", "operator", 0},
                           admin = {"y", "admin", 0}, odd = {"x", "nobody", 0};
    char out[APP_PII_MAX];
    assert_true(app_pii_on_request(&approver, APP_PII_TCKN));
    for (int k = 0; k < APP_PII__COUNT; k++) {
        assert_false(app_pii_on_request(&op, (enum app_pii)k));
        assert_false(app_pii_on_request(&admin, (enum app_pii)k));
        assert_false(app_pii_on_request(&odd, (enum app_pii)k));
    }
    assert_false(app_pii_on_request(&approver, APP_PII_EMAIL));
    assert_false(app_pii_on_request(NULL, APP_PII_TCKN));
    assert_false(app_pii_on_request(&approver, APP_PII__COUNT));
    /* on request is not in every view: the view stays masked */
    app_pii_view(&approver, APP_PII_TCKN, "10000000146", out, sizeof out);
    assert_string_equal(out, "100******46");
}

static void test_day_start(void **state)
{
    (void)state;
    /* 2026-03-01 00:00 in Turkey is 2026-02-28 21:00 UTC */
    assert_int_equal(app_day_start_tr("2026-03-01"), INT64_C(1772312400));
    assert_int_equal(app_day_start_tr("2024-02-29"), INT64_C(1709154000));
    static const char *const bad[] = {"2023-02-29",  "2026-04-31", "01.03.2026", "2026-3-01",
                                      "2026-03-01x", "1999-12-31", "2201-01-01", "",
                                      "2026-13-01",  "2026/03/01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (app_day_start_tr(bad[i]) != -1)
            fail_msg("'%s' taken as a day", bad[i]);
    assert_int_equal(app_day_start_tr(NULL), -1);
}

/* app_time_utc_iso writes what gmtime_r and strftime would, from before 1970 to year 9999 */
static int utc_iso_differs(int64_t t)
{
    char got[24], want[24];
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    app_time_utc_iso(t, got);
    if (strcmp(got, want) == 0)
        return 0;
    print_error("%lld: '%s', not '%s'\n", (long long)t, got, want);
    return 1;
}

static void test_utc_iso(void **state)
{
    (void)state;
    static const int64_t fixed[] = {0,          1,          59,         60,          3599,
                                    86399,      86400,      -1,         -86401,      951782400,
                                    1709164800, 1772312400, 2147483648, 253402300799};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        assert_int_equal(utc_iso_differs(fixed[i]), 0);
    long n = 0; /* every time of day, over the years */
    for (int64_t t = INT64_C(-5000000000); t < INT64_C(253402300799); t += INT64_C(3197281) + n % 7)
        if (n++, utc_iso_differs(t) != 0)
            fail_msg("app_time_utc_iso differs from gmtime_r and strftime");
    assert_true(n > 70000);
    char out[24] = "x";
    app_time_utc_iso(INT64_C(253402300800), out); /* the year 10000 */
    assert_string_equal(out, "");
}

/* the import's reasons speak to the one who imports: their own text where the general one
 * speaks to an applicant, the general one otherwise */
static void test_import_reasons(void **state)
{
    (void)state;
    const char *tr = app_import_reason_text("tckn_checksum", CORE_LANG_TR);
    const char *en = app_import_reason_text("tckn_checksum", CORE_LANG_EN);
    assert_non_null(strstr(tr, "MEBBİS"));
    assert_null(strstr(tr, "cüzdanınız"));
    assert_non_null(strstr(en, "MEBBİS record"));
    assert_string_not_equal(tr, app_reason_text("tckn_checksum", CORE_LANG_TR));
    assert_string_equal(app_import_reason_text("date_format", CORE_LANG_TR),
                        app_reason_text("date_format", CORE_LANG_TR));
    assert_non_null(app_import_reason_text(NULL, CORE_LANG_TR));
}

/* The import's report of refused rows as CSV: its header from the catalogue in each language,
 * a row per "LINE;COLUMN;CODE" line with the reason's words. */
static void test_import_report_csv(void **state)
{
    (void)state;
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(app_import_report_csv("12;tckn;tckn_checksum\n", CORE_LANG_TR, &b), 0);
    const char *t = ubuf_str(&b);
    const char *tr_head = "\xEF\xBB\xBFsatir;sutun;neden_kodu;neden\r\n12;tckn;tckn_checksum;";
    assert_memory_equal(t, tr_head, strlen(tr_head));
    assert_non_null(strstr(t, app_import_reason_text("tckn_checksum", CORE_LANG_TR)));
    ubuf_free(&b);
    b = (struct ubuf)UBUF_INIT(4096);
    assert_int_equal(app_import_report_csv("12;tckn;tckn_checksum\n", CORE_LANG_EN, &b), 0);
    t = ubuf_str(&b);
    const char *en_head = "\xEF\xBB\xBFline;column;reason_code;reason\r\n12;tckn;tckn_checksum;";
    assert_memory_equal(t, en_head, strlen(en_head));
    assert_non_null(strstr(t, app_import_reason_text("tckn_checksum", CORE_LANG_EN)));
    ubuf_free(&b);
}

static void test_staff_reasons(void **state)
{
    (void)state;
    /* the holder's "your PIN was shown to you", said to the operator who asked for a waiver */
    const char *tr = app_staff_reason_text("pin_already_shown", CORE_LANG_TR);
    const char *en = app_staff_reason_text("pin_already_shown", CORE_LANG_EN);
    assert_string_not_equal(tr, app_reason_text("pin_already_shown", CORE_LANG_TR));
    assert_non_null(strstr(tr, "Kart sahibinin"));
    assert_null(strstr(tr, "Kartınızın"));
    assert_non_null(strstr(tr, "yeni bir kart"));
    assert_non_null(strstr(en, "to the holder"));
    assert_null(strstr(en, "Your card"));
    /* the applicant's "your application is not at a step", said to staff about a file's row */
    assert_null(strstr(app_staff_reason_text("wrong_state", CORE_LANG_TR), "Başvurunuz"));
    assert_non_null(strstr(app_staff_reason_text("wrong_state", CORE_LANG_EN), "The application"));
    /* a code without staff words of its own: the general message; none: never NULL */
    assert_string_equal(app_staff_reason_text("otp_wrong", CORE_LANG_TR),
                        app_reason_text("otp_wrong", CORE_LANG_TR));
    assert_non_null(app_staff_reason_text(NULL, CORE_LANG_TR));
}

/* where the cards are made in house, the reasons that send the holder to Kamu SM (its card, its
 * call centre) have in-house twins naming the e-imza sorumlusu or the il DYS unit; a card
 * bureau's deployment keeps the general message, and a code without a twin is itself */
static void test_inhouse_reasons(void **state)
{
    (void)state;
    static const struct {
        const char *code, *tr_helper, *en_helper;
    } twins[] = {
        {"chain_untrusted", "e-imza sorumlusuna", "e-signature officer"},
        {"certificate_revoked", "e-imza sorumlusuna", "e-signature officer"},
        {"no_mobile_on_file", "il DYS biriminize", "provincial DYS unit"},
    };
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
        const char *code = twins[i].code;
        for (int l = 0; l < 2; l++) {
            enum core_lang lang = (enum core_lang)l;
            const char *bureau = app_reason_text_deployed(code, lang, false);
            const char *inhouse = app_reason_text_deployed(code, lang, true);
            /* the bureau's deployment: the general message, which names Kamu SM */
            assert_ptr_equal(bureau, app_reason_text(code, lang));
            assert_non_null(strstr(bureau, "Kamu SM"));
            /* in house: its own words, without Kamu SM or its call centre, saying who helps */
            if (!strcmp(inhouse, bureau) || strstr(inhouse, "Kamu SM") ||
                strstr(inhouse, "444 5 576") ||
                !strstr(inhouse, l ? twins[i].en_helper : twins[i].tr_helper))
                fail_msg("%s (%s): '%s'", code, l ? "en" : "tr", inhouse);
            assert_int_equal(inhouse[strlen(inhouse) - 1], '.');
        }
        /* the two languages differ */
        assert_string_not_equal(app_reason_text_deployed(code, CORE_LANG_TR, true),
                                app_reason_text_deployed(code, CORE_LANG_EN, true));
    }
    /* the rest of the general message's advice is kept (the wet signature, the personnel unit) */
    assert_non_null(strstr(app_reason_text_deployed("certificate_revoked", CORE_LANG_TR, true),
                           "Yöntem 2: Islak imzalı başvuru"));
    assert_non_null(strstr(app_reason_text_deployed("no_mobile_on_file", CORE_LANG_TR, true),
                           "il/ilçe millî eğitim özlük biriminizle görüşünüz"));
    /* a field's message falls back to the reason in the deployment's words */
    assert_string_equal(app_field_message("mobile_phone", "no_mobile_on_file", CORE_LANG_TR, true),
                        app_reason_text_deployed("no_mobile_on_file", CORE_LANG_TR, true));
    assert_string_equal(app_field_message("mobile_phone", "no_mobile_on_file", CORE_LANG_EN, false),
                        app_reason_text("no_mobile_on_file", CORE_LANG_EN));
    /* a code without a twin, an unknown one, none: the general message, never NULL */
    assert_ptr_equal(app_reason_text_deployed("otp_wrong", CORE_LANG_TR, true),
                     app_reason_text("otp_wrong", CORE_LANG_TR));
    assert_ptr_equal(app_reason_text_deployed("no_such_code", CORE_LANG_EN, true),
                     app_reason_text("no_such_code", CORE_LANG_EN));
    assert_non_null(app_reason_text_deployed(NULL, CORE_LANG_TR, true));
    /* every twin in the catalogue is the twin of a reason code (not of a misspelt one) */
    char key[CORE_TEXT_KEY_MAX];
    size_t n = 0;
    for (size_t i = 0; core_text_key(i, key, sizeof key) == 0; i++)
        if (!strncmp(key, "reason_inhouse.", 15)) {
            if (!core_reason_known(key + 15))
                fail_msg("%s: no reason '%s'", key, key + 15);
            n++;
        }
    assert_int_equal(n, sizeof twins / sizeof twins[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delivery_words),  cmocka_unit_test(test_on_request),
        cmocka_unit_test(test_day_start),       cmocka_unit_test(test_import_reasons),
        cmocka_unit_test(test_utc_iso),         cmocka_unit_test(test_staff_reasons),
        cmocka_unit_test(test_inhouse_reasons), cmocka_unit_test(test_import_report_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
