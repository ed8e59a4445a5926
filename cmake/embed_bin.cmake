# Turns a binary file into a C array (the compiled catalogues of people's text, core/catalogue.h).
# Called by the build with -DIN= -DOUT= -DNAME=: defines `const unsigned char NAME[]`, aligned
# for 32-bit reads, and `const size_t NAME_len`.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " hex "${hex}")
set(body "/* Generated from ${IN} by cmake/embed_bin.cmake. */\n#include <stddef.h>\n\n")
string(APPEND body "extern const unsigned char ${NAME}[];\nextern const size_t ${NAME}_len;\n")
string(APPEND body "_Alignas(8) const unsigned char ${NAME}[] = {\n    ${hex}\n};\n")
string(APPEND body "const size_t ${NAME}_len = ${n};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
