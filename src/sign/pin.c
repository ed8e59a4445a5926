/* eimza — the PIN: the warnings drawn from the token's PIN flags, and reading the PIN from a
 * file descriptor (--pin-fd, for tests and scripts). The pinentry dialogue is pinentry.c.
 *
 * The texts come from what the card reports, not from a counter of our own: the card is the
 * only one that knows how many tries remain, and another program may have used some. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sign/sign_int.h"

const char *sign_pin_warning(const struct sign_pin_state *p)
{
    if (p->final_try)
        return "Son deneme: yanlış PIN kartı kilitler";
    if (p->count_low)
        return "PIN'i bir kez yanlış girdiniz; dikkat";
    return NULL;
}

const char *sign_pin_locked_message(void)
{
    /* who helps: by who made the card, as the agent cannot know the deployment (err.c) */
    return "Kart kilitli: PUK ile açın; PUK'unuz yoksa kartı Kamu SM verdiyse Kamu SM'nin kilit "
           "açma hizmetine, kurumunuz ürettiyse kurumunuzun e-imza sorumlusuna başvurun";
}

const char *sign_pin_failure_message(const struct sign_pin_state *after)
{
    if (after->locked)
        return "PIN yanlış ve kart kilitlendi; içerik imzalanmadı. Kartı PUK ile açınız; PUK'unuz "
               "yoksa kartı Kamu SM verdiyse Kamu SM'nin kilit açma hizmetine, kurumunuz "
               "ürettiyse kurumunuzun e-imza sorumlusuna başvurunuz.";
    if (after->final_try)
        return "PIN yanlış; içerik imzalanmadı. Kartın bildirdiğine göre tek deneme hakkınız "
               "kaldı: bir yanlış PIN daha kartı kilitler. PIN'inizden emin değilseniz yeniden "
               "denemeyiniz; PUK ile yeni bir PIN belirleyebilirsiniz.";
    if (after->count_low)
        return "PIN yanlış; içerik imzalanmadı. Kart, deneme hakkınızın azaldığını bildiriyor: "
               "PIN'inizi kontrol edip yeniden deneyiniz. Dikkat: üç yanlış PIN kartı kilitler.";
    return "PIN yanlış; içerik imzalanmadı. Kart kalan deneme sayısını bildirmiyor: PIN'inizi "
           "kontrol edip yeniden deneyiniz. Dikkat: üç yanlış PIN kartı kilitler.";
}

enum sign_err sign_pin_from_fd(void *arg, const struct sign_pin_request *req, char *pin, size_t cap)
{
    int fd = *(const int *)arg;
    size_t len = 0;
    bool any = false, toolong = false;
    (void)req;
    if (cap == 0)
        return SIGN_E_PIN_INVALID;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* EOF (or an error, treated alike): the line ends here */
        any = true;
        if (c == '\n')
            break;
        if (len + 1 < cap)
            pin[len++] = c;
        else
            toolong = true; /* keep reading to the end of the line, so the next one is whole */
        OPENSSL_cleanse(&c, sizeof c);
    }
    if (len > 0 && pin[len - 1] == '\r')
        len--;
    pin[len] = '\0';
    if (!any)
        return SIGN_E_PIN_UNAVAILABLE;
    if (toolong || len == 0) {
        OPENSSL_cleanse(pin, cap);
        return SIGN_E_PIN_INVALID;
    }
    return SIGN_OK;
}
