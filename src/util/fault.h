/* eimza — a refusal on its way up to the command line (util/): the stable code of the
 * catalogue (reason.CODE) that says what to do, what was refused (a settings file's
 * "FILE:LINE", the file, an option) and English details (the setting's name and what was
 * wrong; never a secret's value). A layer below the command line fills one (web/http/config.h,
 * sign/conf.h); the command line prints it in the one form of a refusal (cli_refuse_fault):
 * the code travels with the error, nothing reads it out of a text. */
#ifndef EIMZA_UTIL_FAULT_H
#define EIMZA_UTIL_FAULT_H

struct ufault {
    const char *code;   /* a static string ("setting_unknown"); NULL until set, and left NULL
                         * for a failure that is no refusal (out of memory): details only */
    char subject[1100]; /* "" when the refusal has none */
    char detail[700];   /* English; "" when none */
};

/* Sets the code and the details (printf's format); the subject is left as it is. */
void ufault_set(struct ufault *f, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets the subject (printf's format): "FILE:LINE", "FILE", "--option". */
void ufault_subject(struct ufault *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
