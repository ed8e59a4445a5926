/* eimza — unit tests of who runs the portal and where people turn (app/site.c): the ministry's
 * names, the logo file (its kind checked by its first bytes, its size capped) and the
 * provinces' contacts file (columns by name in any order, a province by plate code or name,
 * each bad line named FILE:LINE with the reason, nothing kept from a file that failed). Files
 * are written into a temporary folder of this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/site.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/eimza-test-site.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const made[] = {"logo.svg", "logo.PNG",     "logo.gif",
                                       "fake.png", "fake.svg",     "empty.svg",
                                       "big.svg",  "contacts.csv", "bad.csv"};
    char path[128];
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[i]);
        unlink(path);
    }
    return rmdir(dir);
}

/* Writes n bytes of data to dir/name; returns the path (static buffer). */
static const char *file_n(const char *name, const void *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *file(const char *name, const char *text)
{
    return file_n(name, text, strlen(text));
}

static void test_names(void **state)
{
    (void)state;
    struct app_site s;
    char err[256];
    app_site_default(&s);
    assert_string_equal(s.ministry_name, "T.C. Millî Eğitim Bakanlığı");
    assert_string_equal(s.ministry_name_en, "Republic of Türkiye Ministry of National Education");
    assert_null(s.logo);
    assert_null(app_site_contact(&s, 72));

    assert_int_equal(
        app_site_names(&s, "T.C. Sağlık Bakanlığı", "Ministry of Health", err, sizeof err), 0);
    assert_string_equal(s.ministry_name, "T.C. Sağlık Bakanlığı");
    /* empty, not UTF-8, a control character, too long: refused, the names kept */
    char longer[APP_SITE_NAME_MAX + 8];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    const char *bad[] = {"", "Bakanl\xFF", "T.C.\nX", longer};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(app_site_names(&s, bad[i], "Ministry", err, sizeof err), -1);
        assert_non_null(strstr(err, "ministry_name"));
        assert_int_equal(app_site_names(&s, "Bakanlık", bad[i], err, sizeof err),
                         -2); /* the English name: -2 */
        assert_non_null(strstr(err, "ministry_name_en"));
    }
    assert_string_equal(s.ministry_name, "T.C. Sağlık Bakanlığı");
    app_site_free(&s);
}

static void test_logo(void **state)
{
    (void)state;
    struct app_site s;
    char err[256];
    app_site_default(&s);
    const char *svg = file("logo.svg", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/"
                                       "2000/svg\" viewBox=\"0 0 1 1\"></svg>\n");
    assert_int_equal(app_site_load_logo(&s, svg, err, sizeof err), 0);
    assert_non_null(s.logo);
    assert_string_equal(s.logo_type, "image/svg+xml");
    assert_non_null(memmem(s.logo, s.logo_len, "<svg", 4));

    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
    assert_int_equal(app_site_load_logo(&s, file_n("logo.PNG", png, sizeof png), err, sizeof err),
                     0);
    assert_string_equal(s.logo_type, "image/png");
    assert_int_equal(s.logo_len, sizeof png);

    /* each refusal says why, and the logo loaded before stays */
    static const struct {
        const char *name, *data, *why;
    } bad[] = {
        {"logo.gif", "GIF89a", "neither an .svg nor a .png"},
        {"fake.png", "<svg></svg>", "not what its name says"},
        {"fake.svg", "\x89PNG\r\n\x1a\n", "not what its name says"},
        {"empty.svg", "", "not a file of 1 to"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(app_site_load_logo(&s, file(bad[i].name, bad[i].data), err, sizeof err),
                         -1);
        if (!strstr(err, bad[i].why))
            fail_msg("%s: %s", bad[i].name, err);
    }
    err[0] = '\0';
    assert_int_equal(app_site_load_logo(&s, "/nonexistent/logo.svg", err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    /* larger than the cap */
    size_t big = APP_SITE_LOGO_MAX + 1;
    char *data = calloc(1, big);
    assert_non_null(data);
    memcpy(data, "<svg", 4);
    assert_int_equal(app_site_load_logo(&s, file_n("big.svg", data, big), err, sizeof err), -1);
    free(data);
    assert_string_equal(s.logo_type, "image/png");
    app_site_free(&s);
    assert_null(s.logo);
}

static void test_contacts(void **state)
{
    (void)state;
    struct app_site s;
    char err[256], to[1024];
    app_site_default(&s);
    /* columns in another order, ',' separated, a province by name, optional columns empty, a
     * byte order mark and a blank line */
    const char *ok = file("contacts.csv",
                          "\xEF\xBB\xBF"
                          "adres,il_kodu,birim,eposta,telefon\n"
                          "\"Kültür Mah. Atatürk Bulvarı No: 1, 72070 Merkez/Batman\",72,Batman İl "
                          "Millî Eğitim Müdürlüğü DYS Birimi,dys72@example.org,0488 213 00 00\n"
                          "\n"
                          "Konak/İzmir,İzmir,İzmir İl Millî Eğitim Müdürlüğü DYS Birimi,,\n");
    assert_int_equal(app_site_load_contacts(&s, ok, err, sizeof err), 0);
    assert_int_equal(s.ncontacts, 2);
    const struct app_province_contact *c = app_site_contact(&s, 72);
    assert_non_null(c);
    assert_string_equal(c->unit, "Batman İl Millî Eğitim Müdürlüğü DYS Birimi");
    assert_string_equal(c->address, "Kültür Mah. Atatürk Bulvarı No: 1, 72070 Merkez/Batman");
    assert_string_equal(c->phone, "0488 213 00 00");
    assert_string_equal(c->email, "dys72@example.org");
    c = app_site_contact(&s, 35);
    assert_non_null(c);
    assert_string_equal(c->phone, "");
    assert_null(app_site_contact(&s, 6));
    assert_null(app_site_contact(&s, 0));
    assert_null(app_site_contact(&s, 82));
    assert_null(app_site_contact(NULL, 72));
    app_site_send_to(&s, 72, to, sizeof to);
    assert_string_equal(to, "Batman İl Millî Eğitim Müdürlüğü DYS Birimi, Kültür Mah. Atatürk "
                            "Bulvarı No: 1, 72070 Merkez/Batman");
    app_site_send_to(&s, 6, to, sizeof to);
    assert_string_equal(to, "");

    /* each bad file: FILE:LINE and the reason, and the contacts read before stay as they were */
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"il_kodu;birim\n72;X\n", ":1: the header has no adres column"},
        {"il_kodu;birim;adres;birim\n", ":1: the column birim is named twice"},
        {"il_kodu;birim;adres\n72;X;Y\n99;X;Y\n", ":3: il_kodu '99' is no province"},
        {"il_kodu;birim;adres\nAtlantis;X;Y\n", ":2: il_kodu 'Atlantis' is no province"},
        {"il_kodu;birim;adres\n72;;Y\n", ":2: birim and adres are required"},
        {"il_kodu;birim;adres;eposta\n72;X;Y;not-mail\n", ":2: eposta 'not-mail' is not an"},
        {"il_kodu;birim;adres\n72;X;Y\nBatman;X;Y\n", ":3: province 72 is given twice"},
        {"il_kodu;birim;adres\n72;X\xFF;Y\n", ":2: a field is not UTF-8 text"},
        {"il_kodu;birim;adres\n72;\"X;Y\n", ":2: "},
        {"il_kodu;birim;adres\n", "no province in it"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        const char *path = file("bad.csv", bad[i].text);
        assert_int_equal(app_site_load_contacts(&s, path, err, sizeof err), -1);
        if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, bad[i].why))
            fail_msg("case %zu: '%s' does not name the file and '%s'", i, err, bad[i].why);
    }
    err[0] = '\0';
    assert_int_equal(app_site_load_contacts(&s, "/nonexistent/c.csv", err, sizeof err), -1);
    assert_non_null(strstr(err, "province_contacts: /nonexistent/c.csv"));
    assert_int_equal(s.ncontacts, 2);
    assert_non_null(app_site_contact(&s, 72));
    app_site_free(&s);
    assert_null(app_site_contact(&s, 72));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_logo),
        cmocka_unit_test(test_contacts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
