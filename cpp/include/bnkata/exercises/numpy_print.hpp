// numpy_print.hpp — NumPy's printed arrays: reading what a learner pasted from their Python, and printing
// an array the same way for the model answer.
//
// NumPy prints a 1-D float array as "[-1.34163542 -0.4472118   0.4472118   1.34163542]": numbers separated
// by spaces (commas in repr: "array([1., 2.])"), scientific notation when the magnitudes call for it
// ("[1.e-09 1.e+00]"), wrapped over several lines when long, nan/inf spelled out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bnkata::exercises {

constexpr std::size_t kMaxPastedLength = 20000;  // characters

struct PrintedArray {
    std::vector<double> values;  // NaN for "nan"
    std::string error;           // empty when values were read
};

// Reads the array printed after `label` (e.g. "Normalized y:"), or the last array printed when the
// label does not occur. Pure.
PrintedArray read_printed_array(std::string_view text, std::string_view label);

// values as NumPy prints a float64 array whose magnitudes need no scientific notation:
// "[1.03051741 -0.86213929 …]" (8 decimals, ASCII minus, space-separated). read_printed_array reads it back.
std::string print_numpy_array(const std::vector<double>& values);

}  // namespace bnkata::exercises
