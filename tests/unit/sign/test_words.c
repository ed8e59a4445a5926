/* Unit tests for the signing agent's words in the one catalogue (core/catalogue.h, po/): every
 * card-side error code (enum sign_err) and every code of the relay path's own
 * (sign_relay_codes) has its Turkish and its English text, and so has every other entry the
 * agent reads by name; the texts the agent gives are the catalogue's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/catalogue.h"
#include "sign/relay.h"
#include "sign/sign_int.h"

/* The key group.name has a Turkish text and an English one of its own (a missing English
 * text would fall back to the Turkish one); returns the Turkish one. */
static const char *both_languages(const char *group, const char *name)
{
    const char *tr = core_text_of(group, name, CORE_LANG_TR);
    const char *en = core_text_of(group, name, CORE_LANG_EN);
    if (!tr || !*tr)
        fail_msg("%s.%s: no Turkish text in po/eimza.pot", group, name);
    if (!en || !*en || !strcmp(en, tr))
        fail_msg("%s.%s: no English text in po/en.po", group, name);
    return tr;
}

static void test_sign_err_codes(void **state)
{
    (void)state;
    for (int e = SIGN_OK; e <= SIGN_E_NOMEM; e++) {
        const char *tr = both_languages("sign_err", sign_err_code((enum sign_err)e));
        assert_ptr_equal(sign_err_message((enum sign_err)e), tr);
        assert_ptr_equal(sign_err_message_en((enum sign_err)e),
                         core_text_of("sign_err", sign_err_code((enum sign_err)e), CORE_LANG_EN));
    }
}

static void test_relay_codes(void **state)
{
    char m[1536], fallback[1536];
    size_t n = 0;
    (void)state;
    sign_relay_message("no_such_code_here", "https://p.example", NULL, NULL, fallback,
                       sizeof fallback);
    for (; sign_relay_codes[n]; n++) {
        const char *code = sign_relay_codes[n];
        const char *tr = both_languages("relay", code);
        sign_relay_message(code, "https://p.example", NULL, "9.9", m, sizeof m);
        /* the code's own words, not the message for an unknown code */
        assert_int_equal(strncmp(m, tr, (size_t)(strchr(tr, ' ') - tr)), 0);
        assert_string_not_equal(m, fallback);
    }
    assert_int_equal(n, 17);
}

/* The other entries the agent reads by name (sign/agent.c, pin.c, pinentry.c, p11.c,
 * relay.c, relay_text.c, ui_batch.c). */
static void test_named_entries(void **state)
{
    static const char *const keys[][2] = {
        {"agent", "host_forbidden"},
        {"agent", "origin_forbidden"},
        {"agent", "not_found"},
        {"agent", "method_not_allowed"},
        {"agent", "payload_too_large"},
        {"agent", "unsupported_media_type"},
        {"agent", "bad_request"},
        {"agent", "label_too_long"},
        {"agent", "content_invalid"},
        {"agent", "purpose"},
        {"agent", "relay_purpose"},
        {"agent", "batch_warning"},
        {"pin", "warning_count_low"},
        {"pin", "warning_final_try"},
        {"pin", "warning_locked"},
        {"pin", "failed_locked"},
        {"pin", "failed_final_try"},
        {"pin", "failed_count_low"},
        {"pin", "failed"},
        {"dialogue", "title"},
        {"dialogue", "pin_lead"},
        {"dialogue", "sign"},
        {"dialogue", "cancel"},
        {"dialogue", "confirm"},
        {"dialogue", "confirm_pin_pad"},
        {"sign_err", "token_not_found.label"},
        {"sign_err", "pin_invalid.expired"},
        {"relay", "not_completed"},
        {"relay", "portal_refused"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        both_languages(keys[i][0], keys[i][1]);
    /* the same in both languages, on purpose */
    assert_string_equal(core_text("dialogue.pin_prompt", CORE_LANG_EN), "PIN:");
    assert_string_equal(core_text("dialogue.ok", CORE_LANG_EN), "Tamam / OK");
    /* the PIN's words are the catalogue's */
    struct sign_pin_state p = {.final_try = true};
    assert_ptr_equal(sign_pin_warning(&p), core_text("pin.warning_final_try", CORE_LANG_TR));
    assert_ptr_equal(sign_pin_locked_message(), core_text("pin.warning_locked", CORE_LANG_TR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_err_codes),
        cmocka_unit_test(test_relay_codes),
        cmocka_unit_test(test_named_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
