# The JSON dispatcher and the CLI (issue: core). Included after every area's fragment, so that
# BNKATA_API_LIBS holds all their libraries by now.
#   bnkata_api — cpp/src/compute.cpp only: request → the op's handler → response. The CLI and the WASM
#                module link this.
#   bnkata     — the command-line tool (native only).
add_library(bnkata_api STATIC
  cpp/src/compute.cpp
)
target_link_libraries(bnkata_api PUBLIC bnkata_core ${BNKATA_API_LIBS})
bnkata_warnings(bnkata_api)
list(APPEND BNKATA_WASM_LIBS bnkata_api)

if(NOT EMSCRIPTEN)
  # One file per subcommand; cpp/cli/main.cpp lists them in its table.
  add_executable(bnkata
    cpp/cli/main.cpp
    cpp/cli/cmd_compute.cpp
    cpp/cli/cmd_bench.cpp
    cpp/cli/cmd_check.cpp
    cpp/cli/cmd_train.cpp
  )
  target_link_libraries(bnkata PRIVATE bnkata_api bnkata_training)
  bnkata_warnings(bnkata)
endif()

if(NOT EMSCRIPTEN)
  # The CLI as a newcomer uses it (the README's example), run by ctest.
  add_test(NAME cli_core COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_core_test.sh $<TARGET_FILE:bnkata>)
endif()
