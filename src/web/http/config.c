/* eimza — the server's configuration table and its file reader. See config.h.
 *
 * Every setting is one row of web_config_table: adding a setting is adding a row and a
 * field. Defaults are written as text and go through the same parser as file values, so a
 * default can never be out of its own bounds (the unit test checks that too).
 */
#include "web/http/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <sys/socket.h>

#include "app/context.h"
#include "app/retention.h"
#include "app/text.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/html/escape.h"

enum web_cfg_type {
    CFG_STRING,
    CFG_LISTEN,
    CFG_ORIGIN,
    CFG_BOOL,
    CFG_INT,
    CFG_SIZE,
    CFG_LEVEL,
    CFG_CHOICE, /* one of the words of choices, stored as its index (int) */
};

static const struct web_cfg_option {
    const char *name;
    enum web_cfg_type type;
    size_t offset;
    size_t size;        /* of the field (strings: the room, NUL included) */
    long long min, max; /* CFG_INT and CFG_SIZE */
    const char *def;
    const char *help;
} web_config_table[] = {
    {"listen", CFG_LISTEN, offsetof(struct web_config, listen),
     sizeof(((struct web_config *)0)->listen), 0, 0, "127.0.0.1:8080",
     "address to listen on; [IPV6]:PORT for IPv6; port 0: any free port"},
    /* the same default as cli/cli.h's CLI_DEFAULT_DB (web/ cannot include cli/) */
    {"db", CFG_STRING, offsetof(struct web_config, db), sizeof(((struct web_config *)0)->db), 0, 0,
     "sqlite:var/eimza.db", "database URL: sqlite:PATH or postgresql://..."},
    {"trust_dir", CFG_STRING, offsetof(struct web_config, trust_dir),
     sizeof(((struct web_config *)0)->trust_dir), 0, 0, "",
     "directory of trust anchors for signature verification (empty: trust/ when it exists)"},
    {"signature_policies", CFG_STRING, offsetof(struct web_config, signature_policies),
     sizeof(((struct web_config *)0)->signature_policies), 0, 0, "2.16.792.1.2.1.1.5.7.1.1",
     "certificate policy OIDs a signer's certificate may carry, comma-separated (Kamu SM NES)"},
    {"accept_unknown_revocation", CFG_BOOL, offsetof(struct web_config, accept_unknown_revocation),
     sizeof(bool), 0, 0, "false",
     "accept a signature when neither OCSP nor the CRL answers (refused by default)"},
    {"revocation_timeout_ms", CFG_INT, offsetof(struct web_config, revocation_timeout_ms),
     sizeof(int), 100, 60000, "3000", "milliseconds for one OCSP or CRL exchange"},
    {"dev", CFG_BOOL, offsetof(struct web_config, dev), sizeof(bool), 0, 0, "false",
     "development mode: loopback only, development outbox, captcha answers revealed"},
    {"threads", CFG_INT, offsetof(struct web_config, threads), sizeof(int), 0, 256, "0",
     "worker threads (0: one per CPU)"},
    {"max_body_bytes", CFG_SIZE, offsetof(struct web_config, max_body_bytes), sizeof(size_t), 1024,
     64LL << 20, "1m", "largest request body accepted (routes may set less)"},
    {"max_connections", CFG_INT, offsetof(struct web_config, max_connections), sizeof(int), 1,
     65536, "1024", "concurrent connections accepted"},
    {"connection_timeout", CFG_INT, offsetof(struct web_config, connection_timeout), sizeof(int), 1,
     3600, "30", "seconds of inactivity before a connection is closed"},
    /* MHD clears a connection's whole memory between two requests on it (about one and a
     * half times its size per request), so more than the requests need costs time on every
     * request. 16k takes a head of about 13.5 KB of fields, or about 6.9 KB of Cookie (MHD
     * keeps a parsed copy of it); a longer one is answered 431 (web/http/framing.h, "room for
     * the answer"). MHD's own default is 32k. */
    {"connection_memory_bytes", CFG_SIZE, offsetof(struct web_config, connection_memory),
     sizeof(size_t), 8LL << 10, 1LL << 20, "16k",
     "memory per connection for request headers and I/O buffers"},
    {"shutdown_timeout", CFG_INT, offsetof(struct web_config, shutdown_timeout), sizeof(int), 0,
     300, "10", "seconds to let requests in flight finish on SIGTERM/SIGINT"},
    /* The status page is what people reload; its answer is kept this long per session and
     * dropped at once by any change this process makes (store.h, change generations). Only
     * with SQLite: on PostgreSQL, which several servers share, every answer is read afresh
     * (cli/cmd_serve.c), so no server shows another's change late. */
    {"status_cache_ms", CFG_INT, offsetof(struct web_config, status_cache_ms), sizeof(int), 0,
     60000, "1000",
     "milliseconds a status answer is served again unless this server changed it (SQLite "
     "only; PostgreSQL: never); 0: never"},
    {"access_log", CFG_BOOL, offsetof(struct web_config, access_log), sizeof(bool), 0, 0, "true",
     "one log line per request on stderr"},
    /* relative to the working directory, like the database's default: `make run` and the
     * tests start the server in the source tree, whose static/ holds the pages' files */
    {"static_dir", CFG_STRING, offsetof(struct web_config, static_dir),
     sizeof(((struct web_config *)0)->static_dir), 0, 0, "static",
     "folder of the pages' static files (CSS, scripts); node_modules/ is found beside it"},
    /* the page's script talks to the agent on the applicant's own computer; the origin also
     * goes into the Content-Security-Policy's connect-src, so it is checked to be a plain
     * loopback origin (web_config_agent_ok) */
    /* Behind a reverse proxy every request comes from the proxy's address, and the login
     * limit per address would lock out everyone at once: from these addresses only, the
     * client's address is taken from X-Forwarded-For (the nearest address not itself a
     * trusted proxy). */
    {"trusted_proxies", CFG_STRING, offsetof(struct web_config, trusted_proxies),
     sizeof(((struct web_config *)0)->trusted_proxies), 0, 0, "",
     "comma-separated addresses of reverse proxies whose X-Forwarded-For header is believed"},
    {"agent_url", CFG_ORIGIN, offsetof(struct web_config, agent_url),
     sizeof(((struct web_config *)0)->agent_url), 0, 0, "http://127.0.0.1:8089",
     "the local signing agent's address (eimza agent --listen) as the signing page reaches it"},
    {"log_level", CFG_LEVEL, offsetof(struct web_config, log_level), sizeof(int), 0, 0, "info",
     "least important log level written: debug, info, warn or error"},
    /* operations (issue 18): JSON lines for a log collector (util/log.h) */
    {"log_format", CFG_CHOICE, offsetof(struct web_config, log_format), sizeof(int), 0, 0, "text",
     "log lines as key=value text or as one JSON object each: text or json"},
    /* The outbox's SMS messages go to this gateway, outside --dev only (in --dev the outbox
     * table is the development outbox). Without a URL they wait in the outbox. */
    {"sms_gateway_url", CFG_STRING, offsetof(struct web_config, sms_gateway_url),
     sizeof(((struct web_config *)0)->sms_gateway_url), 0, 0, "",
     "SMS gateway URL (http:// or https://), POSTed once per message; none: SMS wait"},
    {"sms_gateway_user", CFG_STRING, offsetof(struct web_config, sms_gateway_user),
     sizeof(((struct web_config *)0)->sms_gateway_user), 0, 0, "",
     "SMS gateway user for HTTP basic authentication"},
    {"sms_gateway_password", CFG_STRING, offsetof(struct web_config, sms_gateway_password),
     sizeof(((struct web_config *)0)->sms_gateway_password), 0, 0, "",
     "SMS gateway password for HTTP basic authentication"},
    {"sms_gateway_token", CFG_STRING, offsetof(struct web_config, sms_gateway_token),
     sizeof(((struct web_config *)0)->sms_gateway_token), 0, 0, "",
     "SMS gateway bearer token (instead of a user and password)"},
    {"sms_gateway_body", CFG_STRING, offsetof(struct web_config, sms_gateway_body),
     sizeof(((struct web_config *)0)->sms_gateway_body), 0, 0,
     "{\"to\":\"{to}\",\"text\":\"{text}\"}",
     "request body template: {to} is +905XXXXXXXXX, {text} the message, encoded for the "
     "content type"},
    {"sms_gateway_content_type", CFG_STRING, offsetof(struct web_config, sms_gateway_content_type),
     sizeof(((struct web_config *)0)->sms_gateway_content_type), 0, 0, "application/json",
     "Content-Type of the body: JSON, form (x-www-form-urlencoded), XML or other (as is)"},
    {"sms_gateway_timeout", CFG_INT, offsetof(struct web_config, sms_gateway_timeout), sizeof(int),
     1, 300, "10", "seconds one request to the SMS gateway may take"},
    {"outbox_interval", CFG_INT, offsetof(struct web_config, outbox_interval), sizeof(int), 1, 3600,
     "5", "seconds between two passes over the outbox"},
    {"outbox_max_tries", CFG_INT, offsetof(struct web_config, outbox_max_tries), sizeof(int), 1,
     100, "8", "attempts before a message is marked failed for good"},
    {"outbox_retry_base", CFG_INT, offsetof(struct web_config, outbox_retry_base), sizeof(int), 1,
     86400, "30", "seconds before the first retry; doubled after each failed attempt"},
    {"outbox_retry_max", CFG_INT, offsetof(struct web_config, outbox_retry_max), sizeof(int), 1,
     604800, "3600",
     "the longest wait in seconds between two attempts"}, /* The portal's rules: the guide's values
                                                             by default (core/rules.c,
                                                             app/portal_core.c). */
    {"renewal_window_days", CFG_INT, offsetof(struct web_config, renewal_window_days), sizeof(int),
     1, 3650, "90", "days before expiry from which renewal can be applied for"},
    {"renewal_deadline_days", CFG_INT, offsetof(struct web_config, renewal_deadline_days),
     sizeof(int), 0, 3650, "30", "days before expiry after which an application is flagged late"},
    {"delivery_expected_days", CFG_INT, offsetof(struct web_config, delivery_expected_days),
     sizeof(int), 1, 365, "15", "days after approval within which the card should arrive"},
    {"otp_ttl", CFG_INT, offsetof(struct web_config, otp_ttl), sizeof(int), 30, 3600, "300",
     "seconds an SMS code is valid"},
    {"otp_max_wrong", CFG_INT, offsetof(struct web_config, otp_max_wrong), sizeof(int), 1, 20, "3",
     "wrong SMS code entries an hour before entries are locked"},
    {"otp_cooldown", CFG_INT, offsetof(struct web_config, otp_cooldown), sizeof(int), 0, 3600, "60",
     "seconds between two SMS codes"},
    {"otp_max_per_hour", CFG_INT, offsetof(struct web_config, otp_max_per_hour), sizeof(int), 1,
     100, "5", "SMS codes an application may get in an hour"},
    {"captcha_ttl", CFG_INT, offsetof(struct web_config, captcha_ttl), sizeof(int), 30, 3600, "300",
     "seconds a captcha can be answered"},
    {"session_idle", CFG_INT, offsetof(struct web_config, session_idle), sizeof(int), 60, 86400,
     "1200", "seconds without a request that end an applicant's session"},
    {"session_lifetime", CFG_INT, offsetof(struct web_config, session_lifetime), sizeof(int), 300,
     604800, "28800", "seconds after login that end a session however active"},
    {"login_max_per_addr", CFG_INT, offsetof(struct web_config, login_max_per_addr), sizeof(int), 1,
     100000, "30", "failed logins in 15 minutes from one address before it must wait"},
    {"login_max_per_tckn", CFG_INT, offsetof(struct web_config, login_max_per_tckn), sizeof(int), 1,
     1000, "5", "failed logins in 15 minutes for one person before they must wait"},
    /* issue 19, findings 1 and 6: the staff login and the captcha are limited per address, and
     * password hashing may not take every worker (app/hash_gate.c) */
    {"staff_login_max_per_addr", CFG_INT, offsetof(struct web_config, staff_login_max_per_addr),
     sizeof(int), 1, 100000, "20",
     "failed staff logins in 15 minutes from one address before it must wait"},
    {"password_hash_slots", CFG_INT, offsetof(struct web_config, password_hash_slots), sizeof(int),
     0, 256, "0",
     "password hashes (Argon2id) run at once; more are answered 503 at once (0: one fewer than "
     "the worker threads, at least 1)"},
    /* issue 19, finding 8: the key TOTP secrets and waiting SMS codes are sealed with at rest
     * (in secrets.conf; the Debian package's postinst makes one) */
    {"secret_key", CFG_STRING, offsetof(struct web_config, secret_key),
     sizeof(((struct web_config *)0)->secret_key), 0, 0, "",
     "the key secrets are sealed with at rest: base64 of 32 random bytes (head -c 32 "
     "/dev/urandom | base64); none: --dev uses a published development key, otherwise storing "
     "a TOTP secret or an SMS code is refused"},
    {"captcha_max_per_addr", CFG_INT, offsetof(struct web_config, captcha_max_per_addr),
     sizeof(int), 1, 100000000, "300",
     "captchas in 15 minutes from one address before it must wait (a school behind one address "
     "needs several per person)"},
    /* A certificate renewed with the previous one's signature carries forward how identity
     * was first checked; after this many such renewals in a row the holder must apply on paper
     * and be seen in person (0: no limit). */
    {"remote_renewal_limit", CFG_INT, offsetof(struct web_config, remote_renewal_limit),
     sizeof(int), 0, 100, "2",
     "signature-only renewals in a row after which the next one needs the wet signature and an "
     "in-person identity check (0: no limit)"},
    /* ---- who runs the portal and whom people turn to (app/site.h): on every page, the
     * help page, the wet-signature path */
    {"ministry_name", CFG_STRING, offsetof(struct web_config, ministry_name),
     sizeof(((struct web_config *)0)->ministry_name), 0, 0, "T.C. Millî Eğitim Bakanlığı",
     "the institution's name in the pages' header (Turkish)"},
    {"ministry_name_en", CFG_STRING, offsetof(struct web_config, ministry_name_en),
     sizeof(((struct web_config *)0)->ministry_name_en), 0, 0,
     "Republic of Türkiye Ministry of National Education",
     "the institution's name in the English pages' header"},
    {"ministry_logo", CFG_STRING, offsetof(struct web_config, ministry_logo),
     sizeof(((struct web_config *)0)->ministry_logo), 0, 0, "",
     "the institution's logo, an .svg or .png file (none: a plain emblem of the portal)"},
    {"province_contacts", CFG_STRING, offsetof(struct web_config, province_contacts),
     sizeof(((struct web_config *)0)->province_contacts), 0, 0, "",
     "CSV file of each province's DYS unit: il_kodu;birim;adres;telefon;eposta (the help "
     "page, and where signed paper forms go)"},
    {"card_readers", CFG_STRING, offsetof(struct web_config, card_readers),
     sizeof(((struct web_config *)0)->card_readers), 0, 0,
     "Mini Kart Okuyucu,Masaüstü Kart Okuyucu",
     "card reader models offered on the form besides none, comma-separated"},
    /* ---- notifications (cli/cmd_notify.c): e-mail over SMTP outside --dev, the expiry scan,
     * reminders and the approvers' digest (docs/CONFIGURATION.md, "Notifications") */
    {"smtp_url", CFG_STRING, offsetof(struct web_config, smtp_url),
     sizeof(((struct web_config *)0)->smtp_url), 0, 0, "",
     "SMTP server for e-mail: smtp://HOST[:PORT] or smtps://HOST[:PORT]; none: e-mail waits"},
    {"smtp_user", CFG_STRING, offsetof(struct web_config, smtp_user),
     sizeof(((struct web_config *)0)->smtp_user), 0, 0, "", "SMTP user (AUTH when set)"},
    {"smtp_password", CFG_STRING, offsetof(struct web_config, smtp_password),
     sizeof(((struct web_config *)0)->smtp_password), 0, 0, "", "SMTP password"},
    {"smtp_from", CFG_STRING, offsetof(struct web_config, smtp_from),
     sizeof(((struct web_config *)0)->smtp_from), 0, 0, "eimza@localhost",
     "the sender's e-mail address (envelope and From:)"},
    {"smtp_starttls", CFG_BOOL, offsetof(struct web_config, smtp_starttls), sizeof(bool), 0, 0,
     "false", "require STARTTLS on smtp:// (the message never travels in clear)"},
    {"smtp_ca_file", CFG_STRING, offsetof(struct web_config, smtp_ca_file),
     sizeof(((struct web_config *)0)->smtp_ca_file), 0, 0, "",
     "PEM file of CAs the SMTP server's certificate is checked with (none: the system's)"},
    {"smtp_timeout", CFG_INT, offsetof(struct web_config, smtp_timeout), sizeof(int), 1, 300, "30",
     "seconds one SMTP exchange may take"},
    {"scan_interval", CFG_INT, offsetof(struct web_config, scan_interval), sizeof(int), 0, 86400,
     "3600", "seconds between two expiry scans in serve (one at start-up); 0: no scan in serve"},
    {"warn_days", CFG_STRING, offsetof(struct web_config, warn_days),
     sizeof(((struct web_config *)0)->warn_days), 0, 0, "90,60,30",
     "warning milestones: days before expiry, descending, comma-separated (empty: none)"},
    {"notify_expired_days", CFG_INT, offsetof(struct web_config, notify_expired_days), sizeof(int),
     0, 3650, "30",
     "days after expiry the expiry message may still go (a later scan stays silent); 0: never"},
    {"reminder_days", CFG_INT, offsetof(struct web_config, reminder_days), sizeof(int), 0, 365, "3",
     "days an application waits for its applicant before it gets a reminder; 0: never"},
    {"portal_url", CFG_STRING, offsetof(struct web_config, portal_url),
     sizeof(((struct web_config *)0)->portal_url), 0, 0, "http://127.0.0.1:8080/",
     "the portal's address as people reach it: the link in every message"},
    {"templates_dir", CFG_STRING, offsetof(struct web_config, templates_dir),
     sizeof(((struct web_config *)0)->templates_dir), 0, 0, "",
     "folder with tr/ and en/ message templates over the built-in ones (none: built-in)"},
    {"notify_language", CFG_STRING, offsetof(struct web_config, notify_language),
     sizeof(((struct web_config *)0)->notify_language), 0, 0, "tr",
     "language of the messages: tr or en"},
    {"digest_to", CFG_STRING, offsetof(struct web_config, digest_to),
     sizeof(((struct web_config *)0)->digest_to), 0, 0, "",
     "where each province's daily digest for approvers goes: NN=address, comma-separated"},
    /* ---- personal data kept only as long as allowed (KVKK; app/retention.h, issue 18): the
     * privacy notice on the first page states these very values */
    {"retention_messages_days", CFG_INT, offsetof(struct web_config, retention_messages_days),
     sizeof(int), 0, 3650, "30",
     "days after it was queued that a delivered message loses its recipient and contents"},
    {"retention_contact_years", CFG_INT, offsetof(struct web_config, retention_contact_years),
     sizeof(int), 1, 50, "2",
     "years after it closed that an application loses its contact data and security word; also "
     "how long the audit log names an applicant who logged in"},
    {"retention_draft_days", CFG_INT, offsetof(struct web_config, retention_draft_days),
     sizeof(int), 1, 3650, "180",
     "days after its last change that a draft never submitted is removed"},
    {"retention_evidence_years", CFG_INT, offsetof(struct web_config, retention_evidence_years),
     sizeof(int), 7, 100, "7",
     "years the registration evidence is kept past the end of its certificate (at least 7)"},
    {"retention_interval", CFG_INT, offsetof(struct web_config, retention_interval), sizeof(int), 0,
     604800, "86400",
     "seconds between two retention runs in serve (one at start-up); 0: none in serve"},
    /* ---- after approval: how cards are made (app/card_flow.h; docs/CONFIGURATION.md, "Cards") */
    {"production", CFG_STRING, offsetof(struct web_config, production),
     sizeof(((struct web_config *)0)->production), 0, 0, "bureau",
     "how cards are made: bureau (Kamu SM: batches exported, its answer imported) or inhouse "
     "(this institution's CA, ca_* and card_* settings)"},
    {"ca_module", CFG_STRING, offsetof(struct web_config, ca_module),
     sizeof(((struct web_config *)0)->ca_module), 0, 0, "",
     "in house: the PKCS#11 module of the token holding the CA's key"},
    {"ca_label", CFG_STRING, offsetof(struct web_config, ca_label),
     sizeof(((struct web_config *)0)->ca_label), 0, 0, "", "in house: the CA token's label"},
    {"ca_key_label", CFG_STRING, offsetof(struct web_config, ca_key_label),
     sizeof(((struct web_config *)0)->ca_key_label), 0, 0, "",
     "in house: the CA key's label (empty: the token's only private key)"},
    {"ca_pin", CFG_STRING, offsetof(struct web_config, ca_pin),
     sizeof(((struct web_config *)0)->ca_pin), 0, 0, "",
     "in house: the CA token's user PIN (a secret: keep it in the secrets file)"},
    {"card_module", CFG_STRING, offsetof(struct web_config, card_module),
     sizeof(((struct web_config *)0)->card_module), 0, 0, "",
     "in house: the PKCS#11 module of the card reader (empty: ca_module)"},
    {"card_label", CFG_STRING, offsetof(struct web_config, card_label),
     sizeof(((struct web_config *)0)->card_label), 0, 0, "eimza-bos",
     "in house: the label of blank cards"},
    {"card_pin", CFG_STRING, offsetof(struct web_config, card_pin),
     sizeof(((struct web_config *)0)->card_pin), 0, 0, "",
     "in house: the blank cards' transport user PIN (a secret)"},
    {"card_so_pin", CFG_STRING, offsetof(struct web_config, card_so_pin),
     sizeof(((struct web_config *)0)->card_so_pin), 0, 0, "",
     "in house: the blank cards' transport SO PIN (a secret)"},
    {"ca_policies", CFG_STRING, offsetof(struct web_config, ca_policies),
     sizeof(((struct web_config *)0)->ca_policies), 0, 0, "2.16.792.1.2.1.1.5.7.1.1",
     "in house: certificate policy OIDs of new certificates, comma-separated (Kamu SM NES)"},
    {"ca_cps_url", CFG_STRING, offsetof(struct web_config, ca_cps_url),
     sizeof(((struct web_config *)0)->ca_cps_url), 0, 0, "",
     "in house: a CPS address on the policies of new certificates (empty: none)"},
    {"ca_ocsp_url", CFG_STRING, offsetof(struct web_config, ca_ocsp_url),
     sizeof(((struct web_config *)0)->ca_ocsp_url), 0, 0, "",
     "in house: the OCSP address new certificates name (empty: portal_url + ca/ocsp)"},
    {"ca_crl_url", CFG_STRING, offsetof(struct web_config, ca_crl_url),
     sizeof(((struct web_config *)0)->ca_crl_url), 0, 0, "",
     "in house: the CRL address new certificates name (empty: portal_url + ca/crl)"},
    {"ca_issuers_url", CFG_STRING, offsetof(struct web_config, ca_issuers_url),
     sizeof(((struct web_config *)0)->ca_issuers_url), 0, 0, "",
     "in house: the CA certificate's address in new certificates (empty: none)"},
    {"ca_key_type", CFG_STRING, offsetof(struct web_config, ca_key_type),
     sizeof(((struct web_config *)0)->ca_key_type), 0, 0, "rsa2048",
     "in house: the key pair made on new cards: rsa2048 or ec-p256"},
    {"pin_key", CFG_STRING, offsetof(struct web_config, pin_key),
     sizeof(((struct web_config *)0)->pin_key), 0, 0, "",
     "in house: 64 hex digits (32 random bytes) sealing new cards' PINs until their holders take "
     "them (a secret)"},
    /* ---- HTTPS served by eimza itself (web/http/tls.c), or behind a TLS proxy
     * (trusted_proxies: its X-Forwarded-Proto is believed); docs/DEPLOYMENT.md */
    {"tls_cert", CFG_STRING, offsetof(struct web_config, tls_cert),
     sizeof(((struct web_config *)0)->tls_cert), 0, 0, "",
     "PEM file of the server's certificate chain, leaf first: HTTPS (none: plain HTTP)"},
    {"tls_key", CFG_STRING, offsetof(struct web_config, tls_key),
     sizeof(((struct web_config *)0)->tls_key), 0, 0, "",
     "PEM file of the certificate's private key (unencrypted; readable by the server only)"},
    {"tls_priorities", CFG_STRING, offsetof(struct web_config, tls_priorities),
     sizeof(((struct web_config *)0)->tls_priorities), 0, 0,
     "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
     "GnuTLS priority string: protocol versions and ciphers offered"},
    {"tls_reload_check", CFG_INT, offsetof(struct web_config, tls_reload_check), sizeof(int), 0,
     86400, "60",
     "seconds between two looks at tls_cert and tls_key: a changed pair is loaded without a "
     "restart (SIGHUP loads it at once); 0: on SIGHUP only"},
    {"hsts_max_age", CFG_INT, offsetof(struct web_config, hsts_max_age), sizeof(int), 0, 63072000,
     "31536000",
     "seconds of Strict-Transport-Security sent over HTTPS (the person's connection); 0: none"},
    /* ---- signing through the relay (app/relay.h) and the agent people install; the relay is
     * offered when portal_url is https (docs/INTERFACES.md, "Signing through the relay") */
    {"sign_ticket_ttl", CFG_INT, offsetof(struct web_config, sign_ticket_ttl), sizeof(int), 1, 3600,
     "120", "seconds a signing ticket waits for the person's agent to claim it"},
    {"sign_claim_ttl", CFG_INT, offsetof(struct web_config, sign_claim_ttl), sizeof(int), 1, 3600,
     "600", "seconds a claimed ticket waits for the signature (reading, typing the PIN)"},
    {"agent_min_version", CFG_STRING, offsetof(struct web_config, agent_min_version),
     sizeof(((struct web_config *)0)->agent_min_version), 0, 0, "0.1.0",
     "the oldest signing agent accepted, dotted numbers (older ones are asked to update)"},
    {"agent_download_url", CFG_STRING, offsetof(struct web_config, agent_download_url),
     sizeof(((struct web_config *)0)->agent_download_url), 0, 0, "/indir/",
     "the folder (a path here or an https URL) holding eimza-agent.deb and eimza-common.deb"},
    {"agent_packages_dir", CFG_STRING, offsetof(struct web_config, agent_packages_dir),
     sizeof(((struct web_config *)0)->agent_packages_dir), 0, 0, "",
     "folder of scripts/build-deb.sh's packages, served at /indir/ (none: not served here)"},
};

#define WEB_CFG_COUNT (sizeof web_config_table / sizeof web_config_table[0])

/* The words of each CFG_CHOICE setting, comma-separated; the value is the word's index. */
static const struct {
    const char *name, *choices;
} web_cfg_choices[] = {
    {"log_format", "text,json"},
};

static const char *web_cfg_choices_of(const struct web_cfg_option *o)
{
    for (size_t i = 0; i < sizeof web_cfg_choices / sizeof web_cfg_choices[0]; i++)
        if (!strcmp(web_cfg_choices[i].name, o->name))
            return web_cfg_choices[i].choices;
    return "";
}

static const struct web_cfg_option *web_cfg_find(const char *key)
{
    for (size_t i = 0; i < WEB_CFG_COUNT; i++)
        if (!strcmp(web_config_table[i].name, key))
            return &web_config_table[i];
    return NULL;
}

static int web_parse_bool(const char *v, bool *out)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(v, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcasecmp(v, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

/* A decimal integer, optionally followed by k/m/g when sizes is set; no sign for sizes. */
static int web_parse_number(const char *v, bool sizes, long long *out)
{
    char *end;
    if (!*v || (sizes && *v == '-') || *v == '+' || *v == ' ')
        return -1;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v)
        return -1;
    if (sizes && *end) {
        int shift = 0;
        switch (*end) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            return -1;
        }
        end++;
        if (n > (LLONG_MAX >> shift))
            return -1;
        n <<= shift;
    }
    if (*end)
        return -1;
    *out = n;
    return 0;
}

/* The index of v among the comma-separated words of choices; -1 when it is none of them. */
static int web_parse_choice(const char *choices, const char *v)
{
    int i = 0;
    size_t n = strlen(v);
    for (const char *p = choices; *p; i++) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, v, n))
            return i;
        p += k + (p[k] == ',');
    }
    return -1;
}

/* The word of choices at index i ("?" when there is none). */
static const char *web_choice_name(const char *choices, int i, char *buf, size_t len)
{
    for (const char *p = choices; *p; i--) {
        size_t k = strcspn(p, ",");
        if (i == 0) {
            snprintf(buf, len, "%.*s", (int)k, p);
            return buf;
        }
        p += k + (p[k] == ',');
    }
    return "?";
}

static int web_parse_level(const char *v, int *out)
{
    static const struct {
        const char *name;
        enum ulog_level lvl;
    } levels[] = {
        {"debug", ULOG_DEBUG}, {"info", ULOG_INFO}, {"warn", ULOG_WARN}, {"error", ULOG_ERROR}};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (!strcmp(v, levels[i].name)) {
            *out = (int)levels[i].lvl;
            return 0;
        }
    }
    return -1;
}

int web_listen_split(const char *listen, char *host, size_t hostlen, unsigned *port, char *err,
                     size_t errlen)
{
    const char *h = listen, *colon;
    size_t hlen;

    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':') {
            snprintf(err, errlen, "'%s' is not HOST:PORT or [IPV6]:PORT", listen);
            return -1;
        }
        h = listen + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon) {
            snprintf(err, errlen, "'%s' is not HOST:PORT or [IPV6]:PORT", listen);
            return -1;
        }
        hlen = (size_t)(colon - listen);
        if (memchr(listen, ':', hlen)) {
            snprintf(err, errlen, "'%s': write an IPv6 address in brackets, [::1]:8080", listen);
            return -1;
        }
    }
    if (hlen == 0 || hlen >= hostlen) {
        snprintf(err, errlen, "'%s': the host is empty or too long", listen);
        return -1;
    }
    long long p;
    if (strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        web_parse_number(colon + 1, true, &p) < 0 || p > 65535) {
        snprintf(err, errlen, "'%s': the port must be a number from 0 to 65535", listen);
        return -1;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (unsigned)p;
    return 0;
}

bool web_addr_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

/* A loopback origin: "http://127.0.0.1:PORT", "http://localhost:PORT" or "http://[::1]:PORT"
 * (the agent listens on loopback only), nothing after the port. */
static bool web_loopback_origin(const char *v)
{
    static const char *const hosts[] = {"http://127.0.0.1:", "http://localhost:", "http://[::1]:"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t n = strlen(hosts[i]);
        if (strncmp(v, hosts[i], n) != 0)
            continue;
        const char *p = v + n;
        size_t digits = strspn(p, "0123456789");
        long port = digits && digits <= 5 ? strtol(p, NULL, 10) : 0;
        return p[digits] == '\0' && port >= 1 && port <= 65535;
    }
    return false;
}

/* Parses value for option o into a scratch copy of the field, so c changes only on success;
 * a refusal is setting_bad_value, or setting_out_of_range for a number outside its bounds. */
static int web_cfg_apply(struct web_config *c, const struct web_cfg_option *o, const char *value,
                         struct ufault *f)
{
    char *field = (char *)c + o->offset;
    long long n;

    if (o->type == CFG_LISTEN) { /* checked here, then stored as text */
        char host[256];
        unsigned port;
        char why[300];
        if (web_listen_split(value, host, sizeof host, &port, why, sizeof why) < 0) {
            ufault_set(f, "setting_bad_value", "bad value for '%s': %s", o->name, why);
            return -1;
        }
    }
    if (o->type == CFG_ORIGIN && !web_loopback_origin(value)) {
        ufault_set(f, "setting_bad_value",
                   "bad value for '%s': '%s' is not a loopback origin such as "
                   "http://127.0.0.1:8089",
                   o->name, value);
        return -1;
    }
    switch (o->type) {
    case CFG_LISTEN:
    case CFG_ORIGIN:
    case CFG_STRING: /* a secret's value is never shown: only its length is wrong here */
        if (strlen(value) >= o->size) {
            ufault_set(f, "setting_bad_value", "bad value for '%s': longer than %zu bytes", o->name,
                       o->size - 1);
            return -1;
        }
        memcpy(field, value, strlen(value) + 1);
        return 0;
    case CFG_BOOL: {
        bool b;
        if (web_parse_bool(value, &b) < 0) {
            ufault_set(f, "setting_bad_value", "bad value for '%s': '%s' is not true or false",
                       o->name, value);
            return -1;
        }
        memcpy(field, &b, sizeof b);
        return 0;
    }
    case CFG_INT:
    case CFG_SIZE: {
        bool number = web_parse_number(value, o->type == CFG_SIZE, &n) == 0;
        if (!number || n < o->min || n > o->max) {
            ufault_set(f, number ? "setting_out_of_range" : "setting_bad_value",
                       "bad value for '%s': '%s' is not %s from %lld to %lld", o->name, value,
                       o->type == CFG_SIZE ? "a size" : "a whole number", o->min, o->max);
            return -1;
        }
        if (o->type == CFG_INT) {
            int i = (int)n;
            memcpy(field, &i, sizeof i);
        } else {
            size_t z = (size_t)n;
            memcpy(field, &z, sizeof z);
        }
        return 0;
    }
    case CFG_CHOICE: {
        int i = web_parse_choice(web_cfg_choices_of(o), value);
        if (i < 0) {
            ufault_set(f, "setting_bad_value", "bad value for '%s': '%s' is not one of %s", o->name,
                       value, web_cfg_choices_of(o));
            return -1;
        }
        memcpy(field, &i, sizeof i);
        return 0;
    }
    case CFG_LEVEL: {
        int lvl;
        if (web_parse_level(value, &lvl) < 0) {
            ufault_set(f, "setting_bad_value",
                       "bad value for '%s': '%s' is not debug, info, warn or error", o->name,
                       value);
            return -1;
        }
        memcpy(field, &lvl, sizeof lvl);
        return 0;
    }
    }
    ufault_set(f, "setting_bad_value", "'%s': unknown setting type", o->name);
    return -1;
}

int web_config_defaults(struct web_config *c)
{
    struct ufault f;
    int rc = 0;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < WEB_CFG_COUNT; i++)
        if (web_cfg_apply(c, &web_config_table[i], web_config_table[i].def, &f) < 0)
            rc = -1;
    return rc;
}

int web_config_set(struct web_config *c, const char *key, const char *value, struct ufault *f)
{
    const struct web_cfg_option *o = web_cfg_find(key);
    if (!o) {
        ufault_set(f, "setting_unknown", "unknown setting '%.100s'", key);
        return -1;
    }
    return web_cfg_apply(c, o, value, f);
}

static char *web_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int web_config_load_file(struct web_config *c, const char *path, struct ufault *f)
{
    bool seen[WEB_CFG_COUNT] = {false};
    char line[4096];
    struct web_config tmp = *c; /* c changes only when the whole file is good */
    long lineno = 0;
    int rc = -1;
    FILE *in = fopen(path, "r");

    if (!in) {
        int e = errno;
        ufault_subject(f, "%s", path);
        ufault_set(f, e == ENOENT ? "settings_file_missing" : "settings_file_unreadable",
                   "cannot open: %s", strerror(e));
        return -1;
    }
    while (fgets(line, sizeof line, in)) {
        lineno++;
        ufault_subject(f, "%s:%ld", path, lineno);
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(in)) {
            ufault_set(f, "settings_line_bad", "line too long (more than %zu bytes)",
                       sizeof line - 2);
            goto out;
        }
        char *s = line;
        if (lineno == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
            s += 3; /* a UTF-8 byte-order mark some editors write */
        s = web_trim(s);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            ufault_set(f, "settings_line_bad", "expected 'key = value'");
            goto out;
        }
        *eq = '\0';
        char *key = web_trim(s), *value = web_trim(eq + 1);
        const struct web_cfg_option *o = web_cfg_find(key);
        if (!o) {
            ufault_set(f, "setting_unknown", "unknown setting '%.100s'", key);
            goto out;
        }
        size_t idx = (size_t)(o - web_config_table);
        if (seen[idx]) {
            ufault_set(f, "setting_repeated", "'%s' is set twice", key);
            goto out;
        }
        seen[idx] = true;
        if (web_cfg_apply(&tmp, o, value, f) < 0)
            goto out;
    }
    if (ferror(in)) {
        ufault_subject(f, "%s", path);
        ufault_set(f, "settings_file_unreadable", "read error");
        goto out;
    }
    *c = tmp;
    rc = 0;
out:
    fclose(in);
    return rc;
}

void web_config_print_help(FILE *f)
{
    static const char *const types[] = {
        [CFG_STRING] = "text",  [CFG_LISTEN] = "HOST:PORT", [CFG_ORIGIN] = "URL",
        [CFG_BOOL] = "boolean", [CFG_INT] = "number",       [CFG_SIZE] = "size",
        [CFG_LEVEL] = "level",  [CFG_CHOICE] = "word",
    };
    for (size_t i = 0; i < WEB_CFG_COUNT; i++) {
        const struct web_cfg_option *o = &web_config_table[i];
        fprintf(f, "  %-24s %-9s %s (default: %s", o->name, types[o->type], o->help,
                *o->def ? o->def : "none");
        if (o->type == CFG_INT || o->type == CFG_SIZE)
            fprintf(f, "; %lld-%lld", o->min, o->max);
        fprintf(f, ")\n");
    }
}

/* How cards are made: production, the new cards' key type and the PIN key (the engine itself
 * is opened by `eimza serve`, cli/cmd_serve.c). The PIN key's value is never told. */
static int web_config_cards(const struct web_config *c, struct app_settings *out, struct ufault *f)
{
    if (!strcmp(c->production, "inhouse")) {
        out->portal.production = APP_PRODUCTION_INHOUSE;
    } else if (strcmp(c->production, "bureau") != 0) {
        ufault_subject(f, "production");
        ufault_set(f, "setting_bad_value", "production: '%.100s' is not bureau or inhouse",
                   c->production);
        return -1;
    }
    if (!strcmp(c->ca_key_type, "rsa2048")) {
        out->ca_key_type = 0; /* CA_KEY_RSA2048 */
    } else if (!strcmp(c->ca_key_type, "ec-p256")) {
        out->ca_key_type = 1; /* CA_KEY_EC_P256 */
    } else {
        ufault_subject(f, "ca_key_type");
        ufault_set(f, "setting_bad_value", "ca_key_type: '%.100s' is not rsa2048 or ec-p256",
                   c->ca_key_type);
        return -1;
    }
    if (c->pin_key[0]) {
        size_t n = strlen(c->pin_key);
        if (n != 2 * sizeof out->pin_key || strspn(c->pin_key, "0123456789abcdefABCDEF") != n) {
            ufault_subject(f, "pin_key");
            ufault_set(f, "setting_bad_value",
                       "pin_key: 64 hexadecimal digits are needed (32 random bytes)");
            return -1;
        }
        for (size_t i = 0; i < sizeof out->pin_key; i++) {
            unsigned v;
            sscanf(c->pin_key + 2 * i, "%2x", &v);
            out->pin_key[i] = (unsigned char)v;
        }
        out->has_pin_key = true;
    }
    if (out->portal.production == APP_PRODUCTION_INHOUSE) {
        const char *missing = !c->ca_module[0]     ? "ca_module"
                              : !c->ca_label[0]    ? "ca_label"
                              : !c->ca_pin[0]      ? "ca_pin"
                              : !c->card_pin[0]    ? "card_pin"
                              : !c->card_so_pin[0] ? "card_so_pin"
                              : !c->pin_key[0]     ? "pin_key"
                                                   : NULL;
        if (missing) {
            ufault_subject(f, "%s", missing);
            ufault_set(f, "setting_missing",
                       "production = inhouse needs %s (docs/CONFIGURATION.md, \"Cards\")", missing);
            return -1;
        }
    }
    return 0;
}

/* The origin (scheme://host[:port]) of an https URL into out; -1 when url is not https or its
 * authority is empty, too long or holds what an origin may not. */
static int web_https_origin(const char *url, char *out, size_t outlen)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]";
    if (strncasecmp(url, "https://", 8) != 0)
        return -1;
    size_t n = strcspn(url + 8, "/?#");
    if (n == 0 || 8 + n >= outlen || strspn(url + 8, ok) < n)
        return -1;
    memcpy(out, "https://", 8);
    for (size_t i = 0; i < n; i++) /* the host in lower case, as browsers send it */
        out[8 + i] =
            (char)((url[8 + i] >= 'A' && url[8 + i] <= 'Z') ? url[8 + i] + 32 : url[8 + i]);
    out[8 + n] = '\0';
    /* a default port is not written in an origin */
    if (n > 4 && !strcmp(out + 8 + n - 4, ":443"))
        out[8 + n - 4] = '\0';
    return 0;
}

int web_config_relay(const struct web_config *c, struct app_relay_cfg *out, struct ufault *f)
{
    memset(out, 0, sizeof *out);
    out->ticket_ttl = c->sign_ticket_ttl;
    out->claim_ttl = c->sign_claim_ttl;
    if (c->agent_min_version[0] && app_version_cmp(c->agent_min_version, "0") == -2) {
        ufault_subject(f, "agent_min_version");
        ufault_set(f, "setting_bad_value",
                   "agent_min_version '%.100s' is not a version of dotted numbers such as 0.1.0",
                   c->agent_min_version);
        return -1;
    }
    snprintf(out->min_version, sizeof out->min_version, "%s", c->agent_min_version);
    /* the relay needs the portal's address as people reach it, over https: the agent talks
     * to nothing else */
    if (web_https_origin(c->portal_url, out->portal, sizeof out->portal) < 0)
        out->portal[0] = '\0';
    const char *d = c->agent_download_url;
    if (!(d[0] == '/' && d[1] != '/') && strncasecmp(d, "https://", 8) != 0 &&
        !(c->dev && strncasecmp(d, "http://", 7) == 0)) {
        ufault_subject(f, "agent_download_url");
        ufault_set(f, "setting_bad_value",
                   "agent_download_url '%.300s' is neither a path on this portal (/...) nor an "
                   "https URL",
                   d);
        return -1;
    }
    if (strpbrk(d, "\"'<> \\") || d[strlen(d) - 1] != '/') {
        ufault_subject(f, "agent_download_url");
        ufault_set(f, "setting_bad_value",
                   "agent_download_url '%.300s' must be a folder's URL ending in '/'", d);
        return -1;
    }
    if (!c->tls_cert[0] != !c->tls_key[0]) {
        ufault_subject(f, "%s", c->tls_cert[0] ? "tls_key" : "tls_cert"); /* the one missing */
        ufault_set(f, "setting_missing",
                   "tls_cert and tls_key go together: set both for HTTPS, or neither");
        return -1;
    }
    return 0;
}

/* A refusal of the app layer's check (its English reason in why) as f: the code and the
 * subject (NULL: none) the caller knows. -1. */
static int web_cfg_refuse(struct ufault *f, const char *code, const char *subject, const char *why)
{
    ufault_subject(f, "%s", subject ? subject : "");
    ufault_set(f, code, "%s", why);
    return -1;
}

/* The site's names, logo and contacts files (app/site.h); -1 with f set, the site freed. */
static int web_config_site(const struct web_config *c, struct app_site *site, struct ufault *f)
{
    char err[600];
    app_site_default(site);
    int rc = 0,
        which = app_site_names(site, c->ministry_name, c->ministry_name_en, err, sizeof err);
    if (which < 0)
        rc = web_cfg_refuse(f, "setting_bad_value",
                            which == -2 ? "ministry_name_en" : "ministry_name", err);
    else if (c->ministry_logo[0] && app_site_load_logo(site, c->ministry_logo, err, sizeof err) < 0)
        rc = web_cfg_refuse(f, "setting_file_bad", c->ministry_logo, err);
    else if (c->province_contacts[0] &&
             app_site_load_contacts(site, c->province_contacts, err, sizeof err) < 0)
        rc = web_cfg_refuse(f, "setting_file_bad", c->province_contacts, err);
    if (rc < 0)
        app_site_free(site);
    return rc;
}

int web_config_settings(const struct web_config *c, struct app_settings *out, struct ufault *f)
{
    char err[600];
    memset(out, 0, sizeof *out);
    _Static_assert(sizeof out->reader_names >= sizeof c->card_readers, "the readers' names");
    if (web_config_portal(c, &out->portal, out->reader_names, sizeof out->reader_names, f) < 0)
        return -1;
    if (app_staff_cfg_default(&out->staff) < 0) {
        ufault_set(f, NULL, "staff settings: libsodium could not hash (out of memory?)");
        return -1;
    }
    out->staff.dev = c->dev;
    out->staff.max_per_addr = c->staff_login_max_per_addr;
    const char *why = app_staff_cfg_check(&out->staff);
    if (why) /* the file's one staff setting is checked against its range when it is read */
        return web_cfg_refuse(f, "setting_out_of_range", "staff_login_max_per_addr",
                              app_reason_text(why, CORE_LANG_EN));
    out->dev = c->dev;
    snprintf(out->portal_url, sizeof out->portal_url, "%s", c->portal_url);
    long slots = c->password_hash_slots;
    if (slots == 0) { /* one worker always left for the rest (server.c: one per CPU) */
        long workers = c->threads > 0 ? c->threads : sysconf(_SC_NPROCESSORS_ONLN);
        slots = workers > 1 ? workers - 1 : 1;
    }
    out->hash_gate = app_hash_gate_new((int)slots);
    if (!out->hash_gate) {
        ufault_set(f, NULL, "out of memory");
        return -1;
    }
    out->retention = (struct app_retention_cfg){.messages_days = c->retention_messages_days,
                                                .contact_years = c->retention_contact_years,
                                                .draft_days = c->retention_draft_days,
                                                .evidence_years = c->retention_evidence_years};
    /* each is within its range when the file is read: what is left is how they fit together */
    if ((why = app_retention_cfg_check(&out->retention)) != NULL)
        return web_cfg_refuse(f, "settings_conflict", "retention_contact_years", why);
    if (app_settings_seal_key(out, c->secret_key, c->dev, err, sizeof err) < 0)
        return web_cfg_refuse(f, "setting_bad_value", "secret_key", err);
    if (web_config_cards(c, out, f) < 0 || web_config_relay(c, &out->relay, f) < 0)
        return -1;
    return web_config_site(c, &out->site, f);
}

int web_config_portal(const struct web_config *c, struct app_portal_cfg *out, char *names,
                      size_t namescap, struct ufault *f)
{
    app_portal_cfg_default(out);
    struct core_rules *r = &out->rules;
    r->window_open_days = c->renewal_window_days;
    r->deadline_days = c->renewal_deadline_days;
    r->delivery_expected_days = c->delivery_expected_days;
    r->otp_ttl_seconds = c->otp_ttl;
    r->otp_max_wrong = c->otp_max_wrong;
    r->otp_cooldown_seconds = c->otp_cooldown;
    r->otp_max_per_hour = c->otp_max_per_hour;
    out->captcha_ttl = c->captcha_ttl;
    out->session_idle = c->session_idle;
    out->session_lifetime = c->session_lifetime;
    out->login_max_per_addr = c->login_max_per_addr;
    out->login_max_per_tckn = c->login_max_per_tckn;
    out->captcha_max_per_addr = c->captcha_max_per_addr;
    out->remote_renewal_limit = c->remote_renewal_limit;
    /* each is within its range when the file is read: what is left is how they fit together */
    const char *bad = app_portal_cfg_check(out);
    if (bad)
        return web_cfg_refuse(f, "settings_conflict", NULL, bad);
    char err[300];
    if (app_portal_cfg_readers(out, c->card_readers, names, namescap, err, sizeof err) < 0)
        return web_cfg_refuse(f, "setting_bad_value", "card_readers", err);
    return 0;
}

/* Whether a setting holds a secret (never written anywhere, not even to the audit log). */
static bool web_cfg_secret(const char *name)
{
    return strstr(name, "password") || strstr(name, "token") || strstr(name, "_pin") ||
           strstr(name, "secret_key") || !strcmp(name, "pin_key");
}

int web_config_changes(const struct web_config *c, struct ubuf *out)
{
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    struct web_config d;
    if (web_config_defaults(&d) < 0)
        return -1;
    int bad = ubuf_putc(out, '{');
    bool first = true;
    for (size_t i = 0; i < WEB_CFG_COUNT; i++) {
        const struct web_cfg_option *o = &web_config_table[i];
        const char *now = (const char *)c + o->offset, *def = (const char *)&d + o->offset;
        bool text = o->type == CFG_STRING || o->type == CFG_LISTEN || o->type == CFG_ORIGIN;
        if (text ? strcmp(now, def) == 0 : memcmp(now, def, o->size) == 0)
            continue;
        char v[64];
        const char *value = v;
        if (web_cfg_secret(o->name)) {
            value = "(set)";
        } else if (text) {
            value = now;
        } else if (o->type == CFG_BOOL) {
            bool b;
            memcpy(&b, now, sizeof b);
            value = b ? "true" : "false";
        } else if (o->type == CFG_SIZE) {
            size_t z;
            memcpy(&z, now, sizeof z);
            snprintf(v, sizeof v, "%zu", z);
        } else {
            int n;
            memcpy(&n, now, sizeof n);
            if (o->type == CFG_LEVEL && n >= 0 && n < 4)
                value = levels[n];
            else if (o->type == CFG_CHOICE)
                value = web_choice_name(web_cfg_choices_of(o), n, v, sizeof v);
            else
                snprintf(v, sizeof v, "%d", n);
        }
        bad |= (first ? 0 : ubuf_putc(out, ',')) | web_json_string_str(out, o->name) |
               ubuf_putc(out, ':') | web_json_string_str(out, value);
        first = false;
    }
    bad |= ubuf_putc(out, '}');
    return bad ? -1 : 0;
}
