# Every op in one table, and the command line.
#   bnkata_api — cpp/src/compute.cpp: the Batch Normalization ops and the exercises' in one dispatcher
#                table (compute.hpp). The CLI and the exercises' WebAssembly module link it.
#   bnkata     — the command-line tool (native only): one file per subcommand, listed in cpp/cli/main.cpp.
#   tests: cli_core (the CLI as the README's example uses it).
add_library(bnkata_api STATIC
  cpp/src/compute.cpp
)
target_link_libraries(bnkata_api PUBLIC bnkata_core bnkata_exercises)
bnkata_warnings(bnkata_api)
bnkata_wasm_code(bnkata_api SIZE)

if(NOT EMSCRIPTEN)
  add_executable(bnkata
    cpp/cli/main.cpp
    cpp/cli/cmd_compute.cpp
    cpp/cli/cmd_bench.cpp
    cpp/cli/cmd_check.cpp
    cpp/cli/cmd_train.cpp
    cpp/cli/cmd_summarise.cpp
  )
  target_link_libraries(bnkata PRIVATE bnkata_api bnkata_training)
  bnkata_warnings(bnkata)

  add_test(NAME cli_core COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_core_test.sh $<TARGET_FILE:bnkata>)
endif()
