/* eimza — the message templates (notify/templates.h) and the e-mail's form (notify/smtp.h):
 * the compiled-in texts are exactly the files the build writes to templates/ (no drift), every
 * template renders with its placeholders filled, a directory overrides one file and keeps the
 * rest, bad files are refused with the file named (unknown placeholder, no Subject line, not
 * UTF-8, a file no template reads), a count and its noun agree ({n_days}: "1 day", "15 days";
 * "1 gün"), and the e-mail is well-formed: RFC 2047 subject in words of whole characters,
 * quoted-printable lines of at most 76 characters, no lone ".", CRLF line ends, no header
 * injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/seal.h"
#include "notify/outbox.h"
#include "notify/smtp.h"
#include "notify/templates.h"
#include "util/fault.h"

/* The build's folder, where the build writes the catalogue's messages as templates/ files. */
static const char *build_dir(void)
{
    const char *d = getenv("EIMZA_BUILD_DIR");
    return d ? d : ".";
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_builtin_is_the_files(void **state)
{
    (void)state;
    const char *langs[] = {"tr", "en"};
    int checked = 0;
    for (size_t l = 0; l < 2; l++) {
        for (int t = 0; t < NOTIFY_TPL__COUNT; t++) {
            for (int sms = 0; sms <= 1; sms++) {
                if (sms ? !notify_tpl_has_sms((enum notify_tpl)t)
                        : !notify_tpl_has_email((enum notify_tpl)t))
                    continue;
                char path[1024];
                snprintf(path, sizeof path, "%s/templates/%s/%s.%s.txt", build_dir(), langs[l],
                         notify_tpl_name((enum notify_tpl)t), sms ? "sms" : "email");
                const char *file = slurp(path);
                const char *b = notify_tpl_builtin(langs[l], (enum notify_tpl)t, sms);
                if (!file || !b || strcmp(file, b) != 0)
                    fail_msg("%s differs from the built-in text (the catalogue, po/)", path);
                checked++;
            }
        }
    }
    assert_int_equal(checked, 86); /* 11 + 18 forms (the card's way after approval, the PIN's word
                                    step lifted) + 4 (the in-house twins of card_late and
                                    card_ordered) + 8 (the decision: approved, its in-house
                                    twin, rejected with a ready reason or free words) + 2 (the
                                    SMS codes of the application and of the PIN step, SMS
                                    only) per language */
}

/* Who helps with a late card: where the cards are made in house, card_late's twin, which names
 * the e-imza sorumlusu and not Kamu SM's call centre, in both languages and both forms; and
 * card_ordered's twin, which says the card made there may be handed over in person; every
 * other template is itself. */
static void test_deployed(void **state)
{
    (void)state;
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_CARD_LATE, false), NOTIFY_TPL_CARD_LATE);
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_CARD_LATE, true), NOTIFY_TPL_CARD_LATE_INHOUSE);
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_CARD_ORDERED, false), NOTIFY_TPL_CARD_ORDERED);
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_CARD_ORDERED, true),
                     NOTIFY_TPL_CARD_ORDERED_INHOUSE);
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_APPROVED, false), NOTIFY_TPL_APPROVED);
    assert_int_equal(notify_tpl_deployed(NOTIFY_TPL_APPROVED, true), NOTIFY_TPL_APPROVED_INHOUSE);
    for (int t = 0; t < NOTIFY_TPL__COUNT; t++)
        if (t != NOTIFY_TPL_CARD_LATE && t != NOTIFY_TPL_CARD_ORDERED && t != NOTIFY_TPL_APPROVED)
            assert_int_equal(notify_tpl_deployed((enum notify_tpl)t, true), t);
    const char *langs[] = {"tr", "en"};
    for (size_t l = 0; l < 2; l++) {
        for (int sms = 0; sms <= 1; sms++) {
            const char *late = notify_tpl_builtin(langs[l], NOTIFY_TPL_CARD_LATE, sms);
            const char *twin = notify_tpl_builtin(langs[l], NOTIFY_TPL_CARD_LATE_INHOUSE, sms);
            assert_non_null(late);
            assert_non_null(twin);
            assert_non_null(strstr(late, "444 5 576"));
            assert_null(strstr(twin, "444"));
            assert_null(strstr(twin, "Kamu SM"));
            assert_non_null(strstr(twin, l == 0 ? "sorumlusuna" : "e-signature officer"));
            assert_non_null(strstr(twin, "{n_days}"));
            /* the card made here may be handed over in person: card_ordered's twin says so,
             * where the bureau's says the courier */
            const char *ordered = notify_tpl_builtin(langs[l], NOTIFY_TPL_CARD_ORDERED, sms);
            const char *made = notify_tpl_builtin(langs[l], NOTIFY_TPL_CARD_ORDERED_INHOUSE, sms);
            assert_non_null(ordered);
            assert_non_null(made);
            assert_null(strstr(ordered, l == 0 ? "elden" : "handed to you"));
            assert_non_null(
                strstr(made, l == 0 ? "size elden teslim edilecek ya da kurye" : "handed to you"));
            assert_non_null(strstr(made, l == 0 ? "üretildi" : "has been made"));
        }
    }
}

static void test_render(void **state)
{
    (void)state;
    struct notify_templates *t = NULL;
    char err[256];
    assert_int_equal(notify_templates_load(NULL, "tr", &t, err, sizeof err), 0);
    const struct notify_var v[] = {
        {"name", "Ayşe Işık"},      {"serial", "0A1B"}, {"expiry_date", "01.06.2025"},
        {"deadline", "02.05.2025"}, {"days", "90"},     {"portal_url", "https://x/"}};
    struct ubuf subj = UBUF_INIT(1024), body = UBUF_INIT(8192);
    assert_int_equal(notify_render(t, NOTIFY_TPL_EXPIRY_WARNING, false, v, 6, &subj, &body), 0);
    assert_string_equal(ubuf_str(&subj),
                        "e-imza sertifikanızın süresi 01.06.2025 tarihinde doluyor");
    assert_non_null(strstr(ubuf_str(&body), "Sayın Ayşe Işık,\n"));
    assert_non_null(strstr(ubuf_str(&body), "0A1B seri numaralı"));
    assert_null(strchr(ubuf_str(&body), '{'));
    ubuf_reset(&body);
    assert_int_equal(notify_render(t, NOTIFY_TPL_EXPIRY_WARNING, true, v, 6, NULL, &body), 0);
    assert_null(strchr(ubuf_str(&body), '\n')); /* one line */
    assert_non_null(strstr(ubuf_str(&body), "https://x/"));
    /* no SMS form for the digest; a cap too small */
    assert_int_equal(notify_render(t, NOTIFY_TPL_DIGEST, true, v, 6, NULL, &body), -1);
    struct ubuf tiny = UBUF_INIT(10);
    assert_int_equal(notify_render(t, NOTIFY_TPL_EXPIRED, true, v, 6, NULL, &tiny), -1);
    ubuf_free(&tiny);
    ubuf_free(&subj);
    ubuf_free(&body);
    notify_templates_free(t);
    assert_int_equal(notify_templates_load(NULL, "de", &t, err, sizeof err), -1);
    assert_null(t);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_directory(void **state)
{
    (void)state;
    char dir[] = "/tmp/eimza-tpl.XXXXXX", sub[64], path[128], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/en", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/expired.sms.txt", sub);
    put_file(path, "Expired: {serial} {{not a placeholder}} {portal_url}\n\n");
    struct notify_templates *t = NULL;
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), 0);
    const struct notify_var v[] = {{"serial", "S1"}, {"portal_url", "https://p/"}};
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(notify_render(t, NOTIFY_TPL_EXPIRED, true, v, 2, NULL, &b), 0);
    assert_string_equal(ubuf_str(&b), "Expired: S1 {{not a placeholder}} https://p/");
    ubuf_free(&b);
    notify_templates_free(t);

    put_file(path, "Expired: {serail}\n");
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "expired.sms.txt: unknown placeholder {serail}"));
    /* the refusal's code travels with it: the file its subject, the details apart */
    struct ufault f = {0};
    assert_int_equal(notify_templates_load_fault(dir, "en", &t, &f), -1);
    assert_string_equal(f.code, "template_bad");
    assert_string_equal(f.subject, path);
    assert_string_equal(f.detail, "unknown placeholder {serail} (known: name serial expiry_date "
                                  "portal_url)");
    assert_int_equal(notify_templates_load_fault(dir, "de", &t, &f), -1);
    assert_string_equal(f.code, "setting_bad_value");
    assert_string_equal(f.subject, "notify_language");
    put_file(path, "ok {serial}\n");
    snprintf(path, sizeof path, "%s/digest.email.txt", sub);
    put_file(path, "Konu: x\n\nbody\n");
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "Subject"));
    put_file(path, "Subject: x\nbody\n");
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty line"));
    put_file(path, "Subject: \xff\n\nbody\n");
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "not UTF-8"));
    unlink(path);
    snprintf(path, sizeof path, "%s/expired.sms.txt", sub);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* How many times needle is in hay. */
static int times(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Renders a decision's message as the outbox keeps it (template name + values as JSON) into
 * subj/body (reset first); the SMS form when sms. */
static void render_kept(const struct notify_templates *set, enum notify_tpl t, bool sms,
                        const struct notify_var *v, size_t n, struct ubuf *subj, struct ubuf *body)
{
    char *params = notify_params_json(v, n);
    assert_non_null(params);
    const struct store_outbox_msg m = {
        .channel = sms ? "sms" : "email", .tpl = notify_tpl_name(t), .params = params};
    ubuf_reset(subj);
    ubuf_reset(body);
    const char *why = NULL;
    if (notify_outbox_render(set, "https://portal/", &m, subj, body, &why) != 0)
        fail_msg("%s: %s", notify_tpl_name(t), why ? why : "?");
    free(params);
}

/* The decision's messages (app/admin_decide.c): approved (by courier; made here and handed
 * over or sent where production = inhouse, a late card asked of the e-imza sorumlusu, not Kamu
 * SM), rejected with a ready reason (the reason alone) or with the approver's words (the
 * general advice after them), each in both languages and both forms, kept as template + values.
 * The approver's words are a value: placeholders written in them come out as written. */
static void test_decision(void **state)
{
    (void)state;
    static const char *const langs[] = {"tr", "en"};
    struct ubuf subj = UBUF_INIT(1024), body = UBUF_INIT(8192);
    for (size_t l = 0; l < 2; l++) {
        const bool tr = l == 0;
        struct notify_templates *set = NULL;
        char err[256];
        assert_int_equal(notify_templates_load(NULL, langs[l], &set, err, sizeof err), 0);
        assert_string_equal(notify_templates_lang(set), langs[l]);
        const struct notify_var ok[] = {
            {"name", "Ayşe Işık"}, {"number", "2026-000123"}, {"days", "15"}};
        for (int inhouse = 0; inhouse <= 1; inhouse++) {
            enum notify_tpl t = notify_tpl_deployed(NOTIFY_TPL_APPROVED, inhouse);
            render_kept(set, t, false, ok, 3, &subj, &body);
            const char *b = ubuf_str(&body);
            assert_null(strchr(b, '{')); /* every placeholder filled */
            assert_string_equal(ubuf_str(&subj), tr ? "e-imza başvurunuz onaylandı"
                                                    : "Your e-signature application has been "
                                                      "approved");
            assert_non_null(strstr(b, tr ? "Sayın Ayşe Işık,\n" : "Dear Ayşe Işık,\n"));
            assert_non_null(strstr(b, "2026-000123"));
            assert_non_null(strstr(b, tr ? "yaklaşık 15 gün" : "about 15 days"));
            if (tr && !inhouse) /* today's words, kept */
                assert_non_null(strstr(
                    b, "2026-000123 numaralı e-imza sertifikası başvurunuz il DYS yöneticisi "
                       "tarafından onaylandı. Yeni kartınız yaklaşık 15 gün içinde başvuru "
                       "formundaki adrese kargo ile gönderilecektir.\n\nBaşvurunuzun durumunu "
                       "e-imza portalındaki başvuru durumu sayfasından izleyebilirsiniz:\n"
                       "https://portal/\n\nKartınız bu süre içinde ulaşmazsa Kamu SM çağrı "
                       "merkezini (444 5 576) arayınız.\n"));
            if (tr && inhouse)
                assert_non_null(strstr(
                    b, "Yeni kartınız kurumun kendi sertifika hizmetiyle üretilecek ve yaklaşık "
                       "15 gün içinde size elden teslim edilecek ya da başvuru formundaki adrese "
                       "kargo ile gönderilecektir.\n\n"));
            /* the portal's address, where the status page is */
            assert_non_null(strstr(b, tr ? "izleyebilirsiniz:\nhttps://portal/\n"
                                         : "status page:\nhttps://portal/\n"));
            /* who helps with a late card */
            assert_int_equal(has(b, "444 5 576"), !inhouse);
            assert_int_equal(has(b, "Kamu SM"), !inhouse);
            assert_int_equal(has(b, tr ? "e-imza sorumlusuna" : "e-signature officer"), inhouse);
            assert_int_equal(has(b, tr ? "elden" : "in person"), inhouse);
            render_kept(set, t, true, ok, 3, &subj, &body);
            b = ubuf_str(&body);
            assert_null(strchr(b, '\n'));
            assert_non_null(strstr(b, "(2026-000123)"));
            assert_non_null(strstr(b, tr ? "yaklaşık 15 gün" : "about 15 days"));
            assert_int_equal(has(b, tr ? "elden" : "in person"), inhouse);
            assert_non_null(strstr(b, tr ? "Durum: https://portal/" : "Status: https://portal/"));
            if (tr)
                assert_string_equal(
                    b, inhouse ? "e-imza başvurunuz (2026-000123) onaylandı. Yeni kartınız "
                                 "yaklaşık 15 gün içinde size elden teslim edilecek ya da formdaki "
                                 "adrese kargo ile gönderilecek. Durum: https://portal/"
                               : "e-imza başvurunuz (2026-000123) onaylandı. Yeni kartınız "
                                 "yaklaşık 15 gün içinde formdaki adrese kargo ile gönderilecek. "
                                 "Durum: https://portal/");
        }
        /* the approver's words, with placeholders and a '{' of their own: as written */
        static const char words[] = "{name} {number} {portal_url} {days} {code} {x} {{ ok";
        const struct notify_var no[] = {
            {"name", "Ayşe Işık"}, {"number", "2026-000123"}, {"reason", words}};
        for (int free_words = 0; free_words <= 1; free_words++) {
            enum notify_tpl t = free_words ? NOTIFY_TPL_REJECTED_FREE : NOTIFY_TPL_REJECTED;
            assert_int_equal(notify_tpl_deployed(t, true), t); /* no twin: no card, no courier */
            const char *advice = tr ? "Ayrıntı için il DYS yöneticinizle görüşünüz; gereken "
                                      "düzeltmeden sonra portaldan yeniden başvurabilirsiniz"
                                    : "talk to your provincial DYS administrator";
            render_kept(set, t, false, no, 3, &subj, &body);
            assert_string_equal(ubuf_str(&subj), tr ? "e-imza başvurunuz reddedildi"
                                                    : "Your e-signature application has been "
                                                      "rejected");
            const char *b = ubuf_str(&body);
            char want[256];
            snprintf(want, sizeof want, "%s: %s\n", tr ? "Gerekçe" : "Reason", words);
            assert_non_null(strstr(b, want));
            assert_non_null(strstr(b, tr ? "Sayın Ayşe Işık,\n" : "Dear Ayşe Işık,\n"));
            /* the portal's address once, the template's own line: the words' {portal_url}
             * stays as written */
            assert_int_equal(times(b, "https://portal/"), 1);
            assert_non_null(strstr(b, tr ? "yeniden başvuruyu oradan yapabilirsiniz:\n"
                                           "https://portal/\n"
                                         : "and apply again there:\nhttps://portal/\n"));
            assert_int_equal(has(b, advice), free_words);
            if (tr)
                assert_non_null(strstr(b, "2026-000123 numaralı e-imza sertifikası başvurunuz il "
                                          "DYS yöneticisi tarafından reddedildi.\n\n"));
            render_kept(set, t, true, no, 3, &subj, &body);
            b = ubuf_str(&body);
            snprintf(want, sizeof want, "(2026-000123) %s. %s: %s",
                     tr ? "reddedildi" : "has been rejected", tr ? "Gerekçe" : "Reason", words);
            assert_non_null(strstr(b, want));
            assert_int_equal(has(b, advice), free_words);
            assert_int_equal(times(b, "https://portal/"), 1); /* at the end */
            const size_t ul = strlen("https://portal/");
            assert_string_equal(strstr(b, "https://portal/") + ul, "");
        }
        notify_templates_free(set);
    }
    ubuf_free(&subj);
    ubuf_free(&body);
}

/* An operator's file replaces a decision's text like any other template's. */
static void test_decision_directory(void **state)
{
    (void)state;
    char dir[] = "/tmp/eimza-tpl.XXXXXX", sub[64], path[128], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/tr", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/application_approved_inhouse.sms.txt", sub);
    put_file(path, "Onay {number}: {days} gün, {portal_url}\n");
    struct notify_templates *t = NULL;
    assert_int_equal(notify_templates_load(dir, "tr", &t, err, sizeof err), 0);
    const struct notify_var v[] = {{"number", "N1"}, {"days", "9"}, {"portal_url", "https://p/"}};
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(notify_render(t, NOTIFY_TPL_APPROVED_INHOUSE, true, v, 3, NULL, &b), 0);
    assert_string_equal(ubuf_str(&b), "Onay N1: 9 gün, https://p/");
    ubuf_reset(&b);
    assert_int_equal(notify_render(t, NOTIFY_TPL_APPROVED, true, v, 3, NULL, &b), 0);
    assert_non_null(strstr(ubuf_str(&b), "kargo ile")); /* the other one kept */
    ubuf_free(&b);
    notify_templates_free(t);
    put_file(path, "Onay {reason}\n"); /* not a value of the approval */
    assert_int_equal(notify_templates_load(dir, "tr", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "application_approved_inhouse.sms.txt: unknown placeholder"));
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

/* Renders every form of every template in lang with the values all templates' placeholders
 * take, each count being n, into out (the subject, a '|', the body; reset first per form), and
 * calls check on each. */
static void render_all(const char *lang, const char *n,
                       void (*check)(enum notify_tpl t, bool sms, const char *text))
{
    struct notify_templates *set = NULL;
    char err[256];
    assert_int_equal(notify_templates_load(NULL, lang, &set, err, sizeof err), 0);
    const struct notify_var v[] = {{"name", "Ayşe Işık"},
                                   {"serial", "0A1B"},
                                   {"expiry_date", "01.06.2025"},
                                   {"deadline", "x"},
                                   {"number", "2026-0007"},
                                   {"province", "Batman"},
                                   {"date", "07.12.2026"},
                                   {"submitted", "s"},
                                   {"awaiting_original", "a"},
                                   {"carrier", "PTT"},
                                   {"tracking_number", "T"},
                                   {"reason", "r"},
                                   {"valid_from", "f"},
                                   {"valid_until", "u"},
                                   {"until", "u"},
                                   {"days", n},
                                   {"minutes", n},
                                   {"seconds", n},
                                   {"total", n},
                                   {"portal_url", "https://p/"}};
    struct ubuf subj = UBUF_INIT(1024), body = UBUF_INIT(8192), all = UBUF_INIT(16384);
    for (int t = 0; t < NOTIFY_TPL__COUNT; t++) {
        for (int sms = 0; sms <= 1; sms++) {
            if (sms ? !notify_tpl_has_sms((enum notify_tpl)t)
                    : !notify_tpl_has_email((enum notify_tpl)t))
                continue;
            ubuf_reset(&subj);
            ubuf_reset(&body);
            ubuf_reset(&all);
            assert_int_equal(notify_render(set, (enum notify_tpl)t, sms, v, sizeof v / sizeof v[0],
                                           sms ? NULL : &subj, &body),
                             0);
            assert_int_equal(ubuf_printf(&all, "%s|%s", ubuf_str(&subj), ubuf_str(&body)), 0);
            check((enum notify_tpl)t, sms, ubuf_str(&all));
        }
    }
    ubuf_free(&subj);
    ubuf_free(&body);
    ubuf_free(&all);
    notify_templates_free(set);
}

static int counted_forms; /* the forms render_all's checks saw a count with its noun in */

/* English, each count 1: the noun after it in the singular, and it is there where the template
 * has the count ("about 1 days" was the fault) */
static void check_en_one(enum notify_tpl t, bool sms, const char *text)
{
    static const char *const wrong[] = {"1 days", "1 minutes", "1 seconds", "1 applications",
                                        "1 e-signature applications"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        if (strstr(text, wrong[i]))
            fail_msg("%s.%s: '%s' in: %s", notify_tpl_name(t), sms ? "sms" : "email", wrong[i],
                     text);
    counted_forms +=
        has(text, "1 day") || has(text, "1 minute") || has(text, "1 e-signature application ");
}

/* English, each count 2: the plural */
static void check_en_two(enum notify_tpl t, bool sms, const char *text)
{
    (void)t;
    (void)sms;
    counted_forms +=
        has(text, "2 days") || has(text, "2 minutes") || has(text, "2 e-signature applications ");
}

/* Turkish, any count: no plural after a number, the noun once, and every subject starting
 * "e-imza" in lower case where it names it (as Kamu SM writes it) */
static void check_tr(enum notify_tpl t, bool sms, const char *text)
{
    if (has(text, "gün gün") || has(text, "günler") || has(text, "dakika dakika") ||
        has(text, "saniye saniye") || has(text, "başvurusu başvuru"))
        fail_msg("%s.%s: %s", notify_tpl_name(t), sms ? "sms" : "email", text);
    const char *e = strstr(text, "E-imza");
    if (!sms && e && e < strchr(text, '|'))
        fail_msg("%s: the subject writes E-imza: %s", notify_tpl_name(t), text);
    counted_forms += has(text, "1 gün") || has(text, "1 dakika") || has(text, "1 e-imza başvurusu");
}

/* A count before its noun: {n_days}, {n_minutes}, {n_seconds} and {n_applications} put the
 * number with its noun in the form for it, from the catalogue's plural entries ("count.*"): in
 * English "1 day" / "2 days", in Turkish "1 gün" / "2 gün"; every template that puts a count
 * before a noun uses them (the expiry warning, the late card, the approval, the SMS codes, the
 * digest's subject). */
static void test_counted(void **state)
{
    (void)state;
    counted_forms = 0;
    render_all("en", "1", check_en_one);
    /* expiry_warning.email, card_late and its twin (4 forms), the approval and its twin (4),
     * otp_code, pin_code, the digest */
    assert_int_equal(counted_forms, 12);
    counted_forms = 0;
    render_all("en", "2", check_en_two);
    assert_int_equal(counted_forms, 12);
    counted_forms = 0;
    render_all("tr", "1", check_tr);
    assert_int_equal(counted_forms, 12);

    /* the words, in both languages; no value: nothing, as for any placeholder; a value that is
     * no number: as it is */
    const struct notify_var one[] = {
        {"number", "N"}, {"days", "1"}, {"minutes", "1"}, {"seconds", "60"}, {"total", "1"}};
    const struct notify_var odd[] = {{"number", "N"}, {"days", "birkaç"}};
    static const struct {
        bool tr;
        enum notify_tpl t;
        bool sms, odd;
        size_t nvars;
        const char *want; /* in the subject, a '|', the body */
    } cases[] = {
        {false, NOTIFY_TPL_APPROVED, true, false, 5, "within about 1 day. "},
        {true, NOTIFY_TPL_APPROVED, true, false, 5, "yaklaşık 1 gün içinde"},
        {false, NOTIFY_TPL_OTP_CODE, true, false, 5, "valid for 1 minute (60 seconds)."},
        {true, NOTIFY_TPL_OTP_CODE, true, false, 5, "Kod 1 dakika (60 saniye) geçerlidir."},
        {false, NOTIFY_TPL_DIGEST, false, false, 5, ": 1 e-signature application waiting ("},
        {false, NOTIFY_TPL_CARD_LATE, false, false, 5, "was approved 1 day ago"},
        {false, NOTIFY_TPL_APPROVED, true, true, 1, "within about . "},
        {true, NOTIFY_TPL_APPROVED, true, true, 2, "yaklaşık birkaç gün içinde"},
    };
    struct notify_templates *set[2] = {NULL, NULL}; /* en, tr */
    char err[256];
    assert_int_equal(notify_templates_load(NULL, "en", &set[0], err, sizeof err), 0);
    assert_int_equal(notify_templates_load(NULL, "tr", &set[1], err, sizeof err), 0);
    struct ubuf subj = UBUF_INIT(1024), body = UBUF_INIT(8192);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ubuf_reset(&subj);
        ubuf_reset(&body);
        assert_int_equal(notify_render(set[cases[i].tr], cases[i].t, cases[i].sms,
                                       cases[i].odd ? odd : one, cases[i].nvars,
                                       cases[i].sms ? NULL : &subj, &body),
                         0);
        assert_int_equal(ubuf_puts(&subj, "|"), 0);
        assert_int_equal(ubuf_puts(&subj, ubuf_str(&body)), 0);
        if (!strstr(ubuf_str(&subj), cases[i].want))
            fail_msg("case %zu: no '%s' in: %s", i, cases[i].want, ubuf_str(&subj));
    }
    /* a value longer than a count's words and digits ever are (the fuzz driver's 255 bytes):
     * put whole, not a failed render */
    char longv[256];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    const struct notify_var lng[] = {{"number", "N"}, {"days", longv}};
    ubuf_reset(&body);
    assert_int_equal(notify_render(set[1], NOTIFY_TPL_APPROVED, true, lng, 2, NULL, &body), 0);
    char want[300];
    snprintf(want, sizeof want, "yaklaşık %s gün içinde", longv);
    assert_non_null(strstr(ubuf_str(&body), want));
    ubuf_free(&subj);
    ubuf_free(&body);
    notify_templates_free(set[0]);
    notify_templates_free(set[1]);
}

/* A templates_dir of the test's own, dir ("/tmp/eimza-tpl.XXXXXX", made), with its folder for
 * lang, sub (subcap bytes); tpl_dir_remove removes both once their files are gone. */
static void tpl_dir_make(char *dir, const char *lang, char *sub, size_t subcap)
{
    assert_non_null(mkdtemp(dir));
    snprintf(sub, subcap, "%s/%s", dir, lang);
    assert_int_equal(mkdir(sub, 0700), 0);
}

/* The SMS form of t as the set loaded from dir for lang renders it with v (the set must load). */
static const char *sms_from_dir(const char *dir, const char *lang, enum notify_tpl t,
                                const struct notify_var *v, size_t n)
{
    static char text[4096];
    struct notify_templates *set = NULL;
    char err[512];
    struct ubuf b = UBUF_INIT(sizeof text);
    if (notify_templates_load(dir, lang, &set, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(notify_render(set, t, true, v, n, NULL, &b), 0);
    snprintf(text, sizeof text, "%s", ubuf_str(&b));
    ubuf_free(&b);
    notify_templates_free(set);
    return text;
}

static void tpl_dir_remove(const char *dir, const char *sub)
{
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* An operator's file: {days} is still the number alone (a file written before {n_days} keeps
 * its words), {n_days} the number with its noun in the file's language; {n_days} where the
 * template has no days is refused like any unknown placeholder, and the refusal names it among
 * the known ones where it is one. */
static void test_counted_directory(void **state)
{
    (void)state;
    char dir[] = "/tmp/eimza-tpl.XXXXXX", sub[64], path[160], err[512];
    tpl_dir_make(dir, "en", sub, sizeof sub);
    snprintf(path, sizeof path, "%s/card_late.sms.txt", sub);
    put_file(path, "{number}: {days} days, {n_days}, {n_days}\n");
    const struct notify_var v[] = {{"number", "N1"}, {"days", "1"}};
    assert_string_equal(sms_from_dir(dir, "en", NOTIFY_TPL_CARD_LATE, v, 2),
                        "N1: 1 days, 1 day, 1 day");
    struct notify_templates *t = NULL;
    put_file(path, "{number}: {n_minutes}\n"); /* card_late has no minutes */
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "card_late.sms.txt: unknown placeholder {n_minutes}"));
    assert_non_null(strstr(err, "portal_url n_days)"));
    unlink(path);
    snprintf(path, sizeof path, "%s/expired.sms.txt", sub);
    put_file(path, "{serial} {n_days}\n");
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "expired.sms.txt: unknown placeholder {n_days}"));
    unlink(path);
    tpl_dir_remove(dir, sub);
}

/* A file in templates_dir that no template reads: a form the template does not have
 * (otp_code.email.txt, digest.sms.txt) or a name that is no template's (a typo) is refused at
 * load with the file named, like any other bad template file, instead of being skipped while
 * the built-in text goes out; files not named like a template's (a README, a backup) are left
 * alone, and a language's folder missing is no error. */
static void test_unused_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/eimza-tpl.XXXXXX", sub[64], path[160], keep[2][160], err[512];
    tpl_dir_make(dir, "tr", sub, sizeof sub);
    snprintf(keep[0], sizeof keep[0], "%s/README", sub);
    put_file(keep[0], "Subject: x\n");
    snprintf(keep[1], sizeof keep[1], "%s/expired.sms.txt~", sub);
    put_file(keep[1], "{nothing}\n");
    struct notify_templates *t = NULL;
    assert_int_equal(notify_templates_load(dir, "tr", &t, err, sizeof err), 0);
    notify_templates_free(t);
    assert_int_equal(notify_templates_load(dir, "en", &t, err, sizeof err), 0); /* no en/ */
    notify_templates_free(t);
    static const char *const unused[][2] = {
        {"otp_code.email.txt", "otp_code has no e-mail form"},
        {"pin_code.email.txt", "pin_code has no e-mail form"},
        {"digest.sms.txt", "digest has no SMS form"},
        {"expiry_warnign.email.txt", "no template is named 'expiry_warnign'"},
        {".sms.txt", NULL},
    };
    for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", sub, unused[i][0]);
        put_file(path, "Subject: x\n\n{number} {code}\n");
        t = NULL;
        if (!unused[i][1]) { /* no name before the form: not a template's file */
            assert_int_equal(notify_templates_load(dir, "tr", &t, err, sizeof err), 0);
            notify_templates_free(t);
            unlink(path);
            continue;
        }
        assert_int_equal(notify_templates_load(dir, "tr", &t, err, sizeof err), -1);
        assert_null(t);
        char want[256];
        snprintf(want, sizeof want, "%s: %s, so the file would not be used", path, unused[i][1]);
        if (!strstr(err, want))
            fail_msg("%s: %s", unused[i][0], err);
        struct ufault f = {0};
        assert_int_equal(notify_templates_load_fault(dir, "tr", &t, &f), -1);
        assert_string_equal(f.code, "template_unused");
        assert_string_equal(f.subject, path);
        unlink(path);
    }
    unlink(keep[0]);
    unlink(keep[1]);
    tpl_dir_remove(dir, sub);
}

/* The two messages that bring a code (otp_code, pin_code), kept as template t (name) and its
 * values, with the code sealed for dedupe (the key the sender opens it with): in both
 * languages (want[0] Turkish, want[1] English, each with code) the text keeps the mark whatever
 * the values say (a value named code ignored) and only the sender puts the code in; sealed for
 * another key string (other) it does not open; the mask without the key; no e-mail form; a
 * value holding the mark refused. */
static void code_sms_checks(enum notify_tpl t, const char *name, const char *dedupe,
                            const char *other, const char *code, const char *const want[2])
{
    static const char *const langs[] = {"tr", "en"};
    struct crypto_seal_key k;
    char err[512], sealed[CRYPTO_SEAL_TEXT_MAX];
    crypto_seal_key_dev(&k);
    assert_int_equal(crypto_seal(&k, dedupe, code, sealed, sizeof sealed), 0);
    assert_false(notify_tpl_has_email(t));
    assert_true(notify_tpl_has_sms(t));
    assert_true(notify_tpl_has_code(t));
    assert_int_equal(notify_tpl_by_name(name), t);
    assert_null(notify_tpl_builtin("tr", t, false));
    const struct notify_var v[] = {
        {"number", "2026-000123"}, {"minutes", "5"}, {"seconds", "300"}, {"code", "999999"}};
    char *params = notify_params_json(v, 4);
    assert_non_null(params);
    for (size_t l = 0; l < 2; l++) {
        struct notify_templates *set = NULL;
        assert_int_equal(notify_templates_load(NULL, langs[l], &set, err, sizeof err), 0);
        struct store_outbox_msg m = {.channel = "sms",
                                     .tpl = name,
                                     .params = params,
                                     .dedupe_key = dedupe,
                                     .secret = sealed,
                                     .secret_until = 1};
        struct ubuf text = UBUF_INIT(4096), sent = UBUF_INIT(4096), subj = UBUF_INIT(1024);
        const char *why = NULL;
        assert_int_equal(notify_outbox_render(set, "https://p/", &m, NULL, &text, &why), 0);
        assert_non_null(strstr(ubuf_str(&text), NOTIFY_CODE_MARK));
        assert_null(strstr(ubuf_str(&text), "999999"));
        assert_int_equal(notify_code_fill(&k, &m, ubuf_str(&text), &sent, NULL), 0);
        assert_string_equal(ubuf_str(&sent), want[l]);
        /* sealed for another key string it does not open */
        m.dedupe_key = other;
        ubuf_reset(&sent);
        assert_int_equal(notify_code_fill(&k, &m, ubuf_str(&text), &sent, &why), -1);
        assert_string_equal(why, "code_withdrawn");
        m.dedupe_key = dedupe;
        /* the outbox's view without the key: the mask */
        ubuf_reset(&sent);
        assert_int_equal(notify_code_mask(&m, ubuf_str(&text), &sent), 0);
        assert_non_null(strstr(ubuf_str(&sent), NOTIFY_CODE_MASK));
        assert_null(strstr(ubuf_str(&sent), code));
        /* never as an e-mail */
        m.channel = "email";
        ubuf_reset(&text);
        assert_int_equal(notify_outbox_render(set, "https://p/", &m, &subj, &text, &why), -1);
        assert_string_equal(why, "no_email_form");
        assert_int_equal(notify_render(set, t, false, v, 3, &subj, &text), -1);
        /* a value holding the mark would take the code's place */
        m.channel = "sms";
        m.params = "{\"number\":\"{code}\",\"minutes\":\"5\",\"seconds\":\"300\"}";
        assert_int_equal(notify_outbox_render(set, "https://p/", &m, NULL, &text, &why), -1);
        assert_string_equal(why, "bad_params");
        ubuf_free(&text);
        ubuf_free(&sent);
        ubuf_free(&subj);
        notify_templates_free(set);
    }
    free(params);
}

/* An operator's file for t (name.sms.txt in dir/lang): with the mark (text), it is the text
 * (rendered: want); without it (unmarked), or with it twice, refused; then, one by one, each of
 * leaks (a file name and its text: the mark in another template) refused. */
static void code_file_checks(enum notify_tpl t, const char *name, const char *lang,
                             const char *text, const char *want, const char *unmarked,
                             const char *const (*leaks)[2], size_t nleaks)
{
    const struct notify_var v[] = {
        {"number", "2026-000123"}, {"minutes", "5"}, {"seconds", "300"}, {"code", "999999"}};
    char dir[] = "/tmp/eimza-tpl.XXXXXX", sub[64], path[160], other[160], err[512], msg[160];
    tpl_dir_make(dir, lang, sub, sizeof sub);
    snprintf(path, sizeof path, "%s/%s.sms.txt", sub, name);
    struct notify_templates *set = NULL;
    put_file(path, text);
    assert_int_equal(notify_templates_load(dir, lang, &set, err, sizeof err), 0);
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(notify_render(set, t, true, v, 4, NULL, &b), 0);
    assert_string_equal(ubuf_str(&b), want);
    ubuf_free(&b);
    notify_templates_free(set);
    put_file(path, unmarked);
    assert_int_equal(notify_templates_load(dir, lang, &set, err, sizeof err), -1);
    assert_null(set);
    snprintf(msg, sizeof msg, "%s.sms.txt: the code placeholder {code} is missing", name);
    assert_non_null(strstr(err, msg));
    put_file(path, "{code} {number} {code}\n");
    assert_int_equal(notify_templates_load(dir, lang, &set, err, sizeof err), -1);
    snprintf(msg, sizeof msg, "%s.sms.txt: the code placeholder {code} may be used only once",
             name);
    assert_non_null(strstr(err, msg));
    unlink(path);
    for (size_t i = 0; i < nleaks; i++) {
        snprintf(other, sizeof other, "%s/%s", sub, leaks[i][0]);
        put_file(other, leaks[i][1]);
        assert_int_equal(notify_templates_load(dir, lang, &set, err, sizeof err), -1);
        assert_non_null(strstr(err, "unknown placeholder {code}"));
        unlink(other);
    }
    tpl_dir_remove(dir, sub);
}

/* The SMS code's message (app/portal_otp.c), kept as otp_code and its values (code_sms_checks);
 * an operator's file without the mark, with it twice, or the mark in any other template (an
 * e-mail's subject or body, another SMS) is refused at load. */
static void test_otp_code(void **state)
{
    (void)state;
    static const char *const want[2] = {
        "e-imza başvurunuz (2026-000123) için SMS onay kodunuz: 481516. Kod 5 dakika (300 "
        "saniye) geçerlidir. Bu kodu kimseyle paylaşmayınız.",
        "Your SMS confirmation code for your e-signature application (2026-000123): 481516. The "
        "code is valid for 5 minutes (300 seconds). Do not share this code with anyone."};
    code_sms_checks(NOTIFY_TPL_OTP_CODE, "otp_code", "otp:2026-000123:2", "pin:2026-000123:2",
                    "481516", want);
    static const char *const leaks[][2] = {
        {"reminder_code.email.txt", "Subject: {code}\n\nbody {number}\n"},
        {"reminder_code.email.txt", "Subject: x\n\nyour code {code}\n"},
        {"application_approved.sms.txt", "{number} {code}\n"},
    };
    code_file_checks(NOTIFY_TPL_OTP_CODE, "otp_code", "en",
                     "Code {code} for {number}, {minutes} min\n",
                     "Code {code} for 2026-000123, 5 min", "Your code for {number} is ready\n",
                     leaks, sizeof leaks / sizeof leaks[0]);
}

/* The card-PIN step's SMS code (app/flow_pin.c), kept as pin_code and its values like
 * otp_code (code_sms_checks); an operator's file with the mark taken, without it or with it
 * twice refused, and the PIN's other messages may not have the mark. */
static void test_pin_code(void **state)
{
    (void)state;
    static const char *const want[2] = {
        "e-imza kartınızın (2026-000123) PIN'ini görmek için SMS kodunuz: 271828. Kod 5 dakika "
        "geçerlidir. Bu kodu kimseyle paylaşmayınız.",
        "Your SMS code to see the PIN of your e-signature card (2026-000123): 271828. The code "
        "is valid for 5 minutes. Do not share this code with anyone."};
    code_sms_checks(NOTIFY_TPL_PIN_CODE, "pin_code", "pin:2026-000123:3", "otp:2026-000123:3",
                    "271828", want);
    assert_false(notify_tpl_has_code(NOTIFY_TPL_CARD_PIN_READY));
    static const char *const leaks[][2] = {{"card_pin_ready.sms.txt", "{number} {code}\n"}};
    code_file_checks(NOTIFY_TPL_PIN_CODE, "pin_code", "tr",
                     "PIN kodu {code} ({number}), {minutes} dk\n",
                     "PIN kodu {code} (2026-000123), 5 dk", "PIN kodunuz ({number}) hazır\n", leaks,
                     sizeof leaks / sizeof leaks[0]);
}

static void test_email_form(void **state)
{
    (void)state;
    struct ubuf m = UBUF_INIT(65536);
    char body[2048];
    snprintf(body, sizeof body, "Sayın Ayşe,\n.\n.nokta\nsatır sonunda boşluk \n%s\n= eşittir",
             "çok uzun bir satır çok uzun bir satır çok uzun bir satır çok uzun bir satır çok "
             "uzun bir satır");
    assert_int_equal(notify_smtp_message("eimza@meb.gov.tr", "a@b.org",
                                         "e-İmza sertifikanızın süresi 01.06.2025 tarihinde "
                                         "doluyor ve bu konu satırı oldukça uzun",
                                         body, 42, 1700000000, 1700000000, &m),
                     0);
    const char *s = ubuf_str(&m);
    assert_non_null(strstr(s, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
    assert_non_null(strstr(s, "Message-ID: <eimza.42.1700000000@meb.gov.tr>\r\n"));
    assert_non_null(strstr(s, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(s, "?=\r\n =?UTF-8?B?")); /* folded into several words */
    assert_non_null(strstr(s, "Content-Transfer-Encoding: quoted-printable\r\n"));
    const char *b = strstr(s, "\r\n\r\n");
    assert_non_null(b);
    /* every line <= 76, CRLF only, no lone dot, no line starting with a dot */
    for (const char *l = b + 4; *l;) {
        const char *e = strstr(l, "\r\n");
        assert_non_null(e);
        assert_true(e - l <= 76);
        assert_false(e - l == 1 && *l == '.');
        assert_true(*l != '.');
        assert_null(memchr(l, '\n', (size_t)(e - l)));
        l = e + 2;
    }
    assert_non_null(strstr(b, "=2E\r\n=2Enokta"));
    assert_non_null(strstr(b, "bo=C5=9Fluk=20\r\n")); /* a blank before the line end */
    assert_non_null(strstr(b, "=3D e=C5=9Fittir"));
    /* each encoded word holds whole characters: decoding them one by one gives valid text */
    ubuf_reset(&m);
    assert_int_equal(
        notify_smtp_message("eimza@meb.gov.tr", "a@b.org", "x\r\nBcc: c@d.org", "b", 1, 1, 1, &m),
        -1);
    assert_int_equal(
        notify_smtp_message("eimza@meb.gov.tr", "a@b.org\r\nX: y", "x", "b", 1, 1, 1, &m), -1);
    assert_int_equal(notify_smtp_message("not an address", "a@b.org", "x", "b", 1, 1, 1, &m), -1);
    ubuf_free(&m);
}

static void test_smtp_settings(void **state)
{
    (void)state;
    struct notify_smtp *c = NULL;
    char err[256];
    struct notify_smtp_cfg cfg = {.url = "http://x/", .from = "a@b.org", .timeout_seconds = 5};
    assert_int_equal(notify_smtp_new(&cfg, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "smtp://"));
    cfg.url = "smtp://127.0.0.1:25";
    cfg.from = "nobody";
    assert_int_equal(notify_smtp_new(&cfg, &c, err, sizeof err), -1);
    cfg.from = "a@b.org";
    cfg.password = "secret-pw";
    assert_int_equal(notify_smtp_new(&cfg, &c, err, sizeof err), -1);
    assert_null(strstr(err, "secret-pw"));
    cfg.password = NULL;
    cfg.url = "smtps://127.0.0.1:465";
    cfg.starttls = true;
    assert_int_equal(notify_smtp_new(&cfg, &c, err, sizeof err), -1);
    cfg.starttls = false;
    assert_int_equal(notify_smtp_new(&cfg, &c, err, sizeof err), 0);
    /* a recipient that is not an address fails without a connection */
    struct store_outbox_msg m = {
        .id = 1, .channel = "email", .recipient = "5321234567", .subject = "s", .body = "b"};
    char why[NOTIFY_WHY_MAX];
    assert_int_equal(notify_smtp_send(c, NULL, &m, why), NOTIFY_FAILED);
    assert_string_equal(why, "bad_recipient");
    notify_smtp_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_is_the_files),
        cmocka_unit_test(test_deployed),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_decision_directory),
        cmocka_unit_test(test_counted),
        cmocka_unit_test(test_counted_directory),
        cmocka_unit_test(test_unused_files),
        cmocka_unit_test(test_otp_code),
        cmocka_unit_test(test_pin_code),
        cmocka_unit_test(test_email_form),
        cmocka_unit_test(test_smtp_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
