/* eimza — what the commands that read serve's settings share (cli/): several --config files
 * and the installed data folder.
 *
 * --config may be given more than once: the files are read in order, each over the one
 * before, so a public eimza.conf and a secrets file only the service's group can read (the
 * Debian package's /etc/eimza/eimza.conf and /etc/eimza/secrets.conf) make one set of
 * settings. Within one file a key may still appear only once (web/http/config.h).
 *
 * An installed eimza (make install, the Debian package) keeps its data beside its binary:
 * <folder of the binary>/CLI_DATADIR_REL/NAME, with CLI_DATADIR_REL the relative path from the
 * installed bin/ to share/eimza (set by cmake/install.cmake), so the same binary finds its
 * files under any PREFIX and under a DESTDIR staging tree.
 */
#ifndef EIMZA_CLI_CLI_CONFIG_H
#define EIMZA_CLI_CLI_CONFIG_H

#include <stddef.h>

#define CLI_CONFIG_MAX 4 /* --config files one command reads */

struct web_config;

struct cli_configs {
    const char *file[CLI_CONFIG_MAX]; /* borrowed from argv */
    int n;
};

struct cli_parse;
/* Adds one --config file of the parse p. Returns 0, or -1 when there are more than
 * CLI_CONFIG_MAX, after the usage error "WHAT: --config: too_many_configs: ..."
 * (cli_parse_refuse). */
int cli_configs_add(struct cli_configs *c, struct cli_parse *p, const char *file);

/* Reads the files in order over cfg's current values. Returns 0, or -1 after the refusal of
 * the first bad one, "WHAT: FILE:LINE: CODE: <Turkish>" and its English details
 * (web_config_load_file's codes; cfg then holds the files read before it). */
int cli_configs_load(const struct cli_configs *c, struct web_config *cfg, const char *what);

/* Sets key from the command-line option opt (--db, --listen): 0, or -1 after the refusal
 * "WHAT: OPT: CODE: ..." (web_config_set's codes) and its English details. */
int cli_config_option(struct web_config *cfg, const char *what, const char *opt, const char *key,
                      const char *value);

/* The files' names joined by commas into out ("" when none; cut short when out is full). */
void cli_configs_names(const struct cli_configs *c, char *out, size_t outlen);

/* The installed data folder NAME ("static", "trust") as an absolute path without "..", into
 * out. Returns 0 when it is a readable folder, -1 otherwise (out is then unchanged). */
int cli_datadir(const char *name, char *out, size_t outlen);

#endif
