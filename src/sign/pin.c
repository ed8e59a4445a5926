/* eimza — the PIN: the warnings drawn from the token's PIN flags, and reading the PIN from a
 * file descriptor (--pin-fd, for tests and scripts). The pinentry dialogue is pinentry.c.
 *
 * The texts (the catalogue's "pin.NAME") come from what the card reports, not from a counter
 * of our own: the card is the only one that knows how many tries remain, and another program
 * may have used some. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/catalogue.h"
#include "sign/sign_int.h"

/* The catalogue's "pin.NAME" in Turkish (the agent's dialogue is Turkish; the relay path adds
 * the English of the code). */
static const char *sign_pin_text(const char *name)
{
    return core_word("pin", name, CORE_LANG_TR);
}

const char *sign_pin_warning(const struct sign_pin_state *p)
{
    if (p->final_try)
        return sign_pin_text("warning_final_try");
    if (p->count_low)
        return sign_pin_text("warning_count_low");
    return NULL;
}

const char *sign_pin_locked_message(void)
{
    /* who helps: by who made the card, as the agent cannot know the deployment (err.c) */
    return sign_pin_text("warning_locked");
}

const char *sign_pin_failure_key(const struct sign_pin_state *after)
{
    if (after->locked)
        return "pin.failed_locked";
    if (after->final_try)
        return "pin.failed_final_try";
    if (after->count_low)
        return "pin.failed_count_low";
    return "pin.failed";
}

const char *sign_pin_failure_message(const struct sign_pin_state *after)
{
    return sign_pin_text(sign_pin_failure_key(after) + strlen("pin."));
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
