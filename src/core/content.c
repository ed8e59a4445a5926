/* eimza — the content an applicant signs: one pure function from saved fields to bytes.
 * See content.h for the format; it is part of the signature contract, so changing a byte here
 * invalidates every signature made over the old form: add a version instead. */
#include "core/content.h"

#include <stdbool.h>
#include <string.h>

#include "core/date.h"
#include "core/trtext.h"
#include "core/validate.h"

const char core_content_declaration[] =
    "Aşağıda yazılı bütün bilgilerin doğru olduğunu, aksi halde doğacak bütün zararlardan "
    "sorumlu olduğumu beyan ederim. Bu formdaki bilgilere göre şahsıma bir nitelikli "
    "elektronik sertifika hazırlanmasını talep ederim.";

/* Appends s with control characters turned into spaces, runs of spaces folded and the ends
 * trimmed. */
static int put_value(struct ubuf *b, const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    if (!core_utf8_valid(s, n))
        return -1;
    bool space = false, any = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7F || ch == ' ') {
            space = true;
            continue;
        }
        if (space && any && ubuf_putc(b, ' ') < 0)
            return -1;
        space = false;
        any = true;
        if (ubuf_putc(b, (char)ch) < 0)
            return -1;
    }
    return 0;
}

/* A name in Turkish upper case (as on the identity card); unchanged if it cannot be cased. */
static int put_upper(struct ubuf *b, const char *s)
{
    char up[512];
    if (!s)
        return 0;
    if (core_tr_upper(s, strlen(s), up, sizeof up) < 0)
        return put_value(b, s);
    return put_value(b, up);
}

static int put_line(struct ubuf *b, const char *key, const char *value, bool upper)
{
    if (ubuf_puts(b, key) < 0 || ubuf_puts(b, ": ") < 0)
        return -1;
    if ((upper ? put_upper(b, value) : put_value(b, value)) < 0)
        return -1;
    return ubuf_putc(b, '\n');
}

int core_content_render(const struct core_content *c, struct ubuf *out)
{
    size_t start = out->len;
    char day[CORE_DATE_STRLEN + 1];
    const char *pname = core_province_name(c->province);
    char pup[128] = "";

    if (pname && core_tr_upper(pname, strlen(pname), pup, sizeof pup) < 0)
        pup[0] = '\0';
    core_date_format_tr(core_date_tr_from_unix(c->created_at), day);

    int bad = ubuf_puts(out, core_content_declaration) | ubuf_puts(out, "\n\n") |
              put_line(out, "AD", c->first_name, true) |
              put_line(out, "SOYAD", c->last_name, true) |
              put_line(out, "TC KİMLİK NUMARASI", c->tckn, false) |
              put_line(out, "EPOSTA", c->email, false) | ubuf_puts(out, "ADRES: ") |
              put_value(out, c->address);
    if (!bad && ((c->postal_code && *c->postal_code) || (c->district && *c->district) || pup[0])) {
        bool postal = c->postal_code && *c->postal_code;
        bad |= ubuf_puts(out, ", ") | put_value(out, c->postal_code);
        if (c->district && *c->district)
            bad |= (postal ? ubuf_putc(out, ' ') : 0) | put_value(out, c->district);
        if (pup[0])
            bad |= ubuf_putc(out, '/') | put_value(out, pup);
    }
    bad |= ubuf_putc(out, '\n') | put_line(out, "KURUM ADI", c->institution_name, false) |
           put_line(out, "BAŞVURU NO", c->number, false) |
           put_line(out, "BAŞVURU TARİHİ", day, false);
    if (bad) {
        out->len = start;
        if (out->p)
            out->p[start] = '\0';
        return -1;
    }
    return 0;
}
