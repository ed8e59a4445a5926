/* eimza — the route table (see routes.h and router.h for the pattern rules). Literal routes
 * come before parameterised ones that could match the same path. */
#include "web/routes.h"

#include "web/h_admin.h"
#include "web/h_api.h"
#include "web/web_int.h"

const struct web_route web_routes[] = {
    /* operations */
    {"GET", "/healthz", web_h_healthz, 0},
    {"GET", "/metrics", web_h_metrics, 0},

    /* the applicant JSON API (h_api_portal.c; docs/openapi.yaml describes every /api/ route,
     * and tests/integration/test_portal_openapi.c keeps the two in step) */
    {"GET", "/api/v1/openapi.yaml", web_h_api_openapi, 0},
    {"GET", "/api/v1/captcha", web_h_api_captcha_new, 0},
    {"GET", "/api/v1/captcha/{file}", web_h_api_captcha_file, 0},
    {"POST", "/api/v1/login", web_h_api_login, 4096},
    {"POST", "/api/v1/logout", web_h_api_logout, 1024},
    {"GET", "/api/v1/application", web_h_api_application_get, 0},
    {"PUT", "/api/v1/application", web_h_api_application_put, 16384},
    {"POST", "/api/v1/application/otp", web_h_api_otp_send, 1024},
    {"POST", "/api/v1/application/otp/verify", web_h_api_otp_verify, 1024},
    {"GET", "/api/v1/application/content", web_h_api_content, 0},
    {"POST", "/api/v1/application/method", web_h_api_method, 1024},
    {"POST", "/api/v1/application/signature", web_h_api_signature, APP_SIGNATURE_MAX},
    {"POST", "/api/v1/application/wet-signature", web_h_api_wet_signature, 1024},
    {"GET", "/api/v1/application/status", web_h_api_status, 0},

    /* staff (h_api_admin.c): the staff JSON API under /api/v1/admin (docs/openapi.yaml).
     * Literal paths before the {id} ones they could be taken for. */
    {"POST", "/api/v1/admin/login", web_h_admin_login, 4096},
    {"POST", "/api/v1/admin/logout", web_h_admin_logout, 1024},
    {"GET", "/api/v1/admin/applications", web_h_admin_list, 0},
    {"GET", "/api/v1/admin/applications.csv", web_h_admin_queue_csv, 0},
    {"POST", "/api/v1/admin/applications/bulk-approve", web_h_admin_bulk_approve, 4096},
    {"GET", "/api/v1/admin/applications/{id}", web_h_admin_get, 0},
    {"POST", "/api/v1/admin/applications/{id}/decision", web_h_admin_decision, 8192},
    {"POST", "/api/v1/admin/applications/{id}/paper-received", web_h_admin_paper_received, 1024},
    {"GET", "/api/v1/admin/dashboard", web_h_admin_dashboard, 0},
    {"GET", "/api/v1/admin/messages", web_h_admin_messages, 0},
    {"POST", "/api/v1/admin/messages/{id}/retry", web_h_admin_message_retry, 1024},
    {"POST", "/api/v1/admin/messages/{id}/confirm", web_h_admin_message_confirm, 1024},
    {"GET", "/api/v1/admin/expiring.csv", web_h_admin_expiring_csv, 0},
    {"GET", "/api/v1/admin/rejection-reasons", web_h_admin_rejection_reasons, 0},
    /* end of the staff block (h_api_admin.c) */

    /* the applicant's step pages (h_pages_portal.c): plain HTML forms over the same use cases
     * as the JSON API; a POST that succeeds answers 303 to the next step */
    {"GET", "/giris", web_h_page_login, 0},
    {"POST", "/giris", web_h_page_login, 4096},
    {"GET", "/basvuru", web_h_page_form, 0},
    {"POST", "/basvuru", web_h_page_form, 16384},
    {"GET", "/sms", web_h_page_sms, 0},
    {"GET", "/sms/gonder", web_h_page_sms_get, 0},
    {"POST", "/sms/gonder", web_h_page_sms_send, 1024},
    {"GET", "/sms/dogrula", web_h_page_sms_get, 0},
    {"POST", "/sms/dogrula", web_h_page_sms_verify, 1024},
    {"GET", "/yontem", web_h_page_method, 0},
    {"POST", "/yontem", web_h_page_method, 1024},
    {"GET", "/imza", web_h_page_sign, 0},
    {"GET", "/durum", web_h_page_status, 0},
    {"POST", "/cikis", web_h_page_logout, 1024},

    /* staff pages (h_pages_admin.c): the staff's HTML pages over the same use cases as the
     * staff JSON API; a POST that succeeds answers 303 */
    {"GET", "/yonetim/giris", web_h_staff_login, 0},
    {"POST", "/yonetim/giris", web_h_staff_login, 4096},
    {"POST", "/yonetim/cikis", web_h_staff_logout, 1024},
    {"GET", "/yonetim", web_h_staff_queue, 0},
    {"POST", "/yonetim/toplu-onay", web_h_staff_bulk, 4096},
    {"GET", "/yonetim/basvuru/{id}", web_h_staff_detail, 0},
    {"POST", "/yonetim/basvuru/{id}", web_h_staff_detail, 8192},
    {"GET", "/yonetim/pano", web_h_staff_dashboard, 0},
    {"GET", "/yonetim/iletiler", web_h_staff_messages, 0},
    {"POST", "/yonetim/iletiler/{id}", web_h_staff_message_action, 1024},
    {"GET", "/yonetim/bitecekler", web_h_staff_expiring, 0},
    /* end of the staff pages block */

    /* development only (--dev; 404 otherwise): h_api_dev.c */
    {"GET", "/dev/captcha/{id}", web_h_dev_captcha, 0},
    {"GET", "/dev/outbox", web_h_dev_outbox, 0},

    /* pages (h_pages.c) and their static files (h_static.c): the landing page, the component
     * sample under --dev, and static/ with the CSS library from node_modules */
    {"GET", "/", web_h_landing, 0},
    {"GET", "/ornek-form", web_h_demo_form, 0},
    {"POST", "/ornek-form", web_h_demo_form, 16384},
    {"GET", "/static/{dir}/{file}", web_h_static, 0},
};

const size_t web_routes_count = sizeof web_routes / sizeof web_routes[0];
