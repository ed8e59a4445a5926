/* eimza — how many password hashes run at once (see context.h, struct app_hash_gate).
 *
 * An Argon2id verification holds a worker thread for about a tenth of a second and 64 MiB; the
 * server has one worker per CPU. Without a bound, a handful of clients posting staff logins
 * keep every worker hashing and every other request waits behind them (issue 19, finding 1:
 * 1 ms became 1.1 s). The gate lets at most `slots` hashes run; a login that finds no slot free
 * is answered at once (503 login_busy, Retry-After 1) instead of queueing, so the workers left
 * serve everyone else. A counter, not a lock: entering never waits.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "app/context.h"

struct app_hash_gate {
    atomic_int busy;
    int slots;
};

struct app_hash_gate *app_hash_gate_new(int slots)
{
    struct app_hash_gate *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    atomic_init(&g->busy, 0);
    g->slots = slots < 1 ? 1 : slots;
    return g;
}

void app_hash_gate_free(struct app_hash_gate *g)
{
    free(g);
}

bool app_hash_gate_enter(struct app_hash_gate *g)
{
    if (!g)
        return true;
    if (atomic_fetch_add_explicit(&g->busy, 1, memory_order_acquire) < g->slots)
        return true;
    atomic_fetch_sub_explicit(&g->busy, 1, memory_order_release);
    return false;
}

void app_hash_gate_leave(struct app_hash_gate *g)
{
    if (g)
        atomic_fetch_sub_explicit(&g->busy, 1, memory_order_release);
}

int app_hash_gate_slots(const struct app_hash_gate *g)
{
    return g ? g->slots : 0;
}
