// matmul.cpp — register-tiled, zero-skipping matrix products (see the header for the contract).
#include "bnkata/training/matmul.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace bnkata::training {

namespace {

// One 16-byte SIMD register: 4 floats or 2 doubles (SSE natively, v128 in WASM).
template <typename Real> struct Simd;
template <> struct Simd<float> {
    typedef float type __attribute__((vector_size(16)));
    static constexpr int lanes = 4;
};
template <> struct Simd<double> {
    typedef double type __attribute__((vector_size(16)));
    static constexpr int lanes = 2;
};

template <typename V, typename Real> inline V load(const Real* p) {
    V v;
    std::memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}
template <typename V, typename Real> inline void store(Real* p, const V& v) { std::memcpy(p, &v, sizeof v); }
// Broadcasts one number to every lane (a single shuffle/splat instruction, unlike a lane-by-lane loop).
inline Simd<float>::type splat(float x) { return Simd<float>::type{x, x, x, x}; }
inline Simd<double>::type splat(double x) { return Simd<double>::type{x, x}; }

// Tiles are one output row wide and up to kWideVectors SIMD vectors long. One row: each output row gets
// its own list of non-zero inputs, so a sparse row (an MNIST digit: ~19 % non-zero pixels) costs only
// its non-zeros — a tile of several rows would have to visit the union of their non-zeros. Six to
// eight vectors: that many independent accumulator chains hide the add latency (4 cycles, 2 adds per
// cycle on x86).
constexpr std::size_t kRows = 1;
// The widest tile, per target: x86 folds each loaded row of B into its multiply (a memory operand), so
// 8 accumulators fit its 16 registers; a WASM engine keeps each loaded vector in a register of its own,
// and 6 accumulators + 6 loads + 1 broadcast avoid spilling (measured faster in Node; 8 is faster
// natively). The width changes no result: every output still sums its products in increasing order.
#if defined(__wasm__)
constexpr std::size_t kWideVectors = 6;
#else
constexpr std::size_t kWideVectors = 8;
#endif

// The indices along the shared dimension at which any of the tile's R rows of A is non-zero.
// A element (r, s) sits at A[r·row_stride + s·col_stride].
template <typename Real>
std::size_t nonzero_indices(uint32_t* list, const Real* A, std::size_t R, std::size_t S,
                            std::size_t row_stride, std::size_t col_stride, Zeros zeros) {
    if (zeros == Zeros::none_expected) {
        for (std::size_t s = 0; s < S; ++s) list[s] = static_cast<uint32_t>(s);
        return S;
    }
    std::size_t count = 0;
    std::size_t s = 0;
    if constexpr (sizeof(Real) == 4) {
        if (R == 1 && col_stride == 1) {
            // One contiguous row: jump over runs of 8 zeros at once (an MNIST digit's border is ~80 %
            // zeros). ±0 both count as zero: their bits without the sign are 0.
            for (; s + 8 <= S; s += 8) {
                uint32_t bits[8], any = 0;
                std::memcpy(bits, A + s, sizeof bits);
                for (uint32_t b : bits) any |= b & 0x7fffffffu;
                if (any == 0) continue;
                for (std::size_t i = s; i < s + 8; ++i) {
                    list[count] = static_cast<uint32_t>(i);
                    count += A[i] != Real(0);
                }
            }
        }
    }
    for (; s < S; ++s) {
        bool any = false;
        for (std::size_t r = 0; r < R; ++r) any |= A[r * row_stride + s * col_stride] != Real(0);
        list[count] = static_cast<uint32_t>(s);
        count += any;
    }
    return count;
}

// The micro-kernel shared by both products. For r < R and the NV vectors from column m0:
//   acc[r] = init[r] + Σ_{t} A(r, list[t]) · B(list[t], m0 …)
// A(r, s) = A[r·a_row + s·a_col]; B(s, ·) = B + s·b_row; init is bias (or zero).
template <std::size_t R, std::size_t NV, typename Real>
inline void tile(Real* out, std::size_t out_row, const Real* A, std::size_t a_row, std::size_t a_col,
                 const Real* B, std::size_t b_row, const Real* bias, const uint32_t* list,
                 std::size_t count) {
    using V = typename Simd<Real>::type;
    constexpr std::size_t L = Simd<Real>::lanes;
    V acc[R][NV];
    for (std::size_t v = 0; v < NV; ++v) {
        const V init = bias ? load<V>(bias + v * L) : splat(Real(0));
        for (std::size_t r = 0; r < R; ++r) acc[r][v] = init;
    }
    for (std::size_t t = 0; t < count; ++t) {
        const std::size_t s = list[t];
        V b[NV];
        for (std::size_t v = 0; v < NV; ++v) b[v] = load<V>(B + s * b_row + v * L);
        for (std::size_t r = 0; r < R; ++r) {
            const V a = splat(A[r * a_row + s * a_col]);
            for (std::size_t v = 0; v < NV; ++v) acc[r][v] += a * b[v];
        }
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < NV; ++v) store(out + r * out_row + v * L, acc[r][v]);
}

// The columns left over after whole vectors, one scalar at a time, in the same summation order.
template <typename Real>
inline void tile_scalar(Real* out, std::size_t out_row, std::size_t R, std::size_t columns,
                        const Real* A, std::size_t a_row, std::size_t a_col, const Real* B,
                        std::size_t b_row, const Real* bias, const uint32_t* list, std::size_t count) {
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < columns; ++c) {
            Real acc = bias ? bias[c] : Real(0);
            for (std::size_t t = 0; t < count; ++t) acc += A[r * a_row + list[t] * a_col] * B[list[t] * b_row + c];
            out[r * out_row + c] = acc;
        }
}

// Sweeps one block of R output rows across all M columns: the widest tiles, then 4, 2, 1 vectors, then
// scalars.
template <std::size_t R, typename Real>
void row_block(Real* out, const Real* A, std::size_t a_row, std::size_t a_col, const Real* B,
               const Real* bias, std::size_t M, const uint32_t* list, std::size_t count) {
    constexpr std::size_t L = Simd<Real>::lanes;
    std::size_t m = 0;
    auto at = [&](std::size_t offset) { return bias ? bias + offset : nullptr; };
    for (; m + kWideVectors * L <= M; m += kWideVectors * L)
        tile<R, kWideVectors>(out + m, M, A, a_row, a_col, B + m, M, at(m), list, count);
    if (m + 4 * L <= M) {
        tile<R, 4>(out + m, M, A, a_row, a_col, B + m, M, at(m), list, count);
        m += 4 * L;
    }
    if (m + 2 * L <= M) {
        tile<R, 2>(out + m, M, A, a_row, a_col, B + m, M, at(m), list, count);
        m += 2 * L;
    }
    if (m + L <= M) {
        tile<R, 1>(out + m, M, A, a_row, a_col, B + m, M, at(m), list, count);
        m += L;
    }
    if (m < M) tile_scalar(out + m, M, R, M - m, A, a_row, a_col, B + m, M, at(m), list, count);
}

// Scratch for the non-zero index lists: grows to the largest shared dimension once, then is reused.
std::vector<uint32_t>& scratch(std::size_t n) {
    static std::vector<uint32_t> list;
    if (list.size() < n) list.resize(n);
    return list;
}

}  // namespace

// out row n = bias + Σ_k A[n,k]·B[k,:], over the k where A[n,k] ≠ 0.
template <typename Real>
void matmul_forward(Real* out, const Real* A, const Real* B, const Real* bias, std::size_t N,
                    std::size_t K, std::size_t M, Zeros zeros) {
    uint32_t* list = scratch(K).data();
    std::size_t n = 0;
    for (; n + kRows <= N; n += kRows) {
        const std::size_t count = nonzero_indices(list, A + n * K, kRows, K, K, 1, zeros);
        row_block<kRows>(out + n * M, A + n * K, K, 1, B, bias, M, list, count);
    }
    for (; n < N; ++n) {
        const std::size_t count = nonzero_indices(list, A + n * K, 1, K, K, 1, zeros);
        row_block<1>(out + n * M, A + n * K, K, 1, B, bias, M, list, count);
    }
}

// dB row k = Σ_n A[n,k]·dOut[n,:], over the examples n where A[n,k] ≠ 0.
template <typename Real>
void matmul_weight_grad(Real* dB, const Real* A, const Real* dOut, std::size_t N, std::size_t K,
                        std::size_t M, Zeros zeros) {
    uint32_t* list = scratch(N).data();
    std::size_t k = 0;
    for (; k + kRows <= K; k += kRows) {
        const std::size_t count = nonzero_indices(list, A + k, kRows, N, 1, K, zeros);
        row_block<kRows, Real>(dB + k * M, A + k, 1, K, dOut, nullptr, M, list, count);
    }
    for (; k < K; ++k) {
        const std::size_t count = nonzero_indices(list, A + k, 1, N, 1, K, zeros);
        row_block<1, Real>(dB + k * M, A + k, 1, K, dOut, nullptr, M, list, count);
    }
}

template <typename Real>
void transpose(Real* out, const Real* in, std::size_t R, std::size_t C) {
    constexpr std::size_t block = 16;  // cache-friendly blocks: both sides stay in L1
    for (std::size_t r0 = 0; r0 < R; r0 += block)
        for (std::size_t c0 = 0; c0 < C; c0 += block)
            for (std::size_t r = r0; r < R && r < r0 + block; ++r)
                for (std::size_t c = c0; c < C && c < c0 + block; ++c) out[c * R + r] = in[r * C + c];
}

template void matmul_forward<float>(float*, const float*, const float*, const float*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_forward<double>(double*, const double*, const double*, const double*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_weight_grad<float>(float*, const float*, const float*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_weight_grad<double>(double*, const double*, const double*, std::size_t, std::size_t, std::size_t, Zeros);
template void transpose<float>(float*, const float*, std::size_t, std::size_t);
template void transpose<double>(double*, const double*, std::size_t, std::size_t);

}  // namespace bnkata::training
