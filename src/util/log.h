/* eimza — structured logging to stderr (util/).
 *
 * One line per event: `ts=… level=… event=… key=value …`. Callers never pass personal data
 * (T.C. Kimlik No, phone, e-mail) in full: use core_tckn_mask(), core_phone_mask(),
 * core_email_mask() first. Secrets (security word, SMS codes, PINs, passwords) are never logged at
 * all.
 */
#ifndef EIMZA_UTIL_LOG_H
#define EIMZA_UTIL_LOG_H

enum ulog_level { ULOG_DEBUG, ULOG_INFO, ULOG_WARN, ULOG_ERROR };

void ulog_set_level(enum ulog_level min);
/* fmt is the rest of the line after the event name, normally "key=value key2=value2". */
void ulog(enum ulog_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
