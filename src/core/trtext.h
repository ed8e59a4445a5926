/* eimza — Turkish text (core/: pure, no I/O). All text is UTF-8.
 *
 * Turkish has two i's: dotted i/İ and dotless ı/I. Comparison keys are built by upper-casing
 * with the Turkish rules (i -> İ, ı -> I), so "ali" matches "ALİ" and "ayşe ışık" matches
 * "AYŞE IŞIK", while "ISIK" and "IŞIK" stay different (ş is not s). Decomposed input is
 * composed first for the letters Turkish uses (I + U+0307 -> İ, s + U+0327 -> ş, ...), and for
 * comparison the circumflex vowels fold to their plain letters, â -> A, î -> İ, û -> U (they
 * are spelling variants: "HAKKÂRİ" = "Hakkari").
 */
#ifndef EIMZA_CORE_TRTEXT_H
#define EIMZA_CORE_TRTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Trims leading/trailing white space and folds every inner run of white space (ASCII space,
 * tab, CR, LF, NBSP U+00A0) to one ASCII space. Writes at most cap-1 bytes and a NUL to out.
 * Returns the length written, or -1 if the input is not valid UTF-8 or does not fit.
 * It also composes the decomposed spellings of the Turkish letters (c/s + U+0327 cedilla,
 * g + U+0306 breve, o/u + U+0308 diaeresis, a/i/u + U+0302 circumflex, upper and lower case;
 * I + U+0307 -> İ, and i + U+0307 -> i), so the same name is stored with the same bytes; case
 * is kept. Input holding a NUL byte is refused with -1 like invalid UTF-8 (the result is a C
 * string). On -1, out is "" when cap > 0. */
int core_tr_normalize(const char *in, size_t n, char *out, size_t cap);

/* Upper-cases with Turkish rules after normalising as above (for display of names).
 * Same return convention. */
int core_tr_upper(const char *in, size_t n, char *out, size_t cap);

/* The comparison key: normalised, Turkish upper-case, circumflexes folded, decomposed forms
 * composed. Two strings are "the same name" when their keys are byte-equal.
 * Same return convention. */
int core_tr_fold(const char *in, size_t n, char *out, size_t cap);

/* Compares two strings by their fold keys; false also when either is not valid UTF-8. */
bool core_tr_equal(const char *a, size_t an, const char *b, size_t bn);

/* The same as core_tr_equal, with the dotted and the dotless i (i/İ and ı/I) taken as one
 * letter: for matching a name a person typed against a record (a keyboard without the Turkish
 * letters types "EMINE" for "EMİNE", and records themselves mix them up). Every other letter
 * still counts: "AYSE" is not "AYŞE". */
bool core_tr_equal_i(const char *a, size_t an, const char *b, size_t bn);

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool core_utf8_valid(const char *s, size_t n);
/* The characters (code points) of well-formed UTF-8 s[0..n): the bytes that begin one. */
size_t core_utf8_chars(const char *s, size_t n);

/* ---- characters text people type may not hold (issue 19, finding 7) -------------------------
 * Text that is shown to other people (names, addresses, a rejection's reason, personnel
 * columns) must not carry characters that are invisible or that change how the text around
 * them is shown: controls, and the Unicode format characters that reorder or hide text (an
 * U+202E in an address turns the rest of a line on the approver's page around). They are
 * refused, not stripped, so the person sees what to fix:
 *   CORE_TEXT_CONTROL  U+0000-U+001F (except tab, CR and LF with CORE_TEXT_BREAKS), U+007F,
 *                      U+0080-U+009F, U+2028, U+2029
 *   CORE_TEXT_BIDI     U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 (direction marks,
 *                      embeddings, overrides, isolates), and the invisible U+200B-U+200D,
 *                      U+2060-U+2064, U+FEFF
 * CORE_TEXT_NOT_UTF8 for malformed UTF-8. */
enum core_text_check {
    CORE_TEXT_OK = 0,
    CORE_TEXT_NOT_UTF8,
    CORE_TEXT_CONTROL,
    CORE_TEXT_BIDI,
};
#define CORE_TEXT_BREAKS 1u /* tab, CR and LF are allowed (several lines of free text) */
enum core_text_check core_text_check(const char *s, size_t n, unsigned flags);
/* The reason code of a check: NULL, "not_utf8", "control_character", "bidi_character". */
const char *core_text_check_code(enum core_text_check c);

#endif
