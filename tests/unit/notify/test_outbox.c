/* eimza — messages kept as a template and its values (notify/outbox.h): the values are
 * written as a JSON object that jansson reads back exactly (quotes, backslashes, control
 * characters, Turkish letters; portal_url left out; a value that is not UTF-8 refused), and
 * rendering gives the text of the channel's form with the portal link of the moment, passes a
 * message with a body through as it is, and refuses what cannot be rendered with a reason
 * (unknown template, values that are not an object of strings, an SMS of an e-mail-only
 * template). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "notify/outbox.h"
#include "notify/templates.h"

static struct notify_templates *tr;

static void test_params_round_trip(void **state)
{
    (void)state;
    const struct notify_var vars[] = {
        {"name", "Ayşe \"Çiğdem\" Öztürk"},  {"serial", "a\\b"}, {"days", "line\nbreak\ttab\x01"},
        {"portal_url", "https://left.out/"}, {"empty", ""},
    };
    char *j = notify_params_json(vars, sizeof vars / sizeof vars[0]);
    assert_non_null(j);
    assert_null(strstr(j, "portal_url"));
    assert_null(strchr(j, '\n')); /* escaped, one line */
    json_error_t err;
    json_t *o = json_loads(j, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 4);
    assert_string_equal(json_string_value(json_object_get(o, "name")), vars[0].value);
    assert_string_equal(json_string_value(json_object_get(o, "serial")), vars[1].value);
    assert_string_equal(json_string_value(json_object_get(o, "days")), vars[2].value);
    assert_string_equal(json_string_value(json_object_get(o, "empty")), "");
    json_decref(o);
    free(j);

    const struct notify_var none[] = {{"portal_url", "x"}};
    j = notify_params_json(none, 1);
    assert_string_equal(j, "{}");
    free(j);

    const struct notify_var bad[] = {{"name", "A\xff"}};
    assert_null(notify_params_json(bad, 1)); /* not UTF-8 */
}

/* Renders m; returns the reason ("" when it rendered) and the texts in subj/body. */
static const char *render(const struct store_outbox_msg *m, char *subj, size_t sl, char *body,
                          size_t bl)
{
    struct ubuf s = UBUF_INIT(4096), b = UBUF_INIT(65536);
    const char *why = NULL;
    int rc = notify_outbox_render(tr, "https://eimza.meb.gov.tr/", m, &s, &b, &why);
    snprintf(subj, sl, "%s", ubuf_str(&s));
    snprintf(body, bl, "%s", ubuf_str(&b));
    ubuf_free(&s);
    ubuf_free(&b);
    if (rc == 0)
        assert_null(why);
    else
        assert_non_null(why);
    return rc == 0 ? "" : why;
}

static void test_render(void **state)
{
    (void)state;
    char subj[1024], body[8192];
    const char *params = "{\"name\":\"Ayşe Yılmaz\",\"serial\":\"5A3F\",\"expiry_date\":"
                         "\"01.06.2025\",\"deadline\":\"02.05.2025\",\"days\":\"90\"}";
    struct store_outbox_msg m = {
        .channel = "email", .recipient = "a@b.org", .tpl = "expiry_warning", .params = params};
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "");
    assert_non_null(strstr(subj, "01.06.2025"));
    assert_non_null(strstr(body, "Sayın Ayşe Yılmaz,"));
    assert_non_null(strstr(body, "5A3F seri numaralı"));
    assert_non_null(strstr(body, "90 gün sonra"));
    assert_non_null(strstr(body, "Başvuru adresi: https://eimza.meb.gov.tr/"));
    assert_null(strchr(body, '{'));

    m.channel = "sms";
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "");
    assert_string_equal(subj, ""); /* an SMS has no subject */
    assert_non_null(strstr(body, "5A3F"));
    assert_non_null(strstr(body, "https://eimza.meb.gov.tr/"));

    /* a value missing from the object renders empty, as a var not given */
    m.params = "{}";
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "");
    assert_null(strstr(body, "5A3F"));

    /* a message with its text passes as it is */
    const struct store_outbox_msg plain = {
        .channel = "email", .recipient = "a@b.org", .subject = "Konu", .body = "Metin {name}"};
    assert_string_equal(render(&plain, subj, sizeof subj, body, sizeof body), "");
    assert_string_equal(subj, "Konu");
    assert_string_equal(body, "Metin {name}");

    /* without a subject buffer, the e-mail's body still renders */
    struct ubuf b = UBUF_INIT(65536);
    m.channel = "email";
    m.params = params;
    assert_int_equal(notify_outbox_render(tr, "https://x/", &m, NULL, &b, NULL), 0);
    assert_non_null(strstr(ubuf_str(&b), "5A3F"));
    ubuf_free(&b);
}

static void test_render_refused(void **state)
{
    (void)state;
    char subj[1024], body[8192];
    struct store_outbox_msg m = {
        .channel = "email", .recipient = "a@b.org", .tpl = "no_such_template", .params = "{}"};
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "unknown_template");
    m.tpl = "expiry_warning";
    static const char *const bad[] = {
        "[\"x\"]",
        "\"x\"",
        "{\"name\":1}",
        "{\"name\":null}",
        "{nope",
        "",
        "{\"a\":\"1\",\"a\":\"2\"}",
        "{\"a\":\"\",\"b\":\"\",\"c\":\"\",\"d\":\"\",\"e\":\"\",\"f\":\"\",\"g\":\"\",\"h\":\"\","
        "\"i\":\"\",\"j\":\"\",\"k\":\"\",\"l\":\"\",\"m\":\"\",\"n\":\"\",\"o\":\"\",\"p\":\"\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m.params = bad[i];
        assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "bad_params");
    }
    m.params = NULL;
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "bad_params");
    m.tpl = "digest";
    m.params = "{}";
    m.channel = "sms";
    assert_string_equal(render(&m, subj, sizeof subj, body, sizeof body), "no_sms_form");
    assert_int_equal(notify_tpl_by_name("digest"), NOTIFY_TPL_DIGEST);
    assert_int_equal(notify_tpl_by_name("expiry_warning"), NOTIFY_TPL_EXPIRY_WARNING);
    assert_int_equal(notify_tpl_by_name("Expiry_warning"), -1);
    assert_int_equal(notify_tpl_by_name(NULL), -1);
}

static void test_outbox_json(void **state)
{
    (void)state;
    const struct store_outbox_msg m = {
        .channel = "sms",
        .recipient = "5321112233",
        .tpl = "expired",
        .params = "{\"serial\":\"S9\",\"expiry_date\":\"01.06.2025\"}",
        .created_at = 1748736000,
    };
    json_t *o = notify_outbox_json(tr, "https://p/", NULL, 0, &m, "5*******33");
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "to")), "5*******33");
    assert_string_equal(json_string_value(json_object_get(o, "template")), "expired");
    assert_string_equal(json_string_value(json_object_get(o, "created_at")),
                        "2025-06-01T00:00:00Z");
    assert_non_null(strstr(json_string_value(json_object_get(o, "body")), "S9"));
    json_decref(o);
    /* one that cannot be rendered shows its values */
    const struct store_outbox_msg bad = {
        .channel = "email", .recipient = "a@b.org", .tpl = "gone", .params = "{\"serial\":\"S9\"}"};
    o = notify_outbox_json(tr, "https://p/", NULL, 0, &bad, "a***@b.org");
    assert_string_equal(json_string_value(json_object_get(o, "body")), bad.params);
    json_decref(o);
    /* a message with its text: no template key */
    const struct store_outbox_msg plain = {
        .channel = "sms", .recipient = "5321112233", .subject = "", .body = "Kodunuz: 123456"};
    o = notify_outbox_json(tr, "https://p/", NULL, 0, &plain, "5*******33");
    assert_null(json_object_get(o, "template"));
    assert_string_equal(json_string_value(json_object_get(o, "body")), "Kodunuz: 123456");
    json_decref(o);
}

/* Issue 19, finding 4: the SMS code is put into the text only with the key and only while the
 * message holds it; views without the key show the mask; a text that merely says "{code}"
 * (no code was queued with it) is left as it is. */
static void test_code_fill(void **state)
{
    (void)state;
    struct crypto_seal_key k, other;
    char sealed[CRYPTO_SEAL_TEXT_MAX];
    crypto_seal_key_dev(&k);
    assert_int_equal(crypto_seal_key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &other),
                     0);
    assert_int_equal(crypto_seal(&k, "otp:EIMZA-1:2", "481516", sealed, sizeof sealed), 0);
    struct store_outbox_msg m = {.channel = "sms",
                                 .recipient = "5321112233",
                                 .subject = "",
                                 .body = "Kodunuz: {code}. Paylaşmayınız.",
                                 .dedupe_key = "otp:EIMZA-1:2",
                                 .secret = sealed,
                                 .secret_until = 2000000000};
    struct ubuf b = UBUF_INIT(4096);
    const char *why = NULL;
    assert_int_equal(notify_code_fill(&k, &m, m.body, &b, &why), 0);
    assert_string_equal(ubuf_str(&b), "Kodunuz: 481516. Paylaşmayınız.");
    ubuf_reset(&b);
    assert_int_equal(notify_code_mask(&m, m.body, &b), 0);
    assert_string_equal(ubuf_str(&b), "Kodunuz: ******. Paylaşmayınız.");
    ubuf_reset(&b);
    /* a sender without the key sends neither the code nor the mask in its place */
    assert_int_equal(notify_code_fill(NULL, &m, m.body, &b, &why), -1);
    assert_string_equal(why, "secret_key_missing");
    assert_int_equal(b.len, 0);
    /* another key, another message's context, or the code dropped: withdrawn, nothing written */
    assert_int_equal(notify_code_fill(&other, &m, m.body, &b, &why), -1);
    assert_string_equal(why, "code_withdrawn");
    assert_int_equal(b.len, 0);
    m.dedupe_key = "otp:EIMZA-1:3";
    assert_int_equal(notify_code_fill(&k, &m, m.body, &b, &why), -1);
    m.dedupe_key = "otp:EIMZA-1:2";
    m.secret = NULL;
    assert_int_equal(notify_code_fill(&k, &m, m.body, &b, &why), -1);
    assert_int_equal(b.len, 0);
    why = NULL;
    assert_int_equal(notify_code_fill(NULL, &m, m.body, &b, &why), -1);
    assert_string_equal(why, "code_withdrawn");
    assert_int_equal(b.len, 0);
    /* ... and a message queued without a code goes out as it is without the key too */
    assert_int_equal(notify_code_fill(NULL, &(struct store_outbox_msg){.body = "x {code}"},
                                      "x {code}", &b, &why),
                     0);
    assert_string_equal(ubuf_str(&b), "x {code}");
    ubuf_reset(&b);
    /* a message queued without a code keeps its "{code}" */
    const struct store_outbox_msg words = {
        .channel = "email", .recipient = "a@b.org", .body = "Ret: bkz. {code} alanı"};
    assert_int_equal(notify_code_fill(&k, &words, words.body, &b, &why), 0);
    assert_string_equal(ubuf_str(&b), "Ret: bkz. {code} alanı");
    ubuf_reset(&b);
    /* the views: the code only with the key and before it expires */
    m.secret = sealed;
    json_t *o = notify_outbox_json(tr, "https://p/", &k, 1999999999, &m, "5*******33");
    assert_string_equal(json_string_value(json_object_get(o, "body")),
                        "Kodunuz: 481516. Paylaşmayınız.");
    json_decref(o);
    o = notify_outbox_json(tr, "https://p/", &k, 2000000000, &m, "5*******33");
    assert_string_equal(json_string_value(json_object_get(o, "body")),
                        "Kodunuz: ******. Paylaşmayınız.");
    json_decref(o);
    o = notify_outbox_json(tr, "https://p/", NULL, 0, &m, "5*******33");
    assert_null(strstr(json_string_value(json_object_get(o, "body")), "481516"));
    json_decref(o);
    ubuf_free(&b);
}

int main(void)
{
    char err[256];
    if (notify_templates_load(NULL, "tr", &tr, err, sizeof err) < 0) {
        fprintf(stderr, "templates: %s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_round_trip), cmocka_unit_test(test_render),
        cmocka_unit_test(test_render_refused),    cmocka_unit_test(test_outbox_json),
        cmocka_unit_test(test_code_fill),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    notify_templates_free(tr);
    return rc;
}
