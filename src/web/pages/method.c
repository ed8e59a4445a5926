/* eimza — choosing how to sign (web/pages/): /yontem, step 4: the content to sign and the two
 * methods (Yöntem 1 with the current e-signature, Yöntem 2 on paper); only the wet signature
 * once the certificate no longer allows the other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

/* ---- step 5: /yontem ----------------------------------------------------------------------- */

static enum web_err method_page(struct web_pg *c, const struct app_view *v, const char *chosen,
                                const char *field_error, const char *msg)
{
    struct web_option opts[2];
    struct web_error_item items[2];
    struct web_page p;
    size_t nopt = 0, n = 0;
    bool esign = (v->methods & CORE_METHOD_ESIGN) != 0;
    struct ubuf content = UBUF_INIT(64 * 1024);
    struct app_err err;

    if (app_content(&c->app, &content, &err) != APP_OK) {
        ubuf_free(&content);
        c->err = err;
        return web_pg_app_failure(c);
    }
    if (esign)
        opts[nopt++] = (struct web_option){"esign", WEB_MSG_METHOD_1, NULL, WEB_MSG_METHOD_1_HINT};
    opts[nopt++] = (struct web_option){"wet", WEB_MSG_METHOD_2, NULL, WEB_MSG_METHOD_2_HINT};
    struct web_field f = {
        WEB_FIELD_RADIO,      "method",
        WEB_MSG_METHOD_TITLE, .value = chosen ? chosen : (esign ? v->app.method : "wet"),
        .error = field_error, .options = opts,
        .noptions = nopt};
    if (field_error)
        items[n++] = (struct web_error_item){"method", WEB_MSG_METHOD_TITLE, field_error};
    if (msg)
        items[n++] = web_pg_message_item(msg);

    const struct web_layout layout = {
        .title = WEB_MSG_METHOD_PAGE_TITLE, .step = WEB_STEP_METHOD, .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    web_pg_heading(&p, WEB_MSG_METHOD_PAGE_TITLE);
    web_pg_app_number(&p, v->app.number);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_SIGNED_CONTENT);
    web_pg_para(&p, WEB_MSG_PP_CONTENT_LEAD);
    web_page_open_class(&p, WEB_EL_PRE, "signed-content");
    web_page_attr(&p, "lang", "tr");
    web_page_attr(&p, "tabindex", "0");
    web_page_textn(&p, ubuf_str(&content), content.len);
    web_page_close(&p, WEB_EL_PRE);
    if (!esign) {
        web_page_notice_begin(&p, WEB_NOTICE_WARNING);
        web_page_open(&p, WEB_EL_P);
        web_page_text(&p, app_reason_text("signing_method_not_allowed", c->lang));
        web_page_text(&p, " ");
        web_page_msg(&p, WEB_MSG_PP_METHOD_ONLY_WET);
        web_page_close(&p, WEB_EL_P);
        web_page_notice_end(&p);
    }
    web_page_form_begin(&p, "/yontem", web_pg_csrf(c));
    web_page_field(&p, &f);
    web_page_form_submit(&p, WEB_MSG_CONTINUE, WEB_BUTTON_PRIMARY);
    web_page_action_link(&p, "/basvuru", WEB_MSG_PP_EDIT_FORM);
    web_page_end(&p);
    enum web_err rc = web_pg_answer(c->rq, &p, 200);
    web_page_free(&p);
    ubuf_free(&content);
    return rc;
}

enum web_err web_h_page_method(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    bool post = !strcmp(web_req_method(rq), "POST");
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, post, &v, &rc))
        goto out;
    if (!web_pg_in_state(&v.app, CORE_APP_CODE_VERIFIED)) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    if (!post) {
        rc = method_page(&c, &v, NULL, NULL, NULL);
        goto out;
    }
    const char *method = web_pg_field(&c, "method");
    struct app_application saved;
    if (app_method_choose(&c.app, method, &saved, &c.err) == APP_OK) {
        /* on paper: the confirmation says what to print, sign and send, and where */
        rc = web_pg_see_other(rq, !strcmp(saved.method, "wet") ? "/basvuru/tamam"
                                                               : web_pg_step_path(&saved));
    } else if (c.err.status == APP_EINVAL) {
        const char *code = c.err.nfields ? c.err.fields[0].code : c.err.code;
        rc = method_page(&c, &v, NULL, app_reason_text(code, c.lang), NULL);
    } else if (c.err.code && !strcmp(c.err.code, "signing_method_not_allowed")) {
        rc = method_page(&c, &v, "wet", NULL, app_reason_text(c.err.code, c.lang));
    } else {
        rc = web_pg_app_failure(&c);
    }
out:
    web_pg_done(&c);
    return rc;
}
