/* Unit tests for the pinentry dialogues other than the PIN (sign.h): the confirmation shown
 * when no PIN is typed here (a PIN pad) and the message that stays until it is read, spoken
 * in Assuan to a stand-in pinentry (a shell script) that logs what it was told. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sign/sign.h"

static char dir[] = "/tmp/eimza-dialogue-XXXXXX";
static char script[300], logpath[300];

/* MODE: "ok" answers everything with OK; "cancel" answers CONFIRM with a cancel; "old" does
 * not know MESSAGE (an old pinentry), so the message falls back to CONFIRM --one-button. */
static const char fake[] =
    "#!/bin/sh\n"
    "echo 'OK hello'\n"
    "while IFS= read -r line; do\n"
    "  printf '%s\\n' \"$line\" >>\"$FAKE_LOG\"\n"
    "  case \"$line\" in\n"
    "    CONFIRM*) if [ \"$FAKE_MODE\" = cancel ]; then echo 'ERR 83886179 cancelled';"
    " else echo OK; fi ;;\n"
    "    MESSAGE) if [ \"$FAKE_MODE\" = old ]; then echo 'ERR 536871187 Unknown command';"
    " else echo OK; fi ;;\n"
    "    BYE) echo OK; exit 0 ;;\n"
    "    *) echo OK ;;\n"
    "  esac\n"
    "done\n";

static int setup(void **state)
{
    FILE *f;
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(script, sizeof script, "%s/pinentry", dir);
    snprintf(logpath, sizeof logpath, "%s/log", dir);
    f = fopen(script, "w");
    if (!f)
        return -1;
    fputs(fake, f);
    fclose(f);
    chmod(script, 0700);
    setenv("FAKE_LOG", logpath, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(script);
    unlink(logpath);
    rmdir(dir);
    return 0;
}

static char *read_log(void)
{
    static char buf[8192];
    FILE *f = fopen(logpath, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    unlink(logpath);
    return buf;
}

static const struct sign_token_info token = {
    .label = "akis",
    .manufacturer = "TUBITAK UEKAE",
    .model = "AKIS v2.5.2",
    .serial = "1234",
    .protected_path = true,
    .cert_subject_cn = "Ayşegül Işık",
};

static void test_confirm(void **state)
{
    struct sign_pin_request req = {&token, NULL, "İmzalatmak isteyen: https://p.example\nAD: X"};
    (void)state;
    setenv("FAKE_MODE", "ok", 1);
    assert_int_equal(sign_confirm_from_pinentry(script, &req), SIGN_OK);
    char *log = read_log();
    assert_non_null(strstr(log, "SETDESC İmzalamak istiyor musunuz? Onaylarsanız PIN'i kart "
                                "okuyucunuzun tuşlarıyla girin.%0AKart tipi: AKIS v2.5.2"));
    assert_non_null(strstr(log, "İmzalatmak isteyen: https://p.example%0AAD: X\n"));
    assert_non_null(strstr(log, "SETOK İmzala\n"));
    assert_non_null(strstr(log, "\nCONFIRM\n"));
    assert_null(strstr(log, "GETPIN"));
    setenv("FAKE_MODE", "cancel", 1);
    assert_int_equal(sign_confirm_from_pinentry(script, &req), SIGN_E_CANCELLED);
    read_log();
    /* no pinentry at all: nobody could be asked */
    assert_int_equal(sign_confirm_from_pinentry("/nonexistent/pinentry", &req),
                     SIGN_E_PIN_UNAVAILABLE);
}

static void test_message(void **state)
{
    char longtext[3000];
    (void)state;
    setenv("FAKE_MODE", "ok", 1);
    assert_int_equal(sign_message_from_pinentry(script, "Bilet kullanıldı.\n\nTicket used."), 0);
    char *log = read_log();
    assert_non_null(strstr(log, "SETDESC Bilet kullanıldı.%0A%0ATicket used.\n"));
    assert_non_null(strstr(log, "\nMESSAGE\n"));
    /* an old pinentry without MESSAGE: CONFIRM with one button */
    setenv("FAKE_MODE", "old", 1);
    assert_int_equal(sign_message_from_pinentry(script, "Eski."), 0);
    log = read_log();
    assert_non_null(strstr(log, "\nMESSAGE\nCONFIRM --one-button\n"));
    /* a text longer than a dialogue takes is cut with "…", never refused */
    memset(longtext, 'a', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    setenv("FAKE_MODE", "ok", 1);
    assert_int_equal(sign_message_from_pinentry(script, longtext), 0);
    log = read_log();
    char *desc = strstr(log, "SETDESC ");
    assert_non_null(desc);
    char *end = strchr(desc, '\n');
    assert_true(end - desc < 1000);
    assert_memory_equal(end - 3, "…", 3);
    assert_int_equal(sign_message_from_pinentry("/nonexistent/pinentry", "x"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confirm),
        cmocka_unit_test(test_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
