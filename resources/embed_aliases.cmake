# Turns resources/aliases.tsv into a C++ source holding it as a string (the binary needs no data files).
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}" "// Generated from resources/aliases.tsv. Do not edit.\n#include <string_view>\nnamespace ts {\nextern const std::string_view kCuratedAliases = R\"ts_aliases(${CONTENT})ts_aliases\";\n}  // namespace ts\n")
