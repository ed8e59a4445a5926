/* eimza — PKCS#11 access through libp11 (placeholder until the signer lands). */
#include "sign/sign.h"

const char *sign_libp11_version(void)
{
    return "0.4";
}
