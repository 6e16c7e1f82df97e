// loss.cpp — softmax cross-entropy (see the header).
#include "bnkata/training/loss.hpp"

#include <cmath>

#include "bnkata/portable_math.hpp"

namespace bnkata::training {

template <typename Real>
double softmax_cross_entropy(Real* dlogits, std::size_t* correct, const Real* logits, const int32_t* labels,
                             std::size_t N, std::size_t M) {
    double total = 0.0;
    for (std::size_t n = 0; n < N; ++n) {
        const Real* z = logits + n * M;
        const std::size_t label = static_cast<std::size_t>(labels[n]);
        std::size_t argmax = 0;
        for (std::size_t j = 1; j < M; ++j)
            if (z[j] > z[argmax]) argmax = j;
        const Real zmax = z[argmax];
        if (correct && argmax == label) ++*correct;
        double sum = 0.0;
        for (std::size_t j = 0; j < M; ++j) sum += exp_of(z[j] - zmax);
        // log_f64 is the portable logarithm: the reported loss has the same bits natively and in WASM.
        total += log_f64(sum) + static_cast<double>(zmax) - static_cast<double>(z[label]);
        if (dlogits) {
            const double inv = 1.0 / (sum * static_cast<double>(N));
            Real* d = dlogits + n * M;
            for (std::size_t j = 0; j < M; ++j) d[j] = static_cast<Real>(exp_of(z[j] - zmax) * inv);
            d[label] -= static_cast<Real>(1.0 / static_cast<double>(N));
        }
    }
    return total / static_cast<double>(N);
}

template double softmax_cross_entropy<float>(float*, std::size_t*, const float*, const int32_t*, std::size_t, std::size_t);
template double softmax_cross_entropy<double>(double*, std::size_t*, const double*, const int32_t*, std::size_t, std::size_t);

}  // namespace bnkata::training
