# Warnings are errors everywhere.
set(TRIALSCOPE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion
    -Wno-sign-conversion -Werror)

if(TRIALSCOPE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # The libraries are built at -O1 (asserts stay on: it is the Debug build), the tests and tools at -O0: the
  # sanitizer tests spend their time in library code, which -O1 makes about 3x faster, and the test sources,
  # which are slow to optimise, stay quick to compile. GCC 12 at -O1 raises false -Wmaybe-uninitialized in std::regex.
  set(TRIALSCOPE_LIBRARY_OPTIONS -O1 -Wno-maybe-uninitialized)
endif()

# trialscope_library(NAME SOURCES a.cc b.cc DEPS other_lib ...)
# Declares the library ts_NAME for the folder src/NAME; headers are included as "NAME/x.h".
function(trialscope_library NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(ts_${NAME} STATIC ${ARG_SOURCES})
  target_include_directories(ts_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(ts_${NAME} PRIVATE ${TRIALSCOPE_WARNINGS} ${TRIALSCOPE_LIBRARY_OPTIONS})
  target_link_libraries(ts_${NAME} PUBLIC ${ARG_DEPS})
endfunction()

# trialscope_test(NAME SOURCES x_test.cc DEPS ts_lib ...)
# A GoogleTest binary registered with CTest.
function(trialscope_test NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  target_compile_options(${NAME} PRIVATE ${TRIALSCOPE_WARNINGS})
  target_include_directories(${NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  target_compile_definitions(${NAME} PRIVATE
      TS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      TS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  add_test(NAME ${NAME} COMMAND ${NAME} WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()

# trialscope_embed(VAR resources/file.tsv kSymbol): generates a source defining
# `extern const std::string_view kSymbol` with the file's text; appends its path to VAR.
function(trialscope_embed VAR FILE NAME)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${NAME}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${PROJECT_SOURCE_DIR}/${FILE} -DOUTPUT=${out} -DNAME=${NAME}
            -P ${PROJECT_SOURCE_DIR}/resources/embed_text.cmake
    DEPENDS ${PROJECT_SOURCE_DIR}/${FILE} ${PROJECT_SOURCE_DIR}/resources/embed_text.cmake)
  # A data table is one long literal: past the 65,536 characters C++ guarantees, which both
  # compilers support; clang's -Wpedantic would otherwise reject it.
  set_source_files_properties(${out} PROPERTIES COMPILE_OPTIONS "-Wno-overlength-strings")
  set(${VAR} ${${VAR}} ${out} PARENT_SCOPE)
endfunction()
