/* Unit tests for web/html/i18n.c, the pages' message catalogue: every key has a unique
 * snake_case name and both texts; texts are valid UTF-8 and hold no markup (the page writer
 * escapes them, so markup would show as text); placeholders agree between the languages;
 * the words applicants know from the old portal are there word for word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>

#include <cmocka.h>

#include "web/html/escape.h"
#include "web/html/i18n.h"

static void test_every_key_complete(void **state)
{
    (void)state;
    for (unsigned k = 1; k < WEB_MSG_COUNT_; k++) {
        const char *name = web_msg_name((enum web_msg)k);
        const char *tr = web_msg((enum web_msg)k, CORE_LANG_TR);
        const char *en = web_msg((enum web_msg)k, CORE_LANG_EN);
        if (!*name || !*tr || !*en)
            fail_msg("key %u (%s) lacks a name or a text", k, name);
        if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name) ||
            !(name[0] >= 'a' && name[0] <= 'z'))
            fail_msg("name '%s' is not snake_case", name);
        for (unsigned j = 1; j < k; j++)
            if (!strcmp(name, web_msg_name((enum web_msg)j)))
                fail_msg("name '%s' used twice", name);
        if (web_msg_find(name) != (enum web_msg)k)
            fail_msg("web_msg_find('%s') does not find its key", name);
        for (int l = 0; l < 2; l++) {
            const char *t = l ? en : tr;
            if (!web_utf8_valid(t, strlen(t)))
                fail_msg("%s: text is not valid UTF-8", name);
            if (strpbrk(t, "<>"))
                fail_msg("%s: text holds markup: %s", name, t);
            if (t[strlen(t) - 1] == ' ' && k != WEB_MSG_TITLE_ERROR_PREFIX)
                fail_msg("%s: trailing space", name);
        }
    }
}

/* The placeholders {N} of a text, in order, as a string of their digits ("01"). */
static void placeholders(const char *t, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *q = strchr(t, '{'); q; q = strchr(q + 1, '{'))
        if (q[1] >= '0' && q[1] <= '9' && q[2] == '}' && n + 1 < outlen)
            out[n++] = q[1];
    out[n] = '\0';
}

static void test_placeholders_agree(void **state)
{
    (void)state;
    for (unsigned k = 1; k < WEB_MSG_COUNT_; k++) {
        char tr[16], en[16];
        placeholders(web_msg((enum web_msg)k, CORE_LANG_TR), tr, sizeof tr);
        placeholders(web_msg((enum web_msg)k, CORE_LANG_EN), en, sizeof en);
        if (strcmp(tr, en) != 0)
            fail_msg("%s: placeholders differ (tr '%s', en '%s')", web_msg_name((enum web_msg)k),
                     tr, en);
        /* each first named in order ({0}, then {1}, ...); a name may come again */
        char next = '0';
        for (size_t i = 0; tr[i]; i++) {
            if (tr[i] > next)
                fail_msg("%s: placeholders are not {0}, {1}, ... in order",
                         web_msg_name((enum web_msg)k));
            if (tr[i] == next)
                next++;
        }
    }
    /* the ones the pages fill */
    assert_string_equal(web_msg(WEB_MSG_STEP_COUNTER, CORE_LANG_TR), "Adım {0} / {1}");
    assert_string_equal(web_msg(WEB_MSG_STEP_COUNTER, CORE_LANG_EN), "Step {0} of {1}");
}

/* The words applicants know from the old portal (brief.md), kept, and written as Turkish
 * writes them: in sentence case (issue 17, point 10), the code with one name ("SMS onay kodu"),
 * the time left in minutes and seconds, and "Başvurunuz imzalandı ve gönderildi" rather than
 * "Başvuru İmzalama İşlemi Başarıyla Bitirildi". */
static void test_words_of_the_old_portal(void **state)
{
    (void)state;
    static const struct {
        enum web_msg key;
        const char *tr;
    } words[] = {
        {WEB_MSG_CAPTCHA, "Resimdeki yazıyı giriniz"},
        {WEB_MSG_TCKN, "T.C. Kimlik No"},
        {WEB_MSG_FIRST_NAME, "Ad"},
        {WEB_MSG_LAST_NAME, "Soyad"},
        {WEB_MSG_BIRTH_PLACE, "Doğum yeri"},
        {WEB_MSG_BIRTH_DATE, "Doğum tarihi"},
        {WEB_MSG_LOGIN, "Giriş"},
        {WEB_MSG_FORM_TITLE, "Başvuru formu"},
        {WEB_MSG_SECTION_APPLICATION, "Başvuru bilgileri"},
        {WEB_MSG_SECTION_PERSONAL, "Kişisel bilgiler"},
        {WEB_MSG_SECTION_INSTITUTION, "Kurum bilgileri"},
        {WEB_MSG_SECTION_CONTACT, "İletişim bilgileri"},
        {WEB_MSG_SECURITY_WORD_REPEAT, "Güvenlik sözcüğü (tekrar)"},
        {WEB_MSG_SEND, "Gönder"},
        {WEB_MSG_OTP_REMAINING, "SMS onay kodunuzun geçerliliği için kalan süre: {0}"},
        {WEB_MSG_OTP_CODE, "SMS onay kodu"},
        {WEB_MSG_STEP_3, "SMS onay kodu"},
        {WEB_MSG_OK, "Tamam"},
        {WEB_MSG_CANCEL, "İptal"},
        {WEB_MSG_METHOD_1, "Yöntem 1: E-imzalı başvuru"},
        {WEB_MSG_METHOD_2, "Yöntem 2: Islak imzalı başvuru"},
        {WEB_MSG_SIGNED_CONTENT, "İmzalanan içerik"},
        {WEB_MSG_SIGN, "İmzala"},
        {WEB_MSG_CARD_TYPE, "Lütfen işlem yapılacak kart tipini seçiniz"},
        {WEB_MSG_SIGN_DONE, "Başvurunuz imzalandı ve gönderildi."},
        {WEB_MSG_SERVICE_NAME, "Nitelikli elektronik sertifika başvurusu"},
        {WEB_MSG_ERROR_SUMMARY_TITLE, "Bir sorun var"},
        {WEB_MSG_DECLARATION,
         "Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak bütün zararlardan "
         "sorumlu olduğumu beyan ederim. Bu formdaki bilgilere göre şahsıma bir nitelikli "
         "elektronik sertifika hazırlanmasını talep ederim."},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        assert_string_equal(web_msg(words[i].key, CORE_LANG_TR), words[i].tr);
    /* one name for the SMS code: no applicant's page calls it "doğrulama kodu" or "SMS kodu"
     * any more (the staff's "doğrulama kodu", ap_*, is their authenticator's, another thing);
     * one spelling of the ministry, of e-imza and of the courier on every page */
    for (unsigned k = 1; k < WEB_MSG_COUNT_; k++) {
        const char *t = web_msg((enum web_msg)k, CORE_LANG_TR);
        bool staff = !strncmp(web_msg_name((enum web_msg)k), "ap_", 3);
        if ((!staff &&
             (strstr(t, "oğrulama Kodu") || strstr(t, "oğrulama kodu") || strstr(t, "SMS kod"))) ||
            strstr(t, "Milli") || strstr(t, "milli ") || strstr(t, "E-İmza") ||
            strstr(t, "e-İmza") || strstr(t, "argo") || strstr(t, "Başarıyla"))
            fail_msg("%s: %s", web_msg_name((enum web_msg)k), t);
    }
    assert_string_equal(web_msg(WEB_MSG_SERVICE_NAME, CORE_LANG_EN),
                        "Qualified electronic certificate application");
    assert_string_equal(web_msg(WEB_MSG_ERROR_SUMMARY_TITLE, CORE_LANG_EN), "There is a problem");
    assert_non_null(strstr(web_msg(WEB_MSG_FOOTER_CALL_CENTRE, CORE_LANG_TR), "444 5 576"));
    /* the English plural */
    assert_string_equal(web_msg_n(WEB_MSG_AP_QUEUE_COUNT, 1, CORE_LANG_EN),
                        "{0} application; showing {1}–{2}.");
    assert_string_equal(web_msg_n(WEB_MSG_AP_QUEUE_COUNT, 2, CORE_LANG_EN),
                        "{0} applications; showing {1}–{2}.");
    assert_string_equal(web_msg_n(WEB_MSG_AP_QUEUE_COUNT, 0, CORE_LANG_EN),
                        "{0} applications; showing {1}–{2}.");
    assert_string_equal(web_msg_n(WEB_MSG_AP_QUEUE_COUNT, 1, CORE_LANG_TR),
                        web_msg_n(WEB_MSG_AP_QUEUE_COUNT, 5, CORE_LANG_TR));
    assert_string_equal(web_msg_n(WEB_MSG_DUR_MINUTES, 1, CORE_LANG_EN), "{0} minute");
    assert_string_equal(web_msg_n(WEB_MSG_DUR_MINUTES, 3, CORE_LANG_EN), "{0} minutes");
    assert_string_equal(web_msg_n(WEB_MSG_OK, 3, CORE_LANG_EN), web_msg(WEB_MSG_OK, CORE_LANG_EN));
}

/* Counts in groups of three, with each language's separator; the edges of a long. */
static void test_count_text(void **state)
{
    static const struct {
        long n;
        const char *tr, *en;
    } cases[] = {
        {0, "0", "0"},
        {999, "999", "999"},
        {1000, "1.000", "1,000"},
        {3001, "3.001", "3,001"},
        {28000, "28.000", "28,000"},
        {1234567, "1.234.567", "1,234,567"},
        {-1234, "-1.234", "-1,234"},
        {-12, "-12", "-12"},
    };
    char out[WEB_COUNT_MAX];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(web_count_text(cases[i].n, CORE_LANG_TR, out), cases[i].tr);
        assert_string_equal(web_count_text(cases[i].n, CORE_LANG_EN, out), cases[i].en);
    }
    /* the longest: 19 digits, 6 separators and a sign fit */
    web_count_text(LONG_MIN, CORE_LANG_TR, out);
    assert_true(strlen(out) < WEB_COUNT_MAX);
    assert_string_equal(web_count_text(LONG_MAX, CORE_LANG_EN, out), "9,223,372,036,854,775,807");
}

static void test_edges(void **state)
{
    (void)state;
    assert_string_equal(web_msg(WEB_MSG_NONE, CORE_LANG_TR), "");
    assert_string_equal(web_msg(WEB_MSG_COUNT_, CORE_LANG_TR), "");
    assert_string_equal(web_msg((enum web_msg)100000, CORE_LANG_EN), "");
    assert_string_equal(web_msg_name(WEB_MSG_NONE), "");
    assert_int_equal(web_msg_find(""), WEB_MSG_NONE);
    assert_int_equal(web_msg_find(NULL), WEB_MSG_NONE);
    assert_int_equal(web_msg_find("no_such_message"), WEB_MSG_NONE);
    assert_int_equal(web_msg_find("service_name"), WEB_MSG_SERVICE_NAME);
    assert_string_equal(web_lang_code(CORE_LANG_TR), "tr");
    assert_string_equal(web_lang_code(CORE_LANG_EN), "en");
    assert_string_equal(web_msg(WEB_MSG_LANG_OTHER_CODE, CORE_LANG_TR), "en");
    assert_string_equal(web_msg(WEB_MSG_LANG_OTHER_CODE, CORE_LANG_EN), "tr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_complete),
        cmocka_unit_test(test_placeholders_agree),
        cmocka_unit_test(test_words_of_the_old_portal),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_count_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
