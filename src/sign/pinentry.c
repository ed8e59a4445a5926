/* eimza — asking for the PIN through pinentry (the GnuPG dialogue program: GTK, Qt or
 * curses, whichever the system has), spoken to over a pipe in the Assuan protocol: SETDESC,
 * SETPROMPT, GETPIN, then BYE. The description names the card and shows what the card says
 * about the PIN's remaining tries, so the person sees the warning where they type.
 *
 * pinentry is started for one PIN and ends after it, so no PIN stays in a long-lived
 * process. Every buffer that has held the PIN is wiped. $EIMZA_PINENTRY names another program
 * speaking the same protocol (the tests use a small script). SIGPIPE is blocked in this
 * thread while writing, so a pinentry that dies cannot kill the agent. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sign/sign_int.h"

extern char **environ;

/* The pinentry being shown now (0: none), for sign_pin_abort() from another thread. */
static atomic_int sign_pe_active;

void sign_pin_abort(void)
{
    pid_t pid = (pid_t)atomic_load(&sign_pe_active);
    if (pid > 0)
        kill(pid, SIGTERM);
}

/* How long the person may take to type the PIN before the dialogue is given up. */
#define SIGN_PINENTRY_TIMEOUT_MS (5 * 60 * 1000)

struct sign_pe {
    int to_fd;   /* pinentry's stdin */
    int from_fd; /* pinentry's stdout */
    pid_t pid;
    char buf[SIGN_ASSUAN_LINE_MAX + 1]; /* bytes read and not yet consumed as a line */
    size_t have;
};

/* Writes all of s; 0 or -1. SIGPIPE is held back in this thread and swallowed. */
static int sign_pe_write(struct sign_pe *pe, const char *s, size_t n)
{
    sigset_t pipeset, old;
    int rc = 0;
    sigemptyset(&pipeset);
    sigaddset(&pipeset, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeset, &old);
    while (n > 0) {
        ssize_t w = write(pe->to_fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        s += w;
        n -= (size_t)w;
    }
    if (rc < 0) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipeset, NULL, &zero) > 0) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* Reads one line (without its newline) into line[cap]; 0, or -1 on EOF, error, timeout or a
 * line longer than the protocol allows. */
static int sign_pe_readline(struct sign_pe *pe, char *line, size_t cap)
{
    for (;;) {
        char *nl = memchr(pe->buf, '\n', pe->have);
        if (nl) {
            size_t n = (size_t)(nl - pe->buf);
            if (n + 1 > cap)
                return -1;
            memcpy(line, pe->buf, n);
            line[n] = '\0';
            memmove(pe->buf, nl + 1, pe->have - n - 1);
            pe->have -= n + 1;
            OPENSSL_cleanse(pe->buf + pe->have, n + 1);
            return 0;
        }
        if (pe->have >= sizeof pe->buf - 1)
            return -1;
        struct pollfd pfd = {.fd = pe->from_fd, .events = POLLIN};
        int pr = poll(&pfd, 1, SIGN_PINENTRY_TIMEOUT_MS);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            return -1;
        ssize_t r = read(pe->from_fd, pe->buf + pe->have, sizeof pe->buf - 1 - pe->have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        pe->have += (size_t)r;
    }
}

/* Sends "CMD ARG\n" (ARG escaped; NULL for none) and reads the reply up to OK or ERR.
 * Returns 0 on OK, 1 on ERR (its code in *code), -1 on a broken conversation. */
static int sign_pe_cmd(struct sign_pe *pe, const char *cmd, const char *arg, unsigned long *code)
{
    struct ubuf b = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    char line[SIGN_ASSUAN_LINE_MAX + 1];
    int rc = -1;
    if (ubuf_puts(&b, cmd) < 0 ||
        (arg && (ubuf_putc(&b, ' ') < 0 || sign_assuan_escape(arg, &b) < 0)) ||
        ubuf_putc(&b, '\n') < 0)
        goto out; /* longer than a line may be */
    if (sign_pe_write(pe, b.p, b.len) < 0)
        goto out;
    for (;;) {
        struct sign_assuan_reply r;
        if (sign_pe_readline(pe, line, sizeof line) < 0)
            goto out;
        sign_assuan_parse(line, &r);
        if (r.kind == SIGN_ASSUAN_OK) {
            rc = 0;
            break;
        }
        if (r.kind == SIGN_ASSUAN_ERR) {
            if (code)
                *code = r.code;
            rc = 1;
            break;
        }
        if (r.kind != SIGN_ASSUAN_SKIP)
            goto out; /* data, an inquiry or garbage where none was asked for */
    }
out:
    ubuf_free(&b);
    return rc;
}

/* GETPIN: the data lines are the PIN, escaped. Returns SIGN_OK with pin filled, or the
 * error. */
static enum sign_err sign_pe_getpin(struct sign_pe *pe, char *pin, size_t cap)
{
    char line[SIGN_ASSUAN_LINE_MAX + 1];
    size_t len = 0;
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    bool got = false;
    pin[0] = '\0';
    if (sign_pe_write(pe, "GETPIN\n", 7) < 0)
        goto out;
    for (;;) {
        struct sign_assuan_reply r;
        if (sign_pe_readline(pe, line, sizeof line) < 0)
            goto out;
        sign_assuan_parse(line, &r);
        if (r.kind == SIGN_ASSUAN_DATA) {
            if (sign_assuan_unescape(r.rest, pin, cap, &len) < 0) {
                e = SIGN_E_PIN_INVALID; /* too long for any card */
                goto out;
            }
            got = true;
        } else if (r.kind == SIGN_ASSUAN_OK) {
            /* OK without data: an empty PIN, which no card takes; treat it as a change of
             * mind rather than spend one of the card's tries on it. */
            e = got && len > 0 ? SIGN_OK : SIGN_E_CANCELLED;
            goto out;
        } else if (r.kind == SIGN_ASSUAN_ERR) {
            e = sign_assuan_is_cancel(r.code) ? SIGN_E_CANCELLED : SIGN_E_PIN_UNAVAILABLE;
            goto out;
        } else if (r.kind != SIGN_ASSUAN_SKIP) {
            goto out;
        }
    }
out:
    OPENSSL_cleanse(line, sizeof line);
    if (e != SIGN_OK)
        OPENSSL_cleanse(pin, cap);
    return e;
}

/* The room for a SETDESC argument: the line limit less "SETDESC ", the newline and a margin. */
#define SIGN_PE_DESC_BUDGET (SIGN_ASSUAN_LINE_MAX - 16)

/* The dialogue's text: the card, the warning from its PIN flags, and the purpose, cut (with
 * "…") so the whole fits one Assuan line; what the card is never gives way to the purpose. */
static int sign_pe_desc(const struct sign_pin_request *req, const char *lead, struct ubuf *d)
{
    const struct sign_token_info *t = req->token;
    int rc = ubuf_printf(d, "%s\nKart tipi: %s (%s), seri no %s.", lead, t->model, t->manufacturer,
                         t->serial);
    if (rc == 0 && t->cert_subject_cn[0])
        rc = ubuf_printf(d, "\nSertifika: %s", t->cert_subject_cn);
    if (rc == 0 && req->warning)
        rc = ubuf_printf(d, "\n\nUYARI: %s.", req->warning);
    if (rc == 0 && req->purpose) {
        size_t used = sign_assuan_escaped_len(ubuf_str(d)) + 6; /* "\n\n" escaped */
        rc = ubuf_puts(d, "\n\n");
        if (rc == 0 && used < SIGN_PE_DESC_BUDGET)
            rc = sign_assuan_fit(req->purpose, SIGN_PE_DESC_BUDGET - used, d) < 0 ? -1 : 0;
    }
    return rc;
}

/* Options that help a terminal pinentry find the person's terminal; refusals are fine. */
static void sign_pe_options(struct sign_pe *pe)
{
    char opt[600];
    unsigned long code;
    const char *lc = getenv("LC_ALL");
    if (!lc || !*lc)
        lc = getenv("LC_CTYPE");
    if (!lc || !*lc)
        lc = getenv("LANG");
    if (isatty(STDIN_FILENO)) {
        char tty[256];
        const char *term = getenv("TERM");
        if (ttyname_r(STDIN_FILENO, tty, sizeof tty) == 0 &&
            snprintf(opt, sizeof opt, "OPTION ttyname=%s", tty) < (int)sizeof opt)
            sign_pe_cmd(pe, opt, NULL, &code);
        if (term && snprintf(opt, sizeof opt, "OPTION ttytype=%s", term) < (int)sizeof opt)
            sign_pe_cmd(pe, opt, NULL, &code);
    }
    if (lc && snprintf(opt, sizeof opt, "OPTION lc-ctype=%s", lc) < (int)sizeof opt)
        sign_pe_cmd(pe, opt, NULL, &code);
}

/* Starts pinentry (prog, or $EIMZA_PINENTRY, or "pinentry"), reads its greeting and sets the
 * terminal options and the title. Returns 0, or -1 (nothing left open). */
static int sign_pe_open(const char *prog, struct sign_pe *pe)
{
    int to[2] = {-1, -1}, from[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool fa_ok = false, attr_ok = false;
    sigset_t none, defaults;
    char line[SIGN_ASSUAN_LINE_MAX + 1];
    unsigned long code = 0;
    int rc = -1;

    memset(pe, 0, sizeof *pe);
    pe->to_fd = pe->from_fd = -1;
    pe->pid = -1;
    if (!prog || !*prog)
        prog = getenv("EIMZA_PINENTRY");
    if (!prog || !*prog)
        prog = "pinentry";
    if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0)
        goto out;
    if (posix_spawn_file_actions_init(&fa) != 0)
        goto out;
    fa_ok = true;
    if (posix_spawn_file_actions_adddup2(&fa, to[0], STDIN_FILENO) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, from[1], STDOUT_FILENO) != 0)
        goto out;
    /* The agent blocks SIGINT and SIGTERM in its threads (it takes them with sigwait);
     * pinentry must get an ordinary mask and dispositions, or it could not be stopped. */
    if (posix_spawnattr_init(&attr) != 0)
        goto out;
    attr_ok = true;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    if (posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &defaults) != 0 ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0)
        goto out;
    char *argv[] = {(char *)prog, NULL};
    if (posix_spawnp(&pe->pid, prog, &fa, &attr, argv, environ) != 0) {
        pe->pid = -1;
        goto out;
    }
    atomic_store(&sign_pe_active, (int)pe->pid);
    close(to[0]);
    close(from[1]);
    to[0] = from[1] = -1;
    pe->to_fd = to[1];
    pe->from_fd = from[0];
    to[1] = from[0] = -1;

    if (sign_pe_readline(pe, line, sizeof line) < 0 || strncmp(line, "OK", 2) != 0)
        goto out;
    sign_pe_options(pe);
    if (sign_pe_cmd(pe, "SETTITLE", "eimza — e-imza", &code) < 0)
        goto out;
    rc = 0;
out:
    for (int i = 0; i < 2; i++) {
        if (to[i] >= 0)
            close(to[i]);
        if (from[i] >= 0)
            close(from[i]);
    }
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (attr_ok)
        posix_spawnattr_destroy(&attr);
    return rc;
}

/* Ends the conversation: BYE when it went well, else the dialogue is closed by a signal (a
 * broken or abandoned dialogue must not stay open); waits for the process. */
static void sign_pe_close(struct sign_pe *pe, bool ok)
{
    if (ok && pe->to_fd >= 0)
        sign_pe_write(pe, "BYE\n", 4);
    OPENSSL_cleanse(pe->buf, sizeof pe->buf);
    if (pe->to_fd >= 0)
        close(pe->to_fd);
    if (pe->from_fd >= 0)
        close(pe->from_fd);
    pe->to_fd = pe->from_fd = -1;
    if (pe->pid > 0) {
        int status;
        atomic_store(&sign_pe_active, 0);
        if (!ok)
            kill(pe->pid, SIGTERM);
        while (waitpid(pe->pid, &status, 0) < 0 && errno == EINTR) {
        }
        pe->pid = -1;
    }
}

enum sign_err sign_pin_from_pinentry(void *arg, const struct sign_pin_request *req, char *pin,
                                     size_t cap)
{
    struct sign_pe pe;
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    struct ubuf lead = UBUF_INIT(256);
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    unsigned long code = 0;
    bool open = false;

    if (ubuf_printf(&lead, "«%s» kartının PIN'ini girin.", req->token->label) < 0 ||
        sign_pe_desc(req, ubuf_str(&lead), &desc) < 0) {
        e = SIGN_E_NOMEM;
        goto out;
    }
    if (sign_pe_open(arg, &pe) < 0)
        goto close;
    open = true;
    /* SETDESC and SETPROMPT must be understood; the button texts are a nicety. */
    if (sign_pe_cmd(&pe, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(&pe, "SETPROMPT", "PIN:", &code) != 0 ||
        sign_pe_cmd(&pe, "SETOK", "İmzala", &code) < 0 ||
        sign_pe_cmd(&pe, "SETCANCEL", "İptal", &code) < 0)
        goto close;
    e = sign_pe_getpin(&pe, pin, cap);
close:
    sign_pe_close(&pe, open && e == SIGN_OK);
out:
    ubuf_free(&desc);
    ubuf_free(&lead);
    if (e != SIGN_OK)
        OPENSSL_cleanse(pin, cap);
    return e;
}

enum sign_err sign_confirm_from_pinentry(void *arg, const struct sign_pin_request *req)
{
    struct sign_pe pe;
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    unsigned long code = 0;
    int r;
    const char *lead = req->token->protected_path
                           ? "İmzalamak istiyor musunuz? Onaylarsanız PIN'i kart okuyucunuzun "
                             "tuşlarıyla girin."
                           : "İmzalamak istiyor musunuz?";
    if (sign_pe_desc(req, lead, &desc) < 0)
        return SIGN_E_NOMEM;
    if (sign_pe_open(arg, &pe) < 0)
        goto out;
    if (sign_pe_cmd(&pe, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(&pe, "SETOK", "İmzala", &code) < 0 ||
        sign_pe_cmd(&pe, "SETCANCEL", "İptal", &code) < 0)
        goto out;
    r = sign_pe_cmd(&pe, "CONFIRM", NULL, &code);
    if (r == 0)
        e = SIGN_OK;
    else if (r == 1 && sign_assuan_is_cancel(code))
        e = SIGN_E_CANCELLED;
out:
    sign_pe_close(&pe, e == SIGN_OK);
    ubuf_free(&desc);
    return e;
}

int sign_message_from_pinentry(void *arg, const char *text)
{
    struct sign_pe pe;
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    unsigned long code = 0;
    int rc = -1;
    if (sign_assuan_fit(text, SIGN_PE_DESC_BUDGET, &desc) < 0)
        goto out;
    if (sign_pe_open(arg, &pe) < 0)
        goto close;
    /* MESSAGE shows the text with one button; an old pinentry without it is asked to CONFIRM
     * with its cancel button hidden (--one-button), as gpg-agent does. */
    if (sign_pe_cmd(&pe, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(&pe, "SETOK", "Tamam / OK", &code) < 0)
        goto close;
    if (sign_pe_cmd(&pe, "MESSAGE", NULL, &code) == 0 ||
        sign_pe_cmd(&pe, "CONFIRM", "--one-button", &code) == 0)
        rc = 0;
close:
    sign_pe_close(&pe, rc == 0);
out:
    ubuf_free(&desc);
    return rc;
}
