/* eimza — the store's part of operations (issue 18; store.h, "operations"): the figures the
 * server's /metrics shows of the whole database. Each is one catalogue statement. */
#include "store/store_int.h"

enum store_err store_outbox_depth(struct store *s, int64_t now,
                                  int (*fn)(void *ctx, const char *channel, const char *status,
                                            long count),
                                  void *ctx)
{
    STORE__ENTRY(s, !fn, "outbox_depth: no callback");
    store__query(s, STORE__Q_OPS_OUTBOX, STORE__A(store__vi(now)));
    while (store__next(s) > 0) {
        const char *ch = store__col_str(s, 0), *st = store__col_str(s, 1);
        if (fn(ctx, ch ? ch : "", st ? st : "", (long)store__col_int(s, 2)) != 0)
            break;
    }
    return store__finish(s, NULL);
}

enum store_err store_app_waiting(struct store *s,
                                 int (*fn)(void *ctx, int province, const char *state, long count,
                                           int64_t oldest),
                                 void *ctx)
{
    STORE__ENTRY(s, !fn, "app_waiting: no callback");
    store__query(s, STORE__Q_OPS_WAITING, NULL, 0);
    while (store__next(s) > 0) {
        const char *st = store__col_str(s, 1);
        if (fn(ctx, (int)store__col_int(s, 0), st ? st : "", (long)store__col_int(s, 2),
               store__col_int(s, 3)) != 0)
            break;
    }
    return store__finish(s, NULL);
}
