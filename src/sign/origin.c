/* eimza — the agent's pure checks: the loopback listen address, portal origins as browsers
 * serialise them, the Host header, and strict base64 for the JSON bodies. No I/O. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sign/agent.h"

/* Parses a decimal port 0..65535 that takes all of s (no sign, no blanks). */
static int sign_port_parse(const char *s, unsigned *port)
{
    unsigned long v = 0;
    if (!*s || strlen(s) > 5)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

enum sign_listen_result sign_listen_parse(const char *s, struct sign_listen *out)
{
    char host[48];
    const char *colon;
    size_t hl;
    memset(out, 0, sizeof *out);
    if (!s)
        return SIGN_LISTEN_MALFORMED;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return SIGN_LISTEN_MALFORMED;
        hl = (size_t)(close - s - 1);
        if (hl == 0 || hl >= sizeof host)
            return SIGN_LISTEN_MALFORMED;
        memcpy(host, s + 1, hl);
        host[hl] = '\0';
        colon = close + 1;
        struct in6_addr a6;
        if (inet_pton(AF_INET6, host, &a6) != 1)
            return SIGN_LISTEN_MALFORMED;
        if (!IN6_IS_ADDR_LOOPBACK(&a6))
            return SIGN_LISTEN_NOT_LOOPBACK;
        snprintf(out->host, sizeof out->host, "::1");
        out->ipv6 = true;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return SIGN_LISTEN_MALFORMED;
        hl = (size_t)(colon - s);
        if (hl == 0 || hl >= sizeof host || memchr(s, ':', hl))
            return SIGN_LISTEN_MALFORMED;
        memcpy(host, s, hl);
        host[hl] = '\0';
        struct in_addr a4;
        if (!strcasecmp(host, "localhost")) {
            snprintf(out->host, sizeof out->host, "127.0.0.1");
        } else if (inet_pton(AF_INET, host, &a4) == 1) {
            if ((ntohl(a4.s_addr) >> 24) != 127)
                return SIGN_LISTEN_NOT_LOOPBACK;
            snprintf(out->host, sizeof out->host, "%s", host);
        } else {
            /* any other name could resolve anywhere: only loopback literals are taken */
            for (const char *p = host; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
                    return SIGN_LISTEN_MALFORMED;
            return SIGN_LISTEN_NOT_LOOPBACK;
        }
    }
    if (sign_port_parse(colon + 1, &out->port) < 0)
        return SIGN_LISTEN_MALFORMED;
    return SIGN_LISTEN_OK;
}

int sign_origin_normalize(const char *in, char *out, size_t cap)
{
    char host[SIGN_ORIGIN_MAX];
    const char *p, *end;
    unsigned port = 0;
    bool https, has_port = false;
    size_t hl;
    if (!in)
        return -1;
    if (!strncasecmp(in, "http://", 7)) {
        https = false;
        p = in + 7;
    } else if (!strncasecmp(in, "https://", 8)) {
        https = true;
        p = in + 8;
    } else {
        return -1;
    }
    end = p + strlen(p);
    if (end > p && end[-1] == '/')
        end--;
    /* host: a name of letters, digits, dots and hyphens, or a bracketed IPv6 literal */
    const char *h = p;
    if (*h == '[') {
        const char *close = memchr(h, ']', (size_t)(end - h));
        if (!close)
            return -1;
        for (const char *q = h + 1; q < close; q++)
            if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
                return -1;
        p = close + 1;
        if (close == h + 1)
            return -1;
    } else {
        while (p < end && (isalnum((unsigned char)*p) || *p == '.' || *p == '-'))
            p++;
        if (p == h)
            return -1;
    }
    hl = (size_t)(p - h);
    if (hl >= sizeof host)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    for (char *q = host; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    if (p < end && *p == ':') {
        char digits[8];
        size_t dl = (size_t)(end - p - 1);
        if (dl == 0 || dl >= sizeof digits)
            return -1;
        memcpy(digits, p + 1, dl);
        digits[dl] = '\0';
        if (sign_port_parse(digits, &port) < 0 || port == 0)
            return -1;
        has_port = true;
        p = end;
    }
    if (p != end)
        return -1; /* a path, query, user name or other character */
    if (has_port && port == (https ? 443u : 80u))
        has_port = false;
    int n = has_port ? snprintf(out, cap, "%s://%s:%u", https ? "https" : "http", host, port)
                     : snprintf(out, cap, "%s://%s", https ? "https" : "http", host);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

bool sign_origin_allowed(const char *origin, const char *const *allowed, size_t n)
{
    if (!origin || !*origin)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(origin, allowed[i]))
            return true;
    return false;
}

bool sign_host_allowed(const char *host, unsigned port)
{
    char name[64];
    const char *colon;
    unsigned got = 80;
    if (!host || !*host)
        return false;
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        if (!close)
            return false;
        if ((size_t)(close - host + 1) >= sizeof name)
            return false;
        memcpy(name, host, (size_t)(close - host + 1));
        name[close - host + 1] = '\0';
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] != '\0' && !colon)
            return false;
    } else {
        colon = strchr(host, ':');
        size_t nl = colon ? (size_t)(colon - host) : strlen(host);
        if (nl == 0 || nl >= sizeof name)
            return false;
        memcpy(name, host, nl);
        name[nl] = '\0';
    }
    if (colon && sign_port_parse(colon + 1, &got) < 0)
        return false;
    if (got != port)
        return false;
    if (!strcasecmp(name, "localhost") || !strcmp(name, "[::1]"))
        return true;
    struct in_addr a4;
    return inet_pton(AF_INET, name, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

static const char sign_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sign_b64_encode(const unsigned char *p, size_t n)
{
    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = sign_b64[(v >> 18) & 63];
        *o++ = sign_b64[(v >> 12) & 63];
        *o++ = i + 1 < n ? sign_b64[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? sign_b64[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

static int sign_b64_val(char c)
{
    const char *q = c ? strchr(sign_b64, c) : NULL;
    return q ? (int)(q - sign_b64) : -1;
}

int sign_b64_decode(const char *s, size_t max, unsigned char **out, size_t *n)
{
    size_t len = strlen(s), pad = 0, k = 0;
    unsigned char *buf = NULL;
    *out = NULL;
    *n = 0;
    if (len % 4 != 0)
        return -1;
    if (len >= 1 && s[len - 1] == '=')
        pad++;
    if (len >= 2 && s[len - 2] == '=')
        pad++;
    size_t dec = len / 4 * 3 - pad;
    if (dec > max)
        return -1;
    buf = malloc(dec ? dec : 1);
    if (!buf)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        bool last = i + 4 == len;
        for (int j = 0; j < 4; j++) {
            bool padpos = last && (size_t)j >= 4 - pad;
            v[j] = padpos ? 0 : sign_b64_val(s[i + (size_t)j]);
            if (v[j] < 0 || (!padpos && s[i + (size_t)j] == '=')) {
                free(buf);
                return -1;
            }
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        unsigned char b[3] = {(unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w};
        for (int j = 0; j < 3 && k < dec; j++)
            buf[k++] = b[j];
    }
    *out = buf;
    *n = dec;
    return 0;
}
