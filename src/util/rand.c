/* eimza — CSPRNG over getrandom(2). See rand.h. */
#include "util/rand.h"

#include <errno.h>
#include <sys/random.h>

int urand_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

int urand_uniform(uint32_t bound, uint32_t *out)
{
    /* 2^32 mod bound: values below it would make the low results more likely. */
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t v;
        if (urand_bytes(&v, sizeof v) < 0)
            return -1;
        if (v >= threshold) {
            *out = v % bound;
            return 0;
        }
    }
}
