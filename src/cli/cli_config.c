/* eimza — several --config files and the installed data folder (cli_config.h). */
#include "cli/cli_config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/fault.h"
#include "web/http/config.h"

#ifndef CLI_DATADIR_REL
#define CLI_DATADIR_REL "../share/eimza" /* GNU layout: PREFIX/bin -> PREFIX/share/eimza */
#endif

int cli_configs_add(struct cli_configs *c, struct cli_parse *p, const char *file)
{
    if (c->n >= CLI_CONFIG_MAX) {
        cli_parse_refuse(p, "--config", "too_many_configs", "at most %d --config files",
                         CLI_CONFIG_MAX);
        return -1;
    }
    c->file[c->n++] = file;
    return 0;
}

int cli_configs_load(const struct cli_configs *c, struct web_config *cfg, const char *what)
{
    struct ufault f = {0};
    for (int i = 0; i < c->n; i++) {
        if (web_config_load_file(cfg, c->file[i], &f) < 0) {
            cli_refuse_fault(what, &f);
            return -1;
        }
    }
    return 0;
}

int cli_config_option(struct web_config *cfg, const char *what, const char *opt, const char *key,
                      const char *value)
{
    struct ufault f = {0};
    if (web_config_set(cfg, key, value, &f) == 0)
        return 0;
    snprintf(f.subject, sizeof f.subject, "%s", opt);
    cli_refuse_fault(what, &f);
    return -1;
}

void cli_configs_names(const struct cli_configs *c, char *out, size_t outlen)
{
    size_t used = 0;
    if (outlen == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < c->n; i++) {
        int w = snprintf(out + used, outlen - used, "%s%s", i ? "," : "", c->file[i]);
        if (w < 0 || (size_t)w >= outlen - used)
            return; /* cut short: snprintf has ended it with a NUL */
        used += (size_t)w;
    }
}

int cli_datadir(const char *name, char *out, size_t outlen)
{
    char exe[PATH_MAX], cand[PATH_MAX], real[PATH_MAX];
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int w = snprintf(cand, sizeof cand, "%s/%s/%s", exe, CLI_DATADIR_REL, name);
    if (w < 0 || (size_t)w >= sizeof cand || !realpath(cand, real))
        return -1;
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode) || access(real, R_OK | X_OK) != 0)
        return -1;
    size_t len = strlen(real);
    if (len >= outlen)
        return -1;
    memcpy(out, real, len + 1);
    return 0;
}
