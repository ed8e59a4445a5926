/* eimza — `eimza user add USERNAME --role ROLE [--province NN] [--email ADDRESS] [--db URL]`:
 * a staff account
 * (app/staff_auth.h, app_user_add). The password is read from standard input, one line (a
 * trailing CR/LF is dropped), so it never shows in the process list or the shell history;
 * nothing is echoed because nothing is prompted for on a pipe.
 *
 * Exit status: 0 added; 1 usage error or invalid input (each refused field is printed with its
 * code and Turkish message: a bad name, an unknown role, a missing or unexpected province, a
 * password that breaks the rules, an empty one); 2 runtime failure, including a name that is
 * already taken (username_taken: the input is well-formed, the database's state refuses it,
 * and a script can tell the two apart). TOTP is not set up here: the account enrols at its
 * first login. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/staff_auth.h"
#include "cli/cli.h"
#include "core/validate.h"

static const char user_usage[] =
    "usage: eimza user add USERNAME --role ROLE [--province NN] [--email ADDRESS] [--db URL]\n"
    "       eimza user set USERNAME [--email ADDRESS|--no-email] [--province NN]\n"
    "                      [--disable|--enable] [--reset-totp] [--unlock] [--db URL]\n"
    "       eimza user list [--db URL]\n"
    "  ROLE: approver (needs --province, the plate code 1-81 or the name), operator, admin\n"
    "  --email: where an approver gets the daily digest of their province\n"
    "  add reads the password from standard input (one line). set changes an account (a\n"
    "  disabled one cannot log in and its sessions end; --reset-totp: it enrols again at its\n"
    "  next login; --unlock: ends a lock-out). list prints the accounts as JSON (addresses\n"
    "  masked).\n";

/* Reads one line of at most APP_PASSWORD_MAX bytes into buf (cap > APP_PASSWORD_MAX + 2).
 * Returns 0, 1 when the line is longer than allowed, -1 on a read error. */
static int read_password(char *buf, size_t cap)
{
    if (isatty(STDIN_FILENO))
        fputs("Parola (password): ", stderr);
    if (!fgets(buf, (int)cap, stdin)) {
        buf[0] = '\0';
        return ferror(stdin) ? -1 : 0;
    }
    size_t n = strlen(buf);
    bool whole = n > 0 && buf[n - 1] == '\n';
    if (!whole && !feof(stdin))
        return 1; /* longer than the buffer */
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return n > APP_PASSWORD_MAX ? 1 : 0;
}

static int user_add(int argc, char **argv)
{
    const char *name = NULL, *role = NULL, *province_arg = NULL, *email = NULL, *db = NULL;
    char pw[APP_PASSWORD_MAX + 4];
    struct app_staff_cfg cfg;
    struct app_err err;
    struct store *s = NULL;
    int province = 0, rc;

    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "user add", user_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--role")))
            role = v;
        else if ((v = cli_opt(&p, "--province")))
            province_arg = v;
        else if ((v = cli_opt(&p, "--email")))
            email = v;
        else if ((v = cli_opt(&p, "--db")))
            db = v;
        else if (!name && (v = cli_word(&p)))
            name = v;
        else
            return cli_parse_other(&p);
    }
    if (!name || !role)
        return cli_usage_error("user add", !name ? "USERNAME" : "--role", "argument_missing",
                               user_usage);
    if (province_arg) {
        province = core_province_lookup(province_arg, strlen(province_arg));
        if (province == 0) {
            cli_refuse("user add", "province", "province_unknown");
            return CLI_USAGE;
        }
    }

    rc = read_password(pw, sizeof pw);
    if (rc < 0) {
        return cli_fail("user add", "password", "required",
                        "cannot read the password from standard input");
    }
    if (rc > 0 || pw[0] == '\0') {
        cli_refuse("user add", "password", rc > 0 ? "password_too_long" : "required");
        rc = CLI_USAGE;
        goto out;
    }
    if (app_staff_cfg_default(&cfg) < 0) {
        cli_error("user add: libsodium could not start (out of memory?)");
        rc = CLI_FAIL;
        goto out;
    }
    if ((rc = cli_open_store(db, 0, &s)) != CLI_OK)
        goto out;
    if (app_user_add(s, &cfg, name, role, province, email, pw, "cli", (int64_t)time(NULL), &err) !=
        APP_OK) {
        for (size_t i = 0; i < err.nfields; i++)
            cli_refuse("user add", err.fields[i].field, err.fields[i].code);
        if (err.code && !err.nfields)
            cli_refuse("user add", NULL, err.code);
        else if (!err.code)
            cli_fail("user add", NULL, "database_error", "%s", store_last_error(s));
        rc = err.status == APP_EINVAL ? CLI_USAGE : CLI_FAIL;
        goto out;
    }
    printf("eimza: user %s added (role %s", name, role);
    if (province)
        printf(", province %02d", province);
    printf("); two-step verification (TOTP) is set up at the first login\n");
    rc = CLI_OK;
out:
    sodium_memzero(pw, sizeof pw);
    if (s)
        store_close(s);
    return rc;
}

/* ---- `eimza user set` --------------------------------------------------------------------- */

static int user_set(int argc, char **argv)
{
    const char *name = NULL, *email = NULL, *province_arg = NULL, *db = NULL;
    bool no_email = false, disable = false, enable = false;
    struct app_user_change c = {0};
    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "user set", user_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--email")))
            email = v;
        else if ((v = cli_opt(&p, "--province")))
            province_arg = v;
        else if ((v = cli_opt(&p, "--db")))
            db = v;
        else if (cli_flag(&p, "--no-email"))
            no_email = true;
        else if (cli_flag(&p, "--disable"))
            disable = true;
        else if (cli_flag(&p, "--enable"))
            enable = true;
        else if (cli_flag(&p, "--reset-totp"))
            c.reset_totp = true;
        else if (cli_flag(&p, "--unlock"))
            c.unlock = true;
        else if (!name && (v = cli_word(&p)))
            name = v;
        else
            return cli_parse_other(&p);
    }
    if (!name)
        return cli_usage_error("user set", "USERNAME", "argument_missing", user_usage);
    if ((email && no_email) || (disable && enable))
        return cli_usage_error("user set",
                               email && no_email ? "--email --no-email" : "--disable --enable",
                               "options_conflict", user_usage);
    int province = 0;
    if (province_arg) {
        province = core_province_lookup(province_arg, strlen(province_arg));
        if (province == 0) {
            cli_refuse("user set", "province", "province_unknown");
            return CLI_USAGE;
        }
        c.province = &province;
    }
    const bool flag = disable;
    c.email = no_email ? "" : email;
    c.disabled = disable || enable ? &flag : NULL;
    struct store *s = NULL;
    int rc = cli_open_store(db, 0, &s);
    if (rc != CLI_OK)
        return rc;
    struct app_err err;
    if (app_user_set(s, name, &c, "cli", (int64_t)time(NULL), &err) != APP_OK) {
        for (size_t i = 0; i < err.nfields; i++)
            cli_refuse("user set", err.fields[i].field, err.fields[i].code);
        if (err.code && !err.nfields)
            cli_refuse("user set", NULL, err.code);
        else if (!err.code)
            cli_fail("user set", NULL, "database_error", "%s", store_last_error(s));
        rc = err.status == APP_EINVAL ? CLI_USAGE : CLI_FAIL;
    } else {
        printf("eimza: user %s changed\n", name);
        rc = CLI_OK;
    }
    store_close(s);
    return rc;
}

/* ---- `eimza user list` -------------------------------------------------------------------- */

static int list_one(void *ctx, const struct store_user *u)
{
    char mail[CORE_EMAIL_MAX + 4] = "";
    if (u->email[0])
        core_email_mask(u->email, mail, sizeof mail);
    const char *state = u->disabled ? "disabled" : u->totp_enabled ? "active" : "enrolling";
    json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:b}", "username", u->username, "role",
                          u->role, "province", u->province, "email", mail, "state", state, "locked",
                          u->locked_until > (int64_t)time(NULL), "totp", u->totp_enabled);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : 1;
}

static int user_list(int argc, char **argv)
{
    const char *db = NULL;
    int npos = 0;
    int rc0 = cli_args(argc, argv, "user list", user_usage, NULL, 0, &npos, &db);
    if (rc0 >= 0)
        return rc0;
    struct store *s = NULL;
    int rc = cli_open_store(db, 0, &s);
    if (rc != CLI_OK)
        return rc;
    json_t *list = json_array();
    char *text = NULL;
    enum store_err e = list ? store_user_each(s, list_one, list) : STORE_ENOMEM;
    if (e == STORE_OK && (text = json_dumps(list, JSON_COMPACT))) {
        printf("%s\n", text);
        rc = CLI_OK;
    } else if (e == STORE_OK || e == STORE_ENOMEM) {
        cli_error("user list: out of memory");
        rc = CLI_FAIL;
    } else {
        rc = cli_fail("user list", NULL, "database_error", "%s", store_last_error(s));
    }
    free(text);
    json_decref(list);
    store_close(s);
    return rc;
}

int cli_cmd_user(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"add", user_add},
        {"set", user_set},
        {"list", user_list},
    };
    return cli_subcommand(argc, argv, "user", user_usage, subs, sizeof subs / sizeof subs[0]);
}
