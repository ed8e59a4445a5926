/* eimza — unit tests of the streaming CSV reader (app/csv.c). Every input is read through a
 * callback that hands out a few bytes at a time (1, 2, 3, 7, 4096...), so each buffer
 * boundary falls inside quotes, line ends and the byte order mark at least once. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/csv.h"

struct mem_src {
    const char *p;
    size_t n, off, chunk;
    size_t fail_at; /* report an error once off reaches this (0: never) */
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
    struct mem_src *m = ctx;
    if (m->fail_at && m->off >= m->fail_at) {
        errno = EIO;
        return -1;
    }
    size_t k = m->n - m->off;
    if (k > n)
        k = n;
    if (k > m->chunk)
        k = m->chunk;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

static const size_t chunks[] = {1, 2, 3, 7, 4096, 1 << 20};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

/* Reads all of in[0..n) and renders each record as "L<line>:f1|f2|...\n", "L<line>!code\n" for
 * a record with an error, "L<line>~\n" for a blank line. Returns a malloc'ed string. */
static char *dump_n(const char *in, size_t n, size_t chunk, char sep, char *sep_seen)
{
    struct mem_src m = {in, n, 0, chunk, 0};
    struct app_csv *c = app_csv_new(mem_read, &m, sep);
    assert_non_null(c);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    struct app_csv_record r;
    enum app_csv_status st;
    while ((st = app_csv_next(c, &r)) == APP_CSV_RECORD) {
        char tmp[4096];
        int k;
        if (r.error)
            k = snprintf(tmp, sizeof tmp, "L%ld!%s\n", r.line, r.error);
        else if (r.blank)
            k = snprintf(tmp, sizeof tmp, "L%ld~\n", r.line);
        else {
            k = snprintf(tmp, sizeof tmp, "L%ld:", r.line);
            for (size_t i = 0; i < r.n; i++) {
                assert_int_equal(r.field[i].p[r.field[i].n], '\0');
                assert_int_equal(strlen(r.field[i].p), r.field[i].n);
                k += snprintf(tmp + k, sizeof tmp - (size_t)k, "%s%s", i ? "|" : "",
                              r.field[i].n > 64 ? "<long>" : r.field[i].p);
            }
            k += snprintf(tmp + k, sizeof tmp - (size_t)k, "\n");
        }
        assert_true(k > 0 && (size_t)k < sizeof tmp);
        assert_true(len + (size_t)k < cap);
        memcpy(out + len, tmp, (size_t)k + 1);
        len += (size_t)k;
    }
    assert_int_equal(st, APP_CSV_EOF);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_EOF); /* stays at the end */
    assert_int_equal(app_csv_bytes_read(c), n);
    if (sep_seen)
        *sep_seen = app_csv_separator(c);
    app_csv_free(c);
    return out;
}

/* Checks that every chunk size gives want. */
static void check_sep(const char *in, size_t n, char sep, const char *want, char want_sep)
{
    for (size_t i = 0; i < NCHUNKS; i++) {
        char seen = 0;
        char *got = dump_n(in, n, chunks[i], sep, &seen);
        if (strcmp(got, want) != 0)
            fail_msg("chunk %zu:\nwanted:\n%s\ngot:\n%s", chunks[i], want, got);
        if (want_sep)
            assert_int_equal(seen, want_sep);
        free(got);
    }
}

static void check(const char *in, const char *want)
{
    check_sep(in, strlen(in), 0, want, 0);
}

static void test_semicolon_and_comma_detected(void **state)
{
    (void)state;
    check_sep("a;b;c\n1;2;3\n", 12, 0, "L1:a|b|c\nL2:1|2|3\n", ';');
    check_sep("a,b,c\n1,2,3\n", 12, 0, "L1:a|b|c\nL2:1|2|3\n", ',');
    /* The separator is taken from the header line only: commas in data stay text. */
    check_sep("a;b\n1,5;2\n", 10, 0, "L1:a|b\nL2:1,5|2\n", ';');
    check_sep("a,b\n1;5,2\n", 10, 0, "L1:a|b\nL2:1;5|2\n", ',');
    /* Separators inside quotes on the header line do not count. */
    check_sep("\"x,y,z\";b\n1;2\n", 14, 0, "L1:x,y,z|b\nL2:1|2\n", ';');
    check_sep("\"x;y;z\",b\n1,2\n", 14, 0, "L1:x;y;z|b\nL2:1|2\n", ',');
    /* Both present: the more frequent wins; neither: ';'. */
    check_sep("a,b,c;d\n", 8, 0, "L1:a|b|c;d\n", ',');
    check_sep("abc\n1\n", 6, 0, "L1:abc\nL2:1\n", ';');
    /* A separator given by the caller is used as is. */
    check_sep("a,b;c\n", 6, ',', "L1:a|b;c\n", ',');
}

static void test_bom_crlf_and_final_line(void **state)
{
    (void)state;
    check("\xEF\xBB\xBF"
          "tckn;ad\r\n1;Ali\r\n",
          "L1:tckn|ad\nL2:1|Ali\n");
    check("a;b\r\n1;2", "L1:a|b\nL2:1|2\n");   /* no line end at the end */
    check("a;b\n1;2\r", "L1:a|b\nL2:1|2\n");   /* a lone CR at the very end */
    check("a;b\n1;\n", "L1:a|b\nL2:1|\n");     /* empty last field */
    check("a;b\n;\n", "L1:a|b\nL2:|\n");       /* two empty fields */
    check("a;b\n1;", "L1:a|b\nL2:1|\n");       /* separator, then the end */
    check("a\r\nx\ry\r\n", "L1:a\nL2:x\ry\n"); /* a CR inside a field stays */
    /* A byte order mark alone, or nothing at all: no record. */
    check("\xEF\xBB\xBF", "");
    check("", "");
    /* A BOM-like sequence later in the file is data. */
    check("a\n\xEF\xBB\xBF\n", "L1:a\nL2:\xEF\xBB\xBF\n");
}

static void test_quotes(void **state)
{
    (void)state;
    check("a;b\n\"x;y\";\"say \"\"hi\"\"\"\n", "L1:a|b\nL2:x;y|say \"hi\"\n");
    check("a;b\n\"\";\"\"\"\"\n", "L1:a|b\nL2:|\"\n");
    /* Line ends inside quotes: the record keeps its starting line, later lines count on. */
    check("a;b\n\"one\ntwo\";\"x\r\ny\"\nlast;z\n", "L1:a|b\nL2:one\ntwo|x\r\ny\nL5:last|z\n");
    check("a;b\n\"q\"\r\n\"r\";\"s\"\r\n", "L1:a|b\nL2:q\nL3:r|s\n");
    /* A quote inside an unquoted field is taken literally. */
    check("a;b\n5\" disk;x\"y\n", "L1:a|b\nL2:5\" disk|x\"y\n");
    /* The closing quote at the end of the input. */
    check("a\n\"x\"", "L1:a\nL2:x\n");
    check("a\n\"x\"\r", "L1:a\nL2:x\n");
}

static void test_bad_quotes_recover(void **state)
{
    (void)state;
    /* Text after a closing quote: that record is refused, the next is read normally. */
    check("a;b\n\"x\"y;2\n3;4\n", "L1:a|b\nL2!csv_quote\nL3:3|4\n");
    check("a;b\n1;\"x\"\ry\n3;4\n", "L1:a|b\nL2!csv_quote\nL3:3|4\n");
    /* A quote left open swallows the rest of the file. */
    check("a;b\n1;2\n\"open;3\n4;5\n", "L1:a|b\nL2:1|2\nL3!csv_quote\n");
}

static void test_blank_lines(void **state)
{
    (void)state;
    check("a;b\n\n1;2\n\r\n\"\"\n", "L1:a|b\nL2~\nL3:1|2\nL4~\nL5:\n");
}

static void test_record_limit(void **state)
{
    (void)state;
    /* A record of exactly the limit is read; one byte more is refused, and reading goes on
     * with the next line (whatever the chunk size, so wherever the buffer ends). */
    size_t lim = APP_CSV_MAX_RECORD;
    size_t n = 4 + (lim + 2) + (lim + 3) + 4 + (lim + 13) + 4 + 2;
    char *in = malloc(n + 1), *p = in;
    assert_non_null(in);
    memcpy(p, "a;b\n", 4), p += 4;
    memset(p, 'x', lim), p += lim; /* exactly the limit, CRLF */
    memcpy(p, "\r\n", 2), p += 2;
    memset(p, 'y', lim + 1), p += lim + 1; /* one byte too many */
    memcpy(p, "\r\n", 2), p += 2;
    memcpy(p, "1;2\n", 4), p += 4;
    *p++ = '"'; /* too long inside quotes, with line ends */
    memset(p, 'z', lim + 8), p += lim + 8;
    p[-100] = '\n';
    *p++ = '"';
    memcpy(p, ";q\n", 3), p += 3;
    memcpy(p, "3;4\n", 4), p += 4;
    *p++ = 'e';
    *p++ = '\n';
    assert_int_equal((size_t)(p - in), n);
    check_sep(in, n, 0,
              "L1:a|b\nL2:<long>\nL3!line_too_long\nL4:1|2\nL5!line_too_long\nL7:3|4\nL8:e\n", ';');
    free(in);

    /* A huge quoted field (far more than the buffer) keeps memory bounded and is refused. */
    size_t big = 3 * APP_CSV_BUFSIZE;
    char *h = malloc(big + 16);
    assert_non_null(h);
    memcpy(h, "a\n\"", 3);
    memset(h + 3, 'w', big);
    memcpy(h + 3 + big, "\"\nok\n", 5);
    struct mem_src m = {h, big + 8, 0, 1 << 20, 0};
    struct app_csv *c = app_csv_new(mem_read, &m, 0);
    assert_non_null(c);
    struct app_csv_record r;
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_string_equal(r.error, "line_too_long");
    assert_int_equal(r.line, 2);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_null(r.error);
    assert_int_equal(r.line, 3);
    assert_string_equal(r.field[0].p, "ok");
    assert_int_equal(app_csv_next(c, &r), APP_CSV_EOF);
    app_csv_free(c);
    free(h);
}

static void test_field_limit(void **state)
{
    (void)state;
    char in[4 * APP_CSV_MAX_FIELDS + 16], *p = in;
    for (int i = 0; i < APP_CSV_MAX_FIELDS; i++)
        *p++ = 'f', *p++ = ';';
    p[-1] = '\n';
    for (int i = 0; i <= APP_CSV_MAX_FIELDS; i++)
        *p++ = 'g', *p++ = ';';
    p[-1] = '\n';
    memcpy(p, "end\n", 4), p += 4;
    struct mem_src m = {in, (size_t)(p - in), 0, 5, 0};
    struct app_csv *c = app_csv_new(mem_read, &m, 0);
    assert_non_null(c);
    struct app_csv_record r;
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_null(r.error);
    assert_int_equal(r.n, APP_CSV_MAX_FIELDS);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_string_equal(r.error, "column_count");
    assert_int_equal(r.n, 0);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_int_equal(r.line, 3);
    assert_string_equal(r.field[0].p, "end");
    app_csv_free(c);
}

static void test_read_error(void **state)
{
    (void)state;
    static const char in[] = "a;b\n1;2\n3;4\n";
    struct mem_src m = {in, sizeof in - 1, 0, 4, 4};
    struct app_csv *c = app_csv_new(mem_read, &m, 0);
    assert_non_null(c);
    struct app_csv_record r;
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    assert_int_equal(app_csv_next(c, &r), APP_CSV_EREAD);
    assert_int_equal(errno, EIO);
    app_csv_free(c);
    app_csv_free(NULL);
}

/* Many records through a mid-sized chunk: line numbers and contents stay right across
 * hundreds of buffer refills. */
static void test_many_records(void **state)
{
    (void)state;
    size_t rows = 200000, cap = rows * 40 + 64, n = 0;
    char *in = malloc(cap);
    assert_non_null(in);
    n += (size_t)snprintf(in, cap, "id,name,note\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)snprintf(in + n, cap - n,
                              i % 7 ? "%zu,n%zu,plain\n" : "%zu,\"n,%zu\",\"a\"\"b\"\n", i, i);
    struct mem_src m = {in, n, 0, 65537, 0};
    struct app_csv *c = app_csv_new(mem_read, &m, 0);
    assert_non_null(c);
    struct app_csv_record r;
    assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(app_csv_next(c, &r), APP_CSV_RECORD);
        assert_null(r.error);
        assert_int_equal(r.line, (long)i + 2);
        assert_int_equal(r.n, 3);
        char want[32];
        snprintf(want, sizeof want, "%zu", i);
        assert_string_equal(r.field[0].p, want);
        snprintf(want, sizeof want, i % 7 ? "n%zu" : "n,%zu", i);
        assert_string_equal(r.field[1].p, want);
        assert_string_equal(r.field[2].p, i % 7 ? "plain" : "a\"b");
    }
    assert_int_equal(app_csv_next(c, &r), APP_CSV_EOF);
    app_csv_free(c);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semicolon_and_comma_detected),
        cmocka_unit_test(test_bom_crlf_and_final_line),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_bad_quotes_recover),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_many_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
