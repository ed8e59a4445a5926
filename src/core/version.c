/* eimza — comparing dotted versions. See version.h. */
#include "core/version.h"

#include <string.h>

/* Parses up to 4 dotted numbers of up to 6 digits; -1 when malformed. */
static int core_version_parse(const char *s, unsigned long v[4])
{
    int parts = 0;
    memset(v, 0, 4 * sizeof v[0]);
    if (!s || !*s)
        return -1;
    for (;;) {
        int digits = 0;
        if (parts == 4)
            return -1;
        while (*s >= '0' && *s <= '9') {
            if (++digits > 6)
                return -1;
            v[parts] = v[parts] * 10 + (unsigned long)(*s++ - '0');
        }
        if (digits == 0)
            return -1;
        parts++;
        if (*s == '\0')
            return 0;
        if (*s++ != '.')
            return -1;
    }
}

int core_version_cmp(const char *a, const char *b)
{
    unsigned long va[4], vb[4];
    if (core_version_parse(a, va) < 0 || core_version_parse(b, vb) < 0)
        return -2;
    for (int i = 0; i < 4; i++)
        if (va[i] != vb[i])
            return va[i] < vb[i] ? -1 : 1;
    return 0;
}

bool core_version_ok(const char *s)
{
    unsigned long v[4];
    return core_version_parse(s, v) == 0;
}
