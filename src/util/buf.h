/* eimza — a growable byte buffer with a mandatory cap (util/, libc only).
 *
 * Every buffer is created with the most it may ever hold; growth past that fails instead of
 * eating memory (a request body, a CSV line, a rendered page all have a natural bound).
 * The contents are always NUL-terminated so they can be used as a C string; len excludes it.
 * Ownership: the buffer owns p; ubuf_free() releases it, ubuf_steal() hands it to the caller.
 */
#ifndef EIMZA_UTIL_BUF_H
#define EIMZA_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ubuf {
    char *p;    /* NULL until the first write */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the most len may ever be */
};

#define UBUF_INIT(maxbytes)                                                                        \
    {                                                                                              \
        NULL, 0, 0, (maxbytes)                                                                     \
    }

void ubuf_init(struct ubuf *b, size_t max);
/* Appends; returns 0, or -1 when memory runs out or the cap would be passed (b unchanged). */
int ubuf_put(struct ubuf *b, const void *data, size_t n);
int ubuf_puts(struct ubuf *b, const char *s);
int ubuf_putc(struct ubuf *b, char c);
int ubuf_printf(struct ubuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ubuf_vprintf(struct ubuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends what is left to read from the file descriptor fd (read() retried on EINTR): 0 at its
 * end; -1 when a read fails (errno set); -2 when memory runs out or the cap would be passed
 * (what came before stays). */
int ubuf_read_fd(struct ubuf *b, int fd);
/* Empties the buffer, keeping its memory. */
void ubuf_reset(struct ubuf *b);
/* The contents as a string ("" for an empty buffer, never NULL). */
const char *ubuf_str(const struct ubuf *b);
/* Hands the memory to the caller (who frees it) and empties the buffer. */
char *ubuf_steal(struct ubuf *b);
void ubuf_free(struct ubuf *b);

#endif
