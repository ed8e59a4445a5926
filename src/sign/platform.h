/* eimza — what the signing agent needs from the desktop it runs on, behind one small
 * interface, so that a port to another system replaces one file (platform_freedesktop.c here;
 * docs/ARCHITECTURE.md says what a Windows or macOS port needs):
 *
 *   - where its settings live (a machine-wide file and the person's own),
 *   - which PKCS#11 modules to try when none is configured,
 *   - how to talk to the person: ask the PIN, ask "sign this?" when no PIN is typed here, and
 *     show a message (an error, in Turkish and English) that stays until it was read,
 *   - how the eimza: URL scheme and the loopback listener are registered with the desktop
 *     (a hint for people and packagers; the package does it for real).
 *
 * Everything else in sign/ (PKCS#11 through libp11, CMS through OpenSSL, HTTP through
 * libmicrohttpd and libcurl) is portable as it is. */
#ifndef EIMZA_SIGN_PLATFORM_H
#define EIMZA_SIGN_PLATFORM_H

#include <stddef.h>

#include "sign/sign.h"
#include "util/buf.h"

/* How the agent talks to the person. confirm and message may be NULL (not asked / not
 * shown). message returns 0 when the text was shown, -1 when it could not be (the caller has
 * written it to stderr as well, always). */
struct sign_ui {
    sign_pin_fn ask_pin;
    void *pin_arg;
    sign_confirm_fn confirm;
    void *confirm_arg;
    int (*message)(void *arg, const char *text);
    void *message_arg;
};

/* The platform's name, for logs ("freedesktop"). */
const char *sign_platform_name(void);

/* The settings files, read in this order: the machine's, then the person's (which adds
 * origins and overrides the other settings). Either is set to "" when the platform has none
 * or its path does not fit. */
void sign_platform_config_paths(char *machine, size_t mcap, char *user, size_t ucap);

/* The PKCS#11 modules tried in order when none is configured (NULL-terminated). */
const char *const *sign_platform_modules(void);

/* The desktop's dialogues: the PIN, the confirmation and messages. helper names the dialogue
 * program where the platform uses one (pinentry here), NULL for the default. */
void sign_platform_ui(struct sign_ui *ui, const char *helper);

/* The non-interactive way, the same on every platform (--pin-fd, for scripts and tests): the
 * PIN is one line from *pin_fd per signature; what is signed is written to stderr before it
 * is read (supplying the PIN is the consent); a confirmation is given at once, after writing
 * it to stderr; messages are not shown beyond stderr. */
void sign_ui_batch(struct sign_ui *ui, int *pin_fd);

/* Appends to out how to register `exe agent --handle-url` as the handler of eimza: URLs and
 * `exe agent` as the person's loopback service on this desktop (files to install and the
 * commands that make them take effect). Returns 0, or -1 when out's cap is reached. */
int sign_platform_register_hint(const char *exe, struct ubuf *out);

#endif
