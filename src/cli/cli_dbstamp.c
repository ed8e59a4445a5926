/* eimza — the stamp beside a SQLite database (cli_dbstamp.h). */
#include "cli/cli_dbstamp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static const char *const stamp_kinds[] = {"made", "restored", "recorded"};

const char *cli_stamp_kind_name(enum cli_stamp_kind kind)
{
    return (unsigned)kind < sizeof stamp_kinds / sizeof *stamp_kinds ? stamp_kinds[kind] : "made";
}

int cli_stamp_path(const char *url, char *stamp, size_t cap, const char **dbpath)
{
    char err[512];
    const char *path = NULL;
    if (dbpath)
        *dbpath = NULL;
    if (store_sqlite_path(url, &path, err, sizeof err) != STORE_OK) {
        cli_db_refuse(url, err);
        return -1;
    }
    if (dbpath)
        *dbpath = path;
    if (!path || !strncmp(path, "file:", 5) || !strcmp(path, ":memory:"))
        return 0;
    if ((size_t)snprintf(stamp, cap, "%s%s", path, CLI_STAMP_SUFFIX) >= cap) {
        cli_db_refuse(url, "the database path is too long");
        return -1;
    }
    return 1;
}

int cli_stamp_read(const char *stamp, struct cli_stamp *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    struct stat sb;
    if (lstat(stamp, &sb) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot look at '%s': %s", stamp, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "'%s' is not a file", stamp);
        return -1;
    }
    FILE *f = fopen(stamp, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read '%s': %s", stamp, strerror(errno));
        return -1;
    }
    char line[256], word[16], date[16];
    int n;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "schema %d", &n) == 1 && n > 0) {
            st->schema = n;
            continue;
        }
        if (sscanf(line, "%15s %10[0-9-]", word, date) != 2 || strlen(date) != 10)
            continue;
        for (size_t k = 0; k < sizeof stamp_kinds / sizeof *stamp_kinds; k++) {
            if (!strcmp(word, stamp_kinds[k])) {
                st->kind = (enum cli_stamp_kind)k;
                memcpy(st->date, date, sizeof st->date);
            }
        }
    }
    fclose(f);
    return 1;
}

/* Makes the file's name and a new entry in its directory last through a power cut. */
static int stamp_sync_dir(const char *stamp)
{
    char dir[CLI_STAMP_PATH_MAX];
    const char *slash = strrchr(stamp, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == stamp)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - stamp), stamp);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int cli_stamp_write(const char *stamp, enum cli_stamp_kind kind, int schema, int64_t now,
                    bool replace, char *err, size_t errlen)
{
    char tmp[CLI_STAMP_PATH_MAX + 32], body[512], when[32];
    int rc = -1, fd = -1;
    bool tmp_made = false;
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        snprintf(err, errlen, "the clock gives no date");
        goto out;
    }
    int len = snprintf(body, sizeof body,
                       "# eimza: a SQLite database is kept beside this file. While this file is "
                       "here,\n# 'eimza migrate --create-once' (the service's ExecStartPre) does "
                       "not make a new,\n# empty database in place of a missing one. See "
                       "eimza(1).\n%s %s\nschema %d\n",
                       cli_stamp_kind_name(kind), when, schema);
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", stamp, (long)getpid()) >= sizeof tmp) {
        snprintf(err, errlen, "the path '%s' is too long", stamp);
        goto out;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create '%s': %s", tmp, strerror(errno));
        goto out;
    }
    tmp_made = true;
    errno = 0;
    if (write(fd, body, (size_t)len) != (ssize_t)len || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", tmp, errno ? strerror(errno) : "short");
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (replace) {
        if (rename(tmp, stamp) != 0) {
            snprintf(err, errlen, "cannot name '%s': %s", stamp, strerror(errno));
            goto out;
        }
        tmp_made = false;
        rc = 1;
    } else if (link(tmp, stamp) != 0) { /* never over a stamp another process wrote */
        if (errno != EEXIST) {
            snprintf(err, errlen, "cannot name '%s': %s", stamp, strerror(errno));
            goto out;
        }
        rc = 0;
    } else {
        rc = 1;
    }
    if (rc == 1 && stamp_sync_dir(stamp) != 0) {
        snprintf(err, errlen, "cannot sync the folder of '%s': %s", stamp, strerror(errno));
        rc = -1; /* the stamp is there, but may not last through a power cut */
    }
out:
    if (fd >= 0)
        close(fd);
    if (tmp_made)
        (void)unlink(tmp);
    return rc;
}

int cli_stamp_record(const char *cmd, const char *state, const char *stamp,
                     enum cli_stamp_kind kind, int schema, bool replace)
{
    char err[CLI_STAMP_PATH_MAX + 128];
    int w = cli_stamp_write(stamp, kind, schema, (int64_t)time(NULL), replace, err, sizeof err);
    if (w < 0) {
        return cli_fail(cmd, stamp, "file_unwritable",
                        "the database is %s, but its stamp was not written: %s; without it "
                        "'eimza migrate --create-once' would make a new, empty database if this "
                        "one went missing (make the folder writable and run eimza %s again)",
                        state, err, cmd);
    }
    if (w == 1)
        printf("stamp written: %s (%s, schema version %d)\n", stamp, cli_stamp_kind_name(kind),
               schema);
    return CLI_OK;
}

void cli_db_new_look(const char *url, struct cli_db_new *n)
{
    struct stat sb;
    n->fresh = false;
    n->kept = 0;
    if (store_sqlite_file(url, n->file, sizeof n->file) != 1 || lstat(n->file, &sb) == 0 ||
        errno != ENOENT)
        return;
    n->fresh = true;
    char dir[CLI_STAMP_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", n->file);
    for (char *slash; (slash = strrchr(dir, '/')) != NULL;) {
        *slash = '\0';
        if (slash == dir || stat(dir, &sb) == 0) { /* "/" or a folder that is there */
            n->kept = (size_t)(slash - dir);
            return;
        }
    }
}

void cli_db_new_undo(const struct cli_db_new *n)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char f[CLI_STAMP_PATH_MAX + 16];
    long pid = 0;
    if (!n->fresh)
        return;
    /* another command made it at the same time and has it open (concurrent migrates): its */
    if ((size_t)snprintf(f, sizeof f, "sqlite:%s", n->file) >= sizeof f ||
        store_in_use(f, &pid, NULL, 0) != STORE_OK)
        return;
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++)
        if ((size_t)snprintf(f, sizeof f, "%s%s", n->file, tails[i]) < sizeof f)
            (void)unlink(f);
    snprintf(f, sizeof f, "%s", n->file);
    for (char *slash; (slash = strrchr(f, '/')) != NULL && (size_t)(slash - f) > n->kept;) {
        *slash = '\0';
        if (rmdir(f) != 0) /* not empty: someone else's now */
            return;
    }
}
