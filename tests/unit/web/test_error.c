/* Unit tests for web/http/error.c: every error has a fitting status, a stable snake_case code and
 * a Turkish and an English message; the codes the interfaces document keep their statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/http/error.h"
#include "web/html/escape.h"

static void test_every_error_is_complete(void **state)
{
    (void)state;
    for (int e = 1; e < WEB_E_COUNT_; e++) {
        unsigned st = web_err_status((enum web_err)e);
        const char *code = web_err_code((enum web_err)e);
        const char *tr = web_err_message((enum web_err)e, CORE_LANG_TR);
        const char *en = web_err_message((enum web_err)e, CORE_LANG_EN);
        assert_true(st >= 400 && st <= 599);
        assert_non_null(code);
        assert_true(strlen(code) > 2);
        assert_int_equal(strspn(code, "abcdefghijklmnopqrstuvwxyz_"), strlen(code));
        assert_true(strlen(tr) > 20);
        assert_true(strlen(en) > 20);
        assert_true(web_utf8_valid(tr, strlen(tr)));
        assert_string_not_equal(tr, en);
        /* two errors share a code only if they share a status and a message */
        for (int f = 1; f < e; f++) {
            if (!strcmp(code, web_err_code((enum web_err)f))) {
                assert_int_equal(st, web_err_status((enum web_err)f));
                assert_string_equal(tr, web_err_message((enum web_err)f, CORE_LANG_TR));
            }
        }
    }
}

static void test_documented_codes(void **state)
{
    (void)state;
    assert_int_equal(web_err_status(WEB_E_NOT_FOUND), 404);
    assert_string_equal(web_err_code(WEB_E_NOT_FOUND), "not_found");
    assert_int_equal(web_err_status(WEB_E_METHOD), 405);
    assert_string_equal(web_err_code(WEB_E_METHOD), "method_not_allowed");
    assert_int_equal(web_err_status(WEB_E_TOO_LARGE), 413);
    assert_string_equal(web_err_code(WEB_E_TOO_LARGE), "body_too_large");
    assert_int_equal(web_err_status(WEB_E_DB_UNAVAILABLE), 503);
    assert_string_equal(web_err_code(WEB_E_DB_UNAVAILABLE), "database_unavailable");
    assert_int_equal(web_err_status(WEB_E_TOO_MANY), 429);
    assert_int_equal(web_err_status(WEB_E_CONFLICT), 409);
    assert_int_equal(web_err_status(WEB_E_NOMEM), 500);
}

/* The one rule (error.h): a use case's failure without a code is the database's (503 with
 * Retry-After) when its class says unavailable, else ours (500, no Retry-After); one with a code
 * is the caller's to answer with that code. */
static void test_app_failure_rule(void **state)
{
    (void)state;
    struct app_err e;
    app_err_clear(&e);
    e.status = APP_EUNAVAILABLE;
    assert_int_equal(web_app_failure(NULL, &e), WEB_E_DB_UNAVAILABLE);
    assert_string_equal(web_err_retry_after(WEB_E_DB_UNAVAILABLE), "120");
    e.status = APP_EINTERNAL;
    assert_int_equal(web_app_failure(NULL, &e), WEB_E_INTERNAL);
    assert_null(web_err_retry_after(WEB_E_INTERNAL));
    assert_null(web_err_retry_after(WEB_E_NOMEM));
    e.status = APP_EUNAVAILABLE;
    e.code = "verification_unavailable";
    assert_int_equal(web_app_failure(NULL, &e), WEB_OK);
    e.status = APP_ENOTFOUND;
    e.code = "no_application";
    assert_int_equal(web_app_failure(NULL, &e), WEB_OK);
    assert_string_equal(web_err_retry_after(WEB_E_CONNECTIONS), "5");
}

static void test_out_of_range_is_internal(void **state)
{
    (void)state;
    assert_int_equal(web_err_status((enum web_err)9999), 500);
    assert_string_equal(web_err_code((enum web_err) - 1), "internal_error");
    assert_string_equal(web_err_code(WEB_E_COUNT_), "internal_error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_error_is_complete),
        cmocka_unit_test(test_documented_codes),
        cmocka_unit_test(test_app_failure_rule),
        cmocka_unit_test(test_out_of_range_is_internal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
