/* Unit tests for app/card_file.c: the card bureau's answer file and a carrier's shipments file
 * read and checked without a database — what a row may hold (finding 7 of issue 19: no control,
 * bidirectional or invisible characters in words the holder reads; the regression inputs of
 * fuzz_shipments and fuzz_bureau), what a field too long for the reader's copy gives, and the
 * order of the answers. What the rows then do to applications: tests/integration/
 * test_card_flow.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/card_file.h"

struct mem {
    const char *p;
    size_t len, off;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
    struct mem *m = ctx;
    size_t k = m->len - m->off < n ? m->len - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

/* What the reader answers for each row of text (len bytes), as "ROW" or "FIELD:CODE", one per
 * line. */
static void answers_n(enum app_cardfile_kind kind, const char *text, size_t len, char *out,
                      size_t cap, struct app_cardfile_row *last)
{
    struct mem m = {text, len, 0};
    struct app_cardfile *f = app_cardfile_new(kind, mem_read, &m);
    assert_non_null(f);
    struct app_cardfile_row row;
    struct app_file_refusal why;
    enum app_cardfile_status st;
    size_t n = 0;
    out[0] = '\0';
    while ((st = app_cardfile_next(f, &row, &why)) != APP_CARDFILE_EOF) {
        assert_int_not_equal(st, APP_CARDFILE_EREAD);
        if (st == APP_CARDFILE_ROW) {
            n += (size_t)snprintf(out + n, cap - n, "%ld ROW\n", row.line);
            if (last)
                *last = row;
        } else {
            n += (size_t)snprintf(out + n, cap - n, "%ld %s%s:%s\n", why.line,
                                  st == APP_CARDFILE_HEADER_REFUSED ? "header " : "", why.field,
                                  why.code);
        }
        assert_true(n < cap);
    }
    app_cardfile_free(f);
}

static void answers(enum app_cardfile_kind kind, const char *text, char *out, size_t cap,
                    struct app_cardfile_row *last)
{
    answers_n(kind, text, strlen(text), out, cap, last);
}

static void test_shipments_characters(void **state)
{
    (void)state;
    char out[1024];
    answers(APP_CARDFILE_SHIPMENTS,
            "application_number;carrier;tracking_number\n"
            "2026A7K3M9;PTT Kargo;KP0001\n" /* 2 */
            "2026A7K3M9;PTT \xE2\x80\xAE"
            "ograK;KP0002\n"                             /* 3: right-to-left override */
            "2026A7K3M9;  \xE2\x80\x8B;K\n"              /* 4: fuzz_shipments' find: U+200B */
            "2026A7K3M9;Aras;KP\x01\n"                   /* 5: a control character */
            "2026A7K3M9;Aras;\xEF\xBB\xBFKP\n"           /* 6: a BOM inside */
            "2026A7K3M9;Aras;KP\xC3\x28\n"               /* 7: not UTF-8 */
            "2026a7k3m9; Yurtiçi\tKargo ;\xC2\xA0KP3\n", /* 8: folded, trimmed: fine */
            out, sizeof out, NULL);
    assert_string_equal(out, "2 ROW\n"
                             "3 carrier:bidi_character\n"
                             "4 carrier:bidi_character\n"
                             "5 tracking_number:control_character\n"
                             "6 tracking_number:bidi_character\n"
                             "7 tracking_number:not_utf8\n"
                             "8 ROW\n");
}

static void test_answer_characters(void **state)
{
    (void)state;
    char out[1024];
    struct app_cardfile_row row;
    answers(APP_CARDFILE_ANSWER,
            "application_number;result;card_serial;reason\n"
            "2026A7K3M9;produced;\xE2\x80\xAE"
            "AKIS;\n"                                          /* 2: the bureau seed's find */
            "2026A7K3M9;refused;;\x01kontrol\n"                /* 3 */
            "2026A7K3M9;refused;;Ad \xE2\x81\xA6uyuşmuyor\n"   /* 4: an isolate */
            "2026A7K3M9;refused;;\x7f\n"                       /* 5: DEL */
            "2026A7K3M9;refused;;\"iki\r\nsatır\tgerekçe\"\n", /* 6: breaks are fine */
            out, sizeof out, &row);
    assert_string_equal(out, "2 card_serial:bidi_character\n"
                             "3 reason:control_character\n"
                             "4 reason:bidi_character\n"
                             "5 reason:control_character\n"
                             "6 ROW\n");
    assert_string_equal(row.result, "refused");
    assert_string_equal(row.reason, "iki\r\nsatır\tgerekçe");
}

/* A field longer than the reader's copy is too long, whatever its end would have said: before,
 * a carrier of "A", 3,000 blanks and "B" was cut to "A" and blanks and taken as "A". */
static void test_too_long(void **state)
{
    (void)state;
    size_t cap = 16384;
    char *text = malloc(cap), out[512];
    assert_non_null(text);
    int n = snprintf(text, cap, "application_number;carrier;tracking_number\n2026A7K3M9;A");
    memset(text + n, ' ', 3000);
    snprintf(text + n + 3000, cap - (size_t)n - 3000, "B;KP1\n2026A7K3M9;%s;KP2\n",
             "şşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşş"); /* 34 letters, 68 bytes */
    answers(APP_CARDFILE_SHIPMENTS, text, out, sizeof out, NULL);
    assert_string_equal(out, "2 carrier:too_long\n3 carrier:too_long\n");

    /* a reason: 1..500 characters that fit the store's 511 bytes (store.h's
     * STORE_CLOSED_REASON_MAX); nor 2,100 bytes cut short */
    n = snprintf(text, cap, "application_number;result;reason\n2026A7K3M9;refused;");
    for (int i = 0; i < 255; i++)
        n += snprintf(text + n, cap - (size_t)n, "ğ"); /* 510 bytes */
    n += snprintf(text + n, cap - (size_t)n, "\n2026A7K3M9;refused;");
    for (int i = 0; i < 501; i++)
        n += snprintf(text + n, cap - (size_t)n, "a");
    n += snprintf(text + n, cap - (size_t)n, "\n2026A7K3M9;refused;");
    for (int i = 0; i < 256; i++)
        n += snprintf(text + n, cap - (size_t)n, "ğ"); /* 512 bytes */
    n += snprintf(text + n, cap - (size_t)n, "\n2026A7K3M9;refused;");
    for (int i = 0; i < 700; i++)
        n += snprintf(text + n, cap - (size_t)n, "ğ"); /* 1,400 bytes + ... */
    for (int i = 0; i < 700; i++)
        n += snprintf(text + n, cap - (size_t)n, "a"); /* ... = 2,100: past the copy */
    snprintf(text + n, cap - (size_t)n, "\n");
    answers(APP_CARDFILE_ANSWER, text, out, sizeof out, NULL);
    assert_string_equal(out, "2 ROW\n3 reason:too_long\n4 reason:too_long\n5 reason:too_long\n");
    free(text);
}

static void test_rows_and_header(void **state)
{
    (void)state;
    char out[1024];
    struct app_cardfile_row row;
    answers(APP_CARDFILE_ANSWER,
            "\xEF\xBB\xBF Application_Number ,RESULT,card_serial,carrier,tracking_number\r\n"
            "2026A7K3M9,producedX,AK1,,\r\n"    /* 2: not a result */
            "2026A7K3M,produced,AK1,,\r\n"      /* 3: nine characters */
            "2026A7K3MU,produced,AK1,,\r\n"     /* 4: U is not Crockford's */
            ",produced,AK1,,\r\n"               /* 5 */
            "\r\n"                              /* blank: skipped */
            "2026A7K3M9,produced,AK1,Aras,\r\n" /* 7: half a shipment */
            "2026A7K3M9,\"open\r\n"             /* 8: a quote left open */
            ,
            out, sizeof out, &row);
    assert_string_equal(out, "2 result:answer_unknown\n"
                             "3 application_number:application_unknown\n"
                             "4 application_number:application_unknown\n"
                             "5 application_number:required\n"
                             "7 tracking_number:required\n"
                             "8 :csv_quote\n");
    answers(APP_CARDFILE_ANSWER,
            "application_number;result;card_serial;carrier;tracking_number\n"
            "2026a7k3m9;PRODUCED; AK1 ;Aras;A-1\n",
            out, sizeof out, &row);
    assert_string_equal(out, "2 ROW\n");
    assert_string_equal(row.number, "2026A7K3M9");
    assert_string_equal(row.result, "produced");
    assert_string_equal(row.serial, "AK1");
    assert_string_equal(row.carrier, "Aras");
    assert_string_equal(row.tracking, "A-1");

    /* a header without its columns refuses the file; nothing after it is read */
    answers(APP_CARDFILE_SHIPMENTS, "application_number;carrier\n2026A7K3M9;PTT\n", out, sizeof out,
            NULL);
    assert_string_equal(out, "1 header tracking_number:column_missing\n");
    answers(APP_CARDFILE_ANSWER, "\"application_number;result\n", out, sizeof out, NULL);
    assert_string_equal(out, "1 header :csv_quote\n");
    answers(APP_CARDFILE_ANSWER, "", out, sizeof out, NULL);
    assert_string_equal(out, "");
}

/* fuzz_bureau's finds: a NUL byte in a field ended the copy early, so "PTT\0..." was taken
 * for "PTT" (now refused), and a refused row kept the shipment it named (now dropped). */
static void test_nul_and_refused_shipment(void **state)
{
    (void)state;
    char out[512];
    struct app_cardfile_row row;
    static const char ship[] = "application_number;carrier;tracking_number\n"
                               "2026A7K3M9;PTT\0 Kargo;KP1\n"
                               "2026A7K3M9\0X;PTT;KP1\n";
    answers_n(APP_CARDFILE_SHIPMENTS, ship, sizeof ship - 1, out, sizeof out, NULL);
    assert_string_equal(out,
                        "2 carrier:control_character\n3 application_number:application_unknown\n");
    static const char answer[] =
        "application_number;result;card_serial;carrier;tracking_number;reason\n"
        "2026A7K3M9;refused;;;;Fotoğraf \0okunamadı\n"
        "2026A7K3M9;produced\0;AK1;;;\n"
        "2026A7K3M9;refused;AK1;Aras;A-1;Fotoğraf okunamadı\n";
    answers_n(APP_CARDFILE_ANSWER, answer, sizeof answer - 1, out, sizeof out, &row);
    assert_string_equal(out, "2 reason:control_character\n3 result:answer_unknown\n4 ROW\n");
    assert_string_equal(row.reason, "Fotoğraf okunamadı");
    assert_string_equal(row.carrier, "");
    assert_string_equal(row.tracking, "");
    assert_string_equal(row.serial, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipments_characters),
        cmocka_unit_test(test_answer_characters),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_rows_and_header),
        cmocka_unit_test(test_nul_and_refused_shipment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
