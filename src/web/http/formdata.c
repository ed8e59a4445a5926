/* eimza — decoding application/x-www-form-urlencoded bodies. See formdata.h. */
#include "web/http/formdata.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"
#include "web/html/escape.h"

/* Decodes s[0..n) into out (room for n + 1 bytes), NUL-terminated. Returns the length, or
 * -1 for a bad escape or a result that is not valid UTF-8 without NUL. */
static long web_urldecode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            if (n - i < 3)
                return -1; /* a '%' needs two hex digits after it */
            int h = uhex_value(s[i + 1]), l = uhex_value(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return web_utf8_valid(out, o) ? (long)o : -1;
}

int web_formdata_parse(struct web_formdata *f, const char *body, size_t len)
{
    memset(f, 0, sizeof *f);
    /* decoded text is never longer than the body; each name and value gets its NUL */
    f->mem = malloc(len + 2 * WEB_FORMDATA_MAX_FIELDS + 1);
    if (!f->mem)
        return -1;
    char *out = f->mem;
    size_t i = 0;
    while (i < len) {
        size_t item = 0;
        while (i + item < len && body[i + item] != '&')
            item++;
        if (item > 0) { /* "a=1&&b=2": empty items are skipped, as browsers never send them */
            if (f->n == WEB_FORMDATA_MAX_FIELDS)
                goto fail;
            const char *eq = memchr(body + i, '=', item);
            size_t nlen = eq ? (size_t)(eq - (body + i)) : item;
            long dn = web_urldecode(body + i, nlen, out);
            if (dn < 0)
                goto fail;
            f->names[f->n] = out;
            out += dn + 1;
            long dv = eq ? web_urldecode(eq + 1, item - nlen - 1, out) : (out[0] = '\0', 0);
            if (dv < 0)
                goto fail;
            f->values[f->n++] = out;
            out += dv + 1;
        }
        i += item + 1; /* past the '&' */
    }
    return 0;
fail:
    web_formdata_free(f);
    return -1;
}

const char *web_formdata_get(const struct web_formdata *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->names[i], name))
            return f->values[i];
    return NULL;
}

void web_formdata_free(struct web_formdata *f)
{
    free(f->mem);
    memset(f, 0, sizeof *f);
}
