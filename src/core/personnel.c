/* eimza — the personnel record: its columns, and the check of each raw value of the MEBBİS /
 * e-personel export before it is stored (core/: pure). See personnel.h.
 *
 * core_personnel_set() is the single gate for a column's text, used by the CSV import and by
 * anything else that fills a record: normalise (valid UTF-8, trimmed, inner white space
 * folded), then the column's own rule, then store. A refused value leaves the record as it
 * was, so a caller can collect every error of a row and apply nothing.
 */
#include "core/personnel.h"

#include <string.h>

#include "core/date.h"
#include "core/trtext.h"

/* ---- duty status ------------------------------------------------------------------------ */

/* Lower-case ASCII words (duty_matches relies on it). */
static const char *const duty_codes[] = {
    [CORE_DUTY_ACTIVE] = "aktif",
    [CORE_DUTY_LEFT] = "ayrildi",
    [CORE_DUTY_RETIRED] = "emekli",
    [CORE_DUTY_SUSPENDED] = "askida",
};

#define DUTY_COUNT (sizeof duty_codes / sizeof duty_codes[0])

const char *core_duty_code(enum core_duty d)
{
    if ((unsigned)d >= DUTY_COUNT)
        return NULL;
    return duty_codes[d];
}

#define DUTY_KEY_MAX 32

/* The Turkish fold key with İ taken as I. The codes are ASCII spellings of Turkish words
 * ("ayrildi" for "ayrıldı"), and exports write them either way and in either case ("AKTIF",
 * "Ayrıldı"): for these four fixed words the dotted/dotless distinction carries nothing. */
static int duty_key(const char *s, size_t n, char out[DUTY_KEY_MAX])
{
    int len = core_tr_fold(s, n, out, DUTY_KEY_MAX);
    int w = 0;
    if (len < 0)
        return -1;
    for (int r = 0; r < len; r++) {
        if ((unsigned char)out[r] == 0xC4 && r + 1 < len && (unsigned char)out[r + 1] == 0xB0) {
            out[w++] = 'I'; /* U+0130 İ is C4 B0 */
            r++;
        } else {
            out[w++] = out[r];
        }
    }
    out[w] = '\0';
    return w;
}

/* True if s[0..n) is the code, letter for letter (upper: in ASCII upper case). */
static bool duty_matches(const char *s, size_t n, const char *code, bool upper)
{
    for (size_t i = 0; i < n; i++) {
        char c = upper ? (char)(code[i] - ('a' - 'A')) : code[i];
        if (code[i] == '\0' || s[i] != c)
            return false;
    }
    return code[n] == '\0';
}

int core_duty_parse(const char *s, size_t n, enum core_duty *out)
{
    char key[DUTY_KEY_MAX];

    /* The code itself, as this program and most exports write it, needs no folding. */
    for (size_t d = 0; s && d < DUTY_COUNT; d++) {
        if (duty_matches(s, n, duty_codes[d], false)) {
            *out = (enum core_duty)d;
            return 0;
        }
    }
    int klen = duty_key(s, n, key);
    if (klen <= 0)
        return -1;
    /* A code's key is its ASCII upper case: its letters fold to their capitals but for i,
     * which folds to İ and is then taken as I. So the codes need no folding either. */
    for (size_t d = 0; d < DUTY_COUNT; d++) {
        if (duty_matches(key, (size_t)klen, duty_codes[d], true)) {
            *out = (enum core_duty)d;
            return 0;
        }
    }
    return -1;
}

/* ---- columns ---------------------------------------------------------------------------- */

struct pfield_def {
    const char *name;
    bool required;
};

static const struct pfield_def pfields[CORE_PF__COUNT] = {
    [CORE_PF_TCKN] = {"tckn", true},
    [CORE_PF_AD] = {"ad", true},
    [CORE_PF_SOYAD] = {"soyad", true},
    [CORE_PF_DOGUM_YERI] = {"dogum_yeri", true},
    [CORE_PF_DOGUM_TARIHI] = {"dogum_tarihi", true},
    [CORE_PF_KURUM_KODU] = {"kurum_kodu", false},
    [CORE_PF_KURUM_ADI] = {"kurum_adi", true},
    [CORE_PF_IL_KODU] = {"il_kodu", true},
    [CORE_PF_ILCE] = {"ilce", false},
    [CORE_PF_BIRIM] = {"birim", false},
    [CORE_PF_UNVAN] = {"unvan", false},
    [CORE_PF_GOREV_DURUMU] = {"gorev_durumu", true},
    [CORE_PF_GOREVLENDIRME_BITIS] = {"gorevlendirme_bitis", false},
    [CORE_PF_EIMZA_HAKKI] = {"eimza_hakki", true},
    [CORE_PF_EPOSTA] = {"eposta", false},
    [CORE_PF_CEP_TELEFONU] = {"cep_telefonu", false},
    [CORE_PF_KURUM_SICIL_NO] = {"kurum_sicil_no", false},
};

const char *core_pfield_name(enum core_pfield f)
{
    if ((unsigned)f >= CORE_PF__COUNT)
        return NULL;
    return pfields[f].name;
}

bool core_pfield_required(enum core_pfield f)
{
    return (unsigned)f < CORE_PF__COUNT && pfields[f].required;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int core_pfield_lookup(const char *s, size_t n)
{
    if (!s)
        return -1;
    /* A spreadsheet's UTF-8 byte order mark sticks to the first header name. */
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    while (n > 0 && is_ascii_space(s[0])) {
        s++;
        n--;
    }
    while (n > 0 && is_ascii_space(s[n - 1]))
        n--;
    for (int f = 0; f < CORE_PF__COUNT; f++) {
        const char *name = pfields[f].name;
        if (strlen(name) != n)
            continue;
        size_t i = 0;
        while (i < n && ascii_lower(s[i]) == name[i])
            i++;
        if (i == n)
            return f;
    }
    return -1;
}

/* ---- the record ------------------------------------------------------------------------- */

void core_personnel_clear(struct core_personnel *p)
{
    memset(p, 0, sizeof *p);
    p->birth_date = CORE_DATE_NONE;
    p->province = 0;
    p->duty = CORE_DUTY_ACTIVE;
    p->assignment_end = CORE_DATE_NONE;
    p->entitled = false;
}

/* Longer than any column may be once normalised; a value that does not fit is "too_long". */
#define VALUE_MAX 1024

/* Copies a normalised value into a fixed field, or refuses it as too long. */
static const char *store_text(char *field, size_t cap, const char *v, size_t len)
{
    if (len >= cap)
        return "too_long";
    memcpy(field, v, len + 1);
    return NULL;
}

/* Where each text column lives in the record (NULL for the typed ones). */
static char *text_field(struct core_personnel *p, enum core_pfield f, size_t *cap)
{
    switch (f) {
    case CORE_PF_AD:
        *cap = sizeof p->first_name;
        return p->first_name;
    case CORE_PF_SOYAD:
        *cap = sizeof p->last_name;
        return p->last_name;
    case CORE_PF_DOGUM_YERI:
        *cap = sizeof p->birth_place;
        return p->birth_place;
    case CORE_PF_KURUM_KODU:
        *cap = sizeof p->institution_code;
        return p->institution_code;
    case CORE_PF_KURUM_ADI:
        *cap = sizeof p->institution_name;
        return p->institution_name;
    case CORE_PF_ILCE:
        *cap = sizeof p->district;
        return p->district;
    case CORE_PF_BIRIM:
        *cap = sizeof p->unit;
        return p->unit;
    case CORE_PF_UNVAN:
        *cap = sizeof p->title;
        return p->title;
    case CORE_PF_KURUM_SICIL_NO:
        *cap = sizeof p->registry_no;
        return p->registry_no;
    default:
        *cap = 0;
        return NULL;
    }
}

/* Empties an optional column. */
static void clear_field(struct core_personnel *p, enum core_pfield f)
{
    size_t cap;
    char *t = text_field(p, f, &cap);
    if (t) {
        t[0] = '\0';
        return;
    }
    switch (f) {
    case CORE_PF_GOREVLENDIRME_BITIS:
        p->assignment_end = CORE_DATE_NONE;
        break;
    case CORE_PF_EPOSTA:
        p->email[0] = '\0';
        break;
    case CORE_PF_CEP_TELEFONU:
        p->mobile_phone[0] = '\0';
        break;
    default: /* every required column is refused before this */
        break;
    }
}

const char *core_personnel_set(struct core_personnel *p, enum core_pfield f, const char *s,
                               size_t n)
{
    char v[VALUE_MAX];
    size_t cap;
    int32_t day;

    if ((unsigned)f >= CORE_PF__COUNT)
        return "unknown_field";
    /* One pass checks and normalises; only a refused value is looked at again, to tell bad
     * text from text too long for any column. */
    int r = core_tr_normalize(s, n, v, sizeof v);
    if (r < 0) {
        if (!core_utf8_valid(s, n) || (n > 0 && memchr(s, '\0', n)))
            return "not_utf8";
        return "too_long"; /* the text is valid, so it did not fit */
    }
    size_t len = (size_t)r;
    /* controls and the characters that reorder or hide text (issue 19, finding 7): white
     * space was folded to spaces already, so what is left is refused */
    const char *bad = core_text_check_code(core_text_check(v, len, 0));
    if (bad)
        return bad;
    if (len == 0) {
        if (pfields[f].required)
            return "required";
        clear_field(p, f);
        return NULL;
    }

    char *t = text_field(p, f, &cap);
    if (t)
        return store_text(t, cap, v, len);

    switch (f) {
    case CORE_PF_TCKN: {
        enum core_tckn_err e = core_tckn_check(v, len);
        if (e != CORE_TCKN_OK)
            return core_tckn_err_code(e);
        return store_text(p->tckn, sizeof p->tckn, v, len);
    }
    case CORE_PF_DOGUM_TARIHI:
    case CORE_PF_GOREVLENDIRME_BITIS:
        if (core_date_parse(v, len, &day) != 0)
            return "date_format";
        if (f == CORE_PF_DOGUM_TARIHI)
            p->birth_date = day;
        else
            p->assignment_end = day;
        return NULL;
    case CORE_PF_IL_KODU: {
        int plate = core_province_lookup(v, len);
        if (plate == 0)
            return "province_unknown";
        p->province = plate;
        return NULL;
    }
    case CORE_PF_GOREV_DURUMU: {
        enum core_duty d;
        if (core_duty_parse(v, len, &d) != 0)
            return "duty_unknown";
        p->duty = d;
        return NULL;
    }
    case CORE_PF_EIMZA_HAKKI:
        if (len != 1 || (v[0] != '0' && v[0] != '1'))
            return "flag_format";
        p->entitled = v[0] == '1';
        return NULL;
    case CORE_PF_EPOSTA:
        if (!core_email_valid(v, len))
            return "email_format";
        return store_text(p->email, sizeof p->email, v, len);
    case CORE_PF_CEP_TELEFONU: {
        char phone[CORE_PHONE_LEN + 1];
        enum core_phone_err e = core_phone_normalize(v, len, phone);
        if (e == CORE_PHONE_EMPTY) /* only separators, e.g. "-": not an empty column */
            return "phone_format";
        if (e != CORE_PHONE_OK)
            return core_phone_err_code(e);
        memcpy(p->mobile_phone, phone, sizeof phone);
        return NULL;
    }
    default:
        return "unknown_field";
    }
}
