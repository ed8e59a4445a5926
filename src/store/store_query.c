/* eimza — the query catalogue made into each database's statements (store_queries.h says how
 * the entries are written). Every entry is expanded for both dialects once per process, the
 * first time a statement is asked for; drivers prepare the text once per connection. */
#include "store/store_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static const struct {
    const char *what, *text;
} catalogue[STORE__Q_COUNT] = {
#define STORE_Q(id, w, sql) [STORE__Q_##id] = {w, sql},
#include "store/store_queries.h"
#undef STORE_Q
};

static char *made[STORE__Q_COUNT][2]; /* [q][dialect] */
static pthread_once_t made_once = PTHREAD_ONCE_INIT;

static int put_param(struct ubuf *b, enum store__dialect d, const char *sep, long n)
{
    return ubuf_printf(b, "%s%c%ld", sep, d == STORE__PG ? '$' : '?', n);
}

/* One {op T [arg]} marker of store_queries.h. */
static int marker(struct ubuf *b, const char *m, size_t len, enum store__dialect d)
{
    const char *w[3];
    size_t wl[3];
    int nw = 0;
    for (size_t i = 0; i < len && nw < 3;) {
        while (i < len && m[i] == ' ')
            i++;
        if (i == len)
            break;
        w[nw] = m + i;
        while (i < len && m[i] != ' ')
            i++;
        wl[nw] = (size_t)(m + i - w[nw]);
        nw++;
    }
    const struct store__row *r = nw >= 2 ? store__row_named(w[1], wl[1]) : NULL;
    if (!r)
        return -1;
#define IS(op) (wl[0] == sizeof op - 1 && !memcmp(w[0], op, sizeof op - 1))
    const bool numbered = IS("vals") || IS("set") || IS("same");
    const long base = numbered && nw == 3 ? strtol(w[2], NULL, 10) : 0;
    if (numbered && base < 1)
        return -1;
    int bad = 0;
    bool first = true;
    for (size_t i = 0; i < r->ncols && !bad; i++) {
        const struct store__col *c = &r->cols[i];
        const char *sep = first ? "" : ", ";
        const long n = base + (long)i;
        if ((IS("cols") || (IS("data") && !c->key)) && nw == 3)
            bad |= ubuf_printf(b, "%s%.*s.%s", sep, (int)wl[2], w[2], c->name);
        else if (IS("cols") || (IS("data") && !c->key))
            bad |= ubuf_printf(b, "%s%s", sep, c->name);
        else if (IS("vals"))
            bad |= put_param(b, d, sep, n);
        else if (IS("set") && !c->key)
            bad |= ubuf_printf(b, "%s%s = ", sep, c->name) | put_param(b, d, "", n);
        else if (IS("same") && c->key)
            bad |= ubuf_printf(b, " AND %s = ", c->name) | put_param(b, d, "", n);
        else if (IS("excl") && !c->key)
            bad |= ubuf_printf(b, "%s%s = excluded.%s", sep, c->name, c->name);
        else if (IS("differ") && !c->key)
            bad |= ubuf_printf(b, "%s%s.%s IS %s excluded.%s", first ? "" : " OR ", r->table,
                               c->name, d == STORE__PG ? "DISTINCT FROM" : "NOT", c->name);
        else if (IS("cols") || IS("data") || IS("vals") || IS("set") || IS("same") || IS("excl") ||
                 IS("differ"))
            continue;
        else
            return -1;
        first = false;
    }
#undef IS
    return bad ? -1 : 0;
}

static int expand(struct ubuf *b, const char *t, size_t len, enum store__dialect d)
{
    const char *end = t + len;
    for (const char *p = t; p < end; p++) {
        if (*p == '$' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
            if (ubuf_putc(b, d == STORE__PG ? '$' : '?') < 0)
                return -1;
            continue;
        }
        if (*p != '{') {
            if (ubuf_putc(b, *p) < 0)
                return -1;
            continue;
        }
        const char *close = memchr(p, '}', (size_t)(end - p));
        if (!close)
            return -1;
        const char *in = p + 1;
        size_t n = (size_t)(close - in);
        if (n >= 2 && in[1] == ':' && (in[0] == 'S' || in[0] == 'P')) {
            if ((in[0] == 'P') == (d == STORE__PG) && expand(b, in + 2, n - 2, d) < 0)
                return -1;
        } else if (marker(b, in, n, d) < 0) {
            return -1;
        }
        p = close;
    }
    return 0;
}

char *store__expand(const char *text, enum store__dialect d)
{
    struct ubuf b = UBUF_INIT(1 << 20);
    if (expand(&b, text, strlen(text), d) < 0) {
        ubuf_free(&b);
        return NULL;
    }
    return ubuf_steal(&b);
}

static void make_all(void)
{
    for (int q = 0; q < STORE__Q_COUNT; q++)
        for (int d = 0; d < 2; d++)
            made[q][d] = store__expand(catalogue[q].text, (enum store__dialect)d);
}

const char *store__sql(enum store__q q, enum store__dialect d)
{
    pthread_once(&made_once, make_all);
    return made[q][d];
}

const char *store__what(enum store__q q)
{
    return catalogue[q].what;
}
