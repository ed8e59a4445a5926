/* Unit tests for the pinentry client of sign/ (pinentry.c on libassuan): escaping command
 * arguments, the PIN read from data lines (escapes, split lines, status and comment lines),
 * cancel and the other errors, a broken or hostile conversation, the PIN never logged nor
 * sent back, and the spawned program's start (no program, no greeting, an ordinary signal
 * mask, no inherited descriptors).
 *
 * Most cases run the real dialogue over a socket pair with a thread playing pinentry
 * (sign_pinentry_over_fd); the spawn cases start /bin/sh scripts through
 * sign_pin_from_pinentry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <assuan.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sign/sign_int.h"

static void test_escape(void **state)
{
    struct ubuf b = UBUF_INIT(200);
    (void)state;
    assert_int_equal(sign_assuan_escape("100% «kart»\nSon deneme\r\x01", &b), 0);
    assert_string_equal(ubuf_str(&b), "100%25 «kart»%0ASon deneme%0D%01");
    ubuf_reset(&b);
    assert_int_equal(sign_assuan_escape("", &b), 0);
    assert_string_equal(ubuf_str(&b), "");
    ubuf_free(&b);
}

static void test_escape_cap(void **state)
{
    struct ubuf b = UBUF_INIT(5);
    (void)state;
    /* "\n\n" needs 6 bytes escaped: past the cap */
    assert_int_equal(sign_assuan_escape("\n\n", &b), -1);
    ubuf_free(&b);
}

/* ---- a pinentry played by a thread -------------------------------------------------------- */

struct fake {
    int fd;
    const char *greeting; /* default "OK Pleased to meet you\n" */
    const char *setdesc;  /* the answer to SETDESC, default "OK\n" */
    const char *getpin;   /* the answer to GETPIN (whole lines) */
    bool close_after_getpin;
    char got[8192]; /* every line the client sent, each with its newline */
    size_t ngot;
};

static void fake_send(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return; /* the client hung up: nothing more to say */
        s += w;
        n -= (size_t)w;
    }
}

static void *fake_run(void *arg)
{
    struct fake *f = arg;
    char line[2048];
    size_t n = 0;
    if (f->greeting && !*f->greeting) { /* "": hang up before greeting */
        close(f->fd);
        return NULL;
    }
    fake_send(f->fd, f->greeting ? f->greeting : "OK Pleased to meet you\n");
    for (;;) {
        char c;
        if (read(f->fd, &c, 1) != 1)
            break;
        if (c != '\n') {
            if (n + 1 < sizeof line)
                line[n++] = c;
            continue;
        }
        line[n] = '\0';
        if (f->ngot + n + 2 < sizeof f->got) {
            memcpy(f->got + f->ngot, line, n);
            f->got[f->ngot + n] = '\n';
            f->ngot += n + 1;
            f->got[f->ngot] = '\0';
        }
        n = 0;
        if (!strcmp(line, "BYE")) {
            fake_send(f->fd, "OK closing connection\n");
            break;
        }
        if (!strcmp(line, "GETPIN")) {
            fake_send(f->fd, f->getpin);
            if (f->close_after_getpin)
                break;
        } else if (!strncmp(line, "SETDESC ", 8) && f->setdesc) {
            fake_send(f->fd, f->setdesc);
        } else {
            fake_send(f->fd, "OK\n");
        }
    }
    close(f->fd);
    return NULL;
}

static struct sign_token_info test_token = {
    .label = "test-card", .model = "SoftHSM v2", .manufacturer = "SoftHSM", .serial = "1234"};

/* Runs the dialogue against f; returns its result with pin[cap] as the client left it. */
static enum sign_err talk(struct fake *f, char *pin, size_t cap)
{
    int sv[2];
    pthread_t th;
    struct sign_pin_request req = {.token = &test_token,
                                   .warning = "PIN'i bir kez yanlış girdiniz; dikkat",
                                   .purpose = "İmzalanacak: 100% test"};
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    f->fd = sv[1];
    f->ngot = 0;
    f->got[0] = '\0';
    assert_int_equal(pthread_create(&th, NULL, fake_run, f), 0);
    enum sign_err e = sign_pinentry_over_fd(sv[0], &req, pin, cap);
    pthread_join(th, NULL);
    return e;
}

static void test_pin(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    struct fake f = {.getpin = "D 12%2534\nOK\n"};
    (void)state;
    assert_int_equal(talk(&f, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "12%34"); /* the escape decoded */
    /* The texts went out escaped: the newlines of the description as %0A, '%' as %25. */
    assert_non_null(strstr(f.got, "SETDESC «test-card» kartının PIN'ini girin.%0AKart tipi: "
                                  "SoftHSM v2 (SoftHSM), seri no 1234."));
    assert_non_null(strstr(f.got, "%0A%0AUYARI: PIN'i bir kez yanlış girdiniz; dikkat."));
    assert_non_null(strstr(f.got, "İmzalanacak: 100%25 test\n"));
    assert_non_null(strstr(f.got, "SETPROMPT PIN:\n"));
    assert_non_null(strstr(f.got, "GETPIN\nBYE\n")); /* and the conversation ends politely */
    assert_null(strstr(f.got, "12%34"));             /* the PIN never goes back */
}

static void test_pin_split_and_status(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    (void)state;
    /* pinentry may split the data over several D lines; status and comment lines between
     * them are passed over. */
    struct fake f = {.getpin = "S PASSWORD_FROM_CACHE\nD 12\n# a comment\nD 34%0a9\nOK\n"};
    assert_int_equal(talk(&f, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "1234\n9");
    /* A CR LF line end is taken as LF. */
    struct fake g = {.getpin = "D 4321\r\nOK\r\n"};
    assert_int_equal(talk(&g, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "4321");
}

static void test_cancel(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    (void)state;
    static const struct {
        const char *getpin;
        enum sign_err want;
    } cases[] = {
        {"ERR 83886179 Operation cancelled <Pinentry>\n", SIGN_E_CANCELLED}, /* source 5 */
        {"ERR 99\n", SIGN_E_CANCELLED},                        /* GPG_ERR_CANCELED, no source */
        {"OK\n", SIGN_E_CANCELLED},                            /* an empty PIN: a change of mind */
        {"ERR 83886178 x\n", SIGN_E_PIN_UNAVAILABLE},          /* another code */
        {"ERR 83918950\n", SIGN_E_PIN_UNAVAILABLE},            /* GPG_ERR_ASS_UNKNOWN_CMD (275) */
        {"D 123\nERR 83886179 cancelled\n", SIGN_E_CANCELLED}, /* data, then a cancel */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fake f = {.getpin = cases[i].getpin};
        memset(pin, 'x', sizeof pin);
        assert_int_equal(talk(&f, pin, sizeof pin), cases[i].want);
        assert_int_equal(pin[0], '\0'); /* wiped */
    }
}

static void test_broken(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    char longline[1200];
    (void)state;
    memset(longline, '1', sizeof longline);
    memcpy(longline, "D ", 2);
    memcpy(longline + sizeof longline - 5, "\nOK\n", 5);
    static const struct {
        const char *greeting, *setdesc, *getpin;
        bool close_after_getpin;
    } cases[] = {
        {"ERR 1 not today\n", NULL, "D 1\nOK\n", false},         /* no OK greeting */
        {"Hello\n", NULL, "D 1\nOK\n", false},                   /* not Assuan at all */
        {"", NULL, "D 1\nOK\n", false},                          /* EOF before the greeting */
        {NULL, "ERR 275 unknown command\n", "D 1\nOK\n", false}, /* SETDESC refused */
        {NULL, "D unasked data\nOK\n", "D 1\nOK\n", false},      /* data nobody asked for */
        {NULL, NULL, "INQUIRE QUALITY\n", false},                /* pinentry never inquires */
        {NULL, NULL, "OKAY\n", false},                           /* a malformed line */
        {NULL, NULL, "D 123\n", true}, /* EOF in the middle of the answer */
        {NULL, NULL, NULL, false},     /* a line longer than 1000 bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fake f = {.greeting = cases[i].greeting,
                         .setdesc = cases[i].setdesc,
                         .getpin = cases[i].getpin ? cases[i].getpin : longline,
                         .close_after_getpin = cases[i].close_after_getpin};
        memset(pin, 'x', sizeof pin);
        assert_int_equal(talk(&f, pin, sizeof pin), SIGN_E_PIN_UNAVAILABLE);
        assert_int_equal(pin[0], '\0');
    }
}

static void test_pin_refused(void **state)
{
    char pin[8];
    (void)state;
    /* An encoded NUL would cut the PIN short: refused, not shortened. */
    struct fake f = {.getpin = "D 12%0034\nOK\n"};
    assert_int_equal(talk(&f, pin, sizeof pin), SIGN_E_PIN_INVALID);
    assert_int_equal(pin[0], '\0');
    /* 8 bytes do not fit 8 with the NUL; 7 do, also over two lines. */
    struct fake g = {.getpin = "D 12345678\nOK\n"};
    assert_int_equal(talk(&g, pin, sizeof pin), SIGN_E_PIN_INVALID);
    assert_int_equal(pin[0], '\0');
    struct fake h = {.getpin = "D 1234\nD 567\nOK\n"};
    assert_int_equal(talk(&h, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "1234567");
    struct fake k = {.getpin = "D 1234\nD 5678\nOK\n"};
    assert_int_equal(talk(&k, pin, sizeof pin), SIGN_E_PIN_INVALID);
}

/* libassuan logs a context's lines to the global log stream when ASSUAN_DEBUG asks for it (as
 * set here). A context made the default way writes the PIN there; ours writes nothing. */
static void test_pin_never_logged(void **state)
{
    char pin[SIGN_PIN_MAX + 1], logged[8192];
    FILE *log = tmpfile();
    (void)state;
    assert_non_null(log);
    setenv("ASSUAN_DEBUG", "-1", 1);
    setenv("ASSUAN_FULL_LOGGING", "1", 1);
    assuan_set_assuan_log_stream(log);

    struct fake f = {.getpin = "D s3cr3t-PIN\nOK\n"};
    assert_int_equal(talk(&f, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "s3cr3t-PIN");
    fflush(log);
    assert_int_equal(ftell(log), 0); /* not a line of the dialogue */

    /* The control: a default libassuan context in the same process logs the data line. */
    int sv[2];
    pthread_t th;
    assuan_context_t ctx = NULL;
    struct fake g = {.getpin = "D s3cr3t-PIN\nOK\n"};
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    g.fd = sv[1];
    assert_int_equal(pthread_create(&th, NULL, fake_run, &g), 0);
    assert_int_equal(assuan_new(&ctx), 0);
    assert_int_equal(assuan_socket_connect_fd(ctx, sv[0], 0), 0);
    assuan_transact(ctx, "GETPIN", NULL, NULL, NULL, NULL, NULL, NULL);
    assuan_release(ctx);
    pthread_join(th, NULL);
    fflush(log);
    rewind(log);
    size_t n = fread(logged, 1, sizeof logged - 1, log);
    logged[n] = '\0';
    assert_non_null(strstr(logged, "s3cr3t-PIN"));
    assuan_set_assuan_log_stream(NULL);
    unsetenv("ASSUAN_DEBUG");
    unsetenv("ASSUAN_FULL_LOGGING");
    fclose(log);
}

/* ---- the spawned program ----------------------------------------------------------------- */

/* Writes a /bin/sh pinentry that answers GETPIN with "D <what>" where what is the output of
 * the shell command `probe`. Returns the path (static buffer). */
static const char *script(const char *probe)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/eimza-test-pinentry.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fprintf(fp,
            "#!/bin/sh\n"
            "echo 'OK Pleased to meet you'\n"
            "while IFS= read -r line; do\n"
            "  case \"$line\" in\n"
            "    GETPIN) printf 'D %%s\\nOK\\n' \"$(%s)\" ;;\n"
            "    BYE) echo 'OK closing connection'; exit 0 ;;\n"
            "    *) echo OK ;;\n"
            "  esac\n"
            "done\n",
            probe);
    fclose(fp);
    assert_int_equal(chmod(path, 0700), 0);
    return path;
}

static void test_spawn(void **state)
{
    char pin[SIGN_PIN_MAX + 1];
    struct sign_pin_request req = {.token = &test_token};
    sigset_t block, old;
    (void)state;

    /* No such program; a program that ends without a greeting. */
    assert_int_equal(sign_pin_from_pinentry((void *)"/nonexistent/pinentry", &req, pin, sizeof pin),
                     SIGN_E_PIN_UNAVAILABLE);
    assert_int_equal(sign_pin_from_pinentry((void *)"/bin/true", &req, pin, sizeof pin),
                     SIGN_E_PIN_UNAVAILABLE);

    /* A working one: its PIN is the mask of blocked signals it started with, which must be
     * empty although this thread blocks SIGTERM (as the agent's threads do), so that
     * sign_pin_abort() can stop it. */
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    const char *p = script("sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$$/status");
    assert_int_equal(sign_pin_from_pinentry((void *)p, &req, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "0000000000000000");
    unlink(p);

    /* A descriptor this process holds without close-on-exec does not reach pinentry. */
    /* (a high number: the shell's own pipes take the low ones) */
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(devnull >= 0);
    int leak = dup2(devnull, 211); /* dup2 leaves close-on-exec off */
    assert_int_equal(leak, 211);
    close(devnull);
    char probe[128];
    snprintf(probe, sizeof probe, "[ -e /proc/$$/fd/%d ] && echo inherited || echo closed", leak);
    p = script(probe);
    assert_int_equal(sign_pin_from_pinentry((void *)p, &req, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "closed");
    close(leak);
    /* $EIMZA_PINENTRY names the program when the caller gives none. */
    setenv("EIMZA_PINENTRY", p, 1);
    assert_int_equal(sign_pin_from_pinentry(NULL, &req, pin, sizeof pin), SIGN_OK);
    assert_string_equal(pin, "closed");
    unsetenv("EIMZA_PINENTRY");
    unlink(p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
    /* The fake pinentry writes to a client that may have hung up already. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),      cmocka_unit_test(test_escape_cap),
        cmocka_unit_test(test_pin),         cmocka_unit_test(test_pin_split_and_status),
        cmocka_unit_test(test_cancel),      cmocka_unit_test(test_broken),
        cmocka_unit_test(test_pin_refused), cmocka_unit_test(test_pin_never_logged),
        cmocka_unit_test(test_spawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
