/* eimza — the notification service as the command line runs it (cli/): the scan's settings,
 * the templates and the senders, made once from the configuration and shared by `eimza notify
 * run` (cmd_notify.c) and `eimza serve` (cmd_serve.c), which runs the same scan periodically.
 */
#ifndef EIMZA_CLI_CMD_NOTIFY_H
#define EIMZA_CLI_CMD_NOTIFY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/notify.h"
#include "notify/scan.h"
#include "store/store.h"

struct web_config;
struct cli_notify;
struct ufault;

/* Checks the notification settings of cfg (milestones, templates, digest addresses, and
 * outside --dev the SMTP server; with sms also the SMS gateway) and makes what runs them.
 * Returns 0, or -1 with the reason in f (a usage error: nothing has run; coded for the
 * templates, notify_templates_load_fault, else English details alone), for cli_refuse_fault.
 * Without an SMTP URL (or in --dev) no e-mail is sent: it waits in the outbox. */
int cli_notify_new(const struct web_config *cfg, bool sms, struct cli_notify **out,
                   struct ufault *f);
void cli_notify_free(struct cli_notify *n);
/* The SMS gateway's settings of cfg (sms_gateway_*), for notify_sms_new. */
struct notify_sms_cfg cli_notify_sms_cfg(const struct web_config *cfg);
/* The drain settings of the configuration (tries, back-off, the templates and portal_url that
 * render a message kept unrendered); lease, pass size and clock are the caller's to set. */
struct notify_drain_cfg cli_notify_drain_cfg(const struct cli_notify *n);

/* Seconds between two scans in serve (0: none). */
int cli_notify_scan_interval(const struct cli_notify *n);

/* One scan pass at now. */
enum store_err cli_notify_scan(struct cli_notify *n, struct store *s, int64_t now,
                               struct notify_scan_stats *st);

/* Whether e-mail (or SMS, when made with sms) is sent: a server configured and not --dev. */
bool cli_notify_sends(const struct cli_notify *n, const char *channel);

/* One drain pass of channel ("email" | "sms") on s, with the hand-over recorded on s (smtp.h);
 * clock may be NULL (time()). STORE_OK and zero stats when the channel is not sent. */
enum store_err cli_notify_drain(struct cli_notify *n, const char *channel, struct store *s,
                                int64_t (*clock)(void), long max_per_pass, const atomic_bool *stop,
                                struct notify_drain_stats *ds);

#endif
