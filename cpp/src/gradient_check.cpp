// gradient_check.cpp — finite-difference gradient checks (see gradient_check.hpp).
#include "bnkata/gradient_check.hpp"

#include <cmath>

namespace bnkata {

// Gradient checking: central differences, (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, whose error is O(h²).
GradientCheck check_gradient(const std::function<double(const std::vector<double>&)>& f,
                             const std::vector<double>& x, const std::vector<double>& analytic, double h) {
    GradientCheck check;
    check.numeric.resize(x.size());
    std::vector<double> probe = x;
    for (std::size_t i = 0; i < x.size(); ++i) {
        probe[i] = x[i] + h;
        const double f_plus = f(probe);
        probe[i] = x[i] - h;
        const double f_minus = f(probe);
        probe[i] = x[i];
        check.numeric[i] = (f_plus - f_minus) / (2 * h);

        const double a = i < analytic.size() ? analytic[i] : 0.0;
        const double n = check.numeric[i];
        // cs231n's relative error; the 1e-8 floor keeps two tiny gradients from looking far apart.
        const double rel = std::fabs(a - n) / std::fmax(1e-8, std::fabs(a) + std::fabs(n));
        if (rel > check.max_relative_error || i == 0) {
            check.max_relative_error = rel;
            check.worst_index = i;
        }
    }
    return check;
}

}  // namespace bnkata
