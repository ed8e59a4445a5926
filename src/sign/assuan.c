/* eimza — the pure parts of the Assuan protocol that pinentry speaks: escaping command
 * arguments, decoding data lines, classifying response lines. No I/O here (pinentry.c does
 * that), so every case is unit-tested. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/sign_int.h"

int sign_assuan_escape(const char *s, struct ubuf *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* '%' starts an escape; CR and LF would end the line; other control bytes are not
         * allowed on the line either. UTF-8 bytes (>= 0x80) go through as they are. */
        if (*p == '%' || *p < 0x20 || *p == 0x7f) {
            if (ubuf_printf(out, "%%%02X", *p) < 0)
                return -1;
        } else if (ubuf_putc(out, (char)*p) < 0) {
            return -1;
        }
    }
    return 0;
}

static int sign_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int sign_assuan_unescape(const char *s, char *out, size_t cap, size_t *len)
{
    size_t n = *len;
    if (cap == 0 || n >= cap)
        return -1;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == '%') {
            int hi = sign_hexval(p[1]), lo = hi < 0 ? -1 : sign_hexval(p[2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            if (c == '\0')
                return -1;
            p += 2;
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    *len = n;
    return 0;
}

/* Whether line starts with the keyword kw followed by the end or a space; sets *rest. */
static bool sign_assuan_kw(const char *line, const char *kw, const char **rest)
{
    size_t n = strlen(kw);
    if (strncmp(line, kw, n) != 0 || (line[n] != '\0' && line[n] != ' '))
        return false;
    *rest = line[n] == ' ' ? line + n + 1 : line + n;
    return true;
}

void sign_assuan_parse(const char *line, struct sign_assuan_reply *out)
{
    const char *rest = "";
    out->kind = SIGN_ASSUAN_BAD;
    out->code = 0;
    out->rest = "";
    if (sign_assuan_kw(line, "OK", &rest)) {
        out->kind = SIGN_ASSUAN_OK;
    } else if (sign_assuan_kw(line, "D", &rest)) {
        out->kind = SIGN_ASSUAN_DATA;
    } else if (sign_assuan_kw(line, "S", &rest) || line[0] == '#') {
        out->kind = SIGN_ASSUAN_SKIP;
    } else if (sign_assuan_kw(line, "INQUIRE", &rest)) {
        out->kind = SIGN_ASSUAN_INQUIRE;
    } else if (sign_assuan_kw(line, "ERR", &rest)) {
        char *end = NULL;
        if (rest[0] < '0' || rest[0] > '9')
            return; /* an ERR without a number is malformed */
        unsigned long code = strtoul(rest, &end, 10);
        if (*end != '\0' && *end != ' ')
            return;
        out->kind = SIGN_ASSUAN_ERR;
        out->code = code;
        rest = *end == ' ' ? end + 1 : end;
    } else {
        return;
    }
    out->rest = rest;
}

bool sign_assuan_is_cancel(unsigned long code)
{
    /* gpg-error codes carry their source in bits 24..30 and the code in the low 16 bits;
     * GPG_ERR_CANCELED is 99 (pinentry sends 83886179 = source 5, code 99). */
    return (code & 0xffffUL) == 99;
}

/* What one byte costs once escaped by sign_assuan_escape. */
static size_t sign_assuan_cost(unsigned char c)
{
    return (c == '%' || c < 0x20 || c == 0x7f) ? 3 : 1;
}

size_t sign_assuan_escaped_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += sign_assuan_cost(*p);
    return n;
}

int sign_assuan_fit(const char *s, size_t budget, struct ubuf *out)
{
    static const char more[] = "…"; /* 3 bytes of UTF-8, none escaped */
    size_t total = sign_assuan_escaped_len(s), cut = 0, cost = 0;
    if (total <= budget)
        return ubuf_puts(out, s) < 0 ? -1 : 0;
    if (budget < sizeof more - 1)
        return 1;
    /* the longest prefix ending before a character's first byte that leaves room for "…" */
    for (size_t i = 0;; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            cut = i; /* a character starts here (or the string ends): the prefix may end here */
        if (!c)
            break;
        cost += sign_assuan_cost(c);
        if (cost > budget - (sizeof more - 1))
            break;
    }
    if (ubuf_put(out, s, cut) < 0 || ubuf_puts(out, more) < 0)
        return -1;
    return 1;
}
