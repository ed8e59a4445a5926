/* eimza — the in-house card bureau (ca/): an institution's own CA making qualified (NES)
 * cards through PKCS#11, and answering revocation for what it issued.
 *
 * One struct ca holds the CA's key (in a PKCS#11 token: an HSM, or SoftHSM2 in the demo; it
 * never leaves the token and the engine refuses a key the token would let out) and the
 * certificate profile made from the configuration. Per approved application, ca_issue takes
 * the holder's data and a blank card and gives back the new certificate, its serial and the
 * card's new PIN and PUK:
 *
 *   1. the blank card is chosen (see below) and opened with its transport user PIN;
 *   2. the holder's key pair is generated ON the card (RSA-2048 by default, or EC P-256),
 *      private key sensitive and not extractable (checked again after generation);
 *   3. the NES-profile certificate is made and signed by the CA's token key: subject
 *      C=TR, CN=name (UTF8String), serialNumber=T.C. Kimlik No (PrintableString); the
 *      configured policy OIDs; QC statements (ETSI QcCompliance 0.4.0.1862.1.1, and the
 *      Turkish 2.16.792.1.61.0.1.5070.1.1 with its UTF8String text); keyUsage
 *      nonRepudiation (+ digitalSignature), critical; basicConstraints CA:FALSE; subject and
 *      authority key identifiers; AIA with the OCSP URL (and caIssuers when configured); the
 *      CRL distribution point. Validity: from now, or for a renewal from the old
 *      certificate's notAfter (never before now), for the requested years;
 *   4. the certificate is written onto the card under the key's CKA_ID;
 *   5. a random user PIN (6 digits) is set with the transport SO PIN (C_InitPIN), then the SO
 *      PIN is changed from the transport one to a random PUK (8 digits).
 * A failure before step 5 removes what was written and leaves the card blank, with its
 * transport PINs (CA_E_CARD); the rare failure that cannot be undone is CA_E_CARD_SPOILED (set
 * the card aside). The certificate, serial and PINs are returned only on success; nothing is
 * logged here, and the PINs are wiped by ca_issued_clear.
 *
 * A BLANK CARD is an initialised token labelled with the configured blank label (card
 * vendors deliver a batch labelled alike), that holds no objects, opened with the batch's
 * transport user PIN and SO PIN (configuration). The engine never logs in to a token that is
 * not so labelled or that shows any public object, so a holder's card put in the reader by
 * mistake is never touched (its PIN counter included). Several blank cards in the readers:
 * the caller names one by its serial (CK_TOKEN_INFO serialNumber, printed on the card).
 * With SoftHSM2 a token made by another process becomes visible at the next ca_open (SoftHSM
 * reads its token directory when the module is initialised).
 *
 * Revocation: the engine keeps no list. The caller's registry (the store, later) says what
 * the status of a serial is and lists the revoked ones; ca_crl makes a CRL signed by the CA's
 * token key, and ca_ocsp answers a DER OCSP request signed by a delegated OCSP responder: a
 * key pair the CA token generates for it (session objects labelled "eimza-ocsp", never
 * extractable, gone when the engine closes) with a 30-day certificate from the CA (EKU
 * id-kp-OCSPSigning, id-pkix-ocsp-nocheck), made at the first answer and renewed, with a new
 * key pair, at the first answer after 20 days; each is handed to the registry to be recorded
 * (record) before it is used, so that an OCSP query about it is answered like a card's, and
 * the registry is asked about it (status) before every answer: once it is revoked it never
 * signs again (its pair is destroyed and a new one made for that answer). The CA key never
 * signs an OCSP response.
 *
 * Every call takes the time as an argument (Unix seconds, UTC); randomness comes from
 * util/rand.h. Calls on one struct ca are serialised by a mutex inside it, so any thread may
 * use it. Every failure is an enum ca_err with a stable code (ca_err_code) and, in struct
 * ca_status, a Turkish message for the operator and an English detail for the log; neither
 * ever holds a PIN.
 */
#ifndef EIMZA_CA_CA_H
#define EIMZA_CA_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CA_NES_POLICY "2.16.792.1.2.1.1.5.7.1.1" /* Kamu SM's NES policy */

enum ca_err {
    CA_OK = 0,
    CA_E_CONFIG,         /* ca_config: a setting is missing or malformed */
    CA_E_MODULE,         /* ca_module: a PKCS#11 module cannot be loaded or used */
    CA_E_CA_TOKEN,       /* ca_token: CA token, its PIN, key or certificate not usable */
    CA_E_CA_EXTRACTABLE, /* ca_key_extractable: the token would let the CA key out */
    CA_E_CA_VALIDITY,    /* ca_validity: the CA certificate does not cover the new one */
    CA_E_TCKN,           /* holder_tckn: not a valid T.C. Kimlik No */
    CA_E_NAME,           /* holder_name: empty, too long, not UTF-8 or control characters */
    CA_E_VALIDITY,       /* validity_invalid: years outside 1-3, renewal start too far ahead */
    CA_E_KEY_TYPE,       /* key_type: a key type the engine does not make */
    CA_E_CARD_NOT_FOUND, /* card_not_found: no blank card (with that serial) */
    CA_E_CARD_AMBIGUOUS, /* card_ambiguous: several blank cards and none named */
    CA_E_CARD_NOT_BLANK, /* card_not_blank: the named card holds objects or is not blank */
    CA_E_CARD_PIN,       /* card_transport_pin: a transport PIN was refused or is locked */
    CA_E_CARD,           /* card_error: the card failed; it was left blank */
    CA_E_CARD_SPOILED,   /* card_spoiled: the card failed and could not be left blank */
    CA_E_SIGN,           /* ca_sign_failed: the CA token did not sign */
    CA_E_RESPONDER,      /* ocsp_responder: the OCSP responder's key or certificate not made */
    CA_E_REGISTRY,       /* registry_error: the revocation registry did not answer */
    CA_E_REQUEST,        /* ocsp_malformed: an OCSP request that cannot be read */
    CA_E_RAND,           /* rand_failed: no random numbers from the kernel */
    CA_E_NOMEM,          /* out_of_memory */
};

/* The stable code ("card_not_found") and the Turkish message of an error: the catalogue's
 * "ca_err.CODE" (core/catalogue.h, po/), whose English is core_text_of("ca_err", code,
 * CORE_LANG_EN). The message is never NULL. */
const char *ca_err_code(enum ca_err e);
const char *ca_err_message(enum ca_err e);

/* The outcome of a call: err; message, the Turkish text for the operator (always set); and
 * detail, English, for the log (may be ""). Never holds a PIN. */
struct ca_status {
    enum ca_err err;
    char message[512];
    char detail[256];
};

/* ---- opening the engine --------------------------------------------------------------- */

struct ca_config {
    const char *ca_module;      /* PKCS#11 module of the token holding the CA's key */
    const char *ca_token_label; /* that token's label */
    const char *ca_key_label;   /* label of the CA's private key, whose certificate is on the
                                   token under the same CKA_ID; NULL: the only private key */
    const char *ca_pin;         /* the CA token's user PIN (the caller wipes it after ca_open) */
    const char *card_module;    /* PKCS#11 module of the card reader; NULL: ca_module */
    const char *blank_label;    /* label of blank cards; NULL: CA_BLANK_LABEL */
    const char *transport_pin;  /* the blank cards' transport user PIN */
    const char *transport_so_pin;
    const char *const *policies; /* certificate policy OIDs, dotted; NULL/0: CA_NES_POLICY */
    size_t npolicies;
    const char *cps_url;        /* a CPS qualifier on every policy; NULL: none */
    const char *qc_text;        /* the 5070 statement's text; NULL: CA_QC_TEXT */
    const char *ocsp_url;       /* http(s) URL of the OCSP responder (required) */
    const char *crl_url;        /* http(s) URL of the CRL (required) */
    const char *ca_issuers_url; /* http(s) URL of the CA certificate; NULL: none in AIA */
    bool no_digital_signature;  /* keyUsage nonRepudiation alone */
    unsigned crl_hours;         /* a CRL's nextUpdate after its thisUpdate; 0: 24 */
    unsigned ocsp_minutes;      /* an OCSP answer's nextUpdate after now; 0: 60 (never past
                                   the responder's or the CA's certificate) */
};

#define CA_BLANK_LABEL "eimza-bos"
#define CA_QC_TEXT                                                                                 \
    "Bu sertifika, 5070 sayılı Elektronik İmza Kanunu'na göre nitelikli elektronik "           \
    "sertifikadır."

struct ca;

/* Loads the module(s), logs in to the CA token, finds the CA key and its certificate, and
 * checks them: the key is CKA_SENSITIVE and not CKA_EXTRACTABLE (else CA_E_CA_EXTRACTABLE),
 * it signs what the certificate's public key verifies, the certificate is a CA allowed to
 * sign certificates and CRLs. *out is the caller's (ca_close). */
enum ca_err ca_open(const struct ca_config *c, struct ca **out, struct ca_status *st);
void ca_close(struct ca *ca);

/* The CA's certificate (DER, owned by ca): for the trust directory and the caIssuers URL. */
const unsigned char *ca_certificate(struct ca *ca, size_t *len);

/* ---- issuing ------------------------------------------------------------------------------ */

enum ca_key_type {
    CA_KEY_RSA2048 = 0, /* the default */
    CA_KEY_EC_P256,
};

struct ca_holder {
    const char *tckn;         /* T.C. Kimlik No, 11 digits */
    const char *name;         /* the CN, UTF-8, 1-64 characters ("AD SOYAD") */
    unsigned years;           /* validity, 1-3 */
    int64_t renews_not_after; /* 0: a first card; else the old certificate's notAfter */
    enum ca_key_type key_type;
    const char *card_serial; /* NULL or "": the only blank card present */
};

#define CA_SERIAL_MAX 130 /* upper-case hex, as crypto/x509.h and the store keep serials */
#define CA_PIN_LEN    6
#define CA_PUK_LEN    8

struct ca_issued {
    unsigned char *cert_der; /* malloc'ed */
    size_t cert_len;
    char serial[CA_SERIAL_MAX]; /* the certificate's serial, upper-case hex */
    char card_serial[17];       /* the card's CK_TOKEN_INFO serialNumber */
    int64_t not_before, not_after;
    char pin[CA_PIN_LEN + 1]; /* the card's new user PIN */
    char puk[CA_PUK_LEN + 1]; /* the card's new SO PIN (unblocks the user PIN) */
};

/* Makes a card for h at `now` as described at the top. On success fills *out (release with
 * ca_issued_clear, which also wipes the PINs); on failure *out is empty. */
enum ca_err ca_issue(struct ca *ca, const struct ca_holder *h, int64_t now, struct ca_issued *out,
                     struct ca_status *st);
void ca_issued_clear(struct ca_issued *out);

/* The serials (CK_TOKEN_INFO serialNumber) of the blank cards present now, at most cap of
 * them in serials[]; *n is how many there are (it may exceed cap). Logs in to none. */
enum ca_err ca_blank_cards(struct ca *ca, char (*serials)[17], size_t cap, size_t *n,
                           struct ca_status *st);

/* ---- revocation ----------------------------------------------------------------------- */

enum ca_cert_state {
    CA_CERT_UNKNOWN = 0, /* not issued by this CA (as far as the registry knows) */
    CA_CERT_GOOD,
    CA_CERT_REVOKED,
};

/* RFC 5280 CRLReason values the registry may give (0 unspecified, 1 keyCompromise, 3
 * affiliationChanged, 4 superseded, 5 cessationOfOperation, 6 certificateHold, ...). */
struct ca_cert_status {
    enum ca_cert_state state;
    int64_t revoked_at; /* CA_CERT_REVOKED: when */
    int reason;         /* CA_CERT_REVOKED: CRLReason, 0-10 except 7 */
};

/* Called by each_revoked for each revoked certificate; returns 0 to go on. */
typedef int (*ca_revoked_fn)(void *emit_arg, const char *serial, int64_t revoked_at, int reason);

/* What the caller knows of the certificates this CA issued. serial is upper-case hex as in
 * struct ca_issued. status and each_revoked return 0, or -1 when they cannot answer.
 * record keeps a certificate the engine signed for itself, the OCSP responder's (DER), so
 * that status knows it like a card's: called once per new responder certificate, before it
 * signs anything, with why it was made (one of the words below); 0, or -1 when it could not be
 * kept (the certificate is then not used and the answer is tryLater). Only ca_ocsp calls it; it
 * must be given there. ca_ocsp also asks status about the responder's current certificate
 * before each answer it would sign: "revoked" retires it (a new one is made and recorded, why
 * CA_RESPONDER_REVOKED), -1 makes the answer tryLater. */
#define CA_RESPONDER_START   "start"   /* this engine had none yet (after it was opened) */
#define CA_RESPONDER_DUE     "renewal" /* the current one reached its renewal point */
#define CA_RESPONDER_REVOKED "revoked" /* the registry said the current one is revoked */
struct ca_registry {
    int (*status)(void *arg, const char *serial, struct ca_cert_status *out);
    int (*each_revoked)(void *arg, ca_revoked_fn emit, void *emit_arg);
    void *arg;
    int (*record)(void *arg, const unsigned char *der, size_t len, const char *why);
};

/* A CRL (DER, v2) of every certificate each_revoked names, with CRL number `number` (the
 * caller keeps it increasing), thisUpdate now, nextUpdate now + crl_hours, signed by the CA's
 * key. *der is malloc'ed. */
enum ca_err ca_crl(struct ca *ca, const struct ca_registry *r, uint64_t number, int64_t now,
                   unsigned char **der, size_t *len, struct ca_status *st);

#define CA_OCSP_MAX_REQUEST 8192 /* bytes; a larger request is answered malformedRequest */
#define CA_OCSP_MAX_CERTS   16   /* certificates asked about in one request */

/* Answers a DER OCSP request (RFC 6960): for each certificate asked about whose issuer is this
 * CA, good / revoked from the registry, and unknown for the rest; thisUpdate now, nextUpdate
 * now + ocsp_minutes but never after the notAfter of the responder's certificate nor of the
 * CA's (an answer does not outlive what vouches for it), the request's nonce echoed, signed by the
 * OCSP responder's key (responder id by key, its certificate in the response; made or renewed first
 * when due, at `now`). *der is the OCSP response to send back (malloc'ed) whatever the outcome,
 * NULL only when even an error response could not be encoded (answer HTTP 500 then): CA_OK
 * (successful), CA_E_REQUEST (malformedRequest), CA_E_REGISTRY (tryLater), any other code
 * (internalError: CA_E_RESPONDER when the responder's key or certificate cannot be made;
 * tryLater with CA_E_REGISTRY too when a new responder certificate could not be recorded, or
 * the registry could not give the current one's status). */
enum ca_err ca_ocsp(struct ca *ca, const struct ca_registry *r, const unsigned char *req,
                    size_t reqlen, int64_t now, unsigned char **der, size_t *len,
                    struct ca_status *st);

#endif
