/* eimza — a schema migration embedded from src/store/migrations/<backend>/ (internal to store/).
 * Each backend applies its array in order inside one transaction per migration and records
 * the version in schema_migrations; a database newer than the binary is refused. */
#ifndef EIMZA_STORE_MIGRATION_H
#define EIMZA_STORE_MIGRATION_H

#include <stddef.h>

struct store_migration {
    int version;      /* the schema version after this migration */
    const char *name; /* file name without .sql, e.g. "0001_init" */
    const char *sql;  /* one or more statements */
};

extern const struct store_migration store_migrations_sqlite[];
extern const size_t store_migrations_sqlite_count;
extern const struct store_migration store_migrations_pg[];
extern const size_t store_migrations_pg_count;

#endif
