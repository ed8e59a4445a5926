/* eimza — the request framing rules the server enforces itself (see framing.h). Pure: the
 * caller hands over the fields MHD parsed, so the rules are unit-tested and fuzzed without a
 * socket. */
#include "web/http/framing.h"

#include <string.h>
#include <strings.h>

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA */
static bool tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool token(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!tchar((unsigned char)s[i]))
            return false;
    return true;
}

static bool name_is(const struct web_field_view *f, const char *name)
{
    size_t n = strlen(name);
    return f->name_len == n && strncasecmp(f->name, name, n) == 0;
}

static bool name_begins(const struct web_field_view *f, const char *name)
{
    size_t n = strlen(name);
    return f->name_len > n && strncasecmp(f->name, name, n) == 0;
}

/* RFC 9110 5.5: field-vchar / SP / HTAB / obs-text; no other control. */
static bool value_ok(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return false;
    }
    return true;
}

static bool length_ok(const char *v, size_t n)
{
    if (n == 0 || n > 19)
        return false;
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return false;
    return true;
}

/* host [":" port]: a name or IPv4 of letters, digits, '-', '.', '_'; or "[" IPv6 "]"; the
 * port digits. Empty is allowed (RFC 9112 3.2: a target without an authority). */
static bool host_ok(const char *v, size_t n)
{
    size_t i = 0;
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--; /* trailing white space is not part of a value (RFC 9110 5.5); libmicrohttpd keeps it
              */
    if (n > 255)
        return false;
    if (i < n && v[i] == '[') {
        for (i++; i < n && v[i] != ']'; i++)
            if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
                  (v[i] >= 'A' && v[i] <= 'F') || v[i] == ':' || v[i] == '.'))
                return false;
        if (i >= n)
            return false;
        i++;
    } else {
        for (; i < n && v[i] != ':'; i++)
            if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') ||
                  (v[i] >= 'A' && v[i] <= 'Z') || v[i] == '-' || v[i] == '.' || v[i] == '_'))
                return false;
    }
    if (i == n)
        return true;
    if (v[i] != ':' || i + 1 == n || n - i - 1 > 5)
        return false;
    for (i++; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return false;
    return true;
}

/* One Transfer-Encoding value, a comma-separated list of codings (parameters refused with the
 * coding: we implement none). Counts the codings and the chunked ones; *last_chunked tells
 * whether the list's last coding is chunked; *other whether any coding is not chunked. */
static bool codings(const char *v, size_t n, int *nchunked, bool *last_chunked, bool *other)
{
    size_t i = 0;
    bool any = false;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t s = i;
        while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
            i++;
        size_t e = i;
        while (i < n && (v[i] == ' ' || v[i] == '\t'))
            i++;
        if (i < n && v[i] != ',')
            return false; /* "gzip; q=1", "a b": not a bare coding */
        if (!token(v + s, e - s)) {
            *other = true; /* "x;y": a coding with parameters, not one we know */
            *last_chunked = false;
        } else if (e - s == 7 && strncasecmp(v + s, "chunked", 7) == 0) {
            (*nchunked)++;
            *last_chunked = true;
        } else {
            *other = true;
            *last_chunked = false;
        }
        any = true;
    }
    return any;
}

static enum web_framing refuse(const char **why, const char *reason, enum web_framing r)
{
    if (why)
        *why = reason;
    return r;
}

enum web_framing web_framing_check(const char *version, const struct web_field_view *fields,
                                   size_t nfields, const char **why)
{
    size_t nhost = 0, nlength = 0, nte = 0;
    int nchunked = 0;
    bool last_chunked = false, other = false;
    const bool http11 = version && strcmp(version, "HTTP/1.0") != 0;

    if (why)
        *why = NULL;
    for (size_t i = 0; i < nfields; i++) {
        const struct web_field_view *f = &fields[i];
        if (!token(f->name, f->name_len))
            return refuse(why, "field_name", WEB_FRAMING_BAD);
        if (name_begins(f, "content-length") || name_begins(f, "transfer-encoding"))
            return refuse(why, "folded_framing_field", WEB_FRAMING_BAD);
        if (!value_ok(f->value, f->value_len))
            return refuse(why, "field_value_control", WEB_FRAMING_BAD);
        if (name_is(f, "host")) {
            if (++nhost > 1)
                return refuse(why, "host_twice", WEB_FRAMING_BAD);
            if (!host_ok(f->value, f->value_len))
                return refuse(why, "host_syntax", WEB_FRAMING_BAD);
        } else if (name_is(f, "content-length")) {
            if (++nlength > 1)
                return refuse(why, "content_length_twice", WEB_FRAMING_BAD);
            if (!length_ok(f->value, f->value_len))
                return refuse(why, "content_length_syntax", WEB_FRAMING_BAD);
        } else if (name_is(f, "transfer-encoding")) {
            nte++;
            if (!codings(f->value, f->value_len, &nchunked, &last_chunked, &other))
                return refuse(why, "transfer_encoding_syntax", WEB_FRAMING_BAD);
        }
    }
    if (http11 && nhost == 0)
        return refuse(why, "host_missing", WEB_FRAMING_BAD);
    if (nte == 0)
        return WEB_FRAMING_OK;
    if (nlength)
        return refuse(why, "length_and_coding", WEB_FRAMING_BAD);
    if (!http11)
        return refuse(why, "coding_in_http10", WEB_FRAMING_BAD);
    if (other)
        return refuse(why, "coding_unsupported", WEB_FRAMING_UNSUPPORTED);
    if (!last_chunked || nchunked != 1)
        return refuse(why, "chunked_not_once_last", WEB_FRAMING_BAD);
    return WEB_FRAMING_OK;
}

size_t web_head_memory(size_t head_size, const struct web_field_view *fields, size_t nfields)
{
    size_t m = head_size + nfields * WEB_MHD_FIELD_COST;
    for (size_t i = 0; i < nfields; i++) {
        const struct web_field_view *f = &fields[i];
        if (f->name_len != 6 || strncasecmp(f->name, "cookie", 6) != 0)
            continue;
        /* the parsed copy, and a record for each cookie (one more than its separators) */
        m += f->value_len + 1 + WEB_MHD_FIELD_COST;
        for (size_t j = 0; j < f->value_len; j++)
            m += f->value[j] == ';' ? WEB_MHD_FIELD_COST : 0;
    }
    return m;
}
