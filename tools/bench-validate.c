/* eimza — micro-benchmark of the per-field validation of the personnel import: reads a
 * personnel CSV (as written by eimza-gen personnel) and runs core_personnel_set over every
 * field of every row, timing only that, not the reading or the splitting.
 *
 *   bench-validate FILE [--rows N] [--sep C]
 *
 * It prints the rows and the refused fields per reason code, the time spent validating (CPU
 * time of the process, which a busy machine disturbs less than the wall clock) and a checksum
 * of the records it built, so two builds can be compared for speed and for identical results.
 * The CSV splitting here is the plain RFC 4180 one (quotes, doubled quotes); it is a tool, not
 * the importer (app/csv.c is).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/personnel.h"

#define BATCH_ROWS 8192
#define MAX_FIELDS 64
#define MAX_CODES  32

struct slice {
    const char *p;
    size_t n;
};

struct code_count {
    const char *code;
    long count;
};

struct bench {
    char sep;
    int col_field[MAX_FIELDS]; /* the column of each CSV field, -1 for unknown ones */
    size_t ncols;
    long rows, rejected_fields, bad_rows;
    uint64_t checksum;
    double cpu_seconds, wall_seconds;
    struct code_count codes[MAX_CODES];
    size_t ncodes;
};

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* FNV-1a over the bytes of a record: core_personnel_clear zeroes the whole struct, and the
 * fields are written with their NUL, so equal records hash equally. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001B3u;
    }
    return h;
}

/* Splits the record at *pos into fields (unquoting in place). Returns the field count, or -1
 * at the end of the data; *pos moves past the line end. */
static int split_record(char *buf, size_t len, size_t *pos, char sep, struct slice *f)
{
    size_t i = *pos;
    int nf = 0;

    if (i >= len)
        return -1;
    for (;;) {
        char *start = buf + i;
        size_t flen = 0;
        if (i < len && buf[i] == '"') {
            char *w = start;
            i++;
            while (i < len) {
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        w[flen++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                w[flen++] = buf[i++];
            }
        } else {
            while (i < len && buf[i] != sep && buf[i] != '\n')
                i++;
            flen = (size_t)(buf + i - start);
            if (flen > 0 && buf[i - 1] == '\r' && (i == len || buf[i] == '\n'))
                flen--;
        }
        if (nf < MAX_FIELDS)
            f[nf++] = (struct slice){start, flen};
        if (i < len && buf[i] == sep) {
            i++;
            continue;
        }
        while (i < len && buf[i] != '\n') /* text after a closing quote: ignored */
            i++;
        if (i < len)
            i++;
        break;
    }
    *pos = i;
    return nf;
}

static void count_code(struct bench *b, const char *code)
{
    for (size_t i = 0; i < b->ncodes; i++) {
        if (strcmp(b->codes[i].code, code) == 0) {
            b->codes[i].count++;
            return;
        }
    }
    if (b->ncodes < MAX_CODES)
        b->codes[b->ncodes++] = (struct code_count){code, 1};
}

/* Validates a batch of split rows into recs; only this is timed, not the checksum. */
static void run_batch(struct bench *b, const struct slice *fields, const int *nfields, size_t nrows,
                      struct core_personnel *recs)
{
    double c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_seconds(CLOCK_MONOTONIC);

    for (size_t r = 0; r < nrows; r++) {
        const struct slice *f = fields + r * MAX_FIELDS;
        struct core_personnel *p = &recs[r];
        core_personnel_clear(p);
        if ((size_t)nfields[r] != b->ncols)
            continue;
        for (size_t c = 0; c < b->ncols; c++) {
            if (b->col_field[c] < 0)
                continue;
            const char *code =
                core_personnel_set(p, (enum core_pfield)b->col_field[c], f[c].p, f[c].n);
            if (code) {
                b->rejected_fields++;
                count_code(b, code);
            }
        }
    }
    b->cpu_seconds += clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    b->wall_seconds += clock_seconds(CLOCK_MONOTONIC) - w0;
    for (size_t r = 0; r < nrows; r++) {
        if ((size_t)nfields[r] != b->ncols)
            b->bad_rows++;
        else
            b->checksum = fnv1a(b->checksum, &recs[r], sizeof recs[r]);
    }
    b->rows += (long)nrows;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long size;

    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)size + 1);
    if (!buf)
        goto out;
    if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[size] = '\0';
    *len = (size_t)size;
out:
    fclose(fp);
    return buf;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench-validate FILE [--rows N] [--sep C]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct bench b = {.sep = ';', .checksum = 0xCBF29CE484222325u};
    const char *path = NULL;
    long max_rows = -1;
    struct slice *fields = NULL;
    int *nfields = NULL;
    struct core_personnel *recs = NULL;
    char *buf = NULL;
    size_t len = 0, pos = 0;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
            char *end;
            max_rows = strtol(argv[++i], &end, 10);
            if (*end || max_rows < 0)
                return usage();
        } else if (strcmp(argv[i], "--sep") == 0 && i + 1 < argc && strlen(argv[i + 1]) == 1) {
            b.sep = argv[++i][0];
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            return usage();
        }
    }
    if (!path)
        return usage();

    buf = read_file(path, &len);
    fields = malloc(sizeof *fields * BATCH_ROWS * MAX_FIELDS);
    nfields = malloc(sizeof *nfields * BATCH_ROWS);
    recs = malloc(sizeof *recs * BATCH_ROWS);
    if (!buf || !fields || !nfields || !recs) {
        fprintf(stderr, "bench-validate: cannot read %s\n", path);
        goto out;
    }

    int nh = split_record(buf, len, &pos, b.sep, fields);
    if (nh <= 0) {
        fprintf(stderr, "bench-validate: no header in %s\n", path);
        goto out;
    }
    b.ncols = (size_t)nh;
    for (int c = 0; c < nh; c++)
        b.col_field[c] = core_pfield_lookup(fields[c].p, fields[c].n);

    for (;;) {
        size_t nrows = 0;
        while (nrows < BATCH_ROWS && (max_rows < 0 || b.rows + (long)nrows < max_rows)) {
            int nf = split_record(buf, len, &pos, b.sep, fields + nrows * MAX_FIELDS);
            if (nf < 0)
                break;
            nfields[nrows++] = nf;
        }
        if (nrows == 0)
            break;
        run_batch(&b, fields, nfields, nrows, recs);
    }

    printf("rows %ld (with a wrong field count: %ld), refused fields %ld\n", b.rows, b.bad_rows,
           b.rejected_fields);
    for (size_t i = 0; i < b.ncodes; i++)
        printf("  %-20s %ld\n", b.codes[i].code, b.codes[i].count);
    printf("validation: %.3f s CPU, %.3f s wall, %.1f ns/row (CPU)\n", b.cpu_seconds,
           b.wall_seconds, b.rows ? b.cpu_seconds * 1e9 / (double)b.rows : 0.0);
    printf("checksum %016llx\n", (unsigned long long)b.checksum);
    rc = 0;
out:
    free(buf);
    free(fields);
    free(nfields);
    free(recs);
    return rc;
}
