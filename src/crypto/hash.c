/* eimza — hashing over OpenSSL's EVP interface. See hash.h. */
#include "crypto/hash.h"

#include <openssl/evp.h>

int crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_SHA256_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return -1;
    for (unsigned i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * mdlen] = '\0';
    return 0;
}
