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

#define SIGN_CONF_FILE_MAX (64 * 1024)

void sign_conf_init(struct sign_conf *c)
{
    memset(c, 0, sizeof *c);
}

int sign_conf_add_origin(struct sign_conf *c, const char *origin, char *err, size_t errlen)
{
    char norm[SIGN_ORIGIN_MAX];
    if (sign_origin_normalize(origin, norm, sizeof norm) < 0) {
        snprintf(err, errlen, "'%s' is not an origin (http[s]://host[:port], no path)", origin);
        return -1;
    }
    for (size_t i = 0; i < c->norigins; i++)
        if (!strcmp(c->origins[i], norm))
            return 0;
    if (c->norigins == SIGN_CONF_MAX_ORIGINS) {
        snprintf(err, errlen, "at most %d origins", SIGN_CONF_MAX_ORIGINS);
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

static int sign_conf_line(struct sign_conf *c, char *line, char *err, size_t errlen)
{
    char *eq = strchr(line, '=');
    const char *key, *value;
    char sub[256];
    if (!eq) {
        snprintf(err, errlen, "expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    key = sign_conf_trim(line);
    value = sign_conf_trim(eq + 1);
    if (!*value) {
        snprintf(err, errlen, "'%s' has no value", key);
        return -1;
    }
    if (!strcmp(key, "origin")) {
        if (sign_conf_add_origin(c, value, sub, sizeof sub) < 0) {
            snprintf(err, errlen, "origin: %s", sub);
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof sign_conf_keys / sizeof sign_conf_keys[0]; i++) {
        if (strcmp(key, sign_conf_keys[i].key) != 0)
            continue;
        size_t vl = strlen(value);
        if (vl >= sign_conf_keys[i].cap) {
            snprintf(err, errlen, "%s: longer than %zu bytes", key, sign_conf_keys[i].cap - 1);
            return -1;
        }
        if (!strcmp(key, "listen")) {
            struct sign_listen l;
            if (sign_listen_parse(value, &l) != SIGN_LISTEN_OK) {
                snprintf(err, errlen, "listen: '%s' is not a loopback HOST:PORT", value);
                return -1;
            }
        } else if (value[0] != '/') {
            snprintf(err, errlen, "%s: '%s' is not an absolute path", key, value);
            return -1;
        }
        memcpy((char *)c + sign_conf_keys[i].off, value, vl + 1);
        return 0;
    }
    snprintf(err, errlen, "unknown setting '%s' (module, origin, listen, ca_file, pinentry)", key);
    return -1;
}

int sign_conf_parse(struct sign_conf *c, const char *text, size_t n, const char *name, char *err,
                    size_t errlen)
{
    char line[1024], why[400];
    size_t pos = 0;
    unsigned lineno = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : n - pos;
        lineno++;
        if (len >= sizeof line) {
            snprintf(err, errlen, "%s:%u: line longer than %zu bytes", name, lineno,
                     sizeof line - 1);
            return -1;
        }
        memcpy(line, text + pos, len);
        line[len] = '\0';
        pos += len + (nl ? 1 : 0);
        if (memchr(line, '\0', len)) {
            snprintf(err, errlen, "%s:%u: a NUL byte", name, lineno);
            return -1;
        }
        const char *t = sign_conf_trim(line);
        if (!*t || *t == '#')
            continue;
        if (sign_conf_line(c, (char *)t, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
            return -1;
        }
    }
    return 0;
}

int sign_conf_read_file(struct sign_conf *c, const char *path, bool must_exist, bool *found,
                        char *err, size_t errlen)
{
    int fd = -1, rc = -1;
    struct stat sb;
    char *buf = NULL;
    size_t have = 0;
    if (found)
        *found = false;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT && !must_exist)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size > SIGN_CONF_FILE_MAX) {
        snprintf(err, errlen, "%s: not a regular file of at most %d bytes", path,
                 SIGN_CONF_FILE_MAX);
        goto out;
    }
    /* whoever may write this file chooses the portals that may ask for signatures */
    if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(err, errlen, "%s: writable by others than its owner: refused (chmod go-w)", path);
        goto out;
    }
    if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
        snprintf(err, errlen, "%s: belongs to another user: refused", path);
        goto out;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
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
    rc = sign_conf_parse(c, buf, have, path, err, errlen);
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
