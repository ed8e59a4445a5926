/* Unit tests for web/http/dbpool.c on a real SQLite file: a connection given back is lent
 * again; one that failed is closed; a drain (after /healthz found the database damaged)
 * closes the idle ones at once and each one borrowed before it when it comes back, while one
 * borrowed after it is kept. The pool's open count says what is open. A pool whose database
 * file is missing lends nothing and makes no file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "web/http/dbpool.h"

static char dir[64], path[96], url[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/eimza-dbpool.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/db.sqlite", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    FILE *f = fopen(path, "w"); /* an empty database: the pool's connections make none */
    return f && fclose(f) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char f[160];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, ext[i]);
        unlink(f);
    }
    rmdir(dir);
    return 0;
}

static void test_reuse_and_failure(void **state)
{
    (void)state;
    struct web_dbpool *p = web_dbpool_new(url, NULL, 2);
    assert_non_null(p);
    unsigned g;
    struct store *a = web_dbpool_get(p, &g);
    assert_non_null(a);
    assert_int_equal(web_dbpool_open_count(p), 1);
    web_dbpool_put(p, a, g, false);
    assert_int_equal(web_dbpool_open_count(p), 1);
    assert_ptr_equal(web_dbpool_get(p, &g), a); /* the idle one, lent again */
    web_dbpool_put(p, a, g, true);              /* failed: closed */
    assert_int_equal(web_dbpool_open_count(p), 0);
    web_dbpool_free(p);
}

static void test_missing_file(void **state)
{
    (void)state;
    assert_int_equal(unlink(path), 0);
    struct web_dbpool *p = web_dbpool_new(url, NULL, 2);
    assert_non_null(p);
    unsigned g;
    for (int i = 0; i < 2; i++)
        assert_null(web_dbpool_get(p, &g));
    assert_int_equal(web_dbpool_open_count(p), 0);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    web_dbpool_free(p);
}

static void test_drain(void **state)
{
    (void)state;
    struct web_dbpool *p = web_dbpool_new(url, NULL, 4);
    assert_non_null(p);
    unsigned ga, gb, gc;
    struct store *a = web_dbpool_get(p, &ga), *b = web_dbpool_get(p, &gb);
    assert_non_null(a);
    assert_non_null(b);
    web_dbpool_put(p, a, ga, false); /* a idle, b borrowed */
    assert_int_equal(web_dbpool_open_count(p), 2);
    web_dbpool_drain(p);
    assert_int_equal(web_dbpool_open_count(p), 1); /* a closed at once */
    struct store *c = web_dbpool_get(p, &gc);      /* a new one, after the drain */
    assert_non_null(c);
    assert_int_equal(web_dbpool_open_count(p), 2);
    web_dbpool_put(p, b, gb, false); /* borrowed before the drain: closed, not kept */
    assert_int_equal(web_dbpool_open_count(p), 1);
    web_dbpool_put(p, c, gc, false); /* borrowed after it: kept */
    assert_int_equal(web_dbpool_open_count(p), 1);
    unsigned g;
    assert_ptr_equal(web_dbpool_get(p, &g), c);
    web_dbpool_put(p, c, g, false);
    web_dbpool_drain(p); /* an empty pool too */
    assert_int_equal(web_dbpool_open_count(p), 0);
    web_dbpool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reuse_and_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
