/* eimza — the CSPRNG (util/): getrandom(2), the kernel's generator, never a seeded PRNG.
 * Used for session ids, SMS codes, captcha texts and salts. */
#ifndef EIMZA_UTIL_RAND_H
#define EIMZA_UTIL_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf with n random bytes; returns 0, or -1 when the kernel cannot give them. */
int urand_bytes(void *buf, size_t n);
/* A uniform number in [0, bound) without modulo bias; bound > 0. Returns 0 on success. */
int urand_uniform(uint32_t bound, uint32_t *out);

#endif
