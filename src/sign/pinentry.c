/* eimza — asking for the PIN through pinentry (the GnuPG dialogue program: GTK, Qt or
 * curses, whichever the system has), spoken to over a pipe in the Assuan protocol through
 * libassuan: SETDESC, SETPROMPT, GETPIN, then BYE. The description names the card and shows
 * what the card says about the PIN's remaining tries, so the person sees the warning where
 * they type. The same client shows the two other dialogues of the relay path: a confirmation
 * of what is signed (CONFIRM, when the PIN is typed on the reader's PIN pad) and a message
 * with one button (MESSAGE, or CONFIRM --one-button on an older pinentry). Every text is cut
 * with "…" to what one Assuan line takes, never refused for its length. The dialogues' words
 * are the catalogue's "dialogue.NAME", in Turkish.
 *
 * libassuan reads and classifies the replies, decodes the data lines and wipes its line
 * buffers when the context is released. Four of its system hooks are ours:
 *   spawn  posix_spawnp with an ordinary signal mask and dispositions (the agent blocks
 *          SIGINT and SIGTERM in its threads; pinentry must still be stoppable) and every
 *          descriptor above stderr closed, instead of libassuan's fork that runs library code
 *          between fork and exec in a threaded process;
 *   pipe   close-on-exec pipes, so a pinentry started by another thread inherits none;
 *   read   waits at most SIGN_PINENTRY_TIMEOUT_MS for the person to answer;
 *   write  holds SIGPIPE back in this thread, so a pinentry that dies cannot kill the agent
 *          (libassuan would otherwise ignore SIGPIPE for the whole process).
 * The context has no log callback and logging switched off, and GETPIN runs in
 * libassuan's confidential mode as well, so no line of the dialogue is ever logged.
 *
 * pinentry is started for one PIN and ends after it, so no PIN stays in a long-lived
 * process. $EIMZA_PINENTRY names another program speaking the same protocol (the tests use a
 * small script). sign_pinentry_over_fd runs the same dialogue over a connected socket, for
 * the unit tests and the fuzz driver that play pinentry's part.
 */
#include <assuan.h>
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

#include "core/catalogue.h"
#include "sign/sign_int.h"

extern char **environ;

/* The error source of libassuan's own failures in our contexts (end of file, timeout, a
 * malformed line, an unexpected inquiry) and of our data callback's refusals; a pinentry's ERR
 * replies carry their own source (5, or none). */
#define SIGN_PE_ERRSRC GPG_ERR_SOURCE_USER_1

/* How long the person may take to type the PIN before the dialogue is given up. */
#define SIGN_PINENTRY_TIMEOUT_MS (5 * 60 * 1000)

/* The pinentry being shown now (0: none), for sign_pin_abort() from another thread. */
static atomic_int sign_pe_active;

void sign_pin_abort(void)
{
    pid_t pid = (pid_t)atomic_load(&sign_pe_active);
    if (pid > 0)
        kill(pid, SIGTERM);
}

/* The catalogue's words "dialogue.NAME" (the name when it has none). */
static const char *sign_pe_text(const char *name)
{
    return core_word("dialogue", name, CORE_LANG_TR);
}

int sign_assuan_escape(const char *s, struct ubuf *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* '%' starts an escape; CR and LF would end the line; other control bytes are not
         * allowed on the line either. UTF-8 bytes (>= 0x80) go through as they are. */
        if (*p == '%' || *p < 0x20 || *p == 0x7f) {
            if (ubuf_printf(out, "%%%02X", *p) < 0)
                return -1;
        } else if (ubuf_putc(out, (char)*p) < 0) {
            return -1;
        }
    }
    return 0;
}

/* What one byte costs once escaped by sign_assuan_escape. */
static size_t sign_assuan_cost(unsigned char c)
{
    return (c == '%' || c < 0x20 || c == 0x7f) ? 3 : 1;
}

size_t sign_assuan_escaped_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += sign_assuan_cost(*p);
    return n;
}

int sign_assuan_fit(const char *s, size_t budget, struct ubuf *out)
{
    static const char more[] = "…"; /* 3 bytes of UTF-8, none escaped */
    size_t total = sign_assuan_escaped_len(s), cut = 0, cost = 0;
    if (total <= budget)
        return ubuf_puts(out, s) < 0 ? -1 : 0;
    if (budget < sizeof more - 1)
        return 1;
    /* the longest prefix ending before a character's first byte that leaves room for "…" */
    for (size_t i = 0;; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            cut = i; /* a character starts here (or the string ends): the prefix may end here */
        if (!c)
            break;
        cost += sign_assuan_cost(c);
        if (cost > budget - (sizeof more - 1))
            break;
    }
    if (ubuf_put(out, s, cut) < 0 || ubuf_puts(out, more) < 0)
        return -1;
    return 1;
}

/* ---- libassuan's system hooks ------------------------------------------------------------ */

static int sign_pe_pipe(assuan_context_t ctx, assuan_fd_t fd[2], int inherit_idx)
{
    (void)ctx;
    (void)inherit_idx; /* the child's end loses close-on-exec when it is dup2'ed to 0 or 1 */
    return pipe2(fd, O_CLOEXEC);
}

static ssize_t sign_pe_read(assuan_context_t ctx, assuan_fd_t fd, void *buf, size_t size)
{
    (void)ctx;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, SIGN_PINENTRY_TIMEOUT_MS);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            errno = ETIMEDOUT;
        if (pr <= 0)
            return -1;
        ssize_t r = read(fd, buf, size);
        if (r < 0 && errno == EINTR)
            continue;
        return r;
    }
}

static ssize_t sign_pe_write(assuan_context_t ctx, assuan_fd_t fd, const void *buf, size_t size)
{
    sigset_t pipeset, old;
    ssize_t w;
    (void)ctx;
    sigemptyset(&pipeset);
    sigaddset(&pipeset, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeset, &old);
    do {
        w = write(fd, buf, size);
    } while (w < 0 && errno == EINTR);
    if (w < 0) {
        int saved = errno;
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipeset, NULL, &zero) > 0) {
        }
        errno = saved;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return w;
}

static int sign_pe_spawn(assuan_context_t ctx, pid_t *r_pid, const char *name, const char **argv,
                         assuan_fd_t fd_in, assuan_fd_t fd_out, assuan_fd_t *fd_child_list,
                         void (*atfork)(void *opaque, int reserved), void *atforkvalue,
                         unsigned int flags)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool fa_ok = false, attr_ok = false;
    sigset_t none, defaults;
    pid_t pid = -1;
    int rc = -1, err = EINVAL;
    (void)ctx;
    (void)fd_child_list; /* stdin, stdout and stderr are all pinentry gets */
    (void)atfork;        /* nothing runs between fork and exec here */
    (void)atforkvalue;
    (void)flags;

    if (!name || !argv || !argv[0])
        goto out; /* libassuan's "fork without exec" is not offered */
    if ((err = posix_spawn_file_actions_init(&fa)) != 0)
        goto out;
    fa_ok = true;
    if ((err = posix_spawn_file_actions_adddup2(&fa, fd_in, STDIN_FILENO)) != 0 ||
        (err = posix_spawn_file_actions_adddup2(&fa, fd_out, STDOUT_FILENO)) != 0 ||
        (err = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1)) != 0)
        goto out;
    if ((err = posix_spawnattr_init(&attr)) != 0)
        goto out;
    attr_ok = true;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    if ((err = posix_spawnattr_setsigmask(&attr, &none)) != 0 ||
        (err = posix_spawnattr_setsigdefault(&attr, &defaults)) != 0 ||
        (err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) !=
            0)
        goto out;
    if ((err = posix_spawnp(&pid, name, &fa, &attr, (char *const *)argv, environ)) != 0)
        goto out;
    atomic_store(&sign_pe_active, (int)pid);
    *r_pid = pid;
    rc = 0;
out:
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (attr_ok)
        posix_spawnattr_destroy(&attr);
    if (rc < 0)
        errno = err;
    return rc;
}

static pid_t sign_pe_waitpid(assuan_context_t ctx, pid_t pid, int nowait, int *status, int options)
{
    pid_t r = 0;
    (void)ctx;
    if (nowait) /* the caller has reaped it already */
        return 0;
    while ((r = waitpid(pid, status, options)) < 0 && errno == EINTR) {
    }
    return r;
}

static struct assuan_system_hooks sign_pe_hooks = {
    .version = ASSUAN_SYSTEM_HOOKS_VERSION,
    .usleep = __assuan_usleep,
    .pipe = sign_pe_pipe,
    .close = __assuan_close,
    .read = sign_pe_read,
    .write = sign_pe_write,
    .recvmsg = __assuan_recvmsg,
    .sendmsg = __assuan_sendmsg,
    .spawn = sign_pe_spawn,
    .waitpid = sign_pe_waitpid,
    .socketpair = __assuan_socketpair,
    .socket = __assuan_socket,
    .connect = __assuan_connect,
};

static int sign_pe_ctx_new(assuan_context_t *ctx)
{
    *ctx = NULL;
    if (assuan_new_ext(ctx, SIGN_PE_ERRSRC, assuan_get_malloc_hooks(), NULL, NULL) != 0)
        return -1;
    assuan_ctx_set_system_hooks(*ctx, &sign_pe_hooks);
    assuan_set_flag(*ctx, ASSUAN_NO_FIXSIGNALS, 1);
    assuan_set_flag(*ctx, ASSUAN_NO_LOGGING, 1);
    return 0;
}

/* ---- the dialogue ------------------------------------------------------------------------ */

/* What a command's result means: 0 pinentry said OK, 1 it said ERR (its code in *code), -1
 * the conversation broke (end of file, timeout, a malformed or unexpected line). libassuan
 * reads a bare "ERR" as code 0, that is as OK; pinentry never sends one. */
static int sign_pe_outcome(gpg_error_t rc, gpg_error_t *code)
{
    if (rc == 0)
        return 0;
    if (gpg_err_source(rc) == SIGN_PE_ERRSRC)
        return -1;
    if (code)
        *code = rc;
    return 1;
}

/* Sends "CMD ARG" (ARG escaped; NULL for none) and reads the reply up to OK or ERR; status
 * and comment lines are passed over, data and inquiries break the conversation. */
static int sign_pe_cmd(assuan_context_t ctx, const char *cmd, const char *arg, gpg_error_t *code)
{
    /* A longer line would be cut by libassuan, perhaps inside an escape. */
    struct ubuf b = UBUF_INIT(SIGN_ASSUAN_LINE_MAX - 1);
    int rc = -1;
    if (ubuf_puts(&b, cmd) < 0 ||
        (arg && (ubuf_putc(&b, ' ') < 0 || sign_assuan_escape(arg, &b) < 0)))
        goto out;
    rc = sign_pe_outcome(assuan_transact(ctx, b.p, NULL, NULL, NULL, NULL, NULL, NULL), code);
out:
    ubuf_free(&b);
    return rc;
}

/* The PIN as it arrives in data lines (libassuan has decoded the escapes). */
struct sign_pe_pin {
    char *pin;
    size_t cap, len;
    bool refused; /* an encoded NUL, or longer than cap - 1: no card takes it */
};

static gpg_error_t sign_pe_data(void *arg, const void *data, size_t n)
{
    struct sign_pe_pin *p = arg;
    if (!data)
        return 0; /* END: pinentry sends none */
    if (memchr(data, '\0', n) || n >= p->cap - p->len) {
        p->refused = true;
        return gpg_err_make(SIGN_PE_ERRSRC, GPG_ERR_TOO_LARGE);
    }
    memcpy(p->pin + p->len, data, n);
    p->len += n;
    p->pin[p->len] = '\0';
    return 0;
}

/* GETPIN: the data lines are the PIN. Returns SIGN_OK with pin filled, or the error. */
static enum sign_err sign_pe_getpin(assuan_context_t ctx, char *pin, size_t cap)
{
    struct sign_pe_pin acc = {.pin = pin, .cap = cap};
    gpg_error_t code = 0, rc;
    enum sign_err e;
    pin[0] = '\0';
    assuan_begin_confidential(ctx);
    rc = assuan_transact(ctx, "GETPIN", sign_pe_data, &acc, NULL, NULL, NULL, NULL);
    assuan_end_confidential(ctx);
    switch (sign_pe_outcome(rc, &code)) {
    case 0:
        /* OK without data: an empty PIN, which no card takes; treat it as a change of mind
         * rather than spend one of the card's tries on it. */
        e = acc.len > 0 ? SIGN_OK : SIGN_E_CANCELLED;
        break;
    case 1:
        e = gpg_err_code(code) == GPG_ERR_CANCELED ? SIGN_E_CANCELLED : SIGN_E_PIN_UNAVAILABLE;
        break;
    default:
        e = acc.refused ? SIGN_E_PIN_INVALID : SIGN_E_PIN_UNAVAILABLE;
        break;
    }
    if (e != SIGN_OK)
        OPENSSL_cleanse(pin, cap);
    return e;
}

/* The room for a SETDESC argument: the line limit less "SETDESC ", the newline and a margin. */
#define SIGN_PE_DESC_BUDGET (SIGN_ASSUAN_LINE_MAX - 16)

/* The dialogue's text: lead, the card, the warning from its PIN flags, and the purpose, cut
 * (with "…") so the whole fits one Assuan line; what the card is never gives way to the
 * purpose. */
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
static void sign_pe_options(assuan_context_t ctx)
{
    char opt[600];
    gpg_error_t code;
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
            sign_pe_cmd(ctx, opt, NULL, &code);
        if (term && snprintf(opt, sizeof opt, "OPTION ttytype=%s", term) < (int)sizeof opt)
            sign_pe_cmd(ctx, opt, NULL, &code);
    }
    if (lc && snprintf(opt, sizeof opt, "OPTION lc-ctype=%s", lc) < (int)sizeof opt)
        sign_pe_cmd(ctx, opt, NULL, &code);
}

/* Everything after the greeting. SETDESC and SETPROMPT must be understood; the other texts
 * may be refused, but not with a broken conversation. */
static enum sign_err sign_pe_dialogue(assuan_context_t ctx, const struct sign_pin_request *req,
                                      char *pin, size_t cap)
{
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    struct ubuf lead = UBUF_INIT(256);
    gpg_error_t code = 0;
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    const char *const label[] = {req->token->label};
    if (core_text_put(&lead, sign_pe_text("pin_lead"), label, 1) < 0 ||
        sign_pe_desc(req, ubuf_str(&lead), &desc) < 0) {
        e = SIGN_E_NOMEM;
        goto out;
    }
    sign_pe_options(ctx);
    if (sign_pe_cmd(ctx, "SETTITLE", sign_pe_text("title"), &code) < 0 ||
        sign_pe_cmd(ctx, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(ctx, "SETPROMPT", sign_pe_text("pin_prompt"), &code) != 0 ||
        sign_pe_cmd(ctx, "SETOK", sign_pe_text("sign"), &code) < 0 ||
        sign_pe_cmd(ctx, "SETCANCEL", sign_pe_text("cancel"), &code) < 0)
        goto out;
    e = sign_pe_getpin(ctx, pin, cap);
out:
    ubuf_free(&desc);
    ubuf_free(&lead);
    return e;
}

/* Starts pinentry (prog, or $EIMZA_PINENTRY, or "pinentry") and reads its greeting, which
 * must be OK. Returns 0 with *ctx ready, or -1 (*ctx may still need sign_pe_end). */
static int sign_pe_start(const char *prog, assuan_context_t *ctx)
{
    if (!prog || !*prog)
        prog = getenv("EIMZA_PINENTRY");
    if (!prog || !*prog)
        prog = "pinentry";
    if (sign_pe_ctx_new(ctx) < 0)
        return -1;
    const char *argv[] = {prog, NULL};
    return assuan_pipe_connect(*ctx, prog, argv, NULL, NULL, NULL, 0) == 0 ? 0 : -1;
}

/* Ends the conversation: BYE when it went well, else the program is stopped by a signal (a
 * broken or abandoned dialogue must not stay open); waits for it. */
static void sign_pe_end(assuan_context_t ctx, bool ok)
{
    pid_t pid = ctx ? assuan_get_pid(ctx) : ASSUAN_INVALID_PID;
    atomic_store(&sign_pe_active, 0);
    if (!ok && pid > 0)
        kill(pid, SIGTERM);
    assuan_release(ctx); /* BYE, close, wait for the program; the line buffers are wiped */
}

enum sign_err sign_pin_from_pinentry(void *arg, const struct sign_pin_request *req, char *pin,
                                     size_t cap)
{
    assuan_context_t ctx = NULL;
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;

    pin[0] = '\0';
    if (sign_pe_start(arg, &ctx) == 0)
        e = sign_pe_dialogue(ctx, req, pin, cap);
    sign_pe_end(ctx, e == SIGN_OK);
    if (e != SIGN_OK)
        OPENSSL_cleanse(pin, cap);
    return e;
}

enum sign_err sign_confirm_from_pinentry(void *arg, const struct sign_pin_request *req)
{
    assuan_context_t ctx = NULL;
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    gpg_error_t code = 0;
    int r;
    const char *lead = sign_pe_text(req->token->protected_path ? "confirm_pin_pad" : "confirm");
    if (sign_pe_desc(req, lead, &desc) < 0) {
        e = SIGN_E_NOMEM;
        goto out;
    }
    if (sign_pe_start(arg, &ctx) < 0)
        goto out;
    sign_pe_options(ctx);
    if (sign_pe_cmd(ctx, "SETTITLE", sign_pe_text("title"), &code) < 0 ||
        sign_pe_cmd(ctx, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(ctx, "SETOK", sign_pe_text("sign"), &code) < 0 ||
        sign_pe_cmd(ctx, "SETCANCEL", sign_pe_text("cancel"), &code) < 0)
        goto out;
    r = sign_pe_cmd(ctx, "CONFIRM", NULL, &code);
    if (r == 0)
        e = SIGN_OK;
    else if (r == 1 && gpg_err_code(code) == GPG_ERR_CANCELED)
        e = SIGN_E_CANCELLED;
out:
    sign_pe_end(ctx, e == SIGN_OK);
    ubuf_free(&desc);
    return e;
}

int sign_message_from_pinentry(void *arg, const char *text)
{
    assuan_context_t ctx = NULL;
    struct ubuf desc = UBUF_INIT(SIGN_ASSUAN_LINE_MAX);
    gpg_error_t code = 0;
    int rc = -1;
    if (sign_assuan_fit(text, SIGN_PE_DESC_BUDGET, &desc) < 0 || sign_pe_start(arg, &ctx) < 0)
        goto out;
    sign_pe_options(ctx);
    /* MESSAGE shows the text with one button; an old pinentry without it is asked to CONFIRM
     * with its cancel button hidden (--one-button), as gpg-agent does. */
    if (sign_pe_cmd(ctx, "SETTITLE", sign_pe_text("title"), &code) < 0 ||
        sign_pe_cmd(ctx, "SETDESC", desc.p, &code) != 0 ||
        sign_pe_cmd(ctx, "SETOK", sign_pe_text("ok"), &code) < 0)
        goto out;
    if (sign_pe_cmd(ctx, "MESSAGE", NULL, &code) == 0 ||
        sign_pe_cmd(ctx, "CONFIRM --one-button", NULL, &code) == 0)
        rc = 0;
out:
    sign_pe_end(ctx, rc == 0);
    ubuf_free(&desc);
    return rc;
}

enum sign_err sign_pinentry_over_fd(int fd, const struct sign_pin_request *req, char *pin,
                                    size_t cap)
{
    assuan_context_t ctx = NULL;
    enum sign_err e = SIGN_E_PIN_UNAVAILABLE;
    pin[0] = '\0';
    if (sign_pe_ctx_new(&ctx) < 0) {
        close(fd);
        e = SIGN_E_NOMEM;
        goto out;
    }
    /* On success the context owns fd; on failure libassuan has closed it already. */
    if (assuan_socket_connect_fd(ctx, fd, 0) != 0)
        goto out;
    e = sign_pe_dialogue(ctx, req, pin, cap);
out:
    assuan_release(ctx);
    if (e != SIGN_OK)
        OPENSSL_cleanse(pin, cap);
    return e;
}
