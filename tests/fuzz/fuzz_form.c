/* eimza — libFuzzer driver: the decoding of a submitted HTML form (web/http/formdata.c,
 * application/x-www-form-urlencoded: '+', %XX, '&', '=') and the value parsers the pages apply
 * to what it gives (web_pg_parse_count for counts and offsets from the form or the query
 * string, core_text_check for text). The query string itself is split and decoded by
 * libmicrohttpd before our code sees it; its decoded values take the same parsers.
 *
 * Besides the sanitizers, the driver checks the parser's promises: a parse is all or nothing
 * (a refused body leaves no field), there are at most WEB_FORMDATA_MAX_FIELDS fields, every
 * name and value is valid UTF-8 without a NUL, the first field of a name is the one
 * web_formdata_get finds, and web_pg_parse_count never gives a count outside 0..max. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trtext.h"
#include "web/http/formdata.h"
#include "web/pages/pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct web_formdata f;
    memset(&f, 0, sizeof f);
    if (web_formdata_parse(&f, (const char *)data, size) < 0) {
        if (f.n != 0 || f.mem)
            abort(); /* a refused body leaves nothing behind */
        web_formdata_free(&f);
        return 0;
    }
    if (f.n > WEB_FORMDATA_MAX_FIELDS)
        abort();
    for (size_t i = 0; i < f.n; i++) {
        const char *n = f.names[i], *v = f.values[i];
        if (!n || !v || !core_utf8_valid(n, strlen(n)) || !core_utf8_valid(v, strlen(v)))
            abort();
        const char *first = web_formdata_get(&f, n);
        size_t j = 0;
        while (strcmp(f.names[j], n) != 0)
            j++;
        if (first != f.values[j])
            abort();
        long count = -1;
        if (web_pg_parse_count(v, 1000000, &count) && (count < 0 || count > 1000000))
            abort();
        (void)core_text_check(v, strlen(v), 0);
    }
    web_formdata_free(&f);
    return 0;
}
