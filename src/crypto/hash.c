/* eimza — hashing over OpenSSL's EVP interface. See hash.h. */
#include "crypto/hash.h"

#include <openssl/evp.h>
#include <pthread.h>

/* SHA-256 fetched from the provider once: EVP_sha256() makes every digest look it up again,
 * under the provider store's lock that the server's threads share (every request hashes its
 * session token). Kept for the process's life; NULL when the fetch failed (each call then
 * falls back to the implicit fetch). */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_SHA256_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    pthread_once(&sha256_once, sha256_fetch);
    if (!EVP_Digest(data, n, md, &mdlen, sha256_md ? sha256_md : EVP_sha256(), NULL) || mdlen != 32)
        return -1;
    for (unsigned i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * mdlen] = '\0';
    return 0;
}
