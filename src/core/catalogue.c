/* eimza — looking keys up in the compiled catalogues (core/). See catalogue.h.
 *
 * A catalogue is a GNU .mo file as msgfmt writes it: a header, then two tables of N (length,
 * offset) pairs, the original strings and their translations. For an entry with a context the
 * original is "<msgctxt>\004<msgid>"; msgfmt sorts the originals bytewise, so a key's entry
 * is found by a binary search that compares only the part before the \004. The Turkish
 * catalogue is po/eimza.pot with every msgid copied to its msgstr (msgen), the English one
 * po/en.po; both are embedded by the build (CMakeLists.txt, cmake/embed_bin.cmake). The
 * numbers are read with memcpy, in the byte order the magic number shows, and every offset
 * is checked against the size, so a damaged catalogue gives "no such key", never a bad read.
 */
#include "core/catalogue.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* the embedded catalogues (generated/catalogue_tr.c, generated/catalogue_en.c) */
extern const unsigned char core_catalogue_tr[];
extern const size_t core_catalogue_tr_len;
extern const unsigned char core_catalogue_en[];
extern const size_t core_catalogue_en_len;

#define MO_MAGIC      0x950412deu
#define MO_HEADER_LEN 28u

struct mo {
    const unsigned char *p;
    size_t len;
    int swap;       /* written in the other byte order */
    uint32_t n;     /* number of strings */
    uint32_t orig;  /* offset of the originals' table */
    uint32_t trans; /* offset of the translations' table */
};

static uint32_t mo_u32(const struct mo *m, size_t off)
{
    uint32_t v;
    memcpy(&v, m->p + off, sizeof v);
    return m->swap ? __builtin_bswap32(v) : v;
}

/* The catalogue of lang, its header checked; 0 when it is not a usable .mo file. */
static int mo_open(enum core_lang lang, struct mo *m)
{
    m->p = lang == CORE_LANG_EN ? core_catalogue_en : core_catalogue_tr;
    m->len = lang == CORE_LANG_EN ? core_catalogue_en_len : core_catalogue_tr_len;
    m->swap = 0;
    if (m->len < MO_HEADER_LEN)
        return 0;
    uint32_t magic = mo_u32(m, 0);
    if (magic != MO_MAGIC) {
        m->swap = 1;
        if (mo_u32(m, 0) != MO_MAGIC)
            return 0;
    }
    m->n = mo_u32(m, 8);
    m->orig = mo_u32(m, 12);
    m->trans = mo_u32(m, 16);
    uint64_t table = (uint64_t)m->n * 8u;
    return m->orig <= m->len && table <= m->len - m->orig && m->trans <= m->len &&
           table <= m->len - m->trans;
}

/* String i of a table (orig or trans) and its length; NULL when it lies outside the file or
 * is not NUL-terminated. */
static const char *mo_string(const struct mo *m, uint32_t table, uint32_t i, size_t *len)
{
    uint32_t n = mo_u32(m, (size_t)table + (size_t)i * 8u);
    uint32_t off = mo_u32(m, (size_t)table + (size_t)i * 8u + 4u);
    if (off > m->len || n >= m->len - off || m->p[off + n] != '\0')
        return NULL;
    *len = n;
    return (const char *)m->p + off;
}

/* Compares key (keylen bytes) with the context of an original ("ctx\004id"; an original
 * without a context sorts by its whole text), as memcmp would compare key + "\004". */
static int key_cmp(const char *key, size_t keylen, const char *orig, size_t origlen)
{
    size_t n = keylen < origlen ? keylen : origlen;
    int c = memcmp(key, orig, n);
    if (c)
        return c;
    if (origlen <= keylen)
        return 1; /* the original is a prefix of the key, or shorter */
    return (int)(unsigned char)'\004' - (int)(unsigned char)orig[keylen];
}

/* The index of key's entry in m, or -1. */
static long mo_find(const struct mo *m, const char *key, size_t keylen)
{
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        size_t olen;
        const char *o = mo_string(m, m->orig, mid, &olen);
        if (!o)
            return -1;
        int c = key_cmp(key, keylen, o, olen);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* The translation of key and its length (plural forms: "form0\0form1", the length covering
 * both). */
static const char *lookup_len(const char *key, size_t keylen, enum core_lang lang, size_t *tlen)
{
    struct mo m;
    if (keylen == 0 || !mo_open(lang, &m))
        return NULL;
    long i = mo_find(&m, key, keylen);
    const char *t = i < 0 ? NULL : mo_string(&m, m.trans, (uint32_t)i, tlen);
    if (!t && lang != CORE_LANG_TR)
        return lookup_len(key, keylen, CORE_LANG_TR, tlen); /* not translated: the Turkish */
    return t;
}

static const char *lookup(const char *key, size_t keylen, enum core_lang lang)
{
    size_t tlen;
    return lookup_len(key, keylen, lang, &tlen);
}

const char *core_text_n(const char *key, unsigned long n, enum core_lang lang)
{
    size_t tlen;
    const char *t = key ? lookup_len(key, strlen(key), lang, &tlen) : NULL;
    if (!t || n == 1)
        return t;
    /* Plural-Forms: nplurals=2; plural=(n != 1) in both files: the second form */
    size_t first = strlen(t);
    return first < tlen ? t + first + 1 : t;
}

const char *core_text_fill(const char *text, const char *arg, char *out, size_t cap)
{
    const char *ph = strstr(text, "{0}");
    int w = ph ? snprintf(out, cap, "%.*s%s%s", (int)(ph - text), text, arg, ph + 3)
               : snprintf(out, cap, "%s", text);
    return w >= 0 && (size_t)w < cap ? out : NULL;
}

int core_text_put(struct ubuf *out, const char *text, const char *const *args, size_t nargs)
{
    const char *s = text;
    for (const char *q = strchr(s, '{'); q; q = strchr(q + 1, '{')) {
        if (q[1] < '0' || q[1] > '9' || q[2] != '}' || (size_t)(q[1] - '0') >= nargs)
            continue;
        if (ubuf_put(out, s, (size_t)(q - s)) < 0 || ubuf_puts(out, args[q[1] - '0']) < 0)
            return -1;
        s = q + 3;
        q = s - 1; /* the search goes on after the placeholder */
    }
    return ubuf_puts(out, s);
}

const char *core_text(const char *key, enum core_lang lang)
{
    return key ? lookup(key, strlen(key), lang) : NULL;
}

const char *core_text_of(const char *group, const char *name, enum core_lang lang)
{
    char key[CORE_TEXT_KEY_MAX];
    if (!group || !name)
        return NULL;
    /* "group.name", put together without snprintf: the status page asks for a few per request */
    size_t g = strlen(group), k = strlen(name);
    if (g + 1 + k >= sizeof key)
        return NULL;
    memcpy(key, group, g);
    key[g] = '.';
    memcpy(key + g + 1, name, k + 1);
    return lookup(key, g + 1 + k, lang);
}

const char *core_word(const char *group, const char *name, enum core_lang lang)
{
    const char *t = core_text_of(group, name, lang);
    return t ? t : name;
}

/* The originals with a context, in order: the Turkish catalogue's entries after its header
 * (whose original, "", sorts first and has no context). */
size_t core_text_count(void)
{
    struct mo m;
    if (!mo_open(CORE_LANG_TR, &m))
        return 0;
    size_t keys = 0;
    for (uint32_t i = 0; i < m.n; i++) {
        size_t olen;
        const char *o = mo_string(&m, m.orig, i, &olen);
        if (o && memchr(o, '\004', olen))
            keys++;
    }
    return keys;
}

int core_text_key(size_t i, char *out, size_t outlen)
{
    struct mo m;
    if (!mo_open(CORE_LANG_TR, &m))
        return -1;
    size_t seen = 0;
    for (uint32_t j = 0; j < m.n; j++) {
        size_t olen;
        const char *o = mo_string(&m, m.orig, j, &olen);
        const char *eot = o ? memchr(o, '\004', olen) : NULL;
        if (!eot)
            continue;
        if (seen++ == i) {
            size_t k = (size_t)(eot - o);
            if (k >= outlen)
                return -1;
            memcpy(out, o, k);
            out[k] = '\0';
            return 0;
        }
    }
    return -1;
}
