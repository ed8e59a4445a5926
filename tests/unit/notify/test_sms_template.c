/* eimza — the SMS gateway's pure parts (notify/notify.h): choosing the encoding from the
 * content type, the international form of a number, rendering the body template in each
 * encoding (quotes, backslashes, control characters, '+', '&', '=' and Turkish letters), the
 * cap on the body, the back-off schedule, the client's refusal of bad settings, and the
 * outcomes that need no gateway (a bad recipient, a refused connection). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "notify/notify.h"

static void test_encoding_for(void **state)
{
    (void)state;
    assert_int_equal(notify_enc_for("application/json"), NOTIFY_ENC_JSON);
    assert_int_equal(notify_enc_for(" Application/JSON ; charset=utf-8"), NOTIFY_ENC_JSON);
    assert_int_equal(notify_enc_for("application/vnd.gw+json"), NOTIFY_ENC_JSON);
    assert_int_equal(notify_enc_for("application/x-www-form-urlencoded"), NOTIFY_ENC_FORM);
    assert_int_equal(notify_enc_for("application/x-www-form-urlencoded; charset=UTF-8"),
                     NOTIFY_ENC_FORM);
    assert_int_equal(notify_enc_for("text/xml; charset=utf-8"), NOTIFY_ENC_XML);
    assert_int_equal(notify_enc_for("application/soap+xml"), NOTIFY_ENC_XML);
    assert_int_equal(notify_enc_for("text/plain"), NOTIFY_ENC_RAW);
    assert_int_equal(notify_enc_for("application/jsonx"), NOTIFY_ENC_RAW);
    assert_int_equal(notify_enc_for("+json"), NOTIFY_ENC_RAW); /* a suffix alone is no type */
    assert_int_equal(notify_enc_for(""), NOTIFY_ENC_RAW);
    assert_int_equal(notify_enc_for(NULL), NOTIFY_ENC_RAW);
}

static void test_e164(void **state)
{
    (void)state;
    char out[NOTIFY_E164_MAX];
    assert_int_equal(notify_sms_e164("5321234567", out), 0);
    assert_string_equal(out, "+905321234567");
    const char *bad[] = {"532123456",  "53212345678", "4321234567", "532123456a",
                         "+905321234", "05321234567", "",           " 532123456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(notify_sms_e164(bad[i], out), -1);
        assert_string_equal(out, "");
    }
    assert_int_equal(notify_sms_e164(NULL, out), -1);
}

static void expect_render(const char *tmpl, enum notify_enc enc, const char *to, const char *text,
                          const char *want)
{
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(notify_sms_render(tmpl, enc, to, text, &b), 0);
    assert_string_equal(ubuf_str(&b), want);
    ubuf_free(&b);
}

static void test_render_json(void **state)
{
    (void)state;
    expect_render("{\"to\":\"{to}\",\"text\":\"{text}\"}", NOTIFY_ENC_JSON, "+905321234567",
                  "Kodunuz: \"123456\"\\ \n\r\t\x01 Işık ğüş",
                  "{\"to\":\"+905321234567\",\"text\":\"Kodunuz: \\\"123456\\\"\\\\ "
                  "\\n\\r\\t\\u0001 Işık ğüş\"}");
    /* both placeholders more than once; braces that start neither are kept */
    expect_render("{ \"a\": \"{to}\", \"b\": [\"{text}\", \"{to}\"], \"c\": \"{x}{\" }",
                  NOTIFY_ENC_JSON, "+905", "t",
                  "{ \"a\": \"+905\", \"b\": [\"t\", \"+905\"], \"c\": \"{x}{\" }");
}

static void test_render_form(void **state)
{
    (void)state;
    /* the '+' of the number must not become a space on the other side */
    expect_render("user=eimza&to={to}&msg={text}", NOTIFY_ENC_FORM, "+905321234567",
                  "Kod: 12 ü&x=y~._-",
                  "user=eimza&to=%2B905321234567&msg=Kod%3A+12+%C3%BC%26x%3Dy~._-");
}

static void test_render_xml_raw(void **state)
{
    (void)state;
    expect_render("<sms><to>{to}</to><msg>{text}</msg></sms>", NOTIFY_ENC_XML, "+905321234567",
                  "a<b & \"c\" 'd'>\x02\n",
                  "<sms><to>+905321234567</to><msg>a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\n"
                  "</msg></sms>");
    expect_render("{to} {text}", NOTIFY_ENC_RAW, "+905321234567", "a&b \"c\"",
                  "+905321234567 a&b \"c\"");
    expect_render("no placeholders {", NOTIFY_ENC_RAW, "x", "y", "no placeholders {");
    expect_render("{text", NOTIFY_ENC_RAW, "x", "y", "{text");
    expect_render("", NOTIFY_ENC_JSON, "x", "y", "");
}

static void test_render_cap(void **state)
{
    (void)state;
    struct ubuf b = UBUF_INIT(16);
    /* fits exactly, then one byte over */
    assert_int_equal(notify_sms_render("{to}:{text}", NOTIFY_ENC_RAW, "+905321234567", "ab", &b),
                     0);
    assert_string_equal(ubuf_str(&b), "+905321234567:ab");
    ubuf_reset(&b);
    assert_int_equal(notify_sms_render("{to}:{text}", NOTIFY_ENC_RAW, "+905321234567", "abc", &b),
                     -1);
    ubuf_reset(&b);
    /* encoding grows the text: 6 bytes of '&' become 30 of "&amp;" */
    assert_int_equal(notify_sms_render("{text}", NOTIFY_ENC_XML, "", "&&&&&&", &b), -1);
    ubuf_free(&b);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff(1, 30, 3600), 30);
    assert_int_equal(notify_backoff(2, 30, 3600), 60);
    assert_int_equal(notify_backoff(3, 30, 3600), 120);
    assert_int_equal(notify_backoff(7, 30, 3600), 1920);
    assert_int_equal(notify_backoff(8, 30, 3600), 3600); /* 3840 capped */
    assert_int_equal(notify_backoff(1000000, 30, 3600), 3600);
    assert_int_equal(notify_backoff(0, 30, 3600), 30);
    assert_int_equal(notify_backoff(3, 0, 0), 1);
    assert_int_equal(notify_backoff(5, 1, 10), 10);
}

static void expect_refused(const struct notify_sms_cfg *c, const char *words)
{
    struct notify_sms *g = (struct notify_sms *)1;
    char err[256] = "";
    assert_int_equal(notify_sms_new(c, &g, err, sizeof err), -1);
    assert_null(g);
    if (!strstr(err, words))
        fail_msg("'%s' does not say '%s'", err, words);
}

static void test_client_settings(void **state)
{
    (void)state;
    const struct notify_sms_cfg good = {.url = "http://127.0.0.1:1/send",
                                        .body = "{\"to\":\"{to}\",\"text\":\"{text}\"}",
                                        .content_type = "application/json",
                                        .timeout_seconds = 1};
    struct notify_sms_cfg c = good;
    c.url = "ftp://gw.example/send";
    expect_refused(&c, "http");
    c.url = "";
    expect_refused(&c, "http");
    c = good;
    c.body = "{\"to\":\"{to}\"}";
    expect_refused(&c, "{text}");
    c.body = "";
    expect_refused(&c, "template");
    c = good;
    c.timeout_seconds = 0;
    expect_refused(&c, "timeout");
    c = good;
    c.user = "eimza";
    c.password = "pw";
    c.token = "tok";
    expect_refused(&c, "not both");
    c = good;
    c.password = "pw";
    expect_refused(&c, "needs a user");
    c = good;
    c.token = "a\r\nX-Evil: 1";
    expect_refused(&c, "line break");
    c = good;
    c.content_type = "text/plain\r\nX-Evil: 1";
    expect_refused(&c, "line break");
    expect_refused(NULL, "http");

    /* a good one; a refused connection is "later", a bad recipient is "never" */
    struct notify_sms *g = NULL;
    char err[256] = "";
    c = good;
    c.user = "eimza";
    c.password = "pw";
    assert_int_equal(notify_sms_new(&c, &g, err, sizeof err), 0);
    assert_non_null(g);
    char why[NOTIFY_WHY_MAX];
    assert_int_equal(notify_sms_send(g, "05321234567", "x", why), NOTIFY_FAILED);
    assert_string_equal(why, "bad_recipient");
    assert_int_equal(notify_sms_send(g, "5321234567", "x", why), NOTIFY_RETRY);
    assert_string_equal(why, "connect_failed");
    struct notify_sender snd = notify_sms_sender(g);
    assert_string_equal(snd.channel, "sms");
    struct store_outbox_msg m = {.channel = "sms", .recipient = "abc", .body = "x"};
    assert_int_equal(snd.send(snd.ctx, &m, why), NOTIFY_FAILED);
    notify_sms_free(g);
    notify_sms_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoding_for),   cmocka_unit_test(test_e164),
        cmocka_unit_test(test_render_json),    cmocka_unit_test(test_render_form),
        cmocka_unit_test(test_render_xml_raw), cmocka_unit_test(test_render_cap),
        cmocka_unit_test(test_backoff),        cmocka_unit_test(test_client_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
