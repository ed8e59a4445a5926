/* eimza — the sign/ layer's internal interfaces: the CMS builder (OpenSSL types), the status
 * helper, and the pure parts of the pinentry (Assuan) client, kept apart so that unit tests
 * can reach them. Not for other layers. */
#ifndef EIMZA_SIGN_SIGN_INT_H
#define EIMZA_SIGN_SIGN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sign/sign.h"
#include "util/buf.h"

/* Sets st->err, st->message (the general Turkish message of e, or msg when not NULL) and
 * st->detail (printf-style, English, may be NULL); clears the PIN flags. */
void sign_status_set(struct sign_status *st, enum sign_err e, const char *msg,
                     const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

/* CAdES-BES over data[0..n): CMS SignedData, detached, SHA-256, signed attributes with the
 * content type, message digest, signing time and signing-certificate-v2, the signer's
 * certificate included. key may be a token's key (libp11) or a software one; it must match
 * cert. On success *der is malloc'ed (free()). */
enum sign_err sign_cms_cades(EVP_PKEY *key, X509 *cert, const unsigned char *data, size_t n,
                             unsigned char **der, size_t *der_len, struct sign_status *st);

/* ---- Assuan (the pinentry protocol), pure parts ------------------------------------------ */

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

/* Decodes the %XX escapes of a data line's payload into out (cap bytes, always
 * NUL-terminated), appending at *len. Returns 0, or -1 on a malformed escape, an encoded
 * NUL, or when out would overflow. */
int sign_assuan_unescape(const char *s, char *out, size_t cap, size_t *len);

enum sign_assuan_kind {
    SIGN_ASSUAN_OK,      /* "OK [text]" */
    SIGN_ASSUAN_ERR,     /* "ERR code [text]" */
    SIGN_ASSUAN_DATA,    /* "D payload" */
    SIGN_ASSUAN_SKIP,    /* "S ..." status or "#" comment: ignored */
    SIGN_ASSUAN_INQUIRE, /* "INQUIRE keyword": pinentry never asks; refused */
    SIGN_ASSUAN_BAD,     /* anything else */
};

struct sign_assuan_reply {
    enum sign_assuan_kind kind;
    unsigned long code; /* SIGN_ASSUAN_ERR: the gpg-error code (source in the high bits) */
    const char *rest;   /* points into the line: the text after the keyword ("" if none) */
};

/* Classifies one response line (without its newline). */
void sign_assuan_parse(const char *line, struct sign_assuan_reply *out);

/* Whether an ERR code means the person cancelled (GPG_ERR_CANCELED, any error source). */
bool sign_assuan_is_cancel(unsigned long code);

#endif
