/* eimza — unit tests of the personnel import use case (app/import_personnel.c) against a fake
 * store defined here (the linker then takes no store object from the library): what reaches
 * the store and in which order, that a failure of the store, of the commit or of the file
 * aborts the one transaction and writes no audit entry, what the hooks are told and that they
 * are all called from one thread. The real databases are exercised by
 * tests/cli/test_import_personnel.sh. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/import_personnel.h"
#include "core/tckn.h"

/* ---- the fake store ------------------------------------------------------------------------ */

struct store {
    int begins, commits, aborts, audits;
    long rows;     /* rows received in the open transaction */
    long fail_row; /* fail the row with this 1-based number (0: never) */
    bool fail_commit, fail_audit;
    bool in_tx;
    char last_tckn[CORE_TCKN_LEN + 1];
    bool order_ok; /* tckn values arrived in increasing order */
    char audit_object[64], audit_detail[256], audit_action[64];
};

enum store_err store_personnel_import_begin(struct store *s)
{
    assert_false(s->in_tx);
    s->begins++;
    s->in_tx = true;
    s->rows = 0;
    s->last_tckn[0] = '\0';
    s->order_ok = true;
    return STORE_OK;
}

enum store_err store_personnel_import_row(struct store *s, const struct core_personnel *p)
{
    assert_true(s->in_tx);
    if (++s->rows == s->fail_row)
        return STORE_EIO;
    if (strcmp(p->tckn, s->last_tckn) <= 0)
        s->order_ok = false;
    memcpy(s->last_tckn, p->tckn, sizeof s->last_tckn);
    return STORE_OK;
}

enum store_err store_personnel_import_commit(struct store *s, struct store_import_stats *st)
{
    assert_true(s->in_tx);
    s->in_tx = false;
    if (s->fail_commit)
        return STORE_EIO;
    s->commits++;
    st->inserted = s->rows;
    st->updated = st->unchanged = 0;
    return STORE_OK;
}

void store_personnel_import_abort(struct store *s)
{
    assert_true(s->in_tx);
    s->in_tx = false;
    s->aborts++;
}

const char *store_last_error(const struct store *s)
{
    (void)s;
    return "fake failure";
}

enum store_err store_audit_append(struct store *s, const struct store_audit_entry *e)
{
    assert_false(s->in_tx);
    if (s->fail_audit)
        return STORE_EIO;
    s->audits++;
    snprintf(s->audit_object, sizeof s->audit_object, "%s", e->object);
    snprintf(s->audit_detail, sizeof s->audit_detail, "%s", e->detail);
    snprintf(s->audit_action, sizeof s->audit_action, "%s", e->action);
    return STORE_OK;
}

/* ---- hooks that record what they are told -------------------------------------------------- */

struct seen {
    char log[8192];
    size_t len;
    int ignored, progress;
    pthread_t thread;
    bool have_thread, one_thread;
};

static void seen_thread(struct seen *v)
{
    if (!v->have_thread) {
        v->thread = pthread_self();
        v->have_thread = true;
    } else if (!pthread_equal(v->thread, pthread_self())) {
        v->one_thread = false;
    }
}

static void on_reject(void *ctx, long line, const char *field, const char *code, const char *detail)
{
    struct seen *v = ctx;
    seen_thread(v);
    int k = snprintf(v->log + v->len, sizeof v->log - v->len, "%ld:%s:%s%s\n", line,
                     field ? field : "-", code, detail ? "+" : "");
    if (k > 0 && (size_t)k < sizeof v->log - v->len)
        v->len += (size_t)k;
}

static void on_ignored(void *ctx, const char *column)
{
    struct seen *v = ctx;
    assert_string_equal(column, "not_a_column");
    v->ignored++;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, long rows)
{
    struct seen *v = ctx;
    seen_thread(v);
    assert_true(done <= total);
    assert_true(rows > 0 || done == total);
    v->progress++;
}

/* ---- test files ------------------------------------------------------------------------------ */

static const char header[] = "tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;"
                             "ilce;birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;"
                             "eposta;cep_telefonu";

/* Writes the row for the i-th person (T.C. Kimlik No grow with i), optionally with another
 * tckn or birth date, and extra text before the line end. */
static void put_row(FILE *f, long i, const char *tckn_override, const char *date, const char *extra)
{
    char d9[24], t[CORE_TCKN_LEN + 1];
    snprintf(d9, sizeof d9, "%09ld", 100000000L + i);
    assert_int_equal(core_tckn_complete(d9, t), 0);
    fprintf(f,
            "%s;Ayşe;Yılmaz;Batman;%s;720001;Batman Lisesi;72;Merkez;Müdürlük;Öğretmen;aktif;;1;"
            "ayse@meb.gov.tr;0532 123 45 67%s\n",
            tckn_override ? tckn_override : t, date ? date : "1980-03-15", extra ? extra : "");
}

static char path[64];

static FILE *new_file(void)
{
    snprintf(path, sizeof path, "/tmp/eimza-unit-import-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    return f;
}

static enum app_import_err run(struct store *s, struct seen *v, struct app_import_result *r)
{
    struct app_import_hooks h = {v, on_reject, on_ignored, on_progress, NULL, NULL};
    v->one_thread = true;
    enum app_import_err e = app_import_personnel(s, path, 1700000000, &h, r);
    return e;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_many_rows_in_order(void **state)
{
    (void)state;
    FILE *f = new_file();
    fprintf(f, "%s;not_a_column\n", header);
    long n = 20000;
    for (long i = 0; i < n; i++) {
        put_row(f, i, i == 777 ? "10000000147" : NULL, i == 15000 ? "31.02.1999" : NULL, ";x");
    }
    fclose(f);
    struct store s = {0};
    struct seen v = {0};
    struct app_import_result r;
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_PARTIAL);
    assert_int_equal(r.rows, n);
    assert_int_equal(r.rejected, 2);
    assert_int_equal(r.st.inserted, n - 2);
    assert_int_equal(s.rows, n - 2);
    assert_true(s.order_ok);
    assert_int_equal(s.begins, 1);
    assert_int_equal(s.commits, 1);
    assert_int_equal(s.aborts, 0);
    assert_int_equal(s.audits, 1);
    assert_string_equal(s.audit_action, "personnel.import");
    assert_string_equal(s.audit_object, strrchr(path, '/') + 1);
    assert_string_equal(s.audit_detail, "{\"rows\":20000,\"inserted\":19998,\"updated\":0,"
                                        "\"unchanged\":0,\"rejected\":2}");
    assert_string_equal(v.log, "779:tckn:tckn_checksum\n15002:dogum_tarihi:date_format\n");
    assert_int_equal(v.ignored, 1);
    assert_true(v.progress >= 4);
    assert_true(v.one_thread);
    unlink(path);
}

static void test_store_failure_aborts(void **state)
{
    (void)state;
    FILE *f = new_file();
    fprintf(f, "%s\n", header);
    for (long i = 0; i < 5000; i++)
        put_row(f, i, NULL, NULL, NULL);
    fclose(f);
    struct store s = {.fail_row = 3000};
    struct seen v = {0};
    struct app_import_result r;
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_ESTORE);
    assert_int_equal(s.begins, 1);
    assert_int_equal(s.aborts, 1);
    assert_int_equal(s.commits, 0);
    assert_int_equal(s.audits, 0);
    assert_int_equal(r.st.inserted, 0);
    assert_non_null(strstr(r.detail, "fake failure"));

    /* The first row, too. */
    struct store s1 = {.fail_row = 1};
    assert_int_equal(run(&s1, &v, &r), APP_IMPORT_ESTORE);
    assert_int_equal(s1.aborts, 1);
    assert_int_equal(s1.audits, 0);

    /* The commit. */
    struct store s2 = {.fail_commit = true};
    assert_int_equal(run(&s2, &v, &r), APP_IMPORT_ESTORE);
    assert_int_equal(s2.commits, 0);
    assert_int_equal(s2.aborts, 0); /* a failed commit has already rolled back */
    assert_int_equal(s2.audits, 0);

    /* The audit entry after a good commit. */
    struct store s3 = {.fail_audit = true};
    assert_int_equal(run(&s3, &v, &r), APP_IMPORT_EAUDIT);
    assert_int_equal(s3.commits, 1);
    assert_int_equal(r.st.inserted, 5000);
    unlink(path);
}

static void test_header_problems_touch_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *text, *code;
    } cases[] = {
        {"ad;soyad;dogum_yeri;dogum_tarihi;kurum_adi;il_kodu;gorev_durumu;eimza_hakki\n",
         "missing_column"},
        {"tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_adi;il_kodu;gorev_durumu;eimza_hakki;"
         "AD\n",
         "duplicate_column"},
        {"tckn;a\xff;soyad\n", "not_utf8"},
        {"\"tckn\"x;ad\n", "csv_quote"},
        {"\xFF\xFEt\0c\0k\0n\0", "not_utf8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = new_file();
        fwrite(cases[i].text, 1, i == 4 ? 10 : strlen(cases[i].text), f);
        put_row(f, 1, NULL, NULL, NULL);
        fclose(f);
        struct store s = {0};
        struct seen v = {0};
        struct app_import_result r;
        assert_int_equal(run(&s, &v, &r), APP_IMPORT_EFILE);
        assert_non_null(r.code);
        assert_string_equal(r.code, cases[i].code);
        assert_int_equal(s.begins, 0);
        assert_int_equal(s.audits, 0);
        unlink(path);
    }
    /* A file that cannot be opened. */
    struct store s = {0};
    struct seen v = {0};
    struct app_import_result r;
    snprintf(path, sizeof path, "/nonexistent/eimza.csv");
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_EFILE);
    assert_string_equal(r.code, "file_unreadable");
    assert_non_null(strstr(r.detail, "No such file"));
    assert_int_equal(s.begins, 0);
}

static void test_read_error_aborts(void **state)
{
    (void)state;
    /* A directory opens but cannot be read: the first read fails. */
    snprintf(path, sizeof path, "/tmp");
    struct store s = {0};
    struct seen v = {0};
    struct app_import_result r;
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_EFILE);
    assert_string_equal(r.code, "file_unreadable");
    assert_non_null(strstr(r.detail, "cannot read"));
    assert_int_equal(s.begins, 0);
}

static void test_empty_and_header_only(void **state)
{
    (void)state;
    FILE *f = new_file();
    fclose(f);
    struct store s = {0};
    struct seen v = {0};
    struct app_import_result r;
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_OK);
    assert_true(r.empty);
    assert_int_equal(r.rows, 0);
    assert_int_equal(s.commits, 1);

    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s\r\n\r\n", header);
    fclose(f);
    struct store s2 = {0};
    assert_int_equal(run(&s2, &v, &r), APP_IMPORT_OK);
    assert_false(r.empty);
    assert_int_equal(r.rows, 0); /* a blank line is not a row */
    assert_int_equal(s2.commits, 1);
    assert_int_equal(s2.audits, 1);
    unlink(path);
}

static void test_row_level_reasons(void **state)
{
    (void)state;
    FILE *f = new_file();
    fprintf(f, "%s\n", header);
    put_row(f, 1, NULL, NULL, NULL);          /* 2 */
    fputs("1;2;3\n", f);                      /* 3: column_count */
    put_row(f, 2, "123", "1980-02-30", NULL); /* 4: two fields */
    fputs("\"x\"y;a;b\n", f);                 /* 5: csv_quote */
    put_row(f, 3, NULL, NULL, NULL);          /* 6 */
    fclose(f);
    struct store s = {0};
    struct seen v = {0};
    struct app_import_result r;
    assert_int_equal(run(&s, &v, &r), APP_IMPORT_PARTIAL);
    assert_string_equal(v.log, "3:-:column_count+\n4:tckn:tckn_length\n"
                               "4:dogum_tarihi:date_format\n5:-:csv_quote\n");
    assert_int_equal(r.rows, 5);
    assert_int_equal(r.rejected, 3);
    assert_int_equal(s.rows, 2);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_rows_in_order),
        cmocka_unit_test(test_store_failure_aborts),
        cmocka_unit_test(test_header_problems_touch_nothing),
        cmocka_unit_test(test_read_error_aborts),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_row_level_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
