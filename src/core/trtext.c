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
 *
 * Speed matters here: every field of a million-row personnel import passes through
 * core_tr_normalize. So the iterator checks the UTF-8 as it goes (one pass over the text, not
 * a checking pass and then a transforming one), and it only looks for combining marks when
 * the next byte can start one of the marks that compose (see MARK_LEAD): precomposed text,
 * which is nearly all of it, never reaches the composition rules. On top of it, the
 * transforms copy in one go each stretch the iterator would yield unchanged (tr_run); the
 * iterator stays the definition of the result, and tests/unit/core/test_fast_paths.c checks
 * both against the plain code point walk this file used to be.
 */
#include "core/trtext.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* Keeps the per-code-point step inlined into each caller, where the mode is a constant and
 * the mapping of the other modes drops out. */
#if defined(__GNUC__)
#define TR_INLINE static inline __attribute__((always_inline))
#else
#define TR_INLINE static inline
#endif

/* ---- UTF-8 ------------------------------------------------------------------------------ */

static bool is_cont(unsigned char c)
{
    return c >= 0x80 && c <= 0xBF;
}

/* Decodes the well-formed UTF-8 sequence at p (p < end) into *cp and returns its length, or
 * returns 0 when there is none: bad lead byte, truncated sequence, overlong form, surrogate or
 * a value above U+10FFFF. */
TR_INLINE size_t utf8_next(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t avail = (size_t)(end - p);

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2) /* a continuation byte, or a lead that could only start an overlong form */
        return 0;
    if (c < 0xE0) { /* the Turkish letters: checked first */
        if (avail < 2 || !is_cont(p[1]))
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(p[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c == 0xE0)
            lo = 0xA0; /* below: overlong */
        else if (c == 0xED)
            hi = 0x9F; /* above: UTF-16 surrogates */
        if (avail < 3 || p[1] < lo || p[1] > hi || !is_cont(p[2]))
            return 0;
        *cp =
            ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (uint32_t)(p[2] & 0x3F);
        return 3;
    }
    if (c < 0xF5) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xF0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above: past U+10FFFF */
        if (avail < 4 || p[1] < lo || p[1] > hi || !is_cont(p[2]) || !is_cont(p[3]))
            return 0;
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
              ((uint32_t)(p[2] & 0x3F) << 6) | (uint32_t)(p[3] & 0x3F);
        return 4;
    }
    return 0;
}

/* Bytes UTF-8 needs for cp. */
static size_t utf8_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Writes cp as the utf8_len(cp) bytes at out. */
static void utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    }
}

/* True if the 8 bytes at p are all ASCII. */
static bool ascii8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return (w & UINT64_C(0x8080808080808080)) == 0;
}

size_t core_utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

bool core_utf8_valid(const char *s, size_t n)
{
    if (!s)
        return n == 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        if (p[0] < 0x80) {
            /* Mostly ASCII text: skip it a word at a time. */
            while (end - p >= 8 && ascii8(p))
                p += 8;
            while (p < end && p[0] < 0x80)
                p++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_next(p, end, &cp);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

/* ---- characters text may not hold (trtext.h) ------------------------------------------- */

static enum core_text_check text_class(uint32_t c, unsigned flags)
{
    if (c < 0x20) {
        if ((flags & CORE_TEXT_BREAKS) && (c == '\t' || c == '\n' || c == '\r'))
            return CORE_TEXT_OK;
        return CORE_TEXT_CONTROL;
    }
    if (c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029)
        return CORE_TEXT_CONTROL;
    if (c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF)
        return CORE_TEXT_BIDI;
    return CORE_TEXT_OK;
}

enum core_text_check core_text_check(const char *s, size_t n, unsigned flags)
{
    if (!s)
        return n == 0 ? CORE_TEXT_OK : CORE_TEXT_NOT_UTF8;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    enum core_text_check found = CORE_TEXT_OK;
    while (p < end) {
        uint32_t cp;
        size_t len;
        if (p[0] < 0x80) {
            cp = p[0];
            len = 1;
        } else if ((len = utf8_next(p, end, &cp)) == 0) {
            return CORE_TEXT_NOT_UTF8; /* malformed text is reported before what it holds */
        }
        enum core_text_check k = text_class(cp, flags);
        if (k != CORE_TEXT_OK && found == CORE_TEXT_OK)
            found = k;
        p += len;
    }
    return found;
}

const char *core_text_check_code(enum core_text_check c)
{
    switch (c) {
    case CORE_TEXT_OK:
        return NULL;
    case CORE_TEXT_NOT_UTF8:
        return "not_utf8";
    case CORE_TEXT_CONTROL:
        return "control_character";
    case CORE_TEXT_BIDI:
        return "bidi_character";
    }
    return "not_utf8";
}

/* ---- composition ------------------------------------------------------------------------ */

/* Every mark that composes below (U+0302, U+0306, U+0307, U+0308, U+0327) lies in
 * U+0300..U+033F, which UTF-8 writes as this byte and one continuation byte. A letter whose
 * next byte is anything else cannot take a mark, so the rules below are not consulted. */
#define MARK_LEAD 0xCC

/* A letter, a combining mark after it, and the precomposed letter they make. */
static const struct {
    uint32_t base, mark, composed;
} tr_compositions[] = {
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

/* The precomposed letter that base followed by the combining mark makes, or 0. Only reached
 * for a mark after a letter (MARK_LEAD), so a short scan is enough. */
static uint32_t compose(uint32_t base, uint32_t mark)
{
    for (size_t i = 0; i < sizeof tr_compositions / sizeof tr_compositions[0]; i++)
        if (tr_compositions[i].mark == mark && tr_compositions[i].base == base)
            return tr_compositions[i].composed;
    return 0;
}

/* ---- case mapping ----------------------------------------------------------------------- */

enum tr_mode { TR_KEEP, TR_UPPER, TR_FOLD };

static uint32_t tr_upper_cp(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp < 'a' || cp > 'z')
            return cp;
        return cp == 'i' ? 0x0130 : cp - ('a' - 'A'); /* i -> İ: the Turkish rule */
    }
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

TR_INLINE uint32_t tr_map(uint32_t cp, enum tr_mode mode)
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

/* ---- the normalising iterator ----------------------------------------------------------- */

/* A letter takes every mark after it that composes with it, either as it is or as mapped
 * ("i" + dot + dot is still i; with folding "â" + circumflex is Â, so A): the output then
 * never holds a pair that would compose, which makes folding idempotent and folding the
 * normalised or upper-cased text the same as folding the original. Returns the composed
 * letter and moves *pp past the marks taken. A malformed sequence stops it; the iterator
 * refuses it on its next step. */
static uint32_t take_marks(const unsigned char **pp, const unsigned char *end, uint32_t cp,
                           enum tr_mode mode)
{
    const unsigned char *p = *pp;
    while (end - p >= 2 && p[0] == MARK_LEAD && is_cont(p[1])) {
        uint32_t mark = 0x0300 | (uint32_t)(p[1] & 0x3F);
        uint32_t composed = compose(cp, mark);
        if (!composed)
            composed = compose(tr_map(cp, mode), mark);
        if (!composed)
            break;
        cp = composed;
        p += 2;
    }
    *pp = p;
    return cp;
}

/* Walks text, checking it is well-formed UTF-8 without NUL (the results are C strings, and a
 * NUL inside a name would silently cut it short) while it yields code points. */
struct tr_iter {
    const unsigned char *p, *end;
    bool started; /* a non-space code point has been yielded */
};

/* Sets up a walk over s[0..n); false when s is NULL with n > 0. */
static bool tr_iter_init(struct tr_iter *it, const char *s, size_t n)
{
    if (!s) {
        if (n != 0)
            return false;
        s = "";
    }
    it->p = (const unsigned char *)s;
    it->end = it->p + n;
    it->started = false;
    return true;
}

/* The next code point of the normalised, mapped text into *out: returns 1, 0 at the end, or
 * -1 when the text is not well-formed UTF-8 or holds a NUL. A run of white space (ASCII space,
 * tab, CR, LF, NBSP) becomes one ' ' only when something follows it and something came
 * before it. */
TR_INLINE int tr_next(struct tr_iter *it, enum tr_mode mode, uint32_t *out)
{
    const unsigned char *p = it->p, *end = it->end;
    bool gap = false;
    uint32_t cp;
    size_t len;

    for (;; p += len) {
        if (p == end) {
            it->p = p;
            return 0;
        }
        cp = p[0];
        len = 1;
        if (cp >= 0x80) {
            len = utf8_next(p, end, &cp);
            if (len == 0)
                return -1;
            if (cp != 0xA0) /* NBSP */
                break;
        } else if (cp != ' ' && cp != '\t' && cp != '\r' && cp != '\n') {
            if (cp == '\0')
                return -1;
            break;
        }
        gap = true;
    }
    if (gap && it->started) {
        it->p = p; /* the code point after the gap is read again on the next call */
        *out = ' ';
        return 1;
    }
    p += len;
    if (p < end && p[0] == MARK_LEAD)
        cp = take_marks(&p, end, cp, mode);
    it->p = p;
    it->started = true;
    *out = tr_map(cp, mode);
    return 1;
}

/* Printable ASCII, whose bytes are each one code point that normalising keeps. (The control
 * characters other than white space and NUL are kept too; the iterator takes them.) */
static bool is_plain(unsigned char c)
{
    return (unsigned)(c - 0x21) <= 0x7F - 0x21;
}

/* True if the 8 bytes at p are all printable ASCII. A top bit set in w is a non-ASCII byte.
 * Otherwise every byte is below 0x80, and subtracting 0x21 from each leaves a top bit that ~w
 * does not clear exactly when some byte is below 0x21 (the lowest such byte borrows; bytes
 * above it may be marked wrongly, but only the whole word's answer is used). */
static bool plain8(const unsigned char *p)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), tops = UINT64_C(0x8080808080808080);
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return ((w | ((w - 0x21 * ones) & ~w)) & tops) == 0;
}

/* True if p (< end) starts a character that is neither white space nor a mark (as far as a
 * look at one or two bytes tells; a malformed one is refused later anyway). */
static bool starts_letter(const unsigned char *p, const unsigned char *end)
{
    if (is_plain(p[0]))
        return true;
    if (p[0] < 0xC2 || p[0] == MARK_LEAD)
        return false;
    return p[0] != 0xC2 || end - p < 2 || p[1] != 0xA0; /* not NBSP */
}

/* The end of the stretch from it->p that the iterator would yield byte for byte (ASCII bytes
 * mapped by mode): printable ASCII, single spaces between non-space characters, and when the
 * text keeps its case every other character but NBSP and the marks. The character just before
 * a byte that can start a mark is left out: it may take the mark. Most fields are one such
 * stretch, so they are checked and copied without decoding a code point. */
TR_INLINE const unsigned char *tr_run(const struct tr_iter *it, enum tr_mode mode)
{
    const unsigned char *p = it->p, *q = p, *end = it->end;
    const unsigned char *last = p; /* where the last character taken starts */

    while (q < end) {
        unsigned char c = q[0];
        if (is_plain(c)) {
            q++;
            while (end - q >= 8 && plain8(q))
                q += 8;
            while (q < end && is_plain(q[0]))
                q++;
            last = q - 1;
        } else if (c == ' ') {
            /* Yielded as it is only with something before it and a non-space after it. */
            if ((q == p && !it->started) || end - q < 2 || !starts_letter(q + 1, end))
                break;
            last = q;
            q++;
        } else if (mode == TR_KEEP && c >= 0xC2 && c != MARK_LEAD) {
            uint32_t cp;
            size_t len = utf8_next(q, end, &cp);
            if (len == 0 || cp == 0xA0)
                break; /* the iterator refuses it, or it is white space */
            last = q;
            q += len;
        } else {
            break;
        }
    }
    if (q < end && q[0] == MARK_LEAD)
        q = last;
    return q;
}

/* Appends a stretch found by tr_run, p[0..n), to out (where len bytes are written, limit may
 * be); false when it does not fit. Under upper-casing and folding the stretch is ASCII, and
 * only 'i' grows (to İ, two bytes). */
TR_INLINE bool emit_run(char *out, size_t *len, size_t limit, const unsigned char *p, size_t n,
                        enum tr_mode mode)
{
    size_t w = *len;
    if (n > limit - w) /* even without growing */
        return false;
    if (mode == TR_KEEP) {
        memcpy(out + w, p, n);
        w += n;
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = p[i];
            if (c == 'i') {
                if (limit - w < 2)
                    return false;
                out[w++] = (char)0xC4; /* U+0130 İ */
                out[w++] = (char)0xB0;
                continue;
            }
            if (w == limit)
                return false;
            if (c >= 'a' && c <= 'z')
                c = (unsigned char)(c - ('a' - 'A'));
            out[w++] = (char)c;
        }
    }
    *len = w;
    return true;
}

TR_INLINE int tr_transform(const char *in, size_t n, char *out, size_t cap, enum tr_mode mode)
{
    struct tr_iter it;
    uint32_t cp;
    size_t len = 0;
    int r;

    if (!out || cap == 0)
        return -1;
    /* The result needs its NUL, and its length must fit the int returned. */
    size_t limit = cap - 1 < (size_t)INT_MAX ? cap - 1 : (size_t)INT_MAX;
    if (!tr_iter_init(&it, in, n))
        goto fail;
    for (;;) {
        /* The stretch the iterator would yield unchanged in one go; the rest step by step. */
        const unsigned char *p = it.p, *q = tr_run(&it, mode);
        if (q > p) {
            if (!emit_run(out, &len, limit, p, (size_t)(q - p), mode))
                goto fail;
            it.p = q;
            it.started = true;
        }
        if ((r = tr_next(&it, mode, &cp)) <= 0)
            break;
        size_t k = utf8_len(cp);
        if (k > limit - len)
            goto fail;
        utf8_encode(cp, out + len);
        len += k;
    }
    if (r < 0)
        goto fail;
    out[len] = '\0';
    return (int)len;
fail:
    /* Invalid text and text that does not fit get the same answer, so stopping at whichever
     * shows first is the same as checking all of the text first. */
    out[0] = '\0';
    return -1;
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

    if (!tr_iter_init(&ia, a, an) || !tr_iter_init(&ib, b, bn))
        return false;
    /* The same bytes have the same key; they only need checking. */
    if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
        return core_utf8_valid(a, an) && (an == 0 || memchr(a, '\0', an) == NULL);
    /* Comparing the keys' code points one by one is comparing their bytes (UTF-8 encodes each
     * code point one way), without building the keys. Any malformed text makes them unequal,
     * so a difference found first settles it as well. */
    for (;;) {
        int ra = tr_next(&ia, TR_FOLD, &ca), rb = tr_next(&ib, TR_FOLD, &cb);
        if (ra < 0 || rb < 0)
            return false;
        if (ra == 0 || rb == 0)
            return ra == rb;
        if (ca != cb)
            return false;
    }
}

/* I (U+0049) and İ (U+0130) after folding: the dotted and the dotless i taken as one. */
static uint32_t tr_one_i(uint32_t c)
{
    return c == 0x130 ? 0x49 : c;
}

bool core_tr_equal_i(const char *a, size_t an, const char *b, size_t bn)
{
    struct tr_iter ia, ib;
    uint32_t ca = 0, cb = 0;

    if (!tr_iter_init(&ia, a, an) || !tr_iter_init(&ib, b, bn))
        return false;
    for (;;) {
        int ra = tr_next(&ia, TR_FOLD, &ca), rb = tr_next(&ib, TR_FOLD, &cb);
        if (ra < 0 || rb < 0)
            return false;
        if (ra == 0 || rb == 0)
            return ra == rb;
        if (tr_one_i(ca) != tr_one_i(cb))
            return false;
    }
}
