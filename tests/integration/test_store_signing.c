/* eimza — the store's signature evidence (store.h, "signature evidence"), one suite for both
 * backends: the CMS, the signed content and the OCSP response come back byte for byte (NULs
 * and high bytes included), one signature per application and one application per
 * signature, the bad arguments refused, and a signature written inside a transaction goes
 * with it. */
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

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_per_application, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
