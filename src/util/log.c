/* eimza — structured logging. See log.h. */
#include "util/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum ulog_level ulog_min = ULOG_INFO;
static enum ulog_format ulog_fmt = ULOG_TEXT;

void ulog_set_level(enum ulog_level min)
{
    ulog_min = min;
}

void ulog_set_format(enum ulog_format f)
{
    ulog_fmt = f;
}

/* ---- the JSON form ---------------------------------------------------------------------- */

/* A bounded writer: once full, nothing more goes in (the caller closes the object within the
 * room it kept back). */
struct jw {
    char *p;
    size_t len, cap;
    bool full;
};

static void jw_put(struct jw *w, const char *s, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void jw_str(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    jw_put(w, "\"", 1);
    for (size_t i = 0; i < n && !w->full; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            jw_put(w, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            jw_put(w, e, 6);
        } else {
            jw_put(w, (const char *)&c, 1);
        }
    }
    jw_put(w, "\"", 1);
}

/* A JSON number as JSON writes it: -?(0|[1-9][0-9]*)(\.[0-9]+)? */
static bool is_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n && s[i + 1] != '.'))
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n && n <= 20;
}

static bool key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

size_t ulog_json_line(char *out, size_t cap, const char *ts, const char *level, const char *event,
                      const char *rest)
{
    /* room kept back for closing the object: "}\n" (and a "msg" cut short) */
    struct jw w = {out, 0, cap - 3, false};
    char msg[1024];
    size_t nmsg = 0;
    jw_put(&w, "{\"ts\":", 6);
    jw_str(&w, ts, strlen(ts));
    jw_put(&w, ",\"level\":", 9);
    jw_str(&w, level, strlen(level));
    jw_put(&w, ",\"event\":", 9);
    jw_str(&w, event, strlen(event));
    for (const char *p = rest ? rest : ""; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t k = 0;
        while (key_char(p[k]))
            k++;
        if (k > 0 && p[k] == '=') {
            const char *key = p, *v = p + k + 1, *end;
            size_t vn;
            bool quoted = *v == '"';
            if (quoted) { /* up to the closing quote; \" and \\ do not close it */
                end = ++v;
                while (*end && *end != '"')
                    end += (end[0] == '\\' && end[1]) ? 2 : 1;
                vn = (size_t)(end - v);
                p = *end ? end + 1 : end;
            } else {
                vn = strcspn(v, " ");
                p = v + vn;
            }
            size_t mark = w.len;
            jw_put(&w, ",", 1);
            jw_str(&w, key, k);
            jw_put(&w, ":", 1);
            if (!quoted && is_number(v, vn))
                jw_put(&w, v, vn);
            else
                jw_str(&w, v, vn);
            if (w.full) {
                w.len = mark;
                break;
            }
            continue;
        }
        /* a word that is not key=value: part of the message */
        size_t n = strcspn(p, " ");
        if (nmsg && nmsg < sizeof msg - 1)
            msg[nmsg++] = ' ';
        size_t take = n < sizeof msg - 1 - nmsg ? n : sizeof msg - 1 - nmsg;
        memcpy(msg + nmsg, p, take);
        nmsg += take;
        p += n;
    }
    if (nmsg) {
        size_t mark = w.len;
        jw_put(&w, ",\"msg\":", 7);
        jw_str(&w, msg, nmsg);
        if (w.full)
            w.len = mark;
    }
    w.cap += 3;
    w.full = false;
    jw_put(&w, "}\n", 2);
    return w.len;
}

/* ---- writing a line ------------------------------------------------------------------------ */

void ulog(enum ulog_level lvl, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (lvl < ulog_min)
        return;
    char line[2048], ts[64], rest[1900];
    struct timespec t;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &t);
    gmtime_r(&t.tv_sec, &tm);
    snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, t.tv_nsec / 1000000);
    rest[0] = '\0';
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(rest, sizeof rest, fmt, ap);
        va_end(ap);
    }
    size_t n;
    if (ulog_fmt == ULOG_JSON) {
        n = ulog_json_line(line, sizeof line, ts, names[lvl], event, rest);
    } else {
        int m = snprintf(line, sizeof line, "ts=%s level=%s event=%s%s%s", ts, names[lvl], event,
                         rest[0] ? " " : "", rest);
        if (m < 0)
            return;
        n = (size_t)m >= sizeof line - 1 ? sizeof line - 2 : (size_t)m;
        line[n++] = '\n';
    }
    fwrite(line, 1, n, stderr); /* one write: lines from threads do not interleave */
}
