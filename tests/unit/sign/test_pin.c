/* Unit tests for the PIN texts drawn from a token's flags, the error table, and reading the
 * PIN from a file descriptor one line per signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/catalogue.h"
#include "sign/sign_int.h"

static void test_warning(void **state)
{
    struct sign_pin_state p = {0};
    (void)state;
    assert_null(sign_pin_warning(&p));
    p.count_low = true;
    assert_string_equal(sign_pin_warning(&p), "PIN'i bir kez yanlış girdiniz; dikkat");
    p.final_try = true; /* the stronger warning wins */
    assert_string_equal(sign_pin_warning(&p), "Son deneme: yanlış PIN kartı kilitler");
    /* the agent does not know the deployment: who helps is said by who made the card */
    assert_string_equal(sign_pin_locked_message(),
                        "Kart kilitli: PUK ile açın; PUK'unuz yoksa kartı Kamu SM verdiyse Kamu "
                        "SM'nin kilit açma hizmetine, kurumunuz ürettiyse kurumunuzun e-imza "
                        "sorumlusuna başvurun");
}

static void test_failure_message(void **state)
{
    struct sign_pin_state p = {0};
    (void)state;
    assert_non_null(strstr(sign_pin_failure_message(&p), "kalan deneme sayısını bildirmiyor"));
    p.count_low = true;
    assert_non_null(strstr(sign_pin_failure_message(&p), "deneme hakkınızın azaldığını"));
    p.final_try = true;
    assert_non_null(strstr(sign_pin_failure_message(&p), "tek deneme hakkınız kaldı"));
    p.locked = true;
    assert_non_null(strstr(sign_pin_failure_message(&p), "PUK"));
    /* who helps, by who made the card: Kamu SM's service for its card, the institution's
     * e-imza sorumlusu for one made in house (the agent does not know the deployment) */
    assert_non_null(strstr(sign_pin_failure_message(&p),
                           "kartı Kamu SM verdiyse Kamu SM'nin kilit açma hizmetine, kurumunuz "
                           "ürettiyse kurumunuzun e-imza sorumlusuna başvurunuz."));
}

/* The table's words that say who helps with a card name both who may have made it, in both
 * languages: the agent serves both deployments and, in house, both kinds of card. */
static void test_err_who_helps(void **state)
{
    (void)state;
    static const enum sign_err errs[] = {SIGN_E_PIN_LOCKED, SIGN_E_NO_KEY};
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        const char *tr = sign_err_message(errs[i]), *en = sign_err_message_en(errs[i]);
        assert_non_null(strstr(tr, "kartı Kamu SM verdiyse Kamu SM"));
        assert_non_null(strstr(tr, "kurumunuz ürettiyse kurumunuzun e-imza sorumlusuna"));
        assert_non_null(strstr(en, "Kamu SM issued"));
        assert_non_null(strstr(en, "your institution's e-signature officer"));
    }
}

static void test_err_table(void **state)
{
    (void)state;
    static const struct {
        enum sign_err e;
        const char *code;
        int status;
    } want[] = {
        {SIGN_E_PIN_INCORRECT, "pin_incorrect", 401},
        {SIGN_E_PIN_LOCKED, "pin_locked", 423},
        {SIGN_E_TOKEN_NOT_FOUND, "token_not_found", 404},
        {SIGN_E_CANCELLED, "cancelled", 409},
        {SIGN_E_MODULE, "module_error", 500},
        {SIGN_E_PIN_UNAVAILABLE, "pin_unavailable", 503},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(sign_err_code(want[i].e), want[i].code);
        assert_int_equal(sign_err_http_status(want[i].e), want[i].status);
        assert_true(strlen(sign_err_message(want[i].e)) > 10);
    }
    /* every code is distinct */
    for (int a = SIGN_OK; a <= SIGN_E_NOMEM; a++)
        for (int b = a + 1; b <= SIGN_E_NOMEM; b++)
            assert_string_not_equal(sign_err_code((enum sign_err)a),
                                    sign_err_code((enum sign_err)b));
}

static void test_status_set(void **state)
{
    struct sign_status st;
    (void)state;
    st.has_pin = true;
    sign_status_set(&st, SIGN_E_TOKEN, "slot %d", 3);
    assert_int_equal(st.err, SIGN_E_TOKEN);
    assert_string_equal(st.message, sign_err_message(SIGN_E_TOKEN));
    assert_string_equal(st.message_en, sign_err_message_en(SIGN_E_TOKEN));
    assert_string_equal(st.detail, "slot 3");
    assert_false(st.has_pin);
    sign_status_set(&st, SIGN_E_TOKEN, NULL);
    assert_string_equal(st.detail, "");
    /* a failure's own words, in both languages: the relay path shows both, so an English
     * reader learns of the last try too (it got the code's general words before) */
    struct sign_pin_state after = {.final_try = true};
    sign_status_set(&st, SIGN_E_PIN_INCORRECT, "C_Login");
    sign_status_say(&st, sign_pin_failure_key(&after), NULL);
    assert_string_equal(st.message, sign_pin_failure_message(&after));
    assert_string_equal(st.message_en, core_text("pin.failed_final_try", CORE_LANG_EN));
    assert_non_null(strstr(st.message_en, "one"));
    assert_string_not_equal(st.message_en, sign_err_message_en(SIGN_E_PIN_INCORRECT));
    /* with a value: the label in both */
    sign_status_say(&st, "sign_err.token_not_found.label", "kart-7");
    assert_non_null(strstr(st.message, "kart-7"));
    assert_non_null(strstr(st.message_en, "kart-7"));
    /* a key the catalogue does not have: the words stay as they were */
    sign_status_say(&st, "pin.no_such_text", NULL);
    assert_non_null(strstr(st.message_en, "kart-7"));
}

/* A pipe holding data, its write end closed: reads see the data then EOF. */
static int pipe_with(const char *data)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], data, strlen(data)), (ssize_t)strlen(data));
    close(p[1]);
    return p[0];
}

static void test_pin_fd(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    (void)state;
    int fd = pipe_with("123456\n654321\r\n\nlast");
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "123456");
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "654321"); /* the CR of a CR LF line is dropped */
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_E_PIN_INVALID);
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "last"); /* a last line without newline counts */
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_E_PIN_UNAVAILABLE);
    close(fd);
}

static void test_pin_fd_too_long(void **state)
{
    char pin[8];
    (void)state;
    int fd = pipe_with("123456789\n1234\n");
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_E_PIN_INVALID);
    assert_int_equal(pin[0], '\0'); /* wiped */
    /* the rest of the long line was consumed: the next line is whole */
    assert_int_equal(sign_pin_from_fd(&fd, NULL, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "1234");
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warning),         cmocka_unit_test(test_failure_message),
        cmocka_unit_test(test_err_table),       cmocka_unit_test(test_err_who_helps),
        cmocka_unit_test(test_status_set),      cmocka_unit_test(test_pin_fd),
        cmocka_unit_test(test_pin_fd_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
