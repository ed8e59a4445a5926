/* eimza — the streaming CSV reader. See csv.h for the contract.
 *
 * The scanner is a small state machine that can stop at the end of the buffer and resume
 * after a refill, so a record is scanned once whatever its position. Field boundaries are
 * kept as offsets from the record's start: when the buffer is compacted (the unfinished
 * record moved to the front before the next read) they stay valid. Quotes are only removed
 * once the whole record has been seen, in place (the unquoted text is never longer).
 *
 * The hot loops are the two "run until a special byte" scans over a 256-entry table: one
 * for unquoted fields (separator, LF) and one for quoted fields (quote, LF).
 */
#include "app/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum csv_state {
    ST_FIELD_START, /* at the first byte of a field */
    ST_UNQUOTED,    /* inside a field that did not start with a quote */
    ST_QUOTED,      /* inside a quoted field */
    ST_QUOTE_SEEN,  /* just after a quote inside a quoted field: "" or the closing one */
    ST_QUOTE_CR,    /* a CR after a closing quote: only LF may follow */
};

struct csv_meta {
    size_t off; /* from the record's start */
    size_t len; /* raw length (quotes not yet undone) */
    bool quoted;
    bool escapes; /* contains doubled quotes to undo */
};

struct app_csv {
    app_csv_read_fn read;
    void *ctx;
    char *buf;
    size_t cap;   /* bytes of buf usable for data (one more is kept for a final NUL) */
    size_t start; /* the current record's first byte */
    size_t pos;   /* the next byte to scan */
    size_t end;   /* bytes held */
    bool eof;
    bool started; /* the byte order mark and the separator have been dealt with */
    char sep;
    uint64_t bytes_read;
    long line; /* physical line of buf[pos] */

    /* the record being scanned */
    enum csv_state state;
    long rec_line;
    size_t foff;     /* current field's start offset */
    size_t qend;     /* offset of the quote that closed the current quoted field */
    bool fesc;       /* the current quoted field has doubled quotes */
    bool discarding; /* too long: bytes are dropped as they are scanned */
    const char *error;
    size_t nf;
    struct csv_meta meta[APP_CSV_MAX_FIELDS];
    struct app_csv_field out[APP_CSV_MAX_FIELDS];
    unsigned char stop_unq[256]; /* bytes that end an unquoted run: separator, LF */
    unsigned char stop_q[256];   /* bytes that end a quoted run: quote, LF */
};

ssize_t app_csv_read_fd(void *ctx, void *buf, size_t n)
{
    int fd = *(const int *)ctx;
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

ssize_t app_csv_mem_read(void *ctx, void *buf, size_t n)
{
    struct app_csv_mem *m = ctx;
    size_t k = m->len - m->off < n ? m->len - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

struct app_csv *app_csv_new(app_csv_read_fn read, void *ctx, char sep)
{
    struct app_csv *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->buf = malloc(APP_CSV_BUFSIZE + 1);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    c->read = read;
    c->ctx = ctx;
    c->cap = APP_CSV_BUFSIZE;
    c->sep = (sep == ';' || sep == ',') ? sep : 0;
    c->line = 1;
    c->stop_q['"'] = 1;
    c->stop_q['\n'] = 1;
    return c;
}

void app_csv_free(struct app_csv *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c);
}

char app_csv_separator(const struct app_csv *c)
{
    return c->started ? c->sep : 0;
}

uint64_t app_csv_bytes_read(const struct app_csv *c)
{
    return c->bytes_read;
}

/* Reads once into the free space after end. Returns 0 (possibly with eof now set) or -1. */
static int csv_read(struct app_csv *c)
{
    if (c->end >= c->cap)
        return 0;
    ssize_t r = c->read(c->ctx, c->buf + c->end, c->cap - c->end);
    if (r < 0)
        return -1;
    if (r == 0)
        c->eof = true;
    c->end += (size_t)r;
    c->bytes_read += (uint64_t)r;
    return 0;
}

/* Called when every held byte has been scanned: moves the unfinished record to the front of
 * the buffer and reads more. A record that has already outgrown the limit is not kept: its
 * bytes are dropped and the rest of it is scanned only to find where it ends. */
static int csv_refill(struct app_csv *c)
{
    /* +1: a CR held at the end may turn out to be part of the line end. */
    if (!c->discarding && c->end - c->start > (size_t)APP_CSV_MAX_RECORD + 1) {
        c->discarding = true;
        if (!c->error)
            c->error = "line_too_long";
    }
    if (c->discarding)
        c->start = c->end;
    if (c->start > 0) {
        size_t keep = c->end - c->start;
        memmove(c->buf, c->buf + c->start, keep);
        c->pos -= c->start;
        c->end = keep;
        c->start = 0;
    }
    return csv_read(c);
}

/* The first call: skips a UTF-8 byte order mark and settles the separator by looking at the
 * first line (up to the limit of one record). */
static int csv_start(struct app_csv *c)
{
    while (c->end < 3 && !c->eof)
        if (csv_read(c) < 0)
            return -1;
    if (c->end >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
        c->start = c->pos = 3;
    if (!c->sep) {
        size_t i = c->pos, semi = 0, comma = 0;
        bool inq = false;
        for (;;) {
            for (; i < c->end; i++) {
                char ch = c->buf[i];
                if (ch == '"')
                    inq = !inq;
                else if (inq)
                    continue;
                else if (ch == '\n')
                    goto found;
                else if (ch == ';')
                    semi++;
                else if (ch == ',')
                    comma++;
            }
            if (c->eof || c->end - c->start > (size_t)APP_CSV_MAX_RECORD + 1)
                break;
            if (csv_read(c) < 0)
                return -1;
        }
    found:
        c->sep = comma > semi ? ',' : ';';
    }
    c->stop_unq[(unsigned char)c->sep] = 1;
    c->stop_unq['\n'] = 1;
    c->started = true;
    return 0;
}

static void csv_add_field(struct app_csv *c, size_t len, bool quoted)
{
    if (c->discarding || c->error)
        return;
    if (c->nf == APP_CSV_MAX_FIELDS) {
        c->error = "column_count";
        return;
    }
    struct csv_meta *m = &c->meta[c->nf++];
    m->off = c->foff;
    m->len = len;
    m->quoted = quoted;
    m->escapes = quoted && c->fesc;
}

/* Ends an unquoted field whose text runs up to buf[at] (exclusive). A CR just before the
 * line end belongs to the line end. */
static void csv_end_unquoted(struct app_csv *c, size_t at, bool at_line_end)
{
    if (c->discarding || c->error)
        return;
    size_t len = at - c->start - c->foff;
    if (at_line_end && len > 0 && c->buf[at - 1] == '\r')
        len--;
    csv_add_field(c, len, false);
}

/* Undoes the doubled quotes of s[0..n) in place; returns the new length. */
static size_t csv_unescape(char *s, size_t n)
{
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        s[w++] = s[r];
        if (s[r] == '"' && r + 1 < n && s[r + 1] == '"')
            r++;
    }
    return w;
}

/* The record is complete; the line end (if any) starts at buf[at]. Fills rec. */
static void csv_finish(struct app_csv *c, size_t at, struct app_csv_record *rec)
{
    rec->line = c->rec_line;
    rec->blank = false;
    rec->field = c->out;
    rec->n = 0;
    if (!c->error) {
        size_t content = at - c->start;
        if (content > 0 && c->buf[at - 1] == '\r')
            content--;
        if (content > APP_CSV_MAX_RECORD)
            c->error = "line_too_long";
    }
    rec->error = c->error;
    if (c->error)
        return;
    char *base = c->buf + c->start;
    for (size_t i = 0; i < c->nf; i++) {
        const struct csv_meta *m = &c->meta[i];
        char *p = base + m->off;
        size_t n = m->escapes ? csv_unescape(p, m->len) : m->len;
        p[n] = '\0'; /* over a separator, quote or line end already scanned (or the spare) */
        c->out[i].p = p;
        c->out[i].n = n;
    }
    rec->n = c->nf;
    rec->blank = c->nf == 1 && c->out[0].n == 0 && !c->meta[0].quoted;
}

enum app_csv_status app_csv_next(struct app_csv *c, struct app_csv_record *rec)
{
    if (!c->started && csv_start(c) < 0)
        return APP_CSV_EREAD;

    /* A new record starts here. */
    c->start = c->pos;
    if (c->pos == c->end && !c->eof && csv_refill(c) < 0)
        return APP_CSV_EREAD;
    if (c->pos == c->end && c->eof)
        return APP_CSV_EOF;
    c->state = ST_FIELD_START;
    c->rec_line = c->line;
    c->nf = 0;
    c->error = NULL;
    c->discarding = false;

    const char sep = c->sep;
    for (;;) {
        if (c->pos == c->end) {
            if (!c->eof && csv_refill(c) < 0)
                return APP_CSV_EREAD;
            if (c->pos == c->end && c->eof)
                break;
            continue;
        }
        const unsigned char *b = (const unsigned char *)c->buf;
        switch (c->state) {
        case ST_FIELD_START:
            if (b[c->pos] == '"') {
                c->pos++;
                c->foff = c->pos - c->start;
                c->fesc = false;
                c->state = ST_QUOTED;
            } else {
                c->foff = c->pos - c->start;
                c->state = ST_UNQUOTED;
            }
            break;
        case ST_UNQUOTED: {
            const unsigned char *q = b + c->pos, *e = b + c->end;
            while (q < e && !c->stop_unq[*q])
                q++;
            c->pos = (size_t)(q - b);
            if (q == e)
                break;
            c->pos++;
            if (*q == (unsigned char)sep) {
                csv_end_unquoted(c, c->pos - 1, false);
                c->state = ST_FIELD_START;
                break;
            }
            csv_end_unquoted(c, c->pos - 1, true); /* LF */
            csv_finish(c, c->pos - 1, rec);
            c->line++;
            return APP_CSV_RECORD;
        }
        case ST_QUOTED: {
            const unsigned char *q = b + c->pos, *e = b + c->end;
            for (;;) {
                while (q < e && !c->stop_q[*q])
                    q++;
                if (q == e || *q == '"')
                    break;
                c->line++; /* a line end inside the quotes */
                q++;
            }
            c->pos = (size_t)(q - b);
            if (q == e)
                break;
            c->qend = c->pos - c->start;
            c->pos++;
            c->state = ST_QUOTE_SEEN;
            break;
        }
        case ST_QUOTE_SEEN: {
            unsigned char ch = b[c->pos];
            if (ch == '"') { /* a doubled quote: one literal quote */
                c->pos++;
                c->fesc = true;
                c->state = ST_QUOTED;
            } else if (ch == (unsigned char)sep) {
                c->pos++;
                csv_add_field(c, c->qend - c->foff, true);
                c->state = ST_FIELD_START;
            } else if (ch == '\n') {
                c->pos++;
                csv_add_field(c, c->qend - c->foff, true);
                csv_finish(c, c->pos - 1, rec);
                c->line++;
                return APP_CSV_RECORD;
            } else if (ch == '\r') {
                c->pos++;
                c->state = ST_QUOTE_CR;
            } else { /* text after the closing quote: scan on to the record's end */
                if (!c->error)
                    c->error = "csv_quote";
                c->state = ST_UNQUOTED;
            }
            break;
        }
        case ST_QUOTE_CR:
            if (b[c->pos] == '\n') {
                c->pos++;
                csv_add_field(c, c->qend - c->foff, true);
                csv_finish(c, c->pos - 1, rec);
                c->line++;
                return APP_CSV_RECORD;
            }
            if (!c->error)
                c->error = "csv_quote";
            c->state = ST_UNQUOTED;
            break;
        }
    }

    /* The input ended inside the record. */
    switch (c->state) {
    case ST_FIELD_START: /* after a separator: one more, empty field */
        c->foff = c->pos - c->start;
        csv_add_field(c, 0, false);
        break;
    case ST_UNQUOTED:
        csv_end_unquoted(c, c->pos, true);
        break;
    case ST_QUOTED:
        if (!c->error)
            c->error = "csv_quote"; /* a quote left open */
        break;
    case ST_QUOTE_SEEN:
    case ST_QUOTE_CR:
        csv_add_field(c, c->qend - c->foff, true);
        break;
    }
    csv_finish(c, c->pos, rec);
    return APP_CSV_RECORD;
}
