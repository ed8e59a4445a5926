/* eimza — hashing (crypto/: OpenSSL behind a small API). */
#ifndef EIMZA_CRYPTO_HASH_H
#define EIMZA_CRYPTO_HASH_H

#include <stddef.h>

#define CRYPTO_SHA256_HEX 64

/* SHA-256 of data as lower-case hex and a NUL (65 bytes). Returns 0, or -1 on failure. */
int crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_SHA256_HEX + 1]);

#endif
