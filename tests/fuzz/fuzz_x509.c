/* eimza — libFuzzer driver: certificate and CRL import (crypto/x509.c).
 *
 * The input is a file as `eimza import certificates` reads it: PEM with any number of
 * certificates, CRLs and other blocks, or DER (one object or several concatenated). It is
 * walked with crypto_objiter as app/import_certs.c walks it, every CRL entry read; and the
 * whole input is also given to crypto_x509_parse_der, the single-certificate entry. Besides
 * the sanitizers, the driver checks the walk's promises: objects are numbered upwards, text
 * fields are NUL-terminated within their arrays, and a refused object names a reason. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A text field must end inside its array. */
#define CHECK_STR(a)                                                                               \
    do {                                                                                           \
        if (!memchr((a), '\0', sizeof(a)))                                                         \
            abort();                                                                               \
    } while (0)

static void check_cert(const struct core_certificate *c)
{
    CHECK_STR(c->subject_name);
    CHECK_STR(c->subject);
    CHECK_STR(c->issuer);
    CHECK_STR(c->serial);
    CHECK_STR(c->tckn);
    CHECK_STR(c->policies);
    CHECK_STR(c->fingerprint);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct crypto_objiter *it = NULL;
    struct crypto_obj obj;
    struct core_certificate one;
    enum crypto_x509_err why;
    enum crypto_iter_status st;
    unsigned last = 0;

    if (crypto_x509_parse_der(data, size, &one) == CRYPTO_X509_OK)
        check_cert(&one);

    if (crypto_objiter_new(data, size, &it) != CRYPTO_X509_OK)
        return 0;
    for (int guard = 0; (st = crypto_objiter_next(it, &obj, &why)) != CRYPTO_ITER_END; guard++) {
        if (guard > 100000 || obj.index <= last)
            abort(); /* the walk must end, one object at a time */
        last = obj.index;
        if (st == CRYPTO_ITER_BAD) {
            if (why == CRYPTO_X509_OK || !crypto_objiter_detail(it)[0])
                abort();
            if (why == CRYPTO_X509_NOMEM)
                break;
            continue;
        }
        if (obj.kind == CRYPTO_OBJ_CERT) {
            check_cert(&obj.cert);
        } else {
            CHECK_STR(obj.crl_issuer);
            for (size_t i = 0; i < obj.crl_count; i++) {
                struct crypto_crl_entry e;
                if (crypto_objiter_crl_entry(it, i, &e) == CRYPTO_X509_OK)
                    CHECK_STR(e.serial);
            }
        }
    }
    crypto_objiter_free(it);
    return 0;
}
