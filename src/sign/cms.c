/* eimza — the CAdES-BES signature: an OpenSSL CMS SignedData over exactly the content's
 * bytes, detached (the portal already has the content; it renders it again to check), in
 * binary mode (no MIME canonicalisation: CR LF and UTF-8 stay as they are), SHA-256, with the
 * signer's certificate and the ESS signing-certificate-v2 attribute (CMS_CADES) that binds
 * the signature to that certificate. The key may live on a card: OpenSSL calls into libp11
 * for the one private-key operation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>

#include "sign/sign_int.h"

/* The first OpenSSL error, for the English detail. */
static const char *sign_ossl_err(char *buf, size_t n)
{
    unsigned long e = ERR_peek_error();
    if (!e)
        return "no detail";
    ERR_error_string_n(e, buf, n);
    return buf;
}

enum sign_err sign_cms_cades(EVP_PKEY *key, X509 *cert, const unsigned char *data, size_t n,
                             unsigned char **der, size_t *der_len, struct sign_status *st)
{
    const unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    CMS_ContentInfo *cms = NULL;
    BIO *in = NULL;
    unsigned char *tmp = NULL, *copy = NULL;
    char ebuf[200];
    enum sign_err e = SIGN_E_SIGN;
    int len;

    *der = NULL;
    *der_len = 0;
    ERR_clear_error();
    if (n > (size_t)INT32_MAX) {
        sign_status_set(st, SIGN_E_SIGN, "content too large");
        goto out;
    }
    cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    if (!cms)
        goto fail;
    /* CMS_CADES adds signing-certificate-v2 with the certificate's SHA-256 hash. */
    if (!CMS_add1_signer(cms, cert, key, EVP_sha256(), CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP))
        goto fail;
    in = BIO_new_mem_buf(data, (int)n);
    if (!in)
        goto fail;
    if (!CMS_final(cms, in, NULL, CMS_DETACHED | CMS_BINARY))
        goto fail;
    len = i2d_CMS_ContentInfo(cms, &tmp);
    if (len <= 0)
        goto fail;
    copy = malloc((size_t)len);
    if (!copy) {
        sign_status_set(st, SIGN_E_NOMEM, NULL);
        e = SIGN_E_NOMEM;
        goto out;
    }
    memcpy(copy, tmp, (size_t)len);
    *der = copy;
    *der_len = (size_t)len;
    e = SIGN_OK;
    goto out;
fail:
    sign_status_set(st, SIGN_E_SIGN, "CMS signing failed: %s", sign_ossl_err(ebuf, sizeof ebuf));
out:
    ERR_clear_error();
    OPENSSL_free(tmp);
    BIO_free(in);
    CMS_ContentInfo_free(cms);
    return e;
}
