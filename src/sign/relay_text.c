/* eimza — the pure parts of the relay path (sign/relay.h): the eimza: URL, ticket syntax,
 * version comparison, the person's messages in Turkish and English, and turning the content
 * into text to show. No I/O. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/reason.h"
#include "core/version.h"
#include "sign/relay.h"

int sign_relay_exit(enum sign_relay_err e)
{
    switch (e) {
    case SIGN_RELAY_OK:
        return 0;
    case SIGN_RELAY_E_URL:
    case SIGN_RELAY_E_CONFIG:
        return 1;
    case SIGN_RELAY_E_CARD:
        return 2;
    case SIGN_RELAY_E_NOT_ALLOWED:
        return 3;
    case SIGN_RELAY_E_UNREACHABLE:
    case SIGN_RELAY_E_TLS:
    case SIGN_RELAY_E_BAD_ANSWER:
        return 4;
    case SIGN_RELAY_E_REFUSED:
    case SIGN_RELAY_E_CONTENT:
        return 5;
    }
    return 2;
}

bool sign_relay_token_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
        if (n >= SIGN_RELAY_TOKEN_MAX)
            return false;
    }
    return n >= SIGN_RELAY_TOKEN_MIN;
}

static int sign_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes in[0..n) into out[cap]; -1 on a bad escape, an encoded NUL or no room. */
static int sign_pct_decode(const char *in, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int h = sign_hex(in[i + 1]), l = h < 0 ? -1 : sign_hex(in[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return -1;
            c = (char)(h * 16 + l);
            i += 2;
        }
        if (k + 1 >= cap)
            return -1;
        out[k++] = c;
    }
    out[k] = '\0';
    return 0;
}

int sign_relay_url_parse(const char *url, struct sign_relay_url *out)
{
    static const char scheme[] = "eimza://sign";
    const char *q, *p;
    char ticket[SIGN_RELAY_TOKEN_MAX + 2], portal[SIGN_ORIGIN_MAX + 1];
    bool have_ticket = false, have_portal = false;
    unsigned params = 0;
    memset(out, 0, sizeof *out);
    if (!url || strlen(url) > SIGN_RELAY_URL_MAX || strncasecmp(url, scheme, sizeof scheme - 1))
        return -1;
    q = url + sizeof scheme - 1;
    if (*q == '/')
        q++;
    if (*q != '?')
        return -1;
    q++;
    if (strchr(q, '#') || strchr(q, ' '))
        return -1;
    for (p = q; *p;) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (++params > 8 || !eq)
            return -1;
        size_t kl = (size_t)(eq - p), vl = (size_t)(end - eq - 1);
        if (kl == 6 && !memcmp(p, "ticket", 6)) {
            if (have_ticket || sign_pct_decode(eq + 1, vl, ticket, sizeof ticket) < 0)
                return -1;
            have_ticket = true;
        } else if (kl == 6 && !memcmp(p, "portal", 6)) {
            if (have_portal || sign_pct_decode(eq + 1, vl, portal, sizeof portal) < 0)
                return -1;
            have_portal = true;
        }
        p = amp ? amp + 1 : end;
    }
    if (!have_ticket || !have_portal || !sign_relay_token_ok(ticket) ||
        sign_origin_normalize(portal, out->portal, sizeof out->portal) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    memcpy(out->ticket, ticket, strlen(ticket) + 1);
    return 0;
}

int sign_version_cmp(const char *a, const char *b)
{
    return core_version_cmp(a, b); /* one reading of versions for the portal and the agent */
}

/* ---- messages ------------------------------------------------------------------------------
 * The relay path's own codes and the portal's ticket codes. "%s" is the portal's origin (or,
 * for agent_outdated, the version the portal asks for). The portal's other codes (signature
 * checks, wrong_state, …) come from core/reason.c, one table for the whole product. */
static const struct {
    const char *code;
    const char *tr;
    const char *en;
} sign_relay_msgs[] = {
    {"ok",
     "Başvurunuz imzalandı ve portala (%s) gönderildi; tarayıcıdaki sayfa kendiliğinden "
     "ilerleyecek.",
     "Your application was signed and sent to the portal (%s); the page in your browser moves "
     "on by itself."},
    {"url_invalid",
     "Bu bağlantı geçerli bir e-imza isteği değil; hiçbir şey imzalanmadı. İmzalamayı portalın "
     "imza sayfasından yeniden başlatın.",
     "This link is not a valid signing request; nothing was signed. Start again from the "
     "portal's signing page."},
    {"portal_not_https",
     "İmza isteği güvenli olmayan (https olmayan) bir adresten geldi (%s): o adrese "
     "bağlanılmadı, hiçbir şey imzalanmadı.",
     "The signing request came from an address that is not HTTPS (%s): it was not contacted "
     "and nothing was signed."},
    {"portal_not_allowed",
     "İmza isteği, bu imza aracının hizmet verdiği portallardan biri olmayan bir adresten geldi "
     "(%s): o adrese bağlanılmadı, hiçbir şey imzalanmadı. Adres gerçekten kurumunuzun "
     "portalıysa bilgi işlem biriminize başvurun.",
     "The signing request came from an address this signing agent does not serve (%s): it was "
     "not contacted and nothing was signed. If it really is your institution's portal, ask "
     "your IT unit to add it."},
    {"config_error",
     "İmza aracının ayar dosyası okunamadı; hiçbir şey imzalanmadı. Bilgi işlem biriminize "
     "başvurun.",
     "The signing agent's settings file could not be read; nothing was signed. Ask your IT "
     "unit."},
    {"module_not_configured",
     "Kart sürücüsü (PKCS#11 modülü) bulunamadı: AKİS kart sürücüsünü kurun ya da imza "
     "aracının ayarlarında 'module' satırıyla yolunu belirtin.",
     "The card driver (PKCS#11 module) was not found: install the AKİS card driver, or name "
     "its path with a 'module' line in the signing agent's settings."},
    {"portal_unreachable",
     "Portala (%s) bağlanılamadı: internet bağlantınızı denetleyin ve portalın imza sayfasından "
     "yeniden deneyin.",
     "The portal (%s) could not be reached: check your internet connection and try again from "
     "the portal's signing page."},
    {"tls_failed",
     "Portalın (%s) kimliği doğrulanamadı (sertifikası güvenilir değil ya da adresiyle "
     "uyuşmuyor): bağlantı kesildi, hiçbir şey gönderilmedi. Kurumunuzun bilgi işlem birimine "
     "haber verin.",
     "The portal's identity (%s) could not be verified (its certificate is not trusted or does "
     "not match its address): the connection was dropped and nothing was sent. Tell your "
     "institution's IT unit."},
    {"portal_bad_answer",
     "Portal (%s) beklenmeyen bir yanıt verdi: biraz sonra portalın imza sayfasından yeniden "
     "deneyin.",
     "The portal (%s) gave an unexpected answer: try again a little later from the portal's "
     "signing page."},
    {"submit_unconfirmed",
     "İmza portala (%s) gönderildi ama yanıtı alınamadı: portaldaki başvuru durumunuza bakın; "
     "imzalanmamış görünüyorsa yeniden imzalayın.",
     "The signature was sent to the portal (%s) but no answer came back: look at your "
     "application's status on the portal, and sign again if it does not show as signed."},
    {"content_not_text",
     "Portalın imzalatmak istediği içerik gösterilebilir bir metin değil; görmediğiniz bir şey "
     "imzalanmaz. Portalın imza sayfasından yeniden deneyin.",
     "What the portal asked to sign is not text that can be shown, and nothing is signed "
     "unseen. Try again from the portal's signing page."},
    {"ticket_unknown",
     "Portal bu imza isteğini tanımıyor (başka bir oturumun ya da portalın olabilir); hiçbir "
     "şey imzalanmadı. Portalın imza sayfasında \"İmzala\" düğmesine yeniden basın.",
     "The portal does not know this signing request (it may belong to another session or "
     "portal); nothing was signed. Press \"Sign\" again on the portal's signing page."},
    {"ticket_expired",
     "İmza isteğinin süresi doldu; hiçbir şey imzalanmadı. Portalın imza sayfasında "
     "\"İmzala\" düğmesine yeniden basın.",
     "The signing request has expired; nothing was signed. Press \"Sign\" again on the "
     "portal's signing page."},
    {"ticket_used",
     "Bu imza isteği daha önce kullanıldı; bir istekle yalnızca bir kez imzalanabilir. "
     "Gerekirse portalın imza sayfasında \"İmzala\" düğmesine yeniden basın.",
     "This signing request was already used; a request signs only once. If needed, press "
     "\"Sign\" again on the portal's signing page."},
    {"ticket_superseded",
     "Bu imza isteğinin yerine daha yenisi açıldı; hiçbir şey imzalanmadı. Portalın imza "
     "sayfasındaki son isteği kullanın.",
     "A newer signing request replaced this one; nothing was signed. Use the latest request "
     "from the portal's signing page."},
    {"claim_mismatch",
     "Bu imza isteğini başka bir imza aracı üstlenmiş; hiçbir şey imzalanmadı. Portalın imza "
     "sayfasında \"İmzala\" düğmesine yeniden basın.",
     "Another signing agent took this signing request; nothing was signed. Press \"Sign\" "
     "again on the portal's signing page."},
    {"agent_outdated",
     "İmza aracınız bu portal için eski (en az %s sürümü gerekiyor); hiçbir şey imzalanmadı. "
     "Portalın imza sayfasındaki bağlantıdan yeni sürümü kurun.",
     "Your signing agent is too old for this portal (version %s or later is needed); nothing "
     "was signed. Install the new version from the link on the portal's signing page."},
};

#define SIGN_RELAY_NMSGS (sizeof sign_relay_msgs / sizeof sign_relay_msgs[0])

void sign_relay_message(const char *code, const char *portal, const char *server_message,
                        const char *min_version, char *out, size_t cap)
{
    char tr[700], en[700];
    const char *arg = portal && *portal ? portal : "?";
    if (code && !strcmp(code, "agent_outdated"))
        arg = min_version && *min_version ? min_version : "?";
    for (size_t i = 0; code && i < SIGN_RELAY_NMSGS; i++) {
        if (strcmp(code, sign_relay_msgs[i].code) != 0)
            continue;
            /* the formats are this table's literals, each with at most one %s */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(tr, sizeof tr, sign_relay_msgs[i].tr, arg);
        snprintf(en, sizeof en, sign_relay_msgs[i].en, arg);
#pragma GCC diagnostic pop
        snprintf(out, cap, "%s\n\n%s", tr, en);
        return;
    }
    if (code && core_reason_known(code)) {
        snprintf(out, cap, "%s\n\n%s", core_reason_message(code, CORE_LANG_TR),
                 core_reason_message(code, CORE_LANG_EN));
        return;
    }
    if (code && server_message && *server_message)
        snprintf(out, cap, "%s (%s)\n\nThe portal refused the request (%s).", server_message, code,
                 code);
    else
        snprintf(out, cap,
                 "İşlem tamamlanamadı (%s); hiçbir şey imzalanmadı. Portalın imza sayfasından "
                 "yeniden deneyin.\n\nThe operation could not be completed (%s); nothing was "
                 "signed. Try again from the portal's signing page.",
                 code ? code : "?", code ? code : "?");
}

int sign_relay_display_text(const unsigned char *p, size_t n, struct ubuf *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        if (c == 0)
            return -1;
        if (c < 0x80) {
            if (c == '\r') {
                i++;
                continue;
            }
            if ((c < 0x20 && c != '\n') || c == 0x7f)
                c = ' ';
            if (ubuf_putc(out, (char)c) < 0)
                return -1;
            i++;
            continue;
        }
        /* UTF-8: the sequence's length from its first byte; no overlong forms, no
         * surrogates, nothing past U+10FFFF */
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        else
            return -1;
        if (i + len > n)
            return -1;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
        if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] > 0x9F) ||
            (c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] > 0x8F))
            return -1;
        if (ubuf_put(out, p + i, len) < 0)
            return -1;
        i += len;
    }
    return 0;
}
