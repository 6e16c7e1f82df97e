// ops.hpp — the exercises' rows of the JSON op table (docs/exercises.md): exercise_catalog, exercise,
// grade, check_answers.
#pragma once

#include "bnkata/dispatch.hpp"

namespace bnkata::exercises {

const OpTable& exercise_ops();

}  // namespace bnkata::exercises
