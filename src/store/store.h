/* eimza — storage: one interface, two backends (store_sqlite.c, store_pg.c).
 *
 * A `struct store` is one connection, used by one thread at a time (the server keeps one per
 * worker). Every function returns STORE_OK or an error; store_last_error() gives the detail of
 * the last failure for logs (it never contains personal data). Nothing is half-written: each
 * call is one transaction unless it says otherwise.
 *
 * URLs: "sqlite:PATH" or a bare PATH (SQLite; WAL, foreign keys, busy timeout), and
 * "postgresql://..." / "postgres://..." (libpq connection URI).
 */
#ifndef EIMZA_STORE_STORE_H
#define EIMZA_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certificate.h"
#include "core/personnel.h"

struct store;

enum store_err {
    STORE_OK = 0,
    STORE_ENOTFOUND, /* no such row */
    STORE_ECONFLICT, /* a constraint or a concurrent change refused the write (HTTP 409) */
    STORE_EINVAL,    /* bad argument or URL */
    STORE_EVERSION,  /* schema missing or older than this binary: run `eimza migrate`; or newer */
    STORE_EIO,       /* the database failed (HTTP 500) */
    STORE_ENOMEM,
};
const char *store_strerror(enum store_err e);

/* Opens a connection. On failure *out is NULL and err (if given) says why, without secrets
 * (a password in the URL is never echoed). */
enum store_err store_open(const char *url, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
const char *store_backend(const struct store *s); /* "sqlite" or "postgresql" */
const char *store_last_error(const struct store *s);
enum store_err store_ping(struct store *s);

/* Brings the schema to the newest version this binary knows, one transaction per migration.
 * *from / *to (may be NULL) get the versions before and after. A database newer than the
 * binary is STORE_EVERSION. Safe to run concurrently from several processes. */
enum store_err store_migrate(struct store *s, int *from, int *to);
/* The current schema version (0 for an empty database) and the newest this binary knows. */
enum store_err store_schema_version(struct store *s, int *current, int *latest);

/* ---- personnel ----------------------------------------------------------------------------
 * A bulk import is one transaction: begin, any number of rows, then commit (or abort). Rows
 * are upserted by tckn: a re-import updates changed records. Rows are already validated
 * (core_personnel_set). During an import the connection is used for nothing else. */
struct store_import_stats {
    long inserted; /* new tckn */
    long updated;  /* existing tckn whose data changed */
    long unchanged;
};
enum store_err store_personnel_import_begin(struct store *s);
enum store_err store_personnel_import_row(struct store *s, const struct core_personnel *p);
enum store_err store_personnel_import_commit(struct store *s, struct store_import_stats *st);
void store_personnel_import_abort(struct store *s);

enum store_err store_personnel_get(struct store *s, const char *tckn, struct core_personnel *out);
enum store_err store_personnel_count(struct store *s, long *n);

/* ---- certificates -------------------------------------------------------------------------
 * Certificates are keyed by fingerprint: putting the same one twice changes nothing
 * (*inserted false). der is kept so evidence can be re-verified later. */
enum store_err store_certificate_put(struct store *s, const struct core_certificate *c,
                                     const unsigned char *der, size_t derlen, bool *inserted);
/* Marks the certificate (issuer DN, serial hex) revoked at revoked_at unless it already is;
 * *changed tells whether a row changed. STORE_ENOTFOUND when no such certificate is known. */
enum store_err store_certificate_revoke(struct store *s, const char *issuer, const char *serial,
                                        int64_t revoked_at, bool *changed);
/* The holder's current certificate: the one issued last (greatest not_before, then
 * not_after), revoked or not. STORE_ENOTFOUND when the holder has none. */
enum store_err store_certificate_current(struct store *s, const char *tckn,
                                         struct core_certificate *out);
enum store_err store_certificate_count(struct store *s, long *n);

/* ---- audit log ----------------------------------------------------------------------------
 * Append-only; each entry's hash covers its fields and the previous entry's hash (SHA-256,
 * hex), so a changed, removed or reordered entry breaks the chain. No personal data in full:
 * callers mask T.C. Kimlik No etc. before. */
struct store_audit_entry {
    int64_t at;         /* Unix seconds, UTC */
    const char *actor;  /* "cli", "applicant:100******46", "staff:ayse" ... */
    const char *action; /* "personnel.import", "application.submit" ... */
    const char *object; /* what it concerns, e.g. a file name or an application number */
    const char *detail; /* JSON text with the rest (counts, reasons) */
};
enum store_err store_audit_append(struct store *s, const struct store_audit_entry *e);

#endif
