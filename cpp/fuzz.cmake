# Fuzz harnesses (tests/fuzz/, libFuzzer) — built only by the "sanitize" preset (BNKATA_FUZZ=ON), whose
# clang build compiles every library and test with -fsanitize=address,undefined,fuzzer-no-link: the
# doctest suites then run under ASan + UBSan (ctest --preset sanitize), and the harnesses link the same
# instrumented libraries with libFuzzer's main (-fsanitize=fuzzer). scripts/fuzz.sh runs them;
# docs/reliability.md says what each covers.
set(BNKATA_FUZZ_HARNESSES compute formula answers_file numpy_output training)
foreach(_name IN LISTS BNKATA_FUZZ_HARNESSES)
  add_executable(fuzz_${_name} tests/fuzz/fuzz_${_name}.cpp)
  target_link_libraries(fuzz_${_name} PRIVATE $<IF:$<STREQUAL:${_name},training>,bnkata_training,bnkata_api>)
  target_link_options(fuzz_${_name} PRIVATE -fsanitize=fuzzer)
  bnkata_warnings(fuzz_${_name})
endforeach()
