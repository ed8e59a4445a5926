/* eimza — `eimza sign --module LIB.so [--token LABEL] --in FILE --out FILE.p7s [--pin-fd N]`:
 * signs a file's exact bytes with the smart card (CAdES-BES, detached, DER) — the same
 * signature the agent makes for the portal, for scripts, tests and people without a browser.
 *
 * The PIN is read from --pin-fd N (one line) or asked through pinentry; it is asked once and
 * never retried. The output appears only when everything succeeded: it is written to a
 * temporary file beside it and renamed into place. Exit 1 for a usage error, 2 for anything
 * that failed at run time (the message names the stable code: pin_incorrect, ...). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sign/sign.h"
#include "util/fault.h"

#define CLI_SIGN_MAX_INPUT (64L * 1024 * 1024) /* held in memory for the CMS digest */

static const char cli_sign_usage[] =
    "usage: eimza sign --module LIB.so [--token LABEL] --in FILE --out FILE.p7s [--pin-fd N]\n"
    "\n"
    "Signs FILE's exact bytes with the smart card's certificate: a CAdES-BES signature\n"
    "(CMS, detached, SHA-256, DER) written to FILE.p7s. LIB.so is the card's PKCS#11 module\n"
    "(AKİS: libakisp11.so; OpenSC: opensc-pkcs11.so; SoftHSM2: libsofthsm2.so). Without\n"
    "--token the only card with a signing certificate is used. The PIN is asked through\n"
    "pinentry, or read as one line from file descriptor N with --pin-fd.\n";

static int cli_sign_read(const char *path, unsigned char **out, size_t *n)
{
    int fd = -1, rc = -1;
    unsigned char *buf = NULL;
    struct stat sb;
    size_t have = 0;
    *out = NULL;
    *n = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) < 0) {
        cli_fail("sign", path, "file_unreadable", "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        cli_fail("sign", path, "not_a_file", "%s is not a regular file", path);
        goto out;
    }
    if (sb.st_size > CLI_SIGN_MAX_INPUT) {
        cli_fail("sign", path, "sign_input_too_large", "%s has %lld bytes, more than %ld", path,
                 (long long)sb.st_size, CLI_SIGN_MAX_INPUT);
        goto out;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        cli_error("sign: out of memory");
        goto out;
    }
    while (have < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + have, (size_t)sb.st_size - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            cli_fail("sign", path, "file_unreadable", "cannot read %s: %s", path,
                     r < 0 ? strerror(errno) : "it shrank");
            goto out;
        }
        have += (size_t)r;
    }
    *out = buf;
    *n = have;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* What the temporary file's name adds to the output path (mkstemp's X's). */
#define SIGN_TMP_SUFFIX ".tmp.XXXXXX"

/* Writes data to path through a temporary file in the same directory and rename(2), so the
 * path holds either its old contents or the whole signature, never part of one. */
static int cli_sign_write(const char *path, const unsigned char *data, size_t n)
{
    char tmp[PATH_MAX];
    int fd = -1, rc = -1;
    size_t done = 0;
    if (snprintf(tmp, sizeof tmp, "%s" SIGN_TMP_SUFFIX, path) >= (int)sizeof tmp)
        return -1; /* cli_cmd_sign refused such a path (SIGN_TMP_SUFFIX) */
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_fail("sign", path, "file_unwritable", "cannot create a file beside %s: %s", path,
                 strerror(errno));
        return -1;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) < 0)
        goto fail;
    while (done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        done += (size_t)w;
    }
    if (fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto fail;
    return 0;
fail:
    cli_fail("sign", path, "file_unwritable", "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return rc;
}

int cli_cmd_sign(int argc, char **argv)
{
    const char *module = NULL, *token = NULL, *in = NULL, *outp = NULL, *pinfd_s = NULL;
    struct sign_module *m = NULL;
    struct sign_status st;
    struct sign_token_info used;
    unsigned char *content = NULL, *der = NULL;
    size_t content_len = 0, der_len = 0;
    int pinfd = -1, rc = CLI_FAIL;

    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "sign", cli_sign_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--module")))
            module = v;
        else if ((v = cli_opt(&p, "--token")))
            token = v;
        else if ((v = cli_opt(&p, "--in")))
            in = v;
        else if ((v = cli_opt(&p, "--out")))
            outp = v;
        else if ((v = cli_opt(&p, "--pin-fd")))
            pinfd_s = v;
        else
            return cli_parse_other(&p);
    }
    if (!module || !*module || !in || !*in || !outp || !*outp)
        return cli_usage_error("sign",
                               !module || !*module ? "--module"
                               : !in || !*in       ? "--in"
                                                   : "--out",
                               "argument_missing", cli_sign_usage);
    if (token && strlen(token) > 32)
        return cli_usage_errorf("sign", "--token", "too_long", cli_sign_usage,
                                "a token label has at most 32 bytes");
    if (pinfd_s && (pinfd = cli_fd_arg(pinfd_s)) < 0)
        return cli_usage_error("sign", "--pin-fd", "fd_not_open", cli_sign_usage);
    if (strlen(outp) + sizeof SIGN_TMP_SUFFIX > PATH_MAX) { /* before the PIN is asked for */
        struct ufault f = {.subject = "--out"};
        ufault_set(&f, "too_long", "the output path has at most %zu bytes",
                   PATH_MAX - sizeof SIGN_TMP_SUFFIX);
        cli_refuse_fault("sign", &f);
        goto out; /* exit 2, as before */
    }

    if (cli_sign_read(in, &content, &content_len) < 0)
        goto out;
    if (sign_module_open(module, &m, &st) != SIGN_OK) {
        cli_error("sign: %s: %s (%s)", sign_err_code(st.err), st.message, st.detail);
        goto out;
    }
    struct sign_request req = {
        .token_label = token,
        .content = content,
        .content_len = content_len,
        .ask_pin = pinfd >= 0 ? sign_pin_from_fd : sign_pin_from_pinentry,
        .ask_arg = pinfd >= 0 ? (void *)&pinfd : NULL,
        .purpose = NULL,
    };
    if (sign_module_sign(m, &req, &der, &der_len, &used, &st) != SIGN_OK) {
        cli_error("sign: %s: %s%s%s%s", sign_err_code(st.err), st.message, st.detail[0] ? " (" : "",
                  st.detail, st.detail[0] ? ")" : "");
        goto out;
    }
    if (cli_sign_write(outp, der, der_len) < 0)
        goto out;
    printf("signed %zu bytes with token \"%s\" (%s, certificate \"%s\", until %s): %s\n",
           content_len, used.label, used.model, used.cert_subject_cn, used.cert_not_after, outp);
    rc = CLI_OK;
out:
    free(content);
    free(der);
    sign_module_close(m);
    return rc;
}
