/* eimza — database connections for the layers above app (app/): the server's pool
 * (web/http/dbpool.c) opens and closes them and /healthz pings one, through these doors to the
 * store (store/store.h), whose types the layers above never see. A connection is one thread's
 * at a time.
 */
#ifndef EIMZA_APP_DB_H
#define EIMZA_APP_DB_H

#include <stdbool.h>
#include <stddef.h>

struct store;

/* Opens a connection to url ("sqlite:FILE", "postgresql://..."). Returns 0, or -1 with the
 * reason in err (never a password). */
int app_db_open(const char *url, struct store **out, char *err, size_t errlen);
/* Closes a connection (NULL is fine). */
void app_db_close(struct store *s);
/* True when the database can really be read (store_ping: on SQLite the file is checked too,
 * store/store.h), at a constant cost: for /healthz. */
bool app_db_ping(struct store *s);
/* The last error of the connection, for a log line (no secrets). */
const char *app_db_error(struct store *s);
/* "sqlite" | "postgresql". */
const char *app_db_backend(struct store *s);
/* What the connection has run so far (store.h, struct store_counters): statements, and round
 * trips to the database server (none on SQLite). For /metrics' per-route figures. */
void app_db_counters(const struct store *s, long *statements, long *round_trips);
/* How many of the connection's statements failed because the database itself is damaged (a
 * corrupt SQLite file, a corrupt PostgreSQL table or index): 0 for a healthy one. */
long app_db_damaged(const struct store *s);
/* Whether url is a database URL eimza can open (sqlite:PATH, postgresql://...), without
 * opening it: 0, or -1 with the reason in err (never a password). For `eimza serve --check`. */
int app_db_url_check(const char *url, char *err, size_t errlen);

#endif
