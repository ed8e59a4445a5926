/* eimza — change generations (see store.h, "change generations"): process-wide counters that
 * every write through this process's store moves on, so that in-process caches can tell when
 * what they hold may have changed. Counters are striped by a hash of the key (sessions by the
 * token hash, applications by id): a write to one key also invalidates the few keys sharing
 * its stripe, which costs a cache miss, never a stale answer. */
#include <stdatomic.h>
#include <string.h>

#include "store/store_int.h"

#define GEN_STRIPES 4096 /* a power of two */

static _Atomic uint64_t gen_sessions[GEN_STRIPES];
static _Atomic uint64_t gen_apps[GEN_STRIPES];
static _Atomic uint64_t gen_apps_total; /* moved by every application write */

static size_t session_stripe(const char *token_hash)
{
    /* FNV-1a over the first 16 hex digits: the hash is uniformly random already */
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < 16 && token_hash[i]; i++)
        h = (h ^ (unsigned char)token_hash[i]) * 1099511628211u;
    return (size_t)(h & (GEN_STRIPES - 1));
}

static size_t app_stripe(int64_t id)
{
    return (size_t)((uint64_t)id & (GEN_STRIPES - 1));
}

uint64_t store_gen_session(const char *token_hash)
{
    return token_hash ? atomic_load(&gen_sessions[session_stripe(token_hash)]) : 0;
}

uint64_t store_gen_app(int64_t id)
{
    return atomic_load(&gen_apps[app_stripe(id)]);
}

uint64_t store_gen_apps(void)
{
    return atomic_load(&gen_apps_total);
}

static void bump_session(const char *token_hash)
{
    atomic_fetch_add(&gen_sessions[session_stripe(token_hash)], 1);
}

static void bump_app(int64_t id)
{
    atomic_fetch_add(&gen_apps[app_stripe(id)], 1);
    atomic_fetch_add(&gen_apps_total, 1);
}

/* Inside a transaction the change becomes visible only at its end: the key is bumped now (a
 * reader that started before it then cannot cache) and remembered, to be bumped again when
 * the transaction ends (a reader that read the old rows meanwhile cannot keep them). */
void store__gen_session(struct store *s, const char *token_hash)
{
    bump_session(token_hash);
    if (!s->in_tx)
        return;
    if (s->gen_nsess < STORE__GEN_DIRTY)
        memcpy(s->gen_sess[s->gen_nsess++], token_hash, STORE_HASH_HEX + 1);
    else
        s->gen_overflow = true;
}

void store__gen_app(struct store *s, int64_t id)
{
    bump_app(id);
    if (!s->in_tx)
        return;
    if (s->gen_napp < STORE__GEN_DIRTY)
        s->gen_app[s->gen_napp++] = id;
    else
        s->gen_overflow = true;
}

static void bump_all(void)
{
    for (size_t i = 0; i < GEN_STRIPES; i++) {
        atomic_fetch_add(&gen_sessions[i], 1);
        atomic_fetch_add(&gen_apps[i], 1);
    }
    atomic_fetch_add(&gen_apps_total, 1);
}

void store__gen_all(struct store *s)
{
    (void)s;
    bump_all();
}

void store__gen_settle(struct store *s)
{
    for (int i = 0; i < s->gen_nsess; i++)
        bump_session(s->gen_sess[i]);
    for (int i = 0; i < s->gen_napp; i++)
        bump_app(s->gen_app[i]);
    if (s->gen_overflow)
        bump_all(); /* more keys than remembered: move every stripe on */
    s->gen_nsess = s->gen_napp = 0;
    s->gen_overflow = false;
}
