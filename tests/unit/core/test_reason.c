/* Unit tests for core/reason.h: the codes in the catalogue are well formed (unique snake_case
 * codes, both messages, valid UTF-8), and every code the core layer produces has a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/reason.h"
#include "core/rules.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "core/validate.h"

static bool snake_case(const char *s)
{
    if (!(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return s[strlen(s) - 1] != '_' && strstr(s, "__") == NULL;
}

/* The codes: the catalogue's keys "reason.<code>" (core/catalogue.h), into codes[]. */
static size_t reason_codes(char codes[][CORE_TEXT_KEY_MAX], size_t cap)
{
    size_t n = 0;
    char key[CORE_TEXT_KEY_MAX];
    for (size_t i = 0; i < core_text_count(); i++) {
        assert_int_equal(core_text_key(i, key, sizeof key), 0);
        if (!strncmp(key, "reason.", 7) && n < cap)
            memcpy(codes[n++], key + 7, sizeof key - 7);
    }
    return n;
}

static void test_table_well_formed(void **state)
{
    (void)state;
    static char codes[256][CORE_TEXT_KEY_MAX];
    size_t count = reason_codes(codes, 256);
    assert_true(count > 30);
    assert_true(count < 256);
    for (size_t i = 0; i < count; i++) {
        const char *code = codes[i];
        const char *tr = core_text_of("reason", code, CORE_LANG_TR);
        const char *en = core_text_of("reason", code, CORE_LANG_EN);
        if (!snake_case(code))
            print_error("code \"%s\" is not snake_case\n", code);
        assert_true(snake_case(code));
        assert_non_null(tr);
        assert_non_null(en);
        assert_true(strlen(tr) > 10 && strlen(en) > 10);
        assert_true(core_utf8_valid(tr, strlen(tr)));
        assert_true(core_utf8_valid(en, strlen(en)));
        assert_string_not_equal(tr, en);
        /* Messages are sentences: they end with a full stop. */
        assert_int_equal(tr[strlen(tr) - 1], '.');
        assert_int_equal(en[strlen(en) - 1], '.');
        for (size_t j = i + 1; j < count; j++)
            if (strcmp(code, codes[j]) == 0)
                fail_msg("code \"%s\" appears twice", code);
        assert_true(core_reason_known(code));
        assert_ptr_equal(core_reason_message(code, CORE_LANG_TR), tr);
        assert_ptr_equal(core_reason_message(code, CORE_LANG_EN), en);
    }
}

static void test_unknown_codes(void **state)
{
    (void)state;
    assert_false(core_reason_known("no_such_code"));
    assert_false(core_reason_known(""));
    assert_false(core_reason_known(NULL));
    assert_false(core_reason_known("REQUIRED")); /* codes are exact */
    const char *tr = core_reason_message("no_such_code", CORE_LANG_TR);
    const char *en = core_reason_message("no_such_code", CORE_LANG_EN);
    assert_non_null(tr);
    assert_non_null(en);
    assert_string_not_equal(tr, en);
    assert_ptr_equal(core_reason_message(NULL, CORE_LANG_TR), tr);
    static char codes[256][CORE_TEXT_KEY_MAX];
    size_t count = reason_codes(codes, 256);
    for (size_t i = 0; i < count; i++)
        assert_string_not_equal(core_text_of("reason", codes[i], CORE_LANG_TR), tr);
}

static void expect_known(const char *code)
{
    if (!core_reason_known(code))
        fail_msg("code \"%s\" has no message in the catalogue (po/)", code);
}

/* Every code core can return: from the error enums' mappings, the eligibility bits, the rule
 * checks, the personnel columns, and the interface's signature codes. */
static void test_core_codes_known(void **state)
{
    (void)state;
    for (int e = CORE_TCKN_LENGTH; e <= CORE_TCKN_CHECKSUM; e++)
        expect_known(core_tckn_err_code((enum core_tckn_err)e));
    for (int e = CORE_PHONE_EMPTY; e <= CORE_PHONE_NOT_MOBILE; e++)
        expect_known(core_phone_err_code((enum core_phone_err)e));
    for (int e = CORE_POSTAL_FORMAT; e <= CORE_POSTAL_PROVINCE; e++)
        expect_known(core_postal_err_code((enum core_postal_err)e));
    for (unsigned bit = 1; bit <= CORE_INELIG_NOT_ENTITLED; bit <<= 1)
        expect_known(core_inelig_code(bit));
    static const char *const others[] = {
        "required",
        "too_long",
        "not_utf8",
        "unknown_field",
        "date_format",
        "province_unknown",
        "duty_unknown",
        "flag_format",
        "email_format",
        "phone_format",
        "phone_not_mobile",
        "rules_validity_years",
        "rules_warn_count",
        "rules_warn_days",
        "rules_window",
        "rules_deadline",
        "rules_otp",
        "rules_delivery_days",
        "late",
        "not_eligible",
        /* signature rejections, docs/INTERFACES.md */
        "malformed",
        "signature_invalid",
        "content_mismatch",
        "chain_untrusted",
        "certificate_expired",
        "certificate_not_yet_valid",
        "certificate_revoked",
        "revocation_unknown",
        "not_qualified",
        "key_usage",
        "tckn_mismatch",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        expect_known(others[i]);
}

/* The command line's refusals (src/cli/cli.c's cli_parse_other, cli_usage_error's and
 * cli_refuse_fault's callers, cmd_migrate.c): each code has its message in both languages, saying
 * what to do; database_missing takes the database's path as {0}, in its restore command. */
static void test_cli_codes_known(void **state)
{
    (void)state;
    static const char *const cli[] = {
        "option_repeated",
        "option_needs_value",
        "unknown_option",
        "unexpected_argument",
        "database_missing",
        "unknown_command",
        "unknown_subcommand",
        "subcommand_missing",
        "argument_missing",
        "options_conflict",
        "bad_date",
        "fd_not_open",
        "number_out_of_range",
        "create_once_uri",
        "file_exists",
        "postgresql_own_tools",
        /* the settings' (web/http/config.h, sign/conf.h: util/fault.h), the database URL's
         * (cli_db_refuse) and the agent's options' */
        "setting_unknown",
        "setting_bad_value",
        "setting_out_of_range",
        "setting_repeated",
        "settings_line_bad",
        "settings_file_missing",
        "settings_file_unreadable",
        "settings_file_unsafe",
        "origin_bad",
        "too_many_origins",
        "too_many_configs",
        "db_url_bad",
        "db_path_too_long",
        /* web_config_settings' checks together, the templates', the trust directory's */
        "settings_conflict",
        "setting_missing",
        "setting_file_bad",
        "template_bad",
        "template_unused",
        "trust_dir_bad",
        "listen_not_loopback",
        "listen_bad",
        "value_empty",
        "too_long",
        /* the runtime failures of what the operator gave or of the environment (cli_fail,
         * cli_db_open_failed) */
        "database_not_found",
        "database_unreachable",
        "database_error",
        "schema_outdated",
        "schema_newer",
        "migrate_failed",
        "database_in_use",
        "backup_failed",
        "restore_failed",
        "restored_audit_broken",
        "personnel_unknown",
        "not_a_file",
        "file_unwritable",
        "sign_input_too_large",
        "listen_failed",
    };
    for (size_t i = 0; i < sizeof cli / sizeof cli[0]; i++) {
        expect_known(cli[i]);
        assert_non_null(strstr(core_reason_message(cli[i], CORE_LANG_TR), "lütfen"));
        assert_non_null(strstr(core_reason_message(cli[i], CORE_LANG_EN), "please"));
    }
    assert_non_null(strstr(core_reason_message("database_missing", CORE_LANG_TR),
                           "eimza restore YEDEK.db --db sqlite:{0}"));
    assert_non_null(strstr(core_reason_message("database_missing", CORE_LANG_EN),
                           "eimza restore BACKUP.db --db sqlite:{0}"));
}

static void test_turkish_messages(void **state)
{
    (void)state;
    /* The eligibility messages send the person to the personnel unit, in proper Turkish. */
    const char *const elig[] = {"no_personnel_record", "not_in_service", "assignment_ended",
                                "not_entitled"};
    for (size_t i = 0; i < sizeof elig / sizeof elig[0]; i++) {
        const char *m = core_reason_message(elig[i], CORE_LANG_TR);
        assert_non_null(strstr(m, "il/ilçe millî eğitim özlük biriminizle görüşünüz"));
        assert_non_null(strstr(m, "MEBBİS"));
    }
    assert_non_null(
        strstr(core_reason_message("not_entitled", CORE_LANG_TR), "MEBBİS kayıtlarınız güncel"));
    assert_non_null(strstr(core_reason_message("assignment_ended", CORE_LANG_TR), "e-personel"));
    assert_non_null(strstr(core_reason_message("postal_province", CORE_LANG_TR), "plaka kodu"));
    assert_non_null(strstr(core_reason_message("certificate_expired", CORE_LANG_TR),
                           "Yöntem 2: Islak imzalı başvuru"));
    assert_non_null(strstr(core_reason_message("tckn_checksum", CORE_LANG_TR), "T.C. Kimlik No"));
    /* Spot check for letters that careless ASCII would lose. */
    assert_non_null(strstr(core_reason_message("required", CORE_LANG_TR), "zorunludur"));
    assert_non_null(strstr(core_reason_message("phone_not_mobile", CORE_LANG_TR), "başlayan"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_well_formed), cmocka_unit_test(test_cli_codes_known),
        cmocka_unit_test(test_unknown_codes),     cmocka_unit_test(test_core_codes_known),
        cmocka_unit_test(test_turkish_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
