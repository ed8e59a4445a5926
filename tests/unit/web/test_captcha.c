/* Unit tests for web/html/captcha.c and captcha_audio.c: the PNG decodes to the promised size
 * and shows the characters, the distortion follows the seed (same seed, same bytes; another seed,
 * another picture), the built-in font stands in when no TrueType font can be used, the WAV
 * is a well-formed PCM file with sound in it whose length grows with the text, bad input is
 * refused without touching the output, and concurrent callers get the same results as one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gd.h>
#include <pthread.h>

#include "web/html/captcha.h"

#define BIG (1u << 22)

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Decodes the PNG after checking its signature; checks the size. */
static gdImagePtr decode(const struct ubuf *b)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(b->len > sizeof sig);
    assert_memory_equal(b->p, sig, sizeof sig);
    gdImagePtr im = gdImageCreateFromPngPtr((int)b->len, b->p);
    assert_non_null(im);
    assert_int_equal(gdImageSX(im), WEB_CAPTCHA_WIDTH);
    assert_int_equal(gdImageSY(im), WEB_CAPTCHA_HEIGHT);
    return im;
}

/* How many pixels differ clearly (by more than a faint tint) between two captchas drawn with
 * the same seed. The seed fixes every random choice, whatever the characters, so for texts
 * of the same length only the glyphs can make a difference. */
static int glyph_pixels(const char *t1, const char *t2, uint64_t seed)
{
    struct ubuf a = UBUF_INIT(BIG), b = UBUF_INIT(BIG);
    assert_int_equal(web_captcha_png(t1, seed, &a), 0);
    assert_int_equal(web_captcha_png(t2, seed, &b), 0);
    gdImagePtr ia = decode(&a), ib = decode(&b);
    int differ = 0;
    for (int y = 0; y < WEB_CAPTCHA_HEIGHT; y++) {
        for (int x = 0; x < WEB_CAPTCHA_WIDTH; x++) {
            int ca = gdImageGetTrueColorPixel(ia, x, y), cb = gdImageGetTrueColorPixel(ib, x, y);
            int d = abs(gdTrueColorGetRed(ca) - gdTrueColorGetRed(cb)) +
                    abs(gdTrueColorGetGreen(ca) - gdTrueColorGetGreen(cb)) +
                    abs(gdTrueColorGetBlue(ca) - gdTrueColorGetBlue(cb));
            differ += d > 90;
        }
    }
    gdImageDestroy(ia);
    gdImageDestroy(ib);
    ubuf_free(&a);
    ubuf_free(&b);
    return differ;
}

static void test_png_is_valid(void **state)
{
    (void)state;
    /* Every character of the alphabet, every length. */
    const char *texts[] = {"AB34", "ABCDEFGH", "JKMNPRST", "UVYZ2345", "6789", "ZZZZZ", "HEY29A7"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct ubuf b = UBUF_INIT(BIG);
        assert_int_equal(web_captcha_png(texts[i], 1000 + i, &b), 0);
        gdImageDestroy(decode(&b));
        ubuf_free(&b);
    }
}

static void test_png_draws_the_text(void **state)
{
    (void)state;
    assert_int_equal(glyph_pixels("ABCD", "ABCD", 5), 0);
    /* Four characters of about 30x30 pixels, each replaced by another: much ink moves. */
    assert_true(glyph_pixels("ABCD", "6789", 5) > 600);
    assert_true(glyph_pixels("HMNKRT", "ZZZZZZ", 6) > 600);
    /* One character changed, only around that character. */
    int one = glyph_pixels("ABCD", "ABCE", 5);
    assert_true(one > 30);
    assert_true(one < glyph_pixels("ABCD", "6789", 5));
}

static void test_png_follows_seed(void **state)
{
    (void)state;
    struct ubuf a = UBUF_INIT(BIG), b = UBUF_INIT(BIG), c = UBUF_INIT(BIG), d = UBUF_INIT(BIG);
    assert_int_equal(web_captcha_png("K7M2PR", 42, &a), 0);
    assert_int_equal(web_captcha_png("K7M2PR", 42, &b), 0);
    assert_int_equal(web_captcha_png("K7M2PR", 43, &c), 0);
    assert_int_equal(web_captcha_png("K7M2PS", 42, &d), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.p, b.p, a.len);
    assert_true(a.len != c.len || memcmp(a.p, c.p, a.len) != 0);
    assert_true(a.len != d.len || memcmp(a.p, d.p, a.len) != 0);
    /* Appends: a second picture goes after the first, which stays intact. */
    size_t first = a.len;
    assert_int_equal(web_captcha_png("K7M2PR", 42, &a), 0);
    assert_int_equal(a.len, 2 * first);
    assert_memory_equal(a.p + first, b.p, first);
    ubuf_free(&a);
    ubuf_free(&b);
    ubuf_free(&c);
    ubuf_free(&d);
}

static void test_png_builtin_font(void **state)
{
    (void)state;
    struct ubuf ttf = UBUF_INIT(BIG), none = UBUF_INIT(BIG), broken = UBUF_INIT(BIG);
    assert_int_equal(web_captcha_png("HEY29", 7, &ttf), 0);
    /* Empty: no TrueType font at all. */
    assert_int_equal(setenv("EIMZA_CAPTCHA_FONT", "", 1), 0);
    assert_int_equal(web_captcha_png("HEY29", 7, &none), 0);
    /* A font FreeType cannot open falls back to the same built-in drawing. */
    assert_int_equal(setenv("EIMZA_CAPTCHA_FONT", "/nonexistent/eimza-font.ttf", 1), 0);
    assert_int_equal(web_captcha_png("HEY29", 7, &broken), 0);
    /* The built-in font draws the characters too. */
    assert_true(glyph_pixels("ABCD", "6789", 5) > 600);
    assert_int_equal(unsetenv("EIMZA_CAPTCHA_FONT"), 0);

    gdImageDestroy(decode(&none));
    assert_true(ttf.len != none.len || memcmp(ttf.p, none.p, ttf.len) != 0);
    assert_int_equal(none.len, broken.len);
    assert_memory_equal(none.p, broken.p, none.len);
    ubuf_free(&ttf);
    ubuf_free(&none);
    ubuf_free(&broken);
}

static void test_bad_text_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "",          /* empty */
        "ABC",       /* too short */
        "ABCDEFGHJ", /* too long */
        "ABCO",      /* O is not in the alphabet (0/O look alike) */
        "AB1D",      /* nor 1 */
        "abcd",      /* lower case */
        "AbCD",      /* one lower-case letter */
        "AB D",      /* a space */
        "AB\xc3\x87"
        "D",      /* Ç, not in the alphabet */
        "ABCD\n", /* a control character */
    };
    struct ubuf b = UBUF_INIT(BIG);
    assert_int_equal(ubuf_puts(&b, "keep"), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(web_captcha_png(bad[i], 1, &b), -1);
        assert_int_equal(web_captcha_wav(bad[i], CORE_LANG_TR, &b), -1);
        assert_int_equal(web_captcha_wav(bad[i], CORE_LANG_EN, &b), -1);
    }
    assert_int_equal(web_captcha_png(NULL, 1, &b), -1);
    assert_int_equal(web_captcha_wav(NULL, CORE_LANG_TR, &b), -1);
    assert_int_equal(web_captcha_png("ABCD", 1, NULL), -1);
    assert_int_equal(web_captcha_wav("ABCD", CORE_LANG_TR, NULL), -1);
    assert_int_equal(web_captcha_wav("ABCD", (enum core_lang)7, &b), -1);
    /* Valid text, but the output's cap is too small: -1, and nothing half-written. */
    struct ubuf small = UBUF_INIT(100);
    assert_int_equal(ubuf_puts(&small, "keep"), 0);
    assert_int_equal(web_captcha_png("ABCD", 1, &small), -1);
    assert_int_equal(web_captcha_wav("ABCD", CORE_LANG_TR, &small), -1);
    assert_string_equal(ubuf_str(&small), "keep");
    assert_string_equal(ubuf_str(&b), "keep");
    ubuf_free(&small);
    ubuf_free(&b);
}

struct wav_info {
    uint32_t rate;
    size_t samples;
    int peak; /* the largest absolute sample */
};

/* Checks the RIFF/WAVE/PCM header against the buffer and summarises the samples. */
static struct wav_info check_wav(const struct ubuf *b)
{
    const unsigned char *p = (const unsigned char *)b->p;
    struct wav_info w = {0, 0, 0};
    assert_true(b->len > 44);
    assert_memory_equal(p, "RIFF", 4);
    assert_int_equal(le32(p + 4), b->len - 8);
    assert_memory_equal(p + 8, "WAVEfmt ", 8);
    assert_int_equal(le32(p + 16), 16);
    assert_int_equal(le16(p + 20), 1); /* PCM */
    assert_int_equal(le16(p + 22), 1); /* mono */
    w.rate = le32(p + 24);
    assert_true(w.rate >= 8000 && w.rate <= 48000);
    assert_int_equal(le32(p + 28), w.rate * 2);
    assert_int_equal(le16(p + 32), 2);
    assert_int_equal(le16(p + 34), 16);
    assert_memory_equal(p + 36, "data", 4);
    assert_int_equal(le32(p + 40), b->len - 44);
    assert_int_equal((b->len - 44) % 2, 0);
    w.samples = (b->len - 44) / 2;
    for (size_t i = 0; i < w.samples; i++) {
        int s = (int16_t)le16(p + 44 + 2 * i);
        s = s < 0 ? -s : s;
        w.peak = s > w.peak ? s : w.peak;
    }
    return w;
}

/* Within 5% of each other: the same words spoken twice. */
static bool similar_length(const struct ubuf *a, const struct ubuf *b)
{
    size_t lo = a->len < b->len ? a->len : b->len, hi = a->len < b->len ? b->len : a->len;
    return hi - lo <= hi / 20;
}

static void test_wav_spells_text(void **state)
{
    (void)state;
    struct ubuf tr4 = UBUF_INIT(BIG), tr8 = UBUF_INIT(BIG), en4 = UBUF_INIT(BIG);
    assert_int_equal(web_captcha_wav("AB34", CORE_LANG_TR, &tr4), 0);
    assert_int_equal(web_captcha_wav("AB34CDEF", CORE_LANG_TR, &tr8), 0);
    assert_int_equal(web_captcha_wav("AB34", CORE_LANG_EN, &en4), 0);
    struct wav_info a = check_wav(&tr4), b = check_wav(&tr8), c = check_wav(&en4);
    /* Four spelled characters with pauses: more than a second, less than ten. */
    assert_true(a.samples > a.rate && a.samples < 10 * (size_t)a.rate);
    assert_true(c.samples > c.rate && c.samples < 10 * (size_t)c.rate);
    /* Four more characters add at least a second (four names with their pauses). */
    assert_true(b.samples > a.samples + b.rate);
    /* Speech, not silence. */
    assert_true(a.peak > 2000 && b.peak > 2000 && c.peak > 2000);
    /* The languages really differ ("Be, üç" against "B, three"). */
    assert_true(tr4.len != en4.len || memcmp(tr4.p, en4.p, tr4.len) != 0);
    /* The same request again sounds the same, but not byte for byte: espeak-ng's output
     * varies a little from call to call (measured: a few milliseconds in length). */
    struct ubuf again = UBUF_INIT(BIG);
    assert_int_equal(web_captcha_wav("AB34", CORE_LANG_TR, &again), 0);
    assert_true(similar_length(&again, &tr4));
    ubuf_free(&again);
    ubuf_free(&tr4);
    ubuf_free(&tr8);
    ubuf_free(&en4);
}

/* ---- concurrency ------------------------------------------------------------------------- */

#define NTHREADS 4

struct job {
    int id;
    int png_rc, wav_rc;
    struct ubuf png, wav;
};

static void *render(void *arg)
{
    struct job *j = arg;
    j->png_rc = 0;
    for (int k = 0; k < 3 && j->png_rc == 0; k++) {
        ubuf_reset(&j->png);
        j->png_rc = web_captcha_png("M4TR8K", 99 + (uint64_t)j->id, &j->png);
    }
    j->wav_rc = web_captcha_wav("M4TR", j->id % 2 ? CORE_LANG_EN : CORE_LANG_TR, &j->wav);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct job jobs[NTHREADS];
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        jobs[i].id = i;
        ubuf_init(&jobs[i].png, BIG);
        ubuf_init(&jobs[i].wav, BIG);
    }
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, render, &jobs[i]), 0);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(jobs[i].png_rc, 0);
        assert_int_equal(jobs[i].wav_rc, 0);
        /* Drawn alone, the same seed gives the same bytes as drawn among other threads. */
        struct ubuf alone = UBUF_INIT(BIG);
        assert_int_equal(web_captcha_png("M4TR8K", 99 + (uint64_t)i, &alone), 0);
        assert_int_equal(alone.len, jobs[i].png.len);
        assert_memory_equal(alone.p, jobs[i].png.p, alone.len);
        ubuf_free(&alone);
        struct wav_info w = check_wav(&jobs[i].wav);
        assert_true(w.peak > 2000);
        struct ubuf said = UBUF_INIT(BIG);
        assert_int_equal(web_captcha_wav("M4TR", i % 2 ? CORE_LANG_EN : CORE_LANG_TR, &said), 0);
        assert_true(similar_length(&said, &jobs[i].wav));
        ubuf_free(&said);
        ubuf_free(&jobs[i].png);
        ubuf_free(&jobs[i].wav);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_is_valid),     cmocka_unit_test(test_png_draws_the_text),
        cmocka_unit_test(test_png_follows_seed), cmocka_unit_test(test_png_builtin_font),
        cmocka_unit_test(test_bad_text_refused), cmocka_unit_test(test_wav_spells_text),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
