/* eimza — a refusal on its way up (util/fault.h). */
#include "util/fault.h"

#include <stdarg.h>
#include <stdio.h>

void ufault_set(struct ufault *f, const char *code, const char *fmt, ...)
{
    va_list ap;
    f->code = code;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
}

void ufault_subject(struct ufault *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->subject, sizeof f->subject, fmt, ap);
    va_end(ap);
}
