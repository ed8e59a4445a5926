/* eimza — the stamp beside a SQLite database (cli/): PATH.made, a small file saying that a
 * database was made (or put back, or found) at PATH, and when.
 *
 * `eimza migrate --create-once` (the service's ExecStartPre) makes a missing database only
 * when there is no stamp: a database file that has gone (deleted by mistake, a bad script)
 * while its stamp is still there is refused instead of being made again, new and empty, with
 * no applications, no personnel and a fresh audit chain (docs/DEPLOYMENT.md, "When the
 * database is missing"). `eimza migrate` and `eimza restore` write the stamp whenever they
 * leave a SQLite database at PATH and none is there, so a database made by hand, put back from
 * a backup, or made by an eimza older than the stamp is protected from then on. PostgreSQL has
 * no stamp: eimza never creates a PostgreSQL database.
 *
 * The file (mode 0600, written whole and synced under a temporary name, then given its name):
 *     # eimza: ... (what it is for)
 *     made 2026-12-07T10:40:00Z        (or "restored ...", or "recorded ...")
 *     schema 42
 */
#ifndef EIMZA_CLI_CLI_DBSTAMP_H
#define EIMZA_CLI_CLI_DBSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_STAMP_SUFFIX   ".made"
#define CLI_STAMP_PATH_MAX 4200

/* How the database at the path came to be there, as the stamp says. */
enum cli_stamp_kind {
    CLI_STAMP_MADE,     /* `eimza migrate` made it */
    CLI_STAMP_RESTORED, /* `eimza restore` made it from a backup */
    CLI_STAMP_RECORDED, /* it was there already when the stamp was written */
};

struct cli_stamp {
    enum cli_stamp_kind kind;
    char date[11]; /* YYYY-MM-DD; "" when the stamp does not say */
    int schema;    /* the schema version when it was written; 0 when it does not say */
};

/* The stamp of the database at url into stamp (cap bytes), its file's path into *dbpath (may
 * be NULL; borrowed from url). 1: a SQLite database at a plain path; 0: none can be kept
 * (PostgreSQL: *dbpath NULL; a SQLite "file:" URI or ":memory:": *dbpath set); -1 with the
 * reason printed: a URL store_open refuses, or a path too long (a usage error). */
int cli_stamp_path(const char *url, char *stamp, size_t cap, const char **dbpath);

/* Reads the stamp: 1 when there is one (*st as far as the file says), 0 when there is none,
 * -1 when that cannot be told (a path that is not a file, an unreadable one) with the reason
 * in err. */
int cli_stamp_read(const char *stamp, struct cli_stamp *st, char *err, size_t errlen);

/* Writes the stamp for kind, dated now (seconds since 1970, UTC), with the schema version.
 * With replace an existing stamp is replaced (a database just made in place of a lost one);
 * without, one already there is kept (1 is returned only when this call wrote it). 1 written,
 * 0 kept, -1 with the reason in err (no temporary file left behind). */
int cli_stamp_write(const char *stamp, enum cli_stamp_kind kind, int schema, int64_t now,
                    bool replace, char *err, size_t errlen);

/* cli_stamp_write for command cmd ("migrate", "restore") once its database is `state`
 * ("ready", "restored"), now the real clock, and says so: "stamp written: ..." on stdout, or
 * the reason and what to do on stderr. CLI_OK (also when a stamp was kept), or CLI_FAIL. */
int cli_stamp_record(const char *cmd, const char *state, const char *stamp,
                     enum cli_stamp_kind kind, int schema, bool replace);

/* "made", "restored", "recorded" */
const char *cli_stamp_kind_name(enum cli_stamp_kind kind);

/* A SQLite database file a command may make (migrate, restore into a new file), as it was
 * before: undone when the command fails, so a failed command leaves nothing where there was
 * nothing (never a file that was there before). */
struct cli_db_new {
    char file[CLI_STAMP_PATH_MAX]; /* the file store_open_create opens (store_sqlite_file) */
    bool fresh;                    /* there was no such file */
    size_t kept;                   /* the length of the deepest folder of file that existed */
};
/* Looks at the file the SQLite URL url names (nothing for PostgreSQL or ":memory:": fresh is
 * false) and its folders, before the database is opened. */
void cli_db_new_look(const char *url, struct cli_db_new *n);
/* When n was fresh and no other process has the file open: removes it with its -wal, -shm and
 * -journal, then the folders made for it that are empty. */
void cli_db_new_undo(const struct cli_db_new *n);

#endif
