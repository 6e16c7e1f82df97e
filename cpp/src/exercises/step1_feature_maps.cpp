// step1_feature_maps.cpp — Step 1 beyond one neuron: batch norm of feature maps, and the family of
// normalizations that take their statistics over other sets of values (normalize.hpp).
//
//   s1-conv-stats    per-channel μ and σ² of a small (N, C, H, W) tensor: m = N·H·W values per channel
//   s1-group-stats   one group's μ and σ² under GroupNorm with G groups (C = 6, G ∈ {2, 3})
//   s1-which-norm    why transformers use LayerNorm and small-batch detectors GroupNorm
// The right answers come from the core's normalize_forward, the kernels the JSON ops use.
#include <cmath>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/reference.hpp"
#include "bnkata/normalize.hpp"

namespace bnkata::exercises {

namespace {

// The statistics normalize_forward computes for x of layout L: mean and biased variance, (C) for batch,
// (N, G) for the others.
struct FamilyStatistics {
    Vec mean, var;
};

FamilyStatistics family_statistics(const Vec& x, Layout L, Norm norm) {
    const std::size_t S = norm.statistics_count(L);
    FamilyStatistics s{Vec(S), Vec(S)};
    Vec y(L.size()), rstd(S);
    const Vec gamma(L.C, 1.0), beta(L.C, 0.0);
    normalize_forward(y.data(), s.mean.data(), s.var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L,
                      norm, 1e-5);
    return s;
}

// "example 1, channel 2: [[1, 2], [3, 4]]" lines for a (N, C, H, W) tensor with H = W = 2.
std::string show_feature_maps(const Vec& x, Layout L, std::size_t H) {
    std::string text;
    const std::size_t W = L.HW / H;
    for (std::size_t n = 0; n < L.N; ++n)
        for (std::size_t c = 0; c < L.C; ++c) {
            text += "\n  example " + std::to_string(n + 1) + ", channel " + std::to_string(c + 1) + ": ";
            for (std::size_t h = 0; h < H; ++h) {
                const std::size_t at = (n * L.C + c) * L.HW + h * W;
                text += (h ? " / " : "") + show(Vec(x.begin() + static_cast<std::ptrdiff_t>(at),
                                                    x.begin() + static_cast<std::ptrdiff_t>(at + W)));
            }
        }
    return text;
}

// The tensor as the nested [N][C][H][W] array the page's data shows.
json nested(const Vec& x, Layout L, std::size_t H) {
    const std::size_t W = L.HW / H;
    json out = json::array();
    for (std::size_t n = 0; n < L.N; ++n) {
        json example = json::array();
        for (std::size_t c = 0; c < L.C; ++c) {
            json map = json::array();
            for (std::size_t h = 0; h < H; ++h) {
                const std::size_t at = (n * L.C + c) * L.HW + h * W;
                map.push_back(Vec(x.begin() + static_cast<std::ptrdiff_t>(at), x.begin() + static_cast<std::ptrdiff_t>(at + W)));
            }
            example.push_back(map);
        }
        out.push_back(example);
    }
    return out;
}

// --- s1-conv-stats -------------------------------------------------------------------------------------

constexpr std::size_t kMapSide = 2;
const Layout kConv{2, 2, kMapSide * kMapSide};  // (N, C, H, W) = (2, 2, 2, 2)

struct ConvDraw {
    Vec x;
    NumericGrading grading;
};

ConvDraw draw_conv(Rng& rng) {
    ConvDraw d;
    d.x = draw_integers(rng, kConv.size(), 0, 9);
    const FamilyStatistics bn = family_statistics(d.x, kConv, {NormKind::batch, 1});
    const FamilyStatistics in = family_statistics(d.x, kConv, {NormKind::instance, 1});
    const FamilyStatistics ln = family_statistics(d.x, kConv, {NormKind::layer, 1});
    // Over N only: each position is treated as a feature of its own (dense batch norm); averaged over the
    // positions, the means agree with the right ones but the variances lose the spread between positions.
    Vec over_n_var(kConv.C, 0.0), unbiased(kConv.C);
    for (std::size_t c = 0; c < kConv.C; ++c) {
        for (std::size_t p = 0; p < kConv.HW; ++p) {
            Vec column;
            for (std::size_t n = 0; n < kConv.N; ++n) column.push_back(d.x[(n * kConv.C + c) * kConv.HW + p]);
            const double mu = (column[0] + column[1]) / 2;
            over_n_var[c] += ((column[0] - mu) * (column[0] - mu) + (column[1] - mu) * (column[1] - mu)) / 2 /
                             static_cast<double>(kConv.HW);
        }
        const double m = static_cast<double>(kConv.count());
        unbiased[c] = bn.var[c] * m / (m - 1);
    }
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"mean", "μ per channel", bn.mean, true}, {"var", "σ² per channel", bn.var, true}};
    d.grading.variants = {
        {"stats_over_n_only", {bn.mean, over_n_var}},
        // Example 1's own statistics, channel by channel (instance norm) or all channels at once (layer norm).
        {"instance_norm_axes", {{in.mean[0], in.mean[1]}, {in.var[0], in.var[1]}}},
        {"layer_norm_axes", {{ln.mean[0], ln.mean[0]}, {ln.var[0], ln.var[0]}}},
        {"unbiased_variance", {bn.mean, unbiased}},
    };
    return d;
}

Generated conv_stats(std::uint64_t seed) {
    Rng rng("s1-conv-stats", seed);
    const ConvDraw d = draw_until_distinguishable(rng, draw_conv);
    const Vec& mean = d.grading.fields[0].expected;
    const Vec& var = d.grading.fields[1].expected;
    std::string per_channel;
    for (std::size_t c = 0; c < kConv.C; ++c) {
        Vec values;
        for (std::size_t n = 0; n < kConv.N; ++n)
            for (std::size_t p = 0; p < kConv.HW; ++p) values.push_back(d.x[(n * kConv.C + c) * kConv.HW + p]);
        per_channel += " Channel " + std::to_string(c + 1) + " holds " + show(values) + ": μ = " + show(mean[c]) +
                       ", σ² = " + show(var[c]) + ".";
    }
    return numeric_exercise(
        "A convolutional layer's output for a batch of N = 2 images, C = 2 channels, each a 2×2 feature map "
        "(rows separated by /):" +
            show_feature_maps(d.x, kConv, kMapSide) +
            "\nBatch norm after a convolution keeps one μ and one σ² per channel. Compute them for channel 1 "
            "and channel 2.",
        {{"x", nested(d.x, kConv, kMapSide)}}, d.grading,
        {"Every position of a channel's feature map shares its γ and β, so it shares its statistics too.",
         "Each channel's statistics cover every example and every position: m = N·H·W = 2·2·2 = 8 values.",
         "σ² is the biased variance: divide the squared deviations by m = 8."},
        "Per channel, over all N·H·W = 8 values (Ioffe & Szegedy 2015, §3.2)." + per_channel);
}

// --- s1-group-stats ------------------------------------------------------------------------------------

const Layout kGroupLayout{2, 6, 2};  // (N, C, H, W) = (2, 6, 1, 2)

struct GroupDraw {
    Vec x;
    std::size_t groups = 2, n = 0, g = 0;
    NumericGrading grading;
};

GroupDraw draw_group(Rng& rng) {
    GroupDraw d;
    d.x = draw_integers(rng, kGroupLayout.size(), 0, 9);
    d.groups = static_cast<std::size_t>(draw_one_of(rng, {2, 3}));
    d.n = static_cast<std::size_t>(rng.integer(0, 1));
    d.g = static_cast<std::size_t>(rng.integer(0, static_cast<long long>(d.groups) - 1));
    const FamilyStatistics gn = family_statistics(d.x, kGroupLayout, {NormKind::group, d.groups});
    const FamilyStatistics ln = family_statistics(d.x, kGroupLayout, {NormKind::layer, 1});
    const FamilyStatistics bn = family_statistics(d.x, kGroupLayout, {NormKind::batch, 1});
    const std::size_t at = d.n * d.groups + d.g;
    const std::size_t first_channel = d.g * (kGroupLayout.C / d.groups);
    const double m = static_cast<double>(kGroupLayout.C / d.groups * kGroupLayout.HW);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"mean", "μ of the group", {gn.mean[at]}, false}, {"var", "σ² of the group", {gn.var[at]}, false}};
    d.grading.variants = {
        {"layer_norm_axes", {{ln.mean[d.n]}, {ln.var[d.n]}}},
        {"group_across_batch", {{bn.mean[first_channel]}, {bn.var[first_channel]}}},
        {"unbiased_variance", {{gn.mean[at]}, {gn.var[at] * m / (m - 1)}}},
    };
    return d;
}

Generated group_stats(std::uint64_t seed) {
    Rng rng("s1-group-stats", seed);
    const GroupDraw d = draw_until_distinguishable(rng, draw_group);
    const std::size_t per_group = kGroupLayout.C / d.groups;
    std::string channels;
    for (std::size_t c = d.g * per_group; c < (d.g + 1) * per_group; ++c)
        channels += (c == d.g * per_group ? "" : " and ") + std::to_string(c + 1);
    return numeric_exercise(
        "A batch of N = 2 examples with C = 6 channels of 2 positions each (H = 1, W = 2):" +
            show_feature_maps(d.x, kGroupLayout, 1) + "\nGroup norm with G = " + std::to_string(d.groups) +
            " groups splits the 6 channels into " + std::to_string(d.groups) + " groups of " +
            std::to_string(per_group) + " consecutive channels. Compute the mean and the variance that normalise "
            "group " + std::to_string(d.g + 1) + " of example " + std::to_string(d.n + 1) + ".",
        {{"x", nested(d.x, kGroupLayout, 1)}, {"groups", d.groups}, {"example", d.n + 1}, {"group", d.g + 1}},
        d.grading,
        {"Group " + std::to_string(d.g + 1) + " is channels " + channels + ".",
         "Group norm never looks at the other examples: use example " + std::to_string(d.n + 1) + " only.",
         "That is " + std::to_string(per_group) + " channels × 2 positions = " + std::to_string(per_group * 2) +
             " values; σ² divides by their number."},
        "Example " + std::to_string(d.n + 1) + ", channels " + channels + ": μ = " +
            show(d.grading.fields[0].expected[0]) + ", σ² = " + show(d.grading.fields[1].expected[0]) +
            " (Wu & He 2018: statistics per example, over C/G channels and all positions).");
}

// --- s1-which-norm -------------------------------------------------------------------------------------

Generated which_norm(std::uint64_t) {
    const std::vector<Option> options = {
        {"a",
         "Both take statistics within one example, so nothing depends on the batch: a transformer's "
         "sequences of varying length and a detector's batch of 1 or 2 images per GPU are normalised as well "
         "as a large batch.",
         true,
         "Layer norm normalises each example over its own features (Ba et al. 2016); group norm over groups "
         "of channels of one image (Wu & He 2018). Batch norm's estimates get noisy as the batch shrinks: with "
         "2 images per GPU, Wu & He report ResNet-50's ImageNet error 10.6 points lower with group norm than "
         "with batch norm."},
        {"b", "They are faster to compute than batch norm.", false,
         "The arithmetic is the same (a mean, a variance and an affine map per value); the reason is what "
         "the statistics depend on, not speed."},
        {"c", "They need no ε.", false,
         "All of them divide by √(σ² + ε), and a constant group needs ε as a constant batch does."},
        {"d", "They have no learnable γ and β.", false,
         "Layer and group norm keep a learnable scale and shift per channel (per element for "
         "torch.nn.LayerNorm), as batch norm does."},
    };
    return choice_exercise(
        "Transformers normalise with layer norm, and object detectors trained with 1 or 2 images per GPU "
        "with group norm, rather than with batch norm. What do the two have in common that explains it?",
        json::object(), options, false,
        {"Over which values does each one take its mean and variance?",
         "What happens to batch statistics computed from 2 images?"},
        "Layer norm and group norm compute their statistics inside each example, so they behave the same in "
        "training and at inference and do not degrade with small batches (Ba et al. 2016; Wu & He 2018).");
}

}  // namespace

std::vector<ExerciseDefinition> step1_feature_map_exercises() {
    return {
        {"s1-conv-stats", 1, "Batch norm of feature maps: μ and σ² per channel", "vector", conv_stats},
        {"s1-group-stats", 1, "One group's statistics under group norm", "numeric", group_stats},
        {"s1-which-norm", 1, "Why layer norm and group norm", "choice", which_norm},
    };
}

}  // namespace bnkata::exercises
