/* eimza — the new card's PIN apart from the card (card_flow.h): an in-house card's PIN and PUK
 * are sealed when the card is made and shown to its holder once, after the delivery, on the
 * portal: logged in, the security word of the form (checked against its Argon2id hash), then a
 * code sent by SMS to the mobile number of the personnel record. The moment they are shown the
 * sealed copy is destroyed; a second retrieval is refused.
 *
 * Sealing is libsodium's XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf) with the key
 * of the settings (pin_key, from the secrets file; never in the database) and a random nonce
 * per card, the card's id and the application's number as associated data, so a sealed value
 * copied to another row does not open. The SMS code is kept as a salted SHA-256 only; its SMS
 * is the template pin_code kept as its values, the code sealed apart with the server's key and
 * put in only by the sender at delivery, as the application's code (app/portal_otp.c); it is
 * dropped when a newer code replaces it, when the PIN is shown, and when it expires. Wrong
 * words and wrong codes count together per card and hour: otp_max_wrong of them lock the
 * retrieval until the hour is over; each is audited, and so is the lock.
 *
 * A holder who forgot the word goes with their identity card to an operator, who lifts the
 * word step for APP_PIN_WAIVER_SECONDS (app_admin_pin_waive: audited with the operator's name,
 * the holder told). While it is in force the retrieval asks the SMS code only; the code, its
 * limits and the lock stay as they are, and showing the PIN ends the waiver.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/flow_int.h"
#include "core/date.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "core/validate.h"
#include "crypto/seal.h"
#include "notify/outbox.h"
#include "util/log.h"
#include "util/rand.h"

#define PIN_HOUR   3600
#define PIN_AD_MAX 64

static int pin_ad(int64_t card_id, const char *number, char out[PIN_AD_MAX])
{
    int n = snprintf(out, PIN_AD_MAX, "eimza-pin-v1:%lld:%s", (long long)card_id, number);
    return n > 0 && n < PIN_AD_MAX ? n : -1;
}

int app__pin_seal(const struct app_settings *set, int64_t card_id, const char *number,
                  const char *pin, const char *puk, char *out, size_t cap)
{
    unsigned char buf[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 64 +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES];
    unsigned char *nonce = buf, *ct = buf + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    char msg[48], ad[PIN_AD_MAX];
    unsigned long long clen = 0;
    int rc = -1, adlen = pin_ad(card_id, number, ad);
    int mlen = snprintf(msg, sizeof msg, "%s %s", pin, puk);
    if (!set->has_pin_key || adlen < 0 || mlen < 0 || (size_t)mlen >= 64 || sodium_init() < 0 ||
        urand_bytes(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES) < 0)
        goto out;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        ct, &clen, (const unsigned char *)msg, (unsigned long long)mlen, (const unsigned char *)ad,
        (unsigned long long)adlen, NULL, nonce, set->pin_key);
    size_t total = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + (size_t)clen;
    if (cap < sodium_base64_ENCODED_LEN(total, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        goto out;
    sodium_bin2base64(out, cap, buf, total, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = 0;
out:
    sodium_memzero(msg, sizeof msg);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

/* Opens a sealed PIN into pin and puk; -1 when it does not open (another key, another row). */
static int pin_open(const struct app_settings *set, int64_t card_id, const char *number,
                    const char *sealed, struct app_pin_secret *out)
{
    unsigned char buf[256], msg[64];
    size_t len = 0;
    unsigned long long mlen = 0;
    char ad[PIN_AD_MAX];
    int rc = -1, adlen = pin_ad(card_id, number, ad);
    if (!set->has_pin_key || adlen < 0 ||
        sodium_base642bin(buf, sizeof buf, sealed, strlen(sealed), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                  crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES >
            sizeof msg + crypto_aead_xchacha20poly1305_ietf_ABYTES - 1)
        goto out;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            msg, &mlen, NULL, buf + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
            len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)ad,
            (unsigned long long)adlen, buf, set->pin_key) != 0)
        goto out;
    msg[mlen] = '\0';
    const char *sp = memchr(msg, ' ', (size_t)mlen);
    if (!sp || (size_t)(sp - (char *)msg) >= sizeof out->pin || strlen(sp + 1) >= sizeof out->puk)
        goto out;
    memcpy(out->pin, msg, (size_t)(sp - (char *)msg));
    out->pin[sp - (char *)msg] = '\0';
    snprintf(out->puk, sizeof out->puk, "%s", sp + 1);
    rc = 0;
out:
    sodium_memzero(msg, sizeof msg);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

/* ---- the holder's retrieval
 * ----------------------------------------------------------------------- */

/* Whether the card reached its holder (delivered, or in use since): its PIN may be taken. */
static bool arrived(const struct store_application *a)
{
    return !strcmp(a->state, core_app_state_code(CORE_APP_DELIVERED)) ||
           !strcmp(a->state, core_app_state_code(CORE_APP_COMPLETED));
}

/* Everything a step needs, read (and on PostgreSQL locked) inside its transaction. */
struct pin_case {
    struct store_application a;
    struct store_card card;
    struct store_card_pin pin;
    bool waived; /* an operator's waiver of the word step is in force */
    char actor[32];
};

static enum app_status pin_load(const struct app_ctx *c, struct pin_case *pc, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    if (app__load(s, ss, &pc->a, err) != APP_OK)
        return err->status;
    enum store_err e = store_app_get(s, pc->a.id, &pc->a); /* the row lock */
    if (e == STORE_OK)
        e = store_card_of_app(s, pc->a.id, &pc->card);
    if (e == STORE_OK && strcmp(pc->card.source, "inhouse") != 0)
        e = STORE_ENOTFOUND;
    if (e == STORE_OK)
        e = store_card_pin_get(s, pc->card.id, &pc->pin);
    if (e == STORE_ENOTFOUND || c->set->portal.production != APP_PRODUCTION_INHOUSE)
        return app__fail(err, APP_ECONFLICT, "pin_not_available");
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the card's PIN", NULL, NULL, err);
    if (strcmp(pc->pin.state, "waiting") != 0)
        return app__fail(err, APP_ECONFLICT, "pin_already_shown");
    if (!arrived(&pc->a))
        return app__fail(err, APP_ECONFLICT, "pin_not_available"); /* not delivered yet */
    pc->waived = pc->pin.word_waived_until > c->now;
    app__actor(pc->a.tckn, pc->actor);
    return APP_OK;
}

static void pin_roll(struct store_card_pin *p, int64_t now)
{
    if (p->wrong_window_start && now >= p->wrong_window_start + PIN_HOUR) {
        p->wrong_window_start = 0;
        p->wrong_count = 0;
    }
}

static bool pin_locked(const struct app_ctx *c, const struct store_card_pin *p, struct app_err *err)
{
    if (p->wrong_count < c->set->portal.rules.otp_max_wrong)
        return false;
    err->retry_after = p->wrong_window_start + PIN_HOUR - c->now;
    if (err->retry_after < 1)
        err->retry_after = 1;
    app__fail(err, APP_ETOOMANY, "pin_locked");
    return true;
}

/* One more wrong entry (kind: "word" or "code"), written and audited with the rest of the
 * transaction; the error to answer goes to err. */
static enum store_err pin_wrong(const struct app_ctx *c, struct pin_case *pc, const char *kind,
                                const char *code, struct app_err *err)
{
    struct store *s = c->db;
    struct store_card_pin *p = &pc->pin;
    if (!p->wrong_window_start)
        p->wrong_window_start = c->now;
    p->wrong_count++;
    char action[32], detail[64];
    snprintf(action, sizeof action, "pin.wrong_%s", kind);
    snprintf(detail, sizeof detail, "{\"card\":%lld,\"wrong\":%d}", (long long)p->card_id,
             p->wrong_count);
    enum store_err e = store_card_pin_update(s, p);
    if (e == STORE_OK)
        e = app__audit(s, c->now, pc->actor, action, pc->a.number, detail);
    if (e == STORE_OK && p->wrong_count == c->set->portal.rules.otp_max_wrong) {
        e = app__audit(s, c->now, pc->actor, "pin.locked", pc->a.number, detail);
        ulog(ULOG_WARN, "pin.locked", "application=%s", pc->a.number);
    }
    int left = c->set->portal.rules.otp_max_wrong - p->wrong_count;
    if (left <= 0) {
        pin_locked(c, p, err);
    } else {
        err->remaining = left;
        app__fail(err, APP_EINVAL, code);
    }
    return e;
}

/* Opens the transaction of a PIN step and reads its case, the counters rolled to now. Not
 * APP_OK, with the transaction rolled back, when that fails or the PIN is locked. */
static enum app_status pin_begin(const struct app_ctx *c, struct pin_case *pc, struct app_err *err)
{
    struct store *s = c->db;
    enum app_status st;
    enum store_err e = store_tx_begin(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if ((st = pin_load(c, pc, err)) != APP_OK)
        goto fail;
    pin_roll(&pc->pin, c->now);
    if (pin_locked(c, &pc->pin, err)) {
        st = err->status;
        goto fail;
    }
    return APP_OK;
fail:
    store_tx_rollback(s);
    return st;
}

enum app_status app_pin_word(const struct app_ctx *c, const char *word, struct app_otp_sent *out,
                             struct app_err *err)
{
    struct store *s = c->db;
    const struct core_rules *r = &c->set->portal.rules;
    struct pin_case pc;
    struct core_personnel person;
    enum app_status st;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    /* the code is sealed in the outbox with the server's key: without one, no code (as the
     * application's, app/portal_otp.c), and the word is not even looked at */
    if (!c->set->seal_key) {
        ulog(ULOG_ERROR, "pin.code", "no secret_key is set, so no SMS code can be kept");
        return app__fail(err, APP_EUNAVAILABLE, "secret_key_missing");
    }
    if ((st = pin_begin(c, &pc, err)) != APP_OK)
        return st;
    enum store_err e;
    if (!pc.waived && (!word || !*word)) {
        app_err_field(err, "security_word", "required");
        st = app__fail(err, APP_EINVAL, "invalid_fields");
        goto fail;
    }
    /* an operator who saw the holder's identity card lifted the word step: the code alone */
    if (!pc.waived &&
        (!pc.a.security_word_hash[0] || sodium_init() < 0 ||
         crypto_pwhash_str_verify(pc.a.security_word_hash, word, strlen(word)) != 0)) {
        struct app_err werr;
        app_err_clear(&werr);
        if ((e = pin_wrong(c, &pc, "word", "security_word_wrong", &werr)) == STORE_OK &&
            (e = store_tx_commit(s)) == STORE_OK) {
            *err = werr;
            return err->status;
        }
        goto store_fail;
    }
    /* the word is right: a code to the record's mobile number, unless one went just now */
    e = store_personnel_get(s, pc.a.tckn, &person);
    if (e == STORE_ENOTFOUND || (e == STORE_OK && !person.mobile_phone[0])) {
        st = app__fail(err, APP_ECONFLICT, "no_mobile_on_file");
        goto fail;
    }
    if (e != STORE_OK)
        goto store_fail;
    if (pc.pin.code_sent_at && c->now < pc.pin.code_sent_at + r->otp_cooldown_seconds) {
        err->retry_after = pc.pin.code_sent_at + r->otp_cooldown_seconds - c->now;
        st = app__fail(err, APP_ETOOMANY, "otp_cooldown");
        goto fail;
    }
    char code[8], key[64];
    uint32_t v;
    unsigned char salt[16];
    static const char hex[] = "0123456789abcdef";
    if (urand_uniform(1000000, &v) < 0 || urand_bytes(salt, sizeof salt) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    snprintf(code, sizeof code, "%06u", (unsigned)v);
    for (size_t i = 0; i < sizeof salt; i++) {
        pc.pin.code_salt[2 * i] = hex[salt[i] >> 4];
        pc.pin.code_salt[2 * i + 1] = hex[salt[i] & 15];
    }
    pc.pin.code_salt[2 * sizeof salt] = '\0';
    char in[96];
    snprintf(in, sizeof in, "%s:%s", pc.pin.code_salt, code);
    if (app__sha256(in, pc.pin.code_hash) < 0) {
        sodium_memzero(in, sizeof in);
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    sodium_memzero(in, sizeof in);
    pc.pin.word_ok_at = c->now;
    pc.pin.code_sent_at = c->now;
    pc.pin.code_expires_at = c->now + r->otp_ttl_seconds;
    pc.pin.codes_sent++;
    snprintf(key, sizeof key, "pin:%s:%d", pc.a.number, pc.pin.codes_sent);
    char minutes[16], seconds[16], prefix[64], sealed[CRYPTO_SEAL_TEXT_MAX] = "";
    snprintf(minutes, sizeof minutes, "%d", (r->otp_ttl_seconds + 59) / 60);
    snprintf(seconds, sizeof seconds, "%d", r->otp_ttl_seconds);
    snprintf(prefix, sizeof prefix, "pin:%s:", pc.a.number);
    /* the code stays out of the outbox, as the application's (app/portal_otp.c): the template
     * pin_code and its values, the code sealed apart for the message's dedupe key (the key the
     * sender opens it with), put in only by the sender (store.h, "SMS codes at rest") */
    const struct notify_var vars[] = {
        {"number", pc.a.number}, {"minutes", minutes}, {"seconds", seconds}};
    char *params = notify_params_json(vars, sizeof vars / sizeof vars[0]);
    if (!params || crypto_seal(c->set->seal_key, key, code, sealed, sizeof sealed) < 0) {
        free(params);
        sodium_memzero(code, sizeof code);
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    const struct store_outbox_msg m = {.channel = "sms",
                                       .recipient = person.mobile_phone,
                                       .dedupe_key = key,
                                       .tpl = notify_tpl_name(NOTIFY_TPL_PIN_CODE),
                                       .params = params};
    bool inserted;
    char detail[64];
    snprintf(detail, sizeof detail, "{\"card\":%lld%s}", (long long)pc.card.id,
             pc.waived ? ",\"word\":\"waived\"" : "");
    /* the codes sent before are void now: their sealed copies go, and any expired one */
    if ((e = store_card_pin_update(s, &pc.pin)) != STORE_OK ||
        (e = store_outbox_drop_secrets(s, prefix, c->now, NULL)) != STORE_OK ||
        (e = store_outbox_drop_secrets(s, NULL, c->now, NULL)) != STORE_OK ||
        (e = store_outbox_put(s, &m, c->now, &inserted)) != STORE_OK ||
        (e = store_outbox_set_secret(s, key, sealed, pc.pin.code_expires_at)) != STORE_OK ||
        (e = app__audit(s, c->now, pc.actor, "pin.code_sent", pc.a.number, detail)) != STORE_OK ||
        (e = store_tx_commit(s)) != STORE_OK) {
        sodium_memzero(code, sizeof code);
        sodium_memzero(sealed, sizeof sealed);
        free(params);
        goto store_fail;
    }
    sodium_memzero(code, sizeof code);
    sodium_memzero(sealed, sizeof sealed);
    free(params);
    core_phone_mask(person.mobile_phone, out->masked_phone);
    out->expires_in = r->otp_ttl_seconds;
    out->expires_at = pc.pin.code_expires_at;
    out->resend_in = r->otp_cooldown_seconds;
    return APP_OK;
store_fail:
    store_tx_rollback(s);
    return app__store_err(s, e, "the PIN's security word", "no_application", "wrong_state", err);
fail:
    store_tx_rollback(s);
    return st;
}

enum app_status app_pin_code(const struct app_ctx *c, const char *code, struct app_pin_secret *out,
                             struct app_err *err)
{
    struct store *s = c->db;
    struct pin_case pc;
    enum app_status st;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (!code || !*code) {
        app_err_field(err, "code", "required");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    if ((st = pin_begin(c, &pc, err)) != APP_OK)
        return st;
    enum store_err e;
    if (!pc.pin.word_ok_at || !pc.pin.code_hash[0]) {
        st = app__fail(err, APP_ECONFLICT, "pin_word_first");
        goto fail;
    }
    if (c->now >= pc.pin.code_expires_at) {
        st = app__fail(err, APP_EINVAL, "otp_expired");
        goto fail;
    }
    char in[96], h[STORE_HASH_HEX + 1];
    snprintf(in, sizeof in, "%s:%s", pc.pin.code_salt, code);
    int hr = app__sha256(in, h);
    sodium_memzero(in, sizeof in);
    if (hr < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    if (strlen(code) != 6 || !app__ct_equal(h, pc.pin.code_hash)) {
        struct app_err werr;
        app_err_clear(&werr);
        if ((e = pin_wrong(c, &pc, "code", "otp_wrong", &werr)) == STORE_OK &&
            (e = store_tx_commit(s)) == STORE_OK) {
            *err = werr;
            return err->status;
        }
        goto store_fail;
    }
    if (pin_open(c->set, pc.card.id, pc.a.number, pc.pin.sealed, out) < 0) {
        ulog(ULOG_ERROR, "pin.open",
             "application=%s: the sealed PIN does not open with the key "
             "of the settings",
             pc.a.number);
        st = app__fail(err, APP_EUNAVAILABLE, "pin_key_missing");
        goto fail;
    }
    /* shown now: destroyed now, in the same transaction as the answer's record */
    sodium_memzero(pc.pin.sealed, sizeof pc.pin.sealed);
    snprintf(pc.pin.state, sizeof pc.pin.state, "shown");
    pc.pin.shown_at = c->now;
    pc.pin.code_hash[0] = '\0';
    pc.pin.word_waived_until = 0; /* a waiver is used once */
    char detail[48], prefix[64];
    snprintf(detail, sizeof detail, "{\"card\":%lld}", (long long)pc.card.id);
    snprintf(prefix, sizeof prefix, "pin:%s:", pc.a.number);
    /* the code is used: a sealed copy not yet handed over goes too */
    if ((e = store_card_pin_update(s, &pc.pin)) != STORE_OK ||
        (e = store_outbox_drop_secrets(s, prefix, c->now, NULL)) != STORE_OK ||
        (e = app__flow_note(s, &pc.a, "pin_shown", pc.actor, c->now)) != STORE_OK ||
        (e = app__audit(s, c->now, pc.actor, "pin.shown", pc.a.number, detail)) != STORE_OK ||
        (e = store_tx_commit(s)) != STORE_OK) {
        sodium_memzero(out, sizeof *out);
        goto store_fail;
    }
    ulog(ULOG_INFO, "pin.shown", "application=%s", pc.a.number);
    return APP_OK;
store_fail:
    store_tx_rollback(s);
    return app__store_err(s, e, "the PIN's code", "no_application", "wrong_state", err);
fail:
    store_tx_rollback(s);
    return st;
}

enum app_status app_pin_status(const struct app_ctx *c, struct app_pin_status *out,
                               struct app_err *err)
{
    struct store *s = c->db;
    struct pin_case pc;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    enum store_err e = store_read_begin(s);
    bool snap = e == STORE_OK;
    enum app_status st = pin_load(c, &pc, err);
    if (snap)
        store_read_end(s);
    if (st != APP_OK)
        return st;
    pin_roll(&pc.pin, c->now);
    snprintf(out->number, sizeof out->number, "%s", pc.a.number);
    out->word_ok = pc.pin.word_ok_at && pc.pin.code_hash[0] && c->now < pc.pin.code_expires_at;
    out->code_expires_in = out->word_ok ? pc.pin.code_expires_at - c->now : 0;
    if (pc.pin.wrong_count >= c->set->portal.rules.otp_max_wrong)
        out->locked_for = pc.pin.wrong_window_start + PIN_HOUR - c->now;
    out->remaining = c->set->portal.rules.otp_max_wrong - pc.pin.wrong_count;
    out->word_waived = pc.waived;
    out->waived_until = pc.waived ? pc.pin.word_waived_until : 0;
    return APP_OK;
}

/* ---- the operator's waiver of the word step
 * ------------------------------------------------------------------- */

enum app_status app_admin_pin_waive(const struct app_ctx *c, int64_t id, const char *note,
                                    bool identity_checked, int64_t *until, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a;
    struct store_card card;
    struct store_card_pin pin;
    char actor[APP__ACTOR_MAX], text[STORE_WAIVER_NOTE_MAX];
    const char *why;
    enum store_err e;
    app_err_clear(err);
    if (app__flow_staff(c, &who, err) != APP_OK)
        return err->status;
    if ((why = app__flow_label_problem(note, text, sizeof text)))
        app_err_field(err, "note", why);
    else if (core_utf8_chars(text, strlen(text)) > APP_PIN_WAIVER_NOTE_CHARS)
        app_err_field(err, "note", "too_long");
    if (!identity_checked)
        app_err_field(err, "identity_checked", "identity_check_required");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    if (c->set->portal.production != APP_PRODUCTION_INHOUSE)
        return app__fail(err, APP_ECONFLICT, "production_inhouse_only");
    if (app__flow_tx_app(s, id, &a, err) != APP_OK)
        return err->status;
    e = store_card_of_app(s, a.id, &card);
    if (e == STORE_OK && strcmp(card.source, "inhouse") != 0)
        e = STORE_ENOTFOUND;
    if (e == STORE_OK)
        e = store_card_pin_get(s, card.id, &pin);
    enum app_status st = APP_OK;
    if (e == STORE_ENOTFOUND)
        st = app__fail(err, APP_ECONFLICT, "pin_not_available");
    else if (e != STORE_OK)
        st = app__store_err(s, e, "reading the card's PIN", NULL, NULL, err);
    else if (strcmp(pin.state, "waiting") != 0)
        st = app__fail(err, APP_ECONFLICT, "pin_already_shown");
    else if (!arrived(&a))
        st = app__fail(err, APP_ECONFLICT, "pin_not_available"); /* not delivered yet */
    if (st != APP_OK) {
        store_tx_rollback(s);
        return st;
    }
    app__staff_actor(who, actor);
    const int64_t end = c->now + APP_PIN_WAIVER_SECONDS;
    /* the note may name an identity document: kept with the waiver, not in the audit log */
    char detail[64], what[48], name[2 * CORE_NAME_MAX + 2], date[32];
    snprintf(detail, sizeof detail, "{\"card\":%lld,\"until\":%lld}", (long long)card.id,
             (long long)end);
    snprintf(what, sizeof what, "pin_word_waived:%lld", (long long)c->now);
    app__flow_name(&a, name, sizeof name);
    struct core_clock clk;
    core_time_tr(end, &clk); /* Turkish time (core/date.h) */
    snprintf(date, sizeof date, "%02d.%02d.%04d %02d:%02d", clk.mday, clk.month, clk.year, clk.hour,
             clk.min);
    const struct notify_var vars[] = {{"name", name}, {"number", a.number}, {"until", date}};
    if ((e = store_card_pin_waive(s, card.id, who->username, text, c->now, end)) != STORE_OK ||
        (e = app__audit(s, c->now, actor, "pin.word_waived", a.number, detail)) != STORE_OK ||
        (e = app__flow_note(s, &a, "pin_word_waived", actor, c->now)) != STORE_OK ||
        (e = app__flow_tell(s, &a, NOTIFY_TPL_PIN_WORD_WAIVED, what, vars, 3, c->now)) !=
            STORE_OK ||
        (e = store_tx_commit(s)) != STORE_OK) {
        store_tx_rollback(s);
        return app__store_err(s, e, "lifting the PIN's security word step", "pin_not_available",
                              "pin_already_shown", err);
    }
    ulog(ULOG_INFO, "pin.word_waived", "application=%s by=%s", a.number, who->username);
    if (until)
        *until = end;
    return APP_OK;
}
