/* Unit tests for web/http/config.c: defaults, typed values and bounds, the file reader with its
 * FILE:LINE errors, listen-address splitting and the loopback test used by --dev. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "app/portal.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/http/config.h"

static char tmpdir[] = "/tmp/eimza-web-config.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to a new file under tmpdir and returns its path (static storage). */
static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    struct web_config c;
    assert_int_equal(web_config_defaults(&c), 0);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.db, "sqlite:var/eimza.db");
    assert_string_equal(c.trust_dir, "");
    assert_false(c.dev);
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.max_body_bytes, 1 << 20);
    assert_int_equal(c.connection_memory, 16 << 10);
    assert_int_equal(c.connection_timeout, 30);
    assert_int_equal(c.shutdown_timeout, 10);
    assert_true(c.access_log);
    assert_int_equal(c.log_level, ULOG_INFO);
}

static void test_set_values(void **state)
{
    (void)state;
    struct web_config c;
    struct ufault f;
    web_config_defaults(&c);
    assert_int_equal(web_config_set(&c, "threads", "8", &f), 0);
    assert_int_equal(c.threads, 8);
    assert_int_equal(web_config_set(&c, "max_body_bytes", "2M", &f), 0);
    assert_int_equal(c.max_body_bytes, 2 << 20);
    assert_int_equal(web_config_set(&c, "max_body_bytes", "4096", &f), 0);
    assert_int_equal(c.max_body_bytes, 4096);
    assert_int_equal(web_config_set(&c, "dev", "yes", &f), 0);
    assert_true(c.dev);
    assert_int_equal(web_config_set(&c, "dev", "OFF", &f), 0);
    assert_false(c.dev);
    assert_int_equal(web_config_set(&c, "listen", "[::1]:0", &f), 0);
    assert_string_equal(c.listen, "[::1]:0");
    assert_int_equal(web_config_set(&c, "log_level", "warn", &f), 0);
    assert_int_equal(c.log_level, ULOG_WARN);
    assert_int_equal(web_config_set(&c, "db", "postgresql://x/y", &f), 0);
    assert_int_equal(web_config_set(&c, "agent_url", "http://localhost:9000", &f), 0);
    assert_string_equal(c.agent_url, "http://localhost:9000");
    assert_int_equal(web_config_set(&c, "agent_url", "http://[::1]:8089", &f), 0);
    assert_string_equal(c.db, "postgresql://x/y");
}

static void reject(const char *key, const char *value, const char *why)
{
    struct web_config c, before;
    struct ufault f = {0};
    char err[800];
    web_config_defaults(&c);
    before = c;
    assert_int_equal(web_config_set(&c, key, value, &f), -1);
    snprintf(err, sizeof err, "%s: %s", f.code, f.detail);
    if (!strstr(err, why))
        fail_msg("'%s = %s': error '%s' lacks '%s'", key, value, err, why);
    assert_memory_equal(&c, &before, sizeof c); /* unchanged */
}

static void test_set_rejects(void **state)
{
    (void)state;
    reject("thread", "4", "setting_unknown: unknown setting 'thread'");
    reject("threads", "-1",
           "setting_out_of_range: bad value for 'threads': '-1' is not a whole "
           "number from 0 to 256");
    reject("threads", "many", "setting_bad_value: bad value for 'threads'");
    /* a secret's value never appears in the refusal, only what is wrong with it */
    struct web_config c;
    struct ufault f = {0};
    char pw[400];
    memset(pw, 'S', sizeof pw - 1);
    pw[sizeof pw - 1] = '\0';
    web_config_defaults(&c);
    assert_int_equal(web_config_set(&c, "smtp_password", pw, &f), -1);
    assert_string_equal(f.code, "setting_bad_value");
    assert_null(strstr(f.detail, "SSSS"));
    reject("threads", "257", "from 0 to 256");
    reject("threads", "4x", "whole number");
    reject("threads", "", "whole number");
    reject("threads", "1k", "whole number"); /* suffixes are for sizes only */
    reject("max_body_bytes", "100", "from 1024");
    reject("max_body_bytes", "65m", "from 1024");
    reject("max_body_bytes", "-5", "a size");
    reject("max_body_bytes", "1t", "a size");
    reject("max_body_bytes", "99999999999999999999", "a size");
    reject("dev", "maybe", "not true or false");
    reject("log_level", "verbose", "debug, info, warn or error");
    reject("listen", "8080", "HOST:PORT");
    reject("listen", ":8080", "host is empty");
    reject("listen", "localhost:65536", "0 to 65535");
    reject("listen", "localhost:http", "0 to 65535");
    reject("listen", "::1:8080", "brackets");
    reject("listen", "[::1]8080", "HOST:PORT");
    /* the agent's origin goes into the Content-Security-Policy: loopback origins only */
    reject("agent_url", "http://example.org:8089", "loopback origin");
    reject("agent_url", "http://127.0.0.1:8089/sign", "loopback origin");
    reject("agent_url", "http://127.0.0.1:8089; script-src *", "loopback origin");
    reject("agent_url", "http://127.0.0.1:0", "loopback origin");
    reject("agent_url", "http://127.0.0.1:70000", "loopback origin");
    reject("agent_url", "http://127.0.0.1:", "loopback origin");
    reject("remote_renewal_limit", "-1", "from 0 to 100");
    char longval[2000];
    memset(longval, 'a', sizeof longval - 1);
    longval[sizeof longval - 1] = '\0';
    reject("db", longval, "longer than");
}

static void test_listen_split(void **state)
{
    (void)state;
    char host[64], err[256];
    unsigned port = 1;
    assert_int_equal(web_listen_split("127.0.0.1:8080", host, sizeof host, &port, err, sizeof err),
                     0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(web_listen_split("[::1]:0", host, sizeof host, &port, err, sizeof err), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    assert_int_equal(web_listen_split("localhost:443", host, sizeof host, &port, err, sizeof err),
                     0);
    assert_string_equal(host, "localhost");
    assert_int_equal(web_listen_split("[]:80", host, sizeof host, &port, err, sizeof err), -1);
    assert_int_equal(web_listen_split("h:", host, sizeof host, &port, err, sizeof err), -1);
    assert_int_equal(web_listen_split("h:-1", host, sizeof host, &port, err, sizeof err), -1);
}

static void test_loopback(void **state)
{
    (void)state;
    struct sockaddr_in in4 = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    const char *yes4[] = {"127.0.0.1", "127.255.0.9"},
               *no4[] = {"0.0.0.0", "10.0.0.1", "128.0.0.1", "192.168.1.1"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(inet_pton(AF_INET, yes4[i], &in4.sin_addr), 1);
        assert_true(web_addr_is_loopback((struct sockaddr *)&in4));
    }
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(inet_pton(AF_INET, no4[i], &in4.sin_addr), 1);
        assert_false(web_addr_is_loopback((struct sockaddr *)&in4));
    }
    assert_int_equal(inet_pton(AF_INET6, "::1", &in6.sin6_addr), 1);
    assert_true(web_addr_is_loopback((struct sockaddr *)&in6));
    assert_int_equal(inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr), 1);
    assert_true(web_addr_is_loopback((struct sockaddr *)&in6));
    assert_int_equal(inet_pton(AF_INET6, "::", &in6.sin6_addr), 1);
    assert_false(web_addr_is_loopback((struct sockaddr *)&in6));
    assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.1", &in6.sin6_addr), 1);
    assert_false(web_addr_is_loopback((struct sockaddr *)&in6));
}

static void test_file_good(void **state)
{
    (void)state;
    struct web_config c;
    struct ufault f = {0};
    const char *path = write_file("good.conf", "\xEF\xBB\xBF# eimza serve\n"
                                               "\n"
                                               "listen = 127.0.0.1:9000\n"
                                               "  db=sqlite:/tmp/x.db  \r\n"
                                               "\t# indented comment\n"
                                               "threads = 3\n"
                                               "max_body_bytes = 64k\n"
                                               "access_log = off\n"
                                               "trust_dir =\n"
                                               "dev = true"); /* no final newline */
    web_config_defaults(&c);
    assert_int_equal(web_config_load_file(&c, path, &f), 0);
    assert_string_equal(c.listen, "127.0.0.1:9000");
    assert_string_equal(c.db, "sqlite:/tmp/x.db");
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.max_body_bytes, 64 << 10);
    assert_false(c.access_log);
    assert_true(c.dev);
    assert_string_equal(c.trust_dir, "");
    assert_int_equal(c.shutdown_timeout, 10); /* untouched keeps its default */
}

static void file_rejects(const char *text, const char *want)
{
    struct web_config c, before;
    struct ufault f = {0};
    char err[2000], expect[512];
    const char *path = write_file("bad.conf", text);
    snprintf(expect, sizeof expect, "%s:%s", path, want);
    web_config_defaults(&c);
    before = c;
    assert_int_equal(web_config_load_file(&c, path, &f), -1);
    snprintf(err, sizeof err, "%s: %s: %s", f.subject, f.code, f.detail);
    if (strncmp(err, expect, strlen(expect)))
        fail_msg("error '%s' does not start with '%s'", err, expect);
    assert_memory_equal(&c, &before, sizeof c); /* nothing half-applied */
}

static void test_file_errors(void **state)
{
    (void)state;
    file_rejects("threads = 2\nlisten = 127.0.0.1:1\nbogus = 1\n",
                 "3: setting_unknown: unknown setting 'bogus'");
    file_rejects("# c\nthreads = many\n", "2: setting_bad_value: bad value for 'threads'");
    file_rejects("threads = 1000\n", "1: setting_out_of_range: bad value for 'threads'");
    file_rejects("threads 4\n", "1: settings_line_bad: expected 'key = value'");
    file_rejects("\n\nthreads = 1\nthreads = 2\n", "4: setting_repeated: 'threads' is set twice");
    file_rejects("listen = 0.0.0.0\n", "1: setting_bad_value: bad value for 'listen'");
    file_rejects("dev = 2\n", "1: setting_bad_value: bad value for 'dev'");

    char big[6000];
    memset(big, 'x', sizeof big);
    memcpy(big, "db = ", 5);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = '\0';
    file_rejects(big, "1: settings_line_bad: line too long");

    struct web_config c;
    struct ufault f = {0};
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.conf", tmpdir);
    web_config_defaults(&c);
    assert_int_equal(web_config_load_file(&c, missing, &f), -1);
    assert_non_null(strstr(f.subject, "none.conf"));
    assert_string_equal(f.code, "settings_file_missing");
    assert_non_null(strstr(f.detail, "cannot open"));
}

static void test_help_lists_every_key(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    web_config_print_help(f);
    fclose(f);
    const char *keys[] = {"listen",
                          "db",
                          "trust_dir",
                          "dev",
                          "threads",
                          "max_body_bytes",
                          "max_connections",
                          "connection_timeout",
                          "connection_memory_bytes",
                          "shutdown_timeout",
                          "access_log",
                          "log_level"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(strstr(text, keys[i]));
    free(text);
}

/* The portal's settings: the defaults are the service's own, configured values reach it,
 * rules that do not fit together and bad reader lists are refused. */
static void test_portal_settings(void **state)
{
    (void)state;
    struct web_config c;
    struct app_portal_cfg pc, def;
    char names[sizeof c.card_readers];
    struct ufault f;
    assert_int_equal(web_config_defaults(&c), 0);
    app_portal_cfg_default(&def);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), 0);
    assert_int_equal(pc.rules.otp_ttl_seconds, def.rules.otp_ttl_seconds);
    assert_int_equal(pc.rules.window_open_days, def.rules.window_open_days);
    assert_int_equal(pc.rules.deadline_days, def.rules.deadline_days);
    assert_int_equal(pc.session_idle, def.session_idle);
    assert_int_equal(pc.login_max_per_tckn, def.login_max_per_tckn);
    assert_int_equal(pc.ncard_readers, def.ncard_readers);
    for (size_t i = 0; i < pc.ncard_readers; i++)
        assert_string_equal(pc.card_readers[i], def.card_readers[i]);

    assert_int_equal(web_config_set(&c, "otp_ttl", "120", &f), 0);
    assert_int_equal(web_config_set(&c, "otp_max_wrong", "5", &f), 0);
    assert_int_equal(web_config_set(&c, "session_idle", "600", &f), 0);
    assert_int_equal(web_config_set(&c, "card_readers", " ACS ACR38 ,, Omnikey 3121 ", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), 0);
    assert_int_equal(pc.rules.otp_ttl_seconds, 120);
    assert_int_equal(pc.rules.otp_max_wrong, 5);
    assert_int_equal(pc.session_idle, 600);
    assert_int_equal(pc.ncard_readers, 2);
    assert_string_equal(pc.card_readers[0], "ACS ACR38");
    assert_string_equal(pc.card_readers[1], "Omnikey 3121");
    assert_int_equal(web_config_set(&c, "otp_ttl", "10", &f), -1); /* bounds */

    /* the deadline must come after the window opens */
    assert_int_equal(web_config_set(&c, "renewal_deadline_days", "90", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), -1);
    assert_non_null(strstr(f.detail, "rules"));
    assert_string_equal(f.code, "settings_conflict");
    assert_int_equal(web_config_set(&c, "renewal_deadline_days", "30", &f), 0);
    assert_int_equal(web_config_set(&c, "session_lifetime", "300", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), -1);
    assert_non_null(strstr(f.detail, "session_idle"));
    assert_int_equal(web_config_set(&c, "session_lifetime", "28800", &f), 0);
    assert_int_equal(web_config_set(&c, "card_readers", "A,none", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), -1);
    assert_int_equal(web_config_set(&c, "card_readers", "1,2,3,4,5,6,7,8,9", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), -1);
    assert_int_equal(web_config_set(&c, "card_readers", "", &f), 0);
    assert_int_equal(web_config_portal(&c, &pc, names, sizeof names, &f), 0);
    assert_int_equal(pc.ncard_readers, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),        cmocka_unit_test(test_set_values),
        cmocka_unit_test(test_set_rejects),     cmocka_unit_test(test_listen_split),
        cmocka_unit_test(test_loopback),        cmocka_unit_test(test_file_good),
        cmocka_unit_test(test_file_errors),     cmocka_unit_test(test_help_lists_every_key),
        cmocka_unit_test(test_portal_settings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
