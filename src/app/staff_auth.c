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
#include "crypto/seal.h"
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
    c->max_per_addr = 20;
    c->dev = false;
    c->session_idle = 15 * 60;
    c->session_lifetime = 8 * 3600;
    c->pwhash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    c->pwhash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    return app_staff_cfg_rehash_dummy(c);
}

const char *app_staff_cfg_check(const struct app_staff_cfg *c)
{
    if (c->max_failures < 1 || c->lockout_seconds < 1 || c->max_per_addr < 1 ||
        c->session_idle < 1 || c->session_lifetime < 1 ||
        c->pwhash_ops < crypto_pwhash_OPSLIMIT_MIN || c->pwhash_ops > crypto_pwhash_OPSLIMIT_MAX ||
        c->pwhash_mem < crypto_pwhash_MEMLIMIT_MIN || c->pwhash_mem > crypto_pwhash_MEMLIMIT_MAX ||
        c->dummy_hash[0] == '\0')
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

/* The rate-table keys of a staff login (fixed windows of lockout_seconds, store_rate_hit): the
 * failures from one address, and the failures of one typed name from that address. The name
 * is hashed: a key never holds what someone typed (it may be a password in the wrong field).
 * Known and unknown names are counted alike, so the counters say nothing about accounts. */
static int key_addr(const char *addr, char out[STORE_RATE_KEY_MAX])
{
    snprintf(out, STORE_RATE_KEY_MAX, "staff-login:addr:%.90s", addr && *addr ? addr : "unknown");
    return 0;
}

static int key_name(const char *username, const char *addr, char out[STORE_RATE_KEY_MAX])
{
    char h[STORE_HASH_HEX + 1];
    struct ubuf b = UBUF_INIT(8192);
    int rc = -1;
    if (ubuf_puts(&b, "eimza-staff-login:") == 0 && ubuf_puts(&b, username) == 0 &&
        app__sha256(ubuf_str(&b), h) == 0) {
        snprintf(out, STORE_RATE_KEY_MAX, "staff-login:%.32s:%.80s", h,
                 addr && *addr ? addr : "unknown");
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
    struct app_hash_gate *gate;
    const struct crypto_seal_key *key; /* TOTP secrets are sealed with it (NULL: none set) */
    const char *addr;                  /* the client's address (NULL: "unknown") */
    int64_t now;
    const struct app_staff_login_req *rq;
    const char *code; /* the TOTP code given, "" when none */
    struct app_staff_login_out *out;
    struct app_err *err;
    char actor[STORE_USERNAME_MAX + 8];
    char kaddr[STORE_RATE_KEY_MAX], kname[STORE_RATE_KEY_MAX]; /* the counters' keys */
    int64_t ws;                                                /* their window's start */
    char rehash[STORE_PWHASH_MAX]; /* a new hash at today's cost, when the stored one is older */
    struct store_user u;           /* the account as read before the password check */
    struct store_user cur;         /* the account as re-read inside the transaction */
    bool known, pw_ok, in_tx, wipe;
    bool enrolling, enrolled;            /* the second factor is being set up (and now was) */
    bool sealed_now;                     /* a plain secret of before was sealed (first use) */
    const char *fail_reason, *fail_code; /* a counted code failure: why (audit) and the answer */
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

/* The answer while a counter is full: the same for every name, known or not. */
static enum app_status login_wait(struct login_run *r)
{
    r->err->retry_after = r->ws + r->cfg->lockout_seconds - r->now;
    return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
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
    return APP_OK;
}

/* 2. The account, if there is one: only the audit's actor depends on it until the password
 * was found right. A name with no account is written "staff:?" (not even in the audit log:
 * what was typed may be a password in the wrong field). */
static enum app_status login_account(struct login_run *r)
{
    enum store_err e = store_user_get(r->s, r->rq->username, &r->u);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(r->s, e, "reading a staff account", NULL, NULL, r->err);
    r->known = e == STORE_OK;
    staff_actor(r->known ? r->rq->username : NULL, r->actor);
    return APP_OK;
}

/* 3. The counters: too many failures from this address, or of this name from this address,
 * and the login waits for the window's end without any hashing. */
static enum app_status login_limits(struct login_run *r)
{
    const struct app_staff_cfg *cfg = r->cfg;
    long naddr = 0, nname = 0;
    enum store_err e;
    r->ws = r->now - r->now % cfg->lockout_seconds;
    if (key_addr(r->addr, r->kaddr) < 0 || key_name(r->rq->username, r->addr, r->kname) < 0)
        return app__fail(r->err, APP_EINTERNAL, NULL);
    if ((e = store_rate_get(r->s, r->kaddr, r->ws, &naddr)) != STORE_OK ||
        (e = store_rate_get(r->s, r->kname, r->ws, &nname)) != STORE_OK)
        return app__store_err(r->s, e, "reading staff login counters", NULL, NULL, r->err);
    if (naddr < cfg->max_per_addr && nname < cfg->max_failures)
        return APP_OK;
    if ((e = audit_login(r->s, r->now, r->actor, "staff.login.failed", "locked")) != STORE_OK)
        return app__store_err(r->s, e, "auditing a staff login", NULL, NULL, r->err);
    return login_wait(r);
}

/* 4. The password: the slow part, outside any transaction, through the gate. A name with no
 * account is verified against the dummy hash of the same cost: the same work, never a match. */
static enum app_status login_password(struct login_run *r)
{
    const char *pw = r->rq->password;
    if (!app_hash_gate_enter(r->gate)) {
        ulog(ULOG_WARN, "staff.login.busy", "slots=%d", app_hash_gate_slots(r->gate));
        r->err->retry_after = 1;
        return app__fail(r->err, APP_EUNAVAILABLE, "server_busy");
    }
    const char *hash = r->known ? r->u.password_hash : r->cfg->dummy_hash;
    bool ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    r->pw_ok = ok && r->known;
    if (r->pw_ok && crypto_pwhash_str_needs_rehash(r->u.password_hash, r->cfg->pwhash_ops,
                                                   r->cfg->pwhash_mem) != 0)
        (void)app_password_hash(r->cfg, pw, r->rehash); /* best effort: "" on failure */
    app_hash_gate_leave(r->gate);
    return APP_OK;
}

/* 5a. A wrong password, or a name with no account: counted against the address and the name
 * (from that address), never against the account itself, so nobody can lock another person
 * out by typing their name. The same answer either way; the failure that fills a counter
 * answers 429 at once. */
static enum app_status login_refused(struct login_run *r)
{
    const struct app_staff_cfg *cfg = r->cfg;
    long naddr = 0, nname = 0;
    enum store_err e;
    const char *why = r->known ? "password" : "unknown_user";
    if ((e = store_rate_hit(r->s, r->kaddr, r->ws, &naddr)) != STORE_OK ||
        (e = store_rate_hit(r->s, r->kname, r->ws, &nname)) != STORE_OK ||
        (e = audit_login(r->s, r->now, r->actor, "staff.login.failed", why)) != STORE_OK ||
        ((nname == cfg->max_failures || naddr == cfg->max_per_addr) &&
         (e = audit_login(r->s, r->now, r->actor, "staff.lockout",
                          nname == cfg->max_failures ? "name" : "address")) != STORE_OK))
        return app__store_err(r->s, e, "counting a failed staff login", NULL, NULL, r->err);
    ulog(ULOG_INFO, "staff.login.failed", "user=%s reason=%s", r->known ? r->u.username : "?", why);
    if (nname >= cfg->max_failures || naddr >= cfg->max_per_addr)
        return login_wait(r);
    return app__fail(r->err, APP_EAUTH, "staff_login_failed");
}

/* 5b. The right password. The account again, inside the transaction the decision is applied
 * in: removed, given a new password or locked while we were hashing, nothing stale is judged.
 * A lock-out of the account itself (wrong codes after the right password) is told only to
 * someone who knows the password. */
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
        if ((e = audit_login(r->s, r->now, r->actor, "staff.login.failed", "locked")) != STORE_OK ||
            (e = login_tx_end(r, true)) != STORE_OK)
            return login_store_fail(r, e);
        r->err->retry_after = r->cur.locked_until - r->now;
        return app__fail(r->err, APP_ETOOMANY, "too_many_attempts");
    }
    return APP_OK;
}

/* The TOTP secret is kept sealed with the server's key (crypto/seal.h, issue 19 finding 8),
 * for the context "totp:<user>" so that it opens on its own account only. */
static void totp_ctx(const char *username, char out[CRYPTO_SEAL_CTX_MAX])
{
    snprintf(out, CRYPTO_SEAL_CTX_MAX, "totp:%s", username);
}

/* The account's secret in base32 into plain (CRYPTO_SEAL_PLAIN_MAX + 1). One stored before
 * secrets were sealed (plain base32) is taken as it is and sealed now, in cur, so the update
 * that ends this login keeps it sealed ("first use"; `eimza migrate` seals them all at once).
 * Returns APP_OK, or a failure (no key to seal a plain one with is not one: it stays plain
 * until a key is configured). */
static enum app_status totp_open(struct login_run *r, char *plain, size_t cap)
{
    struct store_user *cur = &r->cur;
    const struct crypto_seal_key *key = r->key;
    char ctx[CRYPTO_SEAL_CTX_MAX];
    totp_ctx(cur->username, ctx);
    if (!crypto_sealed(cur->totp_secret)) {
        size_t n = strnlen(cur->totp_secret, sizeof cur->totp_secret);
        if (n >= cap || n > CRYPTO_SEAL_PLAIN_MAX)
            return login_internal(r); /* no secret of before was this long */
        memcpy(plain, cur->totp_secret, n);
        plain[n] = '\0';
        char sealed[CRYPTO_SEAL_TEXT_MAX];
        if (key && crypto_seal(key, ctx, plain, sealed, sizeof sealed) == 0) {
            snprintf(cur->totp_secret, sizeof cur->totp_secret, "%s", sealed);
            r->sealed_now = true;
        }
        return APP_OK;
    }
    enum crypto_unseal u =
        key ? crypto_unseal(key, ctx, cur->totp_secret, plain, cap) : CRYPTO_UNSEAL_OTHER_KEY;
    if (u == CRYPTO_UNSEAL_OK)
        return APP_OK;
    ulog(ULOG_ERROR, "staff.totp",
         "user=%s: the stored TOTP secret cannot be opened (%s; this server's key %s)",
         cur->username,
         u == CRYPTO_UNSEAL_OTHER_KEY ? "sealed with another key or none is set" : "damaged",
         key ? key->id : "not set");
    return login_internal(r);
}

/* 6a. An account without a confirmed second factor: its secret (made once, kept sealed until a
 * code confirms it) and the otpauth URI go to the page. */
static enum app_status login_enrolment(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    enum store_err e;
    char plain[CRYPTO_SEAL_PLAIN_MAX + 1] = "";
    enum app_status st = APP_OK;
    if (!cur->totp_secret[0]) {
        char ctx[CRYPTO_SEAL_CTX_MAX];
        if (!r->key) {
            ulog(ULOG_ERROR, "staff.totp",
                 "user=%s: no secret_key is set, so no TOTP secret can be kept (secrets.conf)",
                 cur->username);
            login_tx_end(r, false);
            return app__fail(r->err, APP_EUNAVAILABLE, "secret_key_missing");
        }
        totp_ctx(cur->username, ctx);
        if (crypto_totp_secret_new(plain) < 0 ||
            crypto_seal(r->key, ctx, plain, cur->totp_secret, sizeof cur->totp_secret) < 0) {
            st = login_internal(r);
            goto out;
        }
        cur->totp_last_step = 0; /* no code accepted yet (the steps of today are ~6e7) */
        cur->updated_at = r->now;
        if ((e = store_user_update(r->s, cur)) != STORE_OK ||
            (e = audit_login(r->s, r->now, r->actor, "staff.totp.enrolment_started", NULL)) !=
                STORE_OK) {
            st = login_store_fail(r, e);
            goto out;
        }
    } else if ((st = totp_open(r, plain, sizeof plain)) != APP_OK) {
        goto out;
    }
    struct ubuf b = UBUF_INIT(APP_TOTP_URI_MAX - 1);
    /* Secrets made here are 32 characters; the URI carries any secret whole. */
    size_t n = strnlen(plain, CRYPTO_TOTP_SECRET_B32);
    memcpy(r->out->totp_secret, plain, n);
    r->out->totp_secret[n] = '\0';
    if (crypto_totp_uri(&b, cur->username, plain) == 0)
        memcpy(r->out->totp_uri, ubuf_str(&b), b.len + 1);
    ubuf_free(&b);
out:
    sodium_memzero(plain, sizeof plain);
    return st;
}

/* 6b. The code: right (its step is kept: never accepted again), wrong, or replayed. */
static enum app_status login_code(struct login_run *r)
{
    struct store_user *cur = &r->cur;
    unsigned char key[64];
    char plain[CRYPTO_SEAL_PLAIN_MAX + 1];
    enum app_status st = totp_open(r, plain, sizeof plain);
    if (st != APP_OK)
        return st;
    int klen = crypto_totp_secret_decode(plain, key, sizeof key);
    sodium_memzero(plain, sizeof plain);
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

/* 6. What the right password leads to: a disabled account's refusal, or the second factor
 * (asked for, set up, or checked). */
static enum app_status login_judge(struct login_run *r)
{
    enum store_err e;
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

/* 7a. A wrong or replayed code after the right password: counted on the account, and the
 * one that reaches max_failures locks the account (only someone who knows the password can
 * do that; the lock is told only to them, at step 5b). */
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
        (r->sealed_now &&
         (e = audit_login(r->s, r->now, r->actor, "staff.totp.sealed", "first_use")) != STORE_OK) ||
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

/* 7b. Success: the account's counters reset, the session opened, both audited. */
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
        (r->sealed_now &&
         (e = audit_login(r->s, r->now, r->actor, "staff.totp.sealed", "first_use")) != STORE_OK) ||
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
                            .gate = c->set->hash_gate,
                            .key = c->set->seal_key,
                            .addr = c->client_addr,
                            .now = c->now,
                            .rq = rq,
                            .code = rq->totp ? rq->totp : "",
                            .out = out,
                            .err = err};
    st = login_shape(r);
    if (st == APP_OK)
        st = login_account(r);
    if (st == APP_OK)
        st = login_limits(r);
    if (st == APP_OK)
        st = login_password(r);
    if (st == APP_OK && !r->pw_ok)
        st = login_refused(r);
    else if (st == APP_OK)
        st = login_reread(r);
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

/* ---- sealing the secrets stored before (issue 19, finding 8) -------------------------------- */

struct plain_names {
    char (*name)[STORE_USERNAME_MAX];
    size_t n, cap;
    bool nomem;
};

static int collect_plain(void *ctx, const struct store_user *u)
{
    struct plain_names *pn = ctx;
    if (!u->totp_secret[0] || crypto_sealed(u->totp_secret))
        return 0;
    if (pn->n == pn->cap) {
        size_t cap = pn->cap ? 2 * pn->cap : 16;
        void *p = realloc(pn->name, cap * sizeof *pn->name);
        if (!p) {
            pn->nomem = true;
            return 1;
        }
        pn->name = p;
        pn->cap = cap;
    }
    snprintf(pn->name[pn->n++], STORE_USERNAME_MAX, "%s", u->username);
    return 0;
}

enum app_status app_totp_seal_all(struct store *s, const struct crypto_seal_key *key, int64_t now,
                                  long *sealed, struct app_err *err)
{
    struct plain_names pn = {0};
    enum store_err e;
    enum app_status st = APP_OK;
    long n = 0;
    app_err_clear(err);
    if (sealed)
        *sealed = 0;
    if (!key)
        return app__fail(err, APP_EUNAVAILABLE, "secret_key_missing");
    if ((e = store_user_each(s, collect_plain, &pn)) != STORE_OK || pn.nomem) {
        st = pn.nomem ? app__fail(err, APP_EINTERNAL, NULL)
                      : app__store_err(s, e, "reading staff accounts", NULL, NULL, err);
        goto out;
    }
    if (pn.n == 0)
        goto out;
    if ((e = store_tx_begin(s)) != STORE_OK) {
        st = app__store_err(s, e, "starting a transaction", NULL, NULL, err);
        goto out;
    }
    for (size_t i = 0; i < pn.n && e == STORE_OK; i++) {
        struct store_user u;
        char ctx[CRYPTO_SEAL_CTX_MAX], out[CRYPTO_SEAL_TEXT_MAX];
        if ((e = store_user_get(s, pn.name[i], &u)) != STORE_OK) /* locks it on PostgreSQL */
            break;
        if (u.totp_secret[0] && !crypto_sealed(u.totp_secret)) {
            totp_ctx(u.username, ctx);
            if (crypto_seal(key, ctx, u.totp_secret, out, sizeof out) < 0) {
                e = STORE_ENOMEM;
            } else {
                snprintf(u.totp_secret, sizeof u.totp_secret, "%s", out);
                u.updated_at = now;
                e = store_user_update(s, &u);
                n++;
            }
        }
        sodium_memzero(&u, sizeof u);
        sodium_memzero(out, sizeof out);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "{\"sealed\":%ld}", n);
    if (e == STORE_OK && n > 0)
        e = app__audit(s, now, "cli", "staff.totp.sealed", "users", detail);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK) {
        n = 0;
        st = app__store_err(s, e, "sealing TOTP secrets", NULL, NULL, err);
    }
out:
    free(pn.name);
    if (sealed)
        *sealed = n;
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
