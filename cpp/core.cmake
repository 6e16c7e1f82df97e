# The BatchNorm core (issue: core). Owner of this fragment: the core.
add_library(bnkata_core STATIC
  cpp/src/batchnorm.cpp
)
add_library(bnkata::core ALIAS bnkata_core)
target_include_directories(bnkata_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/cpp/include)
target_link_libraries(bnkata_core PUBLIC bnkata_json)
bnkata_warnings(bnkata_core)
list(APPEND BNKATA_WASM_LIBS bnkata_core)
