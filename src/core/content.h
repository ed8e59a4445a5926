/* eimza — the content an applicant signs (core/: pure, no I/O).
 *
 * The exact bytes of "İmzalanan İçerik", rendered from the saved application only, so that the
 * signature check can render them again later and compare byte for byte. The format
 * (version 1), UTF-8 without a byte-order mark, every line ended by LF (no CR):
 *
 *     <the declaration of the guide, one line>
 *     <empty line>
 *     AD: <first name, Turkish upper case>
 *     SOYAD: <last name, Turkish upper case>
 *     TC KİMLİK NUMARASI: <11 digits>
 *     EPOSTA: <e-mail>
 *     ADRES: <address>, <postal code> <district>/<PROVINCE NAME>
 *     KURUM ADI: <institution name>
 *     BAŞVURU NO: <application number>
 *     BAŞVURU TARİHİ: <DD.MM.YYYY, the creation day in Turkish time (UTC+3)>
 *
 * Values are written as stored, except that any control character (CR, LF, tab, ...) becomes
 * a space and runs of spaces become one, so a value can never start a line of its own. The
 * security word is never part of it.
 */
#ifndef EIMZA_CORE_CONTENT_H
#define EIMZA_CORE_CONTENT_H

#include <stdint.h>

#include "util/buf.h"

/* The declaration, as the guide words it. */
extern const char core_content_declaration[];

struct core_content {
    const char *first_name, *last_name, *tckn, *email;
    const char *address, *postal_code, *district;
    int province; /* plate code 1..81; 0 or unknown leaves the province out */
    const char *institution_name;
    const char *number;
    int64_t created_at; /* Unix seconds */
};

/* Appends the content to out. Returns 0, or -1 when out's cap is reached or memory runs out
 * (out is then left as it was) or a value is not valid UTF-8. NULL strings count as "". */
int core_content_render(const struct core_content *c, struct ubuf *out);

#endif
