/* Differential tests for the fast paths of core/trtext.c, core_personnel_set(),
 * core_duty_parse() and core_email_valid(): the public functions are compared, on many
 * generated inputs, with the straightforward versions they replaced (below, as "ref_"; for
 * the text: validate all of it first, then walk it code point by code point, looking up every
 * character in the rules, which are written out as letters, not copied from trtext.c). The
 * generated text
 * mixes the things the fast paths treat specially: plain ASCII runs of every length around
 * the 8-byte steps, single and repeated white space of each kind, Turkish letters, combining
 * marks that compose and ones that do not (after letters, after spaces, at the start and the
 * end), NUL, and malformed UTF-8. Each input is copied into a heap block of exactly its size
 * so that AddressSanitizer catches a read past its end, and the output capacity varies so
 * that the "does not fit" paths are compared too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/personnel.h"
#include "core/trtext.h"

/* ==== the reference: the plain code point walk core/trtext.c was before the fast paths == */

#include <limits.h>

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at p (p < end), or 0 when there is none: bad lead
 * byte, truncated sequence, overlong form, surrogate or a value above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    size_t len;

    if (c < 0x80)
        return 1;
    if (c < 0xC2) /* a continuation byte, or a lead that could only start an overlong form */
        return 0;
    if (c < 0xE0) {
        len = 2;
    } else if (c < 0xF0) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* below: overlong */
        else if (c == 0xED)
            hi = 0x9F; /* above: UTF-16 surrogates */
    } else if (c < 0xF5) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above: past U+10FFFF */
    } else {
        return 0;
    }
    if ((size_t)(end - p) < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/* Decodes a sequence already known to be well formed. */
static uint32_t utf8_decode(const unsigned char *p, size_t len)
{
    switch (len) {
    case 1:
        return p[0];
    case 2:
        return ((uint32_t)(p[0] & 0x1F) << 6) | (uint32_t)(p[1] & 0x3F);
    case 3:
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
               (uint32_t)(p[2] & 0x3F);
    default:
        return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
               ((uint32_t)(p[2] & 0x3F) << 6) | (uint32_t)(p[3] & 0x3F);
    }
}

static size_t utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool ref_utf8_valid(const char *s, size_t n)
{
    if (!s)
        return n == 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        size_t len = utf8_seq_len(p, end);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

/* What the transforms accept: well-formed UTF-8 without NUL (the results are C strings, and
 * a NUL inside a name would silently cut it short). */
static bool text_ok(const char *s, size_t n)
{
    return ref_utf8_valid(s, n) && (n == 0 || memchr(s, '\0', n) == NULL);
}

/* ---- the normalising iterator ----------------------------------------------------------- */

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0;
}

/* The rules, written as the letters they are about rather than as code (core/trtext.c has them
 * as a table of code points and as switches; a copy of those here would check nothing): */

/* Each decomposed spelling, and the precomposed letter it makes. */
static const char *const ref_compositions[][2] = {
    {u8"c\u0327", u8"ç"}, {u8"C\u0327", u8"Ç"}, {u8"s\u0327", u8"ş"}, {u8"S\u0327", u8"Ş"},
    {u8"g\u0306", u8"ğ"}, {u8"G\u0306", u8"Ğ"}, {u8"o\u0308", u8"ö"}, {u8"O\u0308", u8"Ö"},
    {u8"u\u0308", u8"ü"}, {u8"U\u0308", u8"Ü"}, {u8"a\u0302", u8"â"}, {u8"A\u0302", u8"Â"},
    {u8"i\u0302", u8"î"}, {u8"ı\u0302", u8"î"}, {u8"I\u0302", u8"Î"}, {u8"u\u0302", u8"û"},
    {u8"U\u0302", u8"Û"}, {u8"I\u0307", u8"İ"}, {u8"i\u0307", u8"i"}, /* what a non-Turkish
                                                                         lower-casing makes of İ:
                                                                         just i */
    {u8"ı\u0307", u8"i"},
};

/* Case: the i-th letter of ref_alpha_lower (the Turkish alphabet, with q, w and x, and the
 * circumflex vowels) upper-cases to the i-th of ref_alpha_upper and folds to the i-th of
 * ref_alpha_folded, as does that upper-case letter itself; any other code point stays. */
static const char ref_alpha_lower[] = u8"abcçdefgğhıijklmnoöpqrsştuüvwxyzâîû";
static const char ref_alpha_upper[] = u8"ABCÇDEFGĞHIİJKLMNOÖPQRSŞTUÜVWXYZÂÎÛ";
static const char ref_alpha_folded[] = u8"ABCÇDEFGĞHIİJKLMNOÖPQRSŞTUÜVWXYZAİU";

#define REF_LETTERS 64

/* The code points of a well-formed string into cp (at most max); how many. */
static size_t ref_decode_all(const char *s, uint32_t *cp, size_t max)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    size_t n = 0;
    while (p < end && n < max) {
        size_t len = utf8_seq_len(p, end);
        assert_true(len > 0);
        cp[n++] = utf8_decode(p, len);
        p += len;
    }
    return n;
}

static struct {
    bool ready;
    size_t ncase;
    uint32_t lower[REF_LETTERS], upper[REF_LETTERS], folded[REF_LETTERS];
    uint32_t comp[sizeof ref_compositions / sizeof ref_compositions[0]][3]; /* base, mark, out */
} ref_rules;

static void ref_rules_load(void)
{
    if (ref_rules.ready)
        return;
    ref_rules.ncase = ref_decode_all(ref_alpha_lower, ref_rules.lower, REF_LETTERS);
    assert_int_equal(ref_decode_all(ref_alpha_upper, ref_rules.upper, REF_LETTERS),
                     ref_rules.ncase);
    assert_int_equal(ref_decode_all(ref_alpha_folded, ref_rules.folded, REF_LETTERS),
                     ref_rules.ncase);
    for (size_t i = 0; i < sizeof ref_compositions / sizeof ref_compositions[0]; i++) {
        assert_int_equal(ref_decode_all(ref_compositions[i][0], ref_rules.comp[i], 2), 2);
        assert_int_equal(ref_decode_all(ref_compositions[i][1], &ref_rules.comp[i][2], 1), 1);
    }
    ref_rules.ready = true;
}

static uint32_t compose(uint32_t base, uint32_t mark)
{
    ref_rules_load();
    for (size_t i = 0; i < sizeof ref_compositions / sizeof ref_compositions[0]; i++)
        if (ref_rules.comp[i][0] == base && ref_rules.comp[i][1] == mark)
            return ref_rules.comp[i][2];
    return 0;
}

enum tr_mode { TR_KEEP, TR_UPPER, TR_FOLD };

static uint32_t tr_map(uint32_t cp, enum tr_mode mode);

/* Walks text already checked by text_ok(), yielding code points mapped by mode. */
struct tr_iter {
    const unsigned char *p, *end;
    enum tr_mode mode;
    bool started; /* a non-space code point has been yielded */
};

static void tr_iter_init(struct tr_iter *it, const char *s, size_t n, enum tr_mode mode)
{
    it->p = (const unsigned char *)s;
    it->end = it->p + (s ? n : 0);
    it->mode = mode;
    it->started = false;
}

static uint32_t tr_peek(const struct tr_iter *it, size_t *len)
{
    *len = utf8_seq_len(it->p, it->end);
    return utf8_decode(it->p, *len);
}

/* Yields the next code point of the normalised, mapped text; false at the end. A run of white
 * space becomes one ' ' only when something follows it and something came before it.
 * A letter takes every mark after it that composes with it, either as it is or as mapped
 * ("i" + dot + dot is still i; with folding "â" + circumflex is Â, so A): the output then
 * never holds a pair that would compose, which makes folding idempotent and folding the
 * normalised or upper-cased text the same as folding the original. */
static bool tr_next(struct tr_iter *it, uint32_t *out)
{
    bool gap = false;
    size_t len = 0;
    uint32_t cp = 0;

    while (it->p < it->end) {
        cp = tr_peek(it, &len);
        if (!is_space(cp))
            break;
        it->p += len;
        gap = true;
    }
    if (it->p == it->end)
        return false;
    if (gap && it->started) {
        *out = ' '; /* the letter after the gap is read on the next call */
        return true;
    }
    it->p += len;
    while (it->p < it->end) {
        size_t mlen;
        uint32_t mark = tr_peek(it, &mlen);
        uint32_t composed = compose(cp, mark);
        if (!composed)
            composed = compose(tr_map(cp, it->mode), mark);
        if (!composed)
            break;
        cp = composed;
        it->p += mlen;
    }
    it->started = true;
    *out = tr_map(cp, it->mode);
    return true;
}

/* ---- case mapping ----------------------------------------------------------------------- */

static uint32_t tr_map(uint32_t cp, enum tr_mode mode)
{
    if (mode == TR_KEEP)
        return cp;
    ref_rules_load();
    for (size_t i = 0; i < ref_rules.ncase; i++)
        if (ref_rules.lower[i] == cp || ref_rules.upper[i] == cp)
            return mode == TR_UPPER ? ref_rules.upper[i] : ref_rules.folded[i];
    return cp;
}

static int tr_transform(const char *in, size_t n, char *out, size_t cap, enum tr_mode mode)
{
    struct tr_iter it;
    uint32_t cp;
    size_t len = 0;

    if (!out || cap == 0)
        return -1;
    out[0] = '\0';
    if (!text_ok(in, n))
        return -1;
    tr_iter_init(&it, in, n, mode);
    while (tr_next(&it, &cp)) {
        unsigned char enc[4];
        size_t k = utf8_encode(cp, enc);
        if (k >= cap - len || len + k > INT_MAX) {
            out[0] = '\0';
            return -1;
        }
        memcpy(out + len, enc, k);
        len += k;
    }
    out[len] = '\0';
    return (int)len;
}

static int ref_normalize(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_KEEP);
}

static int ref_upper(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_UPPER);
}

static int ref_fold(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_FOLD);
}

static bool ref_equal(const char *a, size_t an, const char *b, size_t bn)
{
    struct tr_iter ia, ib;
    uint32_t ca, cb;

    if (!text_ok(a, an) || !text_ok(b, bn))
        return false;
    tr_iter_init(&ia, a, an, TR_FOLD);
    tr_iter_init(&ib, b, bn, TR_FOLD);
    /* Comparing the keys' code points one by one is comparing their bytes (UTF-8 encodes each
     * code point one way), without building the keys. */
    for (;;) {
        bool ha = tr_next(&ia, &ca), hb = tr_next(&ib, &cb);
        if (!ha || !hb)
            return ha == hb;
        if (ca != cb)
            return false;
    }
}

/* ==== generated input ================================================================== */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static const char *const pieces[] = {
    /* ASCII: letters that change under upper-casing, and ones that do not */
    "a",
    "i",
    "I",
    "s",
    "S",
    "c",
    "g",
    "o",
    "u",
    "U",
    "A",
    "x",
    "Z",
    "5",
    "-",
    ".",
    "@",
    "'",
    /* white space of every kind, and control characters that are not white space */
    " ",
    " ",
    "  ",
    "\t",
    "\r\n",
    "\n",
    "\u00a0",
    "\v",
    "\x01",
    "\x7f",
    /* Turkish letters and circumflex vowels, both cases */
    "ı",
    "İ",
    "ş",
    "Ş",
    "ç",
    "Ç",
    "ğ",
    "Ğ",
    "ö",
    "Ö",
    "ü",
    "Ü",
    "â",
    "Â",
    "î",
    "Î",
    "û",
    "Û",
    /* combining marks: the five that compose, two in the same lead byte that do not, and
     * one with the other lead byte */
    "\u0302",
    "\u0306",
    "\u0307",
    "\u0308",
    "\u0327",
    "\u0301",
    "\u0331",
    "\u0345",
    /* other characters of each length */
    "é",
    "ß",
    "Ω",
    "€",
    "日",
    "\xF0\x9F\x98\x80",
    /* longer ASCII runs, around the 8-byte steps */
    "abcdefg",
    "ABCDEFGH",
    "istanbul",
    "0123456789abcdef",
    "kurum.adi@meb.gov.tr",
};

/* Malformed or refused bytes, used sparingly. */
static const char *const bad_pieces[] = {
    "\xFF",
    "\x80",
    "\xBF",
    "\xC3",
    "\xCC",
    "\xE2\x82",
    "\xF0\x9F\x98",
    "\xC0\x80",
    "\xED\xA0\x80",
    "\xF4\x90\x80\x80",
    "\xE0\x9F\xBF",
    "\xCC\xC0",
    "",
    /* a mark's lead byte followed by a byte that is no continuation but whose low bits would
     * spell a mark that composes with the letter before (U+0307 and U+0327) */
    "I\xCC\x47",
    "s\xCC\xE7",
    "i\xCC\x07",
};

/* Bytes that matter to the fast paths, for the raw-byte inputs. */
static const unsigned char hot_bytes[] = {
    'a',  'i',  'I',  ' ',  ' ',  '\t', '\n', '\r', 0x00, 0x21, 0x7F, 0x80, 0x87,
    0xA0, 0xA7, 0xB0, 0xBF, 0xC2, 0xC3, 0xC4, 0xC5, 0xCC, 0xCD, 0xE2, 0xF0,
};

/* Fills buf with generated text; returns its length. */
static size_t gen_text(char *buf, size_t cap, bool allow_bad)
{
    size_t len = 0, count = rng() % 12;
    int kind = (int)(rng() % 8);

    if (kind == 0) { /* raw bytes, mostly the interesting ones */
        count = rng() % 24;
        for (size_t i = 0; i < count && len < cap; i++) {
            unsigned char b =
                rng() % 4 ? hot_bytes[rng() % sizeof hot_bytes] : (unsigned char)rng();
            if (!allow_bad && (b >= 0x80 || b == 0))
                b = 'q';
            buf[len++] = (char)b;
        }
        return len;
    }
    for (size_t i = 0; i < count; i++) {
        const char *p;
        size_t n;
        if (allow_bad && rng() % 40 == 0) {
            p = bad_pieces[rng() % (sizeof bad_pieces / sizeof bad_pieces[0])];
            n = strlen(p);
            if (rng() % 3 == 0) { /* a NUL */
                p = "\0";
                n = 1;
            }
        } else {
            p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
            n = strlen(p);
        }
        if (len + n > cap)
            break;
        memcpy(buf + len, p, n);
        len += n;
    }
    return len;
}

/* A heap copy of exactly n bytes (at least one byte is allocated, but only n are valid). */
static char *exact_copy(const char *s, size_t n)
{
    char *c = malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, s, n);
    return c;
}

typedef int (*transform_fn)(const char *, size_t, char *, size_t);

static void show(const char *what, const char *s, size_t n)
{
    print_error("%s (%zu bytes):", what, n);
    for (size_t i = 0; i < n; i++)
        print_error(" %02X", (unsigned char)s[i]);
    print_error("\n");
}

/* Compares fast and ref on s[0..n) with output capacity cap. */
static void compare_transform(const char *name, transform_fn fast, transform_fn ref, const char *s,
                              size_t n, size_t cap)
{
    char a[512], b[512];
    memset(a, 'x', sizeof a);
    memset(b, 'y', sizeof b);
    assert_true(cap <= sizeof a);
    int ra = fast(s, n, a, cap), rb = ref(s, n, b, cap);
    if (ra != rb || (cap > 0 && strcmp(a, b) != 0)) {
        print_error("%s differs, cap %zu: fast %d, reference %d\n", name, cap, ra, rb);
        show("input", s, n);
        if (cap > 0) {
            show("fast", a, strlen(a));
            show("reference", b, strlen(b));
        }
    }
    assert_int_equal(ra, rb);
    if (cap > 0)
        assert_string_equal(a, b);
    else
        assert_int_equal((unsigned char)a[0], 'x'); /* nothing written */
}

static void compare_all(const char *text, size_t n)
{
    char *s = exact_copy(text, n);
    size_t caps[] = {4 * n + 8, n + 1, n, (size_t)rng() % (2 * n + 3), 1, 0};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        size_t cap = caps[i] > 512 ? 512 : caps[i];
        compare_transform("normalize", core_tr_normalize, ref_normalize, s, n, cap);
        compare_transform("upper", core_tr_upper, ref_upper, s, n, cap);
        compare_transform("fold", core_tr_fold, ref_fold, s, n, cap);
    }
    assert_int_equal(core_utf8_valid(s, n), ref_utf8_valid(s, n));
    free(s);
}

/* ==== the tests ========================================================================= */

static void test_transforms_match_reference(void **state)
{
    (void)state;
    char buf[128];
    int valid = 0;
    for (int round = 0; round < 30000; round++) {
        size_t n = gen_text(buf, sizeof buf, round % 2 == 0);
        compare_all(buf, n);
        valid += ref_utf8_valid(buf, n) && !memchr(buf, 0, n);
    }
    assert_true(valid > 10000); /* most inputs do reach the transforms' main paths */
}

static void test_equal_matches_reference(void **state)
{
    (void)state;
    char a[96], b[96];
    int equal = 0;
    for (int round = 0; round < 30000; round++) {
        size_t an = gen_text(a, sizeof a, round % 4 == 0), bn;
        switch (rng() % 4) {
        case 0: /* the same bytes */
            memcpy(b, a, an);
            bn = an;
            break;
        case 1: { /* the fold key of a: equal whenever a is good text */
            int k = ref_fold(a, an, b, sizeof b);
            bn = k < 0 ? 0 : (size_t)k;
            break;
        }
        default:
            bn = gen_text(b, sizeof b, round % 4 == 0);
            break;
        }
        char *sa = exact_copy(a, an), *sb = exact_copy(b, bn);
        bool fast = core_tr_equal(sa, an, sb, bn), ref = ref_equal(sa, an, sb, bn);
        if (fast != ref) {
            show("a", sa, an);
            show("b", sb, bn);
        }
        assert_int_equal(fast, ref);
        equal += ref;
        free(sa);
        free(sb);
    }
    assert_true(equal > 5000);
    assert_false(core_tr_equal(NULL, 1, "", 0));
    assert_false(core_tr_equal("", 0, NULL, 1));
    assert_true(core_tr_equal(NULL, 0, " ", 1));
}

/* Fixed cases at the edges of the fast paths, each compared with the reference. */
static void test_fast_path_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        " ",
        "a",
        "abcdefgh",
        "abcdefghi",
        "abcdefg ",
        " abcdefgh ",
        "abcdefgh\u0327",
        "abcdefgs\u0327",
        "abcdefgS\u0327x",
        "12345678I\u0307",
        "a b",
        "a  b",
        "a \u0327",
        "a\u00a0b",
        " \u00a0a",
        "ab\u0307",
        "\u0131\u0307\u0307",
        "\u00e2\u0302",
        "\u00fb\u0308",
        "U\u0302\u0308",
        "s\u0327\u0327",
        "e\u0301",
        "\u0307a",
        "a\u0345",
        "İstanbul İli",
        "ayşe ışık",
        "x\vy",
        "\x01\x02",
        "abcdefghijklmnopqrstuvwxyz ",
        "HAKKÂRİ",
        "Hakka\u0302ri",
        "i\u0307stanbul",
        "kurum adı    ",
        "\t\tAli\t\tVeli\t\t",
        "a\xCC",
        "abcdefgh\xCC",
        "a\xCC\x87\xCC",
        "abc\xFF",
        "abcdefgh\xC3",
        "\uFEFFad", /* a byte order mark */
        "I\xCC\x47",
        "abcdefghs\xCC\xE7",
        "\xC4\xB1\xCC\x87\xCC\x47",
        "\xCC\x87\xCC",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        compare_all(cases[i], strlen(cases[i]));
    compare_all("abcdefgh\0ijk", 12);
    compare_all("a\0", 2);
    /* NULL input: empty for n = 0, refused otherwise. */
    char out[4] = "zz";
    assert_int_equal(core_tr_normalize(NULL, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(core_tr_fold(NULL, 3, out, sizeof out), -1);
    assert_string_equal(out, "");
}

/* ---- core_personnel_set: one pass instead of check-then-normalise ---------------------- */

/* What core_personnel_set did for a text column: refuse bad text first, then normalise into
 * a 1024-byte buffer ("too_long" if it did not fit), then store if the field holds it. */
static const char *ref_set_text(char *field, size_t cap, bool required, const char *s, size_t n)
{
    char v[1024];
    if (!ref_utf8_valid(s, n) || (n > 0 && memchr(s, '\0', n)))
        return "not_utf8";
    int r = ref_normalize(s, n, v, sizeof v);
    if (r < 0)
        return "too_long";
    const char *bad = core_text_check_code(core_text_check(v, (size_t)r, 0)); /* a later rule */
    if (bad)
        return bad;
    if (r == 0) {
        if (required)
            return "required";
        field[0] = '\0';
        return NULL;
    }
    if ((size_t)r >= cap)
        return "too_long";
    memcpy(field, v, (size_t)r + 1);
    return NULL;
}

static const char *const ref_duty_codes[] = {"aktif", "ayrildi", "emekli", "askida"};

/* core_duty_parse as it was: fold the value and every code, İ taken as I, and compare. */
static int ref_duty_key(const char *s, size_t n, char out[32])
{
    int len = ref_fold(s, n, out, 32), w = 0;
    if (len < 0)
        return -1;
    for (int r = 0; r < len; r++) {
        if ((unsigned char)out[r] == 0xC4 && r + 1 < len && (unsigned char)out[r + 1] == 0xB0) {
            out[w++] = 'I';
            r++;
        } else {
            out[w++] = out[r];
        }
    }
    out[w] = '\0';
    return w;
}

static int ref_duty_parse(const char *s, size_t n, enum core_duty *out)
{
    char key[32], code[32];
    int klen = ref_duty_key(s, n, key);
    if (klen <= 0)
        return -1;
    for (int d = 0; d < 4; d++) {
        int clen = ref_duty_key(ref_duty_codes[d], strlen(ref_duty_codes[d]), code);
        if (clen == klen && memcmp(key, code, (size_t)klen) == 0) {
            *out = (enum core_duty)d;
            return 0;
        }
    }
    return -1;
}

static void check_set_text(const char *s, size_t n)
{
    struct core_personnel p;
    char field[CORE_NAME_MAX];
    char *c = exact_copy(s, n);

    core_personnel_clear(&p);
    memcpy(p.first_name, "Önceki", sizeof "Önceki");
    memcpy(field, p.first_name, sizeof field);
    const char *got = core_personnel_set(&p, CORE_PF_AD, c, n);
    const char *want = ref_set_text(field, sizeof field, true, c, n);
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        show("value", c, n);
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
    assert_string_equal(p.first_name, field);

    /* An optional column: empty clears it. */
    memcpy(p.district, "Çankaya", sizeof "Çankaya");
    memcpy(field, p.district, sizeof field);
    got = core_personnel_set(&p, CORE_PF_ILCE, c, n);
    want = ref_set_text(field, sizeof field, false, c, n);
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
    assert_string_equal(p.district, field);
    free(c);
}

static void test_set_matches_reference(void **state)
{
    (void)state;
    char buf[160];
    for (int round = 0; round < 20000; round++) {
        size_t n = gen_text(buf, sizeof buf, round % 2 == 0);
        check_set_text(buf, n);
    }
    /* Long values: over the field and over the 1024-byte working buffer, good and bad. */
    static char big[3000];
    memset(big, 'a', sizeof big);
    check_set_text(big, CORE_NAME_MAX - 1);
    check_set_text(big, CORE_NAME_MAX);
    check_set_text(big, 1023);
    check_set_text(big, 1024);
    check_set_text(big, sizeof big);
    big[2000] = '\xFF';
    check_set_text(big, sizeof big);
    big[2000] = '\0';
    check_set_text(big, sizeof big);
    memset(big, ' ', 2000);
    big[2000] = 'a';
    check_set_text(big, 2001);
    check_set_text(NULL, 0);
    check_set_text("x", 0);
    struct core_personnel p;
    core_personnel_clear(&p);
    assert_string_equal(core_personnel_set(&p, CORE_PF_AD, NULL, 3), "not_utf8");
}

static void test_duty_matches_reference(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "a", "A", "k", "K", "t", "T", "i", "I", "ı", "İ", "f", "F", "y", "Y",      "r",      "R",
        "l", "L", "d", "D", "e", "E", "m", "M", "s", "S", "ş", "â", " ", "\u0307", "\u00a0", "x",
    };
    static const char *const words[] = {
        "aktif",       "AKTİF",   "Aktıf",  " aktif ", "ayrildi", "AYRILDI",     "Ayrıldı",
        "emekli",      "EMEKLİ",  "askida", "ASKIDA",  "askıda",  "AKTI\u0307F", "akti\u0307f",
        "aktif\u0302", "aktif x", "ak tif", "aktiff",  "",        "  ",          "emekl",
        "\xC3",        "akt\0f",
    };
    enum core_duty a, b;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (strcmp(words[i], "akt") == 0)
            n = 5; /* "akt\0f" */
        a = b = (enum core_duty)77;
        assert_int_equal(core_duty_parse(words[i], n, &a), ref_duty_parse(words[i], n, &b));
        assert_int_equal(a, b);
    }
    for (int round = 0; round < 20000; round++) {
        char buf[64];
        size_t len = 0, count = 1 + rng() % 8;
        if (rng() % 2) { /* a code with one or two letters changed */
            const char *w = ref_duty_codes[rng() % 4];
            len = strlen(w);
            memcpy(buf, w, len);
            for (int k = (int)(rng() % 3); k > 0; k--) {
                size_t at = rng() % len;
                const char *r = parts[rng() % (sizeof parts / sizeof parts[0])];
                size_t rn = strlen(r);
                if (len - 1 + rn > sizeof buf)
                    break;
                memmove(buf + at + rn, buf + at + 1, len - at - 1);
                memcpy(buf + at, r, rn);
                len = len - 1 + rn;
            }
        } else {
            for (size_t i = 0; i < count; i++) {
                const char *r = parts[rng() % (sizeof parts / sizeof parts[0])];
                size_t rn = strlen(r);
                if (len + rn > sizeof buf)
                    break;
                memcpy(buf + len, r, rn);
                len += rn;
            }
        }
        char *c = exact_copy(buf, len);
        a = b = (enum core_duty)77;
        int ra = core_duty_parse(c, len, &a), rb = ref_duty_parse(c, len, &b);
        if (ra != rb || a != b)
            show("duty", c, len);
        assert_int_equal(ra, rb);
        assert_int_equal(a, b);
        free(c);
    }
    assert_int_equal(core_duty_parse(NULL, 0, &a), -1);
    assert_int_equal(core_duty_parse(NULL, 5, &a), -1);
}

/* ---- core_email_valid: one '@' search, no strchr per character ------------------------- */

static bool ref_is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ref_email_local(const char *s, size_t n)
{
    if (n < 1 || n > 64 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return false;
        } else if (!ref_is_alnum(s[i]) &&
                   !(s[i] != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", s[i]) != NULL)) {
            return false;
        }
    }
    return true;
}

static bool ref_email_domain(const char *s, size_t n)
{
    size_t labels = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!ref_is_alnum(s[i]) && s[i] != '-')
                return false;
            continue;
        }
        size_t len = i - start;
        if (len < 1 || len > 63 || s[start] == '-' || s[i - 1] == '-')
            return false;
        labels++;
        start = i + 1;
    }
    return labels >= 2;
}

static bool ref_email_valid(const char *s, size_t n)
{
    if (!s || n < 3 || n > 254)
        return false;
    const char *at = memchr(s, '@', n);
    if (!at || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
        return false;
    size_t local = (size_t)(at - s);
    return ref_email_local(s, local) && ref_email_domain(at + 1, n - local - 1);
}

static void test_email_matches_reference(void **state)
{
    (void)state;
    static const char chars[] = "aZ9.-_@@..!#$%&'*+/=?^`{|}~ \"(),:;<>[]\x01\x7f\xc3\0";
    int valid = 0;
    for (int round = 0; round < 50000; round++) {
        char buf[80];
        size_t n = 0;
        if (rng() % 2) { /* near a real address */
            static const char *const base[] = {"ayse.isik@meb.gov.tr", "a@b.co", "x_y-z@k12.tr",
                                               "o'neil+tag@x-y.com.tr"};
            const char *b = base[rng() % 4];
            n = strlen(b);
            memcpy(buf, b, n);
            for (int k = (int)(rng() % 3); k > 0; k--)
                buf[rng() % n] = chars[rng() % (sizeof chars - 1)];
        } else {
            n = rng() % 24;
            for (size_t i = 0; i < n; i++)
                buf[i] = chars[rng() % (sizeof chars - 1)];
        }
        char *c = exact_copy(buf, n);
        bool fast = core_email_valid(c, n), ref = ref_email_valid(c, n);
        if (fast != ref)
            show("e-mail", c, n);
        assert_int_equal(fast, ref);
        valid += ref;
        free(c);
    }
    assert_true(valid > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transforms_match_reference),
        cmocka_unit_test(test_equal_matches_reference),
        cmocka_unit_test(test_fast_path_edges),
        cmocka_unit_test(test_set_matches_reference),
        cmocka_unit_test(test_duty_matches_reference),
        cmocka_unit_test(test_email_matches_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
