// option_order.hpp — the order in which a choice, multi or predict exercise shows its options.
//
// A learner should not be able to pass by position ("the answer is always a") or by letter. So the core
// shows the options in an order drawn from (exercise id, seed) and letters them a, b, c… in that order;
// an instructor's ?seed= reproduces the order, natively and in the browser alike (the same Rng). The step
// files write their options in any order with fixed ids; this file is the one place that reorders them,
// and maps the learner's letters back before grading and the grader's letters forward after it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bnkata/exercises/exercise.hpp"

namespace bnkata::exercises {

// How the options of one (exercise, seed) are shown: shown[p] is the written id of the option shown at
// position p (with the letter 'a' + p).
struct OptionOrder {
    std::vector<std::string> written;  // ids in the order the step file wrote them
    std::vector<std::string> shown;    // written ids in the order the learner sees them

    // The letter the learner sees for a written id ("" when there is no such option).
    std::string letter_of(const std::string& written_id) const;
    // The written id behind a letter the learner sent (unchanged when there is no such letter, so that the
    // grader names it as unknown).
    std::string written_of(const std::string& letter) const;
};

// The order for this exercise's options, drawn from (id, seed); empty for kinds without options.
OptionOrder option_order(const std::string& id, std::uint64_t seed, const json& options);

// The exercise JSON with its options in shown order and every option id in it (options, solution) lettered.
json show_options(const json& exercise, const OptionOrder& order);
// The learner's answer with the letters mapped back to written ids.
json answer_to_written(const json& answer, const OptionOrder& order);
// The grader's verdict with the written ids (per-option explanations, "observed") mapped to letters.
json verdict_to_shown(const json& verdict, const OptionOrder& order);

}  // namespace bnkata::exercises
