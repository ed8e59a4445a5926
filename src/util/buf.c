/* eimza — growable byte buffer with a cap. See buf.h. */
#include "util/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ubuf_init(struct ubuf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static int ubuf_reserve(struct ubuf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 512;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    char *np = realloc(b->p, ncap);
    if (!np)
        return -1;
    b->p = np;
    b->cap = ncap;
    return 0;
}

int ubuf_put(struct ubuf *b, const void *data, size_t n)
{
    if (ubuf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int ubuf_read_fd(struct ubuf *b, int fd)
{
    char chunk[16384];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        if (ubuf_put(b, chunk, (size_t)r) < 0)
            return -2;
    }
}

int ubuf_puts(struct ubuf *b, const char *s)
{
    return ubuf_put(b, s, strlen(s));
}

int ubuf_putc(struct ubuf *b, char c)
{
    return ubuf_put(b, &c, 1);
}

int ubuf_vprintf(struct ubuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || ubuf_reserve(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int ubuf_printf(struct ubuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ubuf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void ubuf_reset(struct ubuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

const char *ubuf_str(const struct ubuf *b)
{
    return b->p ? b->p : "";
}

char *ubuf_steal(struct ubuf *b)
{
    char *p = b->p;
    if (!p)
        p = calloc(1, 1);
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void ubuf_free(struct ubuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
