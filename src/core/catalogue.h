/* eimza — the one catalogue of people's text (core/): every sentence and word a person reads,
 * in Turkish and English, found by a stable key such as "reason.tckn_length" or
 * "page.service_name" (docs/ARCHITECTURE.md, "The catalogue").
 *
 * The texts are kept in GNU gettext's format: po/eimza.pot holds each key (its msgctxt) with
 * its Turkish text (its msgid), po/en.po the English ones. The build compiles both with msgfmt
 * (which checks them) and embeds the compiled catalogues in the program; this file looks keys
 * up in them. It does not go through gettext(3) and the locale: a request's language is a
 * value passed along (enum core_lang), never process or thread state, so any thread can ask
 * for any language at any time, and no system locale needs to be installed. A lookup is a
 * binary search in constant data: no set-up, no lock, no allocation.
 */
#ifndef EIMZA_CORE_CATALOGUE_H
#define EIMZA_CORE_CATALOGUE_H

#include <stddef.h>

#include "util/buf.h"

/* The languages of people's text. Turkish is the source language: every key has a Turkish
 * text, and a key without an English one is shown in Turkish (as gettext would). */
enum core_lang { CORE_LANG_TR = 0, CORE_LANG_EN };

#define CORE_TEXT_KEY_MAX 96 /* longest key, with its terminating NUL */

/* The text of key in lang; NULL when the catalogue has no such key. */
const char *core_text(const char *key, enum core_lang lang);

/* The text of the key "<group>.<name>" (core_text("reason.late") is
 * core_text_of("reason", "late")); NULL when there is none or the key would be too long. */
const char *core_text_of(const char *group, const char *name, enum core_lang lang);
/* core_text_of, or name itself when the catalogue has no such entry: never NULL (name must not
 * be), for a word shown where a missing entry must not leave a hole (test_words and the
 * catalogue tests check that the entries are there). */
const char *core_word(const char *group, const char *name, enum core_lang lang);

/* The text of key for a count n: an entry with plural forms (msgid_plural in po/, "{0}
 * application" / "{0} applications") gives its form for n, as Plural-Forms in the files' headers
 * says: the first for n == 1, the second otherwise (Turkish does not inflect a noun after a
 * number, so its two forms are the same text); an entry without them, its one text. NULL when
 * there is no such key. */
const char *core_text_n(const char *key, unsigned long n, enum core_lang lang);
/* A text with its placeholder {0} replaced by arg (a text without one as it is), into out of
 * cap bytes. Returns out, or NULL when it did not fit (out then holds as much as fits). */
const char *core_text_fill(const char *text, const char *arg, char *out, size_t cap);
/* Appends text to out with each placeholder {0} .. {9} replaced by args[N] (a placeholder with
 * no such argument, and any other brace, as it is): for a text with more than one value.
 * Returns 0, or -1 when out's cap would be passed (what came before stays). */
int core_text_put(struct ubuf *out, const char *text, const char *const *args, size_t nargs);

/* The number of keys, and the i-th of them in the catalogue's order (sorted bytewise) copied
 * into out: 0, or -1 when i is out of range or out is too small. For tests and tools. */
size_t core_text_count(void);
int core_text_key(size_t i, char *out, size_t outlen);

#endif
