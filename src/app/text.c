/* eimza — the domain's words for the layers above app (see text.h): each a thin door to
 * core's tables and formatters. */
#include "app/text.h"

#include <stdio.h>
#include <string.h>

#include "core/tckn.h"
#include "core/version.h"

const char *app_text(const char *key, enum core_lang lang)
{
    return core_text(key, lang);
}

const char *app_text_of(const char *group, const char *name, enum core_lang lang)
{
    return core_text_of(group, name, lang);
}

const char *app_reason_text(const char *code, enum core_lang lang)
{
    return core_reason_message(code, lang);
}

const char *app_reason_text_deployed(const char *code, enum core_lang lang, bool inhouse)
{
    const char *t = inhouse && code ? core_text_of("reason_inhouse", code, lang) : NULL;
    return t ? t : app_reason_text(code, lang);
}

const char *app_import_reason_text(const char *code, enum core_lang lang)
{
    const char *t = code ? core_text_of("import", code, lang) : NULL;
    return t ? t : app_reason_text(code, lang);
}

const char *app_staff_reason_text(const char *code, enum core_lang lang)
{
    const char *t = code ? core_text_of("staff", code, lang) : NULL;
    return t ? t : app_reason_text(code, lang);
}

const char *app_text_n(const char *key, unsigned long n, enum core_lang lang)
{
    return core_text_n(key, n, lang);
}

const char *app_text_fill(const char *text, const char *arg, char *out, size_t cap)
{
    return core_text_fill(text, arg, out, cap);
}

const char *app_field_message(const char *field, const char *code, enum core_lang lang,
                              bool inhouse)
{
    char name[CORE_TEXT_KEY_MAX];
    const char *t = NULL;
    int n = field && code ? snprintf(name, sizeof name, "%s.%s", field, code) : -1;
    if (n > 0 && (size_t)n < sizeof name)
        t = core_text_of("field", name, lang);
    return t ? t : app_reason_text_deployed(code, lang, inhouse);
}

int app_version_cmp(const char *a, const char *b)
{
    return core_version_cmp(a, b);
}

const char *app_province_name(int plate)
{
    return core_province_name(plate);
}

const char *app_state_code(enum core_app_state st)
{
    return core_app_state_code(st);
}

const char *app_state_label(enum core_app_state st, enum core_lang lang)
{
    return core_app_state_label(st, lang);
}

const char *app_state_label_tr(enum core_app_state st)
{
    return core_app_state_label_tr(st);
}

const char *app_duty_code(enum core_duty d)
{
    return core_duty_code(d);
}

size_t app_verdict_reasons(unsigned reasons, enum core_lang lang, struct app_reason_item *out,
                           size_t cap)
{
    size_t pos = 0, n = 0;
    unsigned bit;
    while (n < cap && core_verdict_next(reasons, &pos, &bit))
        out[n++] =
            (struct app_reason_item){core_verdict_code(bit), core_verdict_approver_text(bit, lang),
                                     core_verdict_short_text(bit, lang)};
    return n;
}

unsigned app_verdict_parse(const char *code)
{
    return core_verdict_parse(code);
}

const struct core_rejection *app_rejections(size_t *n)
{
    *n = core_rejections_count;
    return core_rejections;
}

const struct core_rejection *app_rejection_find(const char *code)
{
    return core_rejection_find(code);
}

const char *app_rejection_text(const struct core_rejection *r, enum core_lang lang)
{
    return core_rejection_text(r, lang);
}

bool app_date_valid(int year, int month, int day)
{
    return core_date_from_ymd(year, month, day, NULL) == 0;
}

void app_date_iso(int32_t day, char out[CORE_DATE_STRLEN + 1])
{
    core_date_format(day, out);
}

void app_date_tr(int32_t day, char out[CORE_DATE_STRLEN + 1])
{
    core_date_format_tr(day, out);
}

int64_t app_day_start_tr(const char *iso)
{
    int32_t day;
    int y, m, d;
    if (!iso || strlen(iso) != CORE_DATE_STRLEN || iso[4] != '-' ||
        core_date_parse(iso, CORE_DATE_STRLEN, &day) != 0)
        return -1;
    core_date_to_ymd(day, &y, &m, &d);
    if (y < 2000 || y > 2200)
        return -1;
    return core_date_tr_to_unix(day);
}

void app_unix_date_iso(int64_t t, char out[CORE_DATE_STRLEN + 1])
{
    if (t)
        core_date_format(core_date_tr_from_unix(t), out);
    else
        out[0] = '\0';
}

void app_time_utc_iso(int64_t t, char out[24])
{
    const int32_t day = core_date_from_unix(t);
    const int64_t sec = t - core_date_to_unix(day); /* 0 .. 86399 but for absurd times */
    const int part[3] = {(int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60)};
    core_date_format(day, out); /* "" outside years 1..9999 */
    if (!out[0] || sec < 0 || sec >= 86400) {
        out[0] = '\0';
        return;
    }
    char *p = out + CORE_DATE_STRLEN;
    for (int i = 0; i < 3; i++) {
        *p++ = i ? ':' : 'T';
        *p++ = (char)('0' + part[i] / 10);
        *p++ = (char)('0' + part[i] % 10);
    }
    *p++ = 'Z';
    *p = '\0';
}

void app_time_tr(int64_t t, enum app_time_fmt fmt, char out[32])
{
    struct core_clock c;
    int n = -1;
    core_time_tr(t, &c);
    if (c.year >= 1 && c.year <= 9999) {
        switch (fmt) {
        case APP_TIME_CLOCK:
            n = snprintf(out, 32, "%02d:%02d", c.hour, c.min);
            break;
        case APP_TIME_DATE:
            n = snprintf(out, 32, "%02d.%02d.%04d", c.mday, c.month, c.year);
            break;
        case APP_TIME_DATETIME:
            n = snprintf(out, 32, "%02d.%02d.%04d %02d:%02d", c.mday, c.month, c.year, c.hour,
                         c.min);
            break;
        case APP_TIME_ISO:
            n = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d+03:00", c.year, c.month, c.mday, c.hour,
                         c.min);
            break;
        }
    }
    if (n < 0 || n >= 32)
        out[0] = '\0';
}

void app_phone_mask(const char *phone10, char out[CORE_PHONE_LEN + 1])
{
    core_phone_mask(phone10, out);
}

const char *app_tckn_problem(const char *v)
{
    return core_tckn_err_code(core_tckn_check(v, strlen(v)));
}

const char *app_postal_problem(const char *v, int province)
{
    return core_postal_err_code(core_postal_check(v, strlen(v), province));
}

bool app_email_valid(const char *v)
{
    return core_email_valid(v, strlen(v));
}

int app_province_lookup(const char *v)
{
    return core_province_lookup(v, strlen(v));
}
