// tensor_checker.hpp — compares two arrays of numbers and, when they differ, says how.
//
// On failure the report names the label, shows the first few want/got pairs, the largest difference
// and the tolerance chosen, e.g.
//   dx (N, C) vs numpy: max |want − got| = 3.1e-09 at [4] > tolerance 1e-12
//     [0] want -0.2683303038930341  got -0.2683303038930341
// Tolerances are absolute-or-relative: |want − got| ≤ tol·max(1, |want|). Each caller states its own.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace bnkata_test {

struct Comparison {
    bool ok = true;
    std::string report;
};

template <typename A, typename B>
Comparison compare_tensors(const std::string& label, const std::vector<A>& want, const std::vector<B>& got,
                           double tolerance) {
    Comparison result;
    char line[256];
    if (want.size() != got.size()) {
        std::snprintf(line, sizeof line, "%s: want %zu values, got %zu", label.c_str(), want.size(), got.size());
        return {false, line};
    }
    double worst = 0;  // the largest |want − got| / max(1, |want|)
    double worst_abs = 0;
    std::size_t worst_at = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double diff = std::fabs(static_cast<double>(want[i]) - static_cast<double>(got[i]));
        const double scaled = diff / std::max(1.0, std::fabs(static_cast<double>(want[i])));
        if (!(scaled <= worst) || i == 0) {  // also catches NaN
            worst = std::isnan(diff) ? INFINITY : scaled;
            worst_abs = diff;
            worst_at = i;
        }
    }
    result.ok = worst <= tolerance;
    std::snprintf(line, sizeof line, "%s: max |want - got| = %.3g at [%zu] (scaled %.3g) %s tolerance %.3g\n",
                  label.c_str(), worst_abs, worst_at, worst, result.ok ? "<=" : ">", tolerance);
    result.report = line;
    for (std::size_t i = 0; i < std::min<std::size_t>(4, want.size()); ++i) {
        std::snprintf(line, sizeof line, "  [%zu] want %.17g  got %.17g\n", i, static_cast<double>(want[i]),
                      static_cast<double>(got[i]));
        result.report += line;
    }
    return result;
}

}  // namespace bnkata_test

// CHECK that two arrays agree within tolerance; prints the comparison report when they do not.
#define CHECK_TENSOR(label, want, got, tolerance)                                                   \
    do {                                                                                            \
        const auto bnkata_cmp_ = bnkata_test::compare_tensors((label), (want), (got), (tolerance)); \
        INFO(bnkata_cmp_.report);                                                                   \
        CHECK(bnkata_cmp_.ok);                                                                      \
    } while (0)
