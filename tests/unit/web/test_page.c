/* Unit tests for the page writer (web/page.c, page_form.c), the form body parser
 * (web/http/formdata.c), the landing and sample pages (web/pages/landing.c) and the static files
 * (web/http/static.c).
 *
 * The writer: hostile values ("<script>", quotes, ampersands, Turkish letters, invalid
 * UTF-8) come out escaped in every component, in text and in attributes; the error summary
 * links to the fields' ids in order; the step indicator marks the current step only; the
 * components' ARIA wiring (label for=, aria-describedby, aria-invalid) holds; mistakes
 * (a bad id, an unclosed section, an error summary the layout did not announce, the size
 * cap) fail the page instead of sending half of it.
 *
 * The handlers run in a real server on 127.0.0.1 with a route table of this file's pages,
 * against a static folder made here (with a symbolic link, a folder named like a file and
 * an oversized file in it), driven by libcurl with paths sent as they are (no "..").
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "store/store.h"
#include "web/html/page.h"
#include "web/http/formdata.h"
#include "web/http/static.h"
#include "web/http/server.h"
#include "web/http/http_int.h"
#include "web/pages/pages.h"

#define HOSTILE     "\"><script>alert('x')</script>&amp; İğdır"
#define HOSTILE_ESC "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp; İğdır"

#define assert_has(hay, needle)                                                                    \
    do {                                                                                           \
        if (!strstr((hay), (needle))) {                                                            \
            fprintf(stderr, "---- in:\n%s\n----\n", (hay)); /* whole: cmocka cuts messages */      \
            fail_msg("missing: %s", (needle));                                                     \
        }                                                                                          \
    } while (0)
#define assert_lacks(hay, needle)                                                                  \
    do {                                                                                           \
        if (strstr((hay), (needle)))                                                               \
            fail_msg("unexpected: %s\n---- in:\n%s", (needle), (hay));                             \
    } while (0)

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static const char *text(const struct web_page *p)
{
    assert_false(web_page_failed(p));
    return ubuf_str(&p->b);
}

/* ---- the writer ------------------------------------------------------------------------- */

static void test_text_and_attributes_escaped(void **state)
{
    (void)state;
    struct web_page p;
    web_page_init(&p, CORE_LANG_TR);
    web_page_open(&p, WEB_EL_P);
    web_page_attr(&p, "title", HOSTILE);
    web_page_attr(&p, "data-none", NULL); /* writes nothing */
    web_page_text(&p, HOSTILE);
    web_page_textn(&p, "ab\xFF\x01", 4); /* invalid UTF-8 and a control byte */
    web_page_text(&p, NULL);
    web_page_uint(&p, 18446744073709551615ULL);
    web_page_close(&p, WEB_EL_P);
    assert_string_equal(text(&p),
                        "<p title=\"" HOSTILE_ESC "\">" HOSTILE_ESC "ab\xEF\xBF\xBD\xEF\xBF\xBD"
                        "18446744073709551615</p>");
    web_page_free(&p);
}

/* A space between two digits is written as a no-break space, so a number in groups never
 * breaks across lines; any other space stays, and a textarea's text (a form's value) is kept
 * as typed. */
static void test_digit_groups_kept_together(void **state)
{
    (void)state;
    struct web_page p;
    web_page_init(&p, CORE_LANG_TR);
    web_page_open(&p, WEB_EL_P);
    web_page_text(&p, "Arayınız: 444 5 576, 0532 123 45 67; 15 gün, 1 2 <3> 4 ve 7 ");
    web_page_text(&p, "8 "); /* across two writes: kept as written */
    web_page_close(&p, WEB_EL_P);
    web_page_open(&p, WEB_EL_TEXTAREA);
    web_page_attr(&p, "name", "address");
    web_page_text(&p, "No 5 6");
    web_page_close(&p, WEB_EL_TEXTAREA);
    assert_string_equal(text(&p),
                        "<p>Arayınız: 444&#160;5&#160;576, 0532&#160;123&#160;45&#160;67; 15 gün, "
                        "1&#160;2 &lt;3&gt; 4 ve 7 8 </p>"
                        "<textarea name=\"address\">No 5 6</textarea>");
    web_page_free(&p);
}

static void test_messages_and_placeholders(void **state)
{
    (void)state;
    struct web_page p;
    const char *args[] = {"<7>", "\"5\""};
    web_page_init(&p, CORE_LANG_TR);
    web_page_msg_args(&p, WEB_MSG_STEP_COUNTER, args, 2);
    web_page_text(&p, "|");
    web_page_msg_args(&p, WEB_MSG_STEP_COUNTER, args, 1); /* {1} has no argument */
    web_page_text(&p, "|");
    web_page_msg_part(&p, WEB_MSG_OTP_REMAINING, 0);
    web_page_text(&p, "[n]");
    web_page_msg_part(&p, WEB_MSG_OTP_REMAINING, 1);
    web_page_msg_part(&p, WEB_MSG_OTP_REMAINING, 2); /* no such part: nothing */
    web_page_text(&p, "|");
    web_page_msg(&p, WEB_MSG_NONE);
    web_page_open(&p, WEB_EL_SPAN); /* an attribute belongs to a start tag */
    web_page_attr_msg(&p, "aria-label", WEB_MSG_STEPS_LABEL);
    assert_string_equal(text(&p), "Adım &lt;7&gt; / &quot;5&quot;|Adım &lt;7&gt; / |"
                                  "SMS onay kodunuzun geçerliliği için kalan süre: [n]|"
                                  "<span aria-label=\"Başvuru adımları\"");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_EN);
    web_page_msg_args(&p, WEB_MSG_STEP_COUNTER, args, 2);
    assert_string_equal(text(&p), "Step &lt;7&gt; of &quot;5&quot;");
    web_page_free(&p);
}

static void test_layout(void **state)
{
    (void)state;
    struct web_page p;
    const struct web_layout l = {.title_text = HOSTILE, .step = WEB_STEP_NONE};
    web_page_init(&p, CORE_LANG_TR);
    web_page_begin(&p, &l);
    web_page_el_text(&p, WEB_EL_H1, "x");
    web_page_end(&p);
    const char *t = text(&p);
    assert_int_equal(strncmp(t, "<!doctype html>\n<html lang=\"tr\"", 31), 0);
    assert_has(t, "<meta charset=\"utf-8\">");
    assert_has(t, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    assert_has(t, "<title>" HOSTILE_ESC " – Nitelikli elektronik sertifika başvurusu</title>");
    /* the ministry's identity on every page (issue 17, point 9): the default name and logo
     * when the deployment configured none, and the footer's help and accessibility links */
    assert_has(t, "<img class=\"brand-logo\" src=\"/static/img/logo.svg\" alt=\"\"");
    assert_has(t, "<span class=\"ministry-name\">T.C. Millî Eğitim Bakanlığı</span>");
    assert_has(t, "<li><a href=\"/yardim\">Yardım ve sık sorulan sorular</a></li>");
    assert_has(t, "<li><a href=\"/erisilebilirlik\">Erişilebilirlik beyanı</a></li>");
    assert_has(t, "<p class=\"operator\">Bu portal, T.C. Millî Eğitim Bakanlığı personelinin");
    assert_has(t, "<link rel=\"stylesheet\" href=\"/static/vendor/pico.classless.min.css\">");
    assert_has(t, "<a class=\"skip-link\" href=\"#main\">Ana içeriğe geç</a>");
    assert_has(t, "<main id=\"main\" tabindex=\"-1\">");
    assert_has(t, "href=\"?lang=en\" lang=\"en\" hreflang=\"en\">English</a>");
    assert_has(t, "444&#160;5&#160;576"); /* a number's groups kept on one line */
    /* the delivery time: the settings' default (15) when the page was given none */
    assert_has(t, "<p>Kartınız onaydan sonra 15 gün içinde elinize ulaşmazsa");
    assert_lacks(t, "class=\"steps");
    assert_lacks(t, "<script"); /* no component asked for one */
    assert_lacks(t, "style=");
    assert_true(strstr(t, "</main>") < strstr(t, "<footer>"));
    assert_int_equal(strcmp(t + strlen(t) - 8, "</html>\n"), 0);
    web_page_free(&p);

    /* English, with errors: "Error: " starts the title */
    const struct web_layout le = {.title = WEB_MSG_FORM_TITLE, .errors = true};
    const struct web_error_item item = {"tckn", WEB_MSG_NONE, "wrong"};
    web_page_init(&p, CORE_LANG_EN);
    web_page_begin(&p, &le);
    web_page_error_summary(&p, &item, 1);
    web_page_end(&p);
    t = text(&p);
    assert_has(t, "<html lang=\"en\"");
    assert_has(t, "<title>Error: Application form – Qualified electronic certificate "
                  "application</title>");
    assert_has(t, "<span class=\"ministry-name\">Republic of Türkiye Ministry of National "
                  "Education</span>");
    assert_has(t, "href=\"?lang=tr\" lang=\"tr\" hreflang=\"tr\">Türkçe</a>");
    assert_has(t, "<script src=\"/static/js/focus-errors.js\" defer></script>");
    assert_lacks(t, "countdown.js");
    web_page_free(&p);

    /* the delivery time the deployment configured (delivery_expected_days), in the form for
     * the number, and in the in-house twin too */
    static const struct {
        enum core_lang lang;
        bool inhouse;
        int days;
        const char *want;
    } late[] = {
        {CORE_LANG_TR, false, 20, "<p>Kartınız onaydan sonra 20 gün içinde elinize ulaşmazsa"},
        {CORE_LANG_EN, false, 20, "<p>If your card has not reached you 20 days after approval"},
        {CORE_LANG_EN, false, 1, "<p>If your card has not reached you 1 day after approval"},
        {CORE_LANG_TR, true, 7, "<p>Yeni kartınız onaydan sonra 7 gün içinde elinize"},
    };
    for (size_t i = 0; i < sizeof late / sizeof late[0]; i++) {
        web_page_init(&p, late[i].lang);
        p.inhouse = late[i].inhouse;
        p.delivery_days = late[i].days;
        web_page_begin(&p, &l);
        web_page_end(&p);
        assert_has(text(&p), late[i].want);
        assert_lacks(text(&p), "15 g");
        web_page_free(&p);
        /* a page of an application whose card came or never will (web_page.card_settled): the
         * footer says nothing of a late one, and keeps whom to call and who runs the portal */
        web_page_init(&p, late[i].lang);
        p.inhouse = late[i].inhouse;
        p.delivery_days = late[i].days;
        p.card_settled = true;
        web_page_begin(&p, &l);
        web_page_end(&p);
        assert_lacks(text(&p), late[i].want + 3);
        assert_has(text(&p), "class=\"call-centre\"");
        assert_has(text(&p), "<p class=\"operator\">");
        web_page_free(&p);
    }
}

/* The texts that say how the card comes: the bureau's by courier; where the cards are made in
 * house (production = inhouse) their twins, which say it may also be handed over in person,
 * in both languages, with the configured days. */
static void test_card_way_twins(void **state)
{
    (void)state;
    static const struct {
        enum web_msg key;
        bool days;
    } keys[] = {
        {WEB_MSG_ADDRESS_HINT, false}, {WEB_MSG_LANDING_AFTER, true}, {WEB_MSG_NEXT_CARD, true}};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (int inhouse = 0; inhouse <= 1; inhouse++) {
            for (int l = 0; l <= 1; l++) {
                struct web_page p;
                web_page_init(&p, l ? CORE_LANG_EN : CORE_LANG_TR);
                p.inhouse = inhouse;
                p.delivery_days = 9;
                web_page_msg(&p, keys[k].key);
                const char *t = text(&p);
                if (l ? !strstr(t, "courier") : !strstr(t, "kurye"))
                    fail_msg("%s: %s", web_msg_name(keys[k].key), t);
                if (keys[k].days)
                    assert_has(t, l ? "9 days" : "9 gün");
                if (inhouse)
                    assert_has(t, l ? "handed to you in person" : "size elden teslim");
                else
                    assert_lacks(t, l ? "in person" : "elden");
                web_page_free(&p);
            }
        }
        assert_int_equal(web_msg_deployed(keys[k].key, false), keys[k].key);
        assert_true(web_msg_deployed(keys[k].key, true) != keys[k].key);
    }
}

static void test_step_indicator(void **state)
{
    (void)state;
    struct web_page p;
    web_page_init(&p, CORE_LANG_TR);
    web_page_steps(&p, WEB_STEP_FORM);
    const char *t = text(&p);
    assert_has(t, "Adım 2 / 5: <span class=\"steps-current-name\">Başvuru formu</span>");
    assert_int_equal(count_of(t, "aria-current"), 1);
    assert_has(t, "<li class=\"current\" aria-current=\"step\">Başvuru formu</li>");
    assert_has(t,
               "<li class=\"done\"><span class=\"visually-hidden\">Tamamlandı: </span>Giriş</li>");
    assert_int_equal(count_of(t, "<li"), 5);
    assert_int_equal(count_of(t, "class=\"done\""), 1);
    assert_has(t, "<li>SMS onay kodu</li>");
    assert_has(t, "<li>İmzalama ve gönderme</li>");
    /* the landing page names the steps as the bar does (issue 17, point 9) */
    for (int i = 1; i <= WEB_STEP_COUNT; i++)
        assert_true(web_page_step_name(i) != WEB_MSG_NONE);
    assert_int_equal(web_page_step_name(3), WEB_MSG_STEP_3);
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_EN);
    web_page_steps(&p, WEB_STEP_SIGN);
    t = text(&p);
    assert_has(t, "Step 5 of 5: <span class=\"steps-current-name\">Sign and send</span>");
    assert_int_equal(count_of(t, "class=\"done\""), 4);
    assert_has(t, "aria-current=\"step\">Sign and send</li>");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_TR);
    web_page_steps(&p, WEB_STEP_OVERVIEW);
    t = text(&p);
    assert_has(t, "steps-overview");
    assert_has(t, "Başvuru beş adımdan oluşur:");
    assert_lacks(t, "aria-current");
    assert_lacks(t, "done");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_TR);
    web_page_steps(&p, WEB_STEP_DONE);
    t = text(&p);
    assert_has(t, "Bütün adımlar tamamlandı");
    assert_int_equal(count_of(t, "class=\"done\""), 5);
    assert_lacks(t, "aria-current");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_TR);
    web_page_steps(&p, WEB_STEP_NONE);
    web_page_steps(&p, (enum web_step)99);
    assert_string_equal(text(&p), "");
    web_page_free(&p);
}

static void test_error_summary(void **state)
{
    (void)state;
    struct web_page p;
    const struct web_error_item items[] = {
        {"tckn", WEB_MSG_TCKN, HOSTILE},
        {"last_name", WEB_MSG_NONE, "Soyadınızı yazınız."},
        {NULL, WEB_MSG_NONE, "Genel bir sorun <b>"},
    };
    web_page_init(&p, CORE_LANG_TR);
    web_page_error_summary(&p, items, 3);
    const char *t = text(&p);
    assert_has(t, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
                  "aria-labelledby=\"error-summary-title\" data-error-summary>");
    assert_has(t, "<h2 id=\"error-summary-title\">Bir sorun var</h2>");
    assert_has(t, "<li><a href=\"#tckn\">T.C. Kimlik No: " HOSTILE_ESC "</a></li>");
    assert_has(t, "<li><a href=\"#last_name\">Soyadınızı yazınız.</a></li>");
    assert_has(t, "<li>Genel bir sorun &lt;b&gt;</li>");
    assert_true(strstr(t, "#tckn") < strstr(t, "#last_name"));
    assert_true(p.summary_shown);
    assert_true(p.scripts & WEB_SCRIPT_FOCUS_ERRORS);
    web_page_free(&p);

    /* nothing to say: nothing written */
    web_page_init(&p, CORE_LANG_TR);
    web_page_error_summary(&p, items, 0);
    assert_string_equal(text(&p), "");
    assert_false(p.summary_shown);
    web_page_free(&p);

    /* an id that could break out of the href fails the page */
    const struct web_error_item bad = {"x\" onclick=\"y", WEB_MSG_NONE, "m"};
    web_page_init(&p, CORE_LANG_TR);
    web_page_error_summary(&p, &bad, 1);
    assert_true(web_page_failed(&p));
    web_page_free(&p);
}

static void test_text_fields(void **state)
{
    (void)state;
    struct web_page p;
    const struct web_field tckn = {.kind = WEB_FIELD_NUMERIC,
                                   .name = "tckn",
                                   .label = WEB_MSG_TCKN,
                                   .hint = WEB_MSG_TCKN_HINT,
                                   .value = HOSTILE,
                                   .error = "Yanlış <numara>",
                                   .autocomplete = "off",
                                   .maxlength = 11};
    const struct web_field plain = {WEB_FIELD_TEXT, "first_name", WEB_MSG_FIRST_NAME,
                                    .value = "Ayşe", .autocomplete = "given-name"};
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &tckn);
    web_page_field(&p, &plain);
    const char *t = text(&p);
    assert_has(t,
               "<div class=\"field field-invalid\">\n<label for=\"tckn\">T.C. Kimlik No</label>\n"
               "<small class=\"hint\" id=\"tckn-hint\">11 haneli numara; aralarında boşluk "
               "bırakabilirsiniz</small>\n"
               "<p class=\"field-error\" id=\"tckn-error\"><span class=\"visually-hidden\">Hata: "
               "</span>Yanlış &lt;numara&gt;</p>\n"
               "<input type=\"text\" id=\"tckn\" name=\"tckn\" aria-describedby=\"tckn-hint "
               "tckn-error\" aria-invalid=\"true\" autocomplete=\"off\" maxlength=\"11\" "
               "inputmode=\"numeric\" spellcheck=\"false\" value=\"" HOSTILE_ESC "\">\n</div>\n");
    assert_has(t, "<div class=\"field\">\n<label for=\"first_name\">Ad</label>\n<input "
                  "type=\"text\" id=\"first_name\" name=\"first_name\" autocomplete=\"given-name\" "
                  "value=\"Ayşe\">\n</div>\n");
    web_page_free(&p);

    /* the other input kinds */
    static const struct {
        enum web_field_kind kind;
        const char *want;
    } kinds[] = {
        {WEB_FIELD_EMAIL, "type=\"email\""}, {WEB_FIELD_TEL, "type=\"tel\""},
        {WEB_FIELD_DATE, "type=\"date\""},   {WEB_FIELD_PASSWORD, "type=\"password\""},
        {WEB_FIELD_READONLY, " readonly"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const struct web_field f = {kinds[i].kind, "f", WEB_MSG_EMAIL, .value = HOSTILE,
                                    .optional = true};
        web_page_init(&p, CORE_LANG_EN);
        web_page_field(&p, &f);
        t = text(&p);
        assert_has(t, kinds[i].want);
        assert_has(t, "<label for=\"f\">E-mail <span class=\"optional\">(optional)</span></label>");
        assert_lacks(t, "aria-invalid");
        assert_lacks(t, "aria-describedby");
        if (kinds[i].kind == WEB_FIELD_PASSWORD) {
            assert_lacks(t, "value="); /* a secret is never sent back */
            assert_lacks(t, "script");
        } else {
            assert_has(t, "value=\"" HOSTILE_ESC "\"");
        }
        web_page_free(&p);
    }

    /* a textarea cannot be closed from inside */
    const struct web_field ta = {WEB_FIELD_TEXTAREA, "address", WEB_MSG_ADDRESS,
                                 .value = "a</textarea><script>x</script>", .error = "e"};
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &ta);
    t = text(&p);
    assert_has(t, "<textarea rows=\"3\" id=\"address\" name=\"address\" "
                  "aria-describedby=\"address-error\" aria-invalid=\"true\">a&lt;/textarea&gt;"
                  "&lt;script&gt;x&lt;/script&gt;</textarea>");
    assert_int_equal(count_of(t, "</textarea>"), 1);
    web_page_free(&p);
}

static const struct web_option opts[] = {
    {"renewal", WEB_MSG_REASON_RENEWAL, NULL, WEB_MSG_REASON_RENEWAL_HINT},
    {"x\"y", WEB_MSG_NONE, "Data <label>", WEB_MSG_NONE},
    {"other", WEB_MSG_REASON_OTHER, NULL, WEB_MSG_NONE},
};

static void test_select_and_radios(void **state)
{
    (void)state;
    struct web_page p;
    struct web_field sel = {WEB_FIELD_SELECT, "reason",        WEB_MSG_REASON,
                            .value = "x\"y",  .options = opts, .noptions = 3};
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &sel);
    const char *t = text(&p);
    assert_has(t, "<label for=\"reason\">Başvuru nedeni</label>\n<select id=\"reason\" "
                  "name=\"reason\">\n<option value=\"renewal\">Yenileme</option>\n"
                  "<option value=\"x&quot;y\" selected>Data &lt;label&gt;</option>\n");
    assert_lacks(t, "Seçiniz");
    web_page_free(&p);

    sel.value = "nothing of these";
    sel.error = "Seçiniz.";
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &sel);
    t = text(&p);
    assert_has(t, "aria-invalid=\"true\">\n<option value=\"\" selected>Seçiniz</option>\n");
    assert_int_equal(count_of(t, " selected"), 1);
    web_page_free(&p);

    struct web_field radio = {WEB_FIELD_RADIO,      "reason",         WEB_MSG_REASON,
                              WEB_MSG_CAPTCHA_HINT, .value = "other", .error = HOSTILE,
                              .options = opts,      .noptions = 3};
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &radio);
    t = text(&p);
    assert_has(t, "<fieldset aria-describedby=\"reason-hint reason-error\">\n<legend>Başvuru "
                  "nedeni</legend>\n");
    assert_has(t, "<p class=\"field-error\" id=\"reason-error\"><span class=\"visually-hidden\">"
                  "Hata: </span>" HOSTILE_ESC "</p>");
    assert_has(t, "<input type=\"radio\" id=\"reason\" name=\"reason\" value=\"renewal\" "
                  "aria-describedby=\"reason-hint\">\n<label for=\"reason\">Yenileme</label>\n"
                  "<small class=\"hint choice-hint\" id=\"reason-hint\">");
    assert_has(t, "<input type=\"radio\" id=\"reason-2\" name=\"reason\" value=\"x&quot;y\">\n"
                  "<label for=\"reason-2\">Data &lt;label&gt;</label>");
    assert_has(t, "<input type=\"radio\" id=\"reason-3\" name=\"reason\" value=\"other\" "
                  "checked>\n<label for=\"reason-3\">Diğer</label>");
    assert_int_equal(count_of(t, "checked"), 1);
    assert_lacks(t, "<label for=\"reason\">Başvuru"); /* the group's name is its legend */
    web_page_free(&p);

    /* the same group with checkboxes: one option is a declaration to tick */
    struct web_field tick = {WEB_FIELD_CHECKBOXES, "reason",        WEB_MSG_REASON,
                             .value = "renewal",   .options = opts, .noptions = 1};
    web_page_init(&p, CORE_LANG_TR);
    web_page_field(&p, &tick);
    t = text(&p);
    assert_has(t, "<fieldset>\n<legend>Başvuru nedeni</legend>\n");
    assert_has(t,
               "<input type=\"checkbox\" id=\"reason\" name=\"reason\" value=\"renewal\" "
               "checked aria-describedby=\"reason-hint\">\n<label for=\"reason\">Yenileme</label>");
    assert_lacks(t, "type=\"radio\"");
    web_page_free(&p);

    /* a choice field without choices, and ids that are not plain, fail the page */
    const struct web_field empty = {.kind = WEB_FIELD_RADIO, .name = "r", .label = WEB_MSG_REASON};
    const struct web_field badid = {.kind = WEB_FIELD_TEXT, .name = "1abc"};
    const struct web_field quote = {.kind = WEB_FIELD_TEXT, .name = "a\"b"};
    const struct web_field upper = {.kind = WEB_FIELD_TEXT, .name = "Abc"};
    const struct web_field *bad[] = {&empty, &badid, &quote, &upper};
    for (size_t i = 0; i < 4; i++) {
        web_page_init(&p, CORE_LANG_TR);
        web_page_field(&p, bad[i]);
        assert_true(web_page_failed(&p));
        web_page_free(&p);
    }
}

static void test_summary_from_fields(void **state)
{
    (void)state;
    struct web_page p;
    const struct web_field f[] = {
        {WEB_FIELD_TEXT, "first_name", WEB_MSG_FIRST_NAME, .error = "e1"},
        {WEB_FIELD_TEXT, "last_name", WEB_MSG_LAST_NAME, .error = NULL},
        {WEB_FIELD_RADIO, "reason", WEB_MSG_REASON, .error = "e3", .options = opts, .noptions = 3},
    };
    web_page_init(&p, CORE_LANG_TR);
    web_page_error_summary_fields(&p, f, 3);
    const char *t = text(&p);
    assert_has(t, "<li><a href=\"#first_name\">Ad: e1</a></li>\n"
                  "<li><a href=\"#reason\">Başvuru nedeni: e3</a></li>\n</ul>");
    assert_lacks(t, "last_name");
    web_page_free(&p);
}

static void test_forms_buttons_countdown_notices(void **state)
{
    (void)state;
    struct web_page p;
    web_page_init(&p, CORE_LANG_TR);
    web_page_form_begin(&p, "/basvuru", "tok\"en<");
    web_page_section_begin(&p, WEB_MSG_SECTION_PERSONAL);
    web_page_fieldset_begin(&p, WEB_MSG_WORK_PHONE);
    web_page_fieldset_end(&p);
    web_page_section_end(&p);
    web_page_button(&p, WEB_MSG_OK, WEB_BUTTON_PRIMARY, "action", "o\"k");
    web_page_button(&p, WEB_MSG_CANCEL, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_form_end(&p);
    web_page_link_button(&p, "/giris", WEB_MSG_LANDING_START);
    web_page_countdown(&p, 300);
    web_page_notice_begin(&p, WEB_NOTICE_SUCCESS);
    web_page_notice_end(&p);
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    web_page_notice_end(&p);
    const char *t = text(&p);
    assert_int_equal(web_html_depth(&p.h), 0);
    assert_has(t, "<form method=\"post\" action=\"/basvuru\" novalidate>\n<input type=\"hidden\" "
                  "name=\"csrf_token\" value=\"tok&quot;en&lt;\">\n<section>\n<h2>Kişisel "
                  "bilgiler</h2>\n<fieldset class=\"group\">\n<legend>İş telefonu</legend>\n"
                  "</fieldset>\n</section>\n");
    assert_has(t, "<button type=\"submit\" name=\"action\" value=\"o&quot;k\">Tamam</button>\n"
                  "<button type=\"submit\" class=\"secondary\">İptal</button>\n</form>\n");
    assert_has(t, "<a class=\"button-link\" href=\"/giris\" draggable=\"false\">Başvuruya "
                  "başla</a>");
    /* the time left in minutes and seconds (issue 17, point 2), the units for the script */
    assert_has(t, "<div class=\"countdown\" data-countdown-seconds=\"300\" "
                  "data-countdown-expired=\"Kodun süresi doldu. Lütfen yeni bir kod isteyiniz.\" "
                  "data-unit-min=\"{0} dakika\" data-unit-mins=\"{0} dakika\" "
                  "data-unit-sec=\"{0} saniye\" data-unit-secs=\"{0} saniye\">\n"
                  "<p class=\"countdown-text\" role=\"timer\">SMS onay kodunuzun geçerliliği için "
                  "kalan süre: <strong data-countdown-value>5 dakika</strong></p>\n"
                  "<p class=\"visually-hidden\" aria-live=\"polite\" data-countdown-live></p>");
    assert_has(t, "<div class=\"notice notice-success\" role=\"status\">");
    assert_has(t, "<div class=\"notice notice-warning\">");
    assert_true(p.scripts & WEB_SCRIPT_COUNTDOWN);
    assert_false(p.scripts & WEB_SCRIPT_FOCUS_ERRORS);
    web_page_free(&p);

    /* a form without a CSRF token is a mistake */
    web_page_init(&p, CORE_LANG_TR);
    web_page_csrf(&p, "");
    assert_true(web_page_failed(&p));
    web_page_free(&p);
}

static void test_mistakes_fail_the_page(void **state)
{
    (void)state;
    struct web_page p;
    const struct web_layout plain = {.title = WEB_MSG_FORM_TITLE};
    const struct web_layout errs = {.title = WEB_MSG_FORM_TITLE, .errors = true};
    const struct web_error_item item = {"a", WEB_MSG_NONE, "m"};

    /* a section left open */
    web_page_init(&p, CORE_LANG_TR);
    web_page_begin(&p, &plain);
    web_page_section_begin(&p, WEB_MSG_SECTION_PERSONAL);
    web_page_end(&p);
    assert_true(web_page_failed(&p));
    web_page_free(&p);

    /* an end without a begin */
    web_page_init(&p, CORE_LANG_TR);
    web_page_form_end(&p);
    assert_true(web_page_failed(&p));
    web_page_free(&p);

    /* errors shown, but the title does not say so */
    web_page_init(&p, CORE_LANG_TR);
    web_page_begin(&p, &plain);
    web_page_error_summary(&p, &item, 1);
    web_page_end(&p);
    assert_true(web_page_failed(&p));
    web_page_free(&p);

    /* the title says "Hata" but no summary was shown */
    web_page_init(&p, CORE_LANG_TR);
    web_page_begin(&p, &errs);
    web_page_end(&p);
    assert_true(web_page_failed(&p));
    web_page_free(&p);

    /* the size cap: once failed, later writes do nothing */
    web_page_init(&p, CORE_LANG_TR);
    char chunk[4096];
    memset(chunk, 'a', sizeof chunk - 1);
    chunk[sizeof chunk - 1] = '\0';
    for (size_t i = 0; i < WEB_PAGE_MAX / (sizeof chunk - 1) + 2; i++)
        web_page_text(&p, chunk);
    assert_true(web_page_failed(&p));
    size_t len = p.b.len;
    web_page_text(&p, "x");
    assert_int_equal(p.b.len, len);
    assert_true(len <= WEB_PAGE_MAX);
    web_page_free(&p);
}

/* ---- form bodies ------------------------------------------------------------------------ */

static void test_formdata(void **state)
{
    (void)state;
    struct web_formdata f;
    const char body[] = "a=1&b=x+y%20z&&name=%C4%B0%C4%9Fd%C4%B1r&a=2&empty=&flag&"
                        "q=%3Cscript%3E%22";
    assert_int_equal(web_formdata_parse(&f, body, strlen(body)), 0);
    assert_string_equal(web_formdata_get(&f, "a"), "1"); /* the first wins */
    assert_string_equal(web_formdata_get(&f, "b"), "x y z");
    assert_string_equal(web_formdata_get(&f, "name"), "İğdır");
    assert_string_equal(web_formdata_get(&f, "empty"), "");
    assert_string_equal(web_formdata_get(&f, "flag"), "");
    assert_string_equal(web_formdata_get(&f, "q"), "<script>\"");
    assert_null(web_formdata_get(&f, "missing"));
    assert_int_equal(f.n, 7);
    web_formdata_free(&f);
    web_formdata_free(&f); /* twice is harmless */

    assert_int_equal(web_formdata_parse(&f, "", 0), 0);
    assert_int_equal(f.n, 0);
    web_formdata_free(&f);

    static const char *const bad[] = {
        "a=%G1", "a=%4", "a=%", "a=%FF", "a=%C4", "a=%00", "%C0%AF=x", "a=%ED%A0%80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (web_formdata_parse(&f, bad[i], strlen(bad[i])) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_int_equal(f.n, 0);
        assert_null(web_formdata_get(&f, "a"));
        web_formdata_free(&f);
    }
    /* a body holding a raw NUL or invalid UTF-8 bytes */
    assert_int_equal(web_formdata_parse(&f, "a=b\0c", 5), -1);
    assert_int_equal(web_formdata_parse(&f, "a=\xFF", 3), -1);

    /* too many fields */
    struct ubuf many = UBUF_INIT(1 << 16);
    for (int i = 0; i <= WEB_FORMDATA_MAX_FIELDS; i++)
        assert_int_equal(ubuf_printf(&many, "f%d=v&", i), 0);
    assert_int_equal(web_formdata_parse(&f, many.p, many.len), -1);
    many.len = 0;
    for (int i = 0; i < WEB_FORMDATA_MAX_FIELDS; i++)
        assert_int_equal(ubuf_printf(&many, "f%d=%d&", i, i), 0);
    assert_int_equal(web_formdata_parse(&f, many.p, many.len), 0);
    assert_string_equal(web_formdata_get(&f, "f127"), "127");
    web_formdata_free(&f);
    ubuf_free(&many);
}

/* ---- the staff's lists (web/pages/pages.c) ----------------------------------------------- */

/* A row's T.C. Kimlik No line: the number's short name in English too (the holder's long
 * "Turkish ID number (T.C. Kimlik No)" wrapped the queue's rows two or three times at 1024 px). */
static void test_staff_id_line(void **state)
{
    (void)state;
    static const char want[] = "<small class=\"id-line\">T.C. Kimlik No: <span class=\"tckn\" "
                               "translate=\"no\">12*******46</span></small>";
    for (int l = 0; l < 2; l++) {
        struct web_page p;
        web_page_init(&p, l ? CORE_LANG_EN : CORE_LANG_TR);
        web_pg_id_line(&p, "12*******46");
        assert_string_equal(text(&p), want);
        web_page_free(&p);
    }
}

/* The queue's reasons: each a short label that opens to its sentence, the sentence written once
 * (a title beside a visually hidden copy had a screen reader read it twice); the decision
 * page's sentences as they are. */
static void test_staff_reasons_once(void **state)
{
    (void)state;
    struct web_page p;
    const struct core_verdict v = {false, CORE_VR_NO_PERSONNEL_RECORD | CORE_VR_LATE, false};
    web_page_init(&p, CORE_LANG_EN);
    web_pg_verdict_reasons(&p, &v, true);
    const char *t = text(&p);
    assert_int_equal(count_of(t, "has no MEBBİS personnel record"), 1);
    assert_int_equal(count_of(t, "came after the renewal deadline"), 1);
    assert_int_equal(count_of(t, "No personnel record"), 1);
    assert_has(t, "<li data-reason=\"no_personnel_record\"><details>\n<summary>No personnel "
                  "record</summary>\n<p>The applicant has no MEBBİS personnel record.");
    assert_has(t, "<summary>Late application</summary>");
    assert_int_equal(count_of(t, "<details>"), 2);
    assert_lacks(t, "title=");
    assert_lacks(t, "visually-hidden");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_TR);
    web_pg_verdict_reasons(&p, &v, false);
    t = text(&p);
    assert_int_equal(count_of(t, "MEBBİS personel kaydı yok"), 1);
    assert_lacks(t, "<details>");
    assert_lacks(t, "Kadro kaydı yok");
    web_page_free(&p);
}

/* The pager's numbers and the days waited in the language's digit groups (and the links'
 * offsets as digits alone): page 1,001 of 1,200. */
static void test_staff_numbers_grouped(void **state)
{
    (void)state;
    struct web_page p;
    web_page_init(&p, CORE_LANG_EN);
    web_pg_pager(&p, "/yonetim?state=submitted", 50000, 60000, 50, 50);
    const char *t = text(&p);
    assert_has(t, "<span class=\"pager-current\" aria-current=\"page\">1,001</span>");
    assert_has(t, "<a href=\"/yonetim?state=submitted&amp;offset=49950\" "
                  "aria-label=\"Page 1,000\">1,000</a>");
    assert_has(t, "aria-label=\"Page 1,200\">1,200</a>");
    assert_has(t, "<a rel=\"next\" href=\"/yonetim?state=submitted&amp;offset=50050\">");
    assert_has(t, "<p class=\"pager-of\">Page 1,001 of 1,200</p>");
    assert_lacks(t, "1001");
    web_page_free(&p);

    web_page_init(&p, CORE_LANG_TR);
    web_pg_pager(&p, "/yonetim?state=submitted", 50000, 60000, 50, 50);
    t = text(&p);
    assert_has(t, "aria-current=\"page\">1.001</span>");
    assert_has(t, "aria-label=\"Sayfa 1.000\">1.000</a>");
    assert_has(t, "<p class=\"pager-of\">Sayfa 1.001 / 1.200</p>");
    web_page_free(&p);

    /* waited 1,234 days (and 6 hours) */
    const int64_t since = 1700000000, now = since + 1234 * 86400 + 6 * 3600;
    web_page_init(&p, CORE_LANG_EN);
    web_pg_waiting_text(&p, now, since);
    assert_has(text(&p), "1,234 days, ");
    web_page_free(&p);
    web_page_init(&p, CORE_LANG_TR);
    web_pg_waiting_text(&p, now, since);
    assert_has(text(&p), "1.234 gün, ");
    web_page_free(&p);
}

/* ---- the handlers, in a real server ------------------------------------------------------ */

static const struct web_route page_routes[] = {
    {"GET", "/", web_h_landing, 0, WEB_ANSWER_JSON},
    {"GET", "/ornek-form", web_h_demo_form, 0, WEB_ANSWER_JSON},
    {"POST", "/ornek-form", web_h_demo_form, 16384, WEB_ANSWER_JSON},
    {"GET", "/static/{dir}/{file}", web_h_static, 0, WEB_ANSWER_JSON},
};
/* The use cases' settings these pages do not read (the server holds them for every request). */
static const struct app_settings page_settings;
static const struct web_site page_site = {page_routes, sizeof page_routes / sizeof page_routes[0],
                                          NULL};

struct fixture {
    char dir[64];
    struct web_server *dev, *prod; /* one with --dev, one without */
    CURL *curl;
    struct ubuf body, headers;
};

static size_t collect(char *p, size_t size, size_t n, void *cls)
{
    return ubuf_put(cls, p, size * n) == 0 ? size * n : 0;
}

static int write_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(content, f);
    return fclose(f);
}

static int start(struct fixture *f, bool dev, struct web_server **out)
{
    struct web_config cfg;
    struct store *st = NULL;
    char url[128], err[512];
    int fd;
    snprintf(url, sizeof url, "sqlite:%s/%s.db", f->dir, dev ? "dev" : "prod");
    if (store_open_create(url, &st, err, sizeof err) != STORE_OK || store_migrate(st, NULL, NULL)) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    web_config_defaults(&cfg);
    cfg.threads = 2;
    cfg.access_log = false;
    cfg.dev = dev;
    snprintf(cfg.db, sizeof cfg.db, "%s", url);
    if (web_listen_open("127.0.0.1:0", true, &fd, err, sizeof err) != WEB_LISTEN_OK ||
        web_server_start(&cfg, &page_settings, fd, st, 1, &page_site, out, err, sizeof err) < 0) {
        fprintf(stderr, "server: %s\n", err);
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char p[256], err[256];
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-web-page.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    /* DIR/static/{css,js,img}, DIR/node_modules/@picocss/pico/css, DIR/secret.css */
    static const char *const dirs[] = {"static",
                                       "static/css",
                                       "static/js",
                                       "static/img",
                                       "static/css/folder.css",
                                       "node_modules",
                                       "node_modules/@picocss",
                                       "node_modules/@picocss/pico",
                                       "node_modules/@picocss/pico/css"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, dirs[i]);
        if (mkdir(p, 0755) != 0)
            return -1;
    }
    static const char *const files[][2] = {
        {"static/css/site.css", "body { color: black }\n"},
        {"static/js/app.js", "'use strict';\n"},
        {"static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"},
        {"static/css/notes.sh", "#!/bin/sh\n"},
        {"node_modules/@picocss/pico/css/pico.classless.min.css", "/* pico */\n"},
        {"node_modules/@picocss/pico/css/pico.min.css", "/* not served */\n"},
        {"secret.css", "SECRET\n"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, files[i][0]);
        if (write_file(p, files[i][1]) != 0)
            return -1;
    }
    char target[256];
    snprintf(target, sizeof target, "%s/secret.css", f->dir);
    snprintf(p, sizeof p, "%s/static/css/link.css", f->dir);
    if (symlink(target, p) != 0)
        return -1;
    /* larger than the 4 MiB a static file may be (sparse: no real disk use) */
    snprintf(p, sizeof p, "%s/static/css/huge.css", f->dir);
    int fd = open(p, O_WRONLY | O_CREAT, 0644);
    if (fd < 0 || ftruncate(fd, (5 << 20)) != 0 || close(fd) != 0)
        return -1;

    snprintf(p, sizeof p, "%s/static", f->dir);
    if (web_static_configure(p, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (start(f, true, &f->dev) < 0 || start(f, false, &f->prod) < 0)
        return -1;
    f->curl = curl_easy_init();
    ubuf_init(&f->body, 1 << 20);
    ubuf_init(&f->headers, 1 << 16);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    curl_easy_cleanup(f->curl);
    web_server_free(f->dev);
    web_server_free(f->prod);
    ubuf_free(&f->body);
    ubuf_free(&f->headers);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* A request to srv, path sent exactly as given; returns the status. */
static long request(struct fixture *f, struct web_server *srv, const char *method, const char *path,
                    struct curl_slist *hdrs, const char *body)
{
    char url[512];
    long status = 0;
    snprintf(url, sizeof url, "%s%s", web_server_url(srv), path);
    ubuf_reset(&f->body);
    ubuf_reset(&f->headers);
    curl_easy_reset(f->curl);
    curl_easy_setopt(f->curl, CURLOPT_URL, url);
    curl_easy_setopt(f->curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(f->curl, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(f->curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, hdrs);
    if (body)
        curl_easy_setopt(f->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &f->body);
    curl_easy_setopt(f->curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(f->curl, CURLOPT_HEADERDATA, &f->headers);
    curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(f->curl);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* The value of response header name (case-insensitive), copied into out; false if absent. */
static bool header(struct fixture *f, const char *name, char *out, size_t outlen)
{
    size_t n = strlen(name);
    for (const char *p = ubuf_str(&f->headers); p && *p;
         p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (!strncasecmp(p, name, n) && p[n] == ':') {
            const char *v = p + n + 1 + strspn(p + n + 1, " ");
            size_t len = strcspn(v, "\r\n");
            snprintf(out, outlen, "%.*s", (int)len, v);
            return true;
        }
    }
    return false;
}

static void test_landing_languages(void **state)
{
    struct fixture *f = *state;
    struct curl_slist *en = curl_slist_append(NULL, "Accept-Language: en-GB,en;q=0.9");
    struct curl_slist *cookie = curl_slist_append(NULL, "Cookie: a=b; lang=en");
    struct curl_slist *badcookie = curl_slist_append(NULL, "Cookie: lang=de; xlang=en");
    char v[256];

    assert_int_equal(request(f, f->prod, "GET", "/", NULL, NULL), 200);
    assert_true(header(f, "Content-Type", v, sizeof v));
    assert_string_equal(v, "text/html; charset=utf-8");
    assert_true(header(f, "Vary", v, sizeof v));
    assert_string_equal(v, "Accept-Language, Cookie");
    assert_false(header(f, "Set-Cookie", v, sizeof v));
    assert_has(ubuf_str(&f->body), "<html lang=\"tr\"");
    assert_has(ubuf_str(&f->body), "<h1>E-imza sertifikanızı yenileyin</h1>");
    assert_has(ubuf_str(&f->body), "href=\"/giris\"");
    assert_has(ubuf_str(&f->body), "<section id=\"kvkk\">");
    assert_lacks(ubuf_str(&f->body), "style=");

    assert_int_equal(request(f, f->prod, "GET", "/", en, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"en\"");
    assert_has(ubuf_str(&f->body), "<h1>Renew your e-signature certificate</h1>");

    /* ?lang= wins over Accept-Language and is remembered */
    assert_int_equal(request(f, f->prod, "GET", "/?lang=tr", en, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"tr\"");
    assert_true(header(f, "Set-Cookie", v, sizeof v));
    assert_string_equal(v, "lang=tr; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    assert_int_equal(request(f, f->prod, "GET", "/?lang=EN", NULL, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"en\"");
    /* an unknown ?lang= is ignored */
    assert_int_equal(request(f, f->prod, "GET", "/?lang=%3Cx%3E", NULL, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"tr\"");
    assert_false(header(f, "Set-Cookie", v, sizeof v));
    /* the cookie, over Accept-Language; a bad cookie falls back to the header */
    assert_int_equal(request(f, f->prod, "GET", "/", cookie, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"en\"");
    assert_int_equal(request(f, f->prod, "GET", "/", badcookie, NULL), 200);
    assert_has(ubuf_str(&f->body), "<html lang=\"tr\"");

    assert_int_equal(request(f, f->prod, "HEAD", "/", NULL, NULL), 200);
    assert_int_equal(f->body.len, 0);
    assert_int_equal(request(f, f->prod, "POST", "/", NULL, "x"), 405);
    curl_slist_free_all(en);
    curl_slist_free_all(cookie);
    curl_slist_free_all(badcookie);
}

static void test_sample_page(void **state)
{
    struct fixture *f = *state;
    struct curl_slist *form =
        curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
    struct curl_slist *json = curl_slist_append(NULL, "Content-Type: application/json");

    /* a development page: absent without --dev */
    assert_int_equal(request(f, f->prod, "GET", "/ornek-form", NULL, NULL), 404);
    assert_int_equal(request(f, f->prod, "POST", "/ornek-form", form, "csrf_token=x"), 404);

    assert_int_equal(request(f, f->dev, "GET", "/ornek-form", NULL, NULL), 200);
    const char *t = ubuf_str(&f->body);
    assert_has(t, "<title>Hata: ");
    assert_has(t, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
    assert_lacks(t, "<script>alert");
    assert_has(t, "<a href=\"#tckn\">T.C. Kimlik No: T.C. Kimlik No 11 haneli olmalıdır");
    assert_has(t, "<script src=\"/static/js/countdown.js\" defer></script>");

    /* POST: the token is checked, the body must be a form */
    assert_int_equal(request(f, f->dev, "POST", "/ornek-form", form, "first_name=a"), 403);
    assert_int_equal(request(f, f->dev, "POST", "/ornek-form", form,
                             "csrf_token=ornek-form-csrf&first_name=%FF"),
                     400);
    assert_int_equal(request(f, f->dev, "POST", "/ornek-form", json, "{}"), 415);
    assert_int_equal(request(f, f->dev, "POST", "/ornek-form", form,
                             "csrf_token=ornek-form-csrf&tckn=10000000146&first_name=%C5%9E"
                             "%C3%BCkr%C3%BC+%3Cb%3E&last_name=%C3%96zt%C3%BCrk&birth_place=Batman"
                             "&reason=renewal&address=Merkez&province=72&postal_code=72100"
                             "&email=a%40example.org&mobile_phone=05551234567"),
                     200);
    t = ubuf_str(&f->body);
    assert_lacks(t, "data-error-summary");
    assert_has(t, "Form hatasız gönderildi.");
    assert_has(t, "value=\"Şükrü &lt;b&gt;\"");
    assert_int_equal(request(f, f->dev, "POST", "/ornek-form", form,
                             "csrf_token=ornek-form-csrf&reason=bogus&postal_code=34000"
                             "&province=72"),
                     200);
    t = ubuf_str(&f->body);
    assert_has(t, "<a href=\"#tckn\">");
    assert_has(t, "<a href=\"#reason\">");
    assert_has(t, "<a href=\"#postal_code\">Posta kodu: Posta kodunun ilk iki hanesi");
    curl_slist_free_all(form);
    curl_slist_free_all(json);
}

static void test_static_files(void **state)
{
    struct fixture *f = *state;
    char v[256], etag[128], lastmod[64];

    static const struct {
        const char *path, *type, *body;
    } ok[] = {
        {"/static/css/site.css", "text/css; charset=utf-8", "body { color: black }\n"},
        {"/static/js/app.js", "text/javascript; charset=utf-8", "'use strict';\n"},
        {"/static/img/logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"},
        {"/static/vendor/pico.classless.min.css", "text/css; charset=utf-8", "/* pico */\n"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(request(f, f->prod, "GET", ok[i].path, NULL, NULL), 200);
        assert_string_equal(ubuf_str(&f->body), ok[i].body);
        assert_true(header(f, "Content-Type", v, sizeof v));
        assert_string_equal(v, ok[i].type);
        assert_true(header(f, "Cache-Control", v, sizeof v));
        assert_string_equal(v, "no-cache");
        assert_true(header(f, "X-Content-Type-Options", v, sizeof v));
    }

    /* revalidation: the ETag and Last-Modified of the last answer give 304 without a body */
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", NULL, NULL), 200);
    assert_true(header(f, "ETag", etag, sizeof etag));
    assert_true(header(f, "Last-Modified", lastmod, sizeof lastmod));
    assert_int_equal(etag[0], '"');
    assert_non_null(strstr(lastmod, " GMT"));
    char h1[200], h2[200], h3[200];
    snprintf(h1, sizeof h1, "If-None-Match: \"other\", W/%s", etag);
    snprintf(h2, sizeof h2, "If-Modified-Since: %s", lastmod);
    snprintf(h3, sizeof h3, "If-None-Match: \"other\"");
    struct curl_slist *inm = curl_slist_append(NULL, h1);
    struct curl_slist *ims = curl_slist_append(NULL, h2);
    struct curl_slist *stale = curl_slist_append(NULL, h3);
    struct curl_slist *old =
        curl_slist_append(NULL, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT");
    struct curl_slist *junk = curl_slist_append(NULL, "If-Modified-Since: yesterday");
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", inm, NULL), 304);
    assert_int_equal(f->body.len, 0);
    assert_true(header(f, "ETag", v, sizeof v));
    assert_string_equal(v, etag);
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", ims, NULL), 304);
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", stale, NULL), 200);
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", old, NULL), 200);
    assert_int_equal(request(f, f->prod, "GET", "/static/css/site.css", junk, NULL), 200);
    curl_slist_free_all(inm);
    curl_slist_free_all(ims);
    curl_slist_free_all(stale);
    curl_slist_free_all(old);
    curl_slist_free_all(junk);

    /* HEAD: the same headers, no body */
    assert_int_equal(request(f, f->prod, "HEAD", "/static/css/site.css", NULL, NULL), 200);
    assert_int_equal(f->body.len, 0);
    assert_true(header(f, "Content-Length", v, sizeof v));
    assert_string_equal(v, "22");
    assert_true(header(f, "ETag", v, sizeof v));
    assert_string_equal(v, etag);

    /* nothing outside the folder, nothing hidden, no other type, no other library file */
    static const char *const refused[] = {
        "/static/css/../../secret.css",
        "/static/../secret.css",
        "/static/css/..%2f..%2fsecret.css",
        "/static/%2e%2e/secret.css",
        "/static/css/%2e%2e%2f%2e%2e%2fsecret.css",
        "/static/vendor/..%2fpackage.json",
        "/static/vendor/pico.min.css",
        "/static/vendor/site.css",
        "/static/css/.hidden.css",
        "/static/.css/site.css",
        "/static/css/notes.sh",
        "/static/css/site",
        "/static/css/missing.css",
        "/static/css/link.css",   /* a symbolic link to a file outside */
        "/static/css/folder.css", /* a folder */
        "/static/css/huge.css",   /* past the size cap */
        "/static/css/site.css/x",
        "/static/site.css",
        "/static/css%2fsite.css/x.css",
        "/static/js/app.js?x=../../secret.css",
    };
    /* MHD decodes %00 and the server's path ends there, so the handler sees
     * "/static/css/site.css": whatever follows a NUL can never choose the type or the file */
    long nul = request(f, f->prod, "GET", "/static/css/site.css%00.js", NULL, NULL);
    if (nul == 200) {
        assert_true(header(f, "Content-Type", v, sizeof v));
        assert_string_equal(v, "text/css; charset=utf-8");
        assert_string_equal(ubuf_str(&f->body), "body { color: black }\n");
    } else {
        assert_int_equal(nul, 404);
    }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        long st = request(f, f->prod, "GET", refused[i], NULL, NULL);
        if (!strcmp(refused[i], "/static/js/app.js?x=../../secret.css")) {
            assert_int_equal(st, 200); /* the query is not part of the path */
            assert_string_equal(ubuf_str(&f->body), "'use strict';\n");
            continue;
        }
        if (st != 404)
            fail_msg("%s: status %ld, wanted 404", refused[i], st);
        assert_lacks(ubuf_str(&f->body), "SECRET");
    }
}

static void test_static_configure(void **state)
{
    struct fixture *f = *state;
    char err[256], p[200];
    /* refused: no such folder, a file, an empty name; the folder in use stays */
    const char *before = web_static_dir();
    char kept[256];
    snprintf(kept, sizeof kept, "%s", before);
    assert_int_equal(web_static_configure("/nonexistent/eimza", err, sizeof err), -1);
    assert_non_null(strstr(err, "not a readable folder"));
    snprintf(p, sizeof p, "%s/secret.css", f->dir);
    assert_int_equal(web_static_configure(p, err, sizeof err), -1);
    assert_int_equal(web_static_configure("", err, sizeof err), -1);
    assert_string_equal(web_static_dir(), kept);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_text_and_attributes_escaped),
        cmocka_unit_test(test_digit_groups_kept_together),
        cmocka_unit_test(test_messages_and_placeholders),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_step_indicator),
        cmocka_unit_test(test_card_way_twins),
        cmocka_unit_test(test_error_summary),
        cmocka_unit_test(test_text_fields),
        cmocka_unit_test(test_select_and_radios),
        cmocka_unit_test(test_summary_from_fields),
        cmocka_unit_test(test_forms_buttons_countdown_notices),
        cmocka_unit_test(test_mistakes_fail_the_page),
        cmocka_unit_test(test_formdata),
        cmocka_unit_test(test_staff_id_line),
        cmocka_unit_test(test_staff_reasons_once),
        cmocka_unit_test(test_staff_numbers_grouped),
    };
    const struct CMUnitTest served[] = {
        cmocka_unit_test(test_landing_languages),
        cmocka_unit_test(test_sample_page),
        cmocka_unit_test(test_static_files),
        cmocka_unit_test(test_static_configure),
    };
    int rc = cmocka_run_group_tests_name("page writer", pure, NULL, NULL);
    rc |= cmocka_run_group_tests_name("pages served", served, setup, teardown);
    return rc;
}
