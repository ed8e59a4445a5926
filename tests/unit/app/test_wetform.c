/* eimza — unit tests of the wet-signature PDF (app/wetform.c). The PDF is checked from the
 * outside, as a reader of the paper would: poppler's pdftotext must find the facts (Turkish
 * letters included) on the right pages, pdftoppm renders page 1 and zbarimg must read the
 * application number back from the QR code. The tools come with `make test` (poppler-utils,
 * zbar-tools); a missing tool fails the test rather than skipping it. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/wetform.h"

#define NOW     1718000000 /* 2024-06-10 06:13:20 UTC */
#define CREATED 1717900000 /* 2024-06-09 */
#define NUMBER  "7K3QZ9WX2M"
#define TCKN    "10000000146"
#define HASH    "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$SECRETHASHMARKER"

/* Long enough to need several lines, with a word break in every kind of place. */
#define LONG_ADDRESS                                                                                          \
    "Şehit Üsteğmen Ömer Çağlar Mahallesi, Gülüşlü Sokak No: 12/3, Hakkâri Apartmanı Kat: 4 "     \
    "Daire: 9, İhsan Doğramacı Bulvarı karşısı, Çınarlı Köyü yolu üzeri, Ilısu kavşağından " \
    "sonra sağdaki ikinci bina, Ağaçlı Park içi, Üniversite yerleşkesinin güney kapısının "        \
    "hemen yanındaki sarı boyalı öğretmenevi binasının arka tarafı"

#define SET(p, field, value) snprintf((p)->field, sizeof(p)->field, "%s", value)

static void sample(struct store_application *a)
{
    memset(a, 0, sizeof *a);
    a->id = 42;
    SET(a, number, NUMBER);
    SET(a, tckn, TCKN);
    SET(a, state, "code_verified");
    SET(a, first_name, "Çiğdem Ayşe");
    SET(a, last_name, "Şükrüoğlu Işık");
    SET(a, birth_place, "Iğdır");
    SET(a, birth_date, "1984-02-29");
    SET(a, institution_name, "Batman İl Millî Eğitim Müdürlüğü");
    SET(a, registry_no, "Ş-720455");
    SET(a, reason, "lost_stolen");
    SET(a, card_reader, "Masaüstü Kart Okuyucu");
    a->validity_years = 2;
    SET(a, security_word_hash, HASH);
    SET(a, unit, "Ölçme, Değerlendirme ve Sınav Hizmetleri Şubesi");
    SET(a, title, "Öğretmen (Türk Dili ve Edebiyatı)");
    SET(a, address, LONG_ADDRESS);
    a->province = 72;
    SET(a, district, "Beşiri");
    SET(a, postal_code, "72060");
    SET(a, email, "cigdem.sukruoglu@meb.gov.tr");
    SET(a, work_phone, "4882130000");
    SET(a, work_phone_ext, "1234");
    SET(a, mobile_phone, "5321234567");
    SET(a, mobile_operator, "turk_telekom");
    SET(a, home_phone, "4882121212");
    SET(a, notify_by, "both");
    SET(a, method, "wet");
    a->created_at = CREATED;
    a->updated_at = CREATED;
}

/* ---- helpers around the tools ------------------------------------------------------------ */

/* Each test gets a fresh directory for its files, removed by the teardown even when the
 * test failed half-way. */
struct tmp {
    char dir[64];
};

static int tmp_setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/eimza-wetform-XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp *t = *state;
    int rc = 0;
    DIR *d = opendir(t->dir);
    if (d) {
        struct dirent *e;
        char path[384];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", t->dir, e->d_name);
                rc |= unlink(path);
            }
        closedir(d);
    }
    rc |= rmdir(t->dir);
    free(t);
    return rc == 0 ? 0 : -1;
}

static void tmp_path(const struct tmp *t, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", t->dir, name);
}

static void write_file(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void need_tool(const char *tool)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) != 0)
        fail_msg("%s is not installed: apt-get install poppler-utils zbar-tools (make test "
                 "installs them)",
                 tool);
}

/* Runs cmd with sh and returns its standard output (malloc'd); the command must succeed. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        size_t k = fread(out + n, 1, 4096, p);
        n += k;
        if (k == 0)
            break;
    }
    out[n] = '\0';
    int st = pclose(p);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("command failed (status %d): %s", st, cmd);
    return out;
}

/* Folds every run of white space to one space, so text wrapped over lines compares as one. */
static void squeeze(char *s)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\f' || s[i] == '\r') {
            space = 1;
            continue;
        }
        if (space && o)
            s[o++] = ' ';
        space = 0;
        s[o++] = s[i];
    }
    s[o] = '\0';
}

static char *page_text(const char *pdf, int page)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -q -enc UTF-8 -layout -f %d -l %d '%s' -", page, page,
             pdf);
    char *t = run(cmd);
    squeeze(t);
    return t;
}

/* The text of pages first..last without spaces and line ends: text cut between letters
 * over lines reads whole. */
static char *flat_text(const char *pdf, int first, int last)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -q -enc UTF-8 -layout -f %d -l %d '%s' - | tr -d ' \\n'",
             first, last, pdf);
    return run(cmd);
}

static void expect_in(const char *text, const char *what)
{
    if (!strstr(text, what))
        fail_msg("\"%s\" not found in the text:\n%s", what, text);
}

static void expect_not_in(const char *text, const char *what)
{
    if (strstr(text, what))
        fail_msg("\"%s\" must not be in the text", what);
}

static void render(const struct store_application *a, unsigned char **pdf, size_t *len)
{
    char err[200] = "x";
    enum app_wetform_err rc = app_wetform_pdf(a, NOW, pdf, len, err, sizeof err);
    if (rc != APP_WETFORM_OK)
        fail_msg("app_wetform_pdf: %d %s", rc, err);
    assert_string_equal(err, "");
    assert_non_null(*pdf);
    assert_true(*len > 1000);
    assert_memory_equal(*pdf, "%PDF-", 5);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_text_of_both_pages(void **state)
{
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], cmd[256];
    unsigned char *pdf;
    size_t len;

    need_tool("pdftotext");
    need_tool("pdfinfo");
    sample(&a);
    render(&a, &pdf, &len);
    tmp_path(t, "form.pdf", path, sizeof path);
    write_file(path, pdf, len);

    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    char *info = run(cmd);
    squeeze(info);
    expect_in(info, "Pages: 2");
    expect_in(info, "Page size: 595.276 x 841.89 pts (A4)");
    expect_not_in(info, TCKN); /* no personal data in the metadata */
    free(info);

    char *p1 = page_text(path, 1);
    expect_in(p1, "E-İmza Sertifika Başvuru Formu");
    expect_in(p1, "Başvuru No: " NUMBER);
    expect_in(p1, "Başvuru Tarihi: 09.06.2024");
    expect_in(p1, "Başvuru Bilgileri");
    expect_in(p1, "Kişisel Bilgiler");
    expect_in(p1, "Kurum Bilgileri");
    expect_in(p1, "İletişim Bilgileri");
    expect_in(p1, "Kayıp/Çalıntı");
    expect_in(p1, "Masaüstü Kart Okuyucu");
    expect_in(p1, "2 Yıl");
    expect_in(p1, "Kimlik No " TCKN);
    expect_in(p1, "Ad ÇİĞDEM AYŞE");
    expect_in(p1, "Soyad ŞÜKRÜOĞLU IŞIK");
    expect_in(p1, "Doğum Yeri Iğdır");
    expect_in(p1, "Doğum Tarihi 29.02.1984");
    expect_in(p1, "Batman İl Millî Eğitim Müdürlüğü");
    expect_in(p1, "Ş-720455");
    expect_in(p1, "Ölçme, Değerlendirme ve Sınav Hizmetleri Şubesi");
    expect_in(p1, "Öğretmen (Türk Dili ve Edebiyatı)");
    expect_in(p1, "Kurum/Birim Adresi " LONG_ADDRESS);
    expect_in(p1, "İl Batman");
    expect_in(p1, "İlçe Beşiri");
    expect_in(p1, "Posta Kodu 72060");
    expect_in(p1, "cigdem.sukruoglu@meb.gov.tr");
    expect_in(p1, "0488 213 00 00 (Dahili: 1234)");
    expect_in(p1, "0532 123 45 67");
    expect_in(p1, "Türk Telekom");
    expect_in(p1, "0488 212 12 12");
    expect_in(p1, "E-posta ve SMS");
    expect_in(p1, "bütün zararlardan sorumlu olduğumu beyan ederim.");
    expect_in(p1, "İmza");
    expect_in(p1, "Tarih:");
    expect_in(p1, "Başvuru Sahibi: ÇİĞDEM AYŞE ŞÜKRÜOĞLU IŞIK");
    expect_not_in(p1, "Sertifika Sahibi Taahhütnamesi ");
    expect_not_in(p1, "SECRETHASHMARKER");
    expect_not_in(p1, "argon2");
    free(p1);

    char *p2 = page_text(path, 2);
    expect_in(p2, "Sertifika Sahibi Taahhütnamesi");
    expect_in(p2, NUMBER " numaralı başvurum");
    expect_in(p2, "PIN ve PUK kodlarımı");
    expect_in(p2, "444 5 576");
    expect_in(p2, "Sertifika Uygulama Esaslarını");
    expect_in(p2, "kabul, beyan ve taahhüt ederim.");
    expect_in(p2, "Adı Soyadı ÇİĞDEM AYŞE ŞÜKRÜOĞLU IŞIK");
    expect_in(p2, "T.C. Kimlik No " TCKN);
    expect_in(p2, "İmza");
    expect_in(p2, "Tarih:");
    expect_not_in(p2, "E-İmza Sertifika Başvuru Formu");
    expect_not_in(p2, "SECRETHASHMARKER");
    free(p2);

    free(pdf);
}

/* The declaration ("Aşağıda yazılı bütün bilgilerin ...") comes before the data it declares,
 * and the form says where the signed paper goes: the configured directorate's address, or the
 * directorate in general (issue 17, point 7). */
static void test_declaration_first_and_where_it_goes(void **state)
{
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], err[200];
    unsigned char *pdf;
    size_t len;

    need_tool("pdftotext");
    sample(&a);
    const char *to = "Batman İl Millî Eğitim Müdürlüğü DYS Birimi, Kültür Mah. Atatürk Bulvarı "
                     "No: 1, 72070 Merkez/Batman";
    assert_int_equal(app_wetform_pdf_to(&a, NOW, to, NULL, &pdf, &len, err, sizeof err),
                     APP_WETFORM_OK);
    tmp_path(t, "to.pdf", path, sizeof path);
    write_file(path, pdf, len);
    char *p1 = flat_text(path, 1, 1);
    const char *decl = strstr(p1, "Aşağıdayazılıbütünbilgilerindoğruolduğunu");
    const char *data = strstr(p1, "BaşvuruBilgileri");
    assert_non_null(decl);
    assert_non_null(data);
    assert_true(decl < data);
    expect_in(p1, "şuadresegönderiniz:BatmanİlMillîEğitimMüdürlüğüDYSBirimi,KültürMah.");
    expect_in(p1, "72070Merkez/Batman.");
    free(p1);
    free(pdf);
    /* without an address: the directorate, in words */
    render(&a, &pdf, &len);
    write_file(path, pdf, len);
    p1 = flat_text(path, 1, 1);
    expect_in(p1, "ilmillîeğitimmüdürlüğünüzünDYSbiriminegönderiniz");
    free(p1);
    free(pdf);
    /* an address that is not text is refused, like any value */
    assert_int_equal(app_wetform_pdf_to(&a, NOW, "\xff\xfe", NULL, &pdf, &len, err, sizeof err),
                     APP_WETFORM_EINVAL);
}

static void test_qr_gives_the_number(void **state)
{
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], png[128], cmd[512];
    unsigned char *pdf;
    size_t len;

    need_tool("pdftoppm");
    need_tool("zbarimg");
    sample(&a);
    render(&a, &pdf, &len);
    tmp_path(t, "form.pdf", path, sizeof path);
    write_file(path, pdf, len);
    tmp_path(t, "page1", png, sizeof png);

    snprintf(cmd, sizeof cmd, "pdftoppm -q -r 150 -png -f 1 -l 1 -singlefile '%s' '%s'", path, png);
    free(run(cmd));
    snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw '%s.png'", png);
    char *out = run(cmd);
    assert_string_equal(out, NUMBER "\n"); /* exactly one symbol, exactly the number */
    free(out);

    /* page 2 carries no code */
    snprintf(cmd, sizeof cmd,
             "pdftoppm -q -r 150 -png -f 2 -l 2 -singlefile '%s' '%s2' && "
             "{ zbarimg --quiet --raw '%s2.png'; test $? -eq 4; }",
             path, png, png);
    free(run(cmd));

    free(pdf);
}

/* Issue 17: with the portal's address the code holds the staff's search for the number, so
 * scanning the paper opens the application; an address that is no plain http(s) URL leaves the
 * number alone. */
static void test_qr_opens_the_application(void **state)
{
    static const struct {
        const char *portal_url, *want;
    } cases[] = {
        {"https://eimza.example.gov.tr/", "https://eimza.example.gov.tr/yonetim/ara?q=" NUMBER},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080/yonetim/ara?q=" NUMBER},
        {"ftp://example.org/", NUMBER},
        {"https://example.org/a b/", NUMBER},
        {"https://example.org/?x=1", NUMBER},
    };
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], png[128], cmd[512], want[128];

    need_tool("pdftoppm");
    need_tool("zbarimg");
    sample(&a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char *pdf;
        size_t len;
        char err[160];
        assert_int_equal(app_wetform_pdf_qr(&a, NOW, NULL, cases[i].portal_url, NULL, &pdf, &len,
                                            err, sizeof err),
                         APP_WETFORM_OK);
        tmp_path(t, "qr.pdf", path, sizeof path);
        write_file(path, pdf, len);
        tmp_path(t, "qr1", png, sizeof png);
        snprintf(cmd, sizeof cmd, "pdftoppm -q -r 150 -png -f 1 -l 1 -singlefile '%s' '%s'", path,
                 png);
        free(run(cmd));
        snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw '%s.png'", png);
        char *out = run(cmd);
        snprintf(want, sizeof want, "%s\n", cases[i].want);
        assert_string_equal(out, want);
        free(out);
        free(pdf);
    }
}

static void test_same_input_same_bytes(void **state)
{
    struct store_application a;
    unsigned char *p1, *p2, *p3;
    size_t n1, n2, n3;

    sample(&a);
    render(&a, &p1, &n1);
    render(&a, &p2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1);
    /* and the date is really in it */
    char err[200];
    assert_int_equal(app_wetform_pdf(&a, NOW + 86400, &p3, &n3, err, sizeof err), APP_WETFORM_OK);
    assert_true(n3 != n1 || memcmp(p1, p3, n1) != 0);
    free(p1);
    free(p2);
    free(p3);
}

/* Empty optional fields, a word wider than a line and the longest values the store allows
 * still give a readable document, the long text continuing on further lines. */
static void test_sparse_and_long_values(void **state)
{
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], word[121], want[200];
    unsigned char *pdf;
    size_t len;

    need_tool("pdftotext");
    sample(&a);
    for (size_t i = 0; i < 60; i++)
        memcpy(word + 2 * i, "ğ", 2);
    word[120] = '\0';
    snprintf(a.address, sizeof a.address, "Uzun%sSözcük Sonu", word);
    a.work_phone[0] = a.work_phone_ext[0] = a.home_phone[0] = '\0';
    a.security_word_hash[0] = '\0';
    SET(&a, card_reader, "none");
    a.province = 0;
    /* a unit name as long as the store allows, in short words */
    size_t u = 0;
    while (u + 6 < sizeof a.unit) {
        memcpy(a.unit + u, "Şube ", 6); /* Ş is two bytes */
        u += 6;
    }
    a.unit[u - 1] = '\0';

    render(&a, &pdf, &len);
    tmp_path(t, "sparse.pdf", path, sizeof path);
    write_file(path, pdf, len);
    char *p1 = page_text(path, 1);
    expect_in(p1, "Kart Okuyucu Tipi İstenmedi");
    expect_in(p1, "Güvenlik Sözcüğü Belirlenmedi");
    expect_in(p1, "Ev Telefonu -");
    expect_in(p1, "İl -");
    free(p1);

    /* the word wider than a line is cut between letters: without the spaces and line ends it
     * is whole, and so is the longest unit name */
    char *flat = flat_text(path, 1, 1);
    snprintf(want, sizeof want, "Uzun%sSözcükSonu", word);
    expect_in(flat, want);
    char units[sizeof a.unit];
    size_t k = 0;
    for (size_t i = 0; a.unit[i]; i++)
        if (a.unit[i] != ' ')
            units[k++] = a.unit[i];
    units[k] = '\0';
    expect_in(flat, units);
    free(flat);
    free(pdf);
}

/* Fills a text field to the last byte the store allows with Turkish words. */
#define FILL(p, field) fill((p)->field, sizeof(p)->field)
static void fill(char *f, size_t cap)
{
    static const char word[] = "Çağrı Öğün "; /* 16 bytes */
    size_t n = 0;
    while (n + 1 < cap) {
        f[n] = word[n % (sizeof word - 1)];
        n++;
    }
    while (n > 0 && ((unsigned char)f[n - 1] & 0xC0) == 0xC0)
        n--; /* never end on the first byte of a letter */
    while (n > 0 && f[n - 1] == ' ')
        n--;
    f[n] = '\0';
}

/* Every field at its longest: the form runs onto a further page instead of losing text, and
 * the undertaking still starts on a page of its own. */
static void test_longest_values_flow_onto_more_pages(void **state)
{
    struct store_application a;
    const struct tmp *t = *state;
    char path[128], cmd[256];
    unsigned char *pdf;
    size_t len;

    need_tool("pdftotext");
    need_tool("pdfinfo");
    sample(&a);
    FILL(&a, first_name);
    FILL(&a, last_name);
    FILL(&a, birth_place);
    FILL(&a, institution_name);
    FILL(&a, registry_no);
    FILL(&a, card_reader);
    FILL(&a, unit);
    FILL(&a, title);
    FILL(&a, address);
    FILL(&a, district);
    render(&a, &pdf, &len);
    tmp_path(t, "long.pdf", path, sizeof path);
    write_file(path, pdf, len);

    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | sed -n 's/^Pages: *//p'", path);
    char *pages = run(cmd);
    int n = (int)strtol(pages, NULL, 10);
    free(pages);
    assert_true(n >= 3);

    char *form = flat_text(path, 1, n - 1), *last = flat_text(path, n, n);
    char want[sizeof a.address];
    size_t k = 0;
    for (size_t i = 0; a.address[i]; i++)
        if (a.address[i] != ' ')
            want[k++] = a.address[i];
    want[k] = '\0';
    expect_in(form, want);
    expect_in(form, "E-İmzaSertifikaBaşvuruFormu");
    expect_not_in(form, "SertifikaSahibiTaahhütnamesiKamuSM");
    expect_in(last, "SertifikaSahibiTaahhütnamesiKamuSM");
    expect_in(last, "T.C.KimlikNo" TCKN);
    free(form);
    free(last);
    free(pdf);
}

static void expect_error(const struct store_application *a, const struct app_wetform_fonts *f,
                         enum app_wetform_err want)
{
    unsigned char *pdf = (unsigned char *)"not touched";
    size_t len = 99;
    char err[200] = "";
    enum app_wetform_err rc = app_wetform_pdf_fonts(a, NOW, f, &pdf, &len, err, sizeof err);
    assert_int_equal(rc, want);
    assert_null(pdf);
    assert_int_equal(len, 0);
    assert_true(strlen(err) > 0);
    /* the message is for a log: no personal data */
    assert_null(strstr(err, TCKN));
    assert_null(strstr(err, "Çiğdem"));
}

static void test_missing_or_bad_font(void **state)
{
    struct store_application a;
    sample(&a);
    struct app_wetform_fonts none = {"/nonexistent/DejaVuSans.ttf", NULL};
    expect_error(&a, &none, APP_WETFORM_EFONT);
    /* the regular font loads, then the bold one is missing: the half-built document goes */
    struct app_wetform_fonts nobold = {NULL, "/nonexistent/DejaVuSans-Bold.ttf"};
    expect_error(&a, &nobold, APP_WETFORM_EFONT);
    /* a file that is not a font: libharu's own error comes back through the handler */
    char self[512];
    const char *src = getenv("EIMZA_SOURCE_DIR");
    snprintf(self, sizeof self, "%s/tests/unit/app/test_wetform.c", src ? src : ".");
    struct app_wetform_fonts notfont = {self, NULL};
    expect_error(&a, &notfont, APP_WETFORM_EFONT);
}

static void test_bad_input(void **state)
{
    struct store_application a;

    sample(&a);
    a.number[0] = '\0';
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    SET(&a, number, "ab'c");
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    memset(a.number, 'A', sizeof a.number); /* no terminating NUL */
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    SET(&a, tckn, "123");
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    SET(&a, first_name, "  ");
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    SET(&a, address, "Bozuk \xC3\x28 metin");
    expect_error(&a, NULL, APP_WETFORM_EINVAL);

    sample(&a);
    expect_error(NULL, NULL, APP_WETFORM_EINVAL);
    unsigned char *pdf;
    size_t len;
    assert_int_equal(app_wetform_pdf(&a, NOW, NULL, &len, NULL, 0), APP_WETFORM_EINVAL);
    assert_int_equal(app_wetform_pdf(&a, NOW, &pdf, NULL, NULL, 0), APP_WETFORM_EINVAL);
    assert_null(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_of_both_pages, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_qr_gives_the_number, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_qr_opens_the_application, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_declaration_first_and_where_it_goes, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_same_input_same_bytes, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_sparse_and_long_values, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_longest_values_flow_onto_more_pages, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_missing_or_bad_font, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
