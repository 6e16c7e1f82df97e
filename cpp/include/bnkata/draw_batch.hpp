// draw_batch.hpp — a figure's random batch: seeded draws from N(mean, sd²), the same on every engine.
//
// A figure that offers "draw a random batch" asks the core for it, so that a seed someone quotes gives the
// same batch in the page, in Node and from `bnkata compute`. The bits are SplitMix64's (rng.hpp), started
// from (purpose, seed) as the exercises start theirs from (exercise id, seed): FNV-1a(purpose) xor seed·φ,
// so two figures that draw with one seed get unrelated batches. The Gaussians come from Marsaglia's polar
// method with the portable log (portable_math.hpp), so the same bits come out natively and in WebAssembly.
#pragma once

#include <nlohmann/json.hpp>

namespace bnkata {

// Limits on a request's fields (the errors name the field and say so).
constexpr int kMaxDrawSize = 4096;        // values in one batch: more than any figure shows
constexpr int kMaxPurposeLength = 64;     // characters in the purpose, e.g. "normalize"
constexpr int kMaxDrawDecimals = 15;      // decimal places a draw may be rounded to (a double holds ~15.9)

// {"op":"draw_batch","seed":integer 0 … 2^53 − 1,"purpose":text (1–64 characters),"size":integer 1 … 4096,
//  "mean":number=0,"sd":number ≥ 0 =1,"decimals":integer 0 … 15 (absent: not rounded)}
//   → {"values":[size]}
// values[i] = mean + sd·z_i with z_i standard Gaussian, rounded half away from zero to `decimals` places
// when that is given. Errors are values naming the field, as for every op.
nlohmann::json op_draw_batch(const nlohmann::json& request);

}  // namespace bnkata
