// ops.cpp — the exercises' rows of the JSON op table (ops.hpp).
#include "bnkata/exercises/ops.hpp"

#include "bnkata/exercises/answers_file.hpp"
#include "bnkata/exercises/exercise.hpp"

namespace bnkata::exercises {

const OpTable& exercise_ops() {
    static const OpTable table = {
        {"exercise_catalog", exercise_catalog_op},
        {"exercise", exercise_op},
        {"grade", grade_op},
        {"check_answers", check_answers_op},
    };
    return table;
}

}  // namespace bnkata::exercises
