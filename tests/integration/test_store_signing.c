/* eimza — the store's signature evidence (store.h, "signature evidence"), one suite for both
 * backends: the CMS, the signed content and the OCSP response come back byte for byte (NULs
 * and high bytes included), one signature per application and one application per
 * signature, the bad arguments refused, and a signature written inside a transaction goes
 * with it; the portal's signature transaction in 3 round trips on PostgreSQL (its writes
 * pipelined), a pipelined write's failure failing its transaction; and store_sign_read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "store/store.h"
#include "testdb.h"

/* The shared fixture of testdb.h: a fresh, migrated database and a connection. */
#define fx testdb_fx

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static const struct store_app_event created = {1700000000, "", "submitted", "created", "t"};

/* A minimal application of tckn (a new one per test person). */
static int64_t new_app(struct fx *f, const char *number, const char *tckn)
{
    struct store_application a;
    memset(&a, 0, sizeof a);
    snprintf(a.number, sizeof a.number, "%s", number);
    snprintf(a.tckn, sizeof a.tckn, "%s", tckn);
    snprintf(a.state, sizeof a.state, "submitted");
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    a.validity_years = 3;
    a.created_at = a.updated_at = 1700000000;
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);
    return a.id;
}

/* DER stand-ins with a NUL, a backslash, a quote, a newline and high bytes, so any text
 * handling on the way would show. */
static const unsigned char cms1[] = {0x30, 0x80, 0x06, 0x09, 0x00, 0x2a, 0x86, 0x48,
                                     0x5c, 0x27, 0x0a, 0xff, 0x00, 0x00, 0xe2, 0x82};
static const unsigned char cms2[] = {0x30, 0x80, 0x06, 0x09, 0x00, 0x2a, 0x86, 0x49};
static const unsigned char ocsp1[] = {0x30, 0x82, 0x01, 0x00, 0x0a, 0x01, 0x00, 0xa0, 0xff};
static const char content1[] = "eimza başvuru\n\0ikinci kısım"; /* an inner NUL */
#define FPR "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct store_signature sig_of(int64_t app, const unsigned char *cms, size_t cms_len)
{
    struct store_signature s = {
        .application_id = app,
        .at = 1700000500,
        .cms = cms,
        .cms_len = cms_len,
        .content = (const unsigned char *)content1,
        .content_len = sizeof content1 - 1,
        .signer_fingerprint = FPR,
        .validation = "{\"chain\":\"ok\",\"ocsp\":\"good\",\"not\":\"ğüşıöç\"}",
        .ocsp = ocsp1,
        .ocsp_len = sizeof ocsp1,
    };
    return s;
}

/* What a get handed over, copied out of the callback. */
struct got {
    int calls;
    int64_t application_id, at;
    unsigned char cms[64], content[64], ocsp[64];
    size_t cms_len, content_len, ocsp_len;
    bool ocsp_null;
    char fpr[80], validation[128];
};

static int collect(void *ctx, const struct store_signature *s)
{
    struct got *g = ctx;
    g->calls++;
    g->application_id = s->application_id;
    g->at = s->at;
    assert_true(s->cms_len <= sizeof g->cms && s->content_len <= sizeof g->content &&
                s->ocsp_len <= sizeof g->ocsp);
    g->cms_len = s->cms_len;
    g->content_len = s->content_len;
    g->ocsp_len = s->ocsp_len;
    assert_non_null(s->cms);
    assert_non_null(s->content);
    memcpy(g->cms, s->cms, s->cms_len);
    memcpy(g->content, s->content, s->content_len);
    g->ocsp_null = s->ocsp == NULL;
    if (s->ocsp)
        memcpy(g->ocsp, s->ocsp, s->ocsp_len);
    snprintf(g->fpr, sizeof g->fpr, "%s", s->signer_fingerprint);
    snprintf(g->validation, sizeof g->validation, "%s", s->validation);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_round_trip(void **state)
{
    struct fx *f = *state;
    int64_t app = new_app(f, "SIGN000001", "10000000146");
    struct store_signature s = sig_of(app, cms1, sizeof cms1);
    assert_int_equal(store_signature_put(f->s, &s), STORE_OK);

    struct got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, app, collect, &g), STORE_OK);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.application_id, app);
    assert_int_equal(g.at, 1700000500);
    assert_int_equal(g.cms_len, sizeof cms1);
    assert_memory_equal(g.cms, cms1, sizeof cms1);
    assert_int_equal(g.content_len, sizeof content1 - 1);
    assert_memory_equal(g.content, content1, sizeof content1 - 1);
    assert_false(g.ocsp_null);
    assert_int_equal(g.ocsp_len, sizeof ocsp1);
    assert_memory_equal(g.ocsp, ocsp1, sizeof ocsp1);
    assert_string_equal(g.fpr, FPR);
    assert_string_equal(g.validation, s.validation);

    /* stored as bytes (not text), with the CMS's SHA-256 beside it */
    char hex[128], want[CRYPTO_SHA256_HEX + 1];
    assert_int_equal(testdb_query(&f->db,
                                  testdb_is_pg()
                                      ? "SELECT upper(encode(cms, 'hex')) FROM signatures"
                                      : "SELECT hex(cms) FROM signatures",
                                  hex, sizeof hex),
                     0);
    assert_string_equal(hex, "30800609002A86485C270AFF0000E282");
    assert_int_equal(crypto_sha256_hex(cms1, sizeof cms1, want), 0);
    assert_int_equal(testdb_query(&f->db, "SELECT cms_sha256 FROM signatures", hex, sizeof hex), 0);
    assert_string_equal(hex, want);

    /* without OCSP (a CRL was used) and with an empty content */
    int64_t app2 = new_app(f, "SIGN000002", "10000000070");
    struct store_signature n = sig_of(app2, cms2, sizeof cms2);
    n.ocsp = NULL;
    n.ocsp_len = 0;
    n.content = NULL;
    n.content_len = 0;
    assert_int_equal(store_signature_put(f->s, &n), STORE_OK);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, app2, collect, &g), STORE_OK);
    assert_int_equal(g.calls, 1);
    assert_true(g.ocsp_null);
    assert_int_equal(g.ocsp_len, 0);
    assert_int_equal(g.content_len, 0);
    assert_int_equal(g.cms_len, sizeof cms2);
    assert_memory_equal(g.cms, cms2, sizeof cms2);
}

static void test_one_per_application(void **state)
{
    struct fx *f = *state;
    int64_t a1 = new_app(f, "SIGN000011", "10000000146");
    int64_t a2 = new_app(f, "SIGN000012", "10000000070");
    struct store_signature s = sig_of(a1, cms1, sizeof cms1);
    assert_int_equal(store_signature_put(f->s, &s), STORE_OK);

    /* a second signature for the same application, even another CMS */
    struct store_signature again = sig_of(a1, cms2, sizeof cms2);
    assert_int_equal(store_signature_put(f->s, &again), STORE_ECONFLICT);
    /* the same CMS for another application */
    struct store_signature replay = sig_of(a2, cms1, sizeof cms1);
    assert_int_equal(store_signature_put(f->s, &replay), STORE_ECONFLICT);
    /* an application that does not exist */
    struct store_signature ghost = sig_of(a2 + 1000, cms2, sizeof cms2);
    assert_int_equal(store_signature_put(f->s, &ghost), STORE_ECONFLICT);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 1);

    /* the refused ones left the first as it was, and a2 still has none */
    struct got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, a1, collect, &g), STORE_OK);
    assert_memory_equal(g.cms, cms1, sizeof cms1);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, a2, collect, &g), STORE_ENOTFOUND);
    assert_int_equal(g.calls, 0);
    assert_int_equal(store_signature_get(f->s, a2 + 1000, collect, &g), STORE_ENOTFOUND);

    /* a2 with another CMS is fine */
    struct store_signature other = sig_of(a2, cms2, sizeof cms2);
    assert_int_equal(store_signature_put(f->s, &other), STORE_OK);
}

static void test_bad_arguments(void **state)
{
    struct fx *f = *state;
    int64_t app = new_app(f, "SIGN000021", "10000000146");
    struct got g;
    struct store_signature s;

    assert_int_equal(store_signature_put(f->s, NULL), STORE_EINVAL);
    assert_int_equal(store_signature_put(NULL, NULL), STORE_EINVAL);
    s = sig_of(app, NULL, 5);
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(app, cms1, 0);
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(0, cms1, sizeof cms1);
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(app, cms1, sizeof cms1);
    s.signer_fingerprint = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL); /* upper-case hex */
    s.signer_fingerprint = "0123";
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s.signer_fingerprint = NULL;
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(app, cms1, sizeof cms1);
    s.validation = NULL;
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(app, cms1, sizeof cms1);
    s.ocsp = NULL; /* a length without bytes */
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    s = sig_of(app, cms1, sizeof cms1);
    s.content = NULL;
    assert_int_equal(store_signature_put(f->s, &s), STORE_EINVAL);
    assert_int_equal(store_signature_get(f->s, app, NULL, &g), STORE_EINVAL);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 0);
}

static void test_transaction(void **state)
{
    struct fx *f = *state;
    int64_t app = new_app(f, "SIGN000031", "10000000146");
    struct store_signature s = sig_of(app, cms1, sizeof cms1);
    struct got g;

    /* rolled back with the rest of the transaction */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_signature_put(f->s, &s), STORE_OK);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, app, collect, &g), STORE_OK); /* seen inside */
    store_tx_rollback(f->s);
    assert_int_equal(store_signature_get(f->s, app, collect, &g), STORE_ENOTFOUND);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 0);

    /* committed with it */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_signature_put(f->s, &s), STORE_OK);
    struct store_audit_entry ae = {.at = 1, .actor = "t", .action = "application.sign"};
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 1);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_signature_get(f->s, app, collect, &g), STORE_OK);
    assert_int_equal(g.calls, 1);
}

/* A certificate of tckn, n telling them apart, valid from nb to na. */
static struct core_certificate cert_of(int n, const char *tckn, int64_t nb, int64_t na)
{
    struct core_certificate c;
    memset(&c, 0, sizeof c);
    char seed[32];
    snprintf(seed, sizeof seed, "signer-%d", n);
    assert_int_equal(crypto_sha256_hex(seed, strlen(seed), c.fingerprint), 0);
    snprintf(c.tckn, sizeof c.tckn, "%s", tckn);
    snprintf(c.subject_name, sizeof c.subject_name, "AYŞE YILMAZ");
    snprintf(c.subject, sizeof c.subject, "CN=AYŞE YILMAZ,serialNumber=%s,C=TR", tckn);
    snprintf(c.serial, sizeof c.serial, "5A%04X", n);
    snprintf(c.issuer, sizeof c.issuer, "CN=Test NES,O=Kamu SM,C=TR");
    c.not_before = nb;
    c.not_after = na;
    return c;
}

static void set_state(struct store_application *a, const char *state)
{
    snprintf(a->state, sizeof a->state, "%s", state);
}

/* The portal's signature transaction (app/portal_sign.c): the signer's certificate, the
 * evidence, the state change with its event and the audit entry, all kept. On PostgreSQL the
 * writes nobody waits for go with the next statement that waits (libpq's pipeline): the whole
 * transaction costs 3 round trips — BEGIN, the certificate and the evidence with the state
 * change; its event and the audit lock with the last audit entry; the new entry with the
 * COMMIT — however many statements it has. */
static void test_pipelined_transaction(void **state)
{
    struct fx *f = *state;
    int64_t app = new_app(f, "SIGN000041", "10000000146");
    struct store_application a, next;
    assert_int_equal(store_app_get(f->s, app, &a), STORE_OK);
    next = a;
    set_state(&next, "approved");
    const struct store_app_event ev = {1700000600, "submitted", "approved", "signed", "t"};
    struct core_certificate c = cert_of(1, "10000000146", 1600000000, 1800000000);
    struct store_signature s = sig_of(app, cms1, sizeof cms1);
    struct store_audit_entry ae = {.at = 1700000600, .actor = "t", .action = "application.signed"};
    struct store_counters c0, c1;

    store_counters(f->s, &c0);
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_certificate_put(f->s, &c, cms2, sizeof cms2, NULL), STORE_OK);
    assert_int_equal(store_signature_put(f->s, &s), STORE_OK);
    assert_int_equal(store_app_update(f->s, &next, "submitted", &ev), STORE_OK);
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    store_counters(f->s, &c1);
    if (testdb_is_pg())
        assert_int_equal(c1.round_trips - c0.round_trips, 3);
    assert_int_equal(c1.transactions - c0.transactions, 1);

    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM certificates"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_events"), 2);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 1);
    assert_int_equal(store_app_get(f->s, app, &a), STORE_OK);
    assert_string_equal(a.state, "approved");
    /* the connection goes on as before: a read, then another transaction */
    struct core_certificate got;
    assert_int_equal(store_certificate_current(f->s, "10000000146", &got), STORE_OK);
    assert_string_equal(got.fingerprint, c.fingerprint);
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 2);
}

/* A write nobody waited for that fails fails its transaction all the same, with its own code
 * and message, whether the next statement that waits or the commit reports it; nothing of the
 * transaction is kept and the connection works on. */
static void test_pipelined_failure(void **state)
{
    struct fx *f = *state;
    int64_t app1 = new_app(f, "SIGN000051", "10000000146");
    int64_t app2 = new_app(f, "SIGN000052", "10000000070");
    struct store_signature s1 = sig_of(app1, cms1, sizeof cms1);
    struct store_signature dup = sig_of(app2, cms1, sizeof cms1); /* the same CMS again */
    assert_int_equal(store_signature_put(f->s, &s1), STORE_OK);
    struct store_application a, next;
    assert_int_equal(store_app_get(f->s, app2, &a), STORE_OK);
    next = a;
    set_state(&next, "approved");
    const struct store_app_event ev = {1700000600, "submitted", "approved", "signed", "t"};
    struct store_audit_entry ae = {.at = 1700000600, .actor = "t", .action = "application.signed"};

    for (int at_commit = 0; at_commit < 2; at_commit++) {
        assert_int_equal(store_tx_begin(f->s), STORE_OK);
        enum store_err e = store_signature_put(f->s, &dup);
        if (e == STORE_OK && !at_commit)
            e = store_app_update(f->s, &next, "submitted", &ev);
        if (e == STORE_OK && !at_commit)
            e = store_audit_append(f->s, &ae);
        if (e == STORE_OK)
            e = store_tx_commit(f->s);
        else
            store_tx_rollback(f->s);
        assert_int_equal(e, STORE_ECONFLICT);
        assert_non_null(strstr(store_last_error(f->s), "storing a signature"));
        assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM signatures"), 1);
        assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 0);
        assert_int_equal(store_app_get(f->s, app2, &a), STORE_OK);
        assert_string_equal(a.state, "submitted");
        assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_events "
                                                 "WHERE to_state = 'approved'"),
                         0);
    }
    /* the connection works on: the state change alone goes through */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_app_update(f->s, &next, "submitted", &ev), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_int_equal(store_app_get(f->s, app2, &a), STORE_OK);
    assert_string_equal(a.state, "approved");
}

/* store_sign_read: the application as the status picks it, with its holder's current
 * certificate and renewal chain, in one statement. */
static void test_sign_read(void **state)
{
    struct fx *f = *state;
    const char *p = "10000000146", *q = "10000000070";
    struct store_application a;
    struct core_certificate c;
    bool has_cert = true;
    int chain = -1;
    /* nothing yet */
    assert_int_equal(store_sign_read(f->s, p, 0, &a, &has_cert, &c, &chain), STORE_ENOTFOUND);
    int64_t older = new_app(f, "SIGN000061", p);
    assert_int_equal(store_app_get(f->s, older, &a), STORE_OK); /* one open at a time */
    set_state(&a, "cancelled");
    assert_int_equal(store_app_update(f->s, &a, "submitted", NULL), STORE_OK);
    int64_t newer = new_app(f, "SIGN000062", p);
    int64_t other = new_app(f, "SIGN000063", q);
    struct store_counters c0, c1;
    store_counters(f->s, &c0);
    assert_int_equal(store_sign_read(f->s, p, 0, &a, &has_cert, &c, &chain), STORE_OK);
    store_counters(f->s, &c1);
    assert_int_equal(c1.statements - c0.statements, 1);
    assert_int_equal(a.id, newer); /* unbound: the newest */
    assert_string_equal(a.number, "SIGN000062");
    assert_false(has_cert);
    assert_int_equal(chain, 0);
    /* bound to their older one: that one; bound to another person's: their newest */
    assert_int_equal(store_sign_read(f->s, p, older, &a, &has_cert, &c, &chain), STORE_OK);
    assert_int_equal(a.id, older);
    assert_int_equal(store_sign_read(f->s, p, other, &a, &has_cert, &c, &chain), STORE_OK);
    assert_int_equal(a.id, newer);
    /* the current certificate is the newest one, the chain as stored */
    struct core_certificate old = cert_of(1, p, 1500000000, 1600000000);
    struct core_certificate cur = cert_of(2, p, 1600000000, 1700000000);
    struct core_certificate theirs = cert_of(3, q, 1650000000, 1750000000);
    assert_int_equal(store_certificate_put(f->s, &old, cms2, sizeof cms2, NULL), STORE_OK);
    assert_int_equal(store_certificate_put(f->s, &cur, cms2, sizeof cms2, NULL), STORE_OK);
    assert_int_equal(store_certificate_put(f->s, &theirs, cms2, sizeof cms2, NULL), STORE_OK);
    assert_int_equal(store_remote_chain_set(f->s, p, 2, 1700000000), STORE_OK);
    assert_int_equal(store_certificate_revoke(f->s, cur.issuer, cur.serial, 1650000000, NULL),
                     STORE_OK);
    assert_int_equal(store_sign_read(f->s, p, older, &a, &has_cert, &c, &chain), STORE_OK);
    assert_int_equal(a.id, older);
    assert_true(has_cert);
    assert_string_equal(c.fingerprint, cur.fingerprint);
    assert_int_equal(c.not_after, 1700000000);
    assert_int_equal(c.revoked_at, 1650000000);
    assert_int_equal(chain, 2);
    assert_int_equal(store_sign_read(f->s, q, 0, &a, &has_cert, &c, &chain), STORE_OK);
    assert_int_equal(a.id, other);
    assert_string_equal(c.fingerprint, theirs.fingerprint);
    assert_int_equal(chain, 0);
    assert_int_equal(store_sign_read(f->s, q, 0, NULL, &has_cert, &c, &chain), STORE_EINVAL);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_per_application, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipelined_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipelined_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
