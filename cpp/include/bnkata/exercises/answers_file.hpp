// answers_file.hpp — the exported answers file, and re-grading it (the page's export, `bnkata check`).
//
//   {"format":"bnkata-answers","version":1,"seed":N,
//    "answers":{"<exercise id>":{"seed":N,"answer":{…},"attempts":k}, …}}
//
// Re-grading regenerates every exercise from its (id, seed) and grades the stored answer with the same
// code the page used, so the verdicts are identical.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

namespace bnkata::exercises {

using json = nlohmann::json;

constexpr const char* kAnswersFormat = "bnkata-answers";
constexpr int kAnswersVersion = 1;
constexpr std::size_t kMaxAnswersFileBytes = std::size_t{2} << 20;  // 2 MiB: bnkata check refuses larger files
constexpr std::size_t kMaxAnswers = 100;                           // entries in "answers"
constexpr std::size_t kMaxStringLength = 100000;                   // bytes in any string of the file

// Grades every answer of a parsed answers file: {"results":[…],"summary":{…}}, or {"error":{…}} when the
// file itself is not an answers file we can read (another format, a newer version, over a limit).
json check_answers(const json& file);

// The JSON op: {"op":"check_answers","file":{…}}.
json check_answers_op(const json& request);

}  // namespace bnkata::exercises
