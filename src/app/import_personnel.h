/* eimza — importing the personnel file (app/: the use case behind `eimza import personnel`;
 * the file format is docs/INTERFACES.md "Personnel file").
 *
 * The file is streamed (app/csv.h): memory does not grow with its size. Every row is checked
 * field by field (core_personnel_set); a row with any bad field is refused whole and each of
 * its bad fields is reported through the hooks. The good rows go to the database in ONE
 * transaction, so a failure half-way (a read error, the database) leaves it as it was. After
 * the commit one audit entry records the counts.
 *
 * Reason codes reported here besides core_personnel_set's: "column_count" (a row with another
 * number of fields than the header), "not_utf8" (a value that is not UTF-8 text, or holds a
 * NUL byte), "line_too_long", "csv_quote" (see app/csv.h); file-level codes: "missing_column",
 * "duplicate_column", and the three above for the header line.
 */
#ifndef EIMZA_APP_IMPORT_PERSONNEL_H
#define EIMZA_APP_IMPORT_PERSONNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* What the caller is told while the import runs; any hook may be NULL. The strings are valid
 * only during the call. No hook ever receives a value from a row (personal data), only line
 * numbers, column names and codes. The hooks are never called concurrently: `ignored` runs on
 * the calling thread while the header is read, `reject` and `progress` then on the import's
 * reader thread (see import_personnel.c). */
struct app_import_hooks {
    void *ctx;
    /* A refused row: called once per bad field (field is its header name), or once for the
     * whole row (field NULL) when the row cannot be read field by field. detail is NULL or a
     * short English note ("13 fields, the header has 16"). */
    void (*reject)(void *ctx, long line, const char *field, const char *code, const char *detail);
    /* A header column that is not one of the personnel file's; it is ignored. Once each. */
    void (*ignored)(void *ctx, const char *column);
    /* Every few thousand rows: input bytes read so far, the file's size (0 if unknown), data
     * rows read. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, long rows);
    /* The audit entry's actor and object (NULL: "cli" and the file's name): the admins' page
     * imports as "staff:NAME" a file it names itself (issue 17). */
    const char *actor, *object;
};

enum app_import_err {
    APP_IMPORT_OK = 0,  /* every row imported */
    APP_IMPORT_PARTIAL, /* some rows refused; the others imported */
    APP_IMPORT_EFILE,   /* the file cannot be read or is not a valid personnel file: nothing
                           was imported */
    APP_IMPORT_ESTORE,  /* the database failed: nothing was imported */
    APP_IMPORT_EAUDIT,  /* the rows were imported, but writing the audit entry failed */
    APP_IMPORT_ENOMEM,
};

struct app_import_result {
    long rows;                    /* data rows read (blank lines are not rows) */
    long rejected;                /* rows refused */
    struct store_import_stats st; /* what the database made of the accepted rows */
    bool empty;                   /* the file held no header line at all */
    const char *code;             /* on APP_IMPORT_EFILE: the reason code ("file_unreadable"
                                   * when the file cannot be opened or read) */
    char detail[512];             /* on failure: what went wrong (English, no personal data) */
};

/* Imports the personnel file at path into s (whose schema is current). now (Unix seconds) is
 * the audit entry's time. Fills *res in every case. */
enum app_import_err app_import_personnel(struct store *s, const char *path, int64_t now,
                                         const struct app_import_hooks *hooks,
                                         struct app_import_result *res);

#endif
