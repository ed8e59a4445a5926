/* eimza — the body shared by the libFuzzer drivers of the files that come back after approval
 * (fuzz_bureau.c: the card bureau's answer file; fuzz_shipments.c: a carrier's shipments file),
 * which read them through app/card_file.c as `eimza bureau import` and `eimza shipments import`
 * do, without a database.
 *
 * The input's first byte is the read callback's chunk size (1..31 bytes, 0: as much as the
 * reader asks), so records straddle the reader's buffer refills in every way; the rest is the
 * file. Besides the sanitizers, the driver checks the reader's promises: lines go forward; a
 * checked row holds only NUL-terminated, trimmed, valid UTF-8 without control or
 * bidirectional characters (line breaks and tabs in a reason), a well-formed application
 * number and the fields its kind needs; every refusal names a catalogued reason code; a
 * refused header ends the file; the whole input is read otherwise. */
#ifndef EIMZA_FUZZ_CARDFILE_H
#define EIMZA_FUZZ_CARDFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "app/card_file.h"
#include "core/reason.h"
#include "core/trtext.h"

struct fuzz_feed {
    const uint8_t *p;
    size_t n, chunk;
};

static ssize_t fuzz_feed_read(void *ctx, void *buf, size_t n)
{
    struct fuzz_feed *f = ctx;
    size_t k = f->n < n ? f->n : n;
    if (f->chunk && k > f->chunk)
        k = f->chunk;
    memcpy(buf, f->p, k);
    f->p += k;
    f->n -= k;
    return (ssize_t)k;
}

/* A promise broken: said (which one, for the finding's report), then abort() for libFuzzer. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "cardfile.h:%d: broken: %s\n", __LINE__, #cond);                       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A text of a checked row: ends inside its array, trimmed, clean; empty only when allowed. */
static void fuzz_text(const char *s, size_t cap, unsigned flags, int may_be_empty)
{
    const char *end = memchr(s, '\0', cap);
    FUZZ_CHECK(end != NULL);
    size_t n = (size_t)(end - s);
    FUZZ_CHECK(n || may_be_empty);
    if (!n)
        return;
    FUZZ_CHECK(core_text_check(s, n, flags) == CORE_TEXT_OK);
    FUZZ_CHECK(s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t');
}

static void fuzz_row(enum app_cardfile_kind kind, const struct app_cardfile_row *r)
{
    FUZZ_CHECK(r->number[APP_NUMBER_LEN] == '\0' && strlen(r->number) == APP_NUMBER_LEN);
    FUZZ_CHECK(strspn(r->number, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") == APP_NUMBER_LEN);
    fuzz_text(r->result, sizeof r->result, 0, 1);
    fuzz_text(r->serial, sizeof r->serial, 0, 1);
    fuzz_text(r->carrier, sizeof r->carrier, 0, 1);
    fuzz_text(r->tracking, sizeof r->tracking, 0, 1);
    fuzz_text(r->reason, sizeof r->reason, CORE_TEXT_BREAKS, 1);
    FUZZ_CHECK(!r->carrier[0] == !r->tracking[0]); /* a shipment names both */
    if (kind == APP_CARDFILE_SHIPMENTS) {
        FUZZ_CHECK(r->carrier[0] && !r->result[0] && !r->serial[0] && !r->reason[0]);
    } else if (!strcmp(r->result, "produced")) {
        FUZZ_CHECK(r->serial[0] && !r->reason[0]);
    } else {
        FUZZ_CHECK(!strcmp(r->result, "refused"));
        FUZZ_CHECK(r->reason[0] && !r->serial[0] && !r->carrier[0]);
    }
}

static int fuzz_cardfile(enum app_cardfile_kind kind, const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct fuzz_feed feed = {data + 1, size - 1, data[0] & 31u};
    struct app_cardfile *f = app_cardfile_new(kind, fuzz_feed_read, &feed);
    if (!f)
        return 0;
    struct app_cardfile_row row;
    struct app_file_refusal why;
    enum app_cardfile_status st;
    long last = 1; /* the header's line */
    int first = 1, header_refused = 0;
    while ((st = app_cardfile_next(f, &row, &why)) != APP_CARDFILE_EOF) {
        FUZZ_CHECK(st != APP_CARDFILE_EREAD); /* the callback never fails */
        FUZZ_CHECK(!header_refused);          /* nothing after a refused header */
        if (st == APP_CARDFILE_HEADER_REFUSED) {
            FUZZ_CHECK(first && why.line >= 1);
            header_refused = 1;
        }
        if (st != APP_CARDFILE_ROW) {
            FUZZ_CHECK(why.field && why.code && core_reason_known(why.code));
            FUZZ_CHECK(st == APP_CARDFILE_HEADER_REFUSED || why.line > last);
            if (st == APP_CARDFILE_REFUSED)
                last = why.line;
        } else {
            FUZZ_CHECK(row.line > last);
            last = row.line;
            fuzz_row(kind, &row);
        }
        first = 0;
    }
    FUZZ_CHECK(header_refused || app_cardfile_bytes_read(f) == size - 1);
    FUZZ_CHECK(app_cardfile_next(f, &row, &why) == APP_CARDFILE_EOF); /* and stays there */
    app_cardfile_free(f);
    return 0;
}

#endif
