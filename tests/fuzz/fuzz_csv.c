/* eimza — libFuzzer driver: the personnel CSV (app/csv.c) and the row validation.
 *
 * The input is a personnel file as an operator brings it. Its first byte chooses how the
 * bytes reach the reader (the read callback's chunk size, 1..31 bytes or as much as the
 * reader asks) and the
 * separator (detected, ';' or ','), so records straddle the reader's buffer refills in every
 * way; the rest is the file. Every record is read; the header is mapped to columns with
 * core_pfield_lookup and each row's columns go through core_personnel_set, as
 * app/import_personnel.c applies them. Besides the sanitizers, the driver checks the reader's
 * promises: each field is NUL-terminated at its length and lies inside the reader's output,
 * an error record has no fields, lines only go forward, and no more input is taken than
 * given. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "app/csv.h"
#include "core/personnel.h"
#include "core/trtext.h"

struct feed {
    const uint8_t *p;
    size_t n, chunk;
};

static ssize_t feed_read(void *ctx, void *buf, size_t n)
{
    struct feed *f = ctx;
    size_t k = f->n < n ? f->n : n;
    if (f->chunk && k > f->chunk)
        k = f->chunk;
    memcpy(buf, f->p, k);
    f->p += k;
    f->n -= k;
    return (ssize_t)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char seps[] = {0, ';', ','};
    struct feed f = {data + 1, size - 1, data[0] & 31u}; /* chunk 0: as much as asked */
    char sep = seps[(data[0] >> 5) % 3];
    struct app_csv *c = app_csv_new(feed_read, &f, sep);
    if (!c)
        return 0;
    struct app_csv_record rec;
    struct core_personnel p;
    int cols[APP_CSV_MAX_FIELDS];
    size_t ncols = 0;
    bool header = true;
    long last_line = 0;
    enum app_csv_status st;
    while ((st = app_csv_next(c, &rec)) == APP_CSV_RECORD) {
        if (rec.line < last_line)
            abort();
        last_line = rec.line;
        if (rec.error) {
            if (rec.n != 0)
                abort();
            header = false;
            continue;
        }
        if (rec.n > APP_CSV_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < rec.n; i++)
            if (rec.field[i].p[rec.field[i].n] != '\0')
                abort();
        if (header) {
            header = false;
            ncols = rec.n;
            for (size_t i = 0; i < rec.n; i++)
                cols[i] = core_utf8_valid(rec.field[i].p, rec.field[i].n)
                              ? core_pfield_lookup(rec.field[i].p, rec.field[i].n)
                              : -1;
            continue;
        }
        if (rec.blank || rec.n != ncols)
            continue;
        core_personnel_clear(&p);
        for (size_t i = 0; i < rec.n; i++)
            if (cols[i] >= 0)
                (void)core_personnel_set(&p, (enum core_pfield)cols[i], rec.field[i].p,
                                         rec.field[i].n);
    }
    if (st != APP_CSV_EOF || app_csv_bytes_read(c) != size - 1)
        abort();
    app_csv_free(c);
    return 0;
}
