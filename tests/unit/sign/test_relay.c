/* Unit tests for the relay path's pure parts (sign/relay.h): the eimza: URL, ticket syntax,
 * version comparison, the person's messages in Turkish and English, the content turned into
 * text to show, the exit statuses; and the Assuan helpers that make a dialogue's text fit
 * one line (sign_int.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sign/relay.h"
#include "sign/sign_int.h"

#define T43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static void test_url_ok(void **state)
{
    struct sign_relay_url u;
    (void)state;
    assert_int_equal(
        sign_relay_url_parse("eimza://sign?ticket=" T43 "&portal=https://eimza.meb.gov.tr", &u), 0);
    assert_string_equal(u.ticket, T43);
    assert_string_equal(u.portal, "https://eimza.meb.gov.tr");
    /* scheme and host in any case, a "/" before "?", parameters in any order, encoded */
    assert_int_equal(sign_relay_url_parse("EIMZA://Sign/?portal=https%3A%2F%2FPortal.Example%3A8443"
                                          "&ticket=abc-DEF_0123456789",
                                          &u),
                     0);
    assert_string_equal(u.ticket, "abc-DEF_0123456789");
    assert_string_equal(u.portal, "https://portal.example:8443");
    /* the default port dropped, as browsers serialise origins; unknown parameters ignored */
    assert_int_equal(sign_relay_url_parse("eimza://sign?v=1&ticket=" T43
                                          "&portal=https://portal.example:443/&lang=tr",
                                          &u),
                     0);
    assert_string_equal(u.portal, "https://portal.example");
    /* http is parsed here (the flow refuses it with its own code) */
    assert_int_equal(
        sign_relay_url_parse("eimza://sign?ticket=" T43 "&portal=http://127.0.0.1:8080", &u), 0);
    assert_string_equal(u.portal, "http://127.0.0.1:8080");
}

static void test_url_refused(void **state)
{
    struct sign_relay_url u;
    char longer[SIGN_RELAY_URL_MAX + 64];
    (void)state;
    static const char *bad[] = {
        NULL,
        "",
        "https://portal.example/",
        "eimza:sign?ticket=" T43 "&portal=https://p.example",
        "eimza://sign",
        "eimza://sign?",
        "eimza://signx?ticket=" T43 "&portal=https://p.example",
        "eimza://other?ticket=" T43 "&portal=https://p.example",
        "eimza://sign/x?ticket=" T43 "&portal=https://p.example",
        "eimza://sign?ticket=" T43,
        "eimza://sign?portal=https://p.example",
        "eimza://sign?ticket=short&portal=https://p.example",
        "eimza://sign?ticket=" T43 "!&portal=https://p.example",
        "eimza://sign?ticket=" T43 "&ticket=" T43 "&portal=https://p.example",
        "eimza://sign?ticket=" T43 "&portal=https://p.example&portal=https://q.example",
        "eimza://sign?ticket=" T43 "&portal=https://p.example/imza",
        "eimza://sign?ticket=" T43 "&portal=https://user@p.example",
        "eimza://sign?ticket=" T43 "&portal=ftp://p.example",
        "eimza://sign?ticket=" T43 "&portal=https://p.example#frag",
        "eimza://sign?ticket=" T43 "&portal=https://p.example%2",
        "eimza://sign?ticket=" T43 "%00&portal=https://p.example",
        "eimza://sign?ticket=" T43 "&portal=https://p .example",
        "eimza://sign?ticket&portal=https://p.example",
        "eimza://sign?a=1&b=2&c=3&d=4&e=5&f=6&g=7&ticket=" T43 "&portal=https://p.example",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&u, 'x', sizeof u);
        assert_int_equal(sign_relay_url_parse(bad[i], &u), -1);
        assert_string_equal(u.ticket, ""); /* nothing half-filled */
    }
    /* a ticket of 129 characters, and a URL longer than the cap */
    char t129[SIGN_RELAY_TOKEN_MAX + 2];
    memset(t129, 'a', sizeof t129 - 1);
    t129[sizeof t129 - 1] = '\0';
    snprintf(longer, sizeof longer, "eimza://sign?ticket=%s&portal=https://p.example", t129);
    assert_int_equal(sign_relay_url_parse(longer, &u), -1);
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer, "eimza://sign?ticket=" T43 "&portal=https://p.example&x=", 68);
    assert_int_equal(sign_relay_url_parse(longer, &u), -1);
}

static void test_token(void **state)
{
    (void)state;
    assert_true(sign_relay_token_ok("abcdefghijklmnop"));
    assert_true(sign_relay_token_ok(T43));
    assert_false(sign_relay_token_ok("abcdefghijklmno")); /* 15 */
    assert_false(sign_relay_token_ok("abcdefghijklmnop="));
    assert_false(sign_relay_token_ok("abcdefgh+jklmnop"));
    assert_false(sign_relay_token_ok("abcdefgh/jklmnop"));
    assert_false(sign_relay_token_ok(""));
    char t128[SIGN_RELAY_TOKEN_MAX + 2];
    memset(t128, 'Z', SIGN_RELAY_TOKEN_MAX);
    t128[SIGN_RELAY_TOKEN_MAX] = '\0';
    assert_true(sign_relay_token_ok(t128));
    t128[SIGN_RELAY_TOKEN_MAX] = 'Z';
    t128[SIGN_RELAY_TOKEN_MAX + 1] = '\0';
    assert_false(sign_relay_token_ok(t128));
}

static void test_version(void **state)
{
    (void)state;
    assert_int_equal(sign_version_cmp("0.1.0", "0.1.0"), 0);
    assert_int_equal(sign_version_cmp("0.1", "0.1.0"), 0);
    assert_int_equal(sign_version_cmp("0.1.0", "0.2.0"), -1);
    assert_int_equal(sign_version_cmp("0.10.0", "0.9.9"), 1); /* numbers, not text */
    assert_int_equal(sign_version_cmp("1", "0.99.99.99"), 1);
    assert_int_equal(sign_version_cmp("999.0", EIMZA_VERSION), 1);
    const char *bad[] = {"", "1.", ".1", "1..2", "1.2.3.4.5", "v1", "1.2-rc1", "1234567", "1 .2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sign_version_cmp(bad[i], "1.0"), -2);
        assert_int_equal(sign_version_cmp("1.0", bad[i]), -2);
    }
    assert_int_equal(sign_version_cmp(NULL, "1"), -2);
}

static void test_messages(void **state)
{
    char m[1536];
    (void)state;
    /* ours and the ticket codes: Turkish, a blank line, English; the portal named */
    static const char *ours[] = {"ok",
                                 "url_invalid",
                                 "portal_not_https",
                                 "portal_not_allowed",
                                 "config_error",
                                 "module_not_configured",
                                 "portal_unreachable",
                                 "tls_failed",
                                 "portal_bad_answer",
                                 "submit_unconfirmed",
                                 "content_not_text",
                                 "ticket_unknown",
                                 "ticket_expired",
                                 "ticket_used",
                                 "ticket_superseded",
                                 "claim_mismatch",
                                 "agent_outdated"};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        sign_relay_message(ours[i], "https://p.example", NULL, "9.9", m, sizeof m);
        char *sep = strstr(m, "\n\n");
        assert_non_null(sep);
        assert_true(sep - m > 20);         /* a Turkish sentence */
        assert_true(strlen(sep + 2) > 20); /* an English one */
        assert_null(strstr(m, "(null)"));
    }
    sign_relay_message("portal_not_allowed", "https://evil.example", NULL, NULL, m, sizeof m);
    assert_non_null(strstr(m, "(https://evil.example): o adrese bağlanılmadı"));
    sign_relay_message("agent_outdated", "https://p.example", NULL, "2.3.0", m, sizeof m);
    assert_non_null(strstr(m, "en az 2.3.0 sürümü"));
    assert_non_null(strstr(m, "version 2.3.0 or later"));
    /* the product's own table for the portal's other codes */
    sign_relay_message("certificate_revoked", "https://p.example", "ignored", NULL, m, sizeof m);
    assert_non_null(strstr(m, "\n\n"));
    assert_null(strstr(m, "ignored"));
    /* a code nobody here knows: the portal's words and the code */
    sign_relay_message("brand_new_code", "https://p.example", "Yeni bir hata.", NULL, m, sizeof m);
    assert_string_equal(m, "Yeni bir hata. (brand_new_code)\n\nThe portal refused the request "
                           "(brand_new_code).");
    sign_relay_message("brand_new_code", "https://p.example", NULL, NULL, m, sizeof m);
    assert_non_null(strstr(m, "(brand_new_code)"));
    assert_non_null(strstr(m, "could not be completed"));
    /* a small buffer is cut, never overrun */
    char small[16];
    sign_relay_message("ticket_used", "https://p.example", NULL, NULL, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_exit(void **state)
{
    (void)state;
    assert_int_equal(sign_relay_exit(SIGN_RELAY_OK), 0);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_URL), 1);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_CONFIG), 1);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_CARD), 2);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_NOT_ALLOWED), 3);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_UNREACHABLE), 4);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_TLS), 4);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_BAD_ANSWER), 4);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_REFUSED), 5);
    assert_int_equal(sign_relay_exit(SIGN_RELAY_E_CONTENT), 5);
}

static int display(const char *in, size_t n, char *out, size_t cap)
{
    struct ubuf b = UBUF_INIT(cap - 1);
    int rc = sign_relay_display_text((const unsigned char *)in, n, &b);
    snprintf(out, cap, "%s", ubuf_str(&b));
    ubuf_free(&b);
    return rc;
}

static void test_display_text(void **state)
{
    char out[256];
    (void)state;
    const char ok[] = "AD: AYŞEGÜL\r\nSOYAD:\tIŞIK\x1b[31m\n";
    assert_int_equal(display(ok, sizeof ok - 1, out, sizeof out), 0);
    assert_string_equal(out, "AD: AYŞEGÜL\nSOYAD: IŞIK [31m\n"); /* CR dropped, controls blank */
    /* 4-byte UTF-8 is text too */
    assert_int_equal(display("\xf0\x9f\x98\x80", 4, out, sizeof out), 0);
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        {"a\0b", 3},             /* NUL */
        {"\xff", 1},             /* never in UTF-8 */
        {"\xc3", 1},             /* cut short */
        {"\xc3\x28", 2},         /* not a continuation */
        {"\xc0\xaf", 2},         /* overlong "/" */
        {"\xe0\x80\xaf", 3},     /* overlong */
        {"\xed\xa0\x80", 3},     /* a surrogate */
        {"\xf4\x90\x80\x80", 4}, /* past U+10FFFF */
        {"\xf5\x80\x80\x80", 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(display(bad[i].s, bad[i].n, out, sizeof out), -1);
    /* past the cap: refused rather than shown in part */
    assert_int_equal(display("0123456789", 10, out, 8), -1);
}

static void test_assuan_fit(void **state)
{
    struct ubuf b = UBUF_INIT(1000);
    (void)state;
    assert_int_equal(sign_assuan_escaped_len("a%b\nç"), 1 + 3 + 1 + 3 + 2);
    assert_int_equal(sign_assuan_fit("kısa", 10, &b), 0);
    assert_string_equal(ubuf_str(&b), "kısa");
    /* cut: the escaped length stays within the budget, "…" added, no half character */
    ubuf_reset(&b);
    assert_int_equal(sign_assuan_fit("ŞŞŞŞŞŞ", 8, &b), 1); /* 12 bytes */
    assert_string_equal(ubuf_str(&b), "ŞŞ…");
    assert_true(sign_assuan_escaped_len(ubuf_str(&b)) <= 8);
    ubuf_reset(&b);
    assert_int_equal(sign_assuan_fit("a\nb\nc\nd", 9, &b), 1); /* 13 escaped */
    assert_string_equal(ubuf_str(&b), "a\nb…");
    assert_true(sign_assuan_escaped_len(ubuf_str(&b)) <= 9);
    ubuf_reset(&b);
    assert_int_equal(sign_assuan_fit("abcdef", 2, &b), 1); /* no room even for "…" */
    assert_string_equal(ubuf_str(&b), "");
    /* every budget of a long Turkish text gives a valid cut */
    const char *text = "İmzalanacak içerik: ŞÇĞÜÖİ ışığı\n%özel\n";
    for (size_t budget = 3; budget < 60; budget++) {
        ubuf_reset(&b);
        assert_true(sign_assuan_fit(text, budget, &b) >= 0);
        assert_true(sign_assuan_escaped_len(ubuf_str(&b)) <= budget);
        struct ubuf d = UBUF_INIT(256);
        assert_int_equal(sign_relay_display_text((const unsigned char *)b.p
                                                     ? (const unsigned char *)b.p
                                                     : (const unsigned char *)"",
                                                 b.len, &d),
                         0); /* still valid UTF-8 */
        ubuf_free(&d);
    }
    ubuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_ok),       cmocka_unit_test(test_url_refused),
        cmocka_unit_test(test_token),        cmocka_unit_test(test_version),
        cmocka_unit_test(test_messages),     cmocka_unit_test(test_exit),
        cmocka_unit_test(test_display_text), cmocka_unit_test(test_assuan_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
