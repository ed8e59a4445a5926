/* eimza — secrets sealed at rest (see seal.h). */
#include "crypto/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEAL_PREFIX "s1."

static int seal_key_id(struct crypto_seal_key *k)
{
    unsigned char h[4];
    if (crypto_generichash(h, sizeof h, k->k, sizeof k->k, NULL, 0) != 0)
        return -1;
    sodium_bin2hex(k->id, sizeof k->id, h, sizeof h);
    return 0;
}

int crypto_seal_key_parse(const char *text, struct crypto_seal_key *out)
{
    size_t bin_len = 0;
    const char *end = NULL;
    memset(out, 0, sizeof *out);
    if (!text || sodium_init() < 0)
        return -1;
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
                     text[n - 1] == '\r'))
        n--;
    unsigned char bin[CRYPTO_SEAL_KEY_BYTES + 1];
    if (sodium_base642bin(bin, sizeof bin, text, n, NULL, &bin_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 &&
        sodium_base642bin(bin, sizeof bin, text, n, NULL, &bin_len, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) {
        sodium_memzero(bin, sizeof bin);
        return -1;
    }
    if (bin_len != CRYPTO_SEAL_KEY_BYTES || end != text + n) {
        sodium_memzero(bin, sizeof bin);
        return -1;
    }
    memcpy(out->k, bin, CRYPTO_SEAL_KEY_BYTES);
    sodium_memzero(bin, sizeof bin);
    if (seal_key_id(out) < 0) {
        sodium_memzero(out, sizeof *out);
        return -1;
    }
    return 0;
}

void crypto_seal_key_dev(struct crypto_seal_key *out)
{
    static const char dev[] = "eimza development key: not secret";
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0)
        return;
    crypto_generichash(out->k, sizeof out->k, (const unsigned char *)dev, sizeof dev - 1, NULL, 0);
    (void)seal_key_id(out);
}

bool crypto_sealed(const char *s)
{
    return s && !strncmp(s, SEAL_PREFIX, sizeof SEAL_PREFIX - 1);
}

/* The plain text inside the box: the context's length (1 byte), the context, the value. */
static size_t seal_inner(const char *ctx, const char *plain, unsigned char *buf, size_t cap)
{
    size_t c = strlen(ctx), p = strlen(plain);
    if (c > CRYPTO_SEAL_CTX_MAX || p > CRYPTO_SEAL_PLAIN_MAX || 1 + c + p > cap)
        return 0;
    buf[0] = (unsigned char)c;
    memcpy(buf + 1, ctx, c);
    memcpy(buf + 1 + c, plain, p);
    return 1 + c + p;
}

#define INNER_MAX (1 + CRYPTO_SEAL_CTX_MAX + CRYPTO_SEAL_PLAIN_MAX)
#define BOX_MAX   (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + INNER_MAX)

int crypto_seal(const struct crypto_seal_key *key, const char *ctx, const char *plain, char *out,
                size_t cap)
{
    unsigned char inner[INNER_MAX], box[BOX_MAX];
    int rc = -1;
    if (cap)
        out[0] = '\0';
    if (!key || !ctx || !plain || sodium_init() < 0)
        return -1;
    size_t n = seal_inner(ctx, plain, inner, sizeof inner);
    if (n == 0)
        goto out;
    unsigned char *nonce = box, *c = box + crypto_secretbox_NONCEBYTES;
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(c, inner, n, nonce, key->k) != 0)
        goto out;
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    size_t head = sizeof SEAL_PREFIX - 1 + CRYPTO_SEAL_ID_HEX + 1;
    size_t b64 = sodium_base64_encoded_len(blen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (head + b64 > cap)
        goto out;
    snprintf(out, cap, "%s%s.", SEAL_PREFIX, key->id);
    sodium_bin2base64(out + head, cap - head, box, blen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = 0;
out:
    sodium_memzero(inner, sizeof inner);
    sodium_memzero(box, sizeof box);
    if (rc < 0 && cap)
        out[0] = '\0';
    return rc;
}

enum crypto_unseal crypto_unseal(const struct crypto_seal_key *key, const char *ctx,
                                 const char *sealed, char *out, size_t cap)
{
    unsigned char box[BOX_MAX], inner[INNER_MAX];
    size_t blen = 0;
    const char *end = NULL;
    enum crypto_unseal r = CRYPTO_UNSEAL_BAD;
    if (cap)
        out[0] = '\0';
    if (!crypto_sealed(sealed))
        return CRYPTO_UNSEAL_NOT_SEALED;
    if (!key || !ctx || cap <= CRYPTO_SEAL_PLAIN_MAX || sodium_init() < 0)
        return CRYPTO_UNSEAL_BAD;
    const char *id = sealed + sizeof SEAL_PREFIX - 1;
    if (strlen(id) < CRYPTO_SEAL_ID_HEX + 1 || id[CRYPTO_SEAL_ID_HEX] != '.')
        return CRYPTO_UNSEAL_BAD;
    if (strncmp(id, key->id, CRYPTO_SEAL_ID_HEX) != 0)
        return CRYPTO_UNSEAL_OTHER_KEY;
    const char *b64 = id + CRYPTO_SEAL_ID_HEX + 1;
    size_t n64 = strlen(b64);
    if (sodium_base642bin(box, sizeof box, b64, n64, NULL, &blen, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != b64 + n64 || blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 1)
        goto out;
    size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (crypto_secretbox_open_easy(inner, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, key->k) != 0)
        goto out;
    size_t c = inner[0];
    if (1 + c > n || c != strlen(ctx) || memcmp(inner + 1, ctx, c) != 0)
        goto out;
    size_t p = n - 1 - c;
    if (p >= cap || memchr(inner + 1 + c, '\0', p))
        goto out;
    memcpy(out, inner + 1 + c, p);
    out[p] = '\0';
    r = CRYPTO_UNSEAL_OK;
out:
    sodium_memzero(inner, sizeof inner);
    sodium_memzero(box, sizeof box);
    return r;
}
