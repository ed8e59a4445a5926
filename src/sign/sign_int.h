/* eimza — the sign/ layer's internal interfaces: the CMS builder (OpenSSL types), the status
 * helper, and the parts of the pinentry (Assuan) client that unit tests and the fuzz driver
 * reach. Not for other layers. */
#ifndef EIMZA_SIGN_SIGN_INT_H
#define EIMZA_SIGN_SIGN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sign/sign.h"
#include "util/buf.h"

/* Sets st->err, st->message and st->message_en (the general messages of e, the catalogue's
 * "sign_err.CODE") and st->detail (printf-style, English, may be NULL); clears the PIN flags. */
void sign_status_set(struct sign_status *st, enum sign_err e, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Replaces st->message and st->message_en with the catalogue's key in Turkish and English (its
 * {0} filled with arg when arg is not NULL): a failure's own words instead of its code's. */
void sign_status_say(struct sign_status *st, const char *key, const char *arg);

/* CAdES-BES over data[0..n): CMS SignedData, detached, SHA-256, signed attributes with the
 * content type, message digest, signing time and signing-certificate-v2, the signer's
 * certificate included. key may be a token's key (libp11) or a software one; it must match
 * cert. On success *der is malloc'ed (free()). */
enum sign_err sign_cms_cades(EVP_PKEY *key, X509 *cert, const unsigned char *data, size_t n,
                             unsigned char **der, size_t *der_len, struct sign_status *st);

/* ---- the pinentry dialogue (pinentry.c, on libassuan) ------------------------------------- */

#define SIGN_ASSUAN_LINE_MAX 1000 /* the protocol's limit, including the newline */

/* Appends s to out percent-escaped for an Assuan command argument: '%', CR, LF and other
 * control bytes become %XX. Returns 0, or -1 when out's cap is reached. */
int sign_assuan_escape(const char *s, struct ubuf *out);

/* How many bytes s takes once escaped by sign_assuan_escape. */
size_t sign_assuan_escaped_len(const char *s);

/* Appends s (as it is, unescaped) to out so that its escaped form takes at most budget bytes:
 * a longer s is cut before a character (never inside a UTF-8 sequence) and "…" is added,
 * within the budget. Returns 0 when s went in whole, 1 when it was cut, -1 when out's cap is
 * reached. For the dialogue's texts, which must fit one Assuan line. */
int sign_assuan_fit(const char *s, size_t budget, struct ubuf *out);

/* The dialogue of sign_pin_from_pinentry (greeting, options, texts, GETPIN, BYE) with a
 * pinentry already connected on the socket fd, which is closed on return. The unit tests and
 * the fuzz driver play pinentry's part on the other end. Same results as
 * sign_pin_from_pinentry. */
enum sign_err sign_pinentry_over_fd(int fd, const struct sign_pin_request *req, char *pin,
                                    size_t cap);

#endif
