/* eimza — the signing agent's settings file (agent.conf): which portals it serves, which card
 * module it loads, where the loopback listener listens, which CA vouches for a private
 * portal's certificate, which pinentry asks. The same settings serve the loopback listener
 * (`eimza agent`) and the URL handler (`eimza agent --handle-url URL`), so a portal allowed
 * for one is allowed for the other.
 *
 *   # comment                      blank lines and comments are ignored
 *   module   = /usr/lib/libakisp11.so
 *   origin   = https://eimza.meb.gov.tr   (one line per portal; they add up)
 *   listen   = 127.0.0.1:8089
 *   ca_file  = /etc/eimza/portal-ca.pem   (only these CAs are trusted for the portals'
 *                                          HTTPS; unset: the system's store)
 *   pinentry = /usr/bin/pinentry-gnome3
 *
 * Files are read in order (the machine's, then the person's: sign/platform.h); origins add
 * up, a later value of another setting replaces an earlier one, and the command line comes
 * last. A file that others may write is refused: whoever can add an origin can ask for
 * signatures. */
#ifndef EIMZA_SIGN_CONF_H
#define EIMZA_SIGN_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "sign/agent.h"

#define SIGN_CONF_MAX_ORIGINS 16
#define SIGN_CONF_PATH_MAX    512

struct sign_conf {
    char module[SIGN_CONF_PATH_MAX];
    char listen[64];
    char ca_file[SIGN_CONF_PATH_MAX];
    char pinentry[SIGN_CONF_PATH_MAX];
    char origins[SIGN_CONF_MAX_ORIGINS][SIGN_ORIGIN_MAX]; /* normalised, no duplicates */
    size_t norigins;
};

/* Empties c. */
void sign_conf_init(struct sign_conf *c);

/* Adds one origin (normalised: sign_origin_normalize); a duplicate is dropped. Returns 0, or
 * -1 with the reason in err (not an origin, too many). */
int sign_conf_add_origin(struct sign_conf *c, const char *origin, char *err, size_t errlen);

/* Applies the settings in text[0..n) (one file's contents; name is used in messages as
 * "name:line: ..."). Returns 0, or -1 with the first error in err; c may then hold some of
 * the file's settings, and the caller stops. */
int sign_conf_parse(struct sign_conf *c, const char *text, size_t n, const char *name, char *err,
                    size_t errlen);

/* Reads and applies the file at path. A missing file is fine (returns 0, *found false) unless
 * must_exist. A file that is not a regular file, is larger than 64 KiB, is writable by group
 * or others, or belongs to neither root nor this user is refused (-1, err says why). */
int sign_conf_read_file(struct sign_conf *c, const char *path, bool must_exist, bool *found,
                        char *err, size_t errlen);

#endif
