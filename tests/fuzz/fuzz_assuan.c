/* eimza — libFuzzer driver: the pinentry replies as the signing agent reads them
 * (sign/pinentry.c on libassuan).
 *
 * The input is everything a pinentry program says, from its greeting on. It is written into
 * one end of a socket pair, that end's writing side is shut (so the client sees the end of
 * the conversation, never a wait), and the real dialogue (sign_pinentry_over_fd: options,
 * texts, GETPIN) runs on the other end. Besides the sanitizers, the driver checks the result's
 * promises: a PIN comes back only with SIGN_OK, NUL-terminated inside the caller's buffer and
 * not empty, and the buffer is wiped on every failure. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sign/sign_int.h"

#define FUZZ_ASSUAN_MAX (64 * 1024) /* fits the socket's buffer: written before reading */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sign_token_info token = {
        .label = "fuzz-card", .model = "model", .manufacturer = "maker", .serial = "0001"};
    struct sign_pin_request req = {.token = &token, .warning = NULL, .purpose = "fuzz"};
    char pin[SIGN_PIN_MAX + 1];
    int sv[2];
    int bufsize = 2 * FUZZ_ASSUAN_MAX;

    if (size > FUZZ_ASSUAN_MAX)
        return 0;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof bufsize);
    for (size_t off = 0; off < size;) {
        ssize_t w = write(sv[1], data + off, size - off);
        if (w <= 0)
            abort();
        off += (size_t)w;
    }
    shutdown(sv[1], SHUT_WR);
    memset(pin, 'x', sizeof pin);
    enum sign_err e = sign_pinentry_over_fd(sv[0], &req, pin, sizeof pin);
    if (e == SIGN_OK) {
        size_t n = strnlen(pin, sizeof pin);
        if (n == 0 || n == sizeof pin)
            abort();
    } else {
        for (size_t i = 0; i < sizeof pin; i++)
            if (pin[i])
                abort();
    }
    close(sv[1]);
    return 0;
}
