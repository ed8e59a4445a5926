/* eimza — the use cases' shared parts: the error type, the settings, the views of the store's
 * rows, tokens and hashes, the session's application, the audit helper (see context.h,
 * portal.h and portal_int.h). */
#include "app/portal_int.h"
#include "crypto/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ops.h"
#include "app/retention.h"
#include "app/status_cache.h"
#include "ca/ca.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "crypto/cms_verify.h"
#include "crypto/hash.h"
#include "notify/templates.h"
#include "util/log.h"
#include "util/rand.h"

/* app's own sizes are the store's: the views copy its rows */
_Static_assert(APP_PWHASH_MAX == STORE_PWHASH_MAX, "hash size");
_Static_assert(APP_HASH_HEX == STORE_HASH_HEX, "token hash size");
_Static_assert(APP_NUMBER_LEN == STORE_APP_NUMBER_LEN, "application number");
_Static_assert(sizeof((struct app_session *)0)->subject == STORE_SUBJECT_MAX, "subject");
_Static_assert(sizeof((struct app_session *)0)->csrf == STORE_TOKEN_MAX, "csrf");
_Static_assert(sizeof((struct app_application *)0)->card_reader == STORE_READER_MAX, "reader");
_Static_assert(sizeof((struct app_application *)0)->address == STORE_ADDRESS_MAX, "address");
_Static_assert(APP_USERNAME_MAX == STORE_USERNAME_MAX, "user name");

void app_err_clear(struct app_err *e)
{
    memset(e, 0, sizeof *e);
    e->remaining = -1;
}

void app_err_field(struct app_err *e, const char *field, const char *code)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (!strcmp(e->fields[i].field, field))
            return;
    if (e->nfields < APP_MAX_FIELD_ERRORS)
        e->fields[e->nfields++] = (struct app_field_error){field, code};
}

unsigned app_status_http(enum app_status s)
{
    switch (s) {
    case APP_OK:
        return 200;
    case APP_EINVAL:
        return 400;
    case APP_EAUTH:
        return 401;
    case APP_EFORBIDDEN:
        return 403;
    case APP_ENOTFOUND:
        return 404;
    case APP_ECONFLICT:
        return 409;
    case APP_ETOOMANY:
        return 429;
    case APP_EREJECTED:
        return 422;
    case APP_EINTERNAL:
        return 500;
    case APP_EUNAVAILABLE:
        return 503;
    case APP_EGONE:
        return 410;
    case APP_EOUTDATED:
        return 426;
    }
    return 500;
}

void app_portal_cfg_default(struct app_portal_cfg *c)
{
    memset(c, 0, sizeof *c);
    core_rules_default(&c->rules);
    c->captcha_ttl = 300;
    c->session_idle = 20 * 60;
    c->session_lifetime = 8 * 3600;
    c->login_window = 15 * 60;
    c->login_max_per_addr = 30;
    c->login_max_per_tckn = 5;
    c->captcha_max_per_addr = 300;
    c->remote_renewal_limit = 2;
    c->card_readers[0] = "Mini Kart Okuyucu";
    c->card_readers[1] = "Masaüstü Kart Okuyucu";
    c->ncard_readers = 2;
}

const char *app_portal_cfg_check(const struct app_portal_cfg *c)
{
    static _Thread_local char why[160];
    const char *bad = core_rules_check(&c->rules);
    if (bad) {
        snprintf(why, sizeof why, "the portal's rules do not fit together (%s)", bad);
        return why;
    }
    if (c->session_idle > c->session_lifetime)
        return "session_idle is longer than session_lifetime";
    return NULL;
}

int app_portal_cfg_readers(struct app_portal_cfg *c, const char *list, char *names, size_t namescap,
                           char *err, size_t errlen)
{
    size_t len = strlen(list);
    if (len + 1 > namescap) {
        snprintf(err, errlen, "card_readers is too long");
        return -1;
    }
    memcpy(names, list, len + 1);
    c->ncard_readers = 0;
    for (char *p = names; *p;) {
        char *end = strchr(p, ',');
        char *next = end ? end + 1 : p + strlen(p);
        if (end)
            *end = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n > 0) {
            if (c->ncard_readers == APP_READERS_MAX) {
                snprintf(err, errlen, "card_readers names more than %d models", APP_READERS_MAX);
                return -1;
            }
            if (!core_utf8_valid(p, n) || !strcmp(p, "none")) {
                snprintf(err, errlen, "card_readers: '%s' is not a model name", p);
                return -1;
            }
            c->card_readers[c->ncard_readers++] = p;
        }
        p = next;
    }
    return 0;
}

int app_settings_default(struct app_settings *s)
{
    memset(s, 0, sizeof *s);
    app_portal_cfg_default(&s->portal);
    app_site_default(&s->site);
    s->relay.ticket_ttl = 120;
    s->relay.claim_ttl = 600;
    snprintf(s->relay.min_version, sizeof s->relay.min_version, "0.1.0");
    app_retention_cfg_default(&s->retention);
    return app_staff_cfg_default(&s->staff);
}

int app_settings_seal_key(struct app_settings *s, const char *text, bool dev, char *err,
                          size_t errlen)
{
    bool given = text && *text;
    if (!given && !dev)
        return 0;
    struct crypto_seal_key *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!given) {
        crypto_seal_key_dev(k);
    } else if (crypto_seal_key_parse(text, k) < 0) {
        free(k);
        snprintf(err, errlen,
                 "secret_key: not the base64 of 32 bytes (make one with: head -c 32 /dev/urandom "
                 "| base64)");
        return -1;
    }
    if (s->seal_key) {
        sodium_memzero(s->seal_key, sizeof *s->seal_key);
        free(s->seal_key);
    }
    s->seal_key = k;
    return 0;
}

void app_settings_free(struct app_settings *s)
{
    crypto_verifier_free(s->portal.verifier);
    s->portal.verifier = NULL;
    notify_templates_free(s->templates);
    s->templates = NULL;
    app_status_cache_free(s->status_cache);
    s->status_cache = NULL;
    ca_close(s->ca);
    s->ca = NULL;
    sodium_memzero(s->pin_key, sizeof s->pin_key);
    s->has_pin_key = false;
    app_hash_gate_free(s->hash_gate);
    s->hash_gate = NULL;
    if (s->seal_key) {
        sodium_memzero(s->seal_key, sizeof *s->seal_key);
        free(s->seal_key);
        s->seal_key = NULL;
    }
    app_counters_free(s->counters);
    s->counters = NULL;
    app_site_free(&s->site);
}

int app__approver_province(struct store *s, const struct store_application *a)
{
    struct core_personnel p;
    if (store_personnel_get(s, a->tckn, &p) == STORE_OK && p.province > 0)
        return p.province;
    return a->province;
}

void app__session_from(const struct store_session *ss, struct app_session *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->token_hash, ss->token_hash, sizeof out->token_hash);
    memcpy(out->subject, ss->subject, sizeof out->subject);
    memcpy(out->csrf, ss->csrf, sizeof out->csrf);
    out->created_at = ss->created_at;
    out->last_seen = ss->last_seen;
    out->expires_at = ss->expires_at;
    out->application_id = ss->application_id;
}

#define VCOPY(dst, src) memcpy((dst), (src), sizeof(dst))
void app__application_view(const struct store_application *a, struct app_application *out)
{
    _Static_assert(sizeof out->first_name == sizeof a->first_name, "the row's sizes");
    memset(out, 0, sizeof *out);
    out->id = a->id;
    VCOPY(out->number, a->number);
    core_tckn_mask(a->tckn, out->tckn_masked);
    VCOPY(out->state, a->state);
    if (core_app_state_parse(a->state, &out->st) != 0)
        out->st = CORE_APP__STATE_COUNT; /* unknown: no state's page */
    out->confirmed = a->confirmed;
    VCOPY(out->first_name, a->first_name);
    VCOPY(out->last_name, a->last_name);
    VCOPY(out->birth_place, a->birth_place);
    VCOPY(out->birth_date, a->birth_date);
    VCOPY(out->institution_name, a->institution_name);
    VCOPY(out->registry_no, a->registry_no);
    VCOPY(out->reason, a->reason);
    VCOPY(out->card_reader, a->card_reader);
    out->validity_years = a->validity_years;
    VCOPY(out->unit, a->unit);
    VCOPY(out->title, a->title);
    VCOPY(out->address, a->address);
    out->province = a->province;
    VCOPY(out->district, a->district);
    VCOPY(out->postal_code, a->postal_code);
    VCOPY(out->email, a->email);
    VCOPY(out->work_phone, a->work_phone);
    VCOPY(out->work_phone_ext, a->work_phone_ext);
    VCOPY(out->mobile_phone, a->mobile_phone);
    VCOPY(out->mobile_operator, a->mobile_operator);
    VCOPY(out->home_phone, a->home_phone);
    VCOPY(out->notify_by, a->notify_by);
    VCOPY(out->method, a->method);
    out->late = a->late;
    out->cert_not_after = a->cert_not_after;
    out->created_at = a->created_at;
    out->updated_at = a->updated_at;
    out->approved_at = a->approved_at;
    VCOPY(out->closed_reason, a->closed_reason);
    out->has_new_cert = a->new_cert_id != 0;
}

enum app_status app__fail(struct app_err *err, enum app_status st, const char *code)
{
    err->status = st;
    err->code = code;
    return st;
}

enum app_status app__store_err(struct store *s, enum store_err e, const char *what,
                               const char *not_found_code, const char *conflict_code,
                               struct app_err *err)
{
    if (e == STORE_ENOTFOUND && not_found_code)
        return app__fail(err, APP_ENOTFOUND, not_found_code);
    if (e == STORE_ECONFLICT && conflict_code)
        return app__fail(err, APP_ECONFLICT, conflict_code);
    ulog(ULOG_ERROR, "portal.store", "what=\"%s\" error=\"%s\" detail=\"%s\"", what,
         store_strerror(e), store_last_error(s));
    if (e == STORE_ENOMEM || e == STORE_EINVAL)
        return app__fail(err, APP_EINTERNAL, NULL);
    err->store_failed = e == STORE_EIO;
    return app__fail(err, APP_EUNAVAILABLE, NULL);
}

void app__actor(const char *tckn, char out[32])
{
    char m[CORE_TCKN_LEN + 1];
    core_tckn_mask(tckn, m);
    snprintf(out, 32, "applicant:%s", m);
}

enum store_err app__audit(struct store *s, int64_t now, const char *actor, const char *action,
                          const char *object, const char *detail)
{
    struct store_audit_entry e = {
        .at = now, .actor = actor, .action = action, .object = object, .detail = detail};
    return store_audit_append(s, &e);
}

int app__random_b64(size_t nbytes, char *out, size_t cap)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw ||
        cap < sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        urand_bytes(raw, nbytes) < 0)
        return -1;
    sodium_bin2base64(out, cap, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

int app__sha256(const char *s, char out[STORE_HASH_HEX + 1])
{
    return crypto_sha256_hex(s, strlen(s), out);
}

bool app__ct_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return n == 0 || sodium_memcmp(a, b, n) == 0;
}

enum app_status app__load(struct store *s, const struct app_session *ss,
                          struct store_application *out, struct app_err *err)
{
    enum store_err e = STORE_ENOTFOUND;
    if (ss->application_id) {
        e = store_app_get(s, ss->application_id, out);
        if (e == STORE_OK && strcmp(out->tckn, ss->subject) != 0)
            e = STORE_ENOTFOUND; /* never another person's application */
    }
    if (e == STORE_ENOTFOUND)
        e = store_app_latest(s, ss->subject, out);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the application", "no_application", NULL, err);
    return APP_OK;
}

enum app_status app__methods(struct store *s, const struct app_portal_cfg *cfg, const char *tckn,
                             enum core_phase phase, unsigned *methods, bool *limit_reached,
                             struct app_err *err)
{
    int chain = 0;
    enum store_err e =
        cfg->remote_renewal_limit > 0 ? store_remote_chain_get(s, tckn, &chain) : STORE_OK;
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the renewal chain", NULL, NULL, err);
    *methods = app__methods_of(cfg, phase, chain, limit_reached);
    return APP_OK;
}

unsigned app__methods_of(const struct app_portal_cfg *cfg, enum core_phase phase, int chain,
                         bool *limit_reached)
{
    unsigned methods = core_allowed_methods(phase);
    *limit_reached = cfg->remote_renewal_limit > 0 && chain >= cfg->remote_renewal_limit;
    if (*limit_reached)
        methods &= ~(unsigned)CORE_METHOD_ESIGN;
    return methods;
}

enum app_status app__phase(struct store *s, const struct app_portal_cfg *cfg, const char *tckn,
                           int64_t now, bool *has_cert, int64_t *not_after, enum core_phase *phase,
                           struct app_err *err)
{
    struct core_certificate c;
    enum store_err e = store_certificate_current(s, tckn, &c);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading the current certificate", NULL, NULL, err);
    *has_cert = e == STORE_OK;
    *not_after = *has_cert ? c.not_after : 0;
    *phase = app__phase_of(cfg, *has_cert ? &c : NULL, now);
    return APP_OK;
}

enum core_phase app__phase_of(const struct app_portal_cfg *cfg, const struct core_certificate *c,
                              int64_t now)
{
    /* No certificate known: like a first applicant, only the wet signature. A revoked one
     * cannot sign any more: treat it as expired. */
    if (!c || c->revoked_at)
        return CORE_PHASE_EXPIRED;
    return core_renewal_phase(&cfg->rules, now, c->not_after);
}
