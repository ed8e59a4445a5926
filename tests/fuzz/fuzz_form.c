/* eimza — libFuzzer driver: the decoding of a submitted HTML form (web/http/formdata.c,
 * application/x-www-form-urlencoded: '+', %XX, '&', '=') and the value parsers the pages apply
 * to what it gives (web/http/request.h's web_num_parse for numbers and web_id_parse for ids,
 * from the form, the query string or the path; core_text_check for text). The query string itself
 * is split and decoded by libmicrohttpd before our code sees it; its decoded values take the same
 * parsers.
 *
 * Besides the sanitizers, the driver checks the parser's promises: a parse is all or nothing
 * (a refused body leaves no field), there are at most WEB_FORMDATA_MAX_FIELDS fields, every
 * name and value is valid UTF-8 without a NUL, the first field of a name is the one
 * web_formdata_get finds, web_num_parse never gives a number outside min..max, and an id
 * web_id_parse takes is the canonical text of the value it gives (written back, the same). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trtext.h"
#include "web/http/formdata.h"
#include "web/http/request.h"

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
        if (web_num_parse(v, -5, 1000000, &count) && (count < -5 || count > 1000000))
            abort();
        int64_t id = 0;
        char back[24];
        if (web_id_parse(v, strlen(v), &id) &&
            (id < 1 || snprintf(back, sizeof back, "%lld", (long long)id) < 0 || strcmp(back, v)))
            abort();
        (void)core_text_check(v, strlen(v), 0);
    }
    web_formdata_free(&f);
    return 0;
}
