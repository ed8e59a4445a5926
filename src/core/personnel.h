/* eimza — the personnel record (core/: pure, no I/O), as exported by MEBBİS / e-personel and
 * described in docs/INTERFACES.md ("Personnel file"). Fixed-size fields: a record never
 * allocates, so a million-row import streams in constant memory. Text is UTF-8, normalised
 * (trimmed, inner white space folded); names keep the case they came in.
 */
#ifndef EIMZA_CORE_PERSONNEL_H
#define EIMZA_CORE_PERSONNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tckn.h"
#include "core/validate.h"

#define CORE_NAME_MAX  128 /* ad, soyad, dogum_yeri, ilce, unvan (bytes incl. NUL) */
#define CORE_TEXT_MAX  256 /* kurum_adi, birim */
#define CORE_CODE_MAX  32  /* kurum_kodu */
#define CORE_EMAIL_MAX 255 /* 254 + NUL */

enum core_duty {
    CORE_DUTY_ACTIVE = 0, /* aktif */
    CORE_DUTY_LEFT,       /* ayrildi */
    CORE_DUTY_RETIRED,    /* emekli */
    CORE_DUTY_SUSPENDED,  /* askida */
};
const char *core_duty_code(enum core_duty d); /* "aktif", ... */
/* Accepts the codes case-insensitively (Turkish folding: "AYRILDI", "ayrıldı" too). For these
 * four ASCII-spelt words dotted and dotless i are the same ("AKTIF", "AKTİF", "aktif"). */
int core_duty_parse(const char *s, size_t n, enum core_duty *out);

struct core_personnel {
    char tckn[CORE_TCKN_LEN + 1];
    char first_name[CORE_NAME_MAX]; /* ad */
    char last_name[CORE_NAME_MAX];  /* soyad */
    char birth_place[CORE_NAME_MAX];
    int32_t birth_date; /* core/date.h days */
    char institution_code[CORE_CODE_MAX];
    char institution_name[CORE_TEXT_MAX];
    int province; /* il_kodu, plate 1..81 */
    char district[CORE_NAME_MAX];
    char unit[CORE_TEXT_MAX];
    char title[CORE_NAME_MAX];
    enum core_duty duty;
    int32_t assignment_end;                /* CORE_DATE_NONE when the column is empty */
    bool entitled;                         /* eimza_hakki */
    char email[CORE_EMAIL_MAX];            /* "" when none */
    char mobile_phone[CORE_PHONE_LEN + 1]; /* normalised 5XXXXXXXXX, "" when none */
    char registry_no[CORE_CODE_MAX];       /* kurum_sicil_no (optional column), "" when none */
};

/* The columns of the personnel file. */
enum core_pfield {
    CORE_PF_TCKN,
    CORE_PF_AD,
    CORE_PF_SOYAD,
    CORE_PF_DOGUM_YERI,
    CORE_PF_DOGUM_TARIHI,
    CORE_PF_KURUM_KODU,
    CORE_PF_KURUM_ADI,
    CORE_PF_IL_KODU,
    CORE_PF_ILCE,
    CORE_PF_BIRIM,
    CORE_PF_UNVAN,
    CORE_PF_GOREV_DURUMU,
    CORE_PF_GOREVLENDIRME_BITIS,
    CORE_PF_EIMZA_HAKKI,
    CORE_PF_EPOSTA,
    CORE_PF_CEP_TELEFONU,
    CORE_PF_KURUM_SICIL_NO, /* optional: the institution's registry number, shown locked */
    CORE_PF__COUNT
};
/* The header name of a column ("tckn", "ad", ..., "cep_telefonu", "kurum_sicil_no"). */
const char *core_pfield_name(enum core_pfield f);
/* The column for a header name (ASCII case-insensitive, surrounding space ignored), or -1. */
int core_pfield_lookup(const char *s, size_t n);
/* True for the columns a file must have and a row must fill: tckn, ad, soyad, dogum_yeri,
 * dogum_tarihi, kurum_adi, il_kodu, gorev_durumu, eimza_hakki. */
bool core_pfield_required(enum core_pfield f);

/* Empties a record: "" strings, CORE_DATE_NONE dates, province 0, duty active, entitled
 * false. */
void core_personnel_clear(struct core_personnel *p);

/* Validates the raw text of one column and stores it in p. Returns NULL on success, or the
 * reason code (core/reason.h, e.g. "tckn_checksum", "required", "too_long", "date_format")
 * when the value is refused; p's field is then left unchanged. An empty value is accepted for
 * optional columns and refused with "required" for required ones.
 * Every value is first normalised with core_tr_normalize ("not_utf8" for invalid UTF-8 or a
 * NUL byte; empty after trimming counts as empty); then, per column:
 *   tckn                "tckn_length" | "tckn_not_digits" | "tckn_leading_zero" | "tckn_checksum"
 *   dogum_tarihi, gorevlendirme_bitis   "date_format" (either form; also impossible dates)
 *   il_kodu             "province_unknown" (plate "6"/"06" or exact name, Turkish-folded)
 *   gorev_durumu        "duty_unknown" (core_duty_parse)
 *   eimza_hakki         "flag_format" (exactly "1" or "0")
 *   eposta              "email_format" (core_email_valid)
 *   cep_telefonu        "phone_format" | "phone_not_mobile" (stored as 5XXXXXXXXX)
 *   text columns        "too_long" when the normalised text does not fit the field
 * and "unknown_field" for an f outside the enum. */
const char *core_personnel_set(struct core_personnel *p, enum core_pfield f, const char *s,
                               size_t n);

#endif
