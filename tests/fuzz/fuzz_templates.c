/* eimza — libFuzzer driver: the notification templates an operator puts in templates_dir
 * (notify/templates.c) and the rendering of a message from them.
 *
 * The input is split at its NUL bytes: the first part is the text of
 * templates_dir/tr/expiry_warning.email.txt, the second that of expiry_warning.sms.txt (when
 * there is a second part), the rest are the values of the template's placeholders in order
 * (name serial expiry_date deadline days portal_url; the values come from the personnel file
 * and the certificates, so they are outside input too). The files are written to a private
 * directory made at start-up and loaded as `eimza serve` loads them; when they load, both
 * forms are rendered. Besides the sanitizers, the driver checks that a loaded template renders
 * within generous caps and that a refusal says why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify/templates.h"

static char dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/tr/expiry_warning.email.txt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/tr/expiry_warning.sms.txt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/tr", dir);
    rmdir(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char tr[80];
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/eimza-fuzz-tpl.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(tr, sizeof tr, "%s/tr", dir);
    if (mkdir(tr, 0700))
        abort();
    atexit(cleanup);
    return 0;
}

/* Writes data[0..n) to dir/tr/name, or removes the file when data is NULL. */
static void put(const char *name, const uint8_t *data, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/tr/%s", dir, name);
    if (!data) {
        unlink(path);
        return;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, n, fp) != n || fclose(fp))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"name",     "serial", "expiry_date",
                                        "deadline", "days",   "portal_url"};
    struct notify_var vars[6];
    char values[6][256];
    size_t nvars = 0;
    const uint8_t *end = data + size, *p = data;
    const uint8_t *nul = memchr(p, 0, size);
    size_t email_n = nul ? (size_t)(nul - p) : size;

    put("expiry_warning.email.txt", p, email_n);
    p = nul ? nul + 1 : end;
    if (nul) {
        const uint8_t *z = memchr(p, 0, (size_t)(end - p));
        size_t sms_n = z ? (size_t)(z - p) : (size_t)(end - p);
        put("expiry_warning.sms.txt", p, sms_n);
        p = z ? z + 1 : end;
    } else {
        put("expiry_warning.sms.txt", NULL, 0);
    }
    while (p < end && nvars < 6) {
        const uint8_t *z = memchr(p, 0, (size_t)(end - p));
        size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
        if (n >= sizeof values[0])
            n = sizeof values[0] - 1;
        memcpy(values[nvars], p, n);
        values[nvars][n] = '\0';
        vars[nvars].name = names[nvars];
        vars[nvars].value = values[nvars];
        nvars++;
        p = z ? z + 1 : end;
    }

    struct notify_templates *set = NULL;
    char err[256] = "";
    if (notify_templates_load(dir, "tr", &set, err, sizeof err)) {
        if (!err[0])
            abort();
        return 0;
    }
    struct ubuf subject = UBUF_INIT(1 << 20), body = UBUF_INIT(1 << 20);
    if (notify_render(set, NOTIFY_TPL_EXPIRY_WARNING, false, vars, nvars, &subject, &body))
        abort();
    ubuf_reset(&subject);
    ubuf_reset(&body);
    if (notify_render(set, NOTIFY_TPL_EXPIRY_WARNING, true, vars, nvars, NULL, &body))
        abort();
    ubuf_free(&subject);
    ubuf_free(&body);
    notify_templates_free(set);
    return 0;
}
