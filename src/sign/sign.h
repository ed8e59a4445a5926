/* eimza — the card-side signer (sign/): PKCS#11 tokens through libp11, the PIN (pinentry or a
 * file descriptor), and CAdES-BES detached signatures made with the token's key. Used by
 * `eimza sign` and by the local signing agent (sign/agent.h), never by the web server: the
 * card and its PIN live only on the holder's own machine.
 *
 * Every failure comes back as an enum sign_err with a stable code (sign_err_code) and, in a
 * struct sign_status, a Turkish message for the holder that says what to do. The PIN is asked
 * at most once per signature and never retried automatically: three wrong PINs lock an AKİS
 * card, so only the person decides to try again.
 */
#ifndef EIMZA_SIGN_SIGN_H
#define EIMZA_SIGN_SIGN_H

#include <stdbool.h>
#include <stddef.h>

enum sign_err {
    SIGN_OK = 0,
    SIGN_E_MODULE,          /* module_error: the PKCS#11 module cannot be loaded or used */
    SIGN_E_TOKEN_NOT_FOUND, /* token_not_found: no card (with that label) */
    SIGN_E_TOKEN_AMBIGUOUS, /* token_ambiguous: several cards could sign, none was named */
    SIGN_E_NO_CERTIFICATE,  /* no_certificate: the card holds no signing certificate */
    SIGN_E_NO_KEY,          /* no_private_key: no private key with the certificate's id */
    SIGN_E_PIN_LOCKED,      /* pin_locked: the user PIN is locked (before or after a try) */
    SIGN_E_PIN_INCORRECT,   /* pin_incorrect: the card refused the PIN */
    SIGN_E_PIN_INVALID,     /* pin_invalid: empty, too long, or outside the card's range */
    SIGN_E_CANCELLED,       /* cancelled: the person cancelled the PIN dialogue */
    SIGN_E_PIN_UNAVAILABLE, /* pin_unavailable: no way to ask (no pinentry, --pin-fd at EOF) */
    SIGN_E_TOKEN,           /* token_error: the card failed during login or signing */
    SIGN_E_SIGN,            /* sign_failed: the CMS structure could not be made */
    SIGN_E_NOMEM,           /* out_of_memory */
};

/* The stable code ("pin_incorrect"), a general Turkish message, its English counterpart (the
 * catalogue's "sign_err.CODE"; the relay path shows both: the agent's dialogue does not know
 * the page's language), and the HTTP status the agent answers with. */
const char *sign_err_code(enum sign_err e);
const char *sign_err_message(enum sign_err e);
const char *sign_err_message_en(enum sign_err e);
int sign_err_http_status(enum sign_err e);

/* The user-PIN flags a token reports (PKCS#11 CK_TOKEN_INFO.flags through libp11). */
struct sign_pin_state {
    bool count_low; /* CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good one */
    bool final_try; /* CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the card */
    bool locked;    /* CKF_USER_PIN_LOCKED */
};

/* The warning to show before asking for the PIN (Turkish), or NULL when there is none. A
 * locked PIN has no warning: the caller refuses with sign_pin_locked_message() instead. */
const char *sign_pin_warning(const struct sign_pin_state *p);
const char *sign_pin_locked_message(void);
/* The message after the card refused a PIN, from the flags read again after the failure:
 * what the token says about the tries that remain; sign_pin_failure_key is its catalogue key
 * ("pin.failed...", for the message in another language). */
const char *sign_pin_failure_message(const struct sign_pin_state *after);
const char *sign_pin_failure_key(const struct sign_pin_state *after);

/* What eimza knows of a token before logging in. Strings are UTF-8, NUL-terminated,
 * trailing blanks removed; the lengths are PKCS#11's fixed field sizes. */
struct sign_token_info {
    unsigned long slot_id;
    char label[33];
    char manufacturer[33];
    char model[17]; /* the card type shown to people ("kart tipi") */
    char serial[17];
    struct sign_pin_state pin;
    bool login_required;
    bool protected_path;  /* a PIN pad on the reader: the PIN is typed there, not here */
    bool has_certificate; /* a certificate fit for signing (not a CA; key usage allows it) */
    char cert_subject_cn[256];
    char cert_not_after[21]; /* "YYYY-MM-DDTHH:MM:SSZ" */
    char cert_key_type[8];   /* "RSA", "EC" or "?" */
};

/* The outcome of an operation: err, and for people a Turkish message (always set on
 * failure), an English detail for diagnostics (may be ""), and the PIN flags when the failure
 * concerns the PIN. Never holds the PIN. */
struct sign_status {
    enum sign_err err;
    char message[512];    /* what the person reads, Turkish */
    char message_en[512]; /* the same in English (the relay path shows both) */
    char detail[256];
    bool has_pin;
    struct sign_pin_state pin;
};

/* ---- asking for the PIN ------------------------------------------------------------------- */

#define SIGN_PIN_MAX 64 /* bytes; AKİS PINs are 6 digits, PKCS#11 tokens rarely allow more */

struct sign_pin_request {
    const struct sign_token_info *token;
    const char *warning; /* sign_pin_warning() of the token, or NULL */
    const char *purpose; /* one more line for the dialogue (who asks, what), or NULL */
};

/* Fills pin (cap bytes, NUL-terminated) and returns SIGN_OK, or SIGN_E_CANCELLED,
 * SIGN_E_PIN_UNAVAILABLE, SIGN_E_PIN_INVALID, SIGN_E_NOMEM. The caller wipes pin. */
typedef enum sign_err (*sign_pin_fn)(void *arg, const struct sign_pin_request *req, char *pin,
                                     size_t cap);

/* Shows req (the card, its warning and the purpose: what is signed for whom) and waits for
 * the person's yes. Used when no PIN is typed through a sign_pin_fn (a PIN pad on the reader,
 * or a card that needs no login), so that a signature is never made without the person
 * having seen what it is for. SIGN_OK, SIGN_E_CANCELLED or SIGN_E_PIN_UNAVAILABLE (no way to
 * ask). */
typedef enum sign_err (*sign_confirm_fn)(void *arg, const struct sign_pin_request *req);

/* A sign_pin_fn reading one line from a file descriptor (arg: an int * holding it). Reads
 * byte by byte so that the next line stays for the next signature; a trailing "\r" is
 * dropped. EOF before any byte is SIGN_E_PIN_UNAVAILABLE; an empty or too long line is
 * SIGN_E_PIN_INVALID. */
enum sign_err sign_pin_from_fd(void *arg, const struct sign_pin_request *req, char *pin,
                               size_t cap);

/* A sign_pin_fn asking through pinentry (arg: the program's name or path, or NULL for
 * $EIMZA_PINENTRY, else "pinentry"), speaking the Assuan protocol on a pipe. */
enum sign_err sign_pin_from_pinentry(void *arg, const struct sign_pin_request *req, char *pin,
                                     size_t cap);

/* A sign_confirm_fn through pinentry (arg as above): the text and the card, with "İmzala" and
 * "İptal" buttons (Assuan CONFIRM). */
enum sign_err sign_confirm_from_pinentry(void *arg, const struct sign_pin_request *req);

/* Shows text in a pinentry dialogue with one button and waits until it is closed (arg as
 * above). The text is cut with "…" to what one dialogue takes. Returns 0, or -1 when no
 * dialogue could be shown. */
int sign_message_from_pinentry(void *arg, const char *text);

/* Closes the pinentry dialogue open now, if any (from any thread; async-signal-safe): the
 * PIN request it serves ends as SIGN_E_PIN_UNAVAILABLE. The agent calls it when stopping, so
 * a dialogue nobody answers does not hold the shutdown. */
void sign_pin_abort(void);

/* ---- the PKCS#11 module -------------------------------------------------------------------- */

struct sign_module;

/* Loads the PKCS#11 module at path (any: libakisp11.so, opensc-pkcs11.so, libsofthsm2.so).
 * *out is owned by the caller (sign_module_close). One thread at a time per module. */
enum sign_err sign_module_open(const char *path, struct sign_module **out, struct sign_status *st);
void sign_module_close(struct sign_module *m);

/* The tokens present now (slots without a token are left out); *out is malloc'ed (free()),
 * *n may be 0. Reads only public objects: no PIN is needed. */
enum sign_err sign_module_tokens(struct sign_module *m, struct sign_token_info **out, size_t *n,
                                 struct sign_status *st);

struct sign_request {
    const char *token_label; /* NULL or "": the only token with a signing certificate */
    const unsigned char *content;
    size_t content_len;
    sign_pin_fn ask_pin;
    void *ask_arg;
    const char *purpose;     /* passed on to ask_pin and confirm */
    sign_confirm_fn confirm; /* NULL: no confirmation when the PIN is not asked here */
    void *confirm_arg;
};

/* Signs req->content with the chosen token's certificate and key: a DER CMS SignedData,
 * CAdES-BES, detached, SHA-256, with the signer's certificate and the signing-certificate-v2
 * attribute. Logs in once with the PIN from req->ask_pin (not asked with a PIN pad: then
 * req->confirm, when set, is asked before the card is used) and logs out after. On success
 * *der is malloc'ed (free()) and *used, when not NULL, describes the token. */
enum sign_err sign_module_sign(struct sign_module *m, const struct sign_request *req,
                               unsigned char **der, size_t *der_len, struct sign_token_info *used,
                               struct sign_status *st);

#endif
