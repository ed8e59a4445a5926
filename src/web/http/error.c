/* eimza — the error table of the web layer. See error.h. */
#include "web/http/error.h"

#include <stddef.h>
#include <stdio.h>

#include "app/context.h"
#include "app/text.h"
#include "web/html/escape.h"
#include "web/http/request.h"

static const struct {
    unsigned status;
    const char *code;
    const char *tr;
    const char *en;
} web_errors[WEB_E_COUNT_] = {
    [WEB_OK] = {200, "ok", "İşlem tamamlandı.", "Done."},
    [WEB_E_BAD_REQUEST] = {400, "bad_request",
                           "İstek anlaşılamadı. Sayfayı yenileyip işlemi tekrar deneyiniz.",
                           "The request could not be understood. Reload the page and try "
                           "again."},
    [WEB_E_UNAUTHORIZED] = {401, "unauthorized",
                            "Oturumunuz yok ya da süresi doldu. Lütfen yeniden giriş yapınız.",
                            "You are not logged in or your session has expired. Please log in "
                            "again."},
    [WEB_E_FORBIDDEN] = {403, "forbidden",
                         "Bu işlem için yetkiniz yok. Yetki için sistem yöneticinize "
                         "başvurunuz.",
                         "You are not allowed to do this. Ask your system administrator for "
                         "access."},
    [WEB_E_NOT_FOUND] = {404, "not_found",
                         "Aradığınız sayfa bulunamadı. Adresi kontrol ediniz ya da ana "
                         "sayfadan devam ediniz.",
                         "The page you asked for does not exist. Check the address or start "
                         "from the home page."},
    [WEB_E_METHOD] = {405, "method_not_allowed",
                      "Bu adres bu istek türünü kabul etmiyor. İzin verilen türler Allow "
                      "başlığında yazılıdır.",
                      "This address does not accept this request method. The allowed methods "
                      "are listed in the Allow header."},
    [WEB_E_CONFLICT] = {409, "conflict",
                        "Kayıt bu arada değişti ya da bu işlem için uygun durumda değil. "
                        "Sayfayı yenileyip tekrar deneyiniz.",
                        "The record changed meanwhile or is not in a state that allows this. "
                        "Reload and try again."},
    [WEB_E_TOO_LARGE] = {413, "body_too_large",
                         "Gönderilen veri izin verilen boyutu aşıyor. Daha küçük bir dosya ya "
                         "da daha kısa bir metin gönderiniz.",
                         "The data sent is larger than allowed. Send a smaller file or a "
                         "shorter text."},
    [WEB_E_MEDIA_TYPE] = {415, "unsupported_media_type",
                          "Gönderilen verinin türü bu adreste kabul edilmiyor. Belgede "
                          "belirtilen içerik türünü kullanınız.",
                          "This content type is not accepted here. Use the content type the "
                          "documentation names."},
    [WEB_E_TOO_MANY] = {429, "too_many_requests",
                        "Çok fazla deneme yapıldı. Lütfen bir süre bekleyip tekrar deneyiniz.",
                        "Too many attempts. Please wait a while and try again."},
    [WEB_E_INTERNAL] = {500, "internal_error",
                        "Beklenmeyen bir hata oluştu. Lütfen biraz sonra tekrar deneyiniz; "
                        "sorun sürerse sistem yöneticisine bildiriniz.",
                        "An unexpected error occurred. Please try again later; if it goes on, "
                        "tell the system administrator."},
    [WEB_E_NOMEM] = {500, "internal_error",
                     "Beklenmeyen bir hata oluştu. Lütfen biraz sonra tekrar deneyiniz; sorun "
                     "sürerse sistem yöneticisine bildiriniz.",
                     "An unexpected error occurred. Please try again later; if it goes on, tell "
                     "the system administrator."},
    [WEB_E_DB_UNAVAILABLE] = {503, "database_unavailable",
                              "Veritabanına şu anda ulaşılamıyor. Lütfen birkaç dakika sonra "
                              "tekrar deneyiniz; sorun sürerse sistem yöneticisine bildiriniz.",
                              "The database cannot be reached right now. Please try again in a "
                              "few minutes; if it goes on, tell the system administrator."},
    [WEB_E_SHUTTING_DOWN] = {503, "service_unavailable",
                             "Sunucu yeniden başlatılıyor. Lütfen birkaç saniye sonra tekrar "
                             "deneyiniz.",
                             "The server is restarting. Please try again in a few seconds."},
};

/* Anything outside the table is treated as an internal error rather than read out of
 * bounds: an unknown value can only come from a bug. */
static size_t web_err_index(enum web_err e)
{
    return ((unsigned)e < WEB_E_COUNT_) ? (size_t)e : (size_t)WEB_E_INTERNAL;
}

unsigned web_err_status(enum web_err e)
{
    return web_errors[web_err_index(e)].status;
}

const char *web_err_code(enum web_err e)
{
    return web_errors[web_err_index(e)].code;
}

const char *web_err_message(enum web_err e, enum core_lang lang)
{
    size_t i = web_err_index(e);
    return lang == CORE_LANG_EN ? web_errors[i].en : web_errors[i].tr;
}

enum web_err web_reply_app_error(struct web_req *rq, const struct app_err *e)
{
    if (e->store_failed)
        web_req_store_failed(rq);
    if (!e->code)
        return e->status == APP_EUNAVAILABLE ? WEB_E_DB_UNAVAILABLE : WEB_E_INTERNAL;
    enum core_lang lang = web_req_lang(rq);
    struct ubuf b = UBUF_INIT(16384);
    enum web_err rc = WEB_E_NOMEM;
    int bad = ubuf_puts(&b, "{\"error\":{\"code\":") | web_json_string_str(&b, e->code) |
              ubuf_puts(&b, ",\"message\":") |
              web_json_string_str(&b, app_reason_text(e->code, lang));
    if (e->nfields) {
        bad |= ubuf_puts(&b, ",\"fields\":{");
        for (size_t i = 0; i < e->nfields; i++)
            bad |= ubuf_puts(&b, i ? "," : "") | web_json_string_str(&b, e->fields[i].field) |
                   ubuf_putc(&b, ':') |
                   web_json_string_str(&b, app_reason_text(e->fields[i].code, lang));
        bad |= ubuf_putc(&b, '}');
    }
    if (e->retry_after > 0)
        bad |= ubuf_printf(&b, ",\"retry_after\":%lld", (long long)e->retry_after);
    if (e->remaining >= 0)
        bad |= ubuf_printf(&b, ",\"remaining_attempts\":%d", e->remaining);
    bad |= ubuf_puts(&b, "}}");
    if (!bad && e->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)e->retry_after);
        bad |= web_reply_header(rq, "Retry-After", ra);
    }
    if (!bad)
        rc = web_reply(rq, app_status_http(e->status), "application/json", &b);
    ubuf_free(&b);
    return rc;
}
