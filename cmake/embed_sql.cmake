# Turns src/store/migrations/<backend>/NNNN_name.sql into a C array of migrations.
# Called by the build with -DBACKEND= -DDIR= -DOUT=. Files are applied in name order; the
# number before the first '_' is the schema version the file brings the database to. The
# versions must run 1, 2, 3 ... without gaps or repeats: a gap would make "applied K
# migrations" (to - from) wrong, and a repeat would leave which file wins to chance.
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "/* Generated from src/store/migrations/${BACKEND}/ by cmake/embed_sql.cmake. */\n")
string(APPEND body "#include \"store/migration.h\"\n\n")
string(APPEND body "const struct store_migration store_migrations_${BACKEND}[] = {\n")
set(count 0)
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  if(num STREQUAL "")
    message(FATAL_ERROR "${f}: a migration's name must start with its version number")
  endif()
  math(EXPR ver "${num}")
  math(EXPR want "${count} + 1")
  if(NOT ver EQUAL want)
    message(FATAL_ERROR "${f}: migration version ${ver} where ${want} was expected "
                        "(versions must run 1, 2, 3 ... without gaps)")
  endif()
  file(READ ${f} sql)
  string(REPLACE "\\" "\\\\" sql "${sql}")
  string(REPLACE "\"" "\\\"" sql "${sql}")
  string(REPLACE "\n" "\\n\"\n    \"" sql "${sql}")
  string(APPEND body "  {${ver}, \"${name}\",\n    \"${sql}\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
string(APPEND body "};\nconst size_t store_migrations_${BACKEND}_count = ${count};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
