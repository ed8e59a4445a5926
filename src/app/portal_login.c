/* eimza — step 1 of the portal: the captcha, the login and the session (see portal.h).
 *
 * The login must not tell anyone whether a T.C. Kimlik No is on record: every identity
 * failure gives the same answer after the same work (the record is looked up, all four fields
 * are compared, both counters are incremented), whichever field was wrong and whether a record
 * exists. Input that is malformed on its face (check digits, dates) is refused earlier: that
 * reveals nothing about the records. Counters are fixed windows in the database
 * (store_rate_hit), so several servers on one PostgreSQL share them.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/portal_int.h"
#include "core/date.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "util/log.h"
#include "util/rand.h"

/* ---- captcha ------------------------------------------------------------------------------- */

static uint64_t captcha_seed(const char *id)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 16 && id[i]; i++) {
        char c = id[i];
        unsigned d = (c >= '0' && c <= '9') ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
        v = (v << 4) | (d & 0xF);
    }
    return v;
}

enum app_status app_captcha_new(const struct app_ctx *ctx, struct app_captcha *out,
                                struct app_err *err)
{
    struct store *s = ctx->db;
    const int64_t now = ctx->now;
    static const char hex[] = "0123456789abcdef";
    const size_t nalpha = sizeof APP_CAPTCHA_ALPHABET - 1;
    unsigned char raw[APP_CAPTCHA_ID_LEN / 2];
    struct store_captcha c;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    /* Per address first, before any other work (issue 19, finding 6): a captcha costs a row
     * kept an hour and a picture; a fixed window shared by every server of the database. */
    const struct app_portal_cfg *cfg = &ctx->set->portal;
    const int64_t ws = now - now % cfg->login_window;
    char key[STORE_RATE_KEY_MAX];
    long n = 0;
    snprintf(key, sizeof key, "captcha:addr:%.90s",
             ctx->client_addr && *ctx->client_addr ? ctx->client_addr : "unknown");
    enum store_err e = store_rate_hit(s, key, ws, &n);
    if (e != STORE_OK)
        return app__store_err(s, e, "counting captchas", NULL, NULL, err);
    if (n > cfg->captcha_max_per_addr) {
        if (n == cfg->captcha_max_per_addr + 1)
            ulog(ULOG_WARN, "captcha.limit", "an address reached %ld captchas", n);
        err->retry_after = ws + cfg->login_window - now;
        return app__fail(err, APP_ETOOMANY, "too_many_attempts");
    }
    if (urand_bytes(raw, sizeof raw) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    for (size_t i = 0; i < sizeof raw; i++) {
        out->id[2 * i] = hex[raw[i] >> 4];
        out->id[2 * i + 1] = hex[raw[i] & 15];
    }
    for (size_t i = 0; i < APP_CAPTCHA_LEN; i++) {
        uint32_t k;
        if (urand_uniform((uint32_t)nalpha, &k) < 0)
            return app__fail(err, APP_EINTERNAL, NULL);
        out->text[i] = APP_CAPTCHA_ALPHABET[k];
    }
    out->seed = captcha_seed(out->id);
    out->expires_at = now + cfg->captcha_ttl;
    memcpy(c.id, out->id, sizeof out->id);
    memcpy(c.answer, out->text, sizeof out->text);
    c.expires_at = out->expires_at;
    /* Captchas nobody answered would pile up: clear those expired over an hour ago (an index
     * range; nothing to do most of the time). */
    e = store_captcha_purge(s, now - 3600, NULL);
    if (e == STORE_OK)
        e = store_captcha_put(s, &c);
    if (e != STORE_OK)
        return app__store_err(s, e, "storing a captcha", NULL, NULL, err);
    return APP_OK;
}

enum app_status app_captcha_peek(const struct app_ctx *ctx, const char *id, struct app_captcha *out,
                                 struct app_err *err)
{
    struct store *s = ctx->db;
    const int64_t now = ctx->now;
    struct store_captcha c;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (!id || strlen(id) != APP_CAPTCHA_ID_LEN)
        return app__fail(err, APP_ENOTFOUND, "captcha_expired");
    /* A picture or a spoken version is drawn for each look (the speech synthesis is the
     * costliest part of the portal's anonymous requests): with an address, looks are counted
     * too, four per captcha the address may have (issue 19, near finding 6). */
    if (ctx->client_addr) {
        const struct app_portal_cfg *cfg = &ctx->set->portal;
        const int64_t ws = now - now % cfg->login_window;
        char key[STORE_RATE_KEY_MAX];
        long n = 0;
        snprintf(key, sizeof key, "captcha-look:addr:%.90s",
                 *ctx->client_addr ? ctx->client_addr : "unknown");
        enum store_err le = store_rate_hit(s, key, ws, &n);
        if (le != STORE_OK)
            return app__store_err(s, le, "counting captcha looks", NULL, NULL, err);
        if (n > 4L * cfg->captcha_max_per_addr) {
            err->retry_after = ws + cfg->login_window - now;
            return app__fail(err, APP_ETOOMANY, "too_many_attempts");
        }
    }
    enum store_err e = store_captcha_get(s, id, &c);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a captcha", "captcha_expired", NULL, err);
    if (c.used || now >= c.expires_at || strlen(c.answer) != APP_CAPTCHA_LEN)
        return app__fail(err, APP_ENOTFOUND, "captcha_expired");
    memcpy(out->id, id, APP_CAPTCHA_ID_LEN);
    memcpy(out->text, c.answer, APP_CAPTCHA_LEN);
    out->seed = captcha_seed(id);
    out->expires_at = c.expires_at;
    return APP_OK;
}

/* The answer typed, trimmed and upper-cased (ASCII: the alphabet is ASCII). -1 when it cannot
 * be the answer's length. */
static int captcha_normalize(const char *in, char out[APP_CAPTCHA_LEN + 1])
{
    size_t n = 0;
    if (!in)
        return -1;
    while (*in == ' ' || *in == '\t')
        in++;
    for (; *in && n <= APP_CAPTCHA_LEN; in++) {
        if (*in == ' ' || *in == '\t')
            break;
        out[n++] = (char)toupper((unsigned char)*in);
    }
    while (*in == ' ' || *in == '\t')
        in++;
    if (*in || n != APP_CAPTCHA_LEN)
        return -1;
    out[n] = '\0';
    return 0;
}

enum app_status app_captcha_check(const struct app_ctx *ctx, const char *id, const char *answer,
                                  struct app_err *err)
{
    struct store *s = ctx->db;
    const int64_t now = ctx->now;
    struct store_captcha c;
    char typed[APP_CAPTCHA_LEN + 2];
    app_err_clear(err);
    if (!id || strlen(id) != APP_CAPTCHA_ID_LEN)
        return app__fail(err, APP_EINVAL, "captcha_expired");
    enum store_err e = store_captcha_take(s, id, &c);
    if (e == STORE_ENOTFOUND) /* unknown, or already used */
        return app__fail(err, APP_EINVAL, "captcha_expired");
    if (e != STORE_OK)
        return app__store_err(s, e, "using a captcha", NULL, NULL, err);
    if (now >= c.expires_at)
        return app__fail(err, APP_EINVAL, "captcha_expired");
    if (captcha_normalize(answer, typed) < 0 || strlen(c.answer) != APP_CAPTCHA_LEN ||
        !app__ct_equal(typed, c.answer))
        return app__fail(err, APP_EINVAL, "captcha_wrong");
    return APP_OK;
}

/* ---- login --------------------------------------------------------------------------------- */

/* Checks a name-like field: present, valid UTF-8, fits. */
static void check_text(struct app_err *err, const char *field, const char *v, size_t cap)
{
    char tmp[512];
    if (!v || !*v) {
        app_err_field(err, field, "required");
        return;
    }
    const char *bad = core_text_check_code(core_text_check(v, strlen(v), 0));
    if (bad) { /* no name holds these: says nothing about the records */
        app_err_field(err, field, bad);
        return;
    }
    int n = core_tr_normalize(v, strlen(v), tmp, cap < sizeof tmp ? cap : sizeof tmp);
    if (n < 0)
        app_err_field(err, field, core_utf8_valid(v, strlen(v)) ? "too_long" : "not_utf8");
    else if (n == 0)
        app_err_field(err, field, "required");
}

/* Counter keys: the address as given; the T.C. Kimlik No only as a hash. */
static void key_addr(const char *addr, char out[STORE_RATE_KEY_MAX])
{
    snprintf(out, STORE_RATE_KEY_MAX, "login:addr:%.90s", addr && *addr ? addr : "unknown");
}

static int key_tckn(const char *tckn, char out[STORE_RATE_KEY_MAX])
{
    char in[64], h[STORE_HASH_HEX + 1];
    snprintf(in, sizeof in, "eimza-login-tckn:%s", tckn);
    if (app__sha256(in, h) < 0)
        return -1;
    snprintf(out, STORE_RATE_KEY_MAX, "login:tckn:%.32s", h);
    return 0;
}

/* One more failure on a counter; the failure that reaches the limit is the lock-out, and is
 * audited. */
static enum store_err count_failure(struct store *s, const char *key, int64_t ws, long max,
                                    int64_t now, const char *scope, const char *object)
{
    long n = 0;
    enum store_err e = store_rate_hit(s, key, ws, &n);
    if (e == STORE_OK && n == max) {
        char detail[96];
        snprintf(detail, sizeof detail, "{\"scope\":\"%s\",\"failures\":%ld}", scope, n);
        e = app__audit(s, now, "anonymous", "login.lockout", object, detail);
        ulog(ULOG_WARN, "login.lockout", "scope=%s object=%s", scope, object);
    }
    return e;
}

/* What one login attempt learns, step by step (app_login). */
struct login_try {
    const struct app_ctx *ctx;
    const struct app_login_req *rq;
    enum app_status captcha; /* the captcha's verdict (APP_EINVAL: wrong or missing) */
    struct app_err captcha_err;
    char tckn[CORE_TCKN_LEN + 1], masked[CORE_TCKN_LEN + 1];
    int32_t birth;
    char kaddr[STORE_RATE_KEY_MAX], ktckn[STORE_RATE_KEY_MAX]; /* the failure counters */
    int64_t window;                                            /* their window's start */
};

/* 1. The captcha is used up first, whatever happens next (even a malformed request); its
 * verdict waits for step 4. Stops only when the captcha could not be checked at all. */
static enum app_status login_captcha(struct login_try *t, struct app_err *err)
{
    t->captcha = APP_EINVAL;
    app_err_clear(&t->captcha_err);
    if (!t->rq->captcha_id || !*t->rq->captcha_id)
        return APP_OK;
    t->captcha =
        app_captcha_check(t->ctx, t->rq->captcha_id, t->rq->captcha_answer, &t->captcha_err);
    if (t->captcha != APP_OK && t->captcha != APP_EINVAL) {
        *err = t->captcha_err;
        return t->captcha;
    }
    return APP_OK;
}

/* The T.C. Kimlik No as typed, without the spaces people put between groups of digits
 * ("100 000 001 46"); false when even that is too long to be one. */
static bool tckn_clean(const char *in, char out[CORE_TCKN_LEN + 2])
{
    size_t n = 0;
    for (; *in; in++) {
        if (*in == ' ' || *in == '\t')
            continue;
        if (n == CORE_TCKN_LEN + 1)
            return false;
        out[n++] = *in;
    }
    out[n] = '\0';
    return true;
}

/* 2. The shape of every field: says nothing about the records. */
static enum app_status login_fields(struct login_try *t, struct app_err *err)
{
    const struct app_login_req *rq = t->rq;
    char tckn[CORE_TCKN_LEN + 2];
    if (!rq->tckn || !tckn_clean(rq->tckn, tckn)) {
        app_err_field(err, "tckn", rq->tckn ? "tckn_length" : "required");
    } else if (!*tckn) {
        app_err_field(err, "tckn", "required");
    } else {
        enum core_tckn_err te = core_tckn_check(tckn, strlen(tckn));
        if (te != CORE_TCKN_OK)
            app_err_field(err, "tckn", core_tckn_err_code(te));
        else
            memcpy(t->tckn, tckn, CORE_TCKN_LEN + 1);
    }
    check_text(err, "first_name", rq->first_name, CORE_NAME_MAX);
    check_text(err, "last_name", rq->last_name, CORE_NAME_MAX);
    check_text(err, "birth_place", rq->birth_place, CORE_NAME_MAX);
    if (!rq->birth_date || !*rq->birth_date)
        app_err_field(err, "birth_date", "required");
    else if (core_date_parse(rq->birth_date, strlen(rq->birth_date), &t->birth) != 0)
        app_err_field(err, "birth_date", "date_format");
    if (!rq->captcha_id || !*rq->captcha_id)
        app_err_field(err, "captcha_id", "required");
    if (!rq->captcha_answer || !*rq->captcha_answer)
        app_err_field(err, "captcha_answer", "required");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    return APP_OK;
}

/* 3. The lock-outs: too many failures from this address or for this T.C. Kimlik No in the
 * window. 4. Then a wrong captcha counts against the address only: it says nothing about a
 * person. */
static enum app_status login_lockouts(struct login_try *t, struct app_err *err)
{
    struct store *s = t->ctx->db;
    const struct app_portal_cfg *cfg = &t->ctx->set->portal;
    const int64_t now = t->ctx->now;
    long naddr = 0, ntckn = 0;
    enum store_err e;
    t->window = now - now % cfg->login_window;
    key_addr(t->ctx->client_addr, t->kaddr);
    if (key_tckn(t->tckn, t->ktckn) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    core_tckn_mask(t->tckn, t->masked);
    if ((e = store_rate_get(s, t->kaddr, t->window, &naddr)) != STORE_OK ||
        (e = store_rate_get(s, t->ktckn, t->window, &ntckn)) != STORE_OK)
        return app__store_err(s, e, "reading login counters", NULL, NULL, err);
    if (naddr >= cfg->login_max_per_addr || ntckn >= cfg->login_max_per_tckn) {
        err->retry_after = t->window + cfg->login_window - now;
        return app__fail(err, APP_ETOOMANY, "too_many_attempts");
    }
    if (t->captcha != APP_OK) {
        e = count_failure(s, t->kaddr, t->window, cfg->login_max_per_addr, now, "address",
                          "address");
        if (e != STORE_OK)
            return app__store_err(s, e, "counting a failed login", NULL, NULL, err);
        *err = t->captcha_err;
        return t->captcha;
    }
    return APP_OK;
}

/* 5. The identity: the same work whether or not there is a record. A mismatch counts
 * against the address and the T.C. Kimlik No. */
static enum app_status login_identity(struct login_try *t, struct app_err *err)
{
    struct store *s = t->ctx->db;
    const struct app_portal_cfg *cfg = &t->ctx->set->portal;
    const struct app_login_req *rq = t->rq;
    struct core_personnel p;
    bool found = true;
    enum store_err e = store_personnel_get(s, t->tckn, &p);
    if (e == STORE_ENOTFOUND) {
        found = false;
        core_personnel_clear(&p);
        snprintf(p.first_name, sizeof p.first_name, "%s", "\x01no record");
        snprintf(p.last_name, sizeof p.last_name, "%s", "\x01no record");
        snprintf(p.birth_place, sizeof p.birth_place, "%s", "\x01no record");
        p.birth_date = CORE_DATE_NONE;
    } else if (e != STORE_OK) {
        return app__store_err(s, e, "reading a personnel record", NULL, NULL, err);
    }
    /* names as people type them: Turkish case folding, the two i's as one (EMINE = EMİNE) */
    bool same_first =
        core_tr_equal_i(p.first_name, strlen(p.first_name), rq->first_name, strlen(rq->first_name));
    bool same_last =
        core_tr_equal_i(p.last_name, strlen(p.last_name), rq->last_name, strlen(rq->last_name));
    bool same_place = core_tr_equal_i(p.birth_place, strlen(p.birth_place), rq->birth_place,
                                      strlen(rq->birth_place));
    bool same_date = p.birth_date == t->birth;
    if (found & same_first & same_last & same_place & same_date)
        return APP_OK;
    const int64_t now = t->ctx->now;
    e = count_failure(s, t->kaddr, t->window, cfg->login_max_per_addr, now, "address", "address");
    if (e == STORE_OK)
        e = count_failure(s, t->ktckn, t->window, cfg->login_max_per_tckn, now, "tckn", t->masked);
    if (e != STORE_OK)
        return app__store_err(s, e, "counting a failed login", NULL, NULL, err);
    ulog(ULOG_INFO, "login.failed", "tckn=%s", t->masked);
    return app__fail(err, APP_EAUTH, "login_failed");
}

/* 6. A new session: only the token's hash is stored. Housekeeping on the way: sessions and
 * counters that can no longer matter are dropped. */
static enum app_status login_session(struct login_try *t, struct app_login_ok *out,
                                     struct app_err *err)
{
    struct store *s = t->ctx->db;
    const struct app_portal_cfg *cfg = &t->ctx->set->portal;
    const int64_t now = t->ctx->now;
    struct store_session ss;
    char actor[32];
    memset(&ss, 0, sizeof ss);
    if (app__random_b64(32, out->token, sizeof out->token) < 0 ||
        app__random_b64(24, out->csrf, sizeof out->csrf) < 0 ||
        app__sha256(out->token, ss.token_hash) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    snprintf(ss.kind, sizeof ss.kind, "applicant");
    memcpy(ss.subject, t->tckn, sizeof t->tckn);
    memcpy(ss.csrf, out->csrf, sizeof out->csrf);
    ss.created_at = ss.last_seen = now;
    ss.expires_at = out->expires_at = now + cfg->session_lifetime;
    app__actor(t->tckn, actor);
    enum store_err e = store_session_purge(s, now, cfg->session_idle, NULL);
    if (e == STORE_OK)
        e = store_rate_purge(s, t->window - cfg->login_window, NULL);
    if (e == STORE_OK)
        e = store_session_put(s, &ss);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, "login", "applicant", NULL);
    if (e != STORE_OK)
        return app__store_err(s, e, "starting a session", NULL, NULL, err);
    ulog(ULOG_INFO, "login.ok", "tckn=%s", t->masked);
    return APP_OK;
}

enum app_status app_login(const struct app_ctx *ctx, const struct app_login_req *rq,
                          struct app_login_ok *out, struct app_err *err)
{
    struct login_try t = {.ctx = ctx, .rq = rq, .birth = CORE_DATE_NONE};
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    enum app_status st = login_captcha(&t, err);
    if (st == APP_OK)
        st = login_fields(&t, err);
    if (st == APP_OK)
        st = login_lockouts(&t, err);
    if (st == APP_OK)
        st = login_identity(&t, err);
    if (st == APP_OK && (st = login_session(&t, out, err)) != APP_OK)
        memset(out, 0, sizeof *out); /* no half-made session goes out */
    return st;
}

/* ---- sessions ------------------------------------------------------------------------------ */

enum app_status app__session_check(struct store *s, const struct app_portal_cfg *cfg, const char *h,
                                   int64_t now, struct store_session *out,
                                   enum app__session_due *due, struct app_err *err)
{
    *due = APP__SESSION_KEEP;
    enum store_err e = store_session_get(s, h, out);
    if (e == STORE_ENOTFOUND)
        return app__fail(err, APP_EAUTH, "session_required");
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a session", NULL, NULL, err);
    return app__session_judge(cfg, now, out, due, err);
}

enum app_status app__session_judge(const struct app_portal_cfg *cfg, int64_t now,
                                   struct store_session *out, enum app__session_due *due,
                                   struct app_err *err)
{
    *due = APP__SESSION_KEEP;
    bool over = now >= out->expires_at || now >= out->last_seen + cfg->session_idle;
    if (strcmp(out->kind, "applicant") != 0 || over) {
        if (over)
            *due = APP__SESSION_DROP;
        memset(out, 0, sizeof *out);
        return app__fail(err, APP_EAUTH, "session_required");
    }
    if (now - out->last_seen >= APP__TOUCH_EVERY)
        *due = APP__SESSION_TOUCH;
    return APP_OK;
}

enum app_status app__token_hash(const char *token, char h[STORE_HASH_HEX + 1], struct app_err *err)
{
    if (!token || strlen(token) != APP_TOKEN_LEN)
        return app__fail(err, APP_EAUTH, "session_required");
    if (app__sha256(token, h) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    return APP_OK;
}

/* Writes what the check left due; a session removed meanwhile is no error. */
enum app_status app__session_settle(struct store *s, const char *h, enum app__session_due due,
                                    int64_t now, struct store_session *ss, struct app_err *err)
{
    if (due == APP__SESSION_DROP) {
        (void)store_session_delete(s, h);
    } else if (due == APP__SESSION_TOUCH) {
        enum store_err e = store_session_touch(s, h, now);
        if (e != STORE_OK && e != STORE_ENOTFOUND)
            return app__store_err(s, e, "touching a session", NULL, NULL, err);
        ss->last_seen = now;
    }
    return APP_OK;
}
