/* eimza — the store's staff side (store.h, schema version 3), one suite for both backends:
 * staff accounts (every field back, one per name, the checks on names, roles and provinces,
 * an update rolled back with its transaction, the row lock on PostgreSQL), the approvers'
 * queue (each filter on its own, the province of the personnel record or else of the form,
 * paging with the total), the counts per state, the holders whose certificate runs out
 * without an application, decisions (latest wins, written with the rest of a use case's
 * transaction) and the chain of signature-only renewals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "crypto/hash.h"
#include "store/store.h"
#include "testdb.h"

/* The shared fixture of testdb.h: a fresh, migrated database and a connection. */
#define fx testdb_fx

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* A valid T.C. Kimlik No for n. */
static void tckn_of(int n, char out[CORE_TCKN_LEN + 1])
{
    char d9[16];
    snprintf(d9, sizeof d9, "%09d", 100000000 + n * 7919);
    assert_int_equal(core_tckn_complete(d9, out), 0);
}

static void person(struct core_personnel *p, int n, int province, const char *district)
{
    core_personnel_clear(p);
    tckn_of(n, p->tckn);
    snprintf(p->first_name, sizeof p->first_name, "Kişi%d", n);
    snprintf(p->last_name, sizeof p->last_name, "Yılmaz");
    snprintf(p->birth_place, sizeof p->birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p->birth_date), 0);
    snprintf(p->institution_code, sizeof p->institution_code, "%d0001", province);
    snprintf(p->institution_name, sizeof p->institution_name, "Kurum %d", n);
    p->province = province;
    snprintf(p->district, sizeof p->district, "%s", district);
    snprintf(p->unit, sizeof p->unit, "Müdürlük");
    snprintf(p->title, sizeof p->title, "Öğretmen");
    p->duty = CORE_DUTY_ACTIVE;
    assert_int_equal(core_date_from_ymd(2030, 6, 30, &p->assignment_end), 0);
    p->entitled = true;
    snprintf(p->email, sizeof p->email, "kisi%d@meb.gov.tr", n);
    snprintf(p->mobile_phone, sizeof p->mobile_phone, "532%07d", n);
}

static void import(struct fx *f, const struct core_personnel *rows, size_t n)
{
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(store_personnel_import_row(f->s, &rows[i]), STORE_OK);
    struct store_import_stats st;
    assert_int_equal(store_personnel_import_commit(f->s, &st), STORE_OK);
}

/* An application with every field set; number from n. */
static void app_fill(struct store_application *a, int n, const char *tckn, const char *state,
                     int64_t updated_at)
{
    memset(a, 0, sizeof *a);
    snprintf(a->number, sizeof a->number, "APPL%06d", n);
    snprintf(a->tckn, sizeof a->tckn, "%s", tckn);
    snprintf(a->state, sizeof a->state, "%s", state);
    a->confirmed = true;
    a->confirmed_at = updated_at - 5;
    snprintf(a->first_name, sizeof a->first_name, "Ayşe");
    snprintf(a->last_name, sizeof a->last_name, "IŞIK");
    snprintf(a->birth_place, sizeof a->birth_place, "Hakkâri");
    snprintf(a->birth_date, sizeof a->birth_date, "1980-03-15");
    snprintf(a->institution_name, sizeof a->institution_name, "Kurum %d", n);
    snprintf(a->registry_no, sizeof a->registry_no, "R%d", n);
    snprintf(a->reason, sizeof a->reason, "renewal");
    snprintf(a->card_reader, sizeof a->card_reader, "none");
    a->validity_years = 3;
    snprintf(a->security_word_hash, sizeof a->security_word_hash, "$argon2id$x");
    snprintf(a->unit, sizeof a->unit, "Bilgi İşlem");
    snprintf(a->title, sizeof a->title, "Öğretmen");
    snprintf(a->address, sizeof a->address, "Cumhuriyet Cad. No: %d", n);
    a->province = 72;
    snprintf(a->district, sizeof a->district, "Merkez");
    snprintf(a->postal_code, sizeof a->postal_code, "72100");
    snprintf(a->email, sizeof a->email, "a%d@meb.gov.tr", n);
    snprintf(a->work_phone, sizeof a->work_phone, "4882121212");
    snprintf(a->mobile_phone, sizeof a->mobile_phone, "5321234567");
    snprintf(a->mobile_operator, sizeof a->mobile_operator, "turkcell");
    snprintf(a->notify_by, sizeof a->notify_by, "both");
    snprintf(a->method, sizeof a->method, "esign");
    a->cert_not_after = 1800000000;
    a->created_at = updated_at - 10;
    a->updated_at = updated_at;
}

static int64_t create(struct fx *f, struct store_application *a)
{
    struct store_app_event ev = {a->created_at, "", a->state, "created", "test"};
    assert_int_equal(store_app_create(f->s, a, &ev), STORE_OK);
    return a->id;
}

/* ---- staff accounts ----------------------------------------------------------------------- */

static void user_fill(struct store_user *u, const char *name, const char *role, int province)
{
    memset(u, 0, sizeof *u);
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->role, sizeof u->role, "%s", role);
    u->province = province;
    snprintf(u->password_hash, sizeof u->password_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$%s",
             name);
    snprintf(u->totp_secret, sizeof u->totp_secret, "JBSWY3DPEHPK3PXP");
    u->totp_enabled = true;
    u->totp_last_step = 56666666;
    u->failed_count = 2;
    u->locked_until = 1700000900;
    u->last_login_at = 1700000800;
    u->disabled = false;
    u->created_at = 1700000000;
    u->updated_at = 1700000100;
    snprintf(u->email, sizeof u->email, "%s@meb.gov.tr", name);
}

static void assert_user_equal(const struct store_user *x, const struct store_user *y)
{
    assert_string_equal(x->username, y->username);
    assert_string_equal(x->role, y->role);
    assert_int_equal(x->province, y->province);
    assert_string_equal(x->password_hash, y->password_hash);
    assert_string_equal(x->totp_secret, y->totp_secret);
    assert_int_equal(x->totp_enabled, y->totp_enabled);
    assert_int_equal(x->totp_last_step, y->totp_last_step);
    assert_int_equal(x->failed_count, y->failed_count);
    assert_int_equal(x->locked_until, y->locked_until);
    assert_int_equal(x->last_login_at, y->last_login_at);
    assert_int_equal(x->disabled, y->disabled);
    assert_int_equal(x->created_at, y->created_at);
    assert_int_equal(x->updated_at, y->updated_at);
    assert_string_equal(x->email, y->email);
}

static void test_user_round_trip(void **state)
{
    struct fx *f = *state;
    struct store_user u, got;
    user_fill(&u, "ayse.yilmaz-72_", "approver", 72);
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);
    memset(&got, 0xAB, sizeof got);
    assert_int_equal(store_user_get(f->s, "ayse.yilmaz-72_", &got), STORE_OK);
    assert_user_equal(&got, &u);

    /* the other values of the flags, and an account without TOTP yet */
    struct store_user o;
    user_fill(&o, "op1", "operator", 0);
    o.totp_secret[0] = '\0';
    o.totp_enabled = false;
    o.disabled = true;
    o.failed_count = 0;
    o.email[0] = '\0'; /* no address */
    assert_int_equal(store_user_put(f->s, &o), STORE_OK);
    assert_int_equal(store_user_get(f->s, "op1", &got), STORE_OK);
    assert_user_equal(&got, &o);

    /* the name is taken, whatever else differs */
    struct store_user dup;
    user_fill(&dup, "op1", "admin", 0);
    assert_int_equal(store_user_put(f->s, &dup), STORE_ECONFLICT);
    assert_int_equal(store_user_get(f->s, "op1", &got), STORE_OK);
    assert_string_equal(got.role, "operator");

    assert_int_equal(store_user_get(f->s, "nobody", &got), STORE_ENOTFOUND);
    /* a name no account can have is simply not there */
    assert_int_equal(store_user_get(f->s, "Ayşe", &got), STORE_ENOTFOUND);
    assert_int_equal(store_user_get(f->s, "", &got), STORE_ENOTFOUND);
    assert_int_equal(store_user_get(f->s, NULL, &got), STORE_EINVAL);
    assert_int_equal(store_user_get(f->s, "op1", NULL), STORE_EINVAL);
}

static void test_user_bad_arguments(void **state)
{
    struct fx *f = *state;
    struct store_user u;
    const char *bad_names[] = {"", "Ayse", "ayşe", "a b", "a/b", "a@b"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        user_fill(&u, bad_names[i], "operator", 0);
        assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    }
    user_fill(&u, "x", "operator", 0);
    memset(u.username, 'a', sizeof u.username - 1); /* 63 bytes: the longest allowed */
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);
    memset(u.username, 'b', sizeof u.username); /* no NUL: 64 bytes */
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);

    user_fill(&u, "r1", "root", 0);
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r2", "", 0);
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r3", "approver", 0); /* an approver without a province */
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r4", "approver", 82);
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r5", "operator", -1);
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r6", "admin", 82);
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    user_fill(&u, "r7", "operator", 0);
    memset(u.password_hash, 'x', sizeof u.password_hash); /* no NUL */
    assert_int_equal(store_user_put(f->s, &u), STORE_EINVAL);
    assert_int_equal(store_user_put(f->s, NULL), STORE_EINVAL);
    assert_int_equal(store_user_update(f->s, NULL), STORE_EINVAL);
    assert_int_equal(store_user_each(f->s, NULL, NULL), STORE_EINVAL);

    /* the database refuses an approver without a province even when the store is bypassed */
    assert_int_not_equal(testdb_exec(&f->db, "INSERT INTO users (username, role, province, "
                                             "password_hash, created_at, updated_at) "
                                             "VALUES ('z', 'approver', 0, 'h', 1, 1)"),
                         0);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM users"), 1);
}

static void test_user_update(void **state)
{
    struct fx *f = *state;
    struct store_user u, got;
    user_fill(&u, "mehmet", "approver", 6);
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);

    /* every field but the name and created_at is written */
    struct store_user w = u;
    snprintf(w.role, sizeof w.role, "admin");
    w.province = 0;
    snprintf(w.password_hash, sizeof w.password_hash, "$argon2id$new");
    snprintf(w.totp_secret, sizeof w.totp_secret, "NEWSECRET234");
    w.totp_enabled = false;
    w.totp_last_step = 7;
    w.failed_count = 5;
    w.locked_until = 1700009999;
    w.last_login_at = 1700008888;
    w.disabled = true;
    w.created_at = 1; /* not written */
    w.updated_at = 1700007777;
    snprintf(w.email, sizeof w.email, "mehmet.yeni@meb.gov.tr");
    assert_int_equal(store_user_update(f->s, &w), STORE_OK);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    w.created_at = u.created_at;
    assert_user_equal(&got, &w);

    struct store_user ghost;
    user_fill(&ghost, "ghost", "operator", 0);
    assert_int_equal(store_user_update(f->s, &ghost), STORE_ENOTFOUND);
    struct store_user bad = w;
    snprintf(bad.role, sizeof bad.role, "approver"); /* with province 0 */
    assert_int_equal(store_user_update(f->s, &bad), STORE_EINVAL);

    /* inside a transaction: rolled back, the old row stays */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    got.failed_count = 99;
    got.locked_until = 1;
    assert_int_equal(store_user_update(f->s, &got), STORE_OK);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    assert_int_equal(got.failed_count, 99); /* seen inside */
    store_tx_rollback(f->s);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    assert_user_equal(&got, &w);

    /* committed: kept */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    got.failed_count = 0;
    assert_int_equal(store_user_update(f->s, &got), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_int_equal(store_user_get(f->s, "mehmet", &got), STORE_OK);
    assert_int_equal(got.failed_count, 0);
}

/* On PostgreSQL a user read inside a transaction is locked until it ends: another connection
 * cannot change it meanwhile (SQLite serialises writers with BEGIN IMMEDIATE instead). */
static void test_user_get_locks(void **state)
{
    struct fx *f = *state;
    if (!testdb_is_pg())
        skip();
    struct store_user u, got;
    user_fill(&u, "kilit", "operator", 0);
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);
    const char *other = "SET lock_timeout = '300ms'; "
                        "UPDATE users SET failed_count = 7 WHERE username = 'kilit'";
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_user_get(f->s, "kilit", &got), STORE_OK);
    assert_int_not_equal(testdb_exec(&f->db, other), 0); /* waits, then gives up */
    store_tx_rollback(f->s);
    assert_int_equal(testdb_exec(&f->db, other), 0);
    /* outside a transaction nothing is held */
    assert_int_equal(store_user_get(f->s, "kilit", &got), STORE_OK);
    assert_int_equal(got.failed_count, 7);
    assert_int_equal(testdb_exec(&f->db, other), 0);
}

struct names {
    int n, stop_after;
    char v[8][STORE_USERNAME_MAX];
};

static int collect_user(void *ctx, const struct store_user *u)
{
    struct names *l = ctx;
    if (l->n < 8)
        snprintf(l->v[l->n++], sizeof l->v[0], "%s", u->username);
    return l->stop_after && l->n >= l->stop_after;
}

static void test_user_each(void **state)
{
    struct fx *f = *state;
    struct names l = {0};
    assert_int_equal(store_user_each(f->s, collect_user, &l), STORE_OK);
    assert_int_equal(l.n, 0);
    const char *names[] = {"zeynep", "ali", "mehmet.k", "b-2"};
    for (size_t i = 0; i < 4; i++) {
        struct store_user u;
        user_fill(&u, names[i], i == 0 ? "approver" : "operator", i == 0 ? 34 : 0);
        assert_int_equal(store_user_put(f->s, &u), STORE_OK);
    }
    assert_int_equal(store_user_each(f->s, collect_user, &l), STORE_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0], "ali");
    assert_string_equal(l.v[1], "b-2");
    assert_string_equal(l.v[2], "mehmet.k");
    assert_string_equal(l.v[3], "zeynep");
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    assert_int_equal(store_user_each(f->s, collect_user, &l), STORE_OK);
    assert_int_equal(l.n, 2);
}

/* ---- the approvers' queue ----------------------------------------------------------------- */

/* The queue's world (ids in q->id[]):
 *   1  person 1 (personnel province 72, Merkez), form province 6, submitted, updated 100
 *   2  person 2 (6, Çankaya), submitted, late, updated 200, institution "Ankara Fen Lisesi"
 *   3  person 3 (72, Kozluk), approved, updated 300
 *   4  no personnel record, form province 72 district Merkez, submitted, updated 400
 *   5  person 5 (72, Merkez), draft, updated 50
 *   6  no personnel record, form province 6, awaiting_original, updated 500
 * and 1's institution is "Batman Anadolu Lisesi". */
struct queue {
    int64_t id[7];
    struct store_application app[7];
    struct core_personnel p[6];
};

static void queue_setup(struct fx *f, struct queue *q)
{
    memset(q, 0, sizeof *q);
    person(&q->p[1], 1, 72, "Merkez");
    person(&q->p[2], 2, 6, "Çankaya");
    person(&q->p[3], 3, 72, "Kozluk");
    person(&q->p[5], 5, 72, "Merkez");
    struct core_personnel rows[] = {q->p[1], q->p[2], q->p[3], q->p[5]};
    import(f, rows, 4);
    char t4[CORE_TCKN_LEN + 1], t6[CORE_TCKN_LEN + 1];
    tckn_of(4, t4);
    tckn_of(6, t6);

    app_fill(&q->app[1], 1, q->p[1].tckn, "submitted", 100);
    q->app[1].province = 6;
    snprintf(q->app[1].institution_name, sizeof q->app[1].institution_name,
             "Batman Anadolu Lisesi");
    app_fill(&q->app[2], 2, q->p[2].tckn, "submitted", 200);
    q->app[2].late = true;
    snprintf(q->app[2].institution_name, sizeof q->app[2].institution_name, "Ankara Fen Lisesi");
    app_fill(&q->app[3], 3, q->p[3].tckn, "approved", 300);
    app_fill(&q->app[4], 4, t4, "submitted", 400);
    q->app[4].province = 72;
    app_fill(&q->app[5], 5, q->p[5].tckn, "draft", 50);
    app_fill(&q->app[6], 6, t6, "awaiting_original", 500);
    q->app[6].province = 6;
    for (int i = 1; i <= 6; i++)
        q->id[i] = create(f, &q->app[i]);
}

struct listed {
    int n, stop_after;
    int64_t id[8];
    bool has_p[8];
    struct store_application first;
    struct core_personnel first_p;
};

static int collect_app(void *ctx, const struct store_application *a, const struct core_personnel *p)
{
    struct listed *l = ctx;
    if (l->n == 0) {
        l->first = *a;
        if (p)
            l->first_p = *p;
    }
    if (l->n < 8) {
        l->id[l->n] = a->id;
        l->has_p[l->n] = p != NULL;
        l->n++;
    }
    return l->stop_after && l->n >= l->stop_after;
}

/* Lists with f and checks the ids (by their queue number) and the total. */
static void expect_list(struct fx *f, const struct queue *q, const struct store_app_filter *flt,
                        const int *want, int nwant, long want_total)
{
    struct listed l;
    memset(&l, 0, sizeof l);
    long total = -1;
    assert_int_equal(store_app_list(f->s, flt, collect_app, &l, &total), STORE_OK);
    assert_int_equal(total, want_total);
    assert_int_equal(l.n, nwant);
    for (int i = 0; i < nwant; i++)
        assert_int_equal(l.id[i], q->id[want[i]]);
}

static const struct store_app_filter ANY = {.late = -1};

static void test_app_list_filters(void **state)
{
    struct fx *f = *state;
    struct queue q;
    queue_setup(f, &q);
    struct store_app_filter flt;

    /* no filter: every state but draft, oldest change first */
    expect_list(f, &q, &ANY, (int[]){1, 2, 3, 4, 6}, 5, 5);
    /* province: the personnel record's (1 is 72 there, 6 on its form), else the form's */
    flt = ANY;
    flt.province = 72;
    expect_list(f, &q, &flt, (int[]){1, 3, 4}, 3, 3);
    flt.province = 6;
    expect_list(f, &q, &flt, (int[]){2, 6}, 2, 2);
    flt.province = 1;
    expect_list(f, &q, &flt, NULL, 0, 0);
    /* state */
    flt = ANY;
    flt.state = "approved";
    expect_list(f, &q, &flt, (int[]){3}, 1, 1);
    flt.state = "draft";
    expect_list(f, &q, &flt, (int[]){5}, 1, 1);
    flt.state = "submitted";
    flt.province = 72;
    expect_list(f, &q, &flt, (int[]){1, 4}, 2, 2);
    /* institution: a part of the name, case as stored */
    flt = ANY;
    flt.institution = "Lisesi";
    expect_list(f, &q, &flt, (int[]){1, 2}, 2, 2);
    flt.institution = "lisesi";
    expect_list(f, &q, &flt, NULL, 0, 0);
    flt.institution = "Ankara Fen";
    expect_list(f, &q, &flt, (int[]){2}, 1, 1);
    /* district: the personnel record's (4 says Merkez on its form but has no record) */
    flt = ANY;
    flt.district = "Merkez";
    expect_list(f, &q, &flt, (int[]){1}, 1, 1);
    flt.district = "Çankaya";
    expect_list(f, &q, &flt, (int[]){2}, 1, 1);
    /* late */
    flt = ANY;
    flt.late = 1;
    expect_list(f, &q, &flt, (int[]){2}, 1, 1);
    flt.late = 0;
    expect_list(f, &q, &flt, (int[]){1, 3, 4, 6}, 4, 4);
    /* last change strictly before */
    flt = ANY;
    flt.updated_before = 300;
    expect_list(f, &q, &flt, (int[]){1, 2}, 2, 2);
    flt.updated_before = 301;
    expect_list(f, &q, &flt, (int[]){1, 2, 3}, 3, 3);
    /* paging: the total counts past the page */
    flt = ANY;
    flt.limit = 2;
    expect_list(f, &q, &flt, (int[]){1, 2}, 2, 5);
    flt.offset = 1;
    expect_list(f, &q, &flt, (int[]){2, 3}, 2, 5);
    flt.offset = 4;
    expect_list(f, &q, &flt, (int[]){6}, 1, 5);
    flt.offset = 10;
    expect_list(f, &q, &flt, NULL, 0, 5);
    flt.limit = 0;
    flt.offset = 3;
    expect_list(f, &q, &flt, (int[]){4, 6}, 2, 5);
    /* everything at once */
    flt = (struct store_app_filter){.province = 72,
                                    .state = "submitted",
                                    .institution = "Batman",
                                    .district = "Merkez",
                                    .late = 0,
                                    .updated_before = 101,
                                    .limit = 5};
    expect_list(f, &q, &flt, (int[]){1}, 1, 1);
    flt.updated_before = 100;
    expect_list(f, &q, &flt, NULL, 0, 0);
}

static void test_app_list_records(void **state)
{
    struct fx *f = *state;
    struct queue q;
    queue_setup(f, &q);

    /* the application comes whole, with the personnel record as it is now */
    struct listed l;
    memset(&l, 0, sizeof l);
    l.stop_after = 1; /* and fn can stop the listing */
    long total = -1;
    assert_int_equal(store_app_list(f->s, &ANY, collect_app, &l, &total), STORE_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(total, 5);
    struct store_application got;
    assert_int_equal(store_app_get(f->s, q.id[1], &got), STORE_OK);
    testdb_assert_app_equal(&l.first, &got);
    testdb_assert_app_equal(&l.first, &q.app[1]);
    assert_string_equal(l.first.institution_name, "Batman Anadolu Lisesi");
    assert_int_equal(l.first.province, 6);
    assert_true(l.has_p[0]);
    const struct core_personnel *p = &l.first_p, *w = &q.p[1];
    assert_string_equal(p->tckn, w->tckn);
    assert_string_equal(p->first_name, w->first_name);
    assert_string_equal(p->last_name, w->last_name);
    assert_string_equal(p->birth_place, w->birth_place);
    assert_int_equal(p->birth_date, w->birth_date);
    assert_string_equal(p->institution_code, w->institution_code);
    assert_string_equal(p->institution_name, w->institution_name);
    assert_int_equal(p->province, 72);
    assert_string_equal(p->district, "Merkez");
    assert_string_equal(p->unit, w->unit);
    assert_string_equal(p->title, w->title);
    assert_int_equal(p->duty, w->duty);
    assert_int_equal(p->assignment_end, w->assignment_end);
    assert_int_equal(p->entitled, w->entitled);
    assert_string_equal(p->email, w->email);
    assert_string_equal(p->mobile_phone, w->mobile_phone);

    /* no record: p is NULL */
    memset(&l, 0, sizeof l);
    assert_int_equal(store_app_list(f->s, &ANY, collect_app, &l, NULL), STORE_OK);
    assert_int_equal(l.n, 5);
    bool want_p[] = {true, true, true, false, false};
    for (int i = 0; i < 5; i++)
        assert_int_equal(l.has_p[i], want_p[i]);

    /* bad filters */
    struct store_app_filter flt = ANY;
    flt.province = 82;
    assert_int_equal(store_app_list(f->s, &flt, collect_app, &l, NULL), STORE_EINVAL);
    flt = ANY;
    flt.province = -1;
    assert_int_equal(store_app_list(f->s, &flt, collect_app, &l, NULL), STORE_EINVAL);
    flt = ANY;
    flt.late = 2;
    assert_int_equal(store_app_list(f->s, &flt, collect_app, &l, NULL), STORE_EINVAL);
    flt = ANY;
    flt.limit = -1;
    assert_int_equal(store_app_list(f->s, &flt, collect_app, &l, NULL), STORE_EINVAL);
    flt = ANY;
    flt.offset = -1;
    assert_int_equal(store_app_list(f->s, &flt, collect_app, &l, NULL), STORE_EINVAL);
    assert_int_equal(store_app_list(f->s, NULL, collect_app, &l, NULL), STORE_EINVAL);
    assert_int_equal(store_app_list(f->s, &ANY, NULL, &l, NULL), STORE_EINVAL);
}

struct counts {
    int n;
    char v[12][48];
};

static int collect_count(void *ctx, const char *st, long count)
{
    struct counts *c = ctx;
    if (c->n < 12)
        snprintf(c->v[c->n++], sizeof c->v[0], "%s=%ld", st, count);
    return 0;
}

static void expect_counts(struct fx *f, int province, const char *const *want, int n)
{
    struct counts c;
    memset(&c, 0, sizeof c);
    assert_int_equal(store_app_state_counts(f->s, province, collect_count, &c), STORE_OK);
    assert_int_equal(c.n, n);
    for (int i = 0; i < n; i++) /* the order is the store's: compare as a set */ {
        bool found = false;
        for (int j = 0; j < c.n; j++)
            found |= !strcmp(c.v[j], want[i]);
        if (!found)
            fail_msg("missing %s", want[i]);
    }
}

static void test_state_counts(void **state)
{
    struct fx *f = *state;
    struct queue q;
    expect_counts(f, 0, NULL, 0);
    queue_setup(f, &q);
    expect_counts(
        f, 0, (const char *const[]){"submitted=3", "approved=1", "draft=1", "awaiting_original=1"},
        4);
    expect_counts(f, 72, (const char *const[]){"submitted=2", "approved=1", "draft=1"}, 3);
    expect_counts(f, 6, (const char *const[]){"submitted=1", "awaiting_original=1"}, 2);
    expect_counts(f, 1, NULL, 0);
    struct counts c;
    assert_int_equal(store_app_state_counts(f->s, 82, collect_count, &c), STORE_EINVAL);
    assert_int_equal(store_app_state_counts(f->s, 0, NULL, &c), STORE_EINVAL);
}

/* ---- certificates running out without an application -------------------------------------- */

static int cert_seq;

static void put_cert(struct fx *f, const char *tckn, int64_t nb, int64_t na, int64_t revoked_at,
                     char fpr_out[CORE_FPR_LEN + 1])
{
    struct core_certificate c;
    memset(&c, 0, sizeof c);
    char seed[32];
    snprintf(seed, sizeof seed, "cert-%d", ++cert_seq);
    assert_int_equal(crypto_sha256_hex(seed, strlen(seed), c.fingerprint), 0);
    snprintf(c.tckn, sizeof c.tckn, "%s", tckn);
    snprintf(c.subject_name, sizeof c.subject_name, "KİŞİ %d", cert_seq);
    snprintf(c.subject, sizeof c.subject, "CN=KİŞİ,serialNumber=%s,C=TR", tckn);
    snprintf(c.serial, sizeof c.serial, "0A%04X", cert_seq);
    snprintf(c.issuer, sizeof c.issuer, "CN=Kamu SM,O=TUBITAK,C=TR");
    c.not_before = nb;
    c.not_after = na;
    c.revoked_at = revoked_at;
    snprintf(c.policies, sizeof c.policies, "2.16.792.1.2.1.1.5.7.1.1");
    static const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    bool ins = false;
    assert_int_equal(store_certificate_put(f->s, &c, der, sizeof der, &ins), STORE_OK);
    assert_true(ins);
    if (fpr_out)
        memcpy(fpr_out, c.fingerprint, CORE_FPR_LEN + 1);
}

struct expiring {
    int n;
    char tckn[16][CORE_TCKN_LEN + 1];
    char fpr[16][CORE_FPR_LEN + 1];
    int64_t not_after[16];
    int province[16];
};

static int collect_expiring(void *ctx, const struct core_personnel *p,
                            const struct core_certificate *c)
{
    struct expiring *e = ctx;
    assert_string_equal(p->tckn, c->tckn);
    if (e->n < 16) {
        snprintf(e->tckn[e->n], sizeof e->tckn[0], "%s", p->tckn);
        snprintf(e->fpr[e->n], sizeof e->fpr[0], "%s", c->fingerprint);
        e->not_after[e->n] = c->not_after;
        e->province[e->n] = p->province;
        e->n++;
    }
    return 0;
}

#define W0 2000000000LL /* the window [W0, W1) */
#define W1 2001000000LL
#define NB 1900000000LL /* not_before of most certificates */

static void test_expiring_unapplied(void **state)
{
    struct fx *f = *state;
    enum { N = 13 };
    struct core_personnel p[N];
    for (int i = 0; i < N; i++)
        person(&p[i], 100 + i, i == 8 ? 6 : 72, "Merkez");
    import(f, p, N - 1); /* p[12] has certificates but no personnel record */
    char fpr[N][CORE_FPR_LEN + 1];
    char older[CORE_FPR_LEN + 1];

    /* 0: in the window, nothing else: listed (an older certificate does not matter) */
    put_cert(f, p[0].tckn, NB - 100000000, W0 - 5000000, 0, older);
    put_cert(f, p[0].tckn, NB, W0 + 300, 0, fpr[0]);
    /* 1: revoked */
    put_cert(f, p[1].tckn, NB, W0 + 100, 1950000000, fpr[1]);
    /* 2: an application still going, made long before */
    put_cert(f, p[2].tckn, NB, W0 + 100, 0, fpr[2]);
    /* 3: an application over, made after the certificate's not_before */
    put_cert(f, p[3].tckn, NB, W0 + 100, 0, fpr[3]);
    /* 4: an application over, made before the certificate's not_before: listed */
    put_cert(f, p[4].tckn, NB, W0 + 200, 0, fpr[4]);
    /* 5: its certificate in the window is an older one; the current runs later */
    put_cert(f, p[5].tckn, NB - 10, W0 + 100, 0, NULL);
    put_cert(f, p[5].tckn, NB, W1 + 100000, 0, fpr[5]);
    /* 6: runs out exactly at the window's end: not in [from, to) */
    put_cert(f, p[6].tckn, NB, W1, 0, fpr[6]);
    /* 7: runs out exactly at its start: in */
    put_cert(f, p[7].tckn, NB, W0, 0, fpr[7]);
    /* 8: in the window, province 6 */
    put_cert(f, p[8].tckn, NB, W0 + 400, 0, fpr[8]);
    /* 9: same not_before twice: the one running later is current (and outside) */
    put_cert(f, p[9].tckn, NB, W0 + 100, 0, NULL);
    put_cert(f, p[9].tckn, NB, W1 + 1, 0, fpr[9]);
    /* 10: the current one is revoked, an older one would be in the window */
    put_cert(f, p[10].tckn, NB - 10, W0 + 100, 0, NULL);
    put_cert(f, p[10].tckn, NB, W0 + 150, 1950000000, fpr[10]);
    /* 11: an application rejected, made at the certificate's not_before exactly */
    put_cert(f, p[11].tckn, NB, W0 + 100, 0, fpr[11]);
    /* 12: no personnel record */
    put_cert(f, p[12].tckn, NB, W0 + 100, 0, fpr[12]);
    /* someone else's certificate without personnel and out of the window */
    put_cert(f, "10000000146", NB, W0 - 1, 0, NULL);

    struct store_application a;
    app_fill(&a, 902, p[2].tckn, "in_production", NB - 50000000);
    create(f, &a);
    app_fill(&a, 903, p[3].tckn, "completed", NB + 1000);
    create(f, &a);
    app_fill(&a, 904, p[4].tckn, "completed", NB - 1000);
    create(f, &a);
    app_fill(&a, 911, p[11].tckn, "rejected", NB + 10); /* created_at = NB */
    create(f, &a);

    struct expiring e;
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 0, W0, W1, collect_expiring, &e), STORE_OK);
    /* soonest first: 7 (W0), 4 (+200), 0 (+300), 8 (+400) */
    assert_int_equal(e.n, 4);
    const int want[] = {7, 4, 0, 8};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(e.tckn[i], p[want[i]].tckn);
        assert_string_equal(e.fpr[i], fpr[want[i]]);
        /* the same certificate store_certificate_current picks */
        struct core_certificate cur;
        assert_int_equal(store_certificate_current(f->s, e.tckn[i], &cur), STORE_OK);
        assert_string_equal(cur.fingerprint, e.fpr[i]);
    }
    assert_int_equal(e.not_after[0], W0);
    assert_int_equal(e.province[3], 6);
    assert_string_not_equal(e.fpr[2], older);

    /* the province */
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 72, W0, W1, collect_expiring, &e), STORE_OK);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.tckn[2], p[0].tckn);
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 6, W0, W1, collect_expiring, &e), STORE_OK);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.tckn[0], p[8].tckn);

    /* a narrower window */
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 0, W0 + 1, W0 + 300, collect_expiring, &e),
                     STORE_OK);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.tckn[0], p[4].tckn);
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 0, W0, W0, collect_expiring, &e), STORE_OK);
    assert_int_equal(e.n, 0);

    /* once the holder applies, they leave the list */
    app_fill(&a, 900, p[0].tckn, "draft", W0 - 100);
    create(f, &a);
    memset(&e, 0, sizeof e);
    assert_int_equal(store_expiring_unapplied(f->s, 0, W0, W1, collect_expiring, &e), STORE_OK);
    assert_int_equal(e.n, 3);

    assert_int_equal(store_expiring_unapplied(f->s, 0, W1, W0, collect_expiring, &e), STORE_EINVAL);
    assert_int_equal(store_expiring_unapplied(f->s, 82, W0, W1, collect_expiring, &e),
                     STORE_EINVAL);
    assert_int_equal(store_expiring_unapplied(f->s, 0, W0, W1, NULL, &e), STORE_EINVAL);
}

/* ---- decisions ---------------------------------------------------------------------------- */

struct dec {
    int calls;
    int64_t application_id, at;
    char decision[16], reason[64], staff[64], personnel[128], verdict[128];
};

static int collect_decision(void *ctx, const struct store_decision *d)
{
    struct dec *x = ctx;
    x->calls++;
    x->application_id = d->application_id;
    x->at = d->at;
    snprintf(x->decision, sizeof x->decision, "%s", d->decision);
    snprintf(x->reason, sizeof x->reason, "%s", d->reason);
    snprintf(x->staff, sizeof x->staff, "%s", d->staff);
    snprintf(x->personnel, sizeof x->personnel, "%s", d->personnel);
    snprintf(x->verdict, sizeof x->verdict, "%s", d->verdict);
    return 0;
}

static void test_decisions(void **state)
{
    struct fx *f = *state;
    char t1[CORE_TCKN_LEN + 1], t2[CORE_TCKN_LEN + 1];
    tckn_of(1, t1);
    tckn_of(2, t2);
    struct store_application a1, a2;
    app_fill(&a1, 1, t1, "submitted", 100);
    app_fill(&a2, 2, t2, "submitted", 100);
    create(f, &a1);
    create(f, &a2);
    struct dec x;
    memset(&x, 0, sizeof x);
    assert_int_equal(store_decision_get(f->s, a1.id, collect_decision, &x), STORE_ENOTFOUND);
    assert_int_equal(x.calls, 0);

    struct store_decision d = {.application_id = a1.id,
                               .at = 1700000100,
                               .decision = "reject",
                               .reason = "Görev yeri bilgisi eksik",
                               .staff = "ayse",
                               .personnel = "{\"tckn\":\"100******46\",\"il\":72}",
                               .verdict = "{\"eligible\":false,\"reasons\":[\"duty_left\"]}"};
    assert_int_equal(store_decision_put(f->s, &d), STORE_OK);
    struct store_decision d2 = {.application_id = a1.id,
                                .at = 1700000050, /* an earlier time: the order is the id's */
                                .decision = "approve",
                                .reason = "",
                                .staff = "mehmet",
                                .personnel = "null",
                                .verdict = "{\"eligible\":true,\"reasons\":[]}"};
    assert_int_equal(store_decision_put(f->s, &d2), STORE_OK);
    assert_int_equal(store_decision_get(f->s, a1.id, collect_decision, &x), STORE_OK);
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.application_id, a1.id);
    assert_int_equal(x.at, 1700000050);
    assert_string_equal(x.decision, "approve");
    assert_string_equal(x.reason, "");
    assert_string_equal(x.staff, "mehmet");
    assert_string_equal(x.personnel, "null");
    assert_string_equal(x.verdict, "{\"eligible\":true,\"reasons\":[]}");
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM decisions"), 2);

    /* another application's is its own; NULL reason and personnel get their defaults */
    struct store_decision d3 = d;
    d3.application_id = a2.id;
    d3.reason = NULL;
    d3.personnel = NULL;
    assert_int_equal(store_decision_put(f->s, &d3), STORE_OK);
    memset(&x, 0, sizeof x);
    assert_int_equal(store_decision_get(f->s, a2.id, collect_decision, &x), STORE_OK);
    assert_string_equal(x.decision, "reject");
    assert_string_equal(x.reason, "");
    assert_string_equal(x.personnel, "null");
    assert_string_equal(x.staff, "ayse");

    /* refused */
    struct store_decision bad = d;
    bad.decision = "maybe";
    assert_int_equal(store_decision_put(f->s, &bad), STORE_EINVAL);
    bad = d;
    bad.decision = NULL;
    assert_int_equal(store_decision_put(f->s, &bad), STORE_EINVAL);
    bad = d;
    bad.staff = "";
    assert_int_equal(store_decision_put(f->s, &bad), STORE_EINVAL);
    bad = d;
    bad.verdict = NULL;
    assert_int_equal(store_decision_put(f->s, &bad), STORE_EINVAL);
    bad = d;
    bad.application_id = 0;
    assert_int_equal(store_decision_put(f->s, &bad), STORE_EINVAL);
    bad = d;
    bad.application_id = a2.id + 1000; /* no such application */
    assert_int_equal(store_decision_put(f->s, &bad), STORE_ECONFLICT);
    assert_int_equal(store_decision_put(f->s, NULL), STORE_EINVAL);
    assert_int_equal(store_decision_get(f->s, a1.id, NULL, NULL), STORE_EINVAL);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM decisions"), 3);
}

/* The decision use case: state change, decision, outbox message and audit entry are one
 * transaction, all kept or none. */
static void test_decision_transaction(void **state)
{
    struct fx *f = *state;
    char t1[CORE_TCKN_LEN + 1];
    tckn_of(1, t1);
    struct store_application a, got;
    app_fill(&a, 1, t1, "submitted", 100);
    create(f, &a);
    struct store_decision d = {.application_id = a.id,
                               .at = 200,
                               .decision = "approve",
                               .reason = "",
                               .staff = "ayse",
                               .personnel = "null",
                               .verdict = "{\"eligible\":true,\"reasons\":[]}"};
    struct store_outbox_msg m = {
        .channel = "email", .recipient = "a@b.tr", .body = "Onaylandı", .dedupe_key = "dec:1"};
    struct store_audit_entry ae = {.at = 200, .actor = "staff:ayse", .action = "decision.approve"};
    struct store_app_event ev = {200, "submitted", "approved", "approve", "staff:ayse"};
    struct dec x;
    bool ins;

    for (int commit = 0; commit < 2; commit++) {
        assert_int_equal(store_tx_begin(f->s), STORE_OK);
        assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
        snprintf(got.state, sizeof got.state, "approved");
        assert_int_equal(store_app_update(f->s, &got, "submitted", &ev), STORE_OK);
        assert_int_equal(store_decision_put(f->s, &d), STORE_OK);
        assert_int_equal(store_outbox_put(f->s, &m, 200, &ins), STORE_OK);
        assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
        assert_int_equal(store_remote_chain_set(f->s, t1, 1, 200), STORE_OK);
        if (commit) {
            assert_int_equal(store_tx_commit(f->s), STORE_OK);
        } else {
            store_tx_rollback(f->s);
            assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
            assert_string_equal(got.state, "submitted");
            assert_int_equal(store_decision_get(f->s, a.id, collect_decision, &x), STORE_ENOTFOUND);
            assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM outbox"), 0);
            assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 0);
            assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM remote_chains"), 0);
        }
    }
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    assert_string_equal(got.state, "approved");
    memset(&x, 0, sizeof x);
    assert_int_equal(store_decision_get(f->s, a.id, collect_decision, &x), STORE_OK);
    assert_string_equal(x.decision, "approve");
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 1);
    int n = -1;
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 1);
}

/* ---- renewals by signature alone ---------------------------------------------------------- */

static void test_remote_chain(void **state)
{
    struct fx *f = *state;
    char t1[CORE_TCKN_LEN + 1], t2[CORE_TCKN_LEN + 1];
    tckn_of(1, t1);
    tckn_of(2, t2);
    int n = -1;
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 0); /* never recorded */
    assert_int_equal(store_remote_chain_set(f->s, t1, 2, 100), STORE_OK);
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_remote_chain_get(f->s, t2, &n), STORE_OK);
    assert_int_equal(n, 0);
    /* set again: replaced, one row */
    assert_int_equal(store_remote_chain_set(f->s, t1, 0, 200), STORE_OK);
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM remote_chains"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT updated_at FROM remote_chains"), 200);
    assert_int_equal(store_remote_chain_set(f->s, t1, 3, 300), STORE_OK);

    /* rolled back with its transaction */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_remote_chain_set(f->s, t1, 4, 400), STORE_OK);
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 4);
    store_tx_rollback(f->s);
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 3);

    assert_int_equal(store_remote_chain_set(f->s, t1, -1, 1), STORE_EINVAL);
    assert_int_equal(store_remote_chain_set(f->s, "123", 1, 1), STORE_EINVAL);
    assert_int_equal(store_remote_chain_set(f->s, "1234567890a", 1, 1), STORE_EINVAL);
    assert_int_equal(store_remote_chain_set(f->s, NULL, 1, 1), STORE_EINVAL);
    assert_int_equal(store_remote_chain_get(f->s, "123456789012", &n), STORE_EINVAL);
    assert_int_equal(store_remote_chain_get(f->s, t1, NULL), STORE_EINVAL);
    assert_int_equal(store_remote_chain_get(f->s, t1, &n), STORE_OK);
    assert_int_equal(n, 3);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_get_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_each, setup, teardown),
        cmocka_unit_test_setup_teardown(test_app_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_app_list_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiring_unapplied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_chain, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
