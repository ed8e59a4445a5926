/* eimza — the ca/ layer's one error table: each enum ca_err with its stable code. The Turkish
 * message an operator reads (what happened, what to do) is the catalogue's "ca_err.CODE"
 * (core/catalogue.h, po/), with its English beside it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "ca/ca_int.h"
#include "core/catalogue.h"

static const struct {
    enum ca_err err;
    const char *code;
} ca_errs[] = {
    {CA_OK, "ok"},
    {CA_E_CONFIG, "ca_config"},
    {CA_E_MODULE, "ca_module"},
    {CA_E_CA_TOKEN, "ca_token"},
    {CA_E_CA_EXTRACTABLE, "ca_key_extractable"},
    {CA_E_CA_VALIDITY, "ca_validity"},
    {CA_E_TCKN, "holder_tckn"},
    {CA_E_NAME, "holder_name"},
    {CA_E_VALIDITY, "validity_invalid"},
    {CA_E_KEY_TYPE, "key_type"},
    {CA_E_CARD_NOT_FOUND, "card_not_found"},
    {CA_E_CARD_AMBIGUOUS, "card_ambiguous"},
    {CA_E_CARD_NOT_BLANK, "card_not_blank"},
    {CA_E_CARD_PIN, "card_transport_pin"},
    {CA_E_CARD, "card_error"},
    {CA_E_CARD_SPOILED, "card_spoiled"},
    {CA_E_SIGN, "ca_sign_failed"},
    {CA_E_RESPONDER, "ocsp_responder"},
    {CA_E_REGISTRY, "registry_error"},
    {CA_E_REQUEST, "ocsp_malformed"},
    {CA_E_RAND, "rand_failed"},
    {CA_E_NOMEM, "out_of_memory"},
};

#define CA_NERRS (sizeof ca_errs / sizeof ca_errs[0])

static size_t ca_err_index(enum ca_err e)
{
    for (size_t i = 0; i < CA_NERRS; i++)
        if (ca_errs[i].err == e)
            return i;
    return CA_NERRS - 1; /* unreachable for a valid enum; a safe answer otherwise */
}

const char *ca_err_code(enum ca_err e)
{
    return ca_errs[ca_err_index(e)].code;
}

const char *ca_err_message(enum ca_err e)
{
    const char *code = ca_err_code(e);
    const char *text = core_text_of("ca_err", code, CORE_LANG_TR);
    return text ? text : code; /* every code has its text (test_ca_profile checks) */
}

enum ca_err ca__status_set(struct ca_status *st, enum ca_err e, const char *detail_fmt, ...)
{
    if (!st)
        return e;
    st->err = e;
    snprintf(st->message, sizeof st->message, "%s", ca_err_message(e));
    st->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(st->detail, sizeof st->detail, detail_fmt, ap);
        va_end(ap);
    }
    return e;
}

void ca__status_ossl(struct ca_status *st)
{
    char buf[160];
    unsigned long e = ERR_peek_error();
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "no detail");
    ERR_clear_error();
    if (!st)
        return;
    size_t len = strlen(st->detail);
    snprintf(st->detail + len, sizeof st->detail - len, "%s%s", len ? "; " : "", buf);
}
