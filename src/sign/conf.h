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

struct ufault;

/* Adds one origin (normalised: sign_origin_normalize); a duplicate is dropped. Returns 0, or
 * -1 with the refusal in f (util/fault.h; the subject left as it is): origin_bad (not an
 * origin), too_many_origins. */
int sign_conf_add_origin(struct sign_conf *c, const char *origin, struct ufault *f);

/* Applies the settings in text[0..n) (one file's contents; name is the file's in the
 * refusal's subject "name:line"). Returns 0, or -1 with the first refusal in f:
 * settings_line_bad (not `key = value`, too long, a NUL byte), setting_unknown,
 * setting_bad_value (no value, too long, not an absolute path), listen_not_loopback, or
 * sign_conf_add_origin's; c may then hold some of the file's settings, and the caller stops. */
int sign_conf_parse(struct sign_conf *c, const char *text, size_t n, const char *name,
                    struct ufault *f);

/* Reads and applies the file at path. A missing file is fine (returns 0, *found false) unless
 * must_exist (then settings_file_missing). A file that cannot be read, is not a regular file
 * or is larger than 64 KiB (settings_file_unreadable), is writable by group or others, or
 * belongs to neither root nor this user (settings_file_unsafe) is refused: -1, the refusal in
 * f with the file as its subject, or sign_conf_parse's. */
int sign_conf_read_file(struct sign_conf *c, const char *path, bool must_exist, bool *found,
                        struct ufault *f);

#endif
