# The exercise engine (no Emscripten headers).
#   bnkata_exercises — generation from (id, seed), grading, the expression language, the answers file.
#                      Its ops (exercise_catalog, exercise, grade, check_answers) are rows in compute.cpp.
#   tests: exercises (doctest), exercises_cli (`bnkata check` as a learner or instructor runs it).
add_library(bnkata_exercises STATIC
  cpp/src/exercises/rng.cpp
  cpp/src/exercises/expression.cpp
  cpp/src/exercises/grading.cpp
  cpp/src/exercises/reference.cpp
  cpp/src/exercises/authoring.cpp
  cpp/src/exercises/option_order.cpp
  cpp/src/exercises/numpy_print.cpp
  cpp/src/exercises/code_grading.cpp
  cpp/src/exercises/step1_normalization.cpp
  cpp/src/exercises/step1_feature_maps.cpp
  cpp/src/exercises/step2_scale_shift.cpp
  cpp/src/exercises/step3_gradient_flow.cpp
  cpp/src/exercises/step3_backward.cpp
  cpp/src/exercises/step4_inference.cpp
  cpp/src/exercises/step4_train_eval.cpp
  cpp/src/exercises/step5_verification.cpp
  cpp/src/exercises/catalog.cpp
  cpp/src/exercises/answers_file.cpp
  cpp/src/exercises/ops.cpp
)
target_link_libraries(bnkata_exercises PUBLIC bnkata_core)
# The parser's tokens live in an anonymous namespace, and a class with such a member may only be defined
# in the file the compiler was given (GCC's -Wsubobject-linkage): expression.cpp is compiled on its own.
set_source_files_properties(cpp/src/exercises/expression.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
bnkata_warnings(bnkata_exercises)
bnkata_wasm_code(bnkata_exercises SIZE)  # once per click: generation and grading

if(NOT EMSCRIPTEN)
  bnkata_add_test_suite(exercises
    SOURCES
      tests/test_exercises_expression.cpp
      tests/test_exercises_catalog.cpp
      tests/test_exercises_steps.cpp
      tests/test_exercises_backward.cpp
      tests/test_exercises_feature_maps.cpp
      tests/test_exercises_code.cpp
      tests/test_exercises_train_eval.cpp
      tests/test_exercises_answers_file.cpp
    LIBRARIES bnkata_exercises bnkata_api
    DEFINITIONS BNKATA_EXERCISE_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures/exercises"
                BNKATA_FIXTURES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures")

  # Exit codes, refused files, a 50 MB file.
  add_test(NAME exercises_cli
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/test_exercises_cli.sh $<TARGET_FILE:bnkata>
            ${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures/exercises)
endif()
