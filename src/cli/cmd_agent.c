/* eimza — `eimza agent --module LIB.so [--listen 127.0.0.1:PORT] --origin URL [--pin-fd N]`:
 * the local signing agent the portal's signing page talks to (sign/agent.h has the HTTP
 * API). It listens on loopback only (a non-loopback --listen is a usage error), answers
 * only the --origin portals (the option may be repeated), and asks for the PIN itself:
 * through pinentry, or one line from --pin-fd N per signature (tests).
 *
 * Usage errors exit 1; a module that does not load or a port that cannot be bound exit 2.
 * One line on stdout ("eimza agent: listening on http://HOST:PORT") tells scripts it is
 * ready, with the real port when 0 was asked. SIGTERM or SIGINT stops it: the request in
 * progress finishes, then the exit status is 0. Signals are taken with sigwait() here and
 * blocked in every other thread. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sign/agent.h"
#include "sign/sign.h"

#define CLI_AGENT_MAX_ORIGINS 16

static const char cli_agent_usage[] =
    "usage: eimza agent --module LIB.so [--listen 127.0.0.1:PORT] --origin URL [--origin URL]..."
    " [--pin-fd N]\n"
    "\n"
    "The local signing agent for the portal's signing page: HTTP on loopback only (default\n"
    "--listen " SIGN_AGENT_DEFAULT_LISTEN "; port 0 picks a free one), answering only the\n"
    "given portal origins (scheme://host[:port]). The PIN is asked through pinentry for each\n"
    "signature, or read as one line per signature from file descriptor N with --pin-fd.\n";

int cli_cmd_agent(int argc, char **argv)
{
    const char *module = NULL, *listen = SIGN_AGENT_DEFAULT_LISTEN, *pinfd_s = NULL;
    static char origins[CLI_AGENT_MAX_ORIGINS][SIGN_ORIGIN_MAX];
    const char *origin_ptrs[CLI_AGENT_MAX_ORIGINS];
    size_t norigins = 0;
    struct sign_listen addr;
    struct sign_module *m = NULL;
    struct sign_agent *agent = NULL;
    struct sign_status st;
    sigset_t sigs, old;
    bool masked = false;
    char err[256];
    int pinfd = -1, rc = CLI_FAIL, sig = 0;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(cli_agent_usage, stdout);
            return CLI_OK;
        } else if ((v = cli_optarg(argc, argv, &i, "--module", &missing))) {
            module = v;
        } else if ((v = cli_optarg(argc, argv, &i, "--listen", &missing))) {
            listen = v;
        } else if ((v = cli_optarg(argc, argv, &i, "--pin-fd", &missing))) {
            pinfd_s = v;
        } else if ((v = cli_optarg(argc, argv, &i, "--origin", &missing))) {
            if (norigins == CLI_AGENT_MAX_ORIGINS) {
                cli_error("agent: at most %d --origin values", CLI_AGENT_MAX_ORIGINS);
                return CLI_USAGE;
            }
            if (sign_origin_normalize(v, origins[norigins], sizeof origins[norigins]) < 0) {
                cli_error("agent: --origin '%s' is not an origin (http[s]://host[:port])", v);
                return CLI_USAGE;
            }
            origin_ptrs[norigins] = origins[norigins];
            norigins++;
        } else {
            if (missing)
                cli_error("agent: %s needs a value", argv[i]);
            else
                cli_error("agent: unexpected argument '%s'", argv[i]);
            fputs(cli_agent_usage, stderr);
            return CLI_USAGE;
        }
    }
    if (!module || !*module || norigins == 0) {
        cli_error("agent: --module and at least one --origin are required");
        fputs(cli_agent_usage, stderr);
        return CLI_USAGE;
    }
    switch (sign_listen_parse(listen, &addr)) {
    case SIGN_LISTEN_OK:
        break;
    case SIGN_LISTEN_NOT_LOOPBACK:
        cli_error("agent: refusing to listen on %s: the agent listens on loopback only "
                  "(127.0.0.1, localhost or [::1])",
                  listen);
        return CLI_USAGE;
    default:
        cli_error("agent: --listen '%s' is not HOST:PORT", listen);
        return CLI_USAGE;
    }
    if (pinfd_s && (pinfd = cli_fd_arg(pinfd_s)) < 0) {
        cli_error("agent: --pin-fd %s is not an open file descriptor", pinfd_s);
        return CLI_USAGE;
    }

    /* Blocked before any thread starts, so every thread inherits the mask and only the
     * sigwait() below receives these signals. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &sigs, &old) != 0) {
        cli_error("agent: cannot block signals");
        goto out;
    }
    masked = true;

    if (sign_module_open(module, &m, &st) != SIGN_OK) {
        cli_error("agent: %s: %s (%s)", sign_err_code(st.err), st.message, st.detail);
        goto out;
    }
    struct sign_agent_config cfg = {
        .listen = addr,
        .origins = origin_ptrs,
        .norigins = norigins,
        .module = m,
        .ask_pin = pinfd >= 0 ? sign_pin_from_fd : sign_pin_from_pinentry,
        .ask_arg = pinfd >= 0 ? (void *)&pinfd : NULL,
    };
    if (sign_agent_start(&cfg, &agent, err, sizeof err) < 0) {
        cli_error("agent: %s", err);
        goto out;
    }
    printf("eimza agent: listening on http://%s%s%s:%u\n", addr.ipv6 ? "[" : "", addr.host,
           addr.ipv6 ? "]" : "", sign_agent_port(agent));
    for (size_t i = 0; i < norigins; i++)
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
    return rc;
}
