/* eimza — the route table (see routes.h and router.h for the pattern rules). Literal routes
 * come before parameterised ones that could match the same path. */
#include "web/routes.h"

#include "web/api/api.h"
#include "web/http/download.h"
#include "web/http/ops.h"
#include "web/http/static.h"
#include "web/pages/pages.h"

const struct web_route web_routes[] = {
    /* operations */
    {"GET", "/healthz", web_h_healthz, 0, WEB_ANSWER_JSON},
    {"GET", "/readyz", web_h_readyz, 0, WEB_ANSWER_JSON},
    {"GET", "/metrics", web_h_metrics, 0, WEB_ANSWER_JSON},

    /* the applicant JSON API (web/api/portal.c; docs/openapi.yaml describes every /api/ route,
     * and tests/integration/test_portal_openapi.c keeps the two in step) */
    {"GET", "/api/v1/openapi.yaml", web_h_api_openapi, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/captcha", web_h_api_captcha_new, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/captcha/{file}", web_h_api_captcha_file, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/login", web_h_api_login, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/logout", web_h_api_logout, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application", web_h_api_application_get, 0, WEB_ANSWER_JSON},
    {"PUT", "/api/v1/application", web_h_api_application_put, 16384, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/otp", web_h_api_otp_send, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/otp/verify", web_h_api_otp_verify, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application/content", web_h_api_content, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/method", web_h_api_method, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/signature", web_h_api_signature, APP_SIGNATURE_MAX,
     WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/wet-signature", web_h_api_wet_signature, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application/status", web_h_api_status, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/session/extend", web_h_api_session_extend, 1024, WEB_ANSWER_JSON},
    /* after the decision (web/api/flow.c; app/card_flow.h) */
    {"POST", "/api/v1/application/new", web_h_api_application_new, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/cancel", web_h_api_application_cancel, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/delivery", web_h_api_delivery_confirm, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/pin/word", web_h_api_pin_word, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/pin/code", web_h_api_pin_code, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application/card-test/content", web_h_api_card_test_content, 0,
     WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/card-test", web_h_api_card_test, APP_SIGNATURE_MAX,
     WEB_ANSWER_JSON},
    /* signing through the relay (web/api/relay.c): the page's ticket, then the agent's steps
     * (no session: the ticket and its claim are the credentials) */
    {"POST", "/api/v1/application/sign-ticket", web_h_api_sign_ticket_new, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application/sign-ticket", web_h_api_sign_ticket_get, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/relay/claim", web_h_relay_claim, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/relay/signature", web_h_relay_signature, 1 << 20, WEB_ANSWER_JSON},
    {"POST", "/api/v1/relay/cancel", web_h_relay_cancel, 4096, WEB_ANSWER_JSON},

    /* staff (web/api/admin.c): the staff JSON API under /api/v1/admin (docs/openapi.yaml).
     * Literal paths before the {id} ones they could be taken for. */
    {"POST", "/api/v1/admin/login", web_h_admin_login, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/logout", web_h_admin_logout, 1024, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/applications", web_h_admin_list, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/applications.csv", web_h_admin_queue_csv, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/bulk-approve", web_h_admin_bulk_approve, 4096,
     WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/applications/{id}", web_h_admin_get, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/decision", web_h_admin_decision, 8192,
     WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/paper-received", web_h_admin_paper_received, 1024,
     WEB_ANSWER_JSON},
    /* after the decision (web/api/flow.c) */
    {"POST", "/api/v1/admin/applications/{id}/cancel", web_h_admin_cancel, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/shipment", web_h_admin_shipment, 4096,
     WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/delivery", web_h_admin_delivery, 1024,
     WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/produce", web_h_admin_produce, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/pin-word-waiver", web_h_admin_pin_waiver, 4096,
     WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/production", web_h_admin_production, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/batches", web_h_admin_batches, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/batches", web_h_admin_batch_make, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/batches/answers", web_h_admin_bureau_answers, 8u << 20,
     WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/batches/{file}", web_h_admin_batch_export, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/shipments", web_h_admin_shipments, 8u << 20, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/dashboard", web_h_admin_dashboard, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/messages", web_h_admin_messages, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/messages/{id}/retry", web_h_admin_message_retry, 1024, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/messages/{id}/confirm", web_h_admin_message_confirm, 1024,
     WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/expiring.csv", web_h_admin_expiring_csv, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/rejection-reasons", web_h_admin_rejection_reasons, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/search", web_h_admin_search, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/tckn", web_h_admin_tckn, 1024, WEB_ANSWER_JSON},
    /* end of the staff block (web/api/admin.c) */

    /* the applicant's step pages (web/pages/): plain HTML forms over the same use cases
     * as the JSON API; a POST that succeeds answers 303 to the next step */
    {"GET", "/giris", web_h_page_login, 0, WEB_ANSWER_PAGE},
    {"POST", "/giris", web_h_page_login, 4096, WEB_ANSWER_PAGE},
    {"GET", "/basvuru", web_h_page_form, 0, WEB_ANSWER_PAGE},
    {"POST", "/basvuru", web_h_page_form, 16384, WEB_ANSWER_PAGE},
    {"GET", "/sms", web_h_page_sms, 0, WEB_ANSWER_PAGE},
    {"GET", "/sms/gonder", web_h_page_sms_get, 0, WEB_ANSWER_PAGE},
    {"POST", "/sms/gonder", web_h_page_sms_send, 1024, WEB_ANSWER_PAGE},
    {"GET", "/sms/dogrula", web_h_page_sms_get, 0, WEB_ANSWER_PAGE},
    {"POST", "/sms/dogrula", web_h_page_sms_verify, 1024, WEB_ANSWER_PAGE},
    {"GET", "/yontem", web_h_page_method, 0, WEB_ANSWER_PAGE},
    {"POST", "/yontem", web_h_page_method, 1024, WEB_ANSWER_PAGE},
    {"GET", "/imza", web_h_page_sign, 0, WEB_ANSWER_PAGE},
    {"GET", "/durum", web_h_page_status, 0, WEB_ANSWER_PAGE},
    {"GET", "/kontrol", web_h_page_check, 0, WEB_ANSWER_PAGE},
    {"GET", "/basvuru/tamam", web_h_page_done, 0, WEB_ANSWER_PAGE},
    {"GET", "/basvuru/ozet", web_h_page_print, 0, WEB_ANSWER_PAGE},
    {"GET", "/yardim", web_h_page_help, 0, WEB_ANSWER_PAGE},
    {"GET", "/erisilebilirlik", web_h_page_accessibility, 0, WEB_ANSWER_PAGE},
    {"GET", "/logo", web_h_logo, 0, WEB_ANSWER_PAGE},
    {"POST", "/durum/yeni", web_h_page_new_application, 1024, WEB_ANSWER_PAGE},
    {"POST", "/durum/teslim", web_h_page_delivery, 1024, WEB_ANSWER_PAGE},
    {"GET", "/iptal", web_h_page_cancel, 0, WEB_ANSWER_PAGE},
    {"GET", "/pin", web_h_page_pin, 0, WEB_ANSWER_PAGE},
    {"POST", "/pin/sozcuk", web_h_page_pin_word, 1024, WEB_ANSWER_PAGE},
    {"POST", "/pin/kod", web_h_page_pin_code, 1024, WEB_ANSWER_PAGE},
    {"GET", "/kart-dene", web_h_page_card_test, 0, WEB_ANSWER_PAGE},
    {"POST", "/iptal", web_h_page_cancel, 1024, WEB_ANSWER_PAGE},
    {"POST", "/cikis", web_h_page_logout, 1024, WEB_ANSWER_PAGE},

    /* staff pages (web/pages/): the staff's HTML pages over the same use cases as the
     * staff JSON API; a POST that succeeds answers 303 */
    {"GET", "/yonetim/giris", web_h_staff_login, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/giris", web_h_staff_login, 4096, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/cikis", web_h_staff_logout, 1024, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim", web_h_staff_queue, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/toplu-onay", web_h_staff_bulk, 16384, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/basvuru/{id}", web_h_staff_detail, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/basvuru/{id}", web_h_staff_detail, 8192, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/pano", web_h_staff_dashboard, 0, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/iletiler", web_h_staff_messages, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/iletiler/{id}", web_h_staff_message_action, 1024, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/bitecekler", web_h_staff_expiring, 0, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/ara", web_h_staff_search, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/ara", web_h_staff_search, 4096, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/hesaplar", web_h_staff_accounts, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/hesaplar", web_h_staff_accounts, 8192, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/hesaplar/{name}", web_h_staff_account, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/hesaplar/{name}", web_h_staff_account, 4096, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/denetim", web_h_staff_audit, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/denetim", web_h_staff_audit, 1024, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/aktarim", web_h_staff_import, 0, WEB_ANSWER_STAFF_PAGE},
    /* the file itself (import.js), or its content pasted in a form (a smaller file: the
     * form's percent-encoding grows it) */
    {"POST", "/yonetim/aktarim", web_h_staff_import, APP_IMPORT_WEB_MAX + (64u << 10),
     WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/aktarim/rapor", web_h_staff_import_report, 1u << 20, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/uretim", web_h_staff_production, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/partiler", web_h_staff_batch, 1024, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/dosya", web_h_staff_file, 1u << 20, WEB_ANSWER_STAFF_PAGE},
    {"GET", "/yonetim/kart/{id}", web_h_staff_card, 0, WEB_ANSWER_STAFF_PAGE},
    {"POST", "/yonetim/kart/{id}", web_h_staff_card, 8192, WEB_ANSWER_STAFF_PAGE},
    /* end of the staff pages block */

    /* the in-house CA's CRL and OCSP, at the addresses its certificates name (web/api/flow.c;
     * 404 production_inhouse_only in a card bureau deployment) */
    {"GET", "/ca/crl", web_h_ca_crl, 0, WEB_ANSWER_JSON},
    {"POST", "/ca/ocsp", web_h_ca_ocsp, 8192, WEB_ANSWER_JSON},

    /* development only (--dev; 404 otherwise): web/api/dev.c */
    {"GET", "/dev/captcha/{id}", web_h_dev_captcha, 0, WEB_ANSWER_JSON},
    {"GET", "/dev/outbox", web_h_dev_outbox, 0, WEB_ANSWER_JSON},

    /* pages (web/pages/landing.c) and their static files (web/http/static.c): the landing page, the
     * component sample under --dev, and static/ with the CSS library from node_modules */
    {"GET", "/", web_h_landing, 0, WEB_ANSWER_JSON},
    {"GET", "/ornek-form", web_h_demo_form, 0, WEB_ANSWER_JSON},
    {"POST", "/ornek-form", web_h_demo_form, 16384, WEB_ANSWER_JSON},
    {"GET", "/static/{dir}/{file}", web_h_static, 0, WEB_ANSWER_JSON},
    /* the signing agent's packages (web/http/download.c; agent_packages_dir) */
    {"GET", "/indir/{file}", web_h_download, 0, WEB_ANSWER_PAGE},
};

const size_t web_routes_count = sizeof web_routes / sizeof web_routes[0];

const struct web_site web_site = {web_routes, sizeof web_routes / sizeof web_routes[0],
                                  web_pg_error_page};
