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
/* Like store_open, for `eimza migrate`, the command that creates a database: a SQLite
 * database whose directory is missing gets the directory made first (with its parents, mode
 * 0750: the database holds personal data). store_open itself makes no directory: a missing
 * one is an error (STORE_EIO) that names it, so a mistyped --db never quietly starts a
 * database elsewhere. It does create the database file in an existing directory, as SQLite
 * does. */
enum store_err store_open_create(const char *url, struct store **out, char *err, size_t errlen);
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
/* The counts are per row given, as if the rows were applied one after the other: a row is
 * inserted when its tckn was not stored yet, updated when it changed the stored record (for a
 * tckn repeated in the same import, the record its previous row left), unchanged otherwise;
 * the three add up to the rows given. A tckn repeated in one import: the last row wins.
 * Inserted and changed records get updated_at = the time the import began. */
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
/* Marks the certificate (issuer DN, serial hex) revoked at revoked_at (> 0) unless it already
 * is; *changed tells whether a row changed. STORE_ENOTFOUND when no such certificate is known. */
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

/* An entry as stored. seq counts 1, 2, 3 ... without gaps; the first entry's prev_hash is
 * STORE_AUDIT_GENESIS and every other's is the hash of the entry before it. actor and action
 * are required; a NULL object is stored (and hashed) as "", a NULL detail as "{}". */
#define STORE_AUDIT_HASH_LEN 64
#define STORE_AUDIT_GENESIS  "0000000000000000000000000000000000000000000000000000000000000000"
struct store_audit_record {
    int64_t seq;
    struct store_audit_entry e;
    const char *prev_hash;
    const char *hash;
};
/* Calls fn(ctx, r) for every entry with seq > after_seq, in seq order (for `eimza audit
 * verify`). fn returns 0 to go on, anything else to stop early (store_audit_each then still
 * returns STORE_OK). r and its strings live only during the call; fn must not use s. */
enum store_err store_audit_each(struct store *s, int64_t after_seq,
                                int (*fn)(void *ctx, const struct store_audit_record *r),
                                void *ctx);

/* The hash store_audit_append gives an entry: SHA-256, lower-case hex, of this serialisation
 * (version 1), where each field is written as NAME "=" LENGTH ":" BYTES "\n" with LENGTH the
 * decimal byte count of BYTES, and numbers as decimal ASCII ("-" for negatives):
 *
 *     "eimza-audit-v1\n" seq prev at actor action object detail
 *
 * e.g. "seq=1:7\n" ... "actor=3:cli\n"; a NULL string is written as "". The lengths make it
 * unambiguous whatever bytes the fields hold. Returns 0, or -1 when out of memory. */
int store_audit_hash(int64_t seq, const char *prev_hash, const struct store_audit_entry *e,
                     char out[STORE_AUDIT_HASH_LEN + 1]);

#endif
