/* eimza — the status page's read on both backends (store_status_read, store_status_of, and
 * app_status_answer / app_status_get above them): the session; the application the portal
 * picks for it (the bound one while it is the subject's, else the subject's newest; never
 * another person's); its timeline in order; the reason of a rejection (the latest decision's);
 * the newest card, its PIN state and the new certificate after approval; the security word
 * step of a card's PIN lifted by an operator (store_card_pin_waive); the callback stopping
 * early; and the cost, counted by the store's counters (issue 13): the read is one statement
 * (one round trip on PostgreSQL) and no transaction of its own, a whole uncached status answer
 * one statement, two when the session's once-a-minute touch is due. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h"
#include "store/store.h"
#include "testdb.h"

#define fx   testdb_fx
#define T0   1750000000
#define DAY  86400
#define TCKN "10000000146"

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

/* An application of tckn in state, created at `at`, with its first timeline row. */
static int64_t add_app(struct store *s, const char *number, const char *tckn, const char *state,
                       int64_t at)
{
    struct store_application a;
    memset(&a, 0, sizeof a);
    snprintf(a.number, sizeof a.number, "%s", number);
    snprintf(a.tckn, sizeof a.tckn, "%s", tckn);
    snprintf(a.state, sizeof a.state, "%s", state);
    snprintf(a.first_name, sizeof a.first_name, "Ayşe");
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.card_reader, sizeof a.card_reader, "none");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    a.validity_years = 3;
    a.created_at = a.updated_at = at;
    struct store_app_event ev = {at, "", state, "created", "applicant"};
    assert_int_equal(store_app_create(s, &a, &ev), STORE_OK);
    return a.id;
}

/* Moves the application from `from` to `to` with a timeline row; new_cert (0: unchanged). */
static void add_event(struct store *s, int64_t id, int64_t at, const char *from, const char *to,
                      const char *event, int64_t new_cert)
{
    struct store_application a;
    assert_int_equal(store_app_get(s, id, &a), STORE_OK);
    snprintf(a.state, sizeof a.state, "%s", to);
    a.updated_at = at;
    if (new_cert)
        a.new_cert_id = new_cert;
    struct store_app_event ev = {at, from, to, event, "staff:ayse"};
    assert_int_equal(store_app_update(s, &a, from, &ev), STORE_OK);
}

/* A session of subject (kind applicant) for the token, bound to application_id (0: none). */
static void add_session(struct store *s, const char *token, const char *subject,
                        int64_t application_id, char h[STORE_HASH_HEX + 1])
{
    struct store_session ss;
    struct app_err err;
    memset(&ss, 0, sizeof ss);
    assert_int_equal(app__token_hash(token, h, &err), APP_OK);
    memcpy(ss.token_hash, h, STORE_HASH_HEX + 1);
    snprintf(ss.kind, sizeof ss.kind, "applicant");
    snprintf(ss.subject, sizeof ss.subject, "%s", subject);
    snprintf(ss.csrf, sizeof ss.csrf, "csrf-token");
    ss.created_at = ss.last_seen = T0;
    ss.expires_at = T0 + 28800;
    ss.application_id = application_id;
    assert_int_equal(store_session_put(s, &ss), STORE_OK);
}

struct seen {
    int n, stop_after;
    char rows[8][96];
};

static int seen_event(void *ctx, const struct store_app_event *ev)
{
    struct seen *l = ctx;
    if (l->n < 8)
        snprintf(l->rows[l->n++], sizeof l->rows[0], "%lld %s>%s %s", (long long)ev->at, ev->from,
                 ev->to, ev->event);
    return l->stop_after && l->n >= l->stop_after;
}

static const char tok_a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                  tok_b[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
                  tok_c[] = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

static void test_status_read(void **state)
{
    struct fx *f = *state;
    char ha[STORE_HASH_HEX + 1], hb[STORE_HASH_HEX + 1], hc[STORE_HASH_HEX + 1];
    struct store_status st;
    struct seen l = {0};

    /* a session whose subject has no application yet */
    add_session(f->s, tok_a, TCKN, 0, ha);
    assert_int_equal(store_status_read(f->s, ha, &st, seen_event, &l), STORE_OK);
    assert_string_equal(st.session.subject, TCKN);
    assert_string_equal(st.session.csrf, "csrf-token");
    assert_int_equal(st.session.application_id, 0);
    assert_false(st.has_app);
    assert_false(st.has_card);
    assert_int_equal(l.n, 0);
    assert_int_equal(store_status_of(f->s, TCKN, 0, &st, seen_event, &l), STORE_ENOTFOUND);

    /* an older rejected one and a newer draft: unbound, the newest */
    int64_t old = add_app(f->s, "OLDOLDOLD1", TCKN, "submitted", T0 - 100);
    add_event(f->s, old, T0 - 90, "submitted", "rejected", "reject", 0);
    struct store_decision d = {old,
                               T0 - 90,
                               "reject",
                               "Kimlik fotokopisi okunmuyor",
                               "ayse",
                               NULL,
                               "{\"eligible\":true,\"reasons\":[]}"};
    assert_int_equal(store_decision_put(f->s, &d), STORE_OK);
    int64_t cur = add_app(f->s, "NEWNEWNEW1", TCKN, "draft", T0);
    add_event(f->s, cur, T0 + 5, "draft", "code_verified", "code_verified", 0);
    add_event(f->s, cur, T0 + 9, "code_verified", "submitted", "signed", 0);
    assert_int_equal(store_status_read(f->s, ha, &st, seen_event, &l), STORE_OK);
    assert_true(st.has_app);
    assert_int_equal(st.app.id, cur);
    assert_string_equal(st.app.number, "NEWNEWNEW1");
    assert_string_equal(st.app.state, "submitted");
    assert_string_equal(st.app.tckn, TCKN);
    assert_true(st.app.created_at == T0 && st.app.updated_at == T0 + 9);
    assert_string_equal(st.app.first_name, ""); /* none of the form's data: the status needs none */
    assert_string_equal(st.app.card_reader, "");
    assert_string_equal(st.app.reason, "renewal"); /* but the application's reason: a lost card's
                                                    * status does not send back to the old one */
    assert_string_equal(st.rejection_reason, "");
    assert_false(st.has_card);
    assert_false(st.has_new_cert);
    assert_string_equal(st.pin_state, "");
    assert_int_equal(l.n, 3);
    assert_string_equal(l.rows[0], "1750000000 >draft created");
    assert_string_equal(l.rows[2], "1750000009 code_verified>submitted signed");
    memset(&l, 0, sizeof l);
    assert_int_equal(store_status_of(f->s, TCKN, 0, &st, seen_event, &l), STORE_OK);
    assert_int_equal(st.app.id, cur);
    assert_string_equal(st.session.token_hash, "");
    assert_int_equal(l.n, 3);

    /* bound to the older one: that one, with its rejection's reason */
    add_session(f->s, tok_b, TCKN, old, hb);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_status_read(f->s, hb, &st, seen_event, &l), STORE_OK);
    assert_int_equal(st.app.id, old);
    assert_string_equal(st.app.state, "rejected");
    assert_string_equal(st.rejection_reason, "Kimlik fotokopisi okunmuyor");
    assert_int_equal(l.n, 2);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_status_of(f->s, TCKN, old, &st, seen_event, &l), STORE_OK);
    assert_int_equal(st.app.id, old);
    assert_string_equal(st.rejection_reason, "Kimlik fotokopisi okunmuyor");
    /* a later approval replaces the reason (the latest decision counts) */
    d.decision = "approve";
    d.reason = "";
    d.at = T0 - 80;
    assert_int_equal(store_decision_put(f->s, &d), STORE_OK);
    assert_int_equal(store_status_read(f->s, hb, &st, seen_event, &l), STORE_OK);
    assert_string_equal(st.rejection_reason, "");

    /* bound to another person's application: never that one, the subject's own newest */
    int64_t other = add_app(f->s, "OTHEROTHER", "10000000078", "draft", T0 + 50);
    add_session(f->s, tok_c, TCKN, other, hc);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_status_read(f->s, hc, &st, seen_event, &l), STORE_OK);
    assert_int_equal(st.session.application_id, other);
    assert_int_equal(st.app.id, cur);
    assert_int_equal(l.n, 3);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_status_of(f->s, TCKN, other, &st, seen_event, &l), STORE_OK);
    assert_int_equal(st.app.id, cur);

    /* the callback stops early; unknown sessions and people; bad arguments */
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    assert_int_equal(store_status_read(f->s, ha, &st, seen_event, &l), STORE_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(st.app.number, "NEWNEWNEW1");
    char unknown[STORE_HASH_HEX + 1];
    memset(unknown, 'a', STORE_HASH_HEX);
    unknown[STORE_HASH_HEX] = '\0';
    assert_int_equal(store_status_read(f->s, unknown, &st, seen_event, &l), STORE_ENOTFOUND);
    assert_int_equal(store_status_of(f->s, "10000000000", 0, &st, seen_event, &l), STORE_ENOTFOUND);
    assert_int_equal(store_status_read(f->s, "not-a-hash", &st, seen_event, &l), STORE_EINVAL);
    assert_int_equal(store_status_read(f->s, ha, NULL, seen_event, &l), STORE_EINVAL);
    assert_int_equal(store_status_of(f->s, NULL, 0, &st, seen_event, &l), STORE_EINVAL);
    assert_int_equal(store_status_of(f->s, TCKN, 0, &st, NULL, &l), STORE_EINVAL);
}

/* A card of the application in a state, from source. */
static int64_t add_card(struct store *s, int64_t app, const char *source, const char *state,
                        const char *carrier, const char *tracking, int64_t at)
{
    struct store_card k;
    memset(&k, 0, sizeof k);
    snprintf(k.tckn, sizeof k.tckn, "%s", TCKN);
    k.application_id = app;
    snprintf(k.source, sizeof k.source, "%s", source);
    snprintf(k.state, sizeof k.state, "%s", state);
    snprintf(k.carrier, sizeof k.carrier, "%s", carrier);
    snprintf(k.tracking_number, sizeof k.tracking_number, "%s", tracking);
    k.produced_at = k.created_at = k.updated_at = at;
    assert_int_equal(store_card_put(s, &k), STORE_OK);
    return k.id;
}

/* After approval: the newest card, its PIN's state and the new certificate come with the one
 * read, and the status view makes the holder's part of them. */
static void test_status_after_approval(void **state)
{
    struct fx *f = *state;
    char h[STORE_HASH_HEX + 1];
    struct store_status st;
    struct seen l = {0};
    int64_t id = add_app(f->s, "CARDCARD01", TCKN, "submitted", T0);
    add_event(f->s, id, T0 + DAY, "submitted", "approved", "approve", 0);
    add_event(f->s, id, T0 + 2 * DAY, "approved", "in_production", "produce", 0);
    add_session(f->s, tok_a, TCKN, id, h);

    /* an older card (refused by the bureau, say) and the newest one, made in house */
    add_card(f->s, id, "bureau", "destroyed", "", "", T0 + DAY);
    int64_t card = add_card(f->s, id, "inhouse", "shipped", "PTT Kargo", "KP000123", T0 + 2 * DAY);
    struct store_card_pin pin;
    memset(&pin, 0, sizeof pin);
    pin.card_id = card;
    snprintf(pin.sealed, sizeof pin.sealed, "c2VhbGVk");
    snprintf(pin.state, sizeof pin.state, "waiting");
    pin.created_at = T0 + 2 * DAY;
    assert_int_equal(store_card_pin_put(f->s, &pin), STORE_OK);
    struct core_certificate c;
    memset(&c, 0, sizeof c);
    snprintf(c.fingerprint, sizeof c.fingerprint, "%064d", 7);
    snprintf(c.tckn, sizeof c.tckn, "%s", TCKN);
    snprintf(c.subject_name, sizeof c.subject_name, "AYŞE IŞIK");
    snprintf(c.subject, sizeof c.subject, "CN=AYŞE IŞIK,serialNumber=%s", TCKN);
    snprintf(c.serial, sizeof c.serial, "0A1B2C");
    snprintf(c.issuer, sizeof c.issuer, "CN=Test CA");
    c.not_before = T0 + 100 * DAY;
    c.not_after = T0 + 1195 * DAY;
    const unsigned char der[] = {0x30, 0x00};
    assert_int_equal(store_certificate_put(f->s, &c, der, sizeof der, NULL), STORE_OK);
    int64_t cert = 0;
    assert_int_equal(store_certificate_by_fpr(f->s, c.fingerprint, &cert, &c), STORE_OK);
    add_event(f->s, id, T0 + 3 * DAY, "in_production", "shipped", "ship", cert);
    add_event(f->s, id, T0 + 4 * DAY, "shipped", "delivered", "delivered", 0);

    assert_int_equal(store_status_read(f->s, h, &st, seen_event, &l), STORE_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(st.app.state, "delivered");
    assert_int_equal(st.app.new_cert_id, cert);
    assert_true(st.has_card);
    assert_int_equal(st.card.id, card);
    assert_string_equal(st.card.source, "inhouse");
    assert_string_equal(st.card.state, "shipped");
    assert_string_equal(st.card.carrier, "PTT Kargo");
    assert_string_equal(st.card.tracking_number, "KP000123");
    assert_int_equal(st.card.application_id, id);
    assert_string_equal(st.pin_state, "waiting");
    assert_true(st.has_new_cert);
    assert_string_equal(st.new_serial, "0A1B2C");
    assert_int_equal(st.new_not_before, T0 + 100 * DAY);
    assert_int_equal(st.new_not_after, T0 + 1195 * DAY);

    /* the view: an in-house deployment shows the PIN to take and the new card to try */
    struct app_settings set;
    assert_int_equal(app_settings_default(&set), 0);
    set.portal.production = APP_PRODUCTION_INHOUSE;
    struct app_ctx ctx = {.db = f->s, .set = &set, .now = T0 + 4 * DAY, .lang = CORE_LANG_TR};
    ctx.who.kind = APP_ACTOR_APPLICANT;
    snprintf(ctx.who.session.subject, sizeof ctx.who.session.subject, "%s", TCKN);
    ctx.who.session.application_id = id;
    struct app_status_view *v = malloc(sizeof *v);
    struct app_err err;
    assert_non_null(v);
    assert_int_equal(app_status_get(&ctx, v, &err), APP_OK);
    assert_string_equal(v->app.number, "CARDCARD01");
    assert_int_equal(v->nevents, 5);
    assert_true(v->flow.has_card);
    assert_string_equal(v->flow.card_state, "shipped");
    assert_string_equal(v->flow.tracking_number, "KP000123");
    assert_int_equal(v->flow.pin, APP_PIN_WAITING);
    assert_true(v->flow.can_try_card);
    assert_string_equal(v->flow.new_serial, "0A1B2C");
    assert_int_equal(v->flow.new_not_after, T0 + 1195 * DAY);
    /* shown once: no longer waiting */
    snprintf(pin.state, sizeof pin.state, "shown");
    pin.sealed[0] = '\0';
    assert_int_equal(store_card_pin_update(f->s, &pin), STORE_OK);
    assert_int_equal(app_status_get(&ctx, v, &err), APP_OK);
    assert_int_equal(v->flow.pin, APP_PIN_SHOWN);
    /* a bureau's deployment: the PIN comes from the bureau, no card to try here */
    set.portal.production = APP_PRODUCTION_BUREAU;
    assert_int_equal(app_status_get(&ctx, v, &err), APP_OK);
    assert_int_equal(v->flow.pin, APP_PIN_BUREAU);
    assert_false(v->flow.can_try_card);
    free(v);
    app_settings_free(&set);
}

/* The security word step lifted by an operator (store_card_pin_waive): recorded with who, when,
 * the note and until when, read back by store_card_pin_get, written again whole by
 * store_card_pin_update; only while the PIN waits (a shown one, or a card without a PIN row,
 * is STORE_ENOTFOUND); bad arguments refused. */
static void test_card_pin_waive(void **state)
{
    struct fx *f = *state;
    int64_t id = add_app(f->s, "WAIVEWAI01", TCKN, "delivered", T0);
    int64_t card = add_card(f->s, id, "inhouse", "delivered", "", "", T0 + DAY);
    int64_t bare = add_card(f->s, id, "inhouse", "delivered", "", "", T0 + DAY);
    struct store_card_pin pin, got;
    memset(&pin, 0, sizeof pin);
    pin.card_id = card;
    snprintf(pin.sealed, sizeof pin.sealed, "c2VhbGVk");
    snprintf(pin.state, sizeof pin.state, "waiting");
    pin.created_at = T0 + DAY;
    assert_int_equal(store_card_pin_put(f->s, &pin), STORE_OK);
    assert_int_equal(store_card_pin_get(f->s, card, &got), STORE_OK);
    assert_string_equal(got.word_waived_by, "");
    assert_int_equal(got.word_waived_until, 0);

    const char *note = "Nüfus cüzdanı, seri son 4: 1234 — ĞÜŞİÖÇ";
    assert_int_equal(store_card_pin_waive(f->s, card, "osman", note, T0 + 2 * DAY, T0 + 4 * DAY),
                     STORE_OK);
    assert_int_equal(store_card_pin_get(f->s, card, &got), STORE_OK);
    assert_string_equal(got.word_waived_by, "osman");
    assert_string_equal(got.word_waived_note, note);
    assert_int_equal(got.word_waived_at, T0 + 2 * DAY);
    assert_int_equal(got.word_waived_until, T0 + 4 * DAY);
    assert_string_equal(got.state, "waiting");
    assert_string_equal(got.sealed, "c2VhbGVk");
    /* a second waiver replaces the first */
    assert_int_equal(
        store_card_pin_waive(f->s, card, "fatma", "T.C. kimlik kartı", T0 + 3 * DAY, T0 + 5 * DAY),
        STORE_OK);
    assert_int_equal(store_card_pin_get(f->s, card, &got), STORE_OK);
    assert_string_equal(got.word_waived_by, "fatma");
    assert_int_equal(got.word_waived_until, T0 + 5 * DAY);
    /* the whole row's update keeps and changes the waiver's columns too */
    snprintf(got.state, sizeof got.state, "shown");
    got.sealed[0] = '\0';
    got.word_waived_until = 0;
    assert_int_equal(store_card_pin_update(f->s, &got), STORE_OK);
    assert_int_equal(store_card_pin_get(f->s, card, &pin), STORE_OK);
    assert_string_equal(pin.word_waived_by, "fatma");
    assert_string_equal(pin.word_waived_note, "T.C. kimlik kartı");
    assert_int_equal(pin.word_waived_until, 0);
    /* shown: no waiver any more; no PIN row: none either */
    assert_int_equal(store_card_pin_waive(f->s, card, "osman", "x", T0 + 6 * DAY, T0 + 7 * DAY),
                     STORE_ENOTFOUND);
    assert_int_equal(store_card_pin_get(f->s, card, &got), STORE_OK);
    assert_string_equal(got.word_waived_by, "fatma");
    assert_int_equal(store_card_pin_waive(f->s, bare, "osman", "x", T0, T0 + DAY), STORE_ENOTFOUND);
    /* bad arguments */
    assert_int_equal(store_card_pin_waive(f->s, card, "", "x", T0, T0 + DAY), STORE_EINVAL);
    assert_int_equal(store_card_pin_waive(f->s, card, NULL, "x", T0, T0 + DAY), STORE_EINVAL);
    assert_int_equal(store_card_pin_waive(f->s, card, "osman", NULL, T0, T0 + DAY), STORE_EINVAL);
    assert_int_equal(store_card_pin_waive(f->s, card, "osman", "x", T0, T0), STORE_EINVAL);
    char big[STORE_WAIVER_NOTE_MAX + 1];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(store_card_pin_waive(f->s, card, "osman", big, T0, T0 + DAY), STORE_EINVAL);
}

/* What the status answer's renderer saw. */
struct seen_view {
    char number[32];
    size_t nevents;
    char label[64];
};

static int render(void *rctx, const struct app_status_view *v, struct ubuf *out)
{
    struct seen_view *sv = rctx;
    snprintf(sv->number, sizeof sv->number, "%s", v->app.number);
    snprintf(sv->label, sizeof sv->label, "%s", v->label ? v->label : "");
    sv->nevents = v->nevents;
    return ubuf_printf(out, "%s %s", v->app.number, v->app.state);
}

static enum app_status answer(struct app_ctx *c, const char *token, int64_t now,
                              struct seen_view *sv, struct app_err *err)
{
    struct ubuf out = UBUF_INIT(1 << 16);
    c->now = now;
    c->cred.token = token;
    memset(sv, 0, sizeof *sv);
    enum app_status st = app_status_answer(c, render, sv, &out, err);
    ubuf_free(&out);
    return st;
}

/* The cost: the store's read is one statement and no transaction of its own; a whole status
 * answer (the session checked, the application with all the page shows) is that one statement,
 * and two when the session's touch is due; app_status_get (a page, the session already let in)
 * one too. */
static void test_status_cost(void **state)
{
    struct fx *f = *state;
    char h[STORE_HASH_HEX + 1];
    struct store_status st;
    struct seen l = {0};
    struct store_counters c0, c1;
    int64_t id = add_app(f->s, "COSTCOST01", TCKN, "submitted", T0);
    add_event(f->s, id, T0 + 5, "submitted", "rejected", "reject", 0);
    struct store_decision d = {id, T0 + 5, "reject", "Eksik belge", "ayse", NULL, "{}"};
    assert_int_equal(store_decision_put(f->s, &d), STORE_OK);
    add_session(f->s, tok_a, TCKN, id, h);

    /* prepared on this connection once (a round trip of its own on PostgreSQL) */
    assert_int_equal(store_status_read(f->s, h, &st, seen_event, &l), STORE_OK);
    const long trip = !strcmp(store_backend(f->s), "postgresql"); /* SQLite has none */
    store_counters(f->s, &c0);
    assert_int_equal(store_status_read(f->s, h, &st, seen_event, &l), STORE_OK);
    store_counters(f->s, &c1);
    assert_int_equal(c1.statements - c0.statements, 1);
    assert_int_equal(c1.transactions - c0.transactions, 0);
    assert_int_equal(c1.round_trips - c0.round_trips, trip);

    struct app_settings set;
    assert_int_equal(app_settings_default(&set), 0);
    struct app_ctx ctx = {.db = f->s, .set = &set, .lang = CORE_LANG_TR};
    struct seen_view sv;
    struct app_err err;
    /* nothing due: one statement, no transaction of its own */
    store_counters(f->s, &c0);
    assert_int_equal(answer(&ctx, tok_a, T0 + 10, &sv, &err), APP_OK);
    store_counters(f->s, &c1);
    assert_string_equal(sv.number, "COSTCOST01");
    assert_int_equal(sv.nevents, 2);
    assert_string_not_equal(sv.label, "");
    assert_int_equal(ctx.who.kind, APP_ACTOR_APPLICANT);
    assert_int_equal(c1.statements - c0.statements, 1);
    assert_int_equal(c1.transactions - c0.transactions, 0);
    assert_int_equal(c1.round_trips - c0.round_trips, trip);
    /* a touch due: the read and the touch */
    store_counters(f->s, &c0);
    assert_int_equal(answer(&ctx, tok_a, T0 + 600, &sv, &err), APP_OK);
    store_counters(f->s, &c1);
    assert_int_equal(c1.statements - c0.statements, 2);
    assert_true(c1.transactions - c0.transactions <= 1);
    assert_true(c1.round_trips - c0.round_trips <= 3 * trip); /* the touch prepared once */
    assert_int_equal(testdb_query_ll(&f->db, "SELECT last_seen FROM sessions"), T0 + 600);
    /* a page's status, the session let in before */
    ctx.now = T0 + 601;
    snprintf(ctx.who.session.subject, sizeof ctx.who.session.subject, "%s", TCKN);
    ctx.who.session.application_id = id;
    struct app_status_view *v = malloc(sizeof *v);
    assert_non_null(v);
    store_counters(f->s, &c0);
    assert_int_equal(app_status_get(&ctx, v, &err), APP_OK);
    store_counters(f->s, &c1);
    assert_string_equal(v->rejection_reason, "Eksik belge");
    assert_int_equal(c1.statements - c0.statements, 1);
    assert_int_equal(c1.transactions - c0.transactions, 0);
    free(v);

    /* an idle session is refused (and removed), and nobody acts; an unknown token too */
    assert_int_equal(answer(&ctx, tok_a, T0 + 600 + set.portal.session_idle, &sv, &err), APP_EAUTH);
    assert_string_equal(err.code, "session_required");
    assert_int_equal(ctx.who.kind, APP_ACTOR_NONE);
    assert_string_equal(sv.number, ""); /* nothing was rendered */
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(answer(&ctx, tok_b, T0, &sv, &err), APP_EAUTH);
    assert_int_equal(answer(&ctx, "short", T0, &sv, &err), APP_EAUTH);
    app_settings_free(&set);
}

/* A session whose person has no application: no_application; a staff session is no
 * applicant's. */
static void test_status_no_application(void **state)
{
    struct fx *f = *state;
    char h[STORE_HASH_HEX + 1];
    struct app_settings set;
    struct seen_view sv;
    struct app_err err;
    assert_int_equal(app_settings_default(&set), 0);
    struct app_ctx ctx = {.db = f->s, .set = &set, .lang = CORE_LANG_EN};
    add_session(f->s, tok_a, TCKN, 0, h);
    assert_int_equal(answer(&ctx, tok_a, T0 + 1, &sv, &err), APP_ENOTFOUND);
    assert_string_equal(err.code, "no_application");
    assert_int_equal(ctx.who.kind, APP_ACTOR_NONE);

    struct store_session ss;
    assert_int_equal(app__token_hash(tok_b, h, &err), APP_OK);
    memset(&ss, 0, sizeof ss);
    memcpy(ss.token_hash, h, sizeof ss.token_hash);
    snprintf(ss.kind, sizeof ss.kind, "staff");
    snprintf(ss.subject, sizeof ss.subject, "%s", TCKN); /* even one named like a person */
    snprintf(ss.csrf, sizeof ss.csrf, "csrf-token");
    ss.created_at = ss.last_seen = T0;
    ss.expires_at = T0 + 28800;
    assert_int_equal(store_session_put(f->s, &ss), STORE_OK);
    add_app(f->s, "STAFFSTAF1", TCKN, "draft", T0);
    assert_int_equal(answer(&ctx, tok_b, T0 + 1, &sv, &err), APP_EAUTH);
    assert_string_equal(err.code, "session_required");
    assert_int_equal(answer(&ctx, tok_a, T0 + 2, &sv, &err), APP_OK);
    assert_string_equal(sv.number, "STAFFSTAF1");
    app_settings_free(&set);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_status_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_after_approval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_pin_waive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_cost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_no_application, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
