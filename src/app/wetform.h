/* eimza — the wet-signature PDF (app/): "Yöntem 2: Islak İmzalı Başvuru".
 *
 * Two A4 pages the applicant prints, signs by hand and sends by post: page 1 is the
 * application form ("E-İmza Sertifika Başvuru Formu"): the application number as text and as
 * a QR code, the declaration of the signed content ("Aşağıda yazılı bütün bilgilerin ...")
 * before the data it declares, every field of the saved application, a signature box, and
 * where the signed paper goes (the provincial directorate's address when the deployment
 * configured it, app/site.h); page 2 is the certificate holder's undertaking ("Sertifika
 * Sahibi Taahhütnamesi") with name, T.C. Kimlik No in full (it is a paper the person signs
 * and hands in), date and signature lines. Text is real text in an embedded TrueType font
 * (DejaVu Sans, UTF-8), so it can be searched and extracted. The security word is never
 * shown, not even its hash.
 *
 * The output depends only on the arguments: the same application and `now` give the same
 * bytes (the document's creation date is `now`, nothing reads the clock).
 */
#ifndef EIMZA_APP_WETFORM_H
#define EIMZA_APP_WETFORM_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Debian's fonts-dejavu-core. */
#define APP_WETFORM_FONT_REGULAR "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define APP_WETFORM_FONT_BOLD    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

enum app_wetform_err {
    APP_WETFORM_OK = 0,
    APP_WETFORM_EINVAL, /* the application lacks what the form needs (number, T.C. Kimlik No,
                           name) or holds text that is not UTF-8 */
    APP_WETFORM_EFONT,  /* a font file is missing or unreadable (an installation fault) */
    APP_WETFORM_ENOMEM,
    APP_WETFORM_EPDF, /* libharu or libqrencode failed otherwise */
};

/* TrueType font files to embed; NULL members take the defaults above. */
struct app_wetform_fonts {
    const char *regular, *bold;
};

/* Renders the PDF for application a; now (Unix seconds) is the document's date. On success
 * *pdf gets a malloc'd buffer of *len bytes that the caller frees with free(). On failure
 * *pdf is NULL, *len 0, and err (may be NULL) says why in English for the log, without
 * personal data. */
enum app_wetform_err app_wetform_pdf(const struct store_application *a, int64_t now,
                                     unsigned char **pdf, size_t *len, char *err, size_t errlen);
/* The same with the address the signed paper goes to (send_to, one line of text, at most 1023
 * bytes; NULL or "": the form says "the provincial directorate that approves" only) and other
 * font files (fonts may be NULL: for systems that keep DejaVu elsewhere, and for tests). */
enum app_wetform_err app_wetform_pdf_to(const struct store_application *a, int64_t now,
                                        const char *send_to, const struct app_wetform_fonts *fonts,
                                        unsigned char **pdf, size_t *len, char *err, size_t errlen);
/* The same with the QR code holding the address of the staff's search for the number,
 * portal_url + "yonetim/ara?q=" + number (portal_url an http or https URL, at most 400 bytes),
 * so that scanning the printed form with a phone or a hand-held scanner opens the application
 * on the portal (issue 17; web/pages/search.c); NULL or "": the number alone, as
 * app_wetform_pdf_to. */
enum app_wetform_err app_wetform_pdf_qr(const struct store_application *a, int64_t now,
                                        const char *send_to, const char *portal_url,
                                        const struct app_wetform_fonts *fonts, unsigned char **pdf,
                                        size_t *len, char *err, size_t errlen);
/* The same with other font files (fonts may be NULL): for systems that keep DejaVu elsewhere,
 * and for tests. */
enum app_wetform_err app_wetform_pdf_fonts(const struct store_application *a, int64_t now,
                                           const struct app_wetform_fonts *fonts,
                                           unsigned char **pdf, size_t *len, char *err,
                                           size_t errlen);

#endif
