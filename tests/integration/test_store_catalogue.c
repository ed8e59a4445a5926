/* eimza — the query catalogue against a real database of each backend (white box: it includes
 * store/store_int.h): every statement of src/store/store_queries.h, as this backend's dialect
 * makes it, prepares on a migrated database, so a typo in a statement that runs rarely fails
 * here and not in production; the markers expand as store_queries.h documents them; and the
 * counters count the statements and transactions a connection runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "testdb.h"

#define fx testdb_fx

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

static void test_every_statement_prepares(void **state)
{
    struct fx *f = *state;
    int run = 0, empty = 0;
    for (int q = 0; q < STORE__Q_COUNT; q++) {
        const char *sql = store__sql((enum store__q)q, f->s->ops->dialect);
        if (!sql)
            fail_msg("statement %d (%s) does not build", q, store__what((enum store__q)q));
        if (!*sql) {
            empty++; /* nothing to run on this dialect */
            continue;
        }
        if (f->s->ops->prepare(f->s, (enum store__q)q) != STORE_OK)
            fail_msg("%s (%s) does not prepare: %s\n%s", store__what((enum store__q)q),
                     store_backend(f->s), store_last_error(f->s), sql);
        run++;
    }
    /* a few statements are one dialect's only (PRAGMAs, advisory locks), none is both's */
    assert_true(empty > 0 && empty < 12);
    assert_int_equal(run + empty, STORE__Q_COUNT);
    assert_true(run > 100);
}

static void test_markers(void **state)
{
    (void)state;
    char *s = store__expand("SELECT {cols captcha c} FROM captchas WHERE id = $1", STORE__SQLITE);
    assert_string_equal(s,
                        "SELECT c.id, c.answer, c.expires_at, c.used FROM captchas WHERE id = ?1");
    free(s);
    s = store__expand("INSERT INTO captchas ({cols captcha}) VALUES ({vals captcha 3})", STORE__PG);
    assert_string_equal(
        s, "INSERT INTO captchas (id, answer, expires_at, used) VALUES ($3, $4, $5, $6)");
    free(s);
    s = store__expand("UPDATE captchas SET {set captcha 1} WHERE x{same captcha 1}", STORE__PG);
    assert_string_equal(s,
                        "UPDATE captchas SET answer = $2, expires_at = $3, used = $4 WHERE x AND "
                        "id = $1");
    free(s);
    s = store__expand("{excl captcha} {data captcha} {differ captcha}", STORE__SQLITE);
    assert_string_equal(s, "answer = excluded.answer, expires_at = excluded.expires_at, used = "
                           "excluded.used answer, expires_at, used captchas.answer IS NOT "
                           "excluded.answer OR captchas.expires_at IS NOT excluded.expires_at OR "
                           "captchas.used IS NOT excluded.used");
    free(s);
    s = store__expand("a{S:b $2}{P:c $2}d", STORE__SQLITE);
    assert_string_equal(s, "ab ?2d");
    free(s);
    s = store__expand("a{S:b $2}{P:c $2}d", STORE__PG);
    assert_string_equal(s, "ac $2d");
    free(s);
    assert_null(store__expand("{cols nosuchrow}", STORE__PG));
    assert_null(store__expand("{frobnicate captcha}", STORE__PG));
    assert_null(store__expand("{cols captcha", STORE__PG));
    assert_null(store__expand("{vals captcha}", STORE__PG));
}

/* Each statement run is counted, and each transaction begun. */
static void test_counted(void **state)
{
    struct fx *f = *state;
    struct store_counters c0, c1;
    long n;
    store_counters(f->s, &c0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_personnel_count(f->s, &n), STORE_OK);
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_certificate_count(f->s, &n), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_int_equal(store_read_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_count(f->s, &n), STORE_OK);
    store_read_end(f->s);
    store_counters(f->s, &c1);
    assert_int_equal(c1.statements - c0.statements, 5);
    assert_int_equal(c1.transactions - c0.transactions, 2);
    store_counters(NULL, &c1);
    assert_int_equal(c1.statements, 0);
    assert_int_equal(c1.transactions, 0);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_statement_prepares, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counted, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
