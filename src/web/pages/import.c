/* eimza — the personnel import for admins (web/pages/; issue 17, point 15): /yonetim/aktarim.
 *
 * Without script the file's content is pasted into a text area and posted as a form. With
 * static/js/import.js a file is chosen and sent as it is (POST text/csv, the session's CSRF
 * token in X-CSRF-Token, its name in X-File-Name), with a progress bar of the upload, and the
 * answer replaces the page. Either way the answer is the result: how many rows were read,
 * added, updated, unchanged and refused, and each refused row's line, column and reason in
 * words, with the list to download as CSV (POST /yonetim/aktarim/rapor echoes the lines the
 * page listed, "LINE;COLUMN;CODE": no value of a row, no personal data, is kept or sent back).
 * Files larger than APP_IMPORT_WEB_MAX go through `eimza import personnel`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/text.h"
#include "web/pages/pages.h"

#define REJECTS_KEPT  5000 /* refused fields listed in the report */
#define REJECTS_SHOWN 200  /* of them, on the page */

struct reject {
    long line;
    char field[48];
    char code[48];
};

struct rejects {
    struct reject *v;
    size_t n;
    long more; /* beyond REJECTS_KEPT */
};

/* Called by the import's reader thread, one call at a time. */
static void on_reject(void *ctx, long line, const char *field, const char *code)
{
    struct rejects *r = ctx;
    if (r->n == REJECTS_KEPT) {
        r->more++;
        return;
    }
    struct reject *x = &r->v[r->n++];
    x->line = line;
    snprintf(x->field, sizeof x->field, "%s", field ? field : "");
    snprintf(x->code, sizeof x->code, "%s", code ? code : "");
}

/* The form: the file (shown by import.js), or its content pasted; the progress of an upload. */
static void import_form(struct web_pg *c, struct web_page *p, const char *error)
{
    const struct web_field text = {WEB_FIELD_TEXTAREA,       "csv",          WEB_MSG_SP_IMP_TEXT,
                                   WEB_MSG_SP_IMP_TEXT_HINT, .error = error, .autocomplete = "off"};
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "post");
    web_page_attr(p, "action", "/yonetim/aktarim");
    web_page_attr(p, "class", "import-form");
    web_page_attr(p, "data-import-form", "");
    web_page_flag(p, "novalidate");
    web_page_csrf(p, web_pg_csrf(c));
    /* the file: only with script (a form cannot send a file's bytes without multipart) */
    web_page_open_class(p, WEB_EL_DIV, "field import-file");
    web_page_flag(p, "hidden");
    web_page_attr(p, "data-import-file", "");
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", "file");
    web_page_msg(p, WEB_MSG_SP_IMP_FILE);
    web_page_close(p, WEB_EL_LABEL);
    web_page_open_class(p, WEB_EL_P, "hint");
    web_page_attr(p, "id", "file-hint");
    web_page_msg(p, WEB_MSG_SP_IMP_FILE_HINT);
    web_page_close(p, WEB_EL_P);
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "file");
    web_page_attr(p, "id", "file");
    web_page_attr(p, "name", "file");
    web_page_attr(p, "accept", ".csv,text/csv");
    web_page_attr(p, "aria-describedby", "file-hint");
    web_page_close(p, WEB_EL_DIV);
    web_page_open_class(p, WEB_EL_DIV, "import-text");
    web_page_attr(p, "data-import-text", "");
    web_page_field(p, &text);
    web_page_close(p, WEB_EL_DIV);
    /* the upload's progress (import.js) */
    web_page_open_class(p, WEB_EL_DIV, "import-progress");
    web_page_flag(p, "hidden");
    web_page_attr(p, "data-import-progress", "");
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", "import-progress");
    web_page_msg(p, WEB_MSG_SP_IMP_PROGRESS);
    web_page_close(p, WEB_EL_LABEL);
    web_page_open(p, WEB_EL_PROGRESS);
    web_page_attr(p, "id", "import-progress");
    web_page_attr(p, "max", "100");
    web_page_attr(p, "value", "0");
    web_page_close(p, WEB_EL_PROGRESS);
    web_page_open_class(p, WEB_EL_P, "import-progress-text");
    web_page_attr(p, "aria-live", "polite");
    web_page_attr(p, "data-import-status", "");
    web_page_attr_msg(p, "data-uploading", WEB_MSG_SP_IMP_UPLOADING);
    web_page_attr_msg(p, "data-processing", WEB_MSG_SP_IMP_PROCESSING);
    web_page_attr_msg(p, "data-failed", WEB_MSG_SP_IMP_UPLOAD_FAILED);
    web_page_attr_msg(p, "data-choose", WEB_MSG_SP_IMP_CHOOSE);
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_DIV);
    web_page_form_submit(p, WEB_MSG_SP_IMP_BUTTON, WEB_BUTTON_PRIMARY);
}

static void intro(struct web_page *p)
{
    char max[16];
    snprintf(max, sizeof max, "%u", APP_IMPORT_WEB_MAX >> 20);
    const char *args[] = {max};
    web_pg_para(p, WEB_MSG_SP_IMP_LEAD);
    web_pg_para(p, WEB_MSG_SP_IMP_COLUMNS);
    web_page_open_class(p, WEB_EL_P, "import-columns");
    web_page_el_text(p, WEB_EL_CODE,
                     "tckn;ad;soyad;dogum_yeri;dogum_tarihi;kurum_kodu;kurum_adi;il_kodu;ilce;"
                     "birim;unvan;gorev_durumu;gorevlendirme_bitis;eimza_hakki;eposta;"
                     "cep_telefonu;kurum_sicil_no");
    web_page_close(p, WEB_EL_P);
    web_pg_para_args(p, WEB_MSG_SP_IMP_LIMIT, args, 1);
}

/* ---- the result -------------------------------------------------------------------------- */

static void result_counts(struct web_pg *c, struct web_page *p, const struct app_import_summary *s)
{
    if (s->failed) {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_pg_para(p, WEB_MSG_SP_IMP_FAILED);
        web_page_el_text(p, WEB_EL_P,
                         app_reason_text(s->code ? s->code : "invalid_fields", c->lang));
        web_page_notice_end(p);
        return;
    }
    char rows[WEB_COUNT_MAX], ins[WEB_COUNT_MAX], upd[WEB_COUNT_MAX], same[WEB_COUNT_MAX],
        rej[WEB_COUNT_MAX];
    web_count_text(s->rows, p->lang, rows);
    web_count_text(s->inserted, p->lang, ins);
    web_count_text(s->updated, p->lang, upd);
    web_count_text(s->unchanged, p->lang, same);
    web_count_text(s->rejected, p->lang, rej);
    const char *args[] = {rows, ins, upd, same, rej};
    web_page_notice_begin(p, s->rejected ? WEB_NOTICE_WARNING : WEB_NOTICE_SUCCESS);
    web_page_open_class(p, WEB_EL_P, "import-counts");
    web_page_msg_args(p, WEB_MSG_SP_IMP_COUNTS, args, 5);
    web_page_close(p, WEB_EL_P);
    if (s->rejected)
        web_pg_para(p, WEB_MSG_SP_IMP_REJECTED_LEAD);
    web_page_notice_end(p);
}

/* The refused rows: a table of the first REJECTS_SHOWN, and the form that downloads them all. */
static void result_rejects(struct web_pg *c, struct web_page *p, const struct rejects *r)
{
    static const enum web_msg cols[] = {WEB_MSG_FS_COL_LINE, WEB_MSG_FS_COL_FIELD,
                                        WEB_MSG_FS_COL_WHY};
    struct ubuf report = UBUF_INIT(REJECTS_KEPT * 100);
    char line[24];
    if (r->n == 0)
        return;
    web_page_section_begin(p, WEB_MSG_FS_REFUSED_ROWS);
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    web_page_open_class(p, WEB_EL_TABLE, "import-rejects cards");
    web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_SP_IMP_REJECTS_CAPTION);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    web_pg_head_cells(p, cols, 3);
    for (size_t i = 0; i < r->n; i++) {
        const struct reject *x = &r->v[i];
        if (ubuf_printf(&report, "%ld;%s;%s\n", x->line, x->field, x->code) < 0)
            web_page_fail(p);
        if (i >= REJECTS_SHOWN)
            continue;
        snprintf(line, sizeof line, "%ld", x->line);
        web_page_open(p, WEB_EL_TR);
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "row");
        web_page_attr_msg(p, "data-label", WEB_MSG_FS_COL_LINE);
        web_page_text(p, line);
        web_page_close(p, WEB_EL_TH);
        web_pg_td_begin(p, WEB_MSG_FS_COL_FIELD);
        web_page_text(p, x->field[0] ? x->field : "—");
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_FS_COL_WHY);
        web_page_text(p, app_import_reason_text(x->code, c->lang));
        web_page_close(p, WEB_EL_TD);
        web_page_close(p, WEB_EL_TR);
    }
    web_page_close(p, WEB_EL_TBODY);
    web_page_close(p, WEB_EL_TABLE);
    web_page_close(p, WEB_EL_DIV);
    if (r->n > REJECTS_SHOWN || r->more) {
        char shown[WEB_COUNT_MAX];
        web_count_text(REJECTS_SHOWN, p->lang, shown);
        const char *args[] = {shown};
        web_pg_para_args(p, WEB_MSG_SP_IMP_REJECTS_MORE, args, 1);
    }
    web_page_form_begin(p, "/yonetim/aktarim/rapor", web_pg_csrf(c));
    web_pg_hidden(p, "report", ubuf_str(&report));
    web_page_form_submit(p, WEB_MSG_SP_IMP_DOWNLOAD, WEB_BUTTON_SECONDARY);
    web_page_section_end(p);
    ubuf_free(&report);
}

static enum web_err import_page(struct web_pg *c, const struct app_import_summary *s,
                                const struct rejects *r, const char *error, unsigned status)
{
    struct web_page p;
    const struct web_error_item item = {"csv", WEB_MSG_SP_IMP_TEXT, error};
    enum web_msg title = s ? WEB_MSG_SP_IMP_RESULT_TITLE : WEB_MSG_SP_IMP_TITLE;
    web_pg_page(c, &p);
    const struct web_layout layout = {.title = title, .errors = error != NULL};
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_IMPORT);
    web_page_error_summary(&p, &item, error ? 1 : 0);
    web_pg_heading(&p, title);
    if (s) {
        result_counts(c, &p, s);
        result_rejects(c, &p, r);
        web_page_action_link(&p, "/yonetim/aktarim", WEB_MSG_SP_IMP_AGAIN);
    } else {
        intro(&p);
        import_form(c, &p, error);
        p.scripts |= WEB_SCRIPT_STAFF_IMPORT;
    }
    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_h_staff_import(struct web_req *rq)
{
    struct web_pg c;
    struct rejects r = {0};
    struct app_import_summary s;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    bool post = web_pg_is_post(&c);
    const char *ct = web_req_header(rq, "Content-Type");
    bool raw = post && ct && !strncasecmp(ct, "text/csv", 8); /* import.js: the file itself */
    if (!web_pg_enter_admin(&c, post && !raw, &rc)) /* raw: the CSRF token is the header's */
        goto out;
    if (!post) {
        rc = import_page(&c, NULL, NULL, NULL, 200);
        goto out;
    }
    size_t len = 0;
    const char *data, *name;
    if (raw) {
        data = web_req_body(rq, &len);
        name = web_req_header(rq, "X-File-Name");
    } else {
        data = web_pg_field(&c, "csv");
        len = data ? strlen(data) : 0;
        name = "pasted";
    }
    if (!(r.v = calloc(REJECTS_KEPT, sizeof *r.v))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (app_admin_import_personnel(&c.app, data, len, name, on_reject, &r, &s, &c.err) != APP_OK) {
        if (c.err.status == APP_EINVAL && c.err.nfields)
            rc = import_page(&c, NULL, NULL, app_reason_text(c.err.fields[0].code, c.lang), 400);
        else
            rc = web_pg_app_failure(&c);
        goto out;
    }
    /* the answer must not be kept: its lines say which rows of a personnel file were wrong */
    if (web_reply_header(rq, "Cache-Control", "no-store") < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    rc = import_page(&c, &s, &r, NULL, s.failed ? 422 : 200);
out:
    free(r.v);
    web_pg_done(&c);
    return rc;
}

/* POST /yonetim/aktarim/rapor: the refused rows the result page listed, as a CSV to keep. */
enum web_err web_h_staff_import_report(struct web_req *rq)
{
    struct web_pg c;
    struct ubuf csv = UBUF_INIT(REJECTS_KEPT * 400);
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    if (!web_pg_enter_admin(&c, true, &rc))
        goto out;
    if (app_import_report_csv(web_pg_field(&c, "report"), c.lang, &csv) < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (web_reply_header(rq, "Content-Disposition",
                         "attachment; filename=\"reddedilen-satirlar.csv\"") < 0 ||
        web_reply_header(rq, "Cache-Control", "no-store") < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    rc = web_reply(rq, 200, "text/csv; charset=utf-8", &csv);
out:
    ubuf_free(&csv);
    web_pg_done(&c);
    return rc;
}
