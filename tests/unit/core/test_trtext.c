/* Unit tests for core/trtext.h: UTF-8 checking, normalisation, Turkish upper-case and the
 * comparison key, with decomposed input and the dotted/dotless i. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/trtext.h"

#define CAP 256

static void expect(int (*fn)(const char *, size_t, char *, size_t), const char *in,
                   const char *want)
{
    char out[CAP];
    int n = fn(in, strlen(in), out, sizeof out);
    if (n < 0 || strcmp(out, want) != 0)
        print_error("input \"%s\": got \"%s\" (%d), want \"%s\"\n", in, out, n, want);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(out, want);
}

static bool eq(const char *a, const char *b)
{
    return core_tr_equal(a, strlen(a), b, strlen(b));
}

static void test_fold_turkish_letters(void **state)
{
    (void)state;
    expect(core_tr_fold, "ayşe ışık", "AYŞE IŞIK");
    expect(core_tr_fold, "ali", "ALİ");
    expect(core_tr_fold, "i", "İ");
    expect(core_tr_fold, "ı", "I");
    expect(core_tr_fold, "İ", "İ");
    expect(core_tr_fold, "I", "I");
    expect(core_tr_fold, "çğıöşü", "ÇĞIÖŞÜ");
    expect(core_tr_fold, "ÇĞIİÖŞÜ", "ÇĞIİÖŞÜ");
    expect(core_tr_fold, "abcdefghijklmnopqrstuvwxyz",
           "ABCDEFGHİJKLMNOPQRSTUVWXYZ"); /* q, w, x too: ASCII upper-casing */
    expect(core_tr_fold, "0123 -_.,'", "0123 -_.,'");

    assert_true(eq("ayşe ışık", "AYŞE IŞIK"));
    assert_true(eq("ali", "ALİ"));
    assert_true(eq("i", "İ"));
    assert_true(eq("ı", "I"));
    assert_true(eq("Ayşe", "AYŞE"));
    /* ş is not s, and dotless I is not dotted İ. */
    assert_false(eq("ISIK", "IŞIK"));
    assert_false(eq("ali", "ALI"));
    assert_false(eq("ı", "i"));
    assert_false(eq("I", "İ"));
    assert_false(eq("cag", "çağ"));
    assert_false(eq("ogun", "öğün"));
}

static void test_circumflex(void **state)
{
    (void)state;
    expect(core_tr_fold, "Hakkâri", "HAKKARİ");
    expect(core_tr_fold, "HAKKÂRİ", "HAKKARİ");
    expect(core_tr_fold, "millî", "MİLLİ");
    expect(core_tr_fold, "MİLLÎ", "MİLLİ");
    expect(core_tr_fold, "Û û â Â î Î", "U U A A İ İ");
    assert_true(eq("HAKKÂRİ", "Hakkari"));
    assert_true(eq("kâğıt", "KAĞIT"));
    assert_false(eq("millî", "MILLI")); /* î is a dotted i */
    /* Upper-case for display keeps the circumflex. */
    expect(core_tr_upper, "hakkâri", "HAKKÂRİ");
    expect(core_tr_upper, "millî", "MİLLÎ");
    expect(core_tr_upper, "rûhî", "RÛHÎ");
}

static void test_decomposed(void **state)
{
    (void)state;
    /* İ as I + combining dot above, and İ lower-cased by a non-Turkish locale: i + dot. */
    expect(core_tr_fold, "I\u0307", "İ");
    expect(core_tr_fold, "i\u0307", "İ");
    expect(core_tr_fold, "\u0131\u0307", "İ");
    assert_true(eq("I\u0307stanbul", "İSTANBUL"));
    assert_true(eq("i\u0307stanbul", "istanbul"));
    assert_true(eq("i\u0307stanbul", "İstanbul"));
    assert_false(eq("Istanbul", "İstanbul"));
    /* Cedilla, breve, diaeresis, circumflex on both cases. */
    expect(core_tr_fold, "s\u0327S\u0327c\u0327C\u0327g\u0306G\u0306", "ŞŞÇÇĞĞ");
    expect(core_tr_fold, "o\u0308O\u0308u\u0308U\u0308", "ÖÖÜÜ");
    expect(core_tr_fold, "a\u0302A\u0302i\u0302I\u0302u\u0302U\u0302", "AAİİUU");
    assert_true(eq("Ays\u0327e Is\u0327\u0131k", "AYŞE IŞIK"));
    assert_true(eq("Go\u0308kc\u0327e", "GÖKÇE"));
    assert_true(eq("Hakka\u0302ri", "HAKKARİ"));
    /* normalize composes too (case kept), so stored names have one spelling. */
    expect(core_tr_normalize, "S\u0327ahin O\u0308ztu\u0308rk", "Şahin Öztürk");
    expect(core_tr_normalize, "I\u0307pek", "İpek");
    expect(core_tr_normalize, "i\u0307pek", "ipek");
    expect(core_tr_upper, "i\u0307pek s\u0327en", "İPEK ŞEN");
    /* Marks that make no Turkish letter stay as they are. */
    expect(core_tr_fold, "e\u0301", "E\u0301");
    expect(core_tr_fold, "g\u0327", "G\u0327");
    expect(core_tr_normalize, "\u0307a", "\u0307a");
    /* Only the mark right after the letter composes. */
    expect(core_tr_fold, "s \u0327", "S \u0327");
    expect(core_tr_fold, "s\u0327\u0327", "Ş\u0327");
    /* A letter takes every mark that still composes: extra dots on i, and with folding the
     * marks that compose with the folded letter, so a key never holds a composable pair. */
    expect(core_tr_normalize, "i\u0307\u0307", "i");
    expect(core_tr_fold, "i\u0307\u0307", "İ");
    expect(core_tr_fold, "\u0131\u0307\u0302", "İ");
    expect(core_tr_normalize, "\u00e2\u0302", "\u00e2\u0302");
    expect(core_tr_fold, "\u00e2\u0302", "A");
    expect(core_tr_upper, "i\u0307", "İ");
}

static void test_other_characters(void **state)
{
    (void)state;
    /* Non-ASCII code points other than the Turkish letters pass unchanged. */
    expect(core_tr_fold, "émile", "éMİLE");
    expect(core_tr_fold, "straße", "STRAßE");
    expect(core_tr_fold, "日本", "日本");
    expect(core_tr_fold, "a\xF0\x9F\x98\x80z", "A\xF0\x9F\x98\x80Z"); /* a 4-byte emoji */
    expect(core_tr_upper, "ñ", "ñ");
    expect(core_tr_normalize, "Émile", "Émile");
}

static void test_normalize_space(void **state)
{
    (void)state;
    expect(core_tr_normalize, "  Ayşe \t\r\n  Işık\u00a0 ", "Ayşe Işık");
    expect(core_tr_normalize, "Ayşe\u00a0\u00a0Nur", "Ayşe Nur");
    expect(core_tr_normalize, "a", "a");
    expect(core_tr_normalize, "", "");
    expect(core_tr_normalize, " \t\r\n\u00a0 ", "");
    expect(core_tr_normalize, "a b", "a b");
    expect(core_tr_upper, "  ali   veli ", "ALİ VELİ");
    expect(core_tr_fold, "\tali\nveli\r", "ALİ VELİ");
    assert_true(eq("  ali  veli ", "ALİ VELİ"));
    assert_false(eq("ali veli", "aliveli"));
    assert_true(eq("", "   "));
    assert_false(eq("", "a"));
    /* Other control characters are not white space here. */
    expect(core_tr_normalize, "a\vb", "a\vb");
    char out[8];
    assert_int_equal(core_tr_normalize(NULL, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_utf8_validity(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xC3",             /* truncated 2-byte */
        "a\xC3",            /* truncated at the end */
        "\xC3(",            /* bad continuation */
        "\x80",             /* lone continuation */
        "\xBF",             /* lone continuation */
        "\xC0\x80",         /* overlong NUL */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\xAF",     /* overlong 3-byte */
        "\xE0\x9F\xBF",     /* overlong 3-byte, highest */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xED\xBF\xBF",     /* surrogate U+DFFF */
        "\xF0\x80\x80\xAF", /* overlong 4-byte */
        "\xF0\x8F\xBF\xBF", /* overlong 4-byte, highest */
        "\xF4\x90\x80\x80", /* U+110000 */
        "\xF5\x80\x80\x80", /* lead byte past U+10FFFF */
        "\xFE",
        "\xFF",
        "\xE2\x82",     /* truncated 3-byte */
        "\xF0\x9F\x98", /* truncated 4-byte */
        "ay\xFE"
        "se",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = strlen(bad[i]);
        char out[CAP];
        assert_false(core_utf8_valid(bad[i], n));
        memset(out, 'x', sizeof out);
        assert_int_equal(core_tr_normalize(bad[i], n, out, sizeof out), -1);
        assert_string_equal(out, "");
        assert_int_equal(core_tr_upper(bad[i], n, out, sizeof out), -1);
        assert_int_equal(core_tr_fold(bad[i], n, out, sizeof out), -1);
        assert_false(core_tr_equal(bad[i], n, bad[i], n));
        assert_false(core_tr_equal("a", 1, bad[i], n));
    }
    static const char *const good[] = {
        "",
        "\x7F",
        "\xC2\x80",         /* U+0080 */
        "\xDF\xBF",         /* U+07FF */
        "\xE0\xA0\x80",     /* U+0800 */
        "\xED\x9F\xBF",     /* U+D7FF, just below the surrogates */
        "\xEE\x80\x80",     /* U+E000, just above */
        "\xEF\xBF\xBF",     /* U+FFFF */
        "\xF0\x90\x80\x80", /* U+10000 */
        "\xF4\x8F\xBF\xBF", /* U+10FFFF */
        "Ağrı İl Müdürlüğü",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(core_utf8_valid(good[i], strlen(good[i])));
        expect(core_tr_normalize, good[i], good[i]);
    }
    /* NUL is valid UTF-8 but refused by the transforms, whose results are C strings. */
    assert_true(core_utf8_valid("a\0b", 3));
    char out[CAP];
    assert_int_equal(core_tr_normalize("a\0b", 3, out, sizeof out), -1);
    assert_int_equal(core_tr_fold("a\0b", 3, out, sizeof out), -1);
    assert_false(core_tr_equal("a\0b", 3, "a", 1));
    assert_true(core_utf8_valid(NULL, 0));
    assert_false(core_utf8_valid(NULL, 1));
}

static void test_capacity(void **state)
{
    (void)state;
    char out[8];
    /* "ii" folds to "İİ": 4 bytes, one more than the input twice over. */
    assert_int_equal(core_tr_fold("ii", 2, out, 5), 4);
    assert_string_equal(out, "İİ");
    memset(out, 'x', sizeof out);
    assert_int_equal(core_tr_fold("ii", 2, out, 4), -1);
    assert_string_equal(out, "");
    assert_int_equal(core_tr_normalize("abc", 3, out, 4), 3);
    assert_int_equal(core_tr_normalize("abcd", 4, out, 4), -1);
    assert_string_equal(out, "");
    /* Trimmed space does not count against the capacity. */
    assert_int_equal(core_tr_normalize("   abc   ", 9, out, 4), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(core_tr_normalize("", 0, out, 1), 0);
    assert_int_equal(core_tr_normalize("a", 1, out, 1), -1);
    assert_int_equal(core_tr_normalize("a", 1, out, 0), -1);
    assert_int_equal(core_tr_normalize("a", 1, NULL, 8), -1);
}

/* ---- generated checks --------------------------------------------------------------------- */

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Pieces chosen to collide often under folding: the i's, s/ş, circumflexes, decomposed
 * letters, white space of every kind. */
static const char *const pieces[] = {
    "i",       "ı",       "I",       "İ", "I\u0307", "i\u0307", "s",       "ş",       "S",
    "Ş",       "s\u0327", "S\u0327", "a", "A",       "â",       "Â",       "a\u0302", "î",
    "Î",       "u",       "û",       "U", "ü",       "Ü",       "u\u0308", "g",       "ğ",
    "G\u0306", "c",       "ç",       " ", "\t",      "\u00a0",  "\r\n",    "é",       "ß",
    "\u0307",  "o",       "Ö",       "x", "\u0302",  "\u0308",  "\u0327",  "\u0306",
};

static void random_text(char *buf, size_t cap)
{
    size_t len = 0, count = rng() % 8;
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        size_t n = strlen(p);
        if (len + n + 1 > cap)
            break;
        memcpy(buf + len, p, n + 1);
        len += n;
    }
}

/* core_tr_equal agrees with comparing fold keys; the fold is idempotent; upper-casing then
 * folding is folding; normalising first changes nothing. */
static void test_property_fold_consistency(void **state)
{
    (void)state;
    int equal_pairs = 0;
    for (int round = 0; round < 20000; round++) {
        char a[64], b[64], ka[CAP], kb[CAP], kk[CAP], tmp[CAP];
        random_text(a, sizeof a);
        random_text(b, sizeof b);
        int na = core_tr_fold(a, strlen(a), ka, sizeof ka);
        int nb = core_tr_fold(b, strlen(b), kb, sizeof kb);
        assert_true(na >= 0 && nb >= 0);
        bool same = na == nb && memcmp(ka, kb, (size_t)na) == 0;
        assert_int_equal(core_tr_equal(a, strlen(a), b, strlen(b)), same);
        equal_pairs += same;

        assert_int_equal(core_tr_fold(ka, (size_t)na, kk, sizeof kk), na);
        assert_string_equal(kk, ka);
        assert_true(core_tr_equal(a, strlen(a), ka, (size_t)na));

        int nu = core_tr_upper(a, strlen(a), tmp, sizeof tmp);
        assert_true(nu >= 0);
        assert_int_equal(core_tr_fold(tmp, (size_t)nu, kk, sizeof kk), na);
        assert_string_equal(kk, ka);

        int nn = core_tr_normalize(a, strlen(a), tmp, sizeof tmp);
        assert_true(nn >= 0);
        assert_int_equal(core_tr_fold(tmp, (size_t)nn, kk, sizeof kk), na);
        assert_string_equal(kk, ka);
        /* Normalised text has no leading, trailing or doubled space. */
        if (nn > 0) {
            assert_true(tmp[0] != ' ' && tmp[nn - 1] != ' ');
            assert_null(strstr(tmp, "  "));
            assert_null(strchr(tmp, '\t'));
        }
    }
    assert_true(equal_pairs > 50); /* the generator does produce matches */
}

/* Names typed against a record: the two i's are one letter, nothing else is folded away. */
static void test_equal_i(void **state)
{
    (void)state;
#define EQ_I(a, b) core_tr_equal_i((a), strlen(a), (b), strlen(b))
    assert_true(EQ_I("EMINE", "EMİNE"));
    assert_true(EQ_I("emıne", "Emine"));
    assert_true(EQ_I("İŞİK", "Işık"));
    assert_true(EQ_I("işik", "IŞIK"));
    assert_true(EQ_I("Ayşe  Işık", " AYŞE IŞIK "));
    assert_false(
        core_tr_equal("EMINE", 5, "EMİNE", 6)); /* the strict comparison keeps them apart */
    assert_false(EQ_I("AYSE", "AYŞE"));
    assert_false(EQ_I("Isik", "Işık"));
    assert_false(EQ_I("EMINE", "EMINEE"));
    assert_false(EQ_I("", "I"));
    assert_true(EQ_I("", "  "));
    assert_false(core_tr_equal_i("\xff", 1, "\xff", 1)); /* not UTF-8: never equal */
#undef EQ_I
}

/* Issue 19, finding 7: the controls and format characters text may not hold, each one, and
 * the letters and marks that stay allowed around them. */
static void test_text_check(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        unsigned flags;
        enum core_text_check want;
    } cases[] = {
        {"Atatürk Cad. No: 5/2 Çankaya", 0, CORE_TEXT_OK},
        {"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", 0, CORE_TEXT_OK}, /* Arabic letters */
        {"a\xC2\xA0"
         "b",
         0, CORE_TEXT_OK}, /* NBSP */
        {"", 0, CORE_TEXT_OK},
        {"a\x01"
         "b",
         0, CORE_TEXT_CONTROL},
        {"a\x1f"
         "b",
         0, CORE_TEXT_CONTROL},
        {"a\tb", 0, CORE_TEXT_CONTROL},
        {"a\tb\r\nc", CORE_TEXT_BREAKS, CORE_TEXT_OK},
        {"a\x0b"
         "b",
         CORE_TEXT_BREAKS, CORE_TEXT_CONTROL},
        {"a\x7f"
         "b",
         0, CORE_TEXT_CONTROL},
        {"a\xC2\x85"
         "b",
         0, CORE_TEXT_CONTROL}, /* NEL, C1 */
        {"a\xE2\x80\xA8"
         "b",
         0, CORE_TEXT_CONTROL}, /* line separator */
        {"a\xE2\x80\xAE"
         "b",
         0, CORE_TEXT_BIDI}, /* RIGHT-TO-LEFT OVERRIDE */
        {"a\xE2\x80\xAA"
         "b",
         0, CORE_TEXT_BIDI}, /* LRE */
        {"a\xE2\x81\xA6"
         "b",
         0, CORE_TEXT_BIDI}, /* LRI */
        {"a\xE2\x81\xA9"
         "b",
         0, CORE_TEXT_BIDI}, /* PDI */
        {"a\xE2\x80\x8F"
         "b",
         0, CORE_TEXT_BIDI}, /* RLM */
        {"a\xD8\x9C"
         "b",
         0, CORE_TEXT_BIDI}, /* ARABIC LETTER MARK */
        {"a\xE2\x80\x8B"
         "b",
         0, CORE_TEXT_BIDI}, /* ZERO WIDTH SPACE */
        {"a\xEF\xBB\xBF"
         "b",
         0, CORE_TEXT_BIDI}, /* BOM inside */
        {"a\xE2\x80\xAF"
         "b",
         0, CORE_TEXT_OK}, /* U+202F narrow NBSP: just before U+2030 */
        {"a\xE2\x80\xA9\xff", 0, CORE_TEXT_NOT_UTF8},
        {"\xC0\x80", 0, CORE_TEXT_NOT_UTF8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (core_text_check(cases[i].s, strlen(cases[i].s), cases[i].flags) != cases[i].want)
            fail_msg("case %zu: got %d, want %d", i,
                     (int)core_text_check(cases[i].s, strlen(cases[i].s), cases[i].flags),
                     (int)cases[i].want);
    assert_int_equal(core_text_check("a\0b", 3, 0), CORE_TEXT_CONTROL); /* NUL inside */
    assert_null(core_text_check_code(CORE_TEXT_OK));
    assert_string_equal(core_text_check_code(CORE_TEXT_CONTROL), "control_character");
    assert_string_equal(core_text_check_code(CORE_TEXT_BIDI), "bidi_character");
    assert_string_equal(core_text_check_code(CORE_TEXT_NOT_UTF8), "not_utf8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_fold_turkish_letters),
        cmocka_unit_test(test_circumflex),
        cmocka_unit_test(test_decomposed),
        cmocka_unit_test(test_other_characters),
        cmocka_unit_test(test_normalize_space),
        cmocka_unit_test(test_utf8_validity),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_property_fold_consistency),
        cmocka_unit_test(test_equal_i),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
