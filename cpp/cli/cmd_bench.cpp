// cmd_bench.cpp — `bnkata bench`: how close forward+backward gets to the memory system's speed.
//
// For each shape (N, C) and element type, times one training step of the layer — forward_train then
// backward — and, in the same run, a memory triad a[i] = b[i] + s·c[i] over the same number of bytes.
// "Bytes" is what the step must move at the least: forward reads x and writes y, backward reads x and dy
// and writes dx — five tensors. Effective GB/s = those bytes / time; the ratio to the triad's GB/s says how
// much of the achievable bandwidth the kernels use. A textbook three-pass version is timed alongside for
// comparison. Times are the best of many single calls (the least disturbed by other processes).
//
// Then the normalization family (normalize.hpp): one forward+backward step of each kind in float32, timed
// against the BN kernel on the same tensor in the same run; the ratio is time per element over BN's.
#include "commands.hpp"

#include "bnkata/batchnorm.hpp"
#include "bnkata/normalize.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

// The triad gets the same instruction-set choice as the kernels, so the ratio is fair.
#include "bnkata/multiversion.hpp"

namespace bnkata::cli {
namespace {

// Best time, in µs, of `trials` single calls of step: the least disturbed by other processes, which on a
// shared machine matters more than any average (both the kernels and the triad are timed this way).
template <typename Step>
double best_microseconds(Step step, int trials) {
    using clock = std::chrono::steady_clock;
    step();  // warm the caches and the page tables
    double best = 1e300;
    for (int t = 0; t < trials; ++t) {
        const auto start = clock::now();
        step();
        best = std::min(best, std::chrono::duration<double, std::micro>(clock::now() - start).count());
    }
    return best;
}

template <typename Real>
BNKATA_MULTIVERSION void triad(Real* a, const Real* b, const Real* c, Real s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

// The textbook version, for comparison: three passes forward (mean, variance, normalise — caching x̂),
// and backward through the cached x̂ with one pass per sum. (N,C) only.
template <typename Real>
void textbook_step(std::vector<Real>& y, std::vector<Real>& xhat, std::vector<Real>& dx, std::vector<Real>& dgamma,
                   std::vector<Real>& dbeta, std::vector<Real>& rstd, const std::vector<Real>& x,
                   const std::vector<Real>& dy, const std::vector<Real>& gamma, const std::vector<Real>& beta,
                   std::size_t N, std::size_t C, double eps) {
    std::vector<double> mean(C, 0.0), var(C, 0.0), sdy(C, 0.0), sdyx(C, 0.0);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c) mean[c] += x[n * C + c];
    for (std::size_t c = 0; c < C; ++c) mean[c] /= N;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c) var[c] += (x[n * C + c] - mean[c]) * (x[n * C + c] - mean[c]);
    for (std::size_t c = 0; c < C; ++c) rstd[c] = static_cast<Real>(1.0 / std::sqrt(var[c] / N + eps));
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c) {
            xhat[n * C + c] = static_cast<Real>((x[n * C + c] - mean[c]) * rstd[c]);
            y[n * C + c] = gamma[c] * xhat[n * C + c] + beta[c];
        }
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c) sdy[c] += dy[n * C + c];
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c) sdyx[c] += dy[n * C + c] * xhat[n * C + c];
    for (std::size_t c = 0; c < C; ++c) {
        dbeta[c] = static_cast<Real>(sdy[c]);
        dgamma[c] = static_cast<Real>(sdyx[c]);
    }
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c)
            dx[n * C + c] = static_cast<Real>(gamma[c] * rstd[c] / N *
                                              (N * dy[n * C + c] - sdy[c] - xhat[n * C + c] * sdyx[c]));
}

struct Row {
    const char* version;
    const char* type;
    std::size_t N, C;
    double us, gbps, triad_us, triad_gbps;
};

template <typename Real>
Row measure(const char* type, std::size_t N, std::size_t C, bool textbook, int trials) {
    const Layout L{N, C, 1};
    const std::size_t S = L.size();
    std::vector<Real> x(S), dy(S), y(S), dx(S), xhat(S), gamma(C), beta(C), mean(C), var(C), rstd(C), dgamma(C),
        dbeta(C);
    // Deterministic, unremarkable data: the speed must not depend on the values.
    unsigned state = 12345;
    auto next = [&state] { state = state * 1664525u + 1013904223u; return static_cast<Real>((state >> 8) * (1.0 / 16777216.0) - 0.5); };
    for (std::size_t i = 0; i < S; ++i) { x[i] = 3 + 2 * next(); dy[i] = next(); }
    for (std::size_t c = 0; c < C; ++c) { gamma[c] = 1 + next(); beta[c] = next(); }

    double us;
    if (textbook)
        us = best_microseconds([&] { textbook_step(y, xhat, dx, dgamma, dbeta, rstd, x, dy, gamma, beta, N, C, 1e-5); },
                               trials);
    else
        us = best_microseconds(
            [&] {
                forward_train(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L,
                              1e-5);
                backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(), rstd.data(),
                         gamma.data(), L);
            },
            trials);

    // The triad over the same bytes: three arrays that together hold five tensors' worth.
    const double bytes = 5.0 * S * sizeof(Real);
    const std::size_t T = static_cast<std::size_t>(bytes / (3 * sizeof(Real)));
    std::vector<Real> a(T), b(T, Real(1)), c(T, Real(2));
    const double triad_us = best_microseconds([&] { triad(a.data(), b.data(), c.data(), Real(0.5), T); }, trials);
    if (a[T / 2] != Real(2)) std::fprintf(stderr, "bench: triad result is wrong\n");

    return {textbook ? "textbook 3-pass" : "bnkata", type, N, C, us, bytes / us / 1e3, triad_us,
            3.0 * T * sizeof(Real) / triad_us / 1e3};
}

// One float32 forward+backward step of a member of the normalization family on a tensor of layout L, in µs.
double normalize_step_microseconds(Layout L, Norm norm, int trials) {
    const std::size_t S = L.size(), stats = norm.statistics_count(L);
    std::vector<float> x(S), dy(S), y(S), dx(S), gamma(L.C), beta(L.C), mean(stats), var(stats), rstd(stats),
        dgamma(L.C), dbeta(L.C);
    unsigned state = 12345;
    auto next = [&state] { state = state * 1664525u + 1013904223u; return static_cast<float>((state >> 8) * (1.0 / 16777216.0) - 0.5); };
    for (std::size_t i = 0; i < S; ++i) { x[i] = 3 + 2 * next(); dy[i] = next(); }
    for (std::size_t c = 0; c < L.C; ++c) { gamma[c] = 1 + next(); beta[c] = next(); }
    return best_microseconds(
        [&] {
            normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L,
                              norm, 1e-5);
            normalize_backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(), rstd.data(),
                               gamma.data(), L, norm);
        },
        trials);
}

// The family's rows: each kind on a convolutional tensor and on a dense (transformer-like) one, with the
// batch kind — the BN kernel itself — as the reference every other row is divided by.
void print_normalization_rows(int trials) {
    struct Shape {
        const char* name;
        Layout L;
    };
    const Shape shapes[] = {{"16x64x16x16", Layout{16, 64, 256}}, {"256x1024", Layout{256, 1024, 1}}};
    std::printf("\nNormalization kernels, float32 forward+backward; ratio = time per element / the BN kernel's "
                "on the same tensor\n\n");
    std::printf("| kind          | N x C x H x W | fwd+bwd us | ns/element | ratio to BN |\n");
    std::printf("|---------------|---------------|------------|------------|-------------|\n");
    for (const Shape& shape : shapes) {
        const std::size_t C = shape.L.C;
        const std::pair<const char*, Norm> kinds[] = {{"batch (BN)", {NormKind::batch, 1}},
                                                      {"layer", {NormKind::layer, 1}},
                                                      {"instance", {NormKind::instance, 1}},
                                                      {"group G=32", {NormKind::group, 32}}};
        double bn_us = 0;
        for (const auto& [name, norm] : kinds) {
            if (norm.kind == NormKind::group && C % norm.groups != 0) continue;
            // Instance norm of a dense tensor is one value per group (σ² = 0, y = β): nothing to time.
            if (norm.kind == NormKind::instance && shape.L.HW == 1) continue;
            const double us = normalize_step_microseconds(shape.L, norm, trials);
            if (norm.kind == NormKind::batch) bn_us = us;
            std::printf("| %-13s | %-13s | %10.1f | %10.3f | %10.2fx |\n", name, shape.name, us,
                        1e3 * us / static_cast<double>(shape.L.size()), us / bn_us);
        }
    }
    std::printf("\ntarget: every kind within 1.5x of the BN kernel's time per element\n");
}

}  // namespace

int cmd_bench(int argc, char** argv) {
    int trials = 200;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--trials") && i + 1 < argc) trials = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bnkata bench [--trials K]   (default 200; the best of K calls is reported)\n");
            return 2;
        }
    }
    std::vector<Row> rows;
    for (const auto& shape : {std::pair<std::size_t, std::size_t>{256, 1024}, {60, 100}}) {
        rows.push_back(measure<float>("float32", shape.first, shape.second, false, trials));
        rows.push_back(measure<double>("float64", shape.first, shape.second, false, trials));
    }
    rows.push_back(measure<float>("float32", 256, 1024, true, trials));

    std::printf("BatchNorm forward+backward (one training step) vs a memory triad over the same bytes\n");
    std::printf("bytes = 5 tensors (fwd reads x, writes y; bwd reads x, dy, writes dx); best of %d calls\n\n", trials);
    std::printf("| version         | type    | N x C      |  fwd+bwd us |  GB/s | triad us | triad GB/s | ratio |\n");
    std::printf("|-----------------|---------|------------|-------------|-------|----------|------------|-------|\n");
    for (const Row& r : rows)
        std::printf("| %-15s | %-7s | %4zu x %-4zu | %11.1f | %5.1f | %8.1f | %10.1f | %4.0f%% |\n", r.version, r.type,
                    r.N, r.C, r.us, r.gbps, r.triad_us, r.triad_gbps, 100 * r.gbps / r.triad_gbps);
    std::printf("\ntarget: float32 256 x 1024 at >= 60%% of the triad\n");
    print_normalization_rows(trials);
    return 0;
}

}  // namespace bnkata::cli
