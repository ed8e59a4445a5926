/* Unit tests for the agent's pure checks (sign/agent.h): the loopback-only listen address,
 * portal origins normalised as browsers send them, exact origin matching, the Host header,
 * and strict base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sign/agent.h"

static void test_listen_ok(void **state)
{
    struct sign_listen l;
    (void)state;
    assert_int_equal(sign_listen_parse("127.0.0.1:8089", &l), SIGN_LISTEN_OK);
    assert_string_equal(l.host, "127.0.0.1");
    assert_int_equal(l.port, 8089);
    assert_false(l.ipv6);
    assert_int_equal(sign_listen_parse("localhost:0", &l), SIGN_LISTEN_OK);
    assert_string_equal(l.host, "127.0.0.1");
    assert_int_equal(l.port, 0);
    assert_int_equal(sign_listen_parse("127.1.2.3:65535", &l), SIGN_LISTEN_OK);
    assert_int_equal(l.port, 65535);
    assert_int_equal(sign_listen_parse("[::1]:8089", &l), SIGN_LISTEN_OK);
    assert_true(l.ipv6);
    assert_string_equal(l.host, "::1");
}

static void test_listen_refused(void **state)
{
    struct sign_listen l;
    (void)state;
    const char *notloop[] = {"0.0.0.0:8089",     "192.168.1.5:80", "128.0.0.1:80",     "[::]:80",
                             "[2001:db8::1]:80", "example.com:80", "localhost.evil:80"};
    for (size_t i = 0; i < sizeof notloop / sizeof notloop[0]; i++)
        assert_int_equal(sign_listen_parse(notloop[i], &l), SIGN_LISTEN_NOT_LOOPBACK);
    const char *bad[] = {
        "127.0.0.1",     "127.0.0.1:",    ":8089",     "127.0.0.1:65536", "127.0.0.1:-1",
        "127.0.0.1:80x", "::1:8089",      "[::1]8089", "[::1:8089",       "[zz]:80",
        "a b:80",        "127.0.0.1:+80", "",          "127.0.0.1:123456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sign_listen_parse(bad[i], &l), SIGN_LISTEN_MALFORMED);
    assert_int_equal(sign_listen_parse(NULL, &l), SIGN_LISTEN_MALFORMED);
}

static void test_origin_normalize(void **state)
{
    char o[SIGN_ORIGIN_MAX];
    (void)state;
    static const char *cases[][2] = {
        {"https://portal.example.gov.tr", "https://portal.example.gov.tr"},
        {"HTTPS://Portal.Example.GOV.TR/", "https://portal.example.gov.tr"},
        {"https://portal.example:443", "https://portal.example"},
        {"http://127.0.0.1:80/", "http://127.0.0.1"},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
        {"https://portal.example:8443", "https://portal.example:8443"},
        {"http://[::1]:8080", "http://[::1]:8080"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sign_origin_normalize(cases[i][0], o, sizeof o), 0);
        assert_string_equal(o, cases[i][1]);
    }
    const char *bad[] = {"ftp://portal.example",
                         "portal.example",
                         "https://",
                         "https://portal.example/path",
                         "https://portal.example?q",
                         "https://user@portal.example",
                         "https://portal.example:0",
                         "https://portal.example:65536",
                         "https://portal.example:",
                         "https://portal.example//",
                         "https://[]:80",
                         "https://portal_example",
                         "https://portal.example#x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sign_origin_normalize(bad[i], o, sizeof o), -1);
    assert_int_equal(sign_origin_normalize("https://portal.example", o, 10), -1);
    assert_int_equal(sign_origin_normalize(NULL, o, sizeof o), -1);
}

static void test_origin_allowed(void **state)
{
    const char *allowed[] = {"https://portal.example", "http://127.0.0.1:8080"};
    (void)state;
    assert_true(sign_origin_allowed("https://portal.example", allowed, 2));
    assert_true(sign_origin_allowed("http://127.0.0.1:8080", allowed, 2));
    assert_false(sign_origin_allowed("https://portal.example.evil", allowed, 2));
    assert_false(sign_origin_allowed("https://portal.exampl", allowed, 2));
    assert_false(sign_origin_allowed("http://portal.example", allowed, 2));
    assert_false(sign_origin_allowed("https://PORTAL.example", allowed, 2));
    assert_false(sign_origin_allowed("null", allowed, 2));
    assert_false(sign_origin_allowed("", allowed, 2));
    assert_false(sign_origin_allowed(NULL, allowed, 2));
    assert_false(sign_origin_allowed("https://portal.example", allowed, 0));
}

static void test_host(void **state)
{
    (void)state;
    assert_true(sign_host_allowed("127.0.0.1:8089", 8089));
    assert_true(sign_host_allowed("localhost:8089", 8089));
    assert_true(sign_host_allowed("LOCALHOST:8089", 8089));
    assert_true(sign_host_allowed("[::1]:8089", 8089));
    assert_true(sign_host_allowed("127.0.0.1", 80));
    assert_false(sign_host_allowed("127.0.0.1", 8089));
    assert_false(sign_host_allowed("127.0.0.1:8090", 8089));
    assert_false(sign_host_allowed("evil.example:8089", 8089));
    assert_false(sign_host_allowed("10.0.0.1:8089", 8089));
    assert_false(sign_host_allowed("[::2]:8089", 8089));
    assert_false(sign_host_allowed("[::1]x", 8089));
    assert_false(sign_host_allowed("127.0.0.1:80a", 80));
    assert_false(sign_host_allowed("", 8089));
    assert_false(sign_host_allowed(NULL, 8089));
}

static void test_b64(void **state)
{
    static const char *vec[][2] = {{"", ""},
                                   {"f", "Zg=="},
                                   {"fo", "Zm8="},
                                   {"foo", "Zm9v"},
                                   {"foob", "Zm9vYg=="},
                                   {"fooba", "Zm9vYmE="},
                                   {"foobar", "Zm9vYmFy"}};
    (void)state;
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char *e = sign_b64_encode((const unsigned char *)vec[i][0], strlen(vec[i][0]));
        assert_non_null(e);
        assert_string_equal(e, vec[i][1]);
        free(e);
        unsigned char *d = NULL;
        size_t n = 99;
        assert_int_equal(sign_b64_decode(vec[i][1], 100, &d, &n), 0);
        assert_int_equal(n, strlen(vec[i][0]));
        assert_memory_equal(d, vec[i][0], n);
        free(d);
    }
    unsigned char bin[256], *d = NULL;
    size_t n = 0;
    for (int i = 0; i < 256; i++)
        bin[i] = (unsigned char)i;
    char *e = sign_b64_encode(bin, sizeof bin);
    assert_int_equal(sign_b64_decode(e, sizeof bin, &d, &n), 0);
    assert_int_equal(n, sizeof bin);
    assert_memory_equal(d, bin, n);
    free(d);
    /* a cap one byte short refuses */
    assert_int_equal(sign_b64_decode(e, sizeof bin - 1, &d, &n), -1);
    assert_null(d);
    free(e);
}

static void test_b64_bad(void **state)
{
    unsigned char *d = NULL;
    size_t n = 0;
    (void)state;
    const char *bad[] = {
        "Zg", "Zg=", "Z===", "Zg==Zg==", "Z=g=", "Zm9v!A==", "Zm 9", "=Zg=", "Zm9v\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sign_b64_decode(bad[i], 100, &d, &n), -1);
        assert_null(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listen_ok),
        cmocka_unit_test(test_listen_refused),
        cmocka_unit_test(test_origin_normalize),
        cmocka_unit_test(test_origin_allowed),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_b64),
        cmocka_unit_test(test_b64_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
