// cmd_bench.cpp — `bnkata bench`: how close forward+backward gets to the memory system's speed.
//
// For each shape (N, C) and element type, times one training step of the layer — forward_train then
// backward — and, in the same run, a memory triad a[i] = b[i] + s·c[i] over the same number of bytes.
// "Bytes" is what the step must move at the least: forward reads x and writes y, backward reads x and dy
// and writes dx — five tensors. Effective GB/s = those bytes / time; the ratio to the triad's GB/s says how
// much of the achievable bandwidth the kernels use. A textbook three-pass version is timed alongside for
// comparison.
//
// How a time is taken: after a warm-up, a repetition is the best of `trials` single calls (the call least
// disturbed by other processes); each row is measured in `repeats` repetitions, the kernel and its triad
// taking turns, and reports the median repetition and the spread of the ratio over all of them. A shared
// machine's speed drifts within a run: the ratio within one repetition compares like with like.
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

// The warm-up before a row is timed. In WebAssembly V8 first runs a function as baseline code (Liftoff)
// and swaps in optimised code (TurboFan) only after the function has run for a while, compiling it in the
// background, and only for calls that start after that: the optimised code must be in place before the
// timing starts, and every loop that is timed must be a function of its own (never inlined into the
// timing loop, which runs as one long call). Natively the warm-up fills the caches and the page tables.
constexpr double kWarmUpSeconds = 0.3;
constexpr int kWarmUpCalls = 10;

// The time, in µs, of each repetition: the best of `trials` single calls of step.
template <typename Step>
double best_microseconds(Step& step, int trials) {
    using clock = std::chrono::steady_clock;
    double best = 1e300;
    for (int t = 0; t < trials; ++t) {
        const auto start = clock::now();
        step();
        best = std::min(best, std::chrono::duration<double, std::micro>(clock::now() - start).count());
    }
    return best;
}

template <typename Step>
void warm_up(Step& step) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
    for (int calls = 0; calls < kWarmUpCalls || seconds() < kWarmUpSeconds; ++calls) step();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// How many calls make a repetition, and how many repetitions make a row.
struct Trials {
    int calls;
    int repeats;
};

template <typename Real>
[[gnu::noinline]] BNKATA_MULTIVERSION void triad(Real* a, const Real* b, const Real* c, Real s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

// The textbook version, for comparison: three passes forward (mean, variance, normalise — caching x̂),
// and backward through the cached x̂ with one pass per sum. (N,C) only.
template <typename Real>
[[gnu::noinline]] void textbook_step(std::vector<Real>& y, std::vector<Real>& xhat, std::vector<Real>& dx,
                                     std::vector<Real>& dgamma, std::vector<Real>& dbeta, std::vector<Real>& rstd,
                                     const std::vector<Real>& x, const std::vector<Real>& dy,
                                     const std::vector<Real>& gamma, const std::vector<Real>& beta, std::size_t N,
                                     std::size_t C, double eps) {
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
    double us, gbps, triad_us, triad_gbps;  // the medians over the repetitions
    double ratio, ratio_low, ratio_high;    // GB/s ÷ triad GB/s: the median repetition's, the lowest, the highest
};

template <typename Real>
Row measure(const char* type, std::size_t N, std::size_t C, bool textbook, Trials trials) {
    const Layout L{N, C, 1};
    const std::size_t S = L.size();
    std::vector<Real> x(S), dy(S), y(S), dx(S), xhat(S), gamma(C), beta(C), mean(C), var(C), rstd(C), dgamma(C),
        dbeta(C);
    // Deterministic, unremarkable data: the speed must not depend on the values.
    unsigned state = 12345;
    auto next = [&state] { state = state * 1664525u + 1013904223u; return static_cast<Real>((state >> 8) * (1.0 / 16777216.0) - 0.5); };
    for (std::size_t i = 0; i < S; ++i) { x[i] = 3 + 2 * next(); dy[i] = next(); }
    for (std::size_t c = 0; c < C; ++c) { gamma[c] = 1 + next(); beta[c] = next(); }

    // The kernels with working memory kept between calls, as the training lab runs them.
    BnScratch<Real> forward_scratch, backward_scratch;
    auto kernels = [&] {
        if (textbook) {
            textbook_step(y, xhat, dx, dgamma, dbeta, rstd, x, dy, gamma, beta, N, C, 1e-5);
            return;
        }
        forward_train(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L, 1e-5,
                      &forward_scratch);
        backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(), rstd.data(), gamma.data(),
                 L, &backward_scratch);
    };

    // The triad over the same bytes: three arrays that together hold five tensors' worth.
    const double bytes = 5.0 * S * sizeof(Real);
    const std::size_t T = static_cast<std::size_t>(bytes / (3 * sizeof(Real)));
    const double triad_bytes = 3.0 * T * sizeof(Real);
    std::vector<Real> a(T), b(T, Real(1)), c(T, Real(2));
    auto memory_triad = [&] { triad(a.data(), b.data(), c.data(), Real(0.5), T); };

    warm_up(kernels);
    warm_up(memory_triad);
    std::vector<double> us, triad_us, ratio;
    for (int r = 0; r < trials.repeats; ++r) {
        us.push_back(best_microseconds(kernels, trials.calls));
        triad_us.push_back(best_microseconds(memory_triad, trials.calls));
        ratio.push_back((bytes / us.back()) / (triad_bytes / triad_us.back()));
    }
    if (a[T / 2] != Real(2)) std::fprintf(stderr, "bench: triad result is wrong\n");

    const double us_median = median(us), triad_median = median(triad_us);
    return {textbook ? "textbook 3-pass" : "bnkata", type, N, C, us_median, bytes / us_median / 1e3, triad_median,
            triad_bytes / triad_median / 1e3, median(ratio), *std::min_element(ratio.begin(), ratio.end()),
            *std::max_element(ratio.begin(), ratio.end())};
}

// One float32 forward+backward step of a member of the normalization family on a tensor of layout L, in µs:
// the median repetition.
double normalize_step_microseconds(Layout L, Norm norm, Trials trials) {
    const std::size_t S = L.size(), stats = norm.statistics_count(L);
    std::vector<float> x(S), dy(S), y(S), dx(S), gamma(L.C), beta(L.C), mean(stats), var(stats), rstd(stats),
        dgamma(L.C), dbeta(L.C);
    unsigned state = 12345;
    auto next = [&state] { state = state * 1664525u + 1013904223u; return static_cast<float>((state >> 8) * (1.0 / 16777216.0) - 0.5); };
    for (std::size_t i = 0; i < S; ++i) { x[i] = 3 + 2 * next(); dy[i] = next(); }
    for (std::size_t c = 0; c < L.C; ++c) { gamma[c] = 1 + next(); beta[c] = next(); }
    auto step = [&] {
        normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L, norm,
                          1e-5);
        normalize_backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(), rstd.data(),
                           gamma.data(), L, norm);
    };
    warm_up(step);
    std::vector<double> us;
    for (int r = 0; r < trials.repeats; ++r) us.push_back(best_microseconds(step, trials.calls));
    return median(us);
}

// The family's rows: each kind on a convolutional tensor and on a dense (transformer-like) one, with the
// batch kind — the BN kernel itself — as the reference every other row is divided by.
void print_normalization_rows(Trials trials) {
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
    Trials trials{100, 5};
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--trials") && i + 1 < argc) trials.calls = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) trials.repeats = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bnkata bench [--trials K] [--repeats R]   (defaults 100 and 5: each row is the "
                                 "median of R repetitions, each the best of K calls)\n");
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
    std::printf("bytes = 5 tensors (fwd reads x, writes y; bwd reads x, dy, writes dx); median of %d repetitions, "
                "each the best of %d calls; ratio range: lowest-highest repetition\n\n",
                trials.repeats, trials.calls);
    std::printf("| version         | type    | N x C      |  fwd+bwd us |  GB/s | triad us | triad GB/s | ratio | ratio range |\n");
    std::printf("|-----------------|---------|------------|-------------|-------|----------|------------|-------|-------------|\n");
    for (const Row& r : rows)
        std::printf("| %-15s | %-7s | %4zu x %-4zu | %11.1f | %5.1f | %8.1f | %10.1f | %4.0f%% | %4.0f-%3.0f%% |\n",
                    r.version, r.type, r.N, r.C, r.us, r.gbps, r.triad_us, r.triad_gbps, 100 * r.ratio,
                    100 * r.ratio_low, 100 * r.ratio_high);
    std::printf("\ntarget: float32 256 x 1024 at >= 60%% of the triad\n");
    print_normalization_rows(trials);
    return 0;
}

}  // namespace bnkata::cli
