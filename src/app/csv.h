/* eimza — a streaming CSV reader (app/) for the files operators bring in (the personnel
 * export). RFC 4180 with the leniencies real exports need: ';' or ',' separators (detected
 * from the header line), an optional UTF-8 byte order mark, CRLF or LF line ends, quoted
 * fields holding separators, doubled quotes and newlines.
 *
 * Memory is fixed whatever the input size: bytes are read through a callback into one buffer
 * of APP_CSV_BUFSIZE bytes and records are handed out as slices into it, so a record lives
 * only until the next call. A record longer than APP_CSV_MAX_RECORD bytes is skipped without
 * being held and reported as "line_too_long". The reader does not look at the encoding of
 * the bytes: checking UTF-8 is the caller's job, field by field.
 */
#ifndef EIMZA_APP_CSV_H
#define EIMZA_APP_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define APP_CSV_MAX_RECORD (64 * 1024) /* bytes of one record, its line ends excluded */
#define APP_CSV_MAX_FIELDS 256
#define APP_CSV_BUFSIZE    (APP_CSV_MAX_RECORD + 256 * 1024)

/* Reads up to n bytes into buf. Returns the count, 0 at the end of the input, or -1 on an
 * error (errno set). */
typedef ssize_t (*app_csv_read_fn)(void *ctx, void *buf, size_t n);

/* A read callback over bytes already in memory (a file sent as a request's body): pass
 * app_csv_mem_read with a struct app_csv_mem {p, len, 0} as its ctx. */
struct app_csv_mem {
    const char *p;
    size_t len, off;
};
ssize_t app_csv_mem_read(void *ctx, void *buf, size_t n);

struct app_csv;

/* One field: p points into the reader's buffer and is NUL-terminated (p[n] == '\0'); quotes
 * are already removed and doubled quotes undone. */
struct app_csv_field {
    const char *p;
    size_t n;
};

/* One record. Valid until the next app_csv_next() or app_csv_free(). */
struct app_csv_record {
    const struct app_csv_field *field;
    size_t n;   /* number of fields (0 when error is set) */
    long line;  /* physical line (1-based) where the record starts */
    bool blank; /* the line was empty (n == 1, field[0] empty and unquoted) */
    /* NULL, or the reason code of a record that could not be read as CSV: "line_too_long"
     * (longer than APP_CSV_MAX_RECORD), "csv_quote" (text after a closing quote, or a quote
     * left open at the end of the file), "column_count" (more than APP_CSV_MAX_FIELDS). The
     * reader has skipped to the record's end, so the next call goes on with the next one. */
    const char *error;
};

enum app_csv_status {
    APP_CSV_RECORD = 0, /* *rec holds the next record (which may carry an error code) */
    APP_CSV_EOF,        /* no more records */
    APP_CSV_EREAD,      /* the read callback failed (errno as it left it) */
};

/* Creates a reader over read(ctx, ...). sep is ';' or ',', or 0 to detect it from the first
 * line: whichever of the two appears there outside quotes (the more frequent if both do; ';'
 * if neither). Returns NULL when memory runs out. Ownership: the caller frees with
 * app_csv_free(); ctx stays the caller's. */
struct app_csv *app_csv_new(app_csv_read_fn read, void *ctx, char sep);
void app_csv_free(struct app_csv *c);

enum app_csv_status app_csv_next(struct app_csv *c, struct app_csv_record *rec);

/* The separator in use (0 before the first record when detecting), and the number of input
 * bytes taken from the callback so far (for progress reports). */
char app_csv_separator(const struct app_csv *c);
uint64_t app_csv_bytes_read(const struct app_csv *c);

/* A read callback over a file descriptor (ctx points to the int), retrying on EINTR. */
ssize_t app_csv_read_fd(void *ctx, void *buf, size_t n);

#endif
