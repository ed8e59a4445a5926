/* Unit tests for the signing agent's settings file (sign/conf.h): the lines, the merge of
 * several files (origins add up, other values are replaced), errors with file:line, and the
 * refusal of a file others may write. */
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

#include "sign/conf.h"
#include "util/fault.h"

/* The refusal in f as "SUBJECT: CODE: DETAIL" into err. */
static void render(const struct ufault *f, char *err, size_t errlen)
{
    /* cut to fit, as a test's buffer may be shorter than a subject and a detail can be */
    int n =
        snprintf(err, errlen, "%s: %s: %s", f->subject, f->code ? f->code : "(none)", f->detail);
    assert_true(n >= 0);
}

static int parse(struct sign_conf *c, const char *text, char *err, size_t errlen)
{
    struct ufault f = {0};
    int rc = sign_conf_parse(c, text, strlen(text), "agent.conf", &f);
    render(&f, err, errlen);
    return rc;
}

static int read_file(struct sign_conf *c, const char *path, bool must_exist, bool *found, char *err,
                     size_t errlen)
{
    struct ufault f = {0};
    int rc = sign_conf_read_file(c, path, must_exist, found, &f);
    render(&f, err, errlen);
    return rc;
}

static void test_parse(void **state)
{
    struct sign_conf c;
    char err[400] = "";
    (void)state;
    sign_conf_init(&c);
    assert_int_equal(parse(&c,
                           "# eimza agent\n"
                           "\n"
                           "module = /usr/lib/libakisp11.so\n"
                           "  origin=HTTPS://Eimza.MEB.gov.tr/  \r\n"
                           "origin = https://eimza-test.meb.gov.tr:8443\n"
                           "\torigin = https://eimza.meb.gov.tr:443\n" /* the same origin again */
                           "listen = 127.0.0.1:9000\n"
                           "ca_file = /etc/eimza/ca.pem\n"
                           "pinentry = /usr/bin/pinentry-gnome3",
                           err, sizeof err),
                     0);
    assert_string_equal(c.module, "/usr/lib/libakisp11.so");
    assert_int_equal(c.norigins, 2);
    assert_string_equal(c.origins[0], "https://eimza.meb.gov.tr");
    assert_string_equal(c.origins[1], "https://eimza-test.meb.gov.tr:8443");
    assert_string_equal(c.listen, "127.0.0.1:9000");
    assert_string_equal(c.ca_file, "/etc/eimza/ca.pem");
    assert_string_equal(c.pinentry, "/usr/bin/pinentry-gnome3");
    /* a second file: origins add up, the rest is replaced */
    assert_int_equal(
        parse(&c, "origin = http://127.0.0.1:8080\nmodule = /opt/akis/lib.so\n", err, sizeof err),
        0);
    assert_int_equal(c.norigins, 3);
    assert_string_equal(c.origins[2], "http://127.0.0.1:8080");
    assert_string_equal(c.module, "/opt/akis/lib.so");
    assert_string_equal(c.listen, "127.0.0.1:9000");
}

static void test_errors(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"module = /a\nfoo = bar\n", "agent.conf:2: setting_unknown: unknown setting 'foo'"},
        {"origin\n", "agent.conf:1: settings_line_bad: expected 'key = value'"},
        {"origin =\n", "agent.conf:1: setting_bad_value: 'origin' has no value"},
        {"origin = https://p.example/path\n", "agent.conf:1: origin_bad: "
                                              "'https://p.example/path' is not an origin"},
        {"listen = 0.0.0.0:8089\n",
         "agent.conf:1: listen_not_loopback: listen: '0.0.0.0:8089' is not a loopback"},
        {"module = libakisp11.so\n",
         "agent.conf:1: setting_bad_value: module: 'libakisp11.so' is not an absolute"},
        {"ca_file = ca.pem\n",
         "agent.conf:1: setting_bad_value: ca_file: 'ca.pem' is not an absolute path"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sign_conf c;
        char err[400] = "";
        sign_conf_init(&c);
        assert_int_equal(parse(&c, cases[i].text, err, sizeof err), -1);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("'%s': got '%s', wanted '%s…'", cases[i].text, err, cases[i].want);
    }
    /* a NUL byte, a line too long, a value too long, too many origins */
    struct sign_conf c;
    char err[400];
    sign_conf_init(&c);
    struct ufault f = {0};
    assert_int_equal(sign_conf_parse(&c, "module = /a\0b\n", 14, "x", &f), -1);
    render(&f, err, sizeof err);
    assert_string_equal(err, "x:1: settings_line_bad: a NUL byte");
    char line[1200];
    memset(line, 'a', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    assert_int_equal(parse(&c, line, err, sizeof err), -1);
    assert_non_null(strstr(err, "line longer than"));
    char longv[700];
    snprintf(longv, sizeof longv, "module = /%0600d\n", 0);
    assert_int_equal(parse(&c, longv, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer than"));
    for (int i = 0; i < SIGN_CONF_MAX_ORIGINS; i++) {
        char o[64];
        snprintf(o, sizeof o, "origin = https://p%d.example\n", i);
        assert_int_equal(parse(&c, o, err, sizeof err), 0);
    }
    assert_int_equal(parse(&c, "origin = https://one-more.example\n", err, sizeof err), -1);
    assert_non_null(strstr(err, "too_many_origins: at most 16 origins"));
}

static void test_file(void **state)
{
    char dir[] = "/tmp/eimza-conf-XXXXXX", path[256], err[600];
    struct sign_conf c;
    bool found = true;
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/agent.conf", dir);
    sign_conf_init(&c);
    /* missing: fine, unless it must exist */
    assert_int_equal(read_file(&c, path, false, &found, err, sizeof err), 0);
    assert_false(found);
    assert_int_equal(read_file(&c, path, true, &found, err, sizeof err), -1);
    assert_non_null(strstr(err, "agent.conf: settings_file_missing: "));
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("origin = https://portal.example\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(read_file(&c, path, true, &found, err, sizeof err), 0);
    assert_true(found);
    assert_int_equal(c.norigins, 1);
    /* writable by the group or by anyone: refused, whatever it says */
    assert_int_equal(chmod(path, 0664), 0);
    assert_int_equal(read_file(&c, path, false, &found, err, sizeof err), -1);
    assert_non_null(strstr(err, "agent.conf: settings_file_unsafe: writable by others"));
    assert_int_equal(chmod(path, 0606), 0);
    assert_int_equal(read_file(&c, path, false, &found, err, sizeof err), -1);
    /* a directory is not a settings file */
    assert_int_equal(read_file(&c, dir, false, &found, err, sizeof err), -1);
    assert_non_null(strstr(err, "settings_file_unreadable: not a regular file"));
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
