/* eimza — staff accounts, the staff login with its second factor and lock-out, staff sessions
 * and the enrolment QR code (see staff_auth.h for the rules).
 *
 * The slow part of a login (Argon2id) runs outside any transaction; what it decides is then
 * applied inside one, to the account re-read there (locked on PostgreSQL), so two logins at once
 * can neither lose a failure nor accept the same TOTP step twice.
 */
#include "app/staff_auth.h"

#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h"
#include "core/trtext.h"
#include "crypto/totp.h"
#include "core/validate.h"
#include "util/log.h"

_Static_assert(APP_TOTP_SECRET_MAX == CRYPTO_TOTP_SECRET_B32, "the enrolment's secret");

/* ---- settings ------------------------------------------------------------------------------ */

int app_staff_cfg_rehash_dummy(struct app_staff_cfg *c)
{
    unsigned char raw[24];
    char pw[2 * sizeof raw + 1];

    c->dummy_hash[0] = '\0';
    if (sodium_init() < 0)
        return -1;
    /* Nobody knows this password, so no login can ever succeed against the dummy hash. */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
    int rc = app_password_hash(c, pw, c->dummy_hash);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(pw, sizeof pw);
    return rc;
}

int app_staff_cfg_default(struct app_staff_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->max_failures = 5;
    c->lockout_seconds = 15 * 60;
    c->dev = false;
    c->session_idle = 15 * 60;
    c->session_lifetime = 8 * 3600;
    c->pwhash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    c->pwhash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    return app_staff_cfg_rehash_dummy(c);
}

const char *app_staff_cfg_check(const struct app_staff_cfg *c)
{
    if (c->max_failures < 1 || c->lockout_seconds < 1 || c->session_idle < 1 ||
        c->session_lifetime < 1 || c->pwhash_ops < crypto_pwhash_OPSLIMIT_MIN ||
        c->pwhash_ops > crypto_pwhash_OPSLIMIT_MAX || c->pwhash_mem < crypto_pwhash_MEMLIMIT_MIN ||
        c->pwhash_mem > crypto_pwhash_MEMLIMIT_MAX || c->dummy_hash[0] == '\0')
        return "staff_cfg";
    return NULL;
}

/* ---- accounts ------------------------------------------------------------------------------ */

static bool username_ok(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 1 || n >= STORE_USERNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Decodes one UTF-8 sequence of already validated text; returns its length. */
static size_t utf8_next(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] < 0xE0) {
        *cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] < 0xF0) {
        *cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
          ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

enum { CL_LOWER = 1, CL_UPPER = 2, CL_DIGIT = 4, CL_OTHER = 8 };

/* Turkish and other Latin-1 letters count as letters of their case, so "şifreğüçlü..." is
 * one class like "sifregucl...". */
static unsigned char_class(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) || c == 0x11F ||
        c == 0x131 || c == 0x15F)
        return CL_LOWER;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || c == 0x11E ||
        c == 0x130 || c == 0x15E)
        return CL_UPPER;
    if (c >= '0' && c <= '9')
        return CL_DIGIT;
    return CL_OTHER;
}

const char *app_password_check(const char *pw, const char *username)
{
    uint32_t distinct[5];
    size_t ndistinct = 0, nchars = 0;
    unsigned classes = 0;

    if (!pw)
        return "password_too_short";
    size_t n = strlen(pw);
    if (n > APP_PASSWORD_MAX)
        return "password_too_long";
    if (!core_utf8_valid(pw, n))
        return "not_utf8";
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += utf8_next((const unsigned char *)pw + i, &c);
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            return "not_utf8";
        nchars++;
        classes |= char_class(c);
        bool seen = false;
        for (size_t k = 0; k < ndistinct; k++)
            seen |= distinct[k] == c;
        if (!seen && ndistinct < 5)
            distinct[ndistinct++] = c;
    }
    if (nchars < APP_PASSWORD_MIN)
        return "password_too_short";
    if ((classes & (classes - 1)) == 0) /* one class bit (or none) */
        return "password_one_class";
    if (ndistinct < 5)
        return "password_repetitive";
    if (username && strlen(username) >= 3 && strcasestr(pw, username))
        return "password_has_username";
    return NULL;
}

int app_password_hash(const struct app_staff_cfg *cfg, const char *pw, char out[STORE_PWHASH_MAX])
{
    out[0] = '\0';
    if (!pw || sodium_init() < 0)
        return -1;
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), cfg->pwhash_ops, cfg->pwhash_mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* "staff:NAME" for a valid name, "staff:?" for anything else typed into the form. */
static void staff_actor(const char *username, char out[STORE_USERNAME_MAX + 8])
{
    snprintf(out, STORE_USERNAME_MAX + 8, "staff:%s", username_ok(username) ? username : "?");
}

enum app_status app_user_add(struct store *s, const struct app_staff_cfg *cfg, const char *username,
                             const char *role, int province, const char *email,
                             const char *password, const char *actor, int64_t now,
                             struct app_err *err)
{
    struct store_user u;
    char detail[96];
    enum store_err e;

    app_err_clear(err);
    if (!username || !*username)
        app_err_field(err, "username", "required");
    else if (!username_ok(username))
        app_err_field(err, "username", "username_format");
    bool approver = role && !strcmp(role, "approver");
    if (!role || !*role)
        app_err_field(err, "role", "required");
    else if (!approver && strcmp(role, "operator") && strcmp(role, "admin"))
        app_err_field(err, "role", "role_unknown");
    else if (approver && (province < 1 || province > 81))
        app_err_field(err, "province", "province_required");
    else if (!approver && province != 0)
        app_err_field(err, "province", "province_not_allowed");
    if (!email)
        email = "";
    if (*email && (strlen(email) >= sizeof u.email || !core_email_valid(email, strlen(email))))
        app_err_field(err, "email", "email_format");
    const char *why = app_password_check(password, username);
    if (why)
        app_err_field(err, "password", why);
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");

    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "%s", username);
    snprintf(u.role, sizeof u.role, "%s", role);
    u.province = province;
    snprintf(u.email, sizeof u.email, "%s", email);
    u.created_at = u.updated_at = now;
    if (app_password_hash(cfg, password, u.password_hash) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);

    snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"province\":%d,\"email\":%s}", u.role,
             province, *email ? "true" : "false");
    if ((e = store_tx_begin(s)) == STORE_OK && (e = store_user_put(s, &u)) == STORE_OK &&
        (e = app__audit(s, now, actor ? actor : "cli", "staff.user.add", u.username, detail)) ==
            STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    if (e != STORE_OK)
        return app__store_err(s, e, "adding a staff account", NULL, "username_taken", err);
    ulog(ULOG_INFO, "staff.user.add", "user=%s role=%s province=%d", u.username, u.role, province);
    return APP_OK;
}

enum app_status app_user_set(struct store *s, const char *username, const struct app_user_change *c,
                             const char *actor, int64_t now, struct app_err *err)
{
    app_err_clear(err);
    if (!username || !username_ok(username))
        app_err_field(err, "username", !username || !*username ? "required" : "username_format");
    if (c->email && *c->email &&
        (strlen(c->email) >= CORE_EMAIL_MAX || !core_email_valid(c->email, strlen(c->email))))
        app_err_field(err, "email", "email_format");
    if (!c->email && !c->province && !c->disabled && !c->reset_totp && !c->unlock)
        return app__fail(err, APP_EINVAL, "nothing_to_change");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");

    struct store_user u;
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_user_get(s, username, &u); /* locks the row on PostgreSQL */
    if (e == STORE_OK && c->province) {
        bool approver = !strcmp(u.role, "approver");
        if (approver && (*c->province < 1 || *c->province > 81))
            app_err_field(err, "province", "province_required");
        else if (!approver && *c->province != 0)
            app_err_field(err, "province", "province_not_allowed");
        if (err->nfields) {
            store_tx_rollback(s);
            sodium_memzero(&u, sizeof u);
            return app__fail(err, APP_EINVAL, "invalid_fields");
        }
    }
    struct ubuf what = UBUF_INIT(256); /* the names of the fields changed, for the audit */
    if (e == STORE_OK) {
        if (c->email) {
            snprintf(u.email, sizeof u.email, "%s", c->email);
            ubuf_puts(&what, ",\"email\"");
        }
        if (c->province) {
            u.province = *c->province;
            ubuf_puts(&what, ",\"province\"");
        }
        if (c->disabled) {
            u.disabled = *c->disabled;
            ubuf_puts(&what, *c->disabled ? ",\"disabled\"" : ",\"enabled\"");
        }
        if (c->reset_totp) {
            u.totp_secret[0] = '\0';
            u.totp_enabled = false;
            u.totp_last_step = 0;
            ubuf_puts(&what, ",\"totp_reset\"");
        }
        if (c->unlock) {
            u.failed_count = 0;
            u.locked_until = 0;
            ubuf_puts(&what, ",\"unlocked\"");
        }
        u.updated_at = now;
        e = store_user_update(s, &u);
    }
    char detail[320];
    snprintf(detail, sizeof detail, "{\"changed\":[%s]}", what.len ? ubuf_str(&what) + 1 : "");
    ubuf_free(&what);
    if (e == STORE_OK)
        e = app__audit(s, now, actor ? actor : "cli", "staff.user.set", username, detail);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    sodium_memzero(&u, sizeof u);
    if (e != STORE_OK)
        return app__store_err(s, e, "changing a staff account", "user_not_found", NULL, err);
    ulog(ULOG_INFO, "staff.user.set", "user=%s %s", username, detail);
    return APP_OK;
}

/* ---- login --------------------------------------------------------------------------------- */

/* The rate-table key that counts failures for a name with no account. Hashed: the key never
 * holds what someone typed. */
static int unknown_key(const char *username, char out[STORE_RATE_KEY_MAX])
{
    char h[STORE_HASH_HEX + 1];
    struct ubuf b = UBUF_INIT(4096);
    int rc = -1;
    if (ubuf_puts(&b, "eimza-staff-login:") == 0 && ubuf_puts(&b, username) == 0 &&
        app__sha256(ubuf_str(&b), h) == 0) {
        snprintf(out, STORE_RATE_KEY_MAX, "staff-login:%.32s", h);
        rc = 0;
    }
    ubuf_free(&b);
    return rc;
}

static enum store_err audit_login(struct store *s, int64_t now, const char *actor,
                                  const char *action, const char *reason)
{
    char detail[64];
    if (!reason)
        return app__audit(s, now, actor, action, "login", NULL);
    snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}", reason);
    return app__audit(s, now, actor, action, "login", detail);
}

/* A failed login with an unknown name: counted in the rate table, so the name "locks" like
 * an account would. */
static enum app_status unknown_failure(struct store *s, const struct app_staff_cfg *cfg,
                                       const char *key, int64_t ws, const char *actor, int64_t now,
                                       struct app_err *err)
{
    long n = 0;
    enum store_err e = store_rate_hit(s, key, ws, &n);
    if (e == STORE_OK)
        e = audit_login(s, now, actor, "staff.login.failed", "unknown_user");
    if (e == STORE_OK && n == cfg->max_failures)
        e = audit_login(s, now, actor, "staff.lockout", NULL);
    if (e != STORE_OK)
        return app__store_err(s, e, "counting a failed staff login", NULL, NULL, err);
    if (n >= cfg->max_failures) {
        err->retry_after = ws + cfg->lockout_seconds - now;
        return app__fail(err, APP_ETOOMANY, "too_many_attempts");
    }
    return app__fail(err, APP_EAUTH, "staff_login_failed");
}

/* Opens the session for u (inside the caller's transaction). */
static enum store_err open_session(struct store *s, const struct app_staff_cfg *cfg,
                                   const struct store_user *u, int64_t now,
                                   struct app_staff_login_out *out)
{
    struct store_session ss;
    memset(&ss, 0, sizeof ss);
    if (app__random_b64(32, out->token, sizeof out->token) < 0 ||
        app__random_b64(24, out->csrf, sizeof out->csrf) < 0 ||
        app__sha256(out->token, ss.token_hash) < 0)
        return STORE_ENOMEM;
    snprintf(ss.kind, sizeof ss.kind, "staff");
    snprintf(ss.subject, sizeof ss.subject, "%s", u->username);
    memcpy(ss.csrf, out->csrf, sizeof out->csrf);
    ss.created_at = ss.last_seen = now;
    ss.expires_at = out->expires_at = now + cfg->session_lifetime;
    snprintf(out->role, sizeof out->role, "%s", u->role);
    out->province = u->province;
    return store_session_put(s, &ss);
}

static bool code_shape_ok(const char *code)
{
    if (strlen(code) != CRYPTO_TOTP_DIGITS)
        return false;
    for (size_t i = 0; i < CRYPTO_TOTP_DIGITS; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return true;
}

/* What one staff login works with from step to step. Failures that went through the store
 * or inside a transaction set wipe: nothing half-made leaves, no token without a session. */
struct login_run {
    struct store *s;
    const struct app_staff_cfg *cfg;
    int64_t now;
    const struct app_staff_login_req *rq;
    const char *code; /* the TOTP code given, "" when none */
    struct app_staff_login_out *out;
    struct app_err *err;
    char actor[STORE_USERNAME_MAX + 8];
    char rehash[STORE_PWHASH_MAX]; /* a new hash at today's cost, when the stored one is older */
    struct store_user u;           /* the account as read before the password check */
    struct store_user cur;         /* the account as re-read inside the transaction */
    bool pw_ok, in_tx, wipe;
    bool enrolling, enrolled;            /* the second factor is being set up (and now was) */
    const char *fail_reason, *fail_code; /* a counted failure: why (audit) and the answer */
};

static enum app_status login_store_fail(struct login_run *r, enum store_err e)
{
    r->wipe = true;
    return app__store_err(r->s, e, "recording a staff login", NULL, NULL, r->err);
}

static enum app_status login_internal(struct login_run *r)
{
    r->wipe = true;
    return app__fail(r->err, APP_EINTERNAL, NULL);
}

/* Ends the transaction: commit (when keep) or roll back. */
static enum store_err login_tx_end(struct login_run *r, bool keep)
{
    r->in_tx = false;
    if (keep)
        return store_tx_commit(r->s);
    store_tx_rollback(r->s);
    return STORE_OK;
}

/* 1. The shape of the request. */
static enum app_status login_shape(struct login_run *r)
{
    const struct app_staff_login_req *rq = r->rq;
    if (!rq->username || !*rq->username)
        app_err_field(r->err, "username", "required");
    if (!rq->password || !*rq->password)
        app_err_field(r->err, "password", "required");
    else if (strlen(rq->password) > APP_PASSWORD_MAX)
        app_err_field(r->err, "password", "password_too_long");
    if (*r->code && !code_shape_ok(r->code))
        app_err_field(r->err, "totp", "totp_format");
    if (r->err->nfields)
        return app__fail(r->err, APP_EINVAL, "invalid_fields");
    staff_actor(rq->username, r->actor);
    return APP_OK;
}

/* 2a. A name with no account: its own counter, the same Argon2id work, never a success. */
static enum app_status login_unknown(struct login_run *r)
{
    struct store *s = r->s;
    const struct app_staff_cfg *cfg = r->cfg;
    enum store_err e;
    /* Not even in the audit log: what was typed may be a password in the wrong field. */
    staff_actor(NULL, r->actor);
    char k[STORE_RATE_KEY_MAX];
    const int64_t ws = r->now - r->now % cfg->lockout_seconds;
    long n = 0;
    if (unknown_key(r->rq->username, k) < 0)
        return app__fail(r->err, APP_EINTERNAL, NULL);
    if ((e = store_rate_get(s, k, ws, &n)) != STORE_OK)
        return app__store_err(s, e, "reading a staff login counter", NULL, NULL, r->err);
    if (n >= cfg->max_failures) {
        if ((e = audit_login(s, r->now, r->actor, "staff.login.failed", "locked")) != STORE_OK)
            return app__store_err(s, e, "auditing a staff login", NULL, NULL, r->err);
        r->err->retry_after = ws + cfg->lockout_seconds - r->now;
        return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
    }
    volatile int never =
        crypto_pwhash_str_verify(cfg->dummy_hash, r->rq->password, strlen(r->rq->password));
    (void)never;
    ulog(ULOG_INFO, "staff.login.failed", "user=? reason=unknown_user");
    return unknown_failure(s, cfg, k, ws, r->actor, r->now, r->err);
}

/* 2b. The account (an unknown name goes to 2a), refused while it is locked. */
static enum app_status login_account(struct login_run *r)
{
    enum store_err e = store_user_get(r->s, r->rq->username, &r->u);
    if (e == STORE_ENOTFOUND)
        return login_unknown(r);
    if (e != STORE_OK)
        return app__store_err(r->s, e, "reading a staff account", NULL, NULL, r->err);
    if (r->u.locked_until > r->now) {
        if ((e = audit_login(r->s, r->now, r->actor, "staff.login.failed", "locked")) != STORE_OK)
            return app__store_err(r->s, e, "auditing a staff login", NULL, NULL, r->err);
        r->err->retry_after = r->u.locked_until - r->now;
        return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
    }
    return APP_OK;
}

/* 3. The password: the slow part, outside any transaction. */
static void login_password(struct login_run *r)
{
    const char *pw = r->rq->password;
    r->pw_ok = crypto_pwhash_str_verify(r->u.password_hash, pw, strlen(pw)) == 0;
    if (r->pw_ok && crypto_pwhash_str_needs_rehash(r->u.password_hash, r->cfg->pwhash_ops,
                                                   r->cfg->pwhash_mem) != 0)
        (void)app_password_hash(r->cfg, pw, r->rehash); /* best effort: "" on failure */
}

/* 4. The account again, inside the transaction the decision is applied in: removed, given a
 * new password or locked while we were hashing, nothing stale is judged. */
static enum app_status login_reread(struct login_run *r)
{
    enum store_err e = store_tx_begin(r->s);
    if (e != STORE_OK)
        return app__store_err(r->s, e, "starting a transaction", NULL, NULL, r->err);
    r->in_tx = true;
    e = store_user_get(r->s, r->rq->username, &r->cur);
    if (e == STORE_ENOTFOUND ||
        (e == STORE_OK && strcmp(r->cur.password_hash, r->u.password_hash))) {
        login_tx_end(r, false);
        return app__fail(r->err, APP_EAUTH, "staff_login_failed");
    }
    if (e != STORE_OK)
        return login_store_fail(r, e);
    if (r->cur.locked_until > r->now) {
        login_tx_end(r, false);
        r->err->retry_after = r->cur.locked_until - r->now;
        return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
    }
    return APP_OK;
}

/* 5a. An account without a confirmed second factor: its secret (made once and kept until a
 * code confirms it) and the otpauth URI go to the page. */
static enum app_status login_enrolment(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    enum store_err e;
    if (!cur->totp_secret[0]) {
        if (crypto_totp_secret_new(cur->totp_secret) < 0)
            return login_internal(r);
        cur->totp_last_step = 0; /* no code accepted yet (the steps of today are ~6e7) */
        cur->updated_at = r->now;
        if ((e = store_user_update(r->s, cur)) != STORE_OK ||
            (e = audit_login(r->s, r->now, r->actor, "staff.totp.enrolment_started", NULL)) !=
                STORE_OK)
            return login_store_fail(r, e);
    }
    struct ubuf b = UBUF_INIT(APP_TOTP_URI_MAX - 1);
    /* Secrets made here are 32 characters; the URI carries any secret whole. */
    size_t n = strnlen(cur->totp_secret, CRYPTO_TOTP_SECRET_B32);
    memcpy(r->out->totp_secret, cur->totp_secret, n);
    r->out->totp_secret[n] = '\0';
    if (crypto_totp_uri(&b, cur->username, cur->totp_secret) == 0)
        memcpy(r->out->totp_uri, ubuf_str(&b), b.len + 1);
    ubuf_free(&b);
    return APP_OK;
}

/* 5b. The code: right (its step is kept: never accepted again), wrong, or replayed. */
static enum app_status login_code(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    unsigned char key[64];
    int klen = crypto_totp_secret_decode(cur->totp_secret, key, sizeof key);
    int64_t step = -1;
    enum crypto_totp_result res =
        klen < 0 ? CRYPTO_TOTP_ERROR
                 : crypto_totp_check(key, (size_t)klen, r->code, r->now, CRYPTO_TOTP_WINDOW,
                                     cur->totp_last_step < -1 ? -1 : cur->totp_last_step, &step);
    sodium_memzero(key, sizeof key);
    if (res == CRYPTO_TOTP_ERROR) {
        ulog(ULOG_ERROR, "staff.totp", "user=%s: the stored TOTP secret is unusable",
             cur->username);
        return login_internal(r);
    }
    if (res == CRYPTO_TOTP_WRONG) {
        r->fail_reason = "totp";
        r->fail_code = "totp_wrong";
    } else if (res == CRYPTO_TOTP_REPLAY) {
        r->fail_reason = "totp_reused";
        r->fail_code = "totp_reused";
    } else {
        cur->totp_last_step = step;
        r->enrolled = r->enrolling;
        cur->totp_enabled = true;
    }
    return APP_OK;
}

/* 5. What the right password leads to: a disabled account's refusal, the second factor
 * (asked for, set up, or checked), or a counted failure for a wrong password. */
static enum app_status login_judge(struct login_run *r)
{
    enum store_err e;
    if (!r->pw_ok) {
        r->fail_reason = "password";
        r->fail_code = "staff_login_failed";
        return APP_OK;
    }
    if (r->cur.disabled) {
        if ((e = audit_login(r->s, r->now, r->actor, "staff.login.failed", "disabled")) !=
                STORE_OK ||
            (e = login_tx_end(r, true)) != STORE_OK)
            return login_store_fail(r, e);
        return app__fail(r->err, APP_EFORBIDDEN, "account_disabled");
    }
    if (!r->cur.totp_enabled && r->cfg->dev)
        return APP_OK; /* --dev: an account that never enrolled needs no code */
    r->enrolling = !r->cur.totp_enabled;
    enum app_status st = r->enrolling ? login_enrolment(r) : APP_OK;
    if (st != APP_OK)
        return st;
    if (!*r->code) {
        /* Not a failure: the page asks for the code (or shows the enrolment) next. */
        if ((e = login_tx_end(r, true)) != STORE_OK)
            return login_store_fail(r, e);
        return app__fail(r->err, APP_EAUTH,
                         r->enrolling ? "totp_enrolment_required" : "totp_required");
    }
    return login_code(r);
}

/* 6a. A counted failure; the one that reaches the limit locks the account. */
static enum app_status login_failure(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    enum store_err e;
    bool locks = ++cur->failed_count >= r->cfg->max_failures;
    if (locks) {
        cur->failed_count = 0;
        cur->locked_until = r->now + r->cfg->lockout_seconds;
    }
    cur->updated_at = r->now;
    if ((e = store_user_update(r->s, cur)) != STORE_OK ||
        (e = audit_login(r->s, r->now, r->actor, "staff.login.failed", r->fail_reason)) !=
            STORE_OK ||
        (locks && (e = audit_login(r->s, r->now, r->actor, "staff.lockout", NULL)) != STORE_OK) ||
        (e = login_tx_end(r, true)) != STORE_OK)
        return login_store_fail(r, e);
    ulog(ULOG_INFO, "staff.login.failed", "user=%s reason=%s%s", cur->username, r->fail_reason,
         locks ? " locked" : "");
    if (locks) {
        r->err->retry_after = r->cfg->lockout_seconds;
        return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
    }
    return app__fail(r->err, APP_EAUTH, r->fail_code);
}

/* 6b. Success: the account's counters reset, the session opened, both audited. */
static enum app_status login_success(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    enum store_err e;
    cur->failed_count = 0;
    cur->locked_until = 0;
    cur->last_login_at = r->now;
    cur->updated_at = r->now;
    if (r->rehash[0])
        memcpy(cur->password_hash, r->rehash, sizeof r->rehash);
    if ((e = store_user_update(r->s, cur)) != STORE_OK ||
        (r->enrolled &&
         (e = audit_login(r->s, r->now, r->actor, "staff.totp.enrolled", NULL)) != STORE_OK) ||
        (e = open_session(r->s, r->cfg, cur, r->now, r->out)) != STORE_OK ||
        (e = audit_login(r->s, r->now, r->actor, "staff.login", NULL)) != STORE_OK ||
        (e = login_tx_end(r, true)) != STORE_OK)
        return login_store_fail(r, e);
    /* The enrolment data are not needed any more once the session is open. */
    sodium_memzero(r->out->totp_secret, sizeof r->out->totp_secret);
    sodium_memzero(r->out->totp_uri, sizeof r->out->totp_uri);
    ulog(ULOG_INFO, "staff.login", "user=%s role=%s", cur->username, cur->role);
    return APP_OK;
}

enum app_status app_staff_login(const struct app_ctx *c, const struct app_staff_login_req *rq,
                                struct app_staff_login_out *out, struct app_err *err)
{
    struct login_run *r = calloc(1, sizeof *r);
    enum app_status st;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (!r || sodium_init() < 0) {
        free(r);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    *r = (struct login_run){.s = c->db,
                            .cfg = &c->set->staff,
                            .now = c->now,
                            .rq = rq,
                            .code = rq->totp ? rq->totp : "",
                            .out = out,
                            .err = err};
    st = login_shape(r);
    if (st == APP_OK)
        st = login_account(r);
    if (st == APP_OK) {
        login_password(r);
        st = login_reread(r);
    }
    if (st == APP_OK)
        st = login_judge(r);
    if (st == APP_OK)
        st = r->fail_reason ? login_failure(r) : login_success(r);
    if (r->in_tx && st != APP_OK)
        store_tx_rollback(r->s);
    if (r->wipe)
        sodium_memzero(out, sizeof *out); /* nothing half-made leaves: no token without a session */
    sodium_memzero(r, sizeof *r);
    free(r);
    return st;
}

/* ---- staff sessions ------------------------------------------------------------------------ */

void app__staff_from_user(const struct store_user *u, struct app_staff *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->username, sizeof out->username, "%s", u->username);
    snprintf(out->role, sizeof out->role, "%s", u->role);
    out->province = strcmp(u->role, "approver") == 0 ? u->province : 0;
}

enum app_status app__staff_session(struct store *s, const struct app_staff_cfg *cfg,
                                   const char *token, int64_t now, struct store_session *out,
                                   struct store_user *user, struct app_err *err)
{
    char h[STORE_HASH_HEX + 1];
    struct store_user u;
    enum store_err e;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (!token || strlen(token) != APP_TOKEN_LEN)
        return app__fail(err, APP_EAUTH, "session_required");
    if (app__sha256(token, h) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    e = store_session_get(s, h, out);
    if (e == STORE_ENOTFOUND)
        return app__fail(err, APP_EAUTH, "session_required");
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a session", NULL, NULL, err);
    bool over = now >= out->expires_at || now >= out->last_seen + cfg->session_idle;
    if (strcmp(out->kind, "staff") != 0 || over) {
        if (over && !strcmp(out->kind, "staff"))
            (void)store_session_delete(s, h);
        memset(out, 0, sizeof *out);
        return app__fail(err, APP_EAUTH, "session_required");
    }
    e = store_user_get(s, out->subject, &u);
    if (e == STORE_ENOTFOUND || (e == STORE_OK && u.disabled)) {
        /* An account removed or disabled ends its sessions at their next request. */
        (void)store_session_delete(s, h);
        memset(out, 0, sizeof *out);
        sodium_memzero(&u, sizeof u);
        return app__fail(err, APP_EAUTH, "session_required");
    }
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a staff account", NULL, NULL, err);
    if (now - out->last_seen >= APP__TOUCH_EVERY) {
        e = store_session_touch(s, h, now);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return app__store_err(s, e, "touching a session", NULL, NULL, err);
        out->last_seen = now;
    }
    if (user) {
        *user = u;
        /* The caller needs the role and province, never the secrets. */
        sodium_memzero(user->password_hash, sizeof user->password_hash);
        sodium_memzero(user->totp_secret, sizeof user->totp_secret);
    }
    sodium_memzero(&u, sizeof u);
    return APP_OK;
}

/* ---- QR code ------------------------------------------------------------------------------- */

#define QR_QUIET 4 /* modules of white border the standard asks for */

int app_qr_path(const char *text, struct ubuf *d, int *full)
{
    const size_t before = d->len;
    QRcode *qr = NULL;
    int rc = -1;

    if (!text || !*text)
        return -1;
    qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!qr)
        goto out;
    const int w = qr->width;
    /* One path: each run of black modules in a row is one rectangle "Mx yhNv1h-Nz". */
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            if (ubuf_printf(d, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run) < 0)
                goto out;
            x += run;
        }
    }
    *full = w + 2 * QR_QUIET;
    rc = 0;
out:
    if (qr)
        QRcode_free(qr);
    if (rc < 0 && d->p) {
        d->len = before;
        d->p[before] = '\0';
    }
    return rc;
}
