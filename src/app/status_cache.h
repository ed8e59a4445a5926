/* eimza — the status answers kept for a moment (app/): `GET /api/v1/application/status` is what
 * people and scripts reload while they wait, and its answer changes only when the application
 * or the session does. An answer is kept per session and language for a short time to live and
 * given again while nothing this process wrote could have changed it (the store's change
 * generations, store/store.h) and the session needs no write. Changes made by another process
 * show at most the time to live later, which is why `eimza serve` makes no cache on PostgreSQL,
 * the database several servers share (cli/cmd_serve.c). Thread-safe.
 *
 * The use case app_status_answer (app/portal.h) is the one that keeps and gives answers; the
 * cache itself is made at start-up and hung on the server's settings (app_settings).
 */
#ifndef EIMZA_APP_STATUS_CACHE_H
#define EIMZA_APP_STATUS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reason.h"
#include "util/buf.h"

struct app_status_cache;

/* A cache whose answers live ttl_ms milliseconds; NULL when ttl_ms <= 0 (no cache) or memory
 * runs out. */
struct app_status_cache *app_status_cache_new(int ttl_ms);
void app_status_cache_free(struct app_status_cache *c);

/* What an answer was read under: the change generations of the session and of the
 * applications taken before reading, and the time until which the session stays valid
 * without a write (the portal's clock). */
struct app_status_stamp {
    uint64_t gen_session, gen_apps;
    int64_t quiet_until;
};
/* The generations now, for the session of token_hash (quiet_until left 0). */
struct app_status_stamp app_status_cache_stamp(const char *token_hash);

/* Appends the kept answer for the session of token_hash in lang to out and returns true, when
 * there is one that is still good at `now` (the portal's clock, for the session's validity);
 * false otherwise (out unchanged). */
bool app_status_cache_get(struct app_status_cache *c, const char *token_hash, enum core_lang lang,
                          int64_t now, struct ubuf *out);
/* Keeps body as the answer for the session of token_hash in lang, about application app_id,
 * read under stamp; unless something changed since (then nothing is kept). */
void app_status_cache_put(struct app_status_cache *c, const char *token_hash, enum core_lang lang,
                          int64_t app_id, const struct app_status_stamp *stamp, const char *body,
                          size_t len);

#endif
