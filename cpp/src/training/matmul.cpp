// matmul.cpp — register-tiled, zero-skipping matrix products (see the header for the contract).
#include "bnkata/training/matmul.hpp"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>
#include <type_traits>

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

// Two kinds of tile, chosen by what A holds:
//   sparse A (pixels, ReLU outputs): tiles one output row high. Each row gets its own list of non-zero
//     terms, so a sparse row (an MNIST digit: ~19 % non-zero pixels) costs only its non-zeros — a tile
//     of several rows would have to visit the union of their non-zeros.
//   dense A (sigmoid and tanh activations): tiles kDenseRows rows high, no term list. Each loaded
//     vector of B then feeds kDenseRows rows: fewer loads per multiply-add, which matters most in WASM,
//     where every operand of a SIMD multiply is loaded into a register of its own (no memory operands).
// Widths: enough independent accumulator chains to hide the add latency, few enough that what is live at
// once fits the 16 SIMD registers (15 usable in V8) without spilling. The sparse tiles are one row high,
// so each loaded vector of B feeds one multiply and is dead right after it: 8 accumulators + 1 broadcast
// + 1 loaded vector. The dense tiles keep their 4 loaded vectors for both rows: 8 accumulators + 4 loads
// + 2 broadcasts. The same widths natively and in WASM (docs/benchmarks.md, "Training lab", has what
// they were chosen from). The widths change no result: every output still sums its products in
// increasing order.
constexpr std::size_t kSparseVectors = 8;
constexpr std::size_t kDenseRows = 2, kDenseVectors = 4;
#if defined(__wasm__)
constexpr bool kMergeLastVectors = true;  // see row_block
#else
constexpr bool kMergeLastVectors = false;
#endif

// What a tile visits along the shared dimension:
//   EveryIndex (dense A): every index s in turn; A(r, s) and B(s, ·) are reached by pointer steps.
//   ListedTerms (sparse A, tiles one row high): only the terms whose A value is non-zero, prepared before
//     the row's tiles run — each term's A value, gathered, and the offset of its row of B (s·b_row). The
//     tiles then do no index arithmetic, and A is read once per row, not once per tile.
struct EveryIndex {};
template <typename Real> struct ListedTerms {
    const Real* a_value;      // A(r, s_t)
    const uint32_t* b_offset;  // s_t·b_row
};

// The indices s < S at which the contiguous row A[0 … S) is non-zero, in increasing order; returns
// their count. Used only for sparse A.
template <typename Real>
std::size_t nonzero_indices(uint32_t* list, const Real* A, std::size_t S) {
    std::size_t count = 0;
    std::size_t s = 0;
    if constexpr (sizeof(Real) == 4) {
        // Jump over runs of 8 zeros at once (an MNIST digit's border is ~80 % zeros). ±0 both count as
        // zero: their bits without the sign are 0.
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
    for (; s < S; ++s) {
        list[count] = static_cast<uint32_t>(s);
        count += A[s] != Real(0);
    }
    return count;
}

// The micro-kernel shared by both products. For r < R and the NV vectors from column m0:
//   acc[r] = init + Σ_t A(r, s_t) · B(s_t, m0 …),   over the visited s_t (see above), in increasing t
// A(r, s) = A[r·a_row + s·a_col]; B(s, ·) = B + s·b_row; init is bias (or zero).
template <std::size_t R, std::size_t NV, typename Real, typename Index>
inline void tile(Real* out, std::size_t out_row, const Real* A, std::size_t a_row, std::size_t a_col,
                 const Real* B, std::size_t b_row, const Real* bias, Index index, std::size_t count) {
    using V = typename Simd<Real>::type;
    constexpr std::size_t L = Simd<Real>::lanes;
    V acc[R][NV];
    for (std::size_t v = 0; v < NV; ++v) {
        const V init = bias ? load<V>(bias + v * L) : splat(Real(0));
        for (std::size_t r = 0; r < R; ++r) acc[r][v] = init;
    }
    // One step of the shared index: B(s, m0 …) at b times the R numbers A(r, s) that a(r) gives.
    auto accumulate = [&](const Real* b, auto a) {
        V bv[NV];
        for (std::size_t v = 0; v < NV; ++v) bv[v] = load<V>(b + v * L);
        for (std::size_t r = 0; r < R; ++r) {
            const V ar = splat(a(r));
            for (std::size_t v = 0; v < NV; ++v) acc[r][v] += ar * bv[v];
        }
    };
    if constexpr (std::is_same_v<Index, EveryIndex>) {
        // Walk both operands by pointer steps: no index arithmetic per step (in WASM each s·stride would
        // be a multiply and an address computation of its own).
        const Real* a = A;
        const Real* b = B;
        for (std::size_t t = 0; t < count; ++t, a += a_col, b += b_row)
            accumulate(b, [a, a_row](std::size_t r) { return a[r * a_row]; });
    } else {
        static_assert(R == 1, "listed terms belong to one row of A");
        for (std::size_t t = 0; t < count; ++t)
            accumulate(B + index.b_offset[t], [&index, t](std::size_t) { return index.a_value[t]; });
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t v = 0; v < NV; ++v) store(out + r * out_row + v * L, acc[r][v]);
}

// A sparse row's columns left over after whole vectors, one scalar at a time, in the same summation order.
// (A dense product's take a vector tile over its packed tail instead: see PackedTail.)
template <typename Real>
inline void tile_scalar(Real* out, std::size_t columns, const Real* B, const Real* bias, ListedTerms<Real> terms,
                        std::size_t count) {
    for (std::size_t c = 0; c < columns; ++c) {
        Real acc = bias ? bias[c] : Real(0);
        for (std::size_t t = 0; t < count; ++t) acc += terms.a_value[t] * B[terms.b_offset[t] + c];
        out[c] = acc;
    }
}

// The last M mod L columns of B (and of the bias) copied into rows one vector wide, zero-padded, so that a
// dense product's leftover columns (the 10 logits: 2 vectors + 2 columns) take a vector tile too, instead
// of a scalar loop with a strided load per product (slowest in WASM). Each kept lane sums the same
// products in the same order; the padded lanes are computed and thrown away.
template <typename Real>
struct PackedTail {
    const Real* B = nullptr;     // (S, L): B(s, m0 + c) for c < M − m0, then zeros
    const Real* bias = nullptr;  // (L), or nullptr when there is no bias
};

// Sweeps one block of R output rows across all M columns: tiles of NV vectors, then 4, 2, 1 vectors,
// then the leftover columns (dense A: the packed tail's vector tile; sparse A: scalars).
template <std::size_t R, std::size_t NV, typename Real, typename Index>
void row_block(Real* out, const Real* A, std::size_t a_row, std::size_t a_col, const Real* B,
               const Real* bias, std::size_t M, Index index, std::size_t count, PackedTail<Real> tail = {}) {
    constexpr std::size_t L = Simd<Real>::lanes;
    std::size_t m = 0;
    auto at = [&](std::size_t offset) { return bias ? bias + offset : nullptr; };
    // In WASM, one-row tiles take the last 1–3 whole vectors into their last full tile (100 outputs: 8 + 8
    // + 9 vectors, not 8 + 8 + 8 + 1): a one-vector tile is a single chain of dependent adds, nearly as
    // slow per term as the 8-vector tile, and one row keeps ≤ 11 accumulators + a broadcast + a load in
    // registers. Natively GCC's 9-vector tile is slower, so native keeps 8 + 8 + 8 + 1
    // (docs/benchmarks.md).
    if constexpr (R == 1 && kMergeLastVectors) {
        const std::size_t vectors = M / L;
        if (vectors > NV && vectors % NV >= 1 && vectors % NV <= 3) {
            for (; m + 2 * NV * L <= M; m += NV * L)
                tile<R, NV>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count);
            switch (vectors % NV) {
                case 1: tile<R, NV + 1>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count); break;
                case 2: tile<R, NV + 2>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count); break;
                default: tile<R, NV + 3>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count); break;
            }
            m = vectors * L;
        }
    }
    for (; m + NV * L <= M; m += NV * L)
        tile<R, NV>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count);
    if constexpr (NV > 4) {
        if (m + 4 * L <= M) {
            tile<R, 4>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count);
            m += 4 * L;
        }
    }
    if constexpr (NV > 2) {
        if (m + 2 * L <= M) {
            tile<R, 2>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count);
            m += 2 * L;
        }
    }
    if (m + L <= M) {
        tile<R, 1>(out + m, M, A, a_row, a_col, B + m, M, at(m), index, count);
        m += L;
    }
    if (m == M) return;
    if constexpr (std::is_same_v<Index, EveryIndex>) {  // dense: product() always packs the tail
        Real part[R * L];
        tile<R, 1>(part, L, A, a_row, a_col, tail.B, L, tail.bias, index, count);
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t c = 0; c < M - m; ++c) out[r * M + m + c] = part[r * L + c];
    } else {
        tile_scalar(out + m, M - m, B + m, at(m), index, count);  // sparse A: one row (see tile)
    }
}

// Scratch for the term lists: each vector grows to the largest size asked for once, then is reused.
// (The engine is single-threaded: one lab per Web Worker, one session per CLI run.) Offsets are 32-bit:
// the engine's matrices hold far fewer than 2³² numbers (layers and batches of at most 4,096).
template <typename Real>
struct Scratch {
    std::vector<uint32_t> offsets;                      // the terms' B offsets: one row's, or every column's
    std::vector<Real> values;                           // the terms' A values, likewise
    std::vector<uint32_t> hits, row_start;              // column_terms: every row's non-zero columns, row by row
    std::vector<uint32_t> column_start, next;           // column_terms: where each column's terms begin
    std::vector<Real> tail_b, tail_bias;                // pack_tail: B's and the bias's leftover columns
};
template <typename Real>
Scratch<Real>& scratch() {
    static Scratch<Real> s;
    return s;
}
template <typename T>
T* sized(std::vector<T>& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
}

// Packs the columns from m0 of B (S, M) and of the bias into k's zero-padded tail (see PackedTail).
template <typename Real>
PackedTail<Real> pack_tail(Scratch<Real>& k, const Real* B, const Real* bias, std::size_t S, std::size_t M,
                           std::size_t m0) {
    constexpr std::size_t L = Simd<Real>::lanes;
    Real* packed = sized(k.tail_b, S * L);
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t c = 0; c < L; ++c) packed[s * L + c] = m0 + c < M ? B[s * M + m0 + c] : Real(0);
    PackedTail<Real> tail{packed, nullptr};
    if (bias) {
        Real* padded = sized(k.tail_bias, L);
        for (std::size_t c = 0; c < L; ++c) padded[c] = m0 + c < M ? bias[m0 + c] : Real(0);
        tail.bias = padded;
    }
    return tail;
}

// The terms of one contiguous row A[0 … S) against B (S, M): its non-zero values and the offsets s·M of
// their rows of B, in increasing s. Returns their count.
template <typename Real>
std::size_t row_terms(Scratch<Real>& k, const Real* A, std::size_t S, std::size_t M) {
    uint32_t* offsets = sized(k.offsets, S);
    Real* values = sized(k.values, S);
    const std::size_t count = nonzero_indices(offsets, A, S);
    for (std::size_t t = 0; t < count; ++t) {
        values[t] = A[offsets[t]];
        offsets[t] *= static_cast<uint32_t>(M);
    }
    return count;
}

// For sparse A (rows, S) in the weight gradient, where column s of A is row s of the product: for every
// column s, the terms at the rows r where A(r, s) ≠ 0, in increasing r — values A(r, s) and offsets r·M
// into dOut (rows, M) — at [column_start[s], column_start[s + 1]). Scanning one column alone would stride
// through A (S floats between reads: ~6 % of a step for MNIST's 784 pixels); instead every row is scanned
// once, contiguously, skipping runs of zeros 8 at a time, and its non-zeros are dealt out to their
// columns (a counting sort, so each column's terms come out in increasing r).
template <typename Real>
void column_terms(Scratch<Real>& k, const Real* A, std::size_t rows, std::size_t S, std::size_t M) {
    uint32_t* hits = sized(k.hits, rows * S);
    uint32_t* row_start = sized(k.row_start, rows + 1);
    uint32_t* start = sized(k.column_start, S + 1);
    std::fill(start, start + S + 1, 0u);
    std::size_t total = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        row_start[r] = static_cast<uint32_t>(total);
        const std::size_t count = nonzero_indices(hits + total, A + r * S, S);
        for (std::size_t t = 0; t < count; ++t) ++start[hits[total + t] + 1];
        total += count;
    }
    row_start[rows] = static_cast<uint32_t>(total);
    for (std::size_t s = 0; s < S; ++s) start[s + 1] += start[s];
    uint32_t* next = sized(k.next, S);  // the next free place in each column's list
    std::copy(start, start + S, next);
    uint32_t* offsets = sized(k.offsets, total);
    Real* values = sized(k.values, total);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t t = row_start[r]; t < row_start[r + 1]; ++t) {
            const uint32_t place = next[hits[t]]++;
            offsets[place] = static_cast<uint32_t>(r * M);
            values[place] = A[r * S + hits[t]];
        }
}

// out (rows, M) = bias (or 0) + Σ_s A(r, s)·B(s, ·) for every row r — the loop both products share.
// A(r, s) = A[r·a_row + s·a_col]; B is (S, M) row-major.
template <typename Real>
void product(Real* out, const Real* A, std::size_t a_row, std::size_t a_col, const Real* B, const Real* bias,
             std::size_t rows, std::size_t S, std::size_t M, Zeros zeros) {
    std::size_t r = 0;
    Scratch<Real>& k = scratch<Real>();
    if (zeros == Zeros::none_expected) {
        constexpr std::size_t L = Simd<Real>::lanes;
        const PackedTail<Real> tail = M % L ? pack_tail(k, B, bias, S, M, M - M % L) : PackedTail<Real>{};
        for (; r + kDenseRows <= rows; r += kDenseRows)
            row_block<kDenseRows, kDenseVectors>(out + r * M, A + r * a_row, a_row, a_col, B, bias, M, EveryIndex{}, S, tail);
        for (; r < rows; ++r)
            row_block<1, kDenseVectors>(out + r * M, A + r * a_row, a_row, a_col, B, bias, M, EveryIndex{}, S, tail);
        return;
    }
    if (a_col == 1) {  // rows of A are contiguous: find each row's terms as it comes
        for (; r < rows; ++r) {
            const std::size_t count = row_terms(k, A + r * a_row, S, M);
            row_block<1, kSparseVectors>(out + r * M, A + r * a_row, a_row, a_col, B, bias, M,
                                         ListedTerms<Real>{k.values.data(), k.offsets.data()}, count);
        }
        return;
    }
    // Rows of A are its columns in memory (the weight gradient's Aᵀ, a_row = 1): every row's terms in one
    // pass over A.
    column_terms(k, A, S, rows, M);
    for (; r < rows; ++r) {
        const std::size_t first = k.column_start[r];
        row_block<1, kSparseVectors>(out + r * M, A + r * a_row, a_row, a_col, B, bias, M,
                                     ListedTerms<Real>{k.values.data() + first, k.offsets.data() + first},
                                     k.column_start[r + 1] - first);
    }
}

}  // namespace

// out row n = bias + Σ_k A[n,k]·B[k,:] (over the k where A[n,k] ≠ 0 when A is sparse).
template <typename Real>
void matmul_forward(Real* out, const Real* A, const Real* B, const Real* bias, std::size_t N,
                    std::size_t K, std::size_t M, Zeros zeros) {
    product(out, A, K, 1, B, bias, N, K, M, zeros);
}

// dB row k = Σ_n A[n,k]·dOut[n,:] (over the examples n where A[n,k] ≠ 0 when A is sparse).
template <typename Real>
void matmul_weight_grad(Real* dB, const Real* A, const Real* dOut, std::size_t N, std::size_t K,
                        std::size_t M, Zeros zeros) {
    product(dB, A, 1, K, dOut, static_cast<const Real*>(nullptr), K, N, M, zeros);
}

namespace {
// out (C,R) = in (R,C)ᵀ for rows [r0, r1) and columns [c0, c1), one number at a time.
template <typename Real>
void transpose_scalar(Real* out, const Real* in, std::size_t R, std::size_t C, std::size_t r0, std::size_t r1,
                      std::size_t c0, std::size_t c1) {
    for (std::size_t r = r0; r < r1; ++r)
        for (std::size_t c = c0; c < c1; ++c) out[c * R + r] = in[r * C + c];
}
}  // namespace

template <typename Real>
void transpose(Real* out, const Real* in, std::size_t R, std::size_t C) {
    if constexpr (sizeof(Real) == 4) {
        // 4×4 blocks in registers: four row loads, eight shuffles (unpack low/high, then move the 64-bit
        // halves), four column stores — where one number at a time is 16 loads and 16 stores, each with
        // its own address arithmetic in WASM. Rows and columns beyond a multiple of 4 go one at a time.
        using V = Simd<float>::type;
        const std::size_t R4 = R - R % 4, C4 = C - C % 4;
        for (std::size_t r = 0; r < R4; r += 4) {
            for (std::size_t c = 0; c < C4; c += 4) {
                const V a = load<V>(in + r * C + c), b = load<V>(in + (r + 1) * C + c);
                const V e = load<V>(in + (r + 2) * C + c), d = load<V>(in + (r + 3) * C + c);
                const V ab_lo = __builtin_shufflevector(a, b, 0, 4, 1, 5), ab_hi = __builtin_shufflevector(a, b, 2, 6, 3, 7);
                const V ed_lo = __builtin_shufflevector(e, d, 0, 4, 1, 5), ed_hi = __builtin_shufflevector(e, d, 2, 6, 3, 7);
                store(out + c * R + r, V(__builtin_shufflevector(ab_lo, ed_lo, 0, 1, 4, 5)));
                store(out + (c + 1) * R + r, V(__builtin_shufflevector(ab_lo, ed_lo, 2, 3, 6, 7)));
                store(out + (c + 2) * R + r, V(__builtin_shufflevector(ab_hi, ed_hi, 0, 1, 4, 5)));
                store(out + (c + 3) * R + r, V(__builtin_shufflevector(ab_hi, ed_hi, 2, 3, 6, 7)));
            }
        }
        transpose_scalar(out, in, R, C, 0, R4, C4, C);
        transpose_scalar(out, in, R, C, R4, R, 0, C);
    } else {
        constexpr std::size_t block = 16;  // cache-friendly blocks: both sides stay in L1
        for (std::size_t r0 = 0; r0 < R; r0 += block)
            for (std::size_t c0 = 0; c0 < C; c0 += block)
                transpose_scalar(out, in, R, C, r0, std::min(R, r0 + block), c0, std::min(C, c0 + block));
    }
}

template void matmul_forward<float>(float*, const float*, const float*, const float*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_forward<double>(double*, const double*, const double*, const double*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_weight_grad<float>(float*, const float*, const float*, std::size_t, std::size_t, std::size_t, Zeros);
template void matmul_weight_grad<double>(double*, const double*, const double*, std::size_t, std::size_t, std::size_t, Zeros);
template void transpose<float>(float*, const float*, std::size_t, std::size_t);
template void transpose<double>(double*, const double*, std::size_t, std::size_t);

}  // namespace bnkata::training
