/* eimza — who runs the portal and where people turn (app/): the ministry's name and logo shown
 * on every page, and each province's contact, the provincial directorate's DYS unit that
 * approves its applications and takes their signed paper forms (issue 17, points 7 and 9).
 *
 * All of it is configuration (`eimza serve`'s ministry_name, ministry_name_en, ministry_logo
 * and province_contacts, docs/CONFIGURATION.md), read once at start-up and never changed while
 * requests run: the logo file is read into memory (the pages ask for it at /logo), and the
 * contacts come from a small CSV file the operator keeps:
 *
 *     il_kodu;birim;adres;telefon;eposta
 *     72;Batman İl Millî Eğitim Müdürlüğü DYS Birimi;Kültür Mah. ... 72100 Merkez/Batman;0488 213
 * 00 00;dys72@meb.gov.tr
 *
 * (columns by name in any order, ';' or ',', the reader of app/csv.h; il_kodu a plate code or
 * a province's name; birim and adres required, telefon and eposta optional; a province once).
 * A bad file stops the server with FILE:LINE and the reason, like a bad setting.
 */
#ifndef EIMZA_APP_SITE_H
#define EIMZA_APP_SITE_H

#include <stdbool.h>
#include <stddef.h>

#define APP_SITE_NAME_MAX 192
#define APP_SITE_LOGO_MAX (256 * 1024) /* bytes of the logo file */

/* One province's directorate: whom applicants ask and where their paper goes. */
struct app_province_contact {
    bool set;
    char unit[256];    /* "Batman İl Millî Eğitim Müdürlüğü DYS Birimi" */
    char address[512]; /* the postal address, one line */
    char phone[64];    /* "" when none */
    char email[256];   /* "" when none */
};

struct app_site {
    char ministry_name[APP_SITE_NAME_MAX];    /* as Turkish pages show it */
    char ministry_name_en[APP_SITE_NAME_MAX]; /* as English pages show it */
    unsigned char *logo;                      /* the configured logo file; NULL: the built-in */
    size_t logo_len;
    const char *logo_type;                 /* its Content-Type: image/svg+xml or image/png */
    struct app_province_contact *contacts; /* [82], by plate code; NULL: none configured */
    size_t ncontacts;                      /* provinces that have one */
};

/* The defaults: "T.C. Millî Eğitim Bakanlığı" / "Republic of Türkiye Ministry of National
 * Education", the built-in logo, no contacts. */
void app_site_default(struct app_site *s);
/* Sets the names (each at most APP_SITE_NAME_MAX - 1 bytes of UTF-8 without control
 * characters). 0, or -1 (tr) or -2 (en) when that name is refused, with the reason in err. */
int app_site_names(struct app_site *s, const char *tr, const char *en, char *err, size_t errlen);
/* Reads the logo file at path (.svg or .png, at most APP_SITE_LOGO_MAX bytes, and its first
 * bytes must be what its name says). 0, or -1 with the reason in err. */
int app_site_load_logo(struct app_site *s, const char *path, char *err, size_t errlen);
/* Reads the contacts file at path (see above). 0, or -1 with "FILE:LINE: reason" in err; s is
 * changed only on success. */
int app_site_load_contacts(struct app_site *s, const char *path, char *err, size_t errlen);
/* The contact of a province (1..81), or NULL when none is configured. */
const struct app_province_contact *app_site_contact(const struct app_site *s, int plate);
/* Where a province's signed paper goes, as one line: "UNIT, ADDRESS"; "" when unknown. */
void app_site_send_to(const struct app_site *s, int plate, char *out, size_t cap);
/* Frees what the loaders read; s can be loaded again. */
void app_site_free(struct app_site *s);

#endif
