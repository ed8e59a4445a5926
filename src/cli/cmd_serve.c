/* eimza — `eimza serve [--config FILE] [--listen HOST:PORT] [--db URL] [--trust-dir DIR]
 * [--dev]`: the web server (web/server.h does the serving).
 *
 * Settings come from the defaults, then the --config file, then the command-line options,
 * each overriding the one before; every value goes through web/config.c's table, so a bad
 * one is refused the same way wherever it comes from. Checks that need nothing running come
 * first (usage errors exit 1): the settings, the trust directory, the listen address (which
 * --dev restricts to loopback). Then the database, whose schema must be current (exit 2
 * otherwise), then the server. One line on stdout tells scripts it is ready. SIGTERM or
 * SIGINT stops it gracefully: no new connections, requests in flight finish (up to
 * shutdown_timeout seconds; a second signal cuts the wait short), then everything closes
 * and the exit status is 0. Signals are taken with sigwait() in this thread, blocked in all
 * others, so no work ever runs in a signal handler.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/log.h"
#include "web/config.h"
#include "web/routes.h"
#include "web/server.h"

static void serve_usage(FILE *f)
{
    fprintf(f, "usage: eimza serve [--config FILE] [--listen HOST:PORT] [--db URL] "
               "[--trust-dir DIR] [--dev]\n"
               "\n"
               "Command-line options override the --config file, which overrides the defaults.\n"
               "The file holds 'key = value' lines ('#' starts a comment line); its keys:\n");
    web_config_print_help(f);
}

static void serve_dev_banner(void)
{
    fputs("eimza: **********************************************************************\n"
          "eimza: *  DEVELOPMENT MODE (--dev): NEVER USE THIS WITH REAL PEOPLE'S DATA  *\n"
          "eimza: *  loopback only; SMS and e-mail go to the development outbox        *\n"
          "eimza: *  (/dev/outbox); captcha answers are shown at /dev/captcha/{id}     *\n"
          "eimza: **********************************************************************\n",
          stderr);
}

/* Takes "--name VALUE" or "--name=VALUE" at argv[*i]; NULL when argv[*i] is not --name. */
static const char *serve_optarg(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

/* The trust directory must exist and be readable now, not when the first signature arrives. */
static int serve_check_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        cli_error("--trust-dir '%s': %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error("--trust-dir '%s' is not a directory", dir);
        return -1;
    }
    if (access(dir, R_OK | X_OK) != 0) {
        cli_error("--trust-dir '%s' is not readable: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Waits for requests in flight, at most timeout_s seconds; another signal ends the wait.
 * True when none was left. */
static bool serve_drain(struct web_server *srv, const sigset_t *sigs, int timeout_s)
{
    const struct timespec now = {0, 0};
    for (int waited = 0;; waited += 100) {
        if (web_server_drain(srv, 100))
            return true;
        if (sigtimedwait(sigs, NULL, &now) > 0) {
            ulog(ULOG_WARN, "server.drain_cut", "reason=second_signal");
            return false;
        }
        if (waited >= timeout_s * 1000) {
            ulog(ULOG_WARN, "server.drain_timeout", "seconds=%d", timeout_s);
            return false;
        }
    }
}

int cli_cmd_serve(int argc, char **argv)
{
    const char *config = NULL, *listen_addr = NULL, *db = NULL, *trust = NULL;
    bool dev = false;
    struct web_config cfg;
    char err[1600];
    struct store *st = NULL;
    struct web_server *srv = NULL;
    int fd = -1, rc = CLI_USAGE, schema = 0, latest = 0;
    sigset_t sigs, oldmask;
    struct sigaction ignore = {.sa_handler = SIG_IGN}, oldpipe;
    bool signals_set = false;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = serve_optarg(argc, argv, &i, "--config", &missing)))
            config = v;
        else if ((v = serve_optarg(argc, argv, &i, "--listen", &missing)))
            listen_addr = v;
        else if ((v = serve_optarg(argc, argv, &i, "--db", &missing)))
            db = v;
        else if ((v = serve_optarg(argc, argv, &i, "--trust-dir", &missing)))
            trust = v;
        else if (!missing && !strcmp(argv[i], "--dev"))
            dev = true;
        else if (!missing && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
            serve_usage(stdout);
            return CLI_OK;
        } else {
            if (missing)
                cli_error("serve: %s needs a value", argv[i]);
            else
                cli_error("serve: unknown argument '%s'", argv[i]);
            serve_usage(stderr);
            return CLI_USAGE;
        }
    }

    if (web_config_defaults(&cfg) < 0) {
        cli_error("serve: the built-in defaults are invalid (a bug)");
        return CLI_FAIL;
    }
    if (config && web_config_load_file(&cfg, config, err, sizeof err) < 0) {
        cli_error("%s", err);
        return CLI_USAGE;
    }
    const struct {
        const char *opt, *key, *value;
    } overrides[] = {{"--listen", "listen", listen_addr},
                     {"--db", "db", db},
                     {"--trust-dir", "trust_dir", trust},
                     {"--dev", "dev", dev ? "true" : NULL}};
    for (size_t i = 0; i < sizeof overrides / sizeof overrides[0]; i++) {
        if (overrides[i].value &&
            web_config_set(&cfg, overrides[i].key, overrides[i].value, err, sizeof err) < 0) {
            cli_error("%s: %s", overrides[i].opt, err);
            return CLI_USAGE;
        }
    }
    ulog_set_level((enum ulog_level)cfg.log_level);
    if (cfg.trust_dir[0] && serve_check_dir(cfg.trust_dir) < 0)
        return CLI_USAGE;

    switch (web_listen_open(cfg.listen, cfg.dev, &fd, err, sizeof err)) {
    case WEB_LISTEN_OK:
        break;
    case WEB_LISTEN_USAGE:
        cli_error("--listen: %s", err);
        return CLI_USAGE;
    case WEB_LISTEN_FAILED:
        cli_error("%s", err);
        return CLI_FAIL;
    }

    rc = cli_open_store(cfg.db, 0, &st);
    if (rc != CLI_OK)
        goto out;
    if (store_schema_version(st, &schema, &latest) != STORE_OK) {
        cli_error("cannot read the schema version: %s", store_last_error(st));
        rc = CLI_FAIL;
        goto out;
    }

    /* Blocked before the server's threads exist, so they inherit the mask and the signals
     * can only reach this thread's sigwait(). A client closing early must not kill us. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, &oldmask);
    sigaction(SIGPIPE, &ignore, &oldpipe);
    signals_set = true;

    if (web_server_start(&cfg, fd, st, schema, web_routes, web_routes_count, &srv, err,
                         sizeof err) < 0) {
        fd = -1;
        st = NULL; /* taken over, also on failure */
        cli_error("%s", err);
        rc = CLI_FAIL;
        goto out;
    }
    fd = -1;
    st = NULL;
    if (cfg.dev)
        serve_dev_banner();
    ulog(ULOG_INFO, "server.start", "url=%s database=%s schema=%d dev=%d", web_server_url(srv),
         web_server_backend(srv), schema, cfg.dev);
    printf("eimza: serving on %s (database %s, schema %d)\n", web_server_url(srv),
           web_server_backend(srv), schema);
    fflush(stdout);

    int sig = 0;
    if (sigwait(&sigs, &sig) != 0)
        sig = 0;
    ulog(ULOG_INFO, "server.stopping", "signal=%s",
         sig == SIGTERM  ? "TERM"
         : sig == SIGINT ? "INT"
                         : "?");
    web_server_quiesce(srv);
    bool drained = serve_drain(srv, &sigs, cfg.shutdown_timeout);
    web_server_free(srv);
    srv = NULL;
    ulog(ULOG_INFO, "server.stopped", "drained=%d", drained);
    rc = CLI_OK;
out:
    web_server_free(srv);
    if (st)
        store_close(st);
    if (fd >= 0)
        close(fd);
    if (signals_set) {
        /* a signal that came during the shutdown is spent, not left to kill us unmasked */
        const struct timespec now = {0, 0};
        while (sigtimedwait(&sigs, NULL, &now) > 0)
            ;
        sigaction(SIGPIPE, &oldpipe, NULL);
        pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    }
    return rc;
}
