/* eimza — the server's configuration (web/http/): one table of settings, each with a type, bounds
 * and a default, read from a `key = value` file and overridden by command-line options.
 *
 * File format: one setting per line, `key = value`; blank lines and lines whose first
 * non-blank character is '#' are ignored; leading and trailing blanks are trimmed; a key may
 * appear once. Unknown keys and bad values are refusals with a code whose subject is
 * "FILE:LINE" (web_config_load_file).
 * Booleans: true/false, yes/no, on/off, 1/0. Sizes: a number of bytes, optionally followed by
 * k, m or g (powers of 1024).
 */
#ifndef EIMZA_WEB_HTTP_CONFIG_H
#define EIMZA_WEB_HTTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sockaddr;

struct web_config {
    char listen[256];             /* HOST:PORT or [IPV6]:PORT */
    char db[1024];                /* store URL (store/store.h) */
    char trust_dir[1024];         /* trust anchors for signature checks ("" = trust/ if present) */
    char signature_policies[512]; /* accepted certificate policy OIDs, comma-separated */
    bool accept_unknown_revocation; /* accept a signature whose revocation cannot be checked */
    int revocation_timeout_ms;      /* per OCSP/CRL exchange */
    bool dev;                       /* development mode (docs/INTERFACES.md: --dev) */
    int threads;                    /* worker threads; 0 = one per CPU */
    size_t max_body_bytes;          /* default request body limit for routes */
    int max_connections;            /* concurrent connections accepted */
    int connection_timeout;         /* seconds of inactivity before a connection is closed */
    size_t connection_memory;       /* per-connection memory (headers and I/O buffers) */
    int shutdown_timeout;           /* seconds to let requests finish on SIGTERM */
    bool access_log;                /* one log line per request */
    int status_cache_ms;            /* how long a status answer may be served again; 0: never */
    int log_level;                  /* enum ulog_level */
    int log_format;                 /* enum ulog_format: text or json */
    char static_dir[1024];          /* the pages' static files; node_modules/ beside it */
    char agent_url[128];            /* the local signing agent, as the signing page reaches it */
    char trusted_proxies[512];      /* addresses of reverse proxies whose X-Forwarded-For counts */
    /* delivering the outbox outside --dev (notify/notify.h); "" = not set */
    char sms_gateway_url[1024];
    char sms_gateway_user[256];
    char sms_gateway_password[256]; /* a secret: never logged */
    char sms_gateway_token[1024];   /* a secret: never logged */
    char sms_gateway_body[2048];    /* the body template: {to} and {text} */
    char sms_gateway_content_type[128];
    int sms_gateway_timeout; /* seconds for one request */
    int outbox_interval;     /* seconds between two drain passes */
    int outbox_max_tries;    /* attempts before a message fails for good */
    int outbox_retry_base;   /* seconds before the first retry, doubled after each */
    int outbox_retry_max;    /* the longest wait between two attempts */
    /* the portal's rules (app/portal.h, core/rules.h); defaults are the guide's values */
    int renewal_window_days;      /* applying opens this many days before expiry */
    int renewal_deadline_days;    /* later applications are flagged late */
    int delivery_expected_days;   /* after approval; later, whom to call is shown */
    int otp_ttl;                  /* seconds an SMS code is valid */
    int otp_max_wrong;            /* wrong entries an hour before entries are locked */
    int otp_cooldown;             /* seconds between two codes */
    int otp_max_per_hour;         /* codes an hour */
    int captcha_ttl;              /* seconds a captcha can be answered */
    int session_idle;             /* seconds without a request that end a session */
    int session_lifetime;         /* seconds after login that end it however active */
    int login_max_per_addr;       /* failed logins per 15 minutes from one address */
    int login_max_per_tckn;       /* failed logins per 15 minutes for one person */
    int staff_login_max_per_addr; /* failed staff logins per 15 minutes from one address */
    int password_hash_slots;      /* password hashes at once; 0: one fewer than the workers */
    int captcha_max_per_addr;     /* captchas per 15 minutes from one address */
    char secret_key[128]; /* base64 of 32 bytes: secrets sealed at rest (crypto/seal.h); secret */
    int remote_renewal_limit; /* signature-only renewals in a row before an in-person check */
    char card_readers[512];   /* reader models offered besides "none", comma-separated */
    /* ---- the portal's identity and contacts (app/site.h) ---- */
    char ministry_name[192];      /* the header's institution name, Turkish */
    char ministry_name_en[192];   /* ... and English */
    char ministry_logo[1024];     /* .svg or .png file; "" = the built-in emblem */
    char province_contacts[1024]; /* CSV of each province's DYS unit; "" = none */
    /* ---- notifications (notify/scan.h, notify/smtp.h; cli/cmd_notify.c) ---- */
    char smtp_url[1024];      /* smtp:// or smtps://; "" = e-mail waits in the outbox */
    char smtp_user[256];      /* AUTH when set */
    char smtp_password[256];  /* a secret: never logged */
    char smtp_from[256];      /* the sender's address */
    bool smtp_starttls;       /* require STARTTLS on smtp:// */
    char smtp_ca_file[1024];  /* CAs to verify the SMTP server with; "" = the system's */
    int smtp_timeout;         /* seconds for one SMTP exchange */
    int scan_interval;        /* seconds between two expiry scans in serve; 0 = none */
    char warn_days[64];       /* warning milestones, days before expiry, descending */
    int notify_expired_days;  /* the expiry message goes at most this long after expiry */
    int reminder_days;        /* days a stuck application waits before its reminder; 0: none */
    char portal_url[512];     /* the link in messages */
    char templates_dir[1024]; /* message templates over the built-in ones; "" = built-in */
    char notify_language[8];  /* tr | en */
    char digest_to[2048];     /* NN=address,...: where each province's daily digest goes */
    /* ---- personal data kept only as long as allowed (KVKK; app/retention.h) ---- */
    int retention_messages_days;  /* a delivered message's recipient and contents */
    int retention_contact_years;  /* a closed application's contact data */
    int retention_draft_days;     /* a draft never submitted */
    int retention_evidence_years; /* the registration evidence past the certificate's end */
    int retention_interval;       /* seconds between two runs in serve; 0: none in serve */
    /* ---- after approval: how cards are made (app/card_flow.h) ---- */
    char production[16];      /* bureau | inhouse */
    char ca_module[1024];     /* in house: the PKCS#11 module of the CA's token */
    char ca_label[64];        /* that token's label */
    char ca_key_label[64];    /* the CA key's label ("" : the only private key) */
    char ca_pin[128];         /* the CA token's user PIN: a secret */
    char card_module[1024];   /* the card reader's module ("": ca_module) */
    char card_label[64];      /* the label of blank cards */
    char card_pin[64];        /* the blank cards' transport user PIN: a secret */
    char card_so_pin[64];     /* and their transport SO PIN: a secret */
    char ca_policies[512];    /* certificate policy OIDs of new certificates ("": NES) */
    char ca_cps_url[512];     /* a CPS qualifier on them ("": none) */
    char ca_ocsp_url[512];    /* the OCSP address new certificates name ("": portal_url ca/ocsp) */
    char ca_crl_url[512];     /* the CRL address ("": portal_url ca/crl) */
    char ca_issuers_url[512]; /* the CA certificate's address in AIA ("": none) */
    char ca_key_type[16];     /* rsa2048 | ec-p256: new cards' key pairs */
    char pin_key[80];         /* 64 hex digits: seals new cards' PINs until shown; a secret */
    /* ---- HTTPS (web/http/tls.h) ---- */
    char tls_cert[1024];      /* PEM chain, leaf first; "" = plain HTTP (a TLS proxy in front) */
    char tls_key[1024];       /* PEM private key of the leaf */
    char tls_priorities[256]; /* GnuTLS priority string */
    int tls_reload_check;     /* seconds between two looks at the files; 0 = on SIGHUP only */
    int hsts_max_age;         /* Strict-Transport-Security over HTTPS; 0 = not sent */
    /* ---- signing through the relay, and the agent people install (app/relay.h) ---- */
    int sign_ticket_ttl;           /* seconds a ticket may wait for its agent */
    int sign_claim_ttl;            /* seconds a claimed ticket may wait for the signature */
    char agent_min_version[32];    /* dotted numbers; "" = any version */
    char agent_download_url[512];  /* where the agent's packages are (a folder's URL) */
    char agent_packages_dir[1024]; /* served at /indir/; "" = not served here */
};

/* Fills c with every setting's default. Returns 0; -1 only if a default in the table is not
 * valid for its own setting (a bug the unit test catches). */
int web_config_defaults(struct web_config *c);

struct ufault;
/* Sets one setting from its text form. Returns 0, or -1 with c unchanged and the refusal in f
 * (util/fault.h; its subject left to the caller): setting_unknown, setting_bad_value (a value
 * of the wrong type or form, or too long), setting_out_of_range (a number outside its bounds);
 * the details name the setting, never a string's value (a secret's). */
int web_config_set(struct web_config *c, const char *key, const char *value, struct ufault *f);

/* Reads a configuration file into c (settings it does not name keep their value). Returns 0,
 * or -1 with c unchanged and the refusal in f, its subject "FILE:LINE" (or "FILE" when it
 * cannot be read): settings_file_missing, settings_file_unreadable, settings_line_bad (not
 * `key = value`, or too long), setting_unknown, setting_repeated, or web_config_set's. */
int web_config_load_file(struct web_config *c, const char *path, struct ufault *f);

struct app_portal_cfg;
struct app_relay_cfg;
struct app_settings;
/* The relay's settings (app/context.h) from c, and the checks of the HTTPS and agent settings
 * that need more than one value or a format: agent_min_version a version, agent_download_url
 * a folder's path or https URL, tls_cert and tls_key both or neither. The portal's origin is
 * portal_url's when that is https (none otherwise: the relay is then not offered). Returns 0,
 * or -1 with the refusal in f (util/fault.h; its subject the setting's name). */
int web_config_relay(const struct web_config *c, struct app_relay_cfg *out, struct ufault *f);
/* The use cases' settings (app/context.h) from c: the portal's (web_config_portal), the staff
 * login's (the defaults, with dev: no TOTP for accounts that have not enrolled), dev and
 * portal_url. The verifier, the message templates and the status cache are objects with a life
 * of their own: `eimza serve` makes them (cli/cmd_serve.c). Also the checks that need more
 * than one setting or a file: the rules together, production, pin_key, secret_key, the TLS
 * pair, the logo and contacts files. Returns 0, or -1 with the refusal in f (util/fault.h: its
 * subject the setting's name or the file; never a secret's value; no code for a failure that
 * is no refusal, out of memory). */
int web_config_settings(const struct web_config *c, struct app_settings *out, struct ufault *f);
/* The portal's settings (app/portal.h) from c: the defaults of app_portal_cfg_default with
 * the configured values over them. The card reader names are split into names[] (which must
 * outlive out; sizeof c->card_readers is enough). Returns 0, or -1 with the refusal in f
 * when the rules do not fit together (settings_conflict: e.g. the deadline not before the
 * window opens) or the readers' list is bad. */
int web_config_portal(const struct web_config *c, struct app_portal_cfg *out, char *names,
                      size_t namescap, struct ufault *f);

/* Splits a listen address, "HOST:PORT" or "[IPV6]:PORT", into host (brackets removed) and
 * port (0-65535; 0 lets the kernel choose). Returns 0, or -1 with the reason in err. */
int web_listen_split(const char *listen, char *host, size_t hostlen, unsigned *port, char *err,
                     size_t errlen);

/* True for an address in 127.0.0.0/8, ::1, or an IPv4-mapped 127.x address. */
bool web_addr_is_loopback(const struct sockaddr *sa);

/* Writes one line per setting (name, type, bounds, default, meaning) to f, for `--help`. */
void web_config_print_help(FILE *f);

struct ubuf;
/* The settings of c that differ from their defaults, as a JSON object {"key":"value",...} in
 * the table's order, appended to out; secrets (passwords, tokens) appear as "(set)". For the
 * audit entry a server writes when it starts, so that every change of configuration is on
 * record. Returns 0, or -1 when out is full. */
int web_config_changes(const struct web_config *c, struct ubuf *out);

#endif
