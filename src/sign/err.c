/* eimza — the sign/ layer's one error table: each enum sign_err with its stable code, the
 * Turkish message a person reads, and the HTTP status the agent answers with. The PIN
 * messages depend on the token's flags and live in pin.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sign/sign_int.h"

static const struct {
    enum sign_err err;
    const char *code;
    int status;
    const char *message;
} sign_errs[] = {
    {SIGN_OK, "ok", 200, "Tamam."},
    {SIGN_E_MODULE, "module_error", 500,
     "Kart modülü (PKCS#11 kütüphanesi) yüklenemedi ya da çalışmadı: yolunu denetleyin "
     "(AKİS kartları için libakisp11.so) ve kart sürücüsünü yeniden kurun."},
    {SIGN_E_TOKEN_NOT_FOUND, "token_not_found", 404,
     "Kart bulunamadı: kartın okuyucuya takılı olduğunu ve doğru kartı seçtiğinizi "
     "denetleyin."},
    {SIGN_E_TOKEN_AMBIGUOUS, "token_ambiguous", 409,
     "Birden çok kart takılı: imzalamak istediğiniz kartı seçin."},
    {SIGN_E_NO_CERTIFICATE, "no_certificate", 404,
     "Kartta imzalamaya uygun bir sertifika bulunamadı: doğru kartı taktığınızı denetleyin."},
    {SIGN_E_NO_KEY, "no_private_key", 404,
     "Karttaki sertifikanın özel anahtarı bulunamadı: kartınızı Kamu SM çağrı merkezine "
     "(444 5 576) danışın."},
    {SIGN_E_PIN_LOCKED, "pin_locked", 423,
     "Kart kilitli: PUK ile ya da Kamu SM'nin kilit açma hizmetiyle açın."},
    {SIGN_E_PIN_INCORRECT, "pin_incorrect", 401,
     "PIN yanlış. Dikkat: üç yanlış PIN kartı kilitler."},
    {SIGN_E_PIN_INVALID, "pin_invalid", 400,
     "PIN kartın kabul ettiği biçimde değil (AKİS kartlarında genellikle 6 rakam): yeniden "
     "deneyin."},
    {SIGN_E_CANCELLED, "cancelled", 409, "PIN girişi iptal edildi; içerik imzalanmadı."},
    {SIGN_E_PIN_UNAVAILABLE, "pin_unavailable", 503,
     "PIN sorulamadı: pinentry programının kurulu olduğunu ve masaüstü oturumunda ya da bir "
     "terminalde çalıştığınızı denetleyin (betiklerde --pin-fd kullanın)."},
    {SIGN_E_TOKEN, "token_error", 502,
     "Kartla iletişim kurulamadı: kartı çıkarıp yeniden takın ve tekrar deneyin."},
    {SIGN_E_SIGN, "sign_failed", 500,
     "İmza oluşturulamadı: kartı çıkarıp yeniden takın ve tekrar deneyin."},
    {SIGN_E_NOMEM, "out_of_memory", 500, "Bellek yetersiz: biraz sonra yeniden deneyin."},
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
