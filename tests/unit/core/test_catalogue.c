/* Unit tests for core/catalogue.h, the one catalogue of people's text: every key is found in
 * both languages; keys are "<group>.<name>" in lower case and come in the sorted order the
 * binary search relies on; near misses (a prefix, a longer key, another case) are not found;
 * an untranslated key would fall back to Turkish; English texts name the signing methods in
 * English; many threads can look up at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/trtext.h"

static bool key_well_formed(const char *k)
{
    const char *dot = strchr(k, '.');
    if (!dot || dot == k || !dot[1])
        return false;
    return strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(k);
}

static void test_every_key(void **state)
{
    (void)state;
    size_t n = core_text_count();
    assert_true(n > 500);
    char prev[CORE_TEXT_KEY_MAX] = "", key[CORE_TEXT_KEY_MAX];
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(core_text_key(i, key, sizeof key), 0);
        if (!key_well_formed(key))
            fail_msg("key '%s' is not <group>.<name> in lower case", key);
        if (i && strcmp(prev, key) >= 0)
            fail_msg("keys out of order or twice: '%s' then '%s'", prev, key);
        const char *tr = core_text(key, CORE_LANG_TR), *en = core_text(key, CORE_LANG_EN);
        if (!tr || !en || !*tr || !*en)
            fail_msg("%s: a text is missing", key);
        if (!core_utf8_valid(tr, strlen(tr)) || !core_utf8_valid(en, strlen(en)))
            fail_msg("%s: not UTF-8", key);
        char group[CORE_TEXT_KEY_MAX];
        size_t g = (size_t)(strchr(key, '.') - key);
        memcpy(group, key, g);
        group[g] = '\0';
        assert_ptr_equal(core_text_of(group, key + g + 1, CORE_LANG_TR), tr);
        assert_ptr_equal(core_text_of(group, key + g + 1, CORE_LANG_EN), en);
        memcpy(prev, key, sizeof prev);
    }
    assert_int_equal(core_text_key(n, key, sizeof key), -1);
    assert_int_equal(core_text_key(0, key, 2), -1); /* does not fit */
}

/* An English text names a signing method as the English pages do ("Method 2: apply with a
 * handwritten signature"), never by its Turkish name, which a reader of the English pages finds
 * nowhere on them. */
static void test_english_method_names(void **state)
{
    (void)state;
    char key[CORE_TEXT_KEY_MAX];
    for (size_t i = 0; core_text_key(i, key, sizeof key) == 0; i++) {
        const char *en = core_text(key, CORE_LANG_EN);
        if (en && (strstr(en, "Yöntem") || strstr(en, "imzalı başvuru")))
            fail_msg("%s: the English text names a method in Turkish: %s", key, en);
    }
}

static void test_lookups(void **state)
{
    (void)state;
    assert_string_equal(core_text("page.service_name", CORE_LANG_TR),
                        "Nitelikli elektronik sertifika başvurusu");
    assert_string_equal(core_text("page.service_name", CORE_LANG_EN),
                        "Qualified electronic certificate application");
    /* plural forms: the English one by the count, the Turkish one the same text */
    assert_string_equal(core_text_n("page.dur_seconds", 1, CORE_LANG_EN), "{0} second");
    assert_string_equal(core_text_n("page.dur_seconds", 0, CORE_LANG_EN), "{0} seconds");
    assert_string_equal(core_text_n("page.dur_seconds", 42, CORE_LANG_EN), "{0} seconds");
    assert_string_equal(core_text_n("page.dur_seconds", 42, CORE_LANG_TR), "{0} saniye");
    assert_string_equal(core_text("page.dur_seconds", CORE_LANG_EN), "{0} second");
    assert_string_equal(core_text_n("reason.required", 7, CORE_LANG_EN),
                        core_text("reason.required", CORE_LANG_EN));
    assert_null(core_text_n("page.no_such_key", 2, CORE_LANG_EN));
    assert_null(core_text_n(NULL, 2, CORE_LANG_EN));
    assert_string_equal(core_text_of("reason", "required", CORE_LANG_TR),
                        "Bu alan zorunludur; lütfen doldurunuz.");
    /* the notification messages keep their line breaks */
    const char *mail = core_text("mail.expired.email", CORE_LANG_TR);
    assert_non_null(mail);
    assert_int_equal(strncmp(mail, "Subject: ", 9), 0);
    assert_int_equal(mail[strlen(mail) - 1], '\n');
    /* near misses */
    static const char *const misses[] = {"",
                                         "page",
                                         "page.",
                                         "page.service_nam",
                                         "page.service_name_",
                                         "page.service_name.x",
                                         "Page.service_name",
                                         "page.SERVICE_NAME",
                                         "zzz.zzz",
                                         "\001",
                                         "Nitelikli Elektronik Sertifika Başvurusu"};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        assert_null(core_text(misses[i], CORE_LANG_TR));
        assert_null(core_text(misses[i], CORE_LANG_EN));
    }
    assert_null(core_text(NULL, CORE_LANG_TR));
    assert_null(core_text_of(NULL, "x", CORE_LANG_TR));
    assert_null(core_text_of("reason", NULL, CORE_LANG_TR));
    char longname[CORE_TEXT_KEY_MAX + 8];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_null(core_text_of("reason", longname, CORE_LANG_TR));
    /* core_word: the entry, or the name itself where there is none */
    assert_ptr_equal(core_word("reason", "required", CORE_LANG_EN),
                     core_text_of("reason", "required", CORE_LANG_EN));
    assert_string_equal(core_word("reason", "no_such_code", CORE_LANG_TR), "no_such_code");
}

/* Lookups from many threads at once, in both languages, give the same texts. */
static void *lookups(void *arg)
{
    enum core_lang lang = (enum core_lang)(intptr_t)arg;
    char key[CORE_TEXT_KEY_MAX];
    size_t n = core_text_count();
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < n; i += 7)
            if (core_text_key(i, key, sizeof key) || !core_text(key, lang))
                return (void *)1;
    return NULL;
}

/* {0} filled in; a text without it as it is; one that does not fit: NULL, cut, terminated */
static void test_fill(void **state)
{
    (void)state;
    char out[16];
    assert_string_equal(core_text_fill("{0} gün içinde", "15", out, sizeof out), "15 gün içinde");
    assert_string_equal(core_text_fill("Hemen", "15", out, sizeof out), "Hemen");
    assert_string_equal(core_text_fill("a {0} b", "", out, sizeof out), "a  b");
    assert_null(core_text_fill("{0} gün içinde elinizde", "15", out, sizeof out));
    assert_int_equal(strlen(out), sizeof out - 1);
}

/* {0}..{9} filled from the arguments, each as often as it comes; a placeholder without an
 * argument and other braces as they are; nothing is filled twice; cap passed: -1 */
static void test_put(void **state)
{
    (void)state;
    struct ubuf b = UBUF_INIT(64);
    const char *const args[] = {"AKİS", "12", "{0}"};
    assert_int_equal(core_text_put(&b, "«{0}»: {1} bayt, {2}; {0} {3} {x} {} {", args, 3), 0);
    assert_string_equal(ubuf_str(&b), "«AKİS»: 12 bayt, {0}; AKİS {3} {x} {} {");
    ubuf_reset(&b);
    assert_int_equal(core_text_put(&b, "Hemen", args, 0), 0);
    assert_int_equal(core_text_put(&b, "{0}", args, 0), 0);
    assert_string_equal(ubuf_str(&b), "Hemen{0}");
    struct ubuf small = UBUF_INIT(8);
    assert_int_equal(core_text_put(&small, "{1}{1}{1}{1}{1}", args, 2), -1);
    assert_string_equal(ubuf_str(&small), "12121212");
    ubuf_free(&b);
    ubuf_free(&small);
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, lookups, (void *)(i % 2)), 0);
    for (int i = 0; i < 4; i++) {
        void *rc;
        assert_int_equal(pthread_join(t[i], &rc), 0);
        assert_null(rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key), cmocka_unit_test(test_english_method_names),
        cmocka_unit_test(test_lookups),   cmocka_unit_test(test_fill),
        cmocka_unit_test(test_put),       cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
