/* eimza — reading the files that come back after approval (app/): the card bureau's answer
 * file and a carrier's shipments file, row by row, checked, without touching the store. What
 * a checked row then does to its application is app/flow_files.c's part (card_flow.h:
 * app_bureau_import, app_shipments_import); this half is kept apart so that it can be fuzzed
 * on its own (tests/fuzz/fuzz_bureau.c, fuzz_shipments.c).
 *
 * Both files are CSV read with app/csv.c: a header row naming the columns (ASCII case and
 * blanks around a name ignored, a UTF-8 BOM allowed), ';' or ',' detected, RFC 4180 quoting.
 *   answer      application_number, result (produced | refused), card_serial, carrier,
 *               tracking_number, reason
 *   shipments   application_number, carrier, tracking_number
 * Blank lines are skipped. Every other data row is handed out either checked (APP_CARDFILE_ROW)
 * or refused with its line, its column and a reason code of core/reason.c
 * (APP_CARDFILE_REFUSED); the next row follows either way. A header without a required
 * column, or that cannot be read as CSV, refuses the whole file (APP_CARDFILE_HEADER_REFUSED,
 * then APP_CARDFILE_EOF). */
#ifndef EIMZA_APP_CARD_FILE_H
#define EIMZA_APP_CARD_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "app/card_flow.h"
#include "app/csv.h"
#include "app/portal.h"
#include "store/store.h"

enum app_cardfile_kind {
    APP_CARDFILE_ANSWER = 0, /* the card bureau's answer */
    APP_CARDFILE_SHIPMENTS,  /* a carrier's shipments */
};

/* A checked data row. Every text is NUL-terminated in its array, trimmed of blanks, valid
 * UTF-8 without control or bidirectional characters (core_text_check; the reason may hold line
 * breaks and tabs); "" when it does not apply. */
struct app_cardfile_row {
    long line;                            /* where the record starts (the header is line 1) */
    char number[APP_NUMBER_LEN + 1];      /* Crockford base32, upper case */
    char result[16];                      /* answer: "produced" or "refused"; shipments: "" */
    char serial[STORE_CARD_SERIAL_MAX];   /* produced: the card's serial (1..63 bytes) */
    char carrier[STORE_CARRIER_MAX];      /* shipments, or a produced card handed over: both */
    char tracking[STORE_TRACKING_MAX];    /* set, 1..63 bytes each; "" otherwise (a refused row's
                                           * are checked, then dropped) */
    char reason[STORE_CLOSED_REASON_MAX]; /* refused: 1..500 characters */
};

enum app_cardfile_status {
    APP_CARDFILE_ROW = 0,        /* *row holds the next checked row */
    APP_CARDFILE_REFUSED,        /* a data row refused: *refusal says where and why */
    APP_CARDFILE_HEADER_REFUSED, /* the header refused (*refusal); nothing more is read */
    APP_CARDFILE_EOF,            /* no more rows */
    APP_CARDFILE_EREAD,          /* the read callback failed (file_unreadable) */
};

struct app_cardfile;

/* A reader of a file of kind over read(rctx, ...) (as app_csv_new). NULL when memory runs
 * out. Ownership: the caller frees with app_cardfile_free(); rctx stays the caller's. */
struct app_cardfile *app_cardfile_new(enum app_cardfile_kind kind, app_csv_read_fn read,
                                      void *rctx);
void app_cardfile_free(struct app_cardfile *f);

/* The next row. On APP_CARDFILE_REFUSED and _HEADER_REFUSED *refusal points to static text
 * (the field is a column's name, or "" for the whole row). */
enum app_cardfile_status app_cardfile_next(struct app_cardfile *f, struct app_cardfile_row *row,
                                           struct app_file_refusal *refusal);

/* Input bytes taken from the callback so far. */
uint64_t app_cardfile_bytes_read(const struct app_cardfile *f);

#endif
