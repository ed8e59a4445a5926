/* eimza — the signing agent's settings file: parsing "key = value" lines and the checks on
 * the file itself (sign/conf.h has the format). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sign/conf.h"
#include "util/fault.h"

#define SIGN_CONF_FILE_MAX (64 * 1024)

void sign_conf_init(struct sign_conf *c)
{
    memset(c, 0, sizeof *c);
}

int sign_conf_add_origin(struct sign_conf *c, const char *origin, struct ufault *f)
{
    char norm[SIGN_ORIGIN_MAX];
    if (sign_origin_normalize(origin, norm, sizeof norm) < 0) {
        ufault_set(f, "origin_bad", "'%.300s' is not an origin (http[s]://host[:port], no path)",
                   origin);
        return -1;
    }
    for (size_t i = 0; i < c->norigins; i++)
        if (!strcmp(c->origins[i], norm))
            return 0;
    if (c->norigins == SIGN_CONF_MAX_ORIGINS) {
        ufault_set(f, "too_many_origins", "at most %d origins", SIGN_CONF_MAX_ORIGINS);
        return -1;
    }
    memcpy(c->origins[c->norigins++], norm, strlen(norm) + 1);
    return 0;
}

static const char *sign_conf_trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/* The string settings: name, where in the struct, how long it may be. */
static const struct {
    const char *key;
    size_t off;
    size_t cap;
} sign_conf_keys[] = {
    {"module", offsetof(struct sign_conf, module), SIGN_CONF_PATH_MAX},
    {"listen", offsetof(struct sign_conf, listen), 64},
    {"ca_file", offsetof(struct sign_conf, ca_file), SIGN_CONF_PATH_MAX},
    {"pinentry", offsetof(struct sign_conf, pinentry), SIGN_CONF_PATH_MAX},
};

static int sign_conf_line(struct sign_conf *c, char *line, struct ufault *f)
{
    char *eq = strchr(line, '=');
    const char *key, *value;
    if (!eq) {
        ufault_set(f, "settings_line_bad", "expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    key = sign_conf_trim(line);
    value = sign_conf_trim(eq + 1);
    if (!*value) {
        ufault_set(f, "setting_bad_value", "'%.100s' has no value", key);
        return -1;
    }
    if (!strcmp(key, "origin"))
        return sign_conf_add_origin(c, value, f);
    for (size_t i = 0; i < sizeof sign_conf_keys / sizeof sign_conf_keys[0]; i++) {
        if (strcmp(key, sign_conf_keys[i].key) != 0)
            continue;
        size_t vl = strlen(value);
        if (vl >= sign_conf_keys[i].cap) {
            ufault_set(f, "setting_bad_value", "%s: longer than %zu bytes", key,
                       sign_conf_keys[i].cap - 1);
            return -1;
        }
        if (!strcmp(key, "listen")) {
            struct sign_listen l;
            if (sign_listen_parse(value, &l) != SIGN_LISTEN_OK) {
                ufault_set(f, "listen_not_loopback", "listen: '%s' is not a loopback HOST:PORT",
                           value);
                return -1;
            }
        } else if (value[0] != '/') {
            ufault_set(f, "setting_bad_value", "%s: '%.300s' is not an absolute path", key, value);
            return -1;
        }
        memcpy((char *)c + sign_conf_keys[i].off, value, vl + 1);
        return 0;
    }
    ufault_set(f, "setting_unknown",
               "unknown setting '%.100s' (module, origin, listen, ca_file, pinentry)", key);
    return -1;
}

int sign_conf_parse(struct sign_conf *c, const char *text, size_t n, const char *name,
                    struct ufault *f)
{
    char line[1024];
    size_t pos = 0;
    unsigned lineno = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : n - pos;
        lineno++;
        ufault_subject(f, "%s:%u", name, lineno);
        if (len >= sizeof line) {
            ufault_set(f, "settings_line_bad", "line longer than %zu bytes", sizeof line - 1);
            return -1;
        }
        memcpy(line, text + pos, len);
        line[len] = '\0';
        pos += len + (nl ? 1 : 0);
        if (memchr(line, '\0', len)) {
            ufault_set(f, "settings_line_bad", "a NUL byte");
            return -1;
        }
        const char *t = sign_conf_trim(line);
        if (!*t || *t == '#')
            continue;
        if (sign_conf_line(c, (char *)t, f) < 0)
            return -1;
    }
    return 0;
}

int sign_conf_read_file(struct sign_conf *c, const char *path, bool must_exist, bool *found,
                        struct ufault *f)
{
    int fd = -1, rc = -1;
    struct stat sb;
    char *buf = NULL;
    size_t have = 0;
    if (found)
        *found = false;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT && !must_exist)
            return 0;
        ufault_subject(f, "%s", path);
        ufault_set(f, e == ENOENT ? "settings_file_missing" : "settings_file_unreadable", "%s",
                   strerror(e));
        return -1;
    }
    ufault_subject(f, "%s", path);
    if (fstat(fd, &sb) < 0) {
        ufault_set(f, "settings_file_unreadable", "%s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size > SIGN_CONF_FILE_MAX) {
        ufault_set(f, "settings_file_unreadable", "not a regular file of at most %d bytes",
                   SIGN_CONF_FILE_MAX);
        goto out;
    }
    /* whoever may write this file chooses the portals that may ask for signatures */
    if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
        ufault_set(f, "settings_file_unsafe", "writable by others than its owner (chmod go-w)");
        goto out;
    }
    if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
        ufault_set(f, "settings_file_unsafe", "belongs to another user");
        goto out;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        ufault_set(f, "settings_file_unreadable", "out of memory");
        goto out;
    }
    while (have < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + have, (size_t)sb.st_size - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    if (found)
        *found = true;
    rc = sign_conf_parse(c, buf, have, path, f);
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
