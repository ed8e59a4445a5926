/* eimza — Turkish text: UTF-8 checking, white-space normalisation, Turkish upper-casing and the
 * comparison key (core/: pure). See trtext.h.
 *
 * Everything runs over one iterator that yields the code points of the normalised text: white
 * space trimmed and folded to single spaces, and the decomposed spellings of the letters
 * Turkish uses composed (they arrive that way from macOS file names, some web forms and from
 * lower-casing "İ" under a non-Turkish locale). The public transforms differ only in how they
 * map each code point afterwards, so they can never disagree on what the text is.
 *
 * Only the letters of the Turkish alphabet and the circumflex vowels get case rules; other
 * ASCII letters are upper-cased the ASCII way and every other code point passes unchanged
 * (full Unicode case mapping is beyond what names in MEBBİS need, and a partial one that
 * differs from the database's would be worse than none).
 */
#include "core/trtext.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

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

bool core_utf8_valid(const char *s, size_t n)
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
    return core_utf8_valid(s, n) && (n == 0 || memchr(s, '\0', n) == NULL);
}

/* ---- the normalising iterator ----------------------------------------------------------- */

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0;
}

/* A base letter followed by a combining mark, and the precomposed letter they make. */
struct composition {
    uint32_t base, mark, composed;
};

static const struct composition compositions[] = {
    {'c', 0x0327, 0x00E7},    /* c + cedilla -> ç */
    {'C', 0x0327, 0x00C7},    /* Ç */
    {'s', 0x0327, 0x015F},    /* ş */
    {'S', 0x0327, 0x015E},    /* Ş */
    {'g', 0x0306, 0x011F},    /* g + breve -> ğ */
    {'G', 0x0306, 0x011E},    /* Ğ */
    {'o', 0x0308, 0x00F6},    /* o + diaeresis -> ö */
    {'O', 0x0308, 0x00D6},    /* Ö */
    {'u', 0x0308, 0x00FC},    /* ü */
    {'U', 0x0308, 0x00DC},    /* Ü */
    {'a', 0x0302, 0x00E2},    /* a + circumflex -> â */
    {'A', 0x0302, 0x00C2},    /* Â */
    {'i', 0x0302, 0x00EE},    /* î */
    {0x0131, 0x0302, 0x00EE}, /* ı + circumflex: also î */
    {'I', 0x0302, 0x00CE},    /* Î */
    {'u', 0x0302, 0x00FB},    /* û */
    {'U', 0x0302, 0x00DB},    /* Û */
    {'I', 0x0307, 0x0130},    /* I + dot above -> İ */
    {'i', 0x0307, 'i'},       /* what a non-Turkish lower-casing makes of İ: just i */
    {0x0131, 0x0307, 'i'},    /* ı + dot above -> i */
};

static uint32_t compose(uint32_t base, uint32_t mark)
{
    for (size_t i = 0; i < sizeof compositions / sizeof compositions[0]; i++)
        if (compositions[i].base == base && compositions[i].mark == mark)
            return compositions[i].composed;
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

static uint32_t tr_upper_cp(uint32_t cp)
{
    if (cp == 'i')
        return 0x0130; /* i -> İ: the Turkish rule */
    if (cp >= 'a' && cp <= 'z')
        return cp - ('a' - 'A');
    switch (cp) {
    case 0x0131: /* ı -> I */
        return 'I';
    case 0x00E7: /* ç */
        return 0x00C7;
    case 0x015F: /* ş */
        return 0x015E;
    case 0x011F: /* ğ */
        return 0x011E;
    case 0x00F6: /* ö */
        return 0x00D6;
    case 0x00FC: /* ü */
        return 0x00DC;
    case 0x00E2: /* â */
        return 0x00C2;
    case 0x00EE: /* î */
        return 0x00CE;
    case 0x00FB: /* û */
        return 0x00DB;
    default:
        return cp;
    }
}

/* The circumflex only marks a long vowel or a palatal consonant before it: "Hakkâri" and
 * "Hakkari" are the same name. Î is the dotted i's capital, so it folds to İ, not to I. */
static uint32_t tr_fold_cp(uint32_t cp)
{
    cp = tr_upper_cp(cp);
    switch (cp) {
    case 0x00C2:
        return 'A';
    case 0x00CE:
        return 0x0130;
    case 0x00DB:
        return 'U';
    default:
        return cp;
    }
}

static uint32_t tr_map(uint32_t cp, enum tr_mode mode)
{
    switch (mode) {
    case TR_UPPER:
        return tr_upper_cp(cp);
    case TR_FOLD:
        return tr_fold_cp(cp);
    default:
        return cp;
    }
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

int core_tr_normalize(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_KEEP);
}

int core_tr_upper(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_UPPER);
}

int core_tr_fold(const char *in, size_t n, char *out, size_t cap)
{
    return tr_transform(in, n, out, cap, TR_FOLD);
}

bool core_tr_equal(const char *a, size_t an, const char *b, size_t bn)
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
