/* Unit tests for crypto/revocation.h: an OCSP answer is judged at the time the caller passes
 * in, never at the real clock: the delegated responder's certificate (its chain to the trust
 * store) and the answer's thisUpdate/nextUpdate alike.
 *
 * The PKI (pki_fixture.h, "lite": root, sub-CA, responder, one leaf) is made with the openssl
 * command line, and two more responder certificates of the sub-CA with `openssl ca
 * -startdate/-enddate`: one valid only from 20 to 40 days from now, one valid from two days
 * ago to 10 days from now. The answers come from a real `openssl ocsp` over the sub-CA's index,
 * signed by the responder a test chooses, with nextUpdate days ahead (-ndays); no CRL is served, so
 * an OCSP answer that does not count leaves the status unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/revocation.h"
#include "crypto/trust.h"
#include "pki_fixture.h"

#define DAY ((int64_t)86400)

static struct pki_fixture F;
static struct crypto_trust *TRUST; /* trust/: the root only */
static X509 *GOOD, *SUB;
static unsigned char GOOD_SHA[32];
static int64_t T0; /* the real time the PKI was made */

static X509 *pem(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.pem", F.dir, name);
    FILE *fp = fopen(path, "r");
    X509 *x = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;
    if (fp)
        fclose(fp);
    return x;
}

/* GeneralizedTime for `openssl ca -startdate/-enddate`. */
static void gentime(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y%m%d%H%M%SZ", &tm);
}

static int group_setup(void **state)
{
    (void)state;
    char later_from[32], later_to[32], early_from[32], early_to[32];
    if (pki_create(&F, true))
        goto fail;
    T0 = (int64_t)time(NULL);
    gentime(T0 + 20 * DAY, later_from);
    gentime(T0 + 40 * DAY, later_to);
    gentime(T0 - 2 * DAY, early_from);
    gentime(T0 + 10 * DAY, early_to);
    if (pki_sh(&F,
               "export OCSP_URL=http://127.0.0.1:%d/ CRL_URL=http://127.0.0.1:%d/sub.crl\n"
               "for r in later:%s:%s early:%s:%s; do n=${r%%%%:*}; d=${r#*:}\n"
               "  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout ocsp$n.key -subj \"/C=TR/CN=Test OCSP $n\" -config ca.cnf -out ocsp$n.csr\n"
               "  openssl ca -batch -notext -config ca.cnf -extensions v3_ocsp -in ocsp$n.csr "
               "-out ocsp$n.pem -startdate ${d%%%%:*} -enddate ${d#*:}\n"
               "done",
               F.ocsp_port, F.crl_port, later_from, later_to, early_from, early_to))
        goto fail;
    char dir[256], err[256] = "";
    const char *dirs[1] = {dir};
    snprintf(dir, sizeof dir, "%s/trust", F.dir);
    if (crypto_trust_new(dirs, 1, 0, &TRUST, err, sizeof err)) {
        fprintf(stderr, "trust: %s\n", err);
        goto fail;
    }
    unsigned char *der = NULL;
    int len;
    if (!(GOOD = pem("good")) || !(SUB = pem("sub")) || (len = i2d_X509(GOOD, &der)) <= 0)
        goto fail;
    int ok = EVP_Digest(der, (size_t)len, GOOD_SHA, NULL, EVP_sha256(), NULL);
    OPENSSL_free(der);
    if (!ok)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "test PKI could not be made in %s (see log.txt there)\n", F.dir);
    return -1;
}

static int group_teardown(void **state)
{
    (void)state;
    X509_free(GOOD);
    X509_free(SUB);
    crypto_trust_free(TRUST);
    pki_destroy(&F);
    return 0;
}

/* The leaf's status at `now` by a checker of its own (nothing cached from another call). */
static void check_at(int64_t now, struct crypto_revoc_answer *a)
{
    struct crypto_revoc *rv = NULL;
    assert_int_equal(crypto_revoc_new(crypto_trust_store(TRUST), 2000, &rv), 0);
    assert_int_equal(crypto_revoc_check(rv, GOOD, GOOD_SHA, SUB, now, a), 0);
    crypto_revoc_free(rv);
}

static void expect_good(int64_t now)
{
    struct crypto_revoc_answer a;
    check_at(now, &a);
    if (a.status != CRYPTO_REVOC_GOOD)
        fail_msg("at now %+lld s: status %d, want good (%s)", (long long)(now - T0), a.status,
                 a.detail);
    assert_string_equal(a.source, "ocsp");
    crypto_revoc_answer_free(&a);
}

static void expect_unknown(int64_t now, const char *why)
{
    struct crypto_revoc_answer a;
    check_at(now, &a);
    if (a.status != CRYPTO_REVOC_UNKNOWN || !strstr(a.detail, why))
        fail_msg("at now %+lld s: status %d (%s), want unknown for \"%s\"", (long long)(now - T0),
                 a.status, a.detail, why);
    assert_null(a.ocsp_der);
    crypto_revoc_answer_free(&a);
}

/* A responder whose certificate is valid 20-40 days from the real clock, not now: its answers
 * count when the time passed in falls inside, and only then. */
static void test_responder_valid_later(void **state)
{
    (void)state;
    assert_int_equal(pki_start_ocsp_as(&F, "ocsplater", 60), 0);
    expect_good(T0 + 30 * DAY);
    expect_good(T0 + 39 * DAY);
    expect_unknown(T0, "signature not trusted");            /* not yet its time */
    expect_unknown(T0 + 41 * DAY, "signature not trusted"); /* ended */
}

/* A responder whose certificate is valid now and ends in 10 days: an answer judged 30 days
 * ahead does not count, though the real clock would take it. */
static void test_responder_ended_at_now(void **state)
{
    (void)state;
    assert_int_equal(pki_start_ocsp_as(&F, "ocspearly", 60), 0);
    expect_good(T0);
    expect_good(T0 + 9 * DAY);
    expect_unknown(T0 + 30 * DAY, "signature not trusted");
}

/* The answer's own window (thisUpdate now, nextUpdate in 2 days) at the time passed in. */
static void test_answer_window_at_now(void **state)
{
    (void)state;
    struct crypto_revoc_answer a;
    assert_int_equal(pki_start_ocsp_as(&F, "ocsp", 2), 0);
    check_at(T0, &a);
    assert_int_equal(a.status, CRYPTO_REVOC_GOOD);
    assert_true(a.next_update >= T0 + 2 * DAY && a.next_update <= (int64_t)time(NULL) + 2 * DAY);
    crypto_revoc_answer_free(&a);
    expect_good(T0 + 2 * DAY - 3600);
    expect_unknown(T0 + 3 * DAY, "not current");
}

/* Each test starts its responder; it is stopped even when the test failed. */
static int stop_responder(void **state)
{
    (void)state;
    pki_stop_ocsp(&F);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_responder_valid_later, stop_responder),
        cmocka_unit_test_teardown(test_responder_ended_at_now, stop_responder),
        cmocka_unit_test_teardown(test_answer_window_at_now, stop_responder),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
