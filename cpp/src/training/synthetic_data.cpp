// synthetic_data.cpp — spiral, circles and blobs (see the header).
#include "bnkata/training/synthetic_data.hpp"

#include "bnkata/portable_math.hpp"
#include "bnkata/training/random.hpp"

namespace bnkata::training {

Dataset make_synthetic(SyntheticKind kind, std::size_t count, std::size_t classes, double noise, uint64_t seed,
                       uint64_t salt) {
    const double two_pi = 6.283185307179586;
    Rng rng(seed ^ (salt * 0x9e3779b97f4a7c15ULL), Stream::data);
    Dataset d;
    d.count = count;
    d.features = 2;
    d.x.resize(count * 2);
    d.labels.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t k = i % classes;
        double px = 0, py = 0;
        switch (kind) {
            case SyntheticKind::spiral: {
                const double t = rng.uniform();
                const double angle = 4.0 * t + two_pi * static_cast<double>(k) / static_cast<double>(classes) +
                                     noise * rng.normal();
                px = t * sin_f64(angle);
                py = t * cos_f64(angle);
                break;
            }
            case SyntheticKind::circles: {
                const double radius = k == 0 ? 1.0 : 0.5;
                const double angle = two_pi * rng.uniform();
                px = radius * cos_f64(angle) + noise * rng.normal();
                py = radius * sin_f64(angle) + noise * rng.normal();
                break;
            }
            case SyntheticKind::blobs: {
                const double angle = two_pi * static_cast<double>(k) / static_cast<double>(classes);
                const double spread = 0.5 + noise;
                px = 2.0 * cos_f64(angle) + spread * rng.normal();
                py = 2.0 * sin_f64(angle) + spread * rng.normal();
                break;
            }
        }
        d.x[2 * i] = static_cast<float>(px);
        d.x[2 * i + 1] = static_cast<float>(py);
        d.labels[i] = static_cast<int32_t>(k);
    }
    return d;
}

}  // namespace bnkata::training
