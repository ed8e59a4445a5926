/* eimza — the status answers kept for a moment (app/; see status_cache.h). A direct-mapped table:
 * the slot is chosen by the session's token hash (uniformly random), each slot has its own lock,
 * and a newer answer simply replaces whatever shares its slot. Every check that makes an answer
 * good is made on each hit: time to live, the session's and the application's change
 * generations, and the session's own validity (the portal's clock, so tests that move it see
 * sessions end). */
#include "app/status_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define SLOTS    1024 /* a power of two */
#define BODY_MAX 16384

struct slot {
    pthread_mutex_t lock;
    char key[STORE_HASH_HEX + 1]; /* "" when empty */
    enum core_lang lang;
    int64_t app_id;
    uint64_t gen_session, gen_app;
    int64_t quiet_until; /* portal clock, seconds */
    int64_t stored_ms;   /* monotonic */
    char *body;
    size_t len, cap;
};

struct app_status_cache {
    int ttl_ms;
    struct slot slots[SLOTS];
};

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct slot *slot_of(struct app_status_cache *c, const char *token_hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = token_hash[i];
        v = v * 16 + (unsigned)(ch >= 'a' ? ch - 'a' + 10 : ch - '0');
    }
    return &c->slots[v & (SLOTS - 1)];
}

struct app_status_cache *app_status_cache_new(int ttl_ms)
{
    if (ttl_ms <= 0)
        return NULL;
    struct app_status_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ttl_ms = ttl_ms;
    for (size_t i = 0; i < SLOTS; i++)
        pthread_mutex_init(&c->slots[i].lock, NULL);
    return c;
}

void app_status_cache_free(struct app_status_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++) {
        free(c->slots[i].body);
        pthread_mutex_destroy(&c->slots[i].lock);
    }
    free(c);
}

static bool hash_ok(const char *h)
{
    return h && strlen(h) == STORE_HASH_HEX && strspn(h, "0123456789abcdef") == STORE_HASH_HEX;
}

struct app_status_stamp app_status_cache_stamp(const char *token_hash)
{
    return (struct app_status_stamp){store_gen_session(token_hash), store_gen_apps(), 0};
}

bool app_status_cache_get(struct app_status_cache *c, const char *token_hash, enum core_lang lang,
                          int64_t now, struct ubuf *out)
{
    if (!c || !hash_ok(token_hash))
        return false;
    struct slot *sl = slot_of(c, token_hash);
    bool hit = false;
    pthread_mutex_lock(&sl->lock);
    if (sl->body && sl->lang == lang && strcmp(sl->key, token_hash) == 0 && now < sl->quiet_until &&
        mono_ms() - sl->stored_ms < c->ttl_ms && store_gen_session(token_hash) == sl->gen_session &&
        store_gen_app(sl->app_id) == sl->gen_app)
        hit = ubuf_put(out, sl->body, sl->len) == 0;
    pthread_mutex_unlock(&sl->lock);
    return hit;
}

void app_status_cache_put(struct app_status_cache *c, const char *token_hash, enum core_lang lang,
                          int64_t app_id, const struct app_status_stamp *stamp, const char *body,
                          size_t len)
{
    if (!c || !hash_ok(token_hash) || len > BODY_MAX)
        return;
    /* Anything written to a session or an application since the view was read may be missing
     * from it: then it is not kept. */
    uint64_t gen_app = store_gen_app(app_id); /* before the check: see store.h */
    if (store_gen_session(token_hash) != stamp->gen_session || store_gen_apps() != stamp->gen_apps)
        return;
    struct slot *sl = slot_of(c, token_hash);
    pthread_mutex_lock(&sl->lock);
    if (sl->cap < len) {
        char *b = realloc(sl->body, len);
        if (!b) {
            sl->key[0] = '\0';
            goto out;
        }
        sl->body = b;
        sl->cap = len;
    }
    memcpy(sl->body, body, len);
    sl->len = len;
    memcpy(sl->key, token_hash, sizeof sl->key);
    sl->lang = lang;
    sl->app_id = app_id;
    sl->gen_session = stamp->gen_session;
    sl->gen_app = gen_app;
    sl->quiet_until = stamp->quiet_until;
    sl->stored_ms = mono_ms();
out:
    pthread_mutex_unlock(&sl->lock);
}
