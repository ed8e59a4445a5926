/* eimza — the sign/ layer's one error table: each enum sign_err with its stable code, the
 * Turkish message a person reads (and its English counterpart), and the HTTP status the agent
 * answers with. The PIN messages depend on the token's flags and live in pin.c.
 *
 * The agent runs on the holder's computer and does not know the portal's deployment: Kamu SM
 * makes the cards, or the institution makes its own (production = inhouse), and there the card
 * in the reader may still be one Kamu SM issued. So the words that say who helps with a card
 * name both, by who made the card; the portal's page says its own words for a locked card
 * (data-say-card-locked in static/js/sign.js). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sign/sign_int.h"

static const struct {
    enum sign_err err;
    const char *code;
    int status;
    const char *message;
    const char *en;
} sign_errs[] = {
    {SIGN_OK, "ok", 200, "Tamam.", "Done."},
    {SIGN_E_MODULE, "module_error", 500,
     "Kart modülü (PKCS#11 kütüphanesi) yüklenemedi ya da çalışmadı: yolunu denetleyin "
     "(AKİS kartları için libakisp11.so) ve kart sürücüsünü yeniden kurun.",
     "The card's module (PKCS#11 library) could not be loaded or failed: check its path "
     "(libakisp11.so for AKİS cards) and reinstall the card driver."},
    {SIGN_E_TOKEN_NOT_FOUND, "token_not_found", 404,
     "Kart bulunamadı: kartın okuyucuya takılı olduğunu ve doğru kartı seçtiğinizi "
     "denetleyin.",
     "No card was found: check that the card is in the reader and that you chose the right "
     "one."},
    {SIGN_E_TOKEN_AMBIGUOUS, "token_ambiguous", 409,
     "Birden çok kart takılı: imzalamak istediğiniz kartı seçin.",
     "Several cards are inserted: choose the one to sign with (or remove the others)."},
    {SIGN_E_NO_CERTIFICATE, "no_certificate", 404,
     "Kartta imzalamaya uygun bir sertifika bulunamadı: doğru kartı taktığınızı denetleyin.",
     "The card holds no certificate fit for signing: check that you inserted the right card."},
    {SIGN_E_NO_KEY, "no_private_key", 404,
     "Karttaki sertifikanın özel anahtarı bulunamadı: kartı Kamu SM verdiyse Kamu SM çağrı "
     "merkezine (444 5 576), kurumunuz ürettiyse kurumunuzun e-imza sorumlusuna danışın.",
     "The private key of the card's certificate was not found: ask the Kamu SM call centre "
     "(444 5 576) about a card Kamu SM issued, your institution's e-signature officer about "
     "one your institution made."},
    {SIGN_E_PIN_LOCKED, "pin_locked", 423,
     "Kart kilitli: PUK ile açın; PUK'unuz yoksa kartı Kamu SM verdiyse Kamu SM'nin kilit "
     "açma hizmetine, kurumunuz ürettiyse kurumunuzun e-imza sorumlusuna başvurun.",
     "The card is locked: unlock it with the PUK; without the PUK, use Kamu SM's unlocking "
     "service for a card Kamu SM issued, or ask your institution's e-signature officer about "
     "one your institution made."},
    {SIGN_E_PIN_INCORRECT, "pin_incorrect", 401,
     "PIN yanlış. Dikkat: üç yanlış PIN kartı kilitler.",
     "Wrong PIN. Careful: three wrong PINs lock the card."},
    {SIGN_E_PIN_INVALID, "pin_invalid", 400,
     "PIN kartın kabul ettiği biçimde değil (AKİS kartlarında genellikle 6 rakam): yeniden "
     "deneyin.",
     "The PIN is not in the form the card takes (usually 6 digits on AKİS cards): try again."},
    {SIGN_E_CANCELLED, "cancelled", 409, "PIN girişi iptal edildi; içerik imzalanmadı.",
     "You cancelled; nothing was signed."},
    {SIGN_E_PIN_UNAVAILABLE, "pin_unavailable", 503,
     "PIN sorulamadı: pinentry programının kurulu olduğunu ve masaüstü oturumunda ya da bir "
     "terminalde çalıştığınızı denetleyin (betiklerde --pin-fd kullanın).",
     "The PIN could not be asked: check that pinentry is installed and that you work in a "
     "desktop session or a terminal (scripts use --pin-fd)."},
    {SIGN_E_TOKEN, "token_error", 502,
     "Kartla iletişim kurulamadı: kartı çıkarıp yeniden takın ve tekrar deneyin.",
     "The card did not answer: take it out, insert it again and retry."},
    {SIGN_E_SIGN, "sign_failed", 500,
     "İmza oluşturulamadı: kartı çıkarıp yeniden takın ve tekrar deneyin.",
     "The signature could not be made: take the card out, insert it again and retry."},
    {SIGN_E_NOMEM, "out_of_memory", 500, "Bellek yetersiz: biraz sonra yeniden deneyin.",
     "Out of memory: try again in a moment."},
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

const char *sign_err_message(enum sign_err e)
{
    return sign_errs[sign_err_index(e)].message;
}

const char *sign_err_message_en(enum sign_err e)
{
    return sign_errs[sign_err_index(e)].en;
}

int sign_err_http_status(enum sign_err e)
{
    return sign_errs[sign_err_index(e)].status;
}

void sign_status_set(struct sign_status *st, enum sign_err e, const char *msg,
                     const char *detail_fmt, ...)
{
    if (!st)
        return;
    st->err = e;
    snprintf(st->message, sizeof st->message, "%s", msg ? msg : sign_err_message(e));
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
