/* eimza — the domain's words for the layers above app (app/): people's text for reason codes,
 * the names of provinces, states, verdict reasons, duties and the ready rejection texts, dates
 * and phone numbers written as people read them, and single values checked on their own.
 *
 * The layers above app (web/) include only app's headers and util's: what they show of the
 * domain comes through here, or ready-made in app's views. These are thin on purpose: the
 * rules and the tables stay in core/, where the use cases read them too.
 */
#ifndef EIMZA_APP_TEXT_H
#define EIMZA_APP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/appstate.h"
#include "core/catalogue.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/personnel.h"
#include "core/reason.h"
#include "core/validate.h"

/* The catalogue's text of a key ("page.service_name"), or of the key "<group>.<name>", in a
 * language (core/catalogue.h); NULL when there is no such key. */
const char *app_text(const char *key, enum core_lang lang);
const char *app_text_of(const char *group, const char *name, enum core_lang lang);
/* The form of key for a count n (core_text_n: "1 application", "2 applications"). */
const char *app_text_n(const char *key, unsigned long n, enum core_lang lang);
/* A text with {0} replaced by arg, into out (core_text_fill): out, or NULL when cut short. */
const char *app_text_fill(const char *text, const char *arg, char *out, size_t cap);
/* The message of a reason code in a language (a generic one for an unknown code). */
const char *app_reason_text(const char *code, enum core_lang lang);
/* The same in this deployment: where the cards are made in house (production = inhouse), a
 * reason whose general message sends the holder to Kamu SM (its card, its call centre) has an
 * in-house twin "reason_inhouse.<code>" naming the e-imza sorumlusu or the il DYS unit instead,
 * given in its place (as web_msg_deployed does for the pages' texts); any other code, and every
 * code in a card bureau's deployment, app_reason_text. Same code; never NULL. */
const char *app_reason_text_deployed(const char *code, enum core_lang lang, bool inhouse);
/* A refused row's reason for the staff member who imports a personnel file: the catalogue's
 * "import.<code>" where the general reason speaks to an applicant about their own data ("your
 * identity card"), else app_reason_text. Never NULL. */
const char *app_import_reason_text(const char *code, enum core_lang lang);
/* A refusal's message for staff (the staff pages, the admin API's error answers): the
 * catalogue's "staff.<code>" where the general reason speaks to the holder or applicant ("your
 * PIN"), else app_reason_text. The code stays the same; only the words change. Never NULL. */
const char *app_staff_reason_text(const char *code, enum core_lang lang);
/* What to do about a refusal of one field, in its own words ("Posta kodunu giriniz." rather
 * than "Bu alan zorunludur"): the catalogue's "field.<field>.<code>" when there is one, else
 * the reason's message in this deployment (app_reason_text_deployed). Never NULL. */
const char *app_field_message(const char *field, const char *code, enum core_lang lang,
                              bool inhouse);
/* Dotted versions compared part by part (core/version.h): -1, 0, 1; -2 when malformed. */
int app_version_cmp(const char *a, const char *b);
/* A province's name by its plate code (1..81); "" for any other number. */
const char *app_province_name(int plate);
/* A state's code ("submitted") and its label in a language. */
const char *app_state_code(enum core_app_state st);
const char *app_state_label(enum core_app_state st, enum core_lang lang);
const char *app_state_label_tr(enum core_app_state st);
/* A duty's code in the personnel file ("aktif", ...). */
const char *app_duty_code(enum core_duty d);

/* A verdict's reasons, in order: their stable codes, and the texts the approver reads. */
struct app_reason_item {
    const char *code;
    const char *text;  /* in the language asked for */
    const char *label; /* the same as a short label (a verdict reason's; else the text) */
};
/* Writes the reasons of a verdict's bits into out (at most cap); returns how many. */
size_t app_verdict_reasons(unsigned reasons, enum core_lang lang, struct app_reason_item *out,
                           size_t cap);
/* The bit of a verdict reason's code; 0 for an unknown one. */
unsigned app_verdict_parse(const char *code);

/* The ready rejection texts (core/eligibility.h's table) and their count. */
const struct core_rejection *app_rejections(size_t *n);
/* The ready text of a code, or NULL. */
const struct core_rejection *app_rejection_find(const char *code);
/* A ready rejection's text in a language. */
const char *app_rejection_text(const struct core_rejection *r, enum core_lang lang);

/* True when year, month and day make a day of the calendar (31.04 and 29.02.2023 do not). */
bool app_date_valid(int year, int month, int day);
/* A calendar day (core/date.h) as YYYY-MM-DD or DD.MM.YYYY; "" for none. */
void app_date_iso(int32_t day, char out[CORE_DATE_STRLEN + 1]);
void app_date_tr(int32_t day, char out[CORE_DATE_STRLEN + 1]);
/* The start (00:00 in Turkey) of a day typed as YYYY-MM-DD, years 2000..2200, as Unix seconds;
 * -1 for any other shape or an impossible day (a date field's value: the audit log's filter). */
int64_t app_day_start_tr(const char *iso);
/* The day of a moment (Unix seconds) in Turkey (core/date.h) as YYYY-MM-DD; "" for 0. */
void app_unix_date_iso(int64_t t, char out[CORE_DATE_STRLEN + 1]);
/* A moment in UTC as "YYYY-MM-DDTHH:MM:SSZ" (the JSON answers' times); "" outside years
 * 1..9999. By calendar arithmetic, not gmtime_r and strftime, which take libc's time zone lock
 * on every call (the status answer writes one per timeline entry). */
void app_time_utc_iso(int64_t t, char out[24]);
/* A moment in Turkey's time as people read it (core_time_tr); "" when it cannot be written. */
enum app_time_fmt {
    APP_TIME_CLOCK,    /* 14:05 */
    APP_TIME_DATE,     /* 27.03.2026 */
    APP_TIME_DATETIME, /* 27.03.2026 14:05 */
    APP_TIME_ISO,      /* 2026-03-27T14:05+03:00 (a <time datetime>) */
};
void app_time_tr(int64_t t, enum app_time_fmt fmt, char out[32]);
/* A mobile number masked for people who need not see it ("5*******67"). */
void app_phone_mask(const char *phone10, char out[CORE_PHONE_LEN + 1]);

/* One value checked on its own, as the form's use case checks it (for the component sample of
 * the pages, web/pages/landing.c): NULL when it is good, else its reason code. */
const char *app_tckn_problem(const char *v);
const char *app_postal_problem(const char *v, int province);
bool app_email_valid(const char *v);
/* The plate code of a province given by number or name; 0 when none. */
int app_province_lookup(const char *v);

#endif
