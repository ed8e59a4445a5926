/* eimza — the pool of database connections. See dbpool.h. A mutex guards a small array;
 * connections are opened outside the lock, so a slow database never blocks the other
 * threads' returns. */
#include "web/http/dbpool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/db.h"
#include "util/log.h"
#include "web/html/escape.h"

struct web_dbpool {
    pthread_mutex_t mu;
    char *url;
    struct store **idle; /* keep slots */
    size_t nidle, keep;
    size_t open;  /* idle + borrowed */
    unsigned gen; /* drains so far: a connection borrowed before the last one is closed */
};

struct web_dbpool *web_dbpool_new(const char *url, struct store *first, size_t keep)
{
    struct web_dbpool *p = calloc(1, sizeof *p);
    if (keep == 0)
        keep = 1;
    if (!p)
        goto fail;
    p->url = strdup(url);
    p->idle = calloc(keep, sizeof *p->idle);
    if (!p->url || !p->idle || pthread_mutex_init(&p->mu, NULL) != 0)
        goto fail;
    p->keep = keep;
    if (first) {
        p->idle[p->nidle++] = first;
        p->open = 1;
    }
    return p;
fail:
    if (p) {
        free(p->url);
        free(p->idle);
        free(p);
    }
    if (first)
        app_db_close(first);
    return NULL;
}

struct store *web_dbpool_get(struct web_dbpool *p, unsigned *gen)
{
    struct store *s = NULL;
    char err[512], logerr[600];

    pthread_mutex_lock(&p->mu);
    if (p->nidle > 0)
        s = p->idle[--p->nidle];
    *gen = p->gen; /* a connection opened below is of this generation or a later one */
    pthread_mutex_unlock(&p->mu);
    if (s)
        return s;

    if (app_db_open(p->url, &s, err, sizeof err) < 0) {
        web_log_text(logerr, sizeof logerr, err);
        ulog(ULOG_WARN, "db.connect_failed", "detail=\"%s\"", logerr);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    p->open++;
    pthread_mutex_unlock(&p->mu);
    return s;
}

void web_dbpool_put(struct web_dbpool *p, struct store *s, unsigned gen, bool failed)
{
    if (!s)
        return;
    pthread_mutex_lock(&p->mu);
    if (!failed && gen == p->gen && p->nidle < p->keep) {
        p->idle[p->nidle++] = s;
        s = NULL;
    } else {
        p->open--;
    }
    pthread_mutex_unlock(&p->mu);
    if (s) /* NULL when it went back to the pool */
        app_db_close(s);
}

void web_dbpool_drain(struct web_dbpool *p)
{
    pthread_mutex_lock(&p->mu);
    p->gen++;
    size_t n = p->nidle; /* those idle now; closed one at a time outside the lock */
    pthread_mutex_unlock(&p->mu);
    for (; n > 0; n--) {
        struct store *s = NULL;
        pthread_mutex_lock(&p->mu);
        if (p->nidle > 0) {
            s = p->idle[--p->nidle];
            p->open--;
        }
        pthread_mutex_unlock(&p->mu);
        if (!s)
            break;
        app_db_close(s);
    }
}

size_t web_dbpool_open_count(struct web_dbpool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->open;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void web_dbpool_free(struct web_dbpool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++)
        app_db_close(p->idle[i]);
    pthread_mutex_destroy(&p->mu);
    free(p->url);
    free(p->idle);
    free(p);
}
