/* eimza — versions of the signing agent as the portal and the agent compare them (core/: pure):
 * dotted numbers, "0.1.0", "1.2" (up to 4 parts of up to 6 digits each; a missing part counts
 * as 0), compared part by part as numbers, so 0.10 is after 0.9. The portal's
 * agent_min_version setting, the agent's X-Eimza-Agent header and sign.js all read them so. */
#ifndef EIMZA_CORE_VERSION_H
#define EIMZA_CORE_VERSION_H

#include <stdbool.h>

/* -1, 0 or 1 as a is before, equal to or after b; -2 when either is malformed (or NULL). */
int core_version_cmp(const char *a, const char *b);

/* Whether s is a version as above. */
bool core_version_ok(const char *s);

#endif
