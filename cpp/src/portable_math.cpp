// portable_math.cpp — see the header: same bits on every platform, from + − × ÷ only.
#include "bnkata/portable_math.hpp"

#include <limits>

namespace bnkata {

double log_f64(double x) {
    if (x != x || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (x == std::numeric_limits<double>::infinity()) return x;
    // Split x = m·2^e by its bits (subnormals first scaled into the normal range by 2^54).
    int e = 0;
    if (x < 2.2250738585072014e-308) {
        x *= 18014398509481984.0;  // 2^54
        e = -54;
    }
    uint64_t bits;
    std::memcpy(&bits, &x, 8);
    e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;  // m ∈ [1, 2)
    double m;
    std::memcpy(&m, &bits, 8);
    if (m > 1.4142135623730951) {  // keep |f| small: m ∈ [√½, √2)
        m *= 0.5;
        e += 1;
    }
    const double f = (m - 1.0) / (m + 1.0);
    const double f2 = f * f;
    // 2·(f + f³/3 + f⁵/5 + … + f²³/23): the next term is below 1e-19 relative.
    double series = 1.0 / 23;
    for (int k = 21; k >= 1; k -= 2) series = 1.0 / k + f2 * series;
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    return (e * ln2_hi + 2.0 * f * series) + e * ln2_lo;
}

namespace {
// Reduces x to [−π, π] with a two-part 2π so the reduction error stays ~1e-16·|x|.
double reduce_angle(double x) {
    const double two_pi_hi = 6.28318530717958623200, two_pi_lo = 2.44929359829470635445e-16;
    double q = x / two_pi_hi;
    q = q >= 0 ? static_cast<double>(static_cast<int64_t>(q + 0.5)) : -static_cast<double>(static_cast<int64_t>(-q + 0.5));
    return (x - q * two_pi_hi) - q * two_pi_lo;
}
}  // namespace

double sin_f64(double x) {
    const double r = reduce_angle(x), r2 = r * r;
    // r − r³/3! + r⁵/5! − …, 14 terms: π^29/29! < 1e-19.
    double term = r, sum = r;
    for (int k = 1; k < 14; ++k) {
        term = -term * r2 / ((2.0 * k) * (2.0 * k + 1));
        sum += term;
    }
    return sum;
}

double cos_f64(double x) {
    const double r = reduce_angle(x), r2 = r * r;
    double term = 1, sum = 1;
    for (int k = 1; k < 14; ++k) {
        term = -term * r2 / ((2.0 * k - 1) * (2.0 * k));
        sum += term;
    }
    return sum;
}

}  // namespace bnkata
