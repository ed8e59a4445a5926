/* eimza — the pure parts of the relay path (sign/relay.h): the eimza: URL, ticket syntax,
 * version comparison, the person's messages in Turkish and English (the catalogue's words),
 * and turning the content into text to show. No I/O. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/catalogue.h"
#include "core/reason.h"
#include "core/version.h"
#include "sign/relay.h"
#include "util/hex.h"

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

/* Percent-decodes in[0..n) into out[cap]; -1 on a bad escape, an encoded NUL or no room. */
static int sign_pct_decode(const char *in, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int h = uhex_value(in[i + 1]), l = h < 0 ? -1 : uhex_value(in[i + 2]);
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
 * The relay path's own codes and the portal's ticket codes, each with its words in the
 * catalogue ("relay.CODE", {0} the portal's origin or, for agent_outdated, the version the
 * portal asks for). The portal's other codes (signature checks, wrong_state, …) are the
 * catalogue's "reason.CODE" (core/reason.h), one table for the whole product. */
const char *const sign_relay_codes[] = {
    "ok",
    "url_invalid",
    "portal_not_https",
    "portal_not_allowed",
    "config_error",
    "module_not_configured",
    "portal_unreachable",
    "tls_failed",
    "portal_bad_answer",
    "submit_unconfirmed",
    "content_not_text",
    "ticket_unknown",
    "ticket_expired",
    "ticket_used",
    "ticket_superseded",
    "claim_mismatch",
    "agent_outdated",
    NULL,
};

static bool sign_relay_own(const char *code)
{
    for (size_t i = 0; code && sign_relay_codes[i]; i++)
        if (!strcmp(code, sign_relay_codes[i]))
            return true;
    return false;
}

/* "relay.NAME" filled with arg, in Turkish, two blank lines, in English: into out. */
static void sign_relay_both(const char *name, const char *arg, char *out, size_t cap)
{
    char tr[700], en[700];
    core_text_fill(core_word("relay", name, CORE_LANG_TR), arg, tr, sizeof tr);
    core_text_fill(core_word("relay", name, CORE_LANG_EN), arg, en, sizeof en);
    snprintf(out, cap, "%s\n\n%s", tr, en);
}

void sign_relay_message(const char *code, const char *portal, const char *server_message,
                        const char *min_version, char *out, size_t cap)
{
    const char *arg = portal && *portal ? portal : "?";
    if (code && !strcmp(code, "agent_outdated"))
        arg = min_version && *min_version ? min_version : "?";
    if (sign_relay_own(code)) {
        sign_relay_both(code, arg, out, cap);
        return;
    }
    if (code && core_reason_known(code)) {
        snprintf(out, cap, "%s\n\n%s", core_reason_message(code, CORE_LANG_TR),
                 core_reason_message(code, CORE_LANG_EN));
        return;
    }
    if (code && server_message && *server_message) {
        char en[300];
        const char *e = core_text("relay.portal_refused", CORE_LANG_EN);
        core_text_fill(e ? e : "({0})", code, en, sizeof en);
        snprintf(out, cap, "%s (%s)\n\n%s", server_message, code, en);
    } else {
        sign_relay_both("not_completed", code ? code : "?", out, cap);
    }
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
