/* eimza — step 2 of the portal: the application form (see portal.h).
 *
 * The draft is pre-filled from the personnel record (names, institution, unit, title,
 * province, district, e-mail, mobile phone) and the current certificate (its expiry: the
 * renewal phase). Names and birth data are copied into the application, so that the content
 * to sign can be rendered again later from the application alone. Every field of a submitted
 * form is validated with the core validators and each failure is reported on its own field;
 * a valid form is saved and confirmed. The security word is hashed with Argon2id before it
 * goes anywhere, and the hash is never shown.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/portal_int.h"
#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "core/validate.h"
#include "util/log.h"
#include "util/rand.h"

/* ---- fields -------------------------------------------------------------------------------- */

static const char *const field_names[APP_F__COUNT] = {
    [APP_F_NUMBER] = "number",
    [APP_F_STATE] = "state",
    [APP_F_TCKN] = "tckn",
    [APP_F_FIRST_NAME] = "first_name",
    [APP_F_LAST_NAME] = "last_name",
    [APP_F_BIRTH_PLACE] = "birth_place",
    [APP_F_BIRTH_DATE] = "birth_date",
    [APP_F_INSTITUTION_NAME] = "institution_name",
    [APP_F_REGISTRY_NO] = "registry_no",
    [APP_F_REASON] = "reason",
    [APP_F_CARD_READER] = "card_reader",
    [APP_F_VALIDITY_YEARS] = "validity_years",
    [APP_F_SECURITY_WORD] = "security_word",
    [APP_F_SECURITY_WORD_REPEAT] = "security_word_repeat",
    [APP_F_UNIT] = "unit",
    [APP_F_TITLE] = "title",
    [APP_F_ADDRESS] = "address",
    [APP_F_PROVINCE] = "province",
    [APP_F_DISTRICT] = "district",
    [APP_F_POSTAL_CODE] = "postal_code",
    [APP_F_EMAIL] = "email",
    [APP_F_WORK_PHONE] = "work_phone",
    [APP_F_WORK_PHONE_EXT] = "work_phone_ext",
    [APP_F_MOBILE_PHONE] = "mobile_phone",
    [APP_F_MOBILE_OPERATOR] = "mobile_operator",
    [APP_F_HOME_PHONE] = "home_phone",
    [APP_F_NOTIFY_BY] = "notify_by",
};

const char *app_field_name(enum app_field f)
{
    return (unsigned)f < APP_F__COUNT ? field_names[f] : NULL;
}

int app_field_lookup(const char *name)
{
    for (int i = 0; i < APP_F__COUNT; i++)
        if (!strcmp(field_names[i], name))
            return i;
    return -1;
}

bool app_field_read_only(enum app_field f)
{
    return f <= APP_F_REGISTRY_NO || f == APP_F_MOBILE_PHONE;
}

/* The limit of each free-text field in characters (portal.h): the checks below, the pages'
 * maxlength and the field's own message ("field.address.too_long" in po/) say the same. */
static const int field_max_chars[APP_F__COUNT] = {
    [APP_F_UNIT] = APP_UNIT_MAX,
    [APP_F_TITLE] = APP_TITLE_MAX,
    [APP_F_ADDRESS] = APP_ADDRESS_MAX,
    [APP_F_DISTRICT] = APP_DISTRICT_MAX,
    [APP_F_EMAIL] = APP_EMAIL_MAX,
    [APP_F_SECURITY_WORD] = APP_SECURITY_WORD_MAX,
    [APP_F_SECURITY_WORD_REPEAT] = APP_SECURITY_WORD_MAX,
};

int app_field_max_chars(enum app_field f)
{
    return (unsigned)f < APP_F__COUNT ? field_max_chars[f] : 0;
}

/* ---- the draft ----------------------------------------------------------------------------- */

/* 10 characters of Crockford's base32 (no I, L, O, U): 50 random bits, easy to read aloud. */
static int new_number(char out[STORE_APP_NUMBER_LEN + 1])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for (size_t i = 0; i < STORE_APP_NUMBER_LEN; i++) {
        uint32_t k;
        if (urand_uniform(32, &k) < 0)
            return -1;
        out[i] = alphabet[k];
    }
    out[STORE_APP_NUMBER_LEN] = '\0';
    return 0;
}

/* Copies src into dst[cap], cut at a character boundary when it does not fit (the sources
 * are validated to fit; this only keeps a bad record from overflowing). */
static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    while (n > 0 && n < strlen(src) && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#define COPY(dst, src) copy_text((dst), sizeof(dst), (src))

static void prefill(struct store_application *a, const struct core_personnel *p, bool has_p,
                    int64_t cert_not_after, int64_t now)
{
    memset(a, 0, sizeof *a);
    COPY(a->state, core_app_state_code(CORE_APP_DRAFT));
    COPY(a->reason, "renewal");
    COPY(a->card_reader, "none");
    a->validity_years = 3;
    COPY(a->notify_by, "both");
    a->cert_not_after = cert_not_after;
    a->created_at = a->updated_at = now;
    if (!has_p)
        return;
    COPY(a->first_name, p->first_name);
    COPY(a->last_name, p->last_name);
    COPY(a->birth_place, p->birth_place);
    core_date_format(p->birth_date, a->birth_date);
    COPY(a->institution_name, p->institution_name);
    COPY(a->registry_no, p->registry_no);
    COPY(a->unit, p->unit);
    COPY(a->title, p->title);
    a->province = p->province;
    COPY(a->district, p->district);
    COPY(a->email, p->email);
    COPY(a->mobile_phone, p->mobile_phone);
}

/* The fields that stay the personnel record's while the form can still change (draft, or
 * code verified): the mobile number the SMS code goes to, and the registry number. A record
 * corrected by the personnel unit shows at once; with no record, what the draft was made with
 * stays. */
static void from_record(struct store_application *a, const struct core_personnel *p, bool has_p)
{
    enum core_app_state st;
    if (!has_p || core_app_state_parse(a->state, &st) != 0 ||
        (st != CORE_APP_DRAFT && st != CORE_APP_CODE_VERIFIED))
        return;
    COPY(a->mobile_phone, p->mobile_phone);
    COPY(a->registry_no, p->registry_no);
}

/* The view of application a with its extras: eligibility, the phase and the notices. */
static enum app_status fill_view(struct store *s, const struct app_portal_cfg *cfg,
                                 const struct app_session *ss, int64_t now,
                                 const struct store_application *a, struct app_view *v,
                                 struct app_err *err)
{
    struct core_personnel p;
    struct store_application shown = *a;
    enum store_err e = store_personnel_get(s, a->tckn, &p);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading a personnel record", NULL, NULL, err);
    v->has_record = e == STORE_OK;
    from_record(&shown, &p, v->has_record);
    app__application_view(&shown, &v->app);
    v->approver_province = v->has_record && p.province ? p.province : a->province;
    v->inelig = core_eligibility(v->has_record ? &p : NULL, core_date_tr_from_unix(now));
    v->ninelig = 0;
    for (unsigned bit = 1; bit && bit <= CORE_INELIG_NOT_ENTITLED; bit <<= 1)
        if ((v->inelig & bit) && v->ninelig < sizeof v->inelig_codes / sizeof v->inelig_codes[0])
            v->inelig_codes[v->ninelig++] = core_inelig_code(bit);
    if (app__phase(s, cfg, a->tckn, now, &v->has_cert, &v->cert_not_after, &v->phase, err) !=
        APP_OK)
        return err->status;
    v->phase_code = core_phase_code(v->phase);
    bool limit;
    if (app__methods(s, cfg, a->tckn, v->phase, &v->methods, &limit, err) != APP_OK)
        return err->status;
    bool lost = !strcmp(a->reason, "lost_stolen"); /* the lost card cannot sign for itself */
    if (lost)
        v->methods &= ~(unsigned)CORE_METHOD_ESIGN;
    v->security_word_set = a->security_word_hash[0] != '\0';
    v->nnotices = 0;
    if (v->inelig)
        v->notices[v->nnotices++] = "ineligible_warning";
    if (v->phase == CORE_PHASE_NOT_OPEN && !strcmp(v->app.reason, "renewal"))
        v->notices[v->nnotices++] = "renewal_not_open";
    if (v->phase == CORE_PHASE_LATE)
        v->notices[v->nnotices++] = "late";
    if (v->phase == CORE_PHASE_EXPIRED)
        v->notices[v->nnotices++] = "renewal_after_expiry";
    if (limit && v->nnotices < sizeof v->notices / sizeof v->notices[0])
        v->notices[v->nnotices++] = "remote_renewal_limit";
    if (lost && v->nnotices < sizeof v->notices / sizeof v->notices[0])
        v->notices[v->nnotices++] = "lost_card_wet_only";
    COPY(v->csrf, ss->csrf);
    return APP_OK;
}

/* Makes a draft for the session's person (one try with one number). */
static enum store_err create_draft(struct store *s, const struct app_session *ss, int64_t now,
                                   struct store_application *a)
{
    struct core_personnel p;
    struct core_certificate c;
    char actor[32];
    enum store_err e = store_personnel_get(s, ss->subject, &p);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    bool has_p = e == STORE_OK;
    e = store_certificate_current(s, ss->subject, &c);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    prefill(a, &p, has_p, e == STORE_OK ? c.not_after : 0, now);
    COPY(a->tckn, ss->subject);
    if (new_number(a->number) < 0)
        return STORE_EIO;
    app__actor(ss->subject, actor);
    struct store_app_event ev = {now, "", a->state, "created", actor};
    if ((e = store_tx_begin(s)) != STORE_OK)
        return e;
    e = store_app_create(s, a, &ev);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, "application.create", a->number, NULL);
    if (e == STORE_OK)
        return store_tx_commit(s);
    store_tx_rollback(s);
    return e;
}

enum app_status app_application_current(const struct app_ctx *c, struct app_view *out,
                                        struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    struct store_application a;
    enum store_err e = STORE_OK;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    e = app__draft_for(s, ss, now, false, &a);
    if (e != STORE_OK)
        return app__store_err(s, e, "opening the application", NULL, NULL, err);
    return app__bind_view(s, &c->set->portal, ss, now, &a, out, err);
}

enum store_err app__draft_for(struct store *s, const struct app_session *ss, int64_t now,
                              bool fresh, struct store_application *a)
{
    enum store_err e = STORE_OK;
    enum core_app_state st;
    /* A person has at most one application still going (the store makes sure); when two
     * requests race to make the draft, the loser finds the winner's. A number already taken
     * (50 bits: practically never) just takes another try. The newest application, even a
     * rejected, cancelled or completed one, is the current one unless a fresh one is asked
     * for (app_application_start): its decision stays in sight. */
    for (int tries = 0; tries < 5; tries++) {
        e = store_app_latest(s, ss->subject, a);
        if (e == STORE_OK &&
            (!fresh || (core_app_state_parse(a->state, &st) == 0 && !core_app_is_final(st))))
            break;
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            break;
        e = create_draft(s, ss, now, a);
        if (e != STORE_ECONFLICT)
            break;
    }
    return e;
}

enum app_status app__bind_view(struct store *s, const struct app_portal_cfg *cfg,
                               const struct app_session *ss, int64_t now,
                               const struct store_application *a, struct app_view *out,
                               struct app_err *err)
{
    if (ss->application_id != a->id) {
        enum store_err e = store_session_bind(s, ss->token_hash, a->id);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return app__store_err(s, e, "binding the session", NULL, NULL, err);
    }
    return fill_view(s, cfg, ss, now, a, out, err);
}

int app_applicant_province(const struct app_ctx *c)
{
    struct core_personnel p;
    if (c->who.kind != APP_ACTOR_APPLICANT || !c->db ||
        store_personnel_get(c->db, c->who.session.subject, &p) != STORE_OK)
        return 0;
    return p.province;
}

/* ---- validation ---------------------------------------------------------------------------- */

/* A text field: normalised (trimmed, inner space folded), required or not, into dst; longer
 * than the field's limit in characters (or than dst) is too_long. Controls and the characters
 * that reorder or hide text are refused (core_text_check). */
static void set_text(struct app_err *err, enum app_field f, const char *v, char *dst, size_t cap,
                     bool required)
{
    char tmp[STORE_ADDRESS_MAX];
    const char *bad = core_text_check_code(core_text_check(v, strlen(v), 0));
    if (bad) {
        app_err_field(err, field_names[f], bad);
        return;
    }
    int n = core_tr_normalize(v, strlen(v), tmp, cap < sizeof tmp ? cap : sizeof tmp);
    if (n >= 0 && field_max_chars[f] &&
        core_utf8_chars(tmp, strlen(tmp)) > (size_t)field_max_chars[f])
        app_err_field(err, field_names[f], "too_long");
    else if (n < 0)
        app_err_field(err, field_names[f],
                      core_utf8_valid(v, strlen(v)) && !memchr(v, 0, strlen(v)) ? "too_long"
                                                                                : "not_utf8");
    else if (n == 0 && required)
        app_err_field(err, field_names[f], "required");
    else
        memcpy(dst, tmp, (size_t)n + 1);
}

#define SET_TEXT(err, f, v, dst, req) set_text((err), (f), (v), (dst), sizeof(dst), (req))

static bool one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(v, *list))
            return true;
    return false;
}

/* The security word's rules; NULL when it is acceptable. */
static const char *security_word_problem(const char *w, const struct store_application *a)
{
    size_t n = strlen(w);
    const char *bad = core_text_check_code(core_text_check(w, n, 0));
    if (bad)
        return bad;
    size_t chars = core_utf8_chars(w, strlen(w));
    if (chars < APP_SECURITY_WORD_MIN || chars > APP_SECURITY_WORD_MAX)
        return "security_word_length";
    if (strspn(w, "0123456789") == n)
        return "security_word_digits";
    if ((a->first_name[0] && core_tr_equal(w, n, a->first_name, strlen(a->first_name))) ||
        (a->last_name[0] && core_tr_equal(w, n, a->last_name, strlen(a->last_name))))
        return "security_word_name";
    return NULL;
}

/* A read-only field sent back: unchanged is fine (names compared as names). */
static bool read_only_same(enum app_field f, const char *v, const struct store_application *a)
{
    char masked[CORE_TCKN_LEN + 1];
    switch (f) {
    case APP_F_NUMBER:
        return !strcmp(v, a->number);
    case APP_F_STATE:
        return !strcmp(v, a->state);
    case APP_F_TCKN:
        core_tckn_mask(a->tckn, masked);
        return !strcmp(v, a->tckn) || !strcmp(v, masked);
    case APP_F_FIRST_NAME:
        return core_tr_equal(v, strlen(v), a->first_name, strlen(a->first_name));
    case APP_F_LAST_NAME:
        return core_tr_equal(v, strlen(v), a->last_name, strlen(a->last_name));
    case APP_F_BIRTH_PLACE:
        return core_tr_equal(v, strlen(v), a->birth_place, strlen(a->birth_place));
    case APP_F_BIRTH_DATE:
        return !strcmp(v, a->birth_date);
    case APP_F_INSTITUTION_NAME:
        return core_tr_equal(v, strlen(v), a->institution_name, strlen(a->institution_name));
    case APP_F_REGISTRY_NO:
        return !strcmp(v, a->registry_no);
    case APP_F_MOBILE_PHONE: {
        /* the number on record, in any of the forms people write it */
        char ph[CORE_PHONE_LEN + 1];
        if (!*v)
            return !a->mobile_phone[0];
        return core_phone_normalize(v, strlen(v), ph) == CORE_PHONE_OK &&
               !strcmp(ph, a->mobile_phone);
    }
    default:
        return false;
    }
}

/* The choices of the form's first part: reason, card reader, validity. */
static void apply_choices(const struct app_portal_cfg *cfg, const char *const *v,
                          struct store_application *a, struct app_err *err)
{
    static const char *const reasons[] = {"renewal", "lost_stolen", "other", NULL};
    if (v[APP_F_REASON]) {
        if (one_of(v[APP_F_REASON], reasons))
            COPY(a->reason, v[APP_F_REASON]);
        else
            app_err_field(err, "reason", "reason_unknown");
    }
    if (v[APP_F_CARD_READER]) {
        const char *r = v[APP_F_CARD_READER];
        const char *found = (!*r || !strcmp(r, "none")) ? "none" : NULL;
        for (size_t i = 0; !found && i < cfg->ncard_readers; i++)
            if (core_tr_equal(r, strlen(r), cfg->card_readers[i], strlen(cfg->card_readers[i])))
                found = cfg->card_readers[i];
        if (found)
            COPY(a->card_reader, found);
        else
            app_err_field(err, "card_reader", "card_reader_unknown");
    }
    if (v[APP_F_VALIDITY_YEARS]) {
        const char *y = v[APP_F_VALIDITY_YEARS];
        if (y[0] >= '1' && y[0] <= '3' && y[1] == '\0')
            a->validity_years = y[0] - '0';
        else
            app_err_field(err, "validity_years", "validity_years_range");
    }
}

/* Where the person works: unit, title, address, district, province, postal code. False when
 * the province sent is not one (the postal code is then not held against it). */
static bool apply_workplace(const char *const *v, struct store_application *a, struct app_err *err)
{
    bool province_ok = true;
    if (v[APP_F_UNIT])
        SET_TEXT(err, APP_F_UNIT, v[APP_F_UNIT], a->unit, true);
    if (v[APP_F_TITLE])
        SET_TEXT(err, APP_F_TITLE, v[APP_F_TITLE], a->title, true);
    if (v[APP_F_ADDRESS])
        SET_TEXT(err, APP_F_ADDRESS, v[APP_F_ADDRESS], a->address, true);
    if (v[APP_F_DISTRICT])
        SET_TEXT(err, APP_F_DISTRICT, v[APP_F_DISTRICT], a->district, true);
    if (v[APP_F_PROVINCE]) {
        int plate = core_province_lookup(v[APP_F_PROVINCE], strlen(v[APP_F_PROVINCE]));
        if (plate) {
            a->province = plate;
        } else {
            app_err_field(err, "province", *v[APP_F_PROVINCE] ? "province_unknown" : "required");
            province_ok = false;
        }
    }
    if (v[APP_F_POSTAL_CODE]) {
        char pc[64] = "";
        SET_TEXT(err, APP_F_POSTAL_CODE, v[APP_F_POSTAL_CODE], pc, false);
        if (strlen(pc) < sizeof a->postal_code)
            COPY(a->postal_code, pc);
        else
            app_err_field(err, "postal_code", "postal_format");
    }
    return province_ok;
}

/* A phone number field into dst (CORE_PHONE_LEN + 1): "" clears an optional one; any: a
 * landline is fine too (the mobile number must be a mobile one). */
static void apply_phone(struct app_err *err, const char *field, const char *v, char *dst,
                        bool optional, bool any)
{
    char ph[CORE_PHONE_LEN + 1] = "";
    enum core_phone_err pe = CORE_PHONE_OK;
    if (!optional || *v)
        pe = any ? core_phone_normalize_any(v, strlen(v), ph)
                 : core_phone_normalize(v, strlen(v), ph);
    if (pe == CORE_PHONE_OK)
        memcpy(dst, ph, sizeof ph);
    else
        app_err_field(err, field, core_phone_err_code(pe));
}

/* How to reach the person: e-mail, phones, the mobile operator, the notification choice. */
static void apply_contact(const char *const *v, struct store_application *a, struct app_err *err)
{
    static const char *const notify[] = {"email", "sms", "both", NULL};
    static const char *const operators[] = {"turkcell", "vodafone", "turk_telekom", NULL};
    if (v[APP_F_EMAIL]) {
        char em[CORE_EMAIL_MAX];
        em[0] = '\0';
        SET_TEXT(err, APP_F_EMAIL, v[APP_F_EMAIL], em, false);
        COPY(a->email, em);
    }
    if (v[APP_F_WORK_PHONE])
        apply_phone(err, "work_phone", v[APP_F_WORK_PHONE], a->work_phone, true, true);
    if (v[APP_F_WORK_PHONE_EXT]) {
        const char *x = v[APP_F_WORK_PHONE_EXT];
        size_t n = strlen(x);
        if (n <= 6 && strspn(x, "0123456789") == n)
            COPY(a->work_phone_ext, x);
        else
            app_err_field(err, "work_phone_ext", "phone_ext_format");
    }
    if (v[APP_F_MOBILE_OPERATOR]) {
        if (one_of(v[APP_F_MOBILE_OPERATOR], operators))
            COPY(a->mobile_operator, v[APP_F_MOBILE_OPERATOR]);
        else if (!*v[APP_F_MOBILE_OPERATOR])
            app_err_field(err, "mobile_operator", "required");
        else
            app_err_field(err, "mobile_operator", "operator_unknown");
    }
    if (v[APP_F_HOME_PHONE])
        apply_phone(err, "home_phone", v[APP_F_HOME_PHONE], a->home_phone, true, true);
    if (v[APP_F_NOTIFY_BY]) {
        if (one_of(v[APP_F_NOTIFY_BY], notify))
            COPY(a->notify_by, v[APP_F_NOTIFY_BY]);
        else
            app_err_field(err, "notify_by", "notify_by_unknown");
    }
}

/* The whole form as it would be saved: what is required, and what depends on two fields (the
 * postal code's first two digits are the province's plate code). */
static void check_whole(const struct store_application *a, bool province_ok, struct app_err *err)
{
    if (!a->unit[0])
        app_err_field(err, "unit", "required");
    if (!a->title[0])
        app_err_field(err, "title", "required");
    if (!a->address[0])
        app_err_field(err, "address", "required");
    if (!a->district[0])
        app_err_field(err, "district", "required");
    if (!a->province && province_ok)
        app_err_field(err, "province", "required");
    if (!a->postal_code[0]) {
        app_err_field(err, "postal_code", "required");
    } else {
        enum core_postal_err pe = core_postal_check(a->postal_code, strlen(a->postal_code),
                                                    province_ok ? a->province : 0);
        if (pe != CORE_POSTAL_OK)
            app_err_field(err, "postal_code", core_postal_err_code(pe));
    }
    if (!a->email[0])
        app_err_field(err, "email", "required");
    else if (!core_email_valid(a->email, strlen(a->email)))
        app_err_field(err, "email", "email_format");
    if (!a->mobile_phone[0]) /* the personnel record has none: the SMS code cannot go out */
        app_err_field(err, "mobile_phone", "no_mobile_on_file");
    if (!a->mobile_operator[0])
        app_err_field(err, "mobile_operator", "required");
}

/* The security word: both copies the same, and the rules; or kept when both are empty and one
 * is saved. */
static void check_security_word(const char *const *v, const struct store_application *a,
                                struct app_err *err)
{
    const char *w = v[APP_F_SECURITY_WORD] ? v[APP_F_SECURITY_WORD] : "";
    const char *w2 = v[APP_F_SECURITY_WORD_REPEAT] ? v[APP_F_SECURITY_WORD_REPEAT] : "";
    if (!*w && !*w2) {
        if (!a->security_word_hash[0])
            app_err_field(err, "security_word", "required");
        return;
    }
    const char *why = security_word_problem(w, a);
    if (!*w)
        app_err_field(err, "security_word", "required");
    else if (why)
        app_err_field(err, "security_word", why);
    if (strcmp(w, w2) != 0)
        app_err_field(err, "security_word_repeat", *w2 ? "security_word_mismatch" : "required");
}

/* Applies the form to a (a copy of the saved application) part by part, in the form's order;
 * every problem goes to err. */
static void apply_form(const struct app_portal_cfg *cfg, const struct app_form *f,
                       struct store_application *a, struct app_err *err)
{
    const char *const *v = f->v;
    for (size_t i = 0; i < f->npre; i++)
        app_err_field(err, f->pre[i].field, f->pre[i].code);
    for (int i = 0; i < APP_F__COUNT; i++)
        if (v[i] && app_field_read_only((enum app_field)i) &&
            !read_only_same((enum app_field)i, v[i], a))
            app_err_field(err, field_names[i], "read_only");
    apply_choices(cfg, v, a, err);
    bool province_ok = apply_workplace(v, a, err);
    apply_contact(v, a, err);
    check_whole(a, province_ok, err);
    check_security_word(v, a, err);
}

/* Argon2id at OWASP's recommended cost for interactive use (19 MiB, 2 passes): enough to make
 * guessing from a stolen database slow, cheap enough for a form submit. */
#define PWHASH_OPS 2
#define PWHASH_MEM (19u << 20)

static int hash_word(const char *w, char out[STORE_PWHASH_MAX])
{
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str_alg(out, w, strlen(w), PWHASH_OPS, PWHASH_MEM,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

/* True when the editable fields differ (the security word given counts as a change). */
static bool form_changed(const struct store_application *x, const struct store_application *y,
                         bool new_word)
{
    return new_word || strcmp(x->reason, y->reason) || strcmp(x->card_reader, y->card_reader) ||
           x->validity_years != y->validity_years || strcmp(x->unit, y->unit) ||
           strcmp(x->title, y->title) || strcmp(x->address, y->address) ||
           x->province != y->province || strcmp(x->district, y->district) ||
           strcmp(x->postal_code, y->postal_code) || strcmp(x->email, y->email) ||
           strcmp(x->work_phone, y->work_phone) || strcmp(x->work_phone_ext, y->work_phone_ext) ||
           strcmp(x->mobile_phone, y->mobile_phone) ||
           strcmp(x->mobile_operator, y->mobile_operator) || strcmp(x->home_phone, y->home_phone) ||
           strcmp(x->notify_by, y->notify_by);
}

enum app_status app_application_update(const struct app_ctx *c, const struct app_form *f,
                                       struct app_view *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_portal_cfg *cfg = &c->set->portal;
    const int64_t now = c->now;
    struct store_application old, a;
    enum core_app_state st;
    char actor[32];
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;

    if (app__load(s, ss, &old, err) != APP_OK)
        return err->status;
    if (core_app_state_parse(old.state, &st) != 0 ||
        (st != CORE_APP_DRAFT && st != CORE_APP_CODE_VERIFIED))
        return app__fail(err, APP_ECONFLICT, "wrong_state");

    a = old;
    struct core_personnel p;
    enum store_err pe = store_personnel_get(s, a.tckn, &p);
    if (pe != STORE_OK && pe != STORE_ENOTFOUND)
        return app__store_err(s, pe, "reading a personnel record", NULL, NULL, err);
    from_record(&a, &p, pe == STORE_OK);
    apply_form(cfg, f, &a, err);
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");

    const char *w = f->v[APP_F_SECURITY_WORD];
    bool new_word = w && *w;
    if (new_word) {
        /* the same bound as the staff login's hashes (app/hash_gate.c) */
        if (!app_hash_gate_enter(c->set->hash_gate)) {
            err->retry_after = 1;
            return app__fail(err, APP_EUNAVAILABLE, "server_busy");
        }
        int hrc = hash_word(w, a.security_word_hash);
        app_hash_gate_leave(c->set->hash_gate);
        if (hrc != 0)
            return app__fail(err, APP_EINTERNAL, NULL);
    }

    /* Confirmed: late is decided now, against the certificate being renewed. */
    bool has_cert;
    int64_t not_after;
    enum core_phase phase;
    if (app__phase(s, cfg, a.tckn, now, &has_cert, &not_after, &phase, err) != APP_OK)
        return err->status;
    a.late = !strcmp(a.reason, "renewal") &&
             (phase == CORE_PHASE_LATE || (phase == CORE_PHASE_EXPIRED && has_cert));
    a.confirmed = true;
    a.confirmed_at = now;
    a.updated_at = now;

    app__actor(a.tckn, actor);
    struct store_app_event ev = {now, old.state, core_app_state_code(CORE_APP_DRAFT), "reopen",
                                 actor};
    bool reopen = st == CORE_APP_CODE_VERIFIED && form_changed(&old, &a, new_word);
    if (reopen) {
        COPY(a.state, core_app_state_code(CORE_APP_DRAFT));
        a.method[0] = '\0'; /* a new code and a new choice are needed */
    }
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_app_update(s, &a, old.state, reopen ? &ev : NULL);
    if (e == STORE_OK)
        e = store_draft_delete(s, a.id); /* what was typed is now saved */
    if (e == STORE_OK)
        e = app__audit(s, now, actor, reopen ? "application.reopen" : "application.confirm",
                       a.number, NULL);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "saving the application", "no_application", "wrong_state", err);
    return fill_view(s, cfg, ss, now, &a, out, err);
}

/* ---- the form's draft ---------------------------------------------------------------------- */

/* The session's application, when its form can still change. */
static enum app_status draft_app(const struct app_ctx *c, struct store_application *a,
                                 struct app_err *err)
{
    enum core_app_state st;
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    if (app__load(c->db, ss, a, err) != APP_OK)
        return err->status;
    if (core_app_state_parse(a->state, &st) != 0 ||
        (st != CORE_APP_DRAFT && st != CORE_APP_CODE_VERIFIED))
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    return APP_OK;
}

/* Whether field f is kept in a draft: what the person can change, never a secret. */
static bool draft_field(enum app_field f)
{
    return !app_field_read_only(f) && f != APP_F_SECURITY_WORD && f != APP_F_SECURITY_WORD_REPEAT;
}

/* v cut to the field's limit (characters) and to the draft's room (bytes), at a character's
 * start, into out. */
static void draft_value(enum app_field f, const char *v, char out[APP_DRAFT_VALUE_MAX])
{
    size_t n = 0, chars = 0, max = field_max_chars[f] ? (size_t)field_max_chars[f] : 256;
    for (; v[n] && n < APP_DRAFT_VALUE_MAX - 1; n++) {
        if (((unsigned char)v[n] & 0xC0) != 0x80 && chars++ == max)
            break;
    }
    while (n > 0 && v[n] && ((unsigned char)v[n] & 0xC0) == 0x80)
        n--; /* cut before a character's continuation bytes */
    memcpy(out, v, n);
    out[n] = '\0';
}

enum app_status app_form_draft_save(const struct app_ctx *c, const struct app_form *f,
                                    struct app_err *err)
{
    struct store_application a;
    struct store_form_draft *d = NULL;
    json_t *o = NULL;
    char *text = NULL, cut[APP_DRAFT_VALUE_MAX];
    app_err_clear(err);
    if (draft_app(c, &a, err) != APP_OK)
        return err->status;
    o = json_object();
    d = calloc(1, sizeof *d);
    if (!o || !d) {
        app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    for (int i = 0; i < APP_F__COUNT; i++) {
        const char *v = f->v[i];
        if (!v || !draft_field((enum app_field)i))
            continue;
        if (!core_utf8_valid(v, strlen(v))) {
            app_err_field(err, field_names[i], "not_utf8");
            continue;
        }
        draft_value((enum app_field)i, v, cut);
        if (json_object_set_new(o, field_names[i], json_string(cut)) != 0) {
            app__fail(err, APP_EINTERNAL, NULL);
            goto out;
        }
    }
    if (err->nfields) {
        app__fail(err, APP_EINVAL, "invalid_fields");
        goto out;
    }
    text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text || strlen(text) >= sizeof d->form) {
        app__fail(err, APP_EINVAL, "too_long");
        goto out;
    }
    d->application_id = a.id;
    memcpy(d->form, text, strlen(text) + 1);
    d->saved_at = c->now;
    enum store_err e = store_draft_put(c->db, d);
    if (e != STORE_OK)
        app__store_err(c->db, e, "saving a form draft", NULL, NULL, err);
out:
    free(text);
    free(d);
    json_decref(o);
    return err->status;
}

enum app_status app_form_draft_get(const struct app_ctx *c, struct app_draft *out,
                                   struct app_err *err)
{
    struct store_application a;
    struct store_form_draft *d = NULL;
    json_t *o = NULL;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (draft_app(c, &a, err) != APP_OK)
        return err->status;
    d = calloc(1, sizeof *d);
    if (!d)
        return app__fail(err, APP_EINTERNAL, NULL);
    enum store_err e = store_draft_get(c->db, a.id, d);
    if (e == STORE_ENOTFOUND)
        goto out;
    if (e != STORE_OK) {
        app__store_err(c->db, e, "reading a form draft", NULL, NULL, err);
        goto out;
    }
    o = json_loads(d->form, 0, NULL);
    if (!json_is_object(o))
        goto out; /* not ours to show: as if there were none */
    for (int i = 0; i < APP_F__COUNT; i++) {
        json_t *v = json_object_get(o, field_names[i]);
        if (!json_is_string(v) || !draft_field((enum app_field)i))
            continue;
        draft_value((enum app_field)i, json_string_value(v), out->v[i]);
        out->has[i] = true;
    }
    out->present = true;
    out->saved_at = d->saved_at;
out:
    json_decref(o);
    free(d);
    return err->status;
}
