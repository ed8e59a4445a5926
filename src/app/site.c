/* eimza — the portal's identity and the provinces' contacts, read from configuration. See
 * site.h. */
#include "app/site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/csv.h"
#include "core/trtext.h"
#include "core/validate.h"

#define PROVINCES 82 /* plate codes 1..81; [0] unused */

void app_site_default(struct app_site *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->ministry_name, sizeof s->ministry_name, "%s", "T.C. Millî Eğitim Bakanlığı");
    snprintf(s->ministry_name_en, sizeof s->ministry_name_en, "%s",
             "Republic of Türkiye Ministry of National Education");
}

/* Text fit for a page and a printed line: UTF-8, no control characters, shorter than cap. */
static bool plain_text(const char *v, size_t cap)
{
    size_t n = strlen(v);
    if (n >= cap || !core_utf8_valid(v, n))
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return false;
    return true;
}

int app_site_names(struct app_site *s, const char *tr, const char *en, char *err, size_t errlen)
{
    if (!*tr || !plain_text(tr, sizeof s->ministry_name)) {
        snprintf(err, errlen, "ministry_name must be UTF-8 text of 1 to %zu bytes",
                 sizeof s->ministry_name - 1);
        return -1;
    }
    if (!*en || !plain_text(en, sizeof s->ministry_name_en)) {
        snprintf(err, errlen, "ministry_name_en must be UTF-8 text of 1 to %zu bytes",
                 sizeof s->ministry_name_en - 1);
        return -2;
    }
    snprintf(s->ministry_name, sizeof s->ministry_name, "%s", tr);
    snprintf(s->ministry_name_en, sizeof s->ministry_name_en, "%s", en);
    return 0;
}

/* True when name ends with ext (ASCII case-insensitive). */
static bool ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strncasecmp(name + n - e, ext, e) == 0;
}

int app_site_load_logo(struct app_site *s, const char *path, char *err, size_t errlen)
{
    int rc = -1, fd = -1;
    unsigned char *buf = NULL;
    const char *type = ends_with(path, ".svg")   ? "image/svg+xml"
                       : ends_with(path, ".png") ? "image/png"
                                                 : NULL;
    struct stat st;
    if (!type) {
        snprintf(err, errlen, "ministry_logo: %s is neither an .svg nor a .png file", path);
        goto out;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "ministry_logo: %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > APP_SITE_LOGO_MAX) {
        snprintf(err, errlen, "ministry_logo: %s is not a file of 1 to %d bytes", path,
                 APP_SITE_LOGO_MAX);
        goto out;
    }
    size_t len = (size_t)st.st_size, got = 0;
    buf = malloc(len);
    if (!buf) {
        snprintf(err, errlen, "ministry_logo: out of memory");
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errlen, "ministry_logo: %s: cannot read it whole", path);
            goto out;
        }
        got += (size_t)r;
    }
    /* a PNG starts with its signature; an SVG is XML text with an <svg element early on */
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    bool looks = !strcmp(type, "image/png")
                     ? len >= sizeof png && !memcmp(buf, png, sizeof png)
                     : memmem(buf, len < 4096 ? len : 4096, "<svg", 4) != NULL;
    if (!looks) {
        snprintf(err, errlen, "ministry_logo: %s is not what its name says (%s)", path, type);
        goto out;
    }
    free(s->logo);
    s->logo = buf;
    s->logo_len = len;
    s->logo_type = type;
    buf = NULL;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

enum col { COL_PLATE, COL_UNIT, COL_ADDRESS, COL_PHONE, COL_EMAIL, COL__COUNT };
static const char *const col_names[COL__COUNT] = {"il_kodu", "birim", "adres", "telefon", "eposta"};

/* The header's columns: idx[c] is the field holding column c, or -1. */
static int contacts_header(const struct app_csv_record *h, int idx[COL__COUNT], char *why,
                           size_t whylen)
{
    for (int c = 0; c < COL__COUNT; c++)
        idx[c] = -1;
    for (size_t i = 0; i < h->n; i++) {
        char name[32];
        int n = core_tr_normalize(h->field[i].p, h->field[i].n, name, sizeof name);
        const char *p = name;
        if (n > 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3;
        for (int c = 0; n > 0 && c < COL__COUNT; c++) {
            if (!strcasecmp(p, col_names[c])) {
                if (idx[c] >= 0) {
                    snprintf(why, whylen, "the column %s is named twice", col_names[c]);
                    return -1;
                }
                idx[c] = (int)i;
            }
        }
    }
    for (int c = 0; c <= COL_ADDRESS; c++) {
        if (idx[c] < 0) {
            snprintf(why, whylen, "the header has no %s column (il_kodu;birim;adres;...)",
                     col_names[c]);
            return -1;
        }
    }
    return 0;
}

/* One field of a record into out (normalised, at most cap - 1 bytes); "" for a missing
 * column. -1 when it is not text or too long. */
static int contacts_field(const struct app_csv_record *r, int idx, char *out, size_t cap)
{
    out[0] = '\0';
    if (idx < 0 || (size_t)idx >= r->n)
        return 0;
    const struct app_csv_field *f = &r->field[idx];
    if (memchr(f->p, '\0', f->n))
        return -1;
    int n = core_tr_normalize(f->p, f->n, out, cap);
    return n < 0 ? -1 : 0;
}

/* One data record into table (by plate). */
static int contacts_row(const struct app_csv_record *r, const int idx[COL__COUNT],
                        struct app_province_contact *table, char *why, size_t whylen)
{
    char plate_text[64];
    struct app_province_contact c = {.set = true};
    if (contacts_field(r, idx[COL_PLATE], plate_text, sizeof plate_text) < 0 ||
        contacts_field(r, idx[COL_UNIT], c.unit, sizeof c.unit) < 0 ||
        contacts_field(r, idx[COL_ADDRESS], c.address, sizeof c.address) < 0 ||
        contacts_field(r, idx[COL_PHONE], c.phone, sizeof c.phone) < 0 ||
        contacts_field(r, idx[COL_EMAIL], c.email, sizeof c.email) < 0) {
        snprintf(why, whylen, "a field is not UTF-8 text or is too long");
        return -1;
    }
    int plate = core_province_lookup(plate_text, strlen(plate_text));
    if (plate < 1 || plate >= PROVINCES) {
        snprintf(why, whylen, "il_kodu '%.40s' is no province", plate_text);
        return -1;
    }
    if (!c.unit[0] || !c.address[0]) {
        snprintf(why, whylen, "birim and adres are required");
        return -1;
    }
    if (c.email[0] && !core_email_valid(c.email, strlen(c.email))) {
        snprintf(why, whylen, "eposta '%.80s' is not an e-mail address", c.email);
        return -1;
    }
    if (table[plate].set) {
        snprintf(why, whylen, "province %d is given twice", plate);
        return -1;
    }
    table[plate] = c;
    return 0;
}

int app_site_load_contacts(struct app_site *s, const char *path, char *err, size_t errlen)
{
    int rc = -1, fd = open(path, O_RDONLY | O_CLOEXEC);
    struct app_csv *csv = NULL;
    struct app_province_contact *table = NULL;
    struct app_csv_record r;
    int idx[COL__COUNT];
    char why[256];
    size_t n = 0;
    if (fd < 0) {
        snprintf(err, errlen, "province_contacts: %s: %s", path, strerror(errno));
        return -1;
    }
    table = calloc(PROVINCES, sizeof *table);
    csv = table ? app_csv_new(app_csv_read_fd, &fd, 0) : NULL;
    if (!csv) {
        snprintf(err, errlen, "province_contacts: out of memory");
        goto out;
    }
    for (bool header = true;; header = false) {
        enum app_csv_status st = app_csv_next(csv, &r);
        if (st == APP_CSV_EOF)
            break;
        if (st != APP_CSV_RECORD) {
            snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
            goto out;
        }
        if (r.error) {
            snprintf(err, errlen, "%s:%ld: %s", path, r.line, r.error);
            goto out;
        }
        if (r.blank)
            continue;
        if (header ? contacts_header(&r, idx, why, sizeof why) < 0
                   : contacts_row(&r, idx, table, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s:%ld: %s", path, r.line, why);
            goto out;
        }
        n += !header;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no province in it (a header and one line per province)", path);
        goto out;
    }
    free(s->contacts);
    s->contacts = table;
    s->ncontacts = n;
    table = NULL;
    rc = 0;
out:
    app_csv_free(csv);
    free(table);
    close(fd);
    return rc;
}

const struct app_province_contact *app_site_contact(const struct app_site *s, int plate)
{
    if (!s || !s->contacts || plate < 1 || plate >= PROVINCES || !s->contacts[plate].set)
        return NULL;
    return &s->contacts[plate];
}

void app_site_send_to(const struct app_site *s, int plate, char *out, size_t cap)
{
    const struct app_province_contact *c = app_site_contact(s, plate);
    if (!c) {
        out[0] = '\0';
        return;
    }
    snprintf(out, cap, "%s, %s", c->unit, c->address);
}

void app_site_free(struct app_site *s)
{
    free(s->logo);
    s->logo = NULL;
    s->logo_len = 0;
    s->logo_type = NULL;
    free(s->contacts);
    s->contacts = NULL;
    s->ncontacts = 0;
}
