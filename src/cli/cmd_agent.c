/* eimza — `eimza agent`: the signing agent on the holder's own computer, in its two forms.
 *
 *   eimza agent [OPTIONS]                  the loopback listener the signing page talks to
 *                                          (sign/agent.h has the HTTP API); what the person's
 *                                          user service runs
 *   eimza agent --handle-url URL [OPTIONS] the relay path (sign/relay.h): one eimza://sign
 *                                          URL, as the desktop's URL handler passes it
 *   eimza agent --register-hint            how to register both with this desktop
 *
 * Settings come from the agent's settings files (sign/conf.h: the machine's, then the
 * person's; `--config FILE` reads that file only), then the options: --origin adds a portal,
 * --module, --listen, --ca-file and --pinentry replace the file's value. Without a module the
 * platform's usual AKİS module paths are tried. The PIN is asked through pinentry, or read
 * as one line per signature from --pin-fd N (tests, scripts).
 *
 * The listener listens on loopback only (a non-loopback --listen is a usage error), answers
 * only the configured portals, and prints "eimza agent: listening on http://HOST:PORT" when
 * ready (the real port when 0 was asked). SIGTERM or SIGINT stops it: the request in
 * progress finishes, then the exit status is 0. Signals are taken with sigwait() here and
 * blocked in every other thread. Exit 1 for a usage or settings error, 2 when the module does
 * not load or the port cannot be bound.
 *
 * --handle-url exits with sign_relay_exit(): 0 signed and accepted, 1 a malformed URL or
 * settings, 2 the card, the PIN or the person's cancel, 3 a portal not on the allow-list (or
 * not https; it was not contacted), 4 the portal unreachable, its certificate not verified, or
 * its answer not understood, 5 the portal refused (its code: ticket_expired, …). The outcome's
 * code and message (Turkish, then English) go to stderr, and to a dialogue unless the person
 * cancelled or --pin-fd was given; success prints one line on stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sign/agent.h"
#include "sign/conf.h"
#include "sign/platform.h"
#include "sign/relay.h"
#include "sign/sign.h"
#include "util/fault.h"

static const char cli_agent_usage[] =
    "usage: eimza agent [--config FILE] [--module LIB.so] [--listen 127.0.0.1:PORT]\n"
    "                   [--origin URL]... [--ca-file FILE] [--pinentry PROG] [--pin-fd N]\n"
    "       eimza agent --handle-url eimza://sign?ticket=T&portal=https://HOST [same options]\n"
    "       eimza agent --register-hint\n"
    "\n"
    "The signing agent. Without --handle-url: the local listener for the portal's signing page,\n"
    "HTTP on loopback only (default --listen " SIGN_AGENT_DEFAULT_LISTEN "; port 0 picks a free "
    "one),\n"
    "answering only the configured portal origins (scheme://host[:port]). With --handle-url:\n"
    "signs one request of an allowed https portal (the relay path), talking to it over HTTPS\n"
    "(its certificate checked against the system's store, or only --ca-file's).\n"
    "\n"
    "Settings: /etc/eimza/agent.conf, then ~/.config/eimza/agent.conf (or --config FILE only):\n"
    "'module = PATH', 'origin = URL' (one per portal), 'listen = HOST:PORT', 'ca_file = PATH',\n"
    "'pinentry = PATH'. Options add origins and replace the rest. The PIN is asked through\n"
    "pinentry for each signature, or read as one line per signature from file descriptor N with\n"
    "--pin-fd.\n";

/* Reads the settings files into c (FILE only with --config). Returns 0, or -1 after the
 * refusal (cli_refuse_fault: "agent: FILE:LINE: CODE: ..."). */
static int cli_agent_settings(struct sign_conf *c, const char *config)
{
    char machine[SIGN_CONF_PATH_MAX], user[SIGN_CONF_PATH_MAX];
    struct ufault f = {0};
    if (config) {
        if (sign_conf_read_file(c, config, true, NULL, &f) == 0)
            return 0;
        cli_refuse_fault("agent", &f);
        return -1;
    }
    sign_platform_config_paths(machine, sizeof machine, user, sizeof user);
    if ((machine[0] && sign_conf_read_file(c, machine, false, NULL, &f) < 0) ||
        (user[0] && sign_conf_read_file(c, user, false, NULL, &f) < 0)) {
        cli_refuse_fault("agent", &f);
        return -1;
    }
    return 0;
}

/* The first of the platform's usual module paths that exists, or NULL. */
static const char *cli_agent_default_module(void)
{
    for (const char *const *m = sign_platform_modules(); *m; m++)
        if (access(*m, R_OK) == 0)
            return *m;
    return NULL;
}

static int cli_agent_hint(void)
{
    char exe[PATH_MAX];
    struct ubuf out = UBUF_INIT(16 * 1024);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int rc = CLI_FAIL;
    if (n <= 0)
        snprintf(exe, sizeof exe, "/usr/bin/eimza");
    else
        exe[n] = '\0';
    if (sign_platform_register_hint(exe, &out) == 0) {
        fputs(ubuf_str(&out), stdout);
        rc = CLI_OK;
    }
    ubuf_free(&out);
    return rc;
}

/* --handle-url: the relay path, once. */
static int cli_agent_relay(const char *url, const struct sign_conf *c, const char *module,
                           const char *token, int *pinfd)
{
    const char *origins[SIGN_CONF_MAX_ORIGINS];
    struct sign_relay_result *res = calloc(1, sizeof *res);
    struct sign_relay_config cfg = {
        .url = url,
        .origins = origins,
        .norigins = c->norigins,
        .module = module,
        .token_label = token,
        .ca_file = c->ca_file[0] ? c->ca_file : NULL,
        .timeout_s = 60,
    };
    int rc;
    if (!res) {
        cli_error("agent: out of memory");
        return CLI_FAIL;
    }
    for (size_t i = 0; i < c->norigins; i++)
        origins[i] = c->origins[i];
    if (*pinfd >= 0)
        sign_ui_batch(&cfg.ui, pinfd);
    else
        sign_platform_ui(&cfg.ui, c->pinentry[0] ? c->pinentry : NULL);

    enum sign_relay_err e = sign_relay_run(&cfg, res);
    rc = sign_relay_exit(e);
    if (e == SIGN_RELAY_OK) {
        printf("eimza agent: application %s signed and accepted by %s\n", res->number, res->portal);
    } else {
        fprintf(stderr, "eimza agent: %s: %s%s%s%s\n", res->code, res->message,
                res->detail[0] ? "\n(" : "", res->detail, res->detail[0] ? ")" : "");
        if (res->reported)
            fprintf(stderr, "eimza agent: the portal was told (%s)\n", res->code);
        /* the person who pressed "İptal" needs no dialogue to say so */
        if (cfg.ui.message && strcmp(res->code, "cancelled") != 0)
            cfg.ui.message(cfg.ui.message_arg, res->message);
    }
    free(res);
    return rc;
}

int cli_cmd_agent(int argc, char **argv)
{
    const char *module = NULL, *listen = NULL, *pinfd_s = NULL, *config = NULL, *url = NULL;
    const char *cafile = NULL, *pinentry = NULL;
    const char *cli_origins[SIGN_CONF_MAX_ORIGINS];
    size_t ncli = 0;
    struct sign_conf *conf = NULL;
    struct sign_listen addr;
    struct sign_module *m = NULL;
    struct sign_agent *agent = NULL;
    struct sign_status st;
    sigset_t sigs, old;
    bool masked = false, hint = false;
    char err[600];
    int pinfd = -1, rc = CLI_USAGE, sig = 0;

    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "agent", cli_agent_usage);
    while (cli_parse_next(&p)) {
        if (cli_flag(&p, "--register-hint")) {
            hint = true;
        } else if ((v = cli_opt(&p, "--module"))) {
            module = v;
        } else if ((v = cli_opt(&p, "--listen"))) {
            listen = v;
        } else if ((v = cli_opt(&p, "--pin-fd"))) {
            pinfd_s = v;
        } else if ((v = cli_opt(&p, "--config"))) {
            config = v;
        } else if ((v = cli_opt(&p, "--handle-url"))) {
            url = v;
        } else if ((v = cli_opt(&p, "--ca-file"))) {
            cafile = v;
        } else if ((v = cli_opt(&p, "--pinentry"))) {
            pinentry = v;
        } else if ((v = cli_opt_many(&p, "--origin"))) {
            if (ncli == SIGN_CONF_MAX_ORIGINS)
                return cli_parse_refuse(&p, "--origin", "too_many_origins",
                                        "at most %d --origin values", SIGN_CONF_MAX_ORIGINS);
            cli_origins[ncli++] = v;
        } else {
            return cli_parse_other(&p);
        }
    }
    if (hint)
        return cli_agent_hint();

    conf = calloc(1, sizeof *conf);
    if (!conf) {
        cli_error("agent: out of memory");
        return CLI_FAIL;
    }
    sign_conf_init(conf);
    if (cli_agent_settings(conf, config) < 0)
        goto out;
    for (size_t i = 0; i < ncli; i++) {
        struct ufault f = {.subject = "--origin"};
        if (sign_conf_add_origin(conf, cli_origins[i], &f) < 0) {
            rc = cli_usage_errorf("agent", f.subject, f.code, cli_agent_usage, "%s", f.detail);
            goto out;
        }
    }
    /* an option replaces the file's value */
    const struct {
        const char *opt, *value;
        char *dst;
        size_t cap;
    } over[] = {
        {"--module", module, conf->module, sizeof conf->module},
        {"--listen", listen, conf->listen, sizeof conf->listen},
        {"--ca-file", cafile, conf->ca_file, sizeof conf->ca_file},
        {"--pinentry", pinentry, conf->pinentry, sizeof conf->pinentry},
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        if (!over[i].value)
            continue;
        if (!*over[i].value || strlen(over[i].value) >= over[i].cap) {
            rc = cli_usage_errorf("agent", over[i].opt, *over[i].value ? "too_long" : "value_empty",
                                  cli_agent_usage, "%s needs a value of 1 to %zu bytes",
                                  over[i].opt, over[i].cap - 1);
            goto out;
        }
        snprintf(over[i].dst, over[i].cap, "%s", over[i].value);
    }
    if (!conf->module[0]) {
        const char *dflt = cli_agent_default_module();
        if (dflt)
            snprintf(conf->module, sizeof conf->module, "%s", dflt);
    }
    if (pinfd_s && (pinfd = cli_fd_arg(pinfd_s)) < 0) {
        rc = cli_usage_error("agent", "--pin-fd", "fd_not_open", cli_agent_usage);
        goto out;
    }

    if (url) {
        if (listen) {
            rc = cli_usage_error("agent", "--handle-url --listen", "options_conflict",
                                 cli_agent_usage);
            goto out;
        }
        rc = cli_agent_relay(url, conf, conf->module, NULL, &pinfd);
        goto out;
    }

    if (!conf->module[0] || conf->norigins == 0) {
        rc = cli_usage_errorf("agent", !conf->module[0] ? "--module" : "--origin",
                              "argument_missing", cli_agent_usage,
                              "a module and at least one origin are needed (--module and "
                              "--origin, or 'module' and 'origin' in the settings file)");
        goto out;
    }
    if (!conf->listen[0])
        snprintf(conf->listen, sizeof conf->listen, "%s", SIGN_AGENT_DEFAULT_LISTEN);
    switch (sign_listen_parse(conf->listen, &addr)) {
    case SIGN_LISTEN_OK:
        break;
    case SIGN_LISTEN_NOT_LOOPBACK:
        rc = cli_usage_errorf("agent", "--listen", "listen_not_loopback", cli_agent_usage,
                              "refusing to listen on %s: the agent listens on loopback only "
                              "(127.0.0.1, localhost or [::1])",
                              conf->listen);
        goto out;
    default:
        rc = cli_usage_errorf("agent", "--listen", "listen_bad", cli_agent_usage,
                              "'%s' is not HOST:PORT", conf->listen);
        goto out;
    }

    /* Blocked before any thread starts, so every thread inherits the mask and only the
     * sigwait() below receives these signals. */
    rc = CLI_FAIL;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &sigs, &old) != 0) {
        cli_error("agent: cannot block signals");
        goto out;
    }
    masked = true;

    if (sign_module_open(conf->module, &m, &st) != SIGN_OK) {
        cli_error("agent: %s: %s (%s)", sign_err_code(st.err), st.message, st.detail);
        goto out;
    }
    const char *origin_ptrs[SIGN_CONF_MAX_ORIGINS];
    for (size_t i = 0; i < conf->norigins; i++)
        origin_ptrs[i] = conf->origins[i];
    struct sign_agent_config cfg = {
        .listen = addr,
        .origins = origin_ptrs,
        .norigins = conf->norigins,
        .module = m,
        .ask_pin = pinfd >= 0 ? sign_pin_from_fd : sign_pin_from_pinentry,
        .ask_arg = pinfd >= 0 ? (void *)&pinfd : (conf->pinentry[0] ? conf->pinentry : NULL),
    };
    if (sign_agent_start(&cfg, &agent, err, sizeof err) < 0) {
        cli_error("agent: %s", err);
        goto out;
    }
    printf("eimza agent: listening on http://%s%s%s:%u\n", addr.ipv6 ? "[" : "", addr.host,
           addr.ipv6 ? "]" : "", sign_agent_port(agent));
    for (size_t i = 0; i < conf->norigins; i++)
        printf("eimza agent: answering %s\n", origin_ptrs[i]);
    fflush(stdout);

    while (sigwait(&sigs, &sig) != 0) {
    }
    fprintf(stderr, "eimza agent: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    sign_pin_abort(); /* an open PIN dialogue would hold the request, and so the stop */
    rc = CLI_OK;
out:
    sign_agent_stop(agent);
    sign_module_close(m);
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(conf);
    return rc;
}
