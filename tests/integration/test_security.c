/* eimza — regression tests of issue 19's findings that live in the database, on both backends
 * (the rest are beside the code they test: the staff login's in test_staff_auth.c, the
 * exports' in test_admin.c, the HTTP framing in tests/cli/test_http_framing.sh):
 *   6. captchas are limited per address (a fixed window shared by every server of one
 *      database): the limit's answer, another address untouched, the window's end, and no
 *      captcha row written past the limit.
 * The clock is passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal.h"
#include "store/store.h"
#include "testdb.h"

#define NOW 1750000000 /* 2025-06-15T15:06:40Z */

struct sfx {
    struct testdb_fx *db;
    struct app_settings set;
    struct app_ctx ctx;
};

static int setup(void **state)
{
    struct sfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    void *dbstate = NULL;
    int rc = testdb_fx_setup(&dbstate, true);
    f->db = dbstate;
    if (rc != 0 || app_settings_default(&f->set) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    struct sfx *f = *state;
    if (f) {
        void *dbstate = f->db;
        testdb_fx_teardown(&dbstate);
        app_settings_free(&f->set);
        free(f);
    }
    return 0;
}

static struct app_ctx *from(struct sfx *f, const char *addr, int64_t now)
{
    f->ctx = (struct app_ctx){.db = f->db->s, .set = &f->set, .now = now, .client_addr = addr};
    return &f->ctx;
}

static long count(struct sfx *f, const char *sql)
{
    char buf[32];
    assert_int_equal(testdb_query(&f->db->db, sql, buf, sizeof buf), 0);
    return strtol(buf, NULL, 10);
}

/* ---- 6. captchas per address ---------------------------------------------------------------- */

static void test_captcha_limit(void **state)
{
    struct sfx *f = *state;
    struct app_captcha c;
    struct app_err err;
    const int64_t win = f->set.portal.login_window;
    const int64_t ws = NOW - NOW % win;
    f->set.portal.captcha_max_per_addr = 12;

    for (int i = 0; i < 12; i++)
        assert_int_equal(app_captcha_new(from(f, "192.0.2.10", NOW + i), &c, &err), APP_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM captchas"), 12);
    for (int i = 0; i < 30; i++) {
        assert_int_equal(app_captcha_new(from(f, "192.0.2.10", NOW + 20), &c, &err), APP_ETOOMANY);
        assert_string_equal(err.code, "too_many_attempts");
        assert_int_equal(err.retry_after, ws + win - (NOW + 20));
        assert_string_equal(c.id, "");
    }
    /* nothing stored past the limit: the table cannot be filled from one address */
    assert_int_equal(count(f, "SELECT count(*) FROM captchas"), 12);
    /* another address is not affected; nor is the first one after the window */
    assert_int_equal(app_captcha_new(from(f, "2001:db8::1", NOW + 20), &c, &err), APP_OK);
    assert_int_equal(app_captcha_new(from(f, "192.0.2.10", ws + win), &c, &err), APP_OK);
    /* a context without an address is counted as the address "unknown", not let through */
    f->set.portal.captcha_max_per_addr = 1;
    assert_int_equal(app_captcha_new(from(f, NULL, NOW), &c, &err), APP_OK);
    assert_int_equal(app_captcha_new(from(f, NULL, NOW), &c, &err), APP_ETOOMANY);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_captcha_limit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
