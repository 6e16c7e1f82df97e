// metrics.cpp — evaluation and statistics (see the header).
#include "bnkata/training/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bnkata/training/loss.hpp"

namespace bnkata::training {

template <typename Real>
Moments moments(const Real* x, std::size_t n) {
    Moments m;
    if (n == 0) return m;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += x[i];
    m.mean = sum / static_cast<double>(n);
    double squares = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[i] - m.mean;
        squares += d * d;
    }
    m.std = std::sqrt(squares / static_cast<double>(n));
    return m;
}

template <typename Real>
double norm2(const Real* x, std::size_t n) {
    double squares = 0;
    for (std::size_t i = 0; i < n; ++i) squares += static_cast<double>(x[i]) * x[i];
    return std::sqrt(squares);
}

double quantile_sorted(const std::vector<float>& sorted, double p) {
    const double position = p * static_cast<double>(sorted.size() - 1);
    const std::size_t below = static_cast<std::size_t>(position);
    if (below + 1 >= sorted.size()) return sorted.back();
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (static_cast<double>(sorted[below + 1]) - sorted[below]);
}

template <typename Real>
Evaluation evaluate(Network<Real>& net, Workspace<Real>& ws, const Real* x, const int32_t* labels,
                    std::size_t count, int monitor_layer, std::size_t monitor_unit,
                    std::vector<float>& monitor_values) {
    Evaluation e;
    e.examples = count;
    if (count == 0) return e;
    const std::size_t capacity = ws.N, I = net.shape().sizes.front(), M = net.classes();
    monitor_values.resize(count);
    std::size_t correct = 0;
    double loss_sum = 0;
    for (std::size_t start = 0; start < count; start += capacity) {
        const std::size_t rows = std::min(capacity, count - start);
        ws.N = rows;  // inference mode treats rows independently, so a short last chunk is fine
        const Real* logits = net.forward(ws, x + start * I, BnMode::inference);
        loss_sum += softmax_cross_entropy(static_cast<Real*>(nullptr), &correct, logits, labels + start, rows, M) *
                    static_cast<double>(rows);
        if (monitor_layer >= 0) {
            const auto& w = ws.layers[static_cast<std::size_t>(monitor_layer)];
            const std::size_t O = net.layers()[static_cast<std::size_t>(monitor_layer)].out;
            for (std::size_t n = 0; n < rows; ++n) monitor_values[start + n] = static_cast<float>(w.pre()[n * O + monitor_unit]);
        }
    }
    ws.N = capacity;
    e.accuracy = static_cast<double>(correct) / static_cast<double>(count);
    e.loss = loss_sum / static_cast<double>(count);
    if (monitor_layer >= 0) {
        std::sort(monitor_values.begin(), monitor_values.end());
        e.p15 = quantile_sorted(monitor_values, 0.15);
        e.p50 = quantile_sorted(monitor_values, 0.50);
        e.p85 = quantile_sorted(monitor_values, 0.85);
    }
    return e;
}

template <typename Real>
Evaluation evaluate_with_batch_statistics(Network<Real>& net, Workspace<Real>& ws, const Real* x,
                                         const int32_t* labels, std::size_t count) {
    Evaluation e;
    const std::size_t N = ws.N, I = net.shape().sizes.front(), M = net.classes();
    e.examples = count / N * N;
    if (e.examples == 0) {  // fewer examples than one batch: nothing measured (JSON null)
        e.accuracy = e.loss = std::numeric_limits<double>::quiet_NaN();
        return e;
    }
    std::size_t correct = 0;
    double loss_sum = 0;
    for (std::size_t start = 0; start < e.examples; start += N) {
        const Real* logits = net.forward(ws, x + start * I, BnMode::train_frozen);
        loss_sum += softmax_cross_entropy(static_cast<Real*>(nullptr), &correct, logits, labels + start, N, M) *
                    static_cast<double>(N);
    }
    e.accuracy = static_cast<double>(correct) / static_cast<double>(e.examples);
    e.loss = loss_sum / static_cast<double>(e.examples);
    return e;
}

template <typename Real>
std::vector<LayerStatistics> layer_statistics(const Network<Real>& net, const Workspace<Real>& ws,
                                              const std::vector<Real>& dlogits) {
    std::vector<LayerStatistics> stats(net.layers().size());
    for (std::size_t l = 0; l < stats.size(); ++l) {
        const DenseLayer<Real>& layer = net.layers()[l];
        const auto& w = ws.layers[l];
        const std::size_t size = ws.N * layer.out;
        LayerStatistics& s = stats[l];
        if (layer.hidden) {
            s.preactivation = moments(w.pre(), size);
            s.activation = moments(w.post(), size);
            s.output_grad_norm = norm2(w.da.data(), size);
        } else {
            s.preactivation = s.activation = moments(w.z.data(), size);  // the logits
            s.output_grad_norm = norm2(dlogits.data(), std::min(size, dlogits.size()));
        }
        s.weight_norm = norm2(layer.W.value.data(), layer.W.value.size());
        s.weight_grad_norm = norm2(layer.W.grad.data(), layer.W.grad.size());
        s.has_bias = layer.has_bias;
        s.bias_norm = norm2(layer.b.value.data(), layer.b.value.size());
    }
    return stats;
}

#define BNKATA_INSTANTIATE(Real)                                                                             \
    template Moments moments<Real>(const Real*, std::size_t);                                               \
    template double norm2<Real>(const Real*, std::size_t);                                                  \
    template Evaluation evaluate<Real>(Network<Real>&, Workspace<Real>&, const Real*, const int32_t*,       \
                                       std::size_t, int, std::size_t, std::vector<float>&);                  \
    template Evaluation evaluate_with_batch_statistics<Real>(Network<Real>&, Workspace<Real>&, const Real*,  \
                                                             const int32_t*, std::size_t);                   \
    template std::vector<LayerStatistics> layer_statistics<Real>(const Network<Real>&, const Workspace<Real>&, \
                                                                 const std::vector<Real>&);
BNKATA_INSTANTIATE(float)
BNKATA_INSTANTIATE(double)
#undef BNKATA_INSTANTIATE

}  // namespace bnkata::training
