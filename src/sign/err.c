/* eimza — the sign/ layer's one error table: each enum sign_err with its stable code and the
 * HTTP status the agent answers with. The words a person reads are the catalogue's
 * "sign_err.CODE" (po/, core/catalogue.h), in Turkish and English; the PIN messages depend on
 * the token's flags and are pin.c's.
 *
 * The agent runs on the holder's computer and does not know the portal's deployment: Kamu SM
 * makes the cards, or the institution makes its own (production = inhouse), and there the card
 * in the reader may still be one Kamu SM issued. So the words that say who helps with a card
 * name both, by who made the card; the portal's page says its own words for a locked card
 * (data-say-card-locked in static/js/sign.js). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/catalogue.h"
#include "sign/sign_int.h"

static const struct {
    enum sign_err err;
    const char *code;
    int status;
} sign_errs[] = {
    {SIGN_OK, "ok", 200},
    {SIGN_E_MODULE, "module_error", 500},
    {SIGN_E_TOKEN_NOT_FOUND, "token_not_found", 404},
    {SIGN_E_TOKEN_AMBIGUOUS, "token_ambiguous", 409},
    {SIGN_E_NO_CERTIFICATE, "no_certificate", 404},
    {SIGN_E_NO_KEY, "no_private_key", 404},
    {SIGN_E_PIN_LOCKED, "pin_locked", 423},
    {SIGN_E_PIN_INCORRECT, "pin_incorrect", 401},
    {SIGN_E_PIN_INVALID, "pin_invalid", 400},
    {SIGN_E_CANCELLED, "cancelled", 409},
    {SIGN_E_PIN_UNAVAILABLE, "pin_unavailable", 503},
    {SIGN_E_TOKEN, "token_error", 502},
    {SIGN_E_SIGN, "sign_failed", 500},
    {SIGN_E_NOMEM, "out_of_memory", 500},
};

#define SIGN_NERRS (sizeof sign_errs / sizeof sign_errs[0])

static size_t sign_err_index(enum sign_err e)
{
    for (size_t i = 0; i < SIGN_NERRS; i++)
        if (sign_errs[i].err == e)
            return i;
    return SIGN_NERRS - 1; /* unreachable for a valid enum; a safe answer otherwise */
}

const char *sign_err_code(enum sign_err e)
{
    return sign_errs[sign_err_index(e)].code;
}

/* The catalogue's words for e; its code when the catalogue has none (a unit test sees that
 * every code has both). */
static const char *sign_err_text(enum sign_err e, enum core_lang lang)
{
    const char *code = sign_err_code(e), *t = core_text_of("sign_err", code, lang);
    return t ? t : code;
}

const char *sign_err_message(enum sign_err e)
{
    return sign_err_text(e, CORE_LANG_TR);
}

const char *sign_err_message_en(enum sign_err e)
{
    return sign_err_text(e, CORE_LANG_EN);
}

int sign_err_http_status(enum sign_err e)
{
    return sign_errs[sign_err_index(e)].status;
}

void sign_status_set(struct sign_status *st, enum sign_err e, const char *detail_fmt, ...)
{
    if (!st)
        return;
    st->err = e;
    snprintf(st->message, sizeof st->message, "%s", sign_err_message(e));
    snprintf(st->message_en, sizeof st->message_en, "%s", sign_err_message_en(e));
    st->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(st->detail, sizeof st->detail, detail_fmt, ap);
        va_end(ap);
    }
    st->has_pin = false;
    memset(&st->pin, 0, sizeof st->pin);
}

void sign_status_say(struct sign_status *st, const char *key, const char *arg)
{
    const char *tr = core_text(key, CORE_LANG_TR), *en = core_text(key, CORE_LANG_EN);
    if (!st || !tr)
        return; /* no such entry (test_words checks each): the code's general words stay */
    if (!arg || !core_text_fill(tr, arg, st->message, sizeof st->message))
        snprintf(st->message, sizeof st->message, "%s", tr);
    if (en && (!arg || !core_text_fill(en, arg, st->message_en, sizeof st->message_en)))
        snprintf(st->message_en, sizeof st->message_en, "%s", en);
}
