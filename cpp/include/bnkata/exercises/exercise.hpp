// exercise.hpp — what an exercise is, the catalog of all of them, and the three requests the page and
// the CLI make (catalog, exercise, grade).
//
// An exercise is a pure function of (id, seed): its generator draws the numbers, computes the reference
// answer with the core's kernels, and returns the public exercise (prompt, data, fields, hints, solution)
// together with a grader that knows the right answer and the known-wrong variants. Grading a submitted
// answer regenerates the exercise from (id, seed) — nothing is stored between requests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bnkata/json_fields.hpp"

namespace bnkata::exercises {

using json = nlohmann::json;

struct Generated {
    json exercise;                              // prompt, data, fields, options, hints, solution, tolerance, …
    std::function<json(const json& answer)> grade;  // answer → verdict object (docs/exercises.md)
};

struct ExerciseDefinition {
    const char* id;
    int step;
    const char* title;
    const char* kind;  // numeric | vector | formula | choice | multi | predict | code | paste
    Generated (*generate)(std::uint64_t seed);
    // On the core path: about ten exercises across the five steps that fit, with the reading, in an hour.
    // The others (and the lab's deeper experiments) are optional.
    bool core = false;
};

// Each step's file lists its exercises in lesson order.
std::vector<ExerciseDefinition> step1_exercises();
std::vector<ExerciseDefinition> step1_feature_map_exercises();  // step 1 beyond one neuron
std::vector<ExerciseDefinition> step2_exercises();
std::vector<ExerciseDefinition> step3_exercises();
std::vector<ExerciseDefinition> step3_backward_exercises();  // the backward pass, worked out
std::vector<ExerciseDefinition> step4_exercises();
std::vector<ExerciseDefinition> step4_train_eval_exercises();  // the train/eval switch, in code
std::vector<ExerciseDefinition> step5_exercises();

// All exercises, in lesson order (steps 1 to 5).
const std::vector<ExerciseDefinition>& catalog();
// The exercise with this id, or nullptr.
const ExerciseDefinition* find_exercise(const std::string& id);

// The exercise (id, seed) as the page receives it: the generator's output plus id, step, title, kind, seed.
json exercise_json(const ExerciseDefinition& definition, std::uint64_t seed);
// The verdict for an answer to (id, seed), plus id and seed.
json grade_answer(const ExerciseDefinition& definition, std::uint64_t seed, const json& answer);

// The JSON ops (request → response; errors are {"error":{"field","message"}} values, never exceptions).
json exercise_catalog_op(const json& request);
json exercise_op(const json& request);
json grade_op(const json& request);

// Largest seed accepted: 2^53 − 1, the largest integer JavaScript holds exactly.
constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53) - 1;
// Reads a seed (an integer JSON number, or a string of digits; nullptr when absent) into seed. On failure
// returns the problem, named "seed".
Problem read_seed(const json* value, std::uint64_t& seed);

}  // namespace bnkata::exercises
