# Turns a resources/ text file into a C++ source holding it as a string (the binary needs no data files).
# -DINPUT=file -DOUTPUT=file.cc -DNAME=kSymbol
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}. Do not edit.\n#include <string_view>\nnamespace ts {\nextern const std::string_view ${NAME} = R\"ts_embed(${CONTENT})ts_embed\";\n}  // namespace ts\n")
