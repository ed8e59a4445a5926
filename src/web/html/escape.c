/* eimza — escaping writers for HTML, JSON and log lines. See escape.h. */
#include "web/html/escape.h"

#include <stdint.h>
#include <string.h>

/* The UTF-8 of U+FFFD, written in place of every byte that does not start a valid sequence. */
static const char utf8_replacement[] = "\xEF\xBF\xBD";

/* Decodes the sequence at s (n > 0 bytes available). Returns its length (1-4) and stores the
 * code point in *cp, or returns 0 when the bytes there are not valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF, no truncated sequence). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5-FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

bool web_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        if (k == 0 || cp == 0)
            return false;
        i += k;
    }
    return true;
}

int web_html_escape(struct ubuf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = b->len, i = 0;
    int rc = 0;

    while (i < n && rc == 0) {
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        if (k == 0) {
            rc = ubuf_puts(b, utf8_replacement);
            i++;
            continue;
        }
        switch (cp) {
        case '&':
            rc = ubuf_puts(b, "&amp;");
            break;
        case '<':
            rc = ubuf_puts(b, "&lt;");
            break;
        case '>':
            rc = ubuf_puts(b, "&gt;");
            break;
        case '"':
            rc = ubuf_puts(b, "&quot;");
            break;
        case '\'':
            rc = ubuf_puts(b, "&#39;");
            break;
        case '\t':
        case '\n':
        case '\r':
            rc = ubuf_put(b, u + i, 1);
            break;
        default:
            if (cp < 0x20 || cp == 0x7F)
                rc = ubuf_puts(b, utf8_replacement);
            else
                rc = ubuf_put(b, u + i, k);
        }
        i += k;
    }
    if (rc != 0 && b->p) {
        b->len = start; /* leave the buffer as it was */
        b->p[start] = '\0';
    }
    return rc;
}

int web_html_escape_str(struct ubuf *b, const char *s)
{
    return s ? web_html_escape(b, s, strlen(s)) : 0;
}

/* The bytes a JSON string takes as they are: printable ASCII but the quote, the backslash and
 * the three HTML specials (a table: the loop over the plain part is every answer's). */
#define J8(x) x, x, x, x, x, x, x, x
/* clang-format off */
static const unsigned char json_plain[256] = {
    J8(0), J8(0), J8(0), J8(0),                       /* 0x00-0x1F controls */
    1, 1, 0, 1, 1, 1, 0, 1, J8(1),                    /* 0x20-0x2F: " & */
    J8(1), 1, 1, 1, 1, 0, 1, 0, 1,                    /* 0x30-0x3F: < > */
    J8(1), J8(1), J8(1), 1, 1, 1, 1, 0, 1, 1, 1,      /* 0x40-0x5F: backslash */
    J8(1), J8(1), J8(1), 1, 1, 1, 1, 1, 1, 1, 0,      /* 0x60-0x7F: DEL */
};
/* clang-format on */
#undef J8

int web_json_string(struct ubuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t start = b->len, i = 0, run = 0; /* u[run, i) goes out as it is, in one piece */
    int rc = ubuf_putc(b, '"');

    while (i < n && rc == 0) {
        const unsigned char c = u[i];
        if (json_plain[c]) {
            i++; /* plain ASCII, the most of it */
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            i += 2; /* U+0080..U+07FF (Turkish letters): nothing to escape there */
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        char e[7] = {'\\', 'u', '0', '0', 0, 0, '\0'};
        const char *esc = NULL; /* NULL: the character goes out as it is */
        if (k == 0) {           /* a byte that is no UTF-8 */
            esc = "\\ufffd";
            k = 1;
        } else if (cp == '"') {
            esc = "\\\"";
        } else if (cp == '\\') {
            esc = "\\\\";
        } else if (cp == '\n') {
            esc = "\\n";
        } else if (cp == '\r') {
            esc = "\\r";
        } else if (cp == '\t') {
            esc = "\\t";
        } else if (cp == '\b') {
            esc = "\\b";
        } else if (cp == '\f') {
            esc = "\\f";
        } else if (cp == 0x2028) {
            esc = "\\u2028";
        } else if (cp == 0x2029) {
            esc = "\\u2029";
        } else if (cp < 0x20 || cp == 0x7F || cp == '<' || cp == '>' || cp == '&') {
            e[4] = hex[cp >> 4];
            e[5] = hex[cp & 0xF];
            esc = e;
        }
        if (esc) {
            rc = ubuf_put(b, u + run, i - run);
            if (rc == 0)
                rc = ubuf_puts(b, esc);
            run = i + k;
        }
        i += k;
    }
    if (rc == 0)
        rc = ubuf_put(b, u + run, i - run);
    if (rc == 0)
        rc = ubuf_putc(b, '"');
    if (rc != 0 && b->p) {
        b->len = start;
        b->p[start] = '\0';
    }
    return rc;
}

int web_json_string_str(struct ubuf *b, const char *s)
{
    return s ? web_json_string(b, s, strlen(s)) : ubuf_puts(b, "null");
}

/* ---- log-safe text ---------------------------------------------------------------------- */

/* A bounded output for the log writers: keeps room for "..." and the NUL; once something
 * does not fit, the output ends with "..." and later writes are dropped. */
struct logout {
    char *p;
    size_t len, cap;
    bool full;
};

static void logout_put(struct logout *o, const char *s, size_t n)
{
    if (o->full)
        return;
    if (n <= o->cap - 1 - o->len) {
        memcpy(o->p + o->len, s, n);
        o->len += n;
        o->p[o->len] = '\0';
        return;
    }
    o->full = true;
    if (o->cap >= 4) {
        if (o->len > o->cap - 4)
            o->len = o->cap - 4;
        memcpy(o->p + o->len, "...", 3);
        o->len += 3;
    }
    o->p[o->len] = '\0';
}

/* One byte of log text: printable ASCII except the quote and the backslash is itself,
 * anything else \xHH (so a value never breaks out of its quotes or its line). */
static void logout_byte(struct logout *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        char ch = (char)c;
        logout_put(o, &ch, 1);
    } else {
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 0xF]};
        logout_put(o, e, sizeof e);
    }
}

size_t web_log_text(char *out, size_t outlen, const char *text)
{
    struct logout o = {out, 0, outlen, false};
    out[0] = '\0';
    for (const unsigned char *t = (const unsigned char *)text; *t && !o.full; t++)
        logout_byte(&o, *t);
    return o.len;
}

size_t web_log_path(char *out, size_t outlen, const char *path)
{
    struct logout o = {out, 0, outlen, false};
    const char *s = path;
    out[0] = '\0';

    while (*s && !o.full) {
        if (*s == '/') {
            logout_put(&o, "/", 1);
            s++;
            continue;
        }
        size_t seg = strcspn(s, "/");
        if (memchr(s, '@', seg)) {
            logout_put(&o, "*", 1); /* an e-mail address: nothing of it in the log */
            s += seg;
            continue;
        }
        const char *end = s + seg;
        while (s < end && !o.full) {
            size_t run = 0;
            while (s + run < end && s[run] >= '0' && s[run] <= '9')
                run++;
            if (run >= 10) {
                logout_put(&o, s, 3);
                for (size_t i = 3; i < run - 2; i++)
                    logout_put(&o, "*", 1);
                logout_put(&o, s + run - 2, 2);
                s += run;
            } else if (run > 0) {
                logout_put(&o, s, run);
                s += run;
            } else {
                logout_byte(&o, (unsigned char)*s);
                s++;
            }
        }
    }
    return o.len;
}
