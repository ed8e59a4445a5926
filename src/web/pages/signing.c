/* eimza — the signing page (web/pages/): /imza. The page the signing script (static/js/sign.js)
 * enhances: it asks the local agent for the cards, has it sign exactly the content shown, and
 * sends the signature. Without an agent it shows how to start one, or how to upload a .p7s made
 * with `eimza sign`. The PIN is never typed into the page: the agent asks for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/pages/pages.h"

/* ---- the signing step: /imza -------------------------------------------------------------------
 * The page the signing script (static/js/sign.js) enhances: it asks the local agent for the
 * cards, has it sign exactly the content shown, and sends the signature. Without an agent it
 * shows how to start one, or how to upload a .p7s made with `eimza sign`. The PIN is never
 * typed into the page: the agent asks for it. */

/* The portal's origin as the browser sees it (for the agent's --origin). */
static void portal_origin(struct web_req *rq, char *out, size_t n)
{
    const char *host = web_req_header(rq, "Host");
    snprintf(out, n, "%s://%s", web_req_tls(rq) ? "https" : "http",
             host && *host && strlen(host) < 200 ? host : "PORTAL");
}

enum web_err web_h_page_sign(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_page p;
    struct ubuf content = UBUF_INIT(64 * 1024);
    char origin[256], cmd[512];
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    if (!web_pg_in_state(&v.app, CORE_APP_CODE_VERIFIED) || strcmp(v.app.method, "esign") != 0) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    if (app_content(&c.app, &content, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    portal_origin(rq, origin, sizeof origin);
    snprintf(cmd, sizeof cmd, "eimza agent --module /usr/lib/libakisp11.so --origin %s", origin);

    const struct web_layout layout = {.title = WEB_MSG_SG_TITLE, .step = WEB_STEP_SIGN};
    web_page_begin(&p, &layout);
    web_pg_heading(&p, WEB_MSG_SG_TITLE);
    web_pg_app_number(&p, v.app.number);
    web_pg_para(&p, WEB_MSG_SG_LEAD);
    web_page_raw(&p, "<h2>");
    web_page_msg(&p, WEB_MSG_SIGNED_CONTENT);
    web_page_raw(&p, "</h2>\n<pre class=\"signed-content\" lang=\"tr\" tabindex=\"0\">");
    web_page_textn(&p, ubuf_str(&content), content.len);
    web_page_raw(&p, "</pre>\n<noscript>");
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    web_pg_para(&p, WEB_MSG_SG_NOSCRIPT);
    web_page_notice_end(&p);
    web_page_raw(&p, "</noscript>\n");

    /* the form the script drives (its contract: static/js/sign.js) */
    web_page_raw(&p, "<form id=\"sign-form\" class=\"sign-form\" hidden");
    web_page_attr(&p, "data-agent", web_req_agent_url(rq));
    web_page_raw(&p, " data-content-url=\"/api/v1/application/content\""
                     " data-submit-url=\"/api/v1/application/signature\""
                     " data-done-url=\"/durum\"");
    web_page_attr(&p, "data-csrf", web_pg_csrf(&c));
    web_page_raw(&p, ">\n<label for=\"sign-token\">");
    web_page_msg(&p, WEB_MSG_SG_CARD);
    web_page_raw(&p, "</label>\n<select id=\"sign-token\" name=\"token\" disabled><option "
                     "value=\"\">");
    web_page_msg(&p, WEB_MSG_SG_CARD_WAIT);
    web_page_raw(&p, "</option></select>\n<div class=\"buttons\"><button type=\"button\" "
                     "id=\"sign-button\" disabled>");
    web_page_msg(&p, WEB_MSG_SIGN);
    web_page_raw(&p, "</button></div>\n</form>\n"
                     "<p id=\"sign-status\" class=\"sign-status\" role=\"status\" "
                     "aria-live=\"polite\"></p>\n");

    /* shown by the script when no agent answers (and hidden while one does) */
    web_page_raw(&p, "<section id=\"sign-fallback\" class=\"sign-fallback\" hidden "
                     "aria-labelledby=\"sign-fallback-title\">\n<h2 id=\"sign-fallback-title\">");
    web_page_msg(&p, WEB_MSG_SG_NO_AGENT_TITLE);
    web_page_raw(&p, "</h2>\n");
    web_pg_para(&p, WEB_MSG_SG_NO_AGENT);
    web_page_raw(&p, "<pre class=\"command\"><code>");
    web_page_text(&p, cmd);
    web_page_raw(&p, "</code></pre>\n<h3>");
    web_page_msg(&p, WEB_MSG_SG_UPLOAD_TITLE);
    web_page_raw(&p, "</h3>\n");
    web_pg_para(&p, WEB_MSG_SG_UPLOAD_HOWTO);
    web_page_raw(&p, "<p><a href=\"/api/v1/application/content\" download=\"icerik.txt\">");
    web_page_msg(&p, WEB_MSG_SG_DOWNLOAD);
    web_page_raw(&p, "</a></p>\n<label for=\"sign-file\">");
    web_page_msg(&p, WEB_MSG_SG_FILE);
    web_page_raw(&p, "</label>\n<input type=\"file\" id=\"sign-file\" "
                     "accept=\".p7s,application/pkcs7-signature\">\n<div class=\"buttons\">"
                     "<button type=\"button\" id=\"sign-upload\">");
    web_page_msg(&p, WEB_MSG_SG_UPLOAD);
    web_page_raw(&p, "</button></div>\n</section>\n");
    web_page_raw(&p, "<p class=\"page-actions\"><a href=\"/yontem\">");
    web_page_msg(&p, WEB_MSG_PP_CHANGE_METHOD);
    web_page_raw(&p, "</a></p>\n<script src=\"/static/js/sign.js\" defer></script>\n");
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    ubuf_free(&content);
    web_page_free(&p);
    return rc;
}
