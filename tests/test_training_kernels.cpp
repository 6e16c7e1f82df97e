// The training engine's building blocks: portable math, the RNG, the matrix products, softmax
// cross-entropy, SGD.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "bnkata/training/layers.hpp"
#include "bnkata/training/loss.hpp"
#include "bnkata/training/matmul.hpp"
#include "bnkata/training/optimizer.hpp"
#include "bnkata/portable_math.hpp"
#include "bnkata/training/random.hpp"

using namespace bnkata::training;
using bnkata::exp_f32, bnkata::log_f64, bnkata::sin_f64, bnkata::cos_f64;  // portable_math.hpp, the core's

TEST_CASE("the portable exp agrees with the C library's to a few float ulps over the range the nets use") {
    double worst = 0;
    for (double x = -87.0; x <= 88.0; x += 0.01) {
        const double want = std::exp(x);
        const double got = exp_f32(static_cast<float>(x));
        // compare against e^(float(x)) so that only exp_f32's own error counts
        const double want_f = std::exp(static_cast<double>(static_cast<float>(x)));
        (void)want;
        worst = std::max(worst, std::fabs(got - want_f) / want_f);
    }
    CAPTURE(worst);
    CHECK(worst < 4e-7);  // ≈ 3.4 ulp of float32 (ulp = 1.19e-7 relative)
    CHECK(exp_f32(0.0f) == 1.0f);
    CHECK(std::isinf(exp_f32(100.0f)));
    CHECK(exp_f32(-100.0f) >= 0.0f);
    CHECK(exp_f32(-100.0f) < 1e-37f);
    CHECK(std::isnan(exp_f32(NAN)));
}

TEST_CASE("the four-lane sigmoid gives the same bits as the scalar formula with exp_f32") {
    // The fast path and the tail path must agree, or a value's bits would depend on its position.
    std::vector<float> u, a(0);
    for (float x = -100.0f; x <= 100.0f; x += 0.0137f) u.push_back(x);
    u.push_back(NAN);
    u.push_back(INFINITY);
    u.push_back(-INFINITY);
    a.resize(u.size());
    activation_forward(a.data(), u.data(), u.size(), Activation::sigmoid);
    for (std::size_t i = 0; i < u.size(); ++i) {
        CAPTURE(u[i]);
        const float want = 1.0f / (1.0f + exp_f32(-u[i]));
        if (std::isnan(want)) CHECK(std::isnan(a[i]));
        else REQUIRE(a[i] == want);
    }
    CHECK(a[u.size() - 2] == 1.0f);
    CHECK(a[u.size() - 1] == 0.0f);
}

TEST_CASE("the portable log, sin and cos agree with the C library's to ~1e-15") {
    for (double x : {1e-300, 1e-5, 0.3, 0.7071, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300}) {
        CAPTURE(x);
        CHECK(std::fabs(log_f64(x) - std::log(x)) <= 4e-16 * std::max(1.0, std::fabs(std::log(x))));
    }
    CHECK(log_f64(1.0) == 0.0);
    CHECK(std::isinf(log_f64(0.0)));
    CHECK(std::isnan(log_f64(-1.0)));
    for (double x = -30.0; x <= 30.0; x += 0.37) {
        CAPTURE(x);
        CHECK(std::fabs(sin_f64(x) - std::sin(x)) < 1e-14);
        CHECK(std::fabs(cos_f64(x) - std::cos(x)) < 1e-14);
    }
}

TEST_CASE("the RNG is a function of seed and stream alone, and its Gaussians have mean 0 and variance 1") {
    Rng a(5, Stream::weights), b(5, Stream::weights), c(5, Stream::batch_order), d(6, Stream::weights);
    bool same_stream_differs = false, seeds_differ = false;
    for (int i = 0; i < 100; ++i) {
        const uint64_t x = a.next_u64();
        CHECK(x == b.next_u64());
        same_stream_differs |= x != c.next_u64();
        seeds_differ |= x != d.next_u64();
    }
    CHECK(same_stream_differs);
    CHECK(seeds_differ);
    Rng g(1, Stream::weights);
    const int n = 200000;
    double sum = 0, squares = 0;
    for (int i = 0; i < n; ++i) {
        const double z = g.normal();
        sum += z;
        squares += z * z;
    }
    const double mean = sum / n, var = squares / n - mean * mean;
    // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance; allow 5 of them.
    CHECK(std::fabs(mean) < 0.011);
    CHECK(std::fabs(var - 1.0) < 0.016);
}

TEST_CASE("a shuffle is a permutation") {
    std::vector<uint32_t> index(1000);
    for (uint32_t i = 0; i < index.size(); ++i) index[i] = i;
    Rng rng(3, Stream::batch_order);
    shuffle(index.data(), index.size(), rng);
    std::vector<int> seen(index.size(), 0);
    for (uint32_t i : index) ++seen[i];
    for (int s : seen) CHECK(s == 1);
    CHECK(index[0] + index[1] + index[2] != 0 + 1 + 2);  // it moved something
}

namespace {
// The textbook triple loop in double: the independent reference for the tiled kernels.
std::vector<double> reference_product(const std::vector<double>& A, const std::vector<double>& B, std::size_t N,
                                      std::size_t K, std::size_t M) {
    std::vector<double> out(N * M, 0.0);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t m = 0; m < M; ++m)
            for (std::size_t k = 0; k < K; ++k) out[n * M + m] += A[n * K + k] * B[k * M + m];
    return out;
}
std::vector<double> random_matrix(std::size_t size, Rng& rng, double zero_fraction) {
    std::vector<double> m(size);
    for (double& v : m) v = rng.uniform() < zero_fraction ? 0.0 : rng.normal();
    return m;
}
}  // namespace

TEST_CASE("the tiled matrix products equal the textbook triple loop, for shapes that are not multiples of the tile") {
    Rng rng(11, Stream::data);
    for (auto shape : {std::vector<std::size_t>{1, 1, 1}, {3, 5, 7}, {4, 8, 8}, {9, 13, 10}, {60, 784, 100}, {7, 3, 33}}) {
        const std::size_t N = shape[0], K = shape[1], M = shape[2];
        CAPTURE(N);
        CAPTURE(K);
        CAPTURE(M);
        auto A = random_matrix(N * K, rng, 0.5);  // half zeros: exercises the zero-skipping
        for (std::size_t n = 0; n < N; ++n)  // and runs of zeros, like a digit's border (the 8-wide jump)
            for (std::size_t k = 0; k < K; ++k)
                if ((k / 11) % 3 == n % 3) A[n * K + k] = (k % 2) ? 0.0 : -0.0;
        const auto B = random_matrix(K * M, rng, 0.0);
        const auto dOut = random_matrix(N * M, rng, 0.3);
        const auto bias = random_matrix(M, rng, 0.0);

        SUBCASE("forward: A·B + bias, in double, equals the reference to 1e-12") {
            std::vector<double> out(N * M);
            matmul_forward(out.data(), A.data(), B.data(), bias.data(), N, K, M);
            auto want = reference_product(A, B, N, K, M);
            for (std::size_t i = 0; i < want.size(); ++i) want[i] += bias[i % M];
            for (std::size_t i = 0; i < want.size(); ++i) CHECK(std::fabs(out[i] - want[i]) <= 1e-12 * (1 + std::fabs(want[i])) * K);
        }
        SUBCASE("weight gradient: Aᵀ·dOut equals the reference") {
            std::vector<double> dB(K * M, 123.0);  // overwritten, not accumulated
            matmul_weight_grad(dB.data(), A.data(), dOut.data(), N, K, M);
            std::vector<double> At(K * N);
            transpose(At.data(), A.data(), N, K);
            const auto want = reference_product(At, dOut, K, N, M);
            for (std::size_t i = 0; i < want.size(); ++i) CHECK(std::fabs(dB[i] - want[i]) <= 1e-12 * (1 + std::fabs(want[i])) * N);
        }
        SUBCASE("dense inputs: the multi-row tiles (Zeros::none_expected) give bit for bit the one-row tiles' sums") {
            // Both sum each output's products in increasing order, so without zeros in A they must agree
            // exactly — in float, the type the lab trains in.
            std::vector<float> Af(N * K), Bf(B.begin(), B.end()), dOutf(dOut.begin(), dOut.end()), biasf(bias.begin(), bias.end());
            for (std::size_t i = 0; i < Af.size(); ++i) Af[i] = static_cast<float>(0.5 + rng.uniform());  // no zeros
            std::vector<float> dense(N * M), listed(N * M), dense_grad(K * M), listed_grad(K * M);
            matmul_forward(dense.data(), Af.data(), Bf.data(), biasf.data(), N, K, M, Zeros::none_expected);
            matmul_forward(listed.data(), Af.data(), Bf.data(), biasf.data(), N, K, M, Zeros::skip);
            CHECK(dense == listed);
            matmul_weight_grad(dense_grad.data(), Af.data(), dOutf.data(), N, K, M, Zeros::none_expected);
            matmul_weight_grad(listed_grad.data(), Af.data(), dOutf.data(), N, K, M, Zeros::skip);
            CHECK(dense_grad == listed_grad);
            std::vector<double> Ad(Af.begin(), Af.end()), want = reference_product(Ad, std::vector<double>(Bf.begin(), Bf.end()), N, K, M);
            for (std::size_t i = 0; i < want.size(); ++i)
                CHECK(std::fabs(dense[i] - (want[i] + biasf[i % M])) <= 1e-5 * std::sqrt(static_cast<double>(K)) * (1 + std::fabs(want[i])));
        }
        SUBCASE("float32: the same products within float rounding (1e-5 relative to the row's scale)") {
            std::vector<float> Af(A.begin(), A.end()), Bf(B.begin(), B.end()), out(N * M);
            matmul_forward(out.data(), Af.data(), Bf.data(), static_cast<const float*>(nullptr), N, K, M);
            const auto want = reference_product(std::vector<double>(Af.begin(), Af.end()), std::vector<double>(Bf.begin(), Bf.end()), N, K, M);
            for (std::size_t i = 0; i < want.size(); ++i) CHECK(std::fabs(out[i] - want[i]) <= 1e-5 * std::sqrt(static_cast<double>(K)) * (1 + std::fabs(want[i])));
        }
    }
}

TEST_CASE("transpose puts in(r, c) at out(c, r), for shapes that are and are not multiples of the 4×4 blocks") {
    for (auto shape : {std::pair<std::size_t, std::size_t>{1, 1}, {4, 4}, {3, 7}, {8, 12}, {10, 100}, {100, 10}, {13, 18}}) {
        const std::size_t R = shape.first, C = shape.second;
        CAPTURE(R);
        CAPTURE(C);
        std::vector<float> in(R * C), out(R * C, -1.0f);
        std::vector<double> in_d(R * C), out_d(R * C, -1.0);
        for (std::size_t i = 0; i < in.size(); ++i) {
            in[i] = static_cast<float>(i) + 0.25f;  // every value distinct, so a misplaced one shows
            in_d[i] = static_cast<double>(i) + 0.5;
        }
        transpose(out.data(), in.data(), R, C);
        transpose(out_d.data(), in_d.data(), R, C);
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t c = 0; c < C; ++c) {
                REQUIRE(out[c * R + r] == in[r * C + c]);
                REQUIRE(out_d[c * R + r] == in_d[r * C + c]);
            }
    }
}

TEST_CASE("softmax cross-entropy matches its definition on a hand-computed example") {
    // logits [0, ln 2, ln 3] for label 2: p = [1, 2, 3]/6, loss = −ln(1/2) = ln 2;
    // gradient (p − onehot)/N with N = 1 is [1/6, 1/3, −1/2].
    const double l2 = std::log(2.0), l3 = std::log(3.0);
    std::vector<double> logits = {0.0, l2, l3}, d(3);
    std::vector<int32_t> labels = {2};
    std::size_t correct = 0;
    const double loss = softmax_cross_entropy(d.data(), &correct, logits.data(), labels.data(), 1, 3);
    CHECK(loss == doctest::Approx(l2).epsilon(1e-15));
    CHECK(d[0] == doctest::Approx(1.0 / 6).epsilon(1e-15));
    CHECK(d[1] == doctest::Approx(1.0 / 3).epsilon(1e-15));
    CHECK(d[2] == doctest::Approx(-0.5).epsilon(1e-15));
    CHECK(correct == 1);

    SUBCASE("huge logits do not overflow") {
        std::vector<float> big = {1000.0f, 0.0f};
        std::vector<int32_t> label = {1};
        const double l = softmax_cross_entropy(static_cast<float*>(nullptr), static_cast<std::size_t*>(nullptr), big.data(), label.data(), 1, 2);
        CHECK(l == doctest::Approx(1000.0).epsilon(1e-6));
    }
}

TEST_CASE("SGD with momentum follows v ← μv − ηg, w ← w + v") {
    std::vector<double> w = {1.0}, v = {0.0}, g = {2.0};
    sgd_step(w.data(), v.data(), g.data(), 1, 0.1, 0.9);  // v = −0.2, w = 0.8
    CHECK(v[0] == doctest::Approx(-0.2).epsilon(1e-15));
    CHECK(w[0] == doctest::Approx(0.8).epsilon(1e-15));
    sgd_step(w.data(), v.data(), g.data(), 1, 0.1, 0.9);  // v = −0.18 − 0.2 = −0.38, w = 0.42
    CHECK(v[0] == doctest::Approx(-0.38).epsilon(1e-15));
    CHECK(w[0] == doctest::Approx(0.42).epsilon(1e-15));
    std::vector<double> plain = {1.0};
    sgd_step(plain.data(), static_cast<double*>(nullptr), g.data(), 1, 0.1, 0.0);
    CHECK(plain[0] == doctest::Approx(0.8).epsilon(1e-15));
}
