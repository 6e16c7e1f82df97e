// gradient_check.hpp — checking an analytic gradient against finite differences (cs231n style).
//
// Used by the tests of the kernels and by the grading of the lesson's backward exercise; not by the
// kernels themselves.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace bnkata {

// Central differences of a scalar function f at x with step h, compared element by element with the
// analytic gradient using relative error |a − n| / max(1e-8, |a| + |n|).
struct GradientCheck {
    double max_relative_error = 0;  // over all elements
    std::size_t worst_index = 0;    // element where it occurred
    std::vector<double> numeric;    // the finite-difference gradient, same length as x
};
GradientCheck check_gradient(const std::function<double(const std::vector<double>&)>& f,
                             const std::vector<double>& x, const std::vector<double>& analytic,
                             double h = 1e-5);

}  // namespace bnkata
