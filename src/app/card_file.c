/* eimza — the card bureau's answer file and a carrier's shipments file, read and checked row by
 * row without the store (app/card_file.h). */
#include "app/card_file.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/flow_int.h"

#define COL_NONE (-1)

struct app_cardfile {
    enum app_cardfile_kind kind;
    struct app_csv *csv;
    bool header, done;
    /* the columns found in the header */
    int number, result, serial, carrier, tracking, reason;
};

/* A field's bytes as read: at most this many are looked at (four bytes for each of the
 * longest text's characters); a longer field is too long whatever it holds. */
#define FIELD_CAP (STORE_CLOSED_REASON_MAX * 4)

/* A field of the record, trimmed of blanks, copied into out[FIELD_CAP]; "" when the column is
 * missing or the row is short. *bad (may be NULL) gets NULL, or why the copy is not the field:
 * "too_long" (it did not fit) or "control_character" (a NUL byte, which would end the copy
 * early: "PTT\0..." must not be taken for "PTT"). */
static const char *field(const struct app_csv_record *rec, int col, char out[FIELD_CAP],
                         const char **bad)
{
    out[0] = '\0';
    if (bad)
        *bad = NULL;
    if (col < 0 || (size_t)col >= rec->n)
        return out;
    const char *p = rec->field[col].p;
    size_t n = rec->field[col].n;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (n >= FIELD_CAP) {
        n = FIELD_CAP - 1;
        if (bad)
            *bad = "too_long";
    } else if (memchr(p, '\0', n) && bad) {
        *bad = "control_character";
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* The header's column named name (ASCII case ignored, a BOM and blanks around it allowed). */
static int column(const struct app_csv_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n; i++) {
        const char *p = rec->field[i].p;
        size_t n = rec->field[i].n;
        if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3, n -= 3;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            n--;
        if (n == strlen(name) && !strncasecmp(p, name, n))
            return (int)i;
    }
    return COL_NONE;
}

/* The application number as written: 10 characters of Crockford's base32, case ignored. */
static bool number_of(const char *v, char out[APP_NUMBER_LEN + 1])
{
    if (strlen(v) != APP_NUMBER_LEN)
        return false;
    for (size_t i = 0; i < APP_NUMBER_LEN; i++) {
        char ch = (char)toupper((unsigned char)v[i]);
        if (!ch || !strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", ch))
            return false;
        out[i] = ch;
    }
    out[APP_NUMBER_LEN] = '\0';
    return true;
}

/* A label column (carrier, tracking number, card serial) into out[cap]: NULL, or why not. */
static const char *label(const struct app_csv_record *rec, int col, char *out, size_t cap,
                         bool optional)
{
    char buf[FIELD_CAP];
    const char *bad;
    const char *v = field(rec, col, buf, &bad);
    out[0] = '\0';
    if (bad)
        return bad;
    if (optional && !*v)
        return NULL;
    return app__flow_label_problem(v, out, cap);
}

/* Reads and checks a data row into r; NULL, or the refusal's reason code with *col its
 * column's name. */
static const char *read_row(const struct app_cardfile *f, const struct app_csv_record *rec,
                            struct app_cardfile_row *r, const char **col)
{
    char buf[FIELD_CAP];
    const char *why, *bad;
    memset(r, 0, sizeof *r);
    r->line = rec->line;
    *col = "application_number";
    if (!number_of(field(rec, f->number, buf, &bad), r->number) || bad)
        return *buf || bad ? "application_unknown" : "required";
    *col = "carrier";
    if ((why = label(rec, f->carrier, r->carrier, sizeof r->carrier, true)))
        return why;
    *col = "tracking_number";
    if ((why = label(rec, f->tracking, r->tracking, sizeof r->tracking, true)))
        return why;
    if (f->kind == APP_CARDFILE_SHIPMENTS || r->carrier[0] || r->tracking[0]) {
        /* a shipment names both */
        *col = !r->carrier[0] ? "carrier" : "tracking_number";
        if (!r->carrier[0] || !r->tracking[0])
            return "required";
    }
    if (f->kind == APP_CARDFILE_SHIPMENTS)
        return NULL;
    *col = "result";
    field(rec, f->result, buf, &bad);
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!bad && (!strcmp(buf, "produced") || !strcmp(buf, "refused")))
        memcpy(r->result, buf, strlen(buf) + 1);
    else
        return *buf || bad ? "answer_unknown" : "required";
    if (!strcmp(r->result, "produced")) {
        *col = "card_serial";
        return label(rec, f->serial, r->serial, sizeof r->serial, false);
    }
    /* a refusal ships nothing: a carrier and tracking number it names are not kept */
    r->carrier[0] = r->tracking[0] = '\0';
    *col = "reason";
    const char *reason = field(rec, f->reason, buf, &bad);
    if (bad)
        return bad;
    if ((why = app__flow_text_problem(reason, APP__FLOW_REASON_CHARS)))
        return why;
    if (strlen(reason) >= sizeof r->reason)
        return "too_long";
    memcpy(r->reason, reason, strlen(reason) + 1); /* shorter than r->reason: checked above */
    return NULL;
}

struct app_cardfile *app_cardfile_new(enum app_cardfile_kind kind, app_csv_read_fn read, void *rctx)
{
    struct app_cardfile *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->kind = kind;
    f->header = true;
    if (!(f->csv = app_csv_new(read, rctx, 0))) {
        free(f);
        return NULL;
    }
    return f;
}

void app_cardfile_free(struct app_cardfile *f)
{
    if (!f)
        return;
    app_csv_free(f->csv);
    free(f);
}

uint64_t app_cardfile_bytes_read(const struct app_cardfile *f)
{
    return app_csv_bytes_read(f->csv);
}

enum app_cardfile_status app_cardfile_next(struct app_cardfile *f, struct app_cardfile_row *row,
                                           struct app_file_refusal *refusal)
{
    struct app_csv_record rec;
    for (;;) {
        if (f->done)
            return APP_CARDFILE_EOF;
        enum app_csv_status cs = app_csv_next(f->csv, &rec);
        if (cs == APP_CSV_EOF)
            return APP_CARDFILE_EOF;
        if (cs != APP_CSV_RECORD)
            return APP_CARDFILE_EREAD;
        if (f->header) {
            f->header = false;
            f->number = column(&rec, "application_number");
            f->result = column(&rec, "result");
            f->serial = column(&rec, "card_serial");
            f->carrier = column(&rec, "carrier");
            f->tracking = column(&rec, "tracking_number");
            f->reason = column(&rec, "reason");
            const bool answer = f->kind == APP_CARDFILE_ANSWER;
            const char *missing = f->number == COL_NONE                ? "application_number"
                                  : answer && f->result == COL_NONE    ? "result"
                                  : !answer && f->carrier == COL_NONE  ? "carrier"
                                  : !answer && f->tracking == COL_NONE ? "tracking_number"
                                                                       : NULL;
            if (rec.error || missing) {
                f->done = true;
                *refusal = rec.error
                               ? (struct app_file_refusal){rec.line, "", rec.error}
                               : (struct app_file_refusal){rec.line, missing, "column_missing"};
                return APP_CARDFILE_HEADER_REFUSED;
            }
            continue;
        }
        if (rec.blank)
            continue;
        if (rec.error) {
            *refusal = (struct app_file_refusal){rec.line, "", rec.error};
            return APP_CARDFILE_REFUSED;
        }
        const char *col = "";
        const char *why = read_row(f, &rec, row, &col);
        if (why) {
            *refusal = (struct app_file_refusal){rec.line, col, why};
            return APP_CARDFILE_REFUSED;
        }
        return APP_CARDFILE_ROW;
    }
}
