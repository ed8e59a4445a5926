# Turns a text file into a C string constant (the OpenAPI document, docs/openapi.yaml).
# Called by the build with -DIN= -DOUT= -DNAME=: defines `const char NAME[]` (NUL-terminated)
# and `const size_t NAME_len` (without the NUL). Backslashes, quotes and '?' (no trigraphs in
# strict C17) are escaped; each line becomes one string literal.
file(READ ${IN} text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "?" "\\?" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REPLACE "\r" "\\r" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
set(body "/* Generated from ${IN} by cmake/embed_text.cmake. */\n#include <stddef.h>\n\n")
string(APPEND body "extern const char ${NAME}[];\nextern const size_t ${NAME}_len;\n")
string(APPEND body "const char ${NAME}[] =\n    \"${text}\";\n")
string(APPEND body "const size_t ${NAME}_len = sizeof ${NAME} - 1;\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
