/* eimza — secrets kept at rest sealed with the server's key (crypto/): libsodium's secretbox
 * (XSalsa20-Poly1305, a random 24-byte nonce per value), issue 19, finding 8.
 *
 * The key is 32 random bytes given in the settings as base64 (`secret_key` in
 * /etc/eimza/secrets.conf, which the Debian package's postinst fills in at installation). A
 * sealed value is text, "s1.<key id>.<base64 of nonce || box>", where the key id is the first
 * 4 bytes of the key's BLAKE2b hash in hex: a value sealed with another key is told apart
 * from a damaged one, and a key can later be rotated by keeping the old one beside it.
 *
 * Each value is sealed for a context (the TOTP secret of "staff:ayse", the SMS code of message
 * 17): the context is sealed with it and checked when it is opened, so a sealed value copied
 * onto another row does not open there. Opening only ever gives a value whole: a wrong key, a
 * changed byte or another context gives an error and an empty output.
 */
#ifndef EIMZA_CRYPTO_SEAL_H
#define EIMZA_CRYPTO_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SEAL_KEY_BYTES 32
#define CRYPTO_SEAL_ID_HEX    8
#define CRYPTO_SEAL_PLAIN_MAX 128 /* the longest value sealed (a TOTP secret, a code) */
#define CRYPTO_SEAL_CTX_MAX   96  /* the longest context */
/* "s1." id "." base64(24 + 16 + 1 + ctx + plain) and a NUL */
#define CRYPTO_SEAL_TEXT_MAX 420

struct crypto_seal_key {
    unsigned char k[CRYPTO_SEAL_KEY_BYTES];
    char id[CRYPTO_SEAL_ID_HEX + 1];
};

/* The key from its text form: base64 (standard alphabet, padded or not) of exactly 32 bytes;
 * white space around it is ignored. Returns 0, or -1 (*out zeroed). */
int crypto_seal_key_parse(const char *text, struct crypto_seal_key *out);

/* The fixed, published development key (`eimza serve --dev` without a secret_key): nothing
 * sealed with it is secret. */
void crypto_seal_key_dev(struct crypto_seal_key *out);

/* Whether s has the form of a sealed value (its prefix); says nothing of the key. */
bool crypto_sealed(const char *s);

/* Seals plain (at most CRYPTO_SEAL_PLAIN_MAX bytes) for ctx (at most CRYPTO_SEAL_CTX_MAX)
 * into out (cap >= CRYPTO_SEAL_TEXT_MAX). Returns 0, or -1 ("" in out). */
int crypto_seal(const struct crypto_seal_key *key, const char *ctx, const char *plain, char *out,
                size_t cap);

enum crypto_unseal {
    CRYPTO_UNSEAL_OK = 0,
    CRYPTO_UNSEAL_NOT_SEALED, /* not of the sealed form (a value stored before sealing) */
    CRYPTO_UNSEAL_OTHER_KEY,  /* sealed with a key of another id */
    CRYPTO_UNSEAL_BAD,        /* damaged, truncated, or sealed for another context */
};
/* Opens a sealed value into out (cap > CRYPTO_SEAL_PLAIN_MAX); "" on any error. */
enum crypto_unseal crypto_unseal(const struct crypto_seal_key *key, const char *ctx,
                                 const char *sealed, char *out, size_t cap);

#endif
