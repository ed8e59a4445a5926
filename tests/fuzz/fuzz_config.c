/* eimza — libFuzzer driver: the configuration file of `eimza serve` and `eimza migrate`
 * (web/http/config.c: "key = value" lines, comments, each key once per file, typed and bounded
 * values), and the use cases' settings made from what it gives (the portal's rules checked
 * together, the card readers' list, the secret_key).
 *
 * The input is written to a private file (made at start-up) and loaded as serve loads it.
 * Besides the sanitizers: a refusal always says why, and names the file; a file that loads
 * leaves a configuration whose settings either are made or are refused with a reason; what is
 * made is freed whole (LeakSanitizer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/context.h"
#include "util/fault.h"
#include "web/http/config.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "/tmp/eimza-fuzz-conf.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        abort();
    struct web_config c;
    char err[1600] = "";
    struct ufault f = {0};
    if (web_config_defaults(&c) < 0)
        abort();
    if (web_config_load_file(&c, path, &f) < 0) {
        if (!f.code || !f.detail[0] || !strstr(f.subject, path))
            abort(); /* a refusal says why, and where */
        return 0;
    }
    /* the settings made from it: the portal's rules checked together, the card readers'
     * list and the secret_key (web_config_settings without the staff login's part, whose
     * fixed Argon2id hash would take nearly all the time) */
    struct app_settings set;
    memset(&set, 0, sizeof set);
    struct ufault pf = {0};
    if (web_config_portal(&c, &set.portal, set.reader_names, sizeof set.reader_names, &pf) < 0 &&
        (!pf.code || !pf.detail[0]))
        abort();
    err[0] = '\0';
    if (app_settings_seal_key(&set, c.secret_key, c.dev, err, sizeof err) < 0 && !err[0])
        abort();
    app_settings_free(&set);
    return 0;
}
