// run_summary.cpp — a lab run's record reduced to its experiment's summary (see the header).
//
// The order is the reader's: first how a recorded quantity is read out of the lanes' answers, then the
// three reductions every summary is made of (the last value, the largest drift from the first value, the
// median), then one function per experiment saying which quantities it summarises and why, and last the
// request's checks and the table of experiments.
#include "bnkata/training/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/text.hpp"
#include "bnkata/training/config.hpp"

namespace bnkata::training {

using nlohmann::json;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// One lane of the run: its config and what its step(k) and probe() calls answered, in order.
struct Lane {
    Config config;
    std::vector<json> reports;
    std::vector<json> probes;
};

// --- Reading recorded quantities ----------------------------------------------------------------------
//
// A recorded answer is JSON the engine wrote (docs/training.md), but it reaches us through the page, so
// nothing about its shape is assumed: a missing field, a null (JSON's spelling of a non-finite number)
// or a value of another type all read as "no value" (NaN), which every reduction below skips.

const json* at(const json* value, const char* key) {
    if (!value || !value->is_object()) return nullptr;
    const auto it = value->find(key);
    return it == value->end() ? nullptr : &*it;
}

const json* at(const json* value, std::size_t index) {
    return value && value->is_array() && index < value->size() ? &(*value)[index] : nullptr;
}

double number(const json* value) {
    if (!value || !value->is_number()) return kNone;
    const double v = value->get<double>();
    return std::isfinite(v) ? v : kNone;
}

// One quantity over a lane's answers, e.g. the test accuracy after every chunk of steps.
template <typename Read>
std::vector<double> series(const std::vector<json>& answers, Read read) {
    std::vector<double> out;
    out.reserve(answers.size());
    for (const json& answer : answers) out.push_back(read(answer));
    return out;
}

double test_accuracy(const json& r) { return number(at(at(&r, "test"), "accuracy")); }
double test_loss(const json& r) { return number(at(at(&r, "test"), "loss")); }
double training_loss(const json& r) { return number(at(&r, "loss")); }
bool diverged(const json& r) {
    const json* d = at(&r, "diverged");
    return d && !d->is_null();
}

// --- The three reductions -------------------------------------------------------------------------------

double last(const std::vector<double>& values) { return values.empty() ? kNone : values.back(); }
double first(const std::vector<double>& values) { return values.empty() ? kNone : values.front(); }

// How far a quantity moved away from where it started: max |yᵢ − y₀| over the finite values, y₀ the
// first finite one. The largest excursion rather than the last value's: a distribution that moved away
// and came back has still moved under the layers above it while it was away.
double largest_drift(const std::vector<double>& values) {
    double start = kNone, drift = kNone;
    for (double y : values) {
        if (std::isnan(y)) continue;
        if (std::isnan(start)) {  // the first finite value is y₀: no drift yet
            start = y;
            drift = 0;
        }
        drift = std::max(drift, std::fabs(y - start));
    }
    return drift;
}

// The median of the finite values (the mean of the middle two when their count is even). Single probes
// of the loss landscape are noisy, and a median over the run is not pulled by one wild probe.
double median(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double y) { return std::isnan(y); }), values.end());
    if (values.empty()) return kNone;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// JSON has no NaN: "no value" is written as null, or as 0 in the fields step 3's grader reads as numbers
// (docs/exercises.md), where 0 means "nothing measured": no accuracy, no drift, no bias.
json or_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
json or_zero(double v) { return std::isnan(v) ? json(0.0) : json(v); }

// --- Lanes by role --------------------------------------------------------------------------------------

bool with_bn(const Lane& lane) { return lane.config.shape.batchnorm != BnPlacement::none; }

// The first lane with (or without) BN; the experiment's check has made sure there is one.
const Lane& lane_of(const std::vector<Lane>& lanes, bool bn) {
    return *std::find_if(lanes.begin(), lanes.end(), [bn](const Lane& l) { return with_bn(l) == bn; });
}

// The step the run reached: the furthest any lane reported.
double steps_reached(const std::vector<Lane>& lanes) {
    double steps = 0;
    for (const Lane& lane : lanes)
        for (const json& r : lane.reports)
            if (const double step = number(at(&r, "step")); step > steps) steps = step;  // NaN > steps is false
    return steps;
}

// --- One summary per experiment -------------------------------------------------------------------------

// Ioffe & Szegedy 2015, Fig. 1: the same sigmoid net with and without BN, one last-layer sigmoid's input
// watched through its 15th, 50th and 85th percentiles over the test digits. The paper's Fig. 1(b, c)
// shows the distribution changing more without BN than with it ("more stable"). In the lab's runs the medians
// barely move in either network while the 15–85 % span (p85 − p15) does, so step 3 grades the span's
// drift; the median's is reported alongside.
json fig1_side(const Lane& lane) {
    const std::vector<double> p15 = series(lane.reports, [](const json& r) { return number(at(at(&r, "monitor"), "p15")); });
    const std::vector<double> p50 = series(lane.reports, [](const json& r) { return number(at(at(&r, "monitor"), "p50")); });
    const std::vector<double> p85 = series(lane.reports, [](const json& r) { return number(at(at(&r, "monitor"), "p85")); });
    std::vector<double> span(p15.size());
    for (std::size_t i = 0; i < span.size(); ++i) span[i] = p85[i] - p15[i];  // NaN if either is missing
    const bool ended_diverged = !lane.reports.empty() && diverged(lane.reports.back());
    return {{"final_accuracy", or_zero(last(series(lane.reports, test_accuracy)))},
            {"final_loss", or_null(last(series(lane.reports, test_loss)))},
            {"diverged", ended_diverged},
            {"span_drift", or_zero(largest_drift(span))},
            {"p50_drift", or_zero(largest_drift(p50))}};
}

json fig1(const std::vector<Lane>& lanes) {
    return {{"experiment", "fig1"}, {"with_bn", fig1_side(lane_of(lanes, true))}, {"without_bn", fig1_side(lane_of(lanes, false))}};
}

// Santurkar et al. 2018, §3.2: probed along the gradient every chunk, the loss varies less with BN, the
// gradient changes less ("predictiveness") and its Lipschitz constant along the step ("effective
// β-smoothness") is smaller. One probe is noisy, so each is summarised by its median over the run.
json landscape_side(const Lane& lane) {
    const std::vector<double> width = series(lane.probes, [](const json& p) {
        return number(at(at(&p, "loss_range"), std::size_t{1})) - number(at(at(&p, "loss_range"), std::size_t{0}));
    });
    const std::vector<double> change = series(lane.probes, [](const json& p) { return number(at(at(&p, "predictiveness_range"), std::size_t{1})); });
    const std::vector<double> beta = series(lane.probes, [](const json& p) { return number(at(&p, "beta_smoothness")); });
    return {{"probes", lane.probes.size()},
            {"loss_range_width", or_null(median(width))},
            {"gradient_change", or_null(median(change))},
            {"beta_smoothness", or_null(median(beta))}};
}

json landscape(const std::vector<Lane>& lanes) {
    return {{"experiment", "landscape"}, {"steps", steps_reached(lanes)},
            {"with_bn", landscape_side(lane_of(lanes, true))}, {"without_bn", landscape_side(lane_of(lanes, false))}};
}

// A sweep trains one fresh network per swept value; a value "trains" when that network's last test
// accuracy reaches the experiment's bar without the run diverging. (A diverged run's last accuracy may
// still be a number measured before the divergence; it does not count.)
bool trains(const Lane& lane, double bar) {
    if (lane.reports.empty() || diverged(lane.reports.back())) return false;
    const double accuracy = test_accuracy(lane.reports.back());
    return !std::isnan(accuracy) && accuracy >= bar;
}

// Bjorck et al. 2018 ("Understanding Batch Normalization"): BN lets a network train at learning rates
// that make the same network without BN fail. The lab's bar is 80 % test accuracy after the sweep's
// steps; the summary is the largest swept rate that reaches it, per side, and 0 when none does.
constexpr double kLearningRateBar = 0.8;

json lr_sweep(const std::vector<Lane>& lanes) {
    double best[2] = {0, 0};  // [without BN, with BN]
    for (const Lane& lane : lanes)
        if (trains(lane, kLearningRateBar)) best[with_bn(lane)] = std::max(best[with_bn(lane)], lane.config.learning_rate);
    return {{"experiment", "lr-sweep"}, {"max_stable_lr", {{"with_bn", best[1]}, {"without_bn", best[0]}}}};
}

// The weight-scale sweep (cs231n's logspace(−4, 0) of init stds, 8 ReLU layers): every scale whose
// network reaches 50 % — a bar a constant guess (10 %) cannot pass — listed per side in the sweep's order.
constexpr double kInitScaleBar = 0.5;

json init_sweep(const std::vector<Lane>& lanes) {
    json scales = {{"with_bn", json::array()}, {"without_bn", json::array()}};
    for (const Lane& lane : lanes)
        if (trains(lane, kInitScaleBar)) scales[with_bn(lane) ? "with_bn" : "without_bn"].push_back(lane.config.init_scale);
    return {{"experiment", "init-sweep"}, {"scales_that_train", scales}};
}

// BN's μ_B and σ²_B are estimates from the batch, noisier the smaller it is: each batch size's last test
// accuracy with and without BN (null for a side the run did not train).
json batch_size(const std::vector<Lane>& lanes) {
    json accuracy = json::object();
    for (const Lane& lane : lanes) {
        json& row = accuracy[std::to_string(lane.config.batch_size)];
        if (row.is_null()) row = {{"with_bn", nullptr}, {"without_bn", nullptr}};
        json& cell = row[with_bn(lane) ? "with_bn" : "without_bn"];
        if (cell.is_null()) cell = or_null(last(series(lane.reports, test_accuracy)));
    }
    return {{"experiment", "batch-size"}, {"steps", steps_reached(lanes)}, {"accuracy", accuracy}};
}

// Ioffe & Szegedy 2015, §2: when backward ignores that μ_B depends on the bias b before BN, "b will grow
// indefinitely while the loss remains fixed". The summary is that lane's first-layer bias norm and
// training loss at its first and last report.
json bias_blowup(const std::vector<Lane>& lanes) {
    const Lane& ignored = *std::find_if(lanes.begin(), lanes.end(), [](const Lane& l) { return !l.config.shape.bn_grad_through_stats; });
    const std::vector<double> bias = series(ignored.reports, [](const json& r) { return number(at(at(at(&r, "layers"), std::size_t{0}), "bias_norm")); });
    const std::vector<double> loss = series(ignored.reports, training_loss);
    return {{"experiment", "bias-blowup"},
            {"bias_blowup", {{"bias_norm_start", or_zero(first(bias))}, {"bias_norm_end", or_zero(last(bias))},
                             {"loss_start", or_zero(first(loss))}, {"loss_end", or_zero(last(loss))}}}};
}

// A deep net layer by layer: at the first report, every hidden layer's activation std (without BN the
// signal shrinks or grows with depth) and every layer's weight-gradient norm (without BN the first
// layer's is far smaller than the last's), and both sides' last test accuracy.
json depth_side_first(const Lane& lane, const char* quantity, bool hidden_only) {
    json values = json::array();
    const json* layers = lane.reports.empty() ? nullptr : at(&lane.reports.front(), "layers");
    const std::size_t count = layers && layers->is_array() ? layers->size() : 0;
    const std::size_t shown = hidden_only && count > 0 ? count - 1 : count;  // the last entry is the output layer
    for (std::size_t l = 0; l < shown; ++l) values.push_back(or_null(number(at(at(layers, l), quantity))));
    return values;
}

json depth(const std::vector<Lane>& lanes) {
    const Lane& bn = lane_of(lanes, true);
    const Lane& plain = lane_of(lanes, false);
    return {{"experiment", "depth"},
            {"steps", steps_reached(lanes)},
            {"activation_std_first", {{"with_bn", depth_side_first(bn, "activation_std", true)},
                                      {"without_bn", depth_side_first(plain, "activation_std", true)}}},
            {"gradient_norm_first", {{"with_bn", depth_side_first(bn, "weight_grad_norm", false)},
                                     {"without_bn", depth_side_first(plain, "weight_grad_norm", false)}}},
            {"final_accuracy", {{"with_bn", or_null(last(series(bn.reports, test_accuracy)))},
                                {"without_bn", or_null(last(series(plain.reports, test_accuracy)))}}}};
}

// --- The request ----------------------------------------------------------------------------------------

// Which lanes an experiment's summary compares.
enum class Needs { bn_and_plain, ignored_stats, any };

struct Experiment {
    const char* id;
    Needs needs;
    json (*summarise)(const std::vector<Lane>&);
};

const Experiment kExperiments[] = {
    {"fig1", Needs::bn_and_plain, fig1},
    {"landscape", Needs::bn_and_plain, landscape},
    {"lr-sweep", Needs::any, lr_sweep},
    {"init-sweep", Needs::any, init_sweep},
    {"batch-size", Needs::any, batch_size},
    {"bias-blowup", Needs::ignored_stats, bias_blowup},
    {"depth", Needs::bn_and_plain, depth},
};

constexpr std::size_t kMaxLanes = 64;

// An array of objects (the engine's answers) at lane[name], or an error naming it. Absent → empty when
// optional.
Problem read_answers(const json& lane, const char* name, const std::string& where, bool optional,
                     std::vector<json>& out) {
    const json* answers = at(&lane, name);
    if (!answers && optional) return std::nullopt;
    const std::string field = where + "." + name;
    if (!answers || !answers->is_array())
        return FieldError{field, std::string("expected an array of what ") + (optional ? "probe()" : "step(k)") + " answered, got " +
                                     (answers ? describe_type(*answers) : "nothing")};
    for (std::size_t j = 0; j < answers->size(); ++j)
        if (!(*answers)[j].is_object())
            return FieldError{field + "[" + std::to_string(j) + "]", "expected an object, got " + describe_type((*answers)[j])};
    out.assign(answers->begin(), answers->end());
    return std::nullopt;
}

Problem read_lanes(const json& request, std::vector<Lane>& lanes) {
    const json* list = at(&request, "lanes");
    if (!list || !list->is_array() || list->empty() || list->size() > kMaxLanes)
        return FieldError{"lanes", "expected an array of 1 to " + std::to_string(kMaxLanes) + " lanes, each {config, reports, probes}"};
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string where = "lanes[" + std::to_string(i) + "]";
        const json& item = (*list)[i];
        if (!item.is_object()) return FieldError{where, "expected an object {config, reports, probes}, got " + describe_type(item)};
        Lane lane;
        const json* config = at(&item, "config");
        if (!config || !config->is_object()) return FieldError{where + ".config", "expected the lane's training config (an object)"};
        if (auto e = parse_config(*config, lane.config)) return FieldError{where + ".config." + e->field, e->message};
        if (Problem p = read_answers(item, "reports", where, false, lane.reports)) return p;
        if (Problem p = read_answers(item, "probes", where, true, lane.probes)) return p;
        lanes.push_back(std::move(lane));
    }
    return std::nullopt;
}

Problem check_roles(Needs needs, const std::vector<Lane>& lanes) {
    const auto has = [&](auto test) { return std::any_of(lanes.begin(), lanes.end(), test); };
    if (needs == Needs::bn_and_plain) {
        if (!has([](const Lane& l) { return with_bn(l); }))
            return FieldError{"lanes", "expected a lane with BN (config.batchnorm \"before\" or \"after\")"};
        if (!has([](const Lane& l) { return !with_bn(l); }))
            return FieldError{"lanes", "expected a lane without BN (config.batchnorm \"none\")"};
    }
    if (needs == Needs::ignored_stats && !has([](const Lane& l) { return !l.config.shape.bn_grad_through_stats; }))
        return FieldError{"lanes", "expected a lane with config.bn_grad_through_stats false"};
    return std::nullopt;
}

}  // namespace

json run_summary_json(const json& request) {
    if (!request.is_object()) return error_response({"request", "expected an object {experiment, lanes}"});
    std::string id;
    if (Problem p = read_string(request, "experiment", id)) return error_response(*p);
    const Experiment* experiment = nullptr;
    for (const Experiment& e : kExperiments)
        if (id == e.id) experiment = &e;
    if (!experiment) {
        std::string known;
        for (const Experiment& e : kExperiments) known += std::string(known.empty() ? "" : ", ") + "\"" + e.id + "\"";
        return error_response({"experiment", "expected one of " + known + ", got \"" + shorten(id, 40) + "\""});
    }
    std::vector<Lane> lanes;
    if (Problem p = read_lanes(request, lanes)) return error_response(*p);
    if (Problem p = check_roles(experiment->needs, lanes)) return error_response(*p);
    return experiment->summarise(lanes);
}

std::string run_summary(const std::string& text) {
    json request;
    if (Problem problem = parse_json_text(text, request, "request")) return to_text(error_response(*problem));
    return to_text(run_summary_json(request));
}

}  // namespace bnkata::training
