/* eimza — inside the store (internal to src/store/, like curl's lib/vtls/vtls_int.h): the ops
 * table each backend fills, the part of a connection every backend shares, and the helpers
 * store.c gives the backends. store.c dispatches through the table; the backends
 * (store_sqlite.c, store_pg.c) never see each other. Names shared between these files use the
 * store__ prefix so they cannot be mistaken for the public API. */
#ifndef EIMZA_STORE_STORE_INT_H
#define EIMZA_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/migration.h"
#include "store/store.h"

#define STORE_ERR_MAX 512

typedef int (*store__audit_fn)(void *ctx, const struct store_audit_record *r);

/* Every function gets a connection the backend opened. The wrappers in store.c check the
 * arguments (non-NULL, lengths) and the import state before calling, so backends only see
 * calls that make sense: import_row/commit/abort only between import_begin and its end, and
 * nothing else during an import. */
struct store_ops {
    const char *name; /* "sqlite" or "postgresql" */
    void (*close)(struct store *s);
    enum store_err (*ping)(struct store *s);
    int (*latest_version)(void); /* the newest schema version the backend's migrations give */
    enum store_err (*schema_version)(struct store *s, int *current);
    enum store_err (*migrate)(struct store *s, int *from, int *to);

    /* now: the import's time, for updated_at. commit ends the import whatever it returns
     * (a failed commit has rolled back); abort never fails. */
    enum store_err (*import_begin)(struct store *s, int64_t now);
    enum store_err (*import_row)(struct store *s, const struct core_personnel *p);
    enum store_err (*import_commit)(struct store *s, struct store_import_stats *st);
    void (*import_abort)(struct store *s);
    enum store_err (*personnel_get)(struct store *s, const char *tckn, struct core_personnel *out);
    enum store_err (*personnel_count)(struct store *s, long *n);

    enum store_err (*certificate_put)(struct store *s, const struct core_certificate *c,
                                      const unsigned char *der, size_t derlen, int64_t now,
                                      bool *inserted);
    enum store_err (*certificate_revoke)(struct store *s, const char *issuer, const char *serial,
                                         int64_t revoked_at, bool *changed);
    enum store_err (*certificate_current)(struct store *s, const char *tckn,
                                          struct core_certificate *out);
    enum store_err (*certificate_count)(struct store *s, long *n);

    enum store_err (*audit_append)(struct store *s, const struct store_audit_entry *e);
    enum store_err (*audit_each)(struct store *s, int64_t after_seq, store__audit_fn fn, void *ctx);
};

/* The head of every backend's connection struct (which embeds it first). */
struct store {
    const struct store_ops *ops;
    bool importing;          /* between import_begin and commit/abort */
    char err[STORE_ERR_MAX]; /* store_last_error(): no personal data, no secrets */
};

/* Backend constructors. path/url are the part store_open parsed; make_dir: create a missing
 * parent directory (store_open_create). On failure *out is NULL and err says why. */
enum store_err store__sqlite_open(const char *path, bool make_dir, struct store **out, char *err,
                                  size_t errlen);
enum store_err store__pg_open(const char *url, struct store **out, char *err, size_t errlen);

/* Writes the detail of the last failure (printf-style) into s->err and returns e. */
enum store_err store__fail(struct store *s, enum store_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The newest version in a migration array (0 when empty). */
int store__latest(const struct store_migration *m, size_t n);

/* Copies the n bytes at src and a NUL into dst[size]; -1 (dst "") when they do not fit. */
int store__copy(char *dst, size_t size, const char *src, size_t n);

/* Lower-case hex of a hash as produced by store_audit_hash: exactly 64 of [0-9a-f]. */
bool store__is_hash(const char *h);

#endif
