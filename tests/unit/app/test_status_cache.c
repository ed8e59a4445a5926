/* Unit tests for app/status_cache.c over a real SQLite store: an answer is served again only
 * for the same session and language, within its time to live, while the session needs no
 * write, and while no write through this process touched the session or the application —
 * including a write inside a transaction that was still open when the answer was read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "app/status_cache.h"

#define HASH_A "aaaa000000000000000000000000000000000000000000000000000000000001"
#define HASH_B "bbbb000000000000000000000000000000000000000000000000000000000002"
#define BODY   "{\"state\":\"draft\"}"
#define NOW    1800000000

struct fx {
    char dir[64];
    struct store *s;
};

/* The cache under test (one per test; NULL while "off"). */
static struct app_status_cache *cache;

static void configure(int ttl_ms)
{
    app_status_cache_free(cache);
    cache = app_status_cache_new(ttl_ms);
}

/* What a reading of the status leaves for the cache: the session, the application, the
 * language and the stamp taken before reading. */
struct reading {
    const char *hash;
    int64_t app_id;
    enum core_lang lang;
    struct app_status_stamp stamp;
};

static void keep(const struct reading *r, const char *body, size_t len)
{
    app_status_cache_put(cache, r->hash, r->lang, r->app_id, &r->stamp, body, len);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char url[128], err[256];
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-statuscache.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
    assert_int_equal(store_open_create(url, &f->s, err, sizeof err), STORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), STORE_OK);
    configure(60000);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char path[128];
    configure(0);
    store_close(f->s);
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/t.db-wal", f->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/t.db-shm", f->dir);
    unlink(path);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* A reading as app_status_answer makes it, read "now" (generations taken now). */
static void view_of(struct reading *v, const char *hash, int64_t app_id, enum core_lang lang)
{
    memset(v, 0, sizeof *v);
    v->hash = hash;
    v->app_id = app_id;
    v->lang = lang;
    v->stamp = app_status_cache_stamp(hash);
    v->stamp.quiet_until = NOW + 60;
}

static bool get(const char *hash, enum core_lang lang, int64_t now)
{
    struct ubuf b = UBUF_INIT(1 << 16);
    bool hit = app_status_cache_get(cache, hash, lang, now, &b);
    if (hit)
        assert_string_equal(ubuf_str(&b), BODY);
    else
        assert_int_equal(b.len, 0);
    ubuf_free(&b);
    return hit;
}

static void put_session(struct store *s, const char *hash)
{
    struct store_session ss = {0};
    memcpy(ss.token_hash, hash, STORE_HASH_HEX + 1);
    snprintf(ss.kind, sizeof ss.kind, "applicant");
    snprintf(ss.subject, sizeof ss.subject, "10000000146");
    snprintf(ss.csrf, sizeof ss.csrf, "c");
    ss.created_at = ss.last_seen = NOW;
    ss.expires_at = NOW + 3600;
    assert_int_equal(store_session_put(s, &ss), STORE_OK);
}

static void hit_same_session_and_language_only(void **state)
{
    (void)state;
    struct reading v;
    view_of(&v, HASH_A, 7, CORE_LANG_TR);
    keep(&v, BODY, strlen(BODY));
    assert_true(get(HASH_A, CORE_LANG_TR, NOW));
    assert_false(get(HASH_A, CORE_LANG_EN, NOW));
    assert_false(get(HASH_B, CORE_LANG_TR, NOW));
    assert_false(get("not-a-hash", CORE_LANG_TR, NOW));
    /* the session needs a write (or is over) from quiet_until on */
    assert_true(get(HASH_A, CORE_LANG_TR, NOW + 59));
    assert_false(get(HASH_A, CORE_LANG_TR, NOW + 60));
}

static void session_write_invalidates(void **state)
{
    struct fx *f = *state;
    put_session(f->s, HASH_A);
    struct reading v;
    view_of(&v, HASH_A, 7, CORE_LANG_TR);
    keep(&v, BODY, strlen(BODY));
    assert_true(get(HASH_A, CORE_LANG_TR, NOW));
    assert_int_equal(store_session_delete(f->s, HASH_A), STORE_OK); /* a logout */
    assert_false(get(HASH_A, CORE_LANG_TR, NOW));
}

static void application_write_invalidates(void **state)
{
    struct fx *f = *state;
    struct store_application a = {0};
    struct store_app_event ev = {NOW, "", "draft", "created", "test"};
    snprintf(a.number, sizeof a.number, "ABCDEFGH12");
    snprintf(a.tckn, sizeof a.tckn, "10000000146");
    snprintf(a.state, sizeof a.state, "draft");
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.card_reader, sizeof a.card_reader, "none");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    a.validity_years = 3;
    a.created_at = a.updated_at = NOW;
    assert_int_equal(store_app_create(f->s, &a, &ev), STORE_OK);

    struct reading v;
    view_of(&v, HASH_B, a.id, CORE_LANG_TR);
    keep(&v, BODY, strlen(BODY));
    assert_true(get(HASH_B, CORE_LANG_TR, NOW));
    a.validity_years = 2;
    assert_int_equal(store_app_update(f->s, &a, "draft", NULL), STORE_OK);
    assert_false(get(HASH_B, CORE_LANG_TR, NOW));

    /* an answer read while another write to the application was still in a transaction is
     * not served once that transaction ends */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    a.validity_years = 1;
    assert_int_equal(store_app_update(f->s, &a, "draft", NULL), STORE_OK);
    view_of(&v, HASH_B, a.id, CORE_LANG_TR); /* read during the transaction */
    keep(&v, BODY, strlen(BODY));
    assert_true(get(HASH_B, CORE_LANG_TR, NOW));
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_false(get(HASH_B, CORE_LANG_TR, NOW));
}

static void not_kept_when_changed_while_reading(void **state)
{
    struct fx *f = *state;
    put_session(f->s, HASH_A);
    struct reading v;
    view_of(&v, HASH_A, 9, CORE_LANG_TR);
    assert_int_equal(store_session_touch(f->s, HASH_A, NOW + 1), STORE_OK);
    keep(&v, BODY, strlen(BODY)); /* the session moved on meanwhile */
    assert_false(get(HASH_A, CORE_LANG_TR, NOW));
}

static void time_to_live_and_off(void **state)
{
    (void)state;
    struct reading v;
    configure(30);
    view_of(&v, HASH_A, 7, CORE_LANG_TR);
    keep(&v, BODY, strlen(BODY));
    assert_true(get(HASH_A, CORE_LANG_TR, NOW));
    usleep(60 * 1000);
    assert_false(get(HASH_A, CORE_LANG_TR, NOW));
    configure(0);
    keep(&v, BODY, strlen(BODY));
    assert_false(get(HASH_A, CORE_LANG_TR, NOW));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hit_same_session_and_language_only, setup, teardown),
        cmocka_unit_test_setup_teardown(session_write_invalidates, setup, teardown),
        cmocka_unit_test_setup_teardown(application_write_invalidates, setup, teardown),
        cmocka_unit_test_setup_teardown(not_kept_when_changed_while_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(time_to_live_and_off, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
