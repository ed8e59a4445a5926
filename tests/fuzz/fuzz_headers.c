/* eimza — libFuzzer driver: the request headers the server reads itself, as libmicrohttpd hands
 * them over (name and value with their lengths, any byte): the RFC 9112 framing check
 * (web/http/framing.c: Host, Content-Length, Transfer-Encoding, field names and values), the
 * page language of Accept-Language, and an If-None-Match list against an ETag. Cookies and the
 * request line are split by libmicrohttpd itself.
 *
 * Input: the first byte picks the version (even: HTTP/1.1, odd: HTTP/1.0), the rest is lines
 * "name:value" split at '\n' (a line without ':' is a name with an empty value; every byte,
 * NUL and CR included, passes through). Besides the sanitizers: the check always answers one
 * of its three outcomes with a reason exactly when it refuses, and refuses every head whose
 * Content-Length and Transfer-Encoding appear together, or that holds a CR in a value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http/framing.h"
#include "web/http/request.h"
#include "web/http/static.h"

#define FIELDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is(const struct web_field_view *f, const char *n)
{
    size_t k = strlen(n);
    if (f->name_len != k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = f->name[i];
        if ((c | 0x20) != n[i] && c != n[i])
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *version = (data[0] & 1) ? "HTTP/1.0" : "HTTP/1.1";
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    struct web_field_view f[FIELDS];
    size_t n = 0;
    bool cl = false, te = false, cr = false;
    while (p < end && n < FIELDS) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        f[n].name = p;
        f[n].name_len = (size_t)((colon ? colon : eol) - p);
        f[n].value = colon ? colon + 1 : eol;
        f[n].value_len = colon ? (size_t)(eol - colon - 1) : 0;
        cl |= is(&f[n], "content-length");
        te |= is(&f[n], "transfer-encoding");
        cr |= memchr(f[n].value, '\r', f[n].value_len) != NULL;
        n++;
        p = eol + 1;
    }
    const char *why = "unset";
    enum web_framing r = web_framing_check(version, f, n, &why);
    if (r != WEB_FRAMING_OK && r != WEB_FRAMING_BAD && r != WEB_FRAMING_UNSUPPORTED)
        abort();
    if ((r == WEB_FRAMING_OK) != (why == NULL))
        abort();
    if (r == WEB_FRAMING_OK && ((cl && te) || cr))
        abort(); /* smuggling's classic shapes always refused */

    /* the other headers read as C strings: the first field's value up to a NUL */
    char v[512];
    size_t k = n && f[0].value_len < sizeof v ? f[0].value_len : 0;
    if (k)
        memcpy(v, f[0].value, k);
    v[k] = '\0';
    enum core_lang lang = web_lang_of(v);
    if (lang != CORE_LANG_TR && lang != CORE_LANG_EN)
        abort();
    (void)web_etag_listed(v, "\"5f1-66a-1a2b\"");
    (void)web_etag_listed(v, "");
    return 0;
}
