/* eimza — the personnel import on the admins' page (see admin.h, "the personnel import"; issue
 * 17): the bytes the page received go into an anonymous in-memory file (memfd_create: the file
 * holds personal data, so it never touches a disk), which app_import_personnel reads by its
 * /proc/self/fd path exactly as it reads a file of the command line.
 */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app/import_personnel.h"
#include "app/text.h"
#include "util/log.h"

struct rejects {
    void (*fn)(void *ctx, long line, const char *field, const char *code);
    void *ctx;
};

static void on_reject(void *ctx, long line, const char *field, const char *code, const char *detail)
{
    (void)detail;
    const struct rejects *r = ctx;
    if (r->fn)
        r->fn(r->ctx, line, field, code);
}

/* The name the audit entry gives the file: its own letters, digits, dots, dashes and
 * underscores, at most 100 (a browser's file name is the person's words). */
static void clean_name(const char *name, char out[104])
{
    size_t n = 0;
    for (const char *p = name ? name : ""; *p && n < 100; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_')
            out[n++] = *p;
    if (n == 0)
        n = (size_t)snprintf(out, 104, "upload");
    out[n] = '\0';
}

enum app_status app_admin_import_personnel(
    const struct app_ctx *c, const char *data, size_t len, const char *name,
    void (*reject)(void *ctx, long line, const char *field, const char *code), void *ctx,
    struct app_import_summary *out, struct app_err *err)
{
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX], object[104], path[64];
    struct app_import_result res;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    if (!data || len == 0)
        app_err_field(err, "file", "file_empty");
    else if (len > APP_IMPORT_WEB_MAX)
        app_err_field(err, "file", "file_too_large");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");

    int fd = memfd_create("eimza-import", MFD_CLOEXEC);
    if (fd < 0) {
        ulog(ULOG_ERROR, "admin.import", "memfd_create: %s", strerror(errno));
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ulog(ULOG_ERROR, "admin.import", "writing the memfd: %s", strerror(errno));
            close(fd);
            return app__fail(err, APP_EINTERNAL, NULL);
        }
        done += (size_t)w;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    app__staff_actor(who, actor);
    clean_name(name, object);
    struct rejects r = {reject, ctx};
    const struct app_import_hooks hooks = {
        .ctx = &r, .reject = on_reject, .actor = actor, .object = object};
    enum app_import_err ie = app_import_personnel(c->db, path, c->now, &hooks, &res);
    close(fd);
    out->rows = res.rows;
    out->rejected = res.rejected;
    out->inserted = res.st.inserted;
    out->updated = res.st.updated;
    out->unchanged = res.st.unchanged;
    switch (ie) {
    case APP_IMPORT_OK:
    case APP_IMPORT_PARTIAL:
        ulog(ULOG_INFO, "admin.import", "staff=%s rows=%ld rejected=%ld", who->username, res.rows,
             res.rejected);
        return APP_OK;
    case APP_IMPORT_EFILE:
        out->failed = true;
        out->code = res.code ? res.code : (res.empty ? "file_empty" : "file_unreadable");
        return APP_OK;
    case APP_IMPORT_ENOMEM:
        return app__fail(err, APP_EINTERNAL, NULL);
    default:
        ulog(ULOG_ERROR, "admin.import", "%s", res.detail);
        return app__fail(err, APP_EUNAVAILABLE, NULL);
    }
}

/* One line of a report: "LINE;COLUMN;CODE", the line 1..999999999, the column and the code of
 * letters, digits and underscores (the column may be empty: the whole row). */
static bool report_line(const char *s, size_t n, char line[12], char column[48], char code[48])
{
    const char *a = memchr(s, ';', n), *b = a ? memchr(a + 1, ';', n - (size_t)(a + 1 - s)) : NULL;
    if (!a || !b)
        return false;
    size_t nl = (size_t)(a - s), nc = (size_t)(b - a - 1), nk = n - (size_t)(b + 1 - s);
    if (nl < 1 || nl > 9 || nc >= 48 || nk < 1 || nk >= 48)
        return false;
    for (size_t i = 0; i < nl; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    for (const char *p = a + 1; p < s + n; p++)
        if (p != b && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    memcpy(line, s, nl);
    line[nl] = '\0';
    memcpy(column, a + 1, nc);
    column[nc] = '\0';
    memcpy(code, b + 1, nk);
    code[nk] = '\0';
    return true;
}

int app_import_report_csv(const char *report, enum core_lang lang, struct ubuf *out)
{
    static const char *const head[] = {"report_line", "report_column", "report_code",
                                       "report_reason"};
    if (ubuf_puts(out, "\xEF\xBB\xBF") < 0 || app__csv_head(out, head, 4, lang) < 0)
        return -1;
    for (const char *p = report ? report : ""; *p;) {
        size_t n = strcspn(p, "\r\n");
        char line[12], column[48], code[48];
        if (report_line(p, n, line, column, code)) {
            const char *cells[] = {line, column, code, app_import_reason_text(code, lang)};
            if (app__csv_row(out, cells, 4) < 0)
                return -1;
        }
        p += n;
        p += strspn(p, "\r\n");
    }
    return 0;
}
