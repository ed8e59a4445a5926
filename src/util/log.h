/* eimza — structured logging to stderr (util/).
 *
 * One line per event, in one of two formats (ulog_set_format; the `log_format` setting):
 *   text  `ts=… level=… event=… key=value key="quoted value" …` (the default)
 *   json  one JSON object per line: {"ts":…,"level":…,"event":…,"key":value,…}, for a log
 *         collector (journald's JSON export, Loki, Elasticsearch). The rest of the line is
 *         read as key=value pairs: a value of digits (an optional sign and fraction) becomes a
 *         JSON number, anything else a string (a quoted value without its quotes; its \xHH
 *         escapes are kept as they are); words that are not key=value are gathered into "msg".
 * Callers never pass personal data (T.C. Kimlik No, phone, e-mail) in full: use
 * core_tckn_mask(), core_phone_mask(), core_email_mask() first. Secrets (security word, SMS
 * codes, PINs, passwords) are never logged at all.
 */
#ifndef EIMZA_UTIL_LOG_H
#define EIMZA_UTIL_LOG_H

#include <stddef.h>

enum ulog_level { ULOG_DEBUG, ULOG_INFO, ULOG_WARN, ULOG_ERROR };
enum ulog_format { ULOG_TEXT, ULOG_JSON };

void ulog_set_level(enum ulog_level min);
void ulog_set_format(enum ulog_format f);
/* fmt is the rest of the line after the event name, normally "key=value key2=value2". */
void ulog(enum ulog_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The JSON line (with its '\n') for an event whose text-format rest is `rest`: what ulog
 * writes in ULOG_JSON. Writes at most cap bytes (cap >= 64), the line cut short but still
 * valid JSON when it does not fit, and returns the length. For the tests. */
size_t ulog_json_line(char *out, size_t cap, const char *ts, const char *level, const char *event,
                      const char *rest);

#endif
