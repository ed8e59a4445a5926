/* eimza — database connections for the layers above app (see db.h). */
#include "app/db.h"

#include "store/store.h"

int app_db_open(const char *url, struct store **out, char *err, size_t errlen)
{
    return store_open(url, out, err, errlen) == STORE_OK ? 0 : -1;
}

void app_db_close(struct store *s)
{
    if (s)
        store_close(s);
}

bool app_db_ping(struct store *s)
{
    return store_ping(s) == STORE_OK;
}

const char *app_db_error(struct store *s)
{
    return store_last_error(s);
}

const char *app_db_backend(struct store *s)
{
    return store_backend(s);
}

void app_db_counters(const struct store *s, long *statements, long *round_trips)
{
    struct store_counters c;
    store_counters(s, &c);
    *statements = c.statements;
    *round_trips = c.round_trips;
}

long app_db_damaged(const struct store *s)
{
    struct store_counters c;
    store_counters(s, &c);
    return c.damaged;
}

int app_db_url_check(const char *url, char *err, size_t errlen)
{
    return store_url_check(url, err, errlen) == STORE_OK ? 0 : -1;
}
