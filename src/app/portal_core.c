/* eimza — the portal's shared parts: the error type, the settings, tokens and hashes, the
 * session's application, the audit helper (see portal.h and portal_int.h). */
#include "app/portal_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/tckn.h"
#include "crypto/hash.h"
#include "util/log.h"
#include "util/rand.h"

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
    c->remote_renewal_limit = 2;
    c->card_readers[0] = "Mini Kart Okuyucu";
    c->card_readers[1] = "Masaüstü Kart Okuyucu";
    c->ncard_readers = 2;
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

enum app_status app__load(struct store *s, const struct store_session *ss,
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
    *methods = core_allowed_methods(phase);
    *limit_reached = false;
    if (cfg->remote_renewal_limit <= 0)
        return APP_OK;
    enum store_err e = store_remote_chain_get(s, tckn, &chain);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the renewal chain", NULL, NULL, err);
    if (chain >= cfg->remote_renewal_limit) {
        *methods &= ~(unsigned)CORE_METHOD_ESIGN;
        *limit_reached = true;
    }
    return APP_OK;
}

enum app_status app__phase(struct store *s, const struct app_portal_cfg *cfg, const char *tckn,
                           int64_t now, bool *has_cert, int64_t *not_after, enum core_phase *phase,
                           struct app_err *err)
{
    struct core_certificate c;
    enum store_err e = store_certificate_current(s, tckn, &c);
    if (e == STORE_ENOTFOUND) {
        /* No certificate known: like a first applicant, only the wet signature. */
        *has_cert = false;
        *not_after = 0;
        *phase = CORE_PHASE_EXPIRED;
        return APP_OK;
    }
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the current certificate", NULL, NULL, err);
    *has_cert = true;
    *not_after = c.not_after;
    /* A revoked certificate cannot sign any more: treat it as expired. */
    *phase = c.revoked_at ? CORE_PHASE_EXPIRED : core_renewal_phase(&cfg->rules, now, c.not_after);
    return APP_OK;
}
