/* eimza — the card-side signer and the local signing agent (sign/): PKCS#11 tokens through
 * libp11. Filled in by the signer work; this header names the layer until then. */
#ifndef EIMZA_SIGN_SIGN_H
#define EIMZA_SIGN_SIGN_H

/* The libp11 version this build uses, e.g. "0.4.12" (for `eimza agent`'s start-up line). */
const char *sign_libp11_version(void);

#endif
