/* eimza — the status answer's cache (see statuscache.h). A direct-mapped table: the slot is
 * chosen by the session's token hash (uniformly random), each slot has its own lock, and a
 * newer answer simply replaces whatever shares its slot. Every check that makes an answer
 * good is made on each hit: time to live, the session's and the application's change
 * generations, and the session's own validity (the portal's clock, so tests that move it see
 * sessions end). */
#include "web/api/statuscache.h"

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

static struct slot slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ttl_ms;

static void init(void)
{
    for (size_t i = 0; i < SLOTS; i++)
        pthread_mutex_init(&slots[i].lock, NULL);
}

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct slot *slot_of(const char *token_hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = token_hash[i];
        v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10 : c - '0');
    }
    return &slots[v & (SLOTS - 1)];
}

void web_status_cache_clear(void)
{
    pthread_once(&once, init);
    for (size_t i = 0; i < SLOTS; i++) {
        pthread_mutex_lock(&slots[i].lock);
        free(slots[i].body);
        slots[i].body = NULL;
        slots[i].key[0] = '\0';
        slots[i].len = slots[i].cap = 0;
        pthread_mutex_unlock(&slots[i].lock);
    }
}

void web_status_cache_configure(int ms)
{
    web_status_cache_clear();
    ttl_ms = ms > 0 ? ms : 0;
}

static bool hash_ok(const char *h)
{
    return h && strlen(h) == STORE_HASH_HEX && strspn(h, "0123456789abcdef") == STORE_HASH_HEX;
}

bool web_status_cache_get(const char *token_hash, enum core_lang lang, int64_t now,
                          struct ubuf *out)
{
    if (ttl_ms <= 0 || !hash_ok(token_hash))
        return false;
    pthread_once(&once, init);
    struct slot *sl = slot_of(token_hash);
    bool hit = false;
    pthread_mutex_lock(&sl->lock);
    if (sl->body && sl->lang == lang && strcmp(sl->key, token_hash) == 0 && now < sl->quiet_until &&
        mono_ms() - sl->stored_ms < ttl_ms && store_gen_session(token_hash) == sl->gen_session &&
        store_gen_app(sl->app_id) == sl->gen_app)
        hit = ubuf_put(out, sl->body, sl->len) == 0;
    pthread_mutex_unlock(&sl->lock);
    return hit;
}

void web_status_cache_put(const struct app_status_view *v, const char *body, size_t len)
{
    if (ttl_ms <= 0 || !hash_ok(v->token_hash) || len > BODY_MAX)
        return;
    pthread_once(&once, init);
    /* Anything written to a session or an application since the view was read may be missing
     * from it: then it is not kept. */
    uint64_t gen_app = store_gen_app(v->app.id); /* before the check: see store.h */
    if (store_gen_session(v->token_hash) != v->gen_session || store_gen_apps() != v->gen_apps)
        return;
    struct slot *sl = slot_of(v->token_hash);
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
    memcpy(sl->key, v->token_hash, sizeof sl->key);
    sl->lang = v->lang;
    sl->app_id = v->app.id;
    sl->gen_session = v->gen_session;
    sl->gen_app = gen_app;
    sl->quiet_until = v->quiet_until;
    sl->stored_ms = mono_ms();
out:
    pthread_mutex_unlock(&sl->lock);
}
