// session.hpp — one training run: a config, its network, its data, and a step counter.
//
// The trainer the lab drives: configure once, copy data in (or let the config make synthetic data), then
// run k steps at a time and read the metrics, or probe the loss landscape. Nothing here knows about JSON
// or the page (lab.hpp adapts it); nothing allocates per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bnkata/training/config.hpp"
#include "bnkata/training/metrics.hpp"
#include "bnkata/training/network.hpp"
#include "bnkata/training/probes.hpp"
#include "bnkata/training/random.hpp"

namespace bnkata::training {

enum class Split { train, test };

// Where a run went non-finite: the step, and the first quantity (in forward order) that did.
struct Divergence {
    std::size_t step = 0;
    std::string quantity;  // "loss", "weights of layer 2", "pre-activations of layer 1", …
};

struct StepReport {
    std::size_t step = 0;                 // steps done so far
    std::vector<double> batch_losses;     // one per step taken in this call
    Evaluation test;                      // on the first test_examples test examples (if any test data)
    bool has_test = false;
    Evaluation test_batch_statistics;     // the same examples with batch statistics (config.test_batch_statistics)
    std::vector<LayerStatistics> layers;  // after the last step of this call (empty if no step was taken)
    std::optional<Divergence> diverged;
};

class Session {
public:
    // Builds the network from the config (which parse_config has validated) and, for synthetic data,
    // the training and test sets.
    explicit Session(const Config& config);

    // Uses a data set for a split: x (count, sizes[0]) values already scaled, labels (count) in
    // [0, classes). Shared, not copied, so that a lab can keep it across configures without a second copy.
    // Returns an error (field "images" or "labels") when the lengths or labels do not fit the config.
    std::optional<ConfigError> set_data(Split split, std::shared_ptr<const Dataset> data);

    // Trains k steps (fewer if the run diverges), then measures. Before any training data: an error.
    std::optional<ConfigError> step(std::size_t k, StepReport& report);

    // Santurkar et al.'s probe at the current weights on the last training batch (the first batch before
    // any step). Does not change the run.
    std::optional<ConfigError> probe(const std::vector<double>& etas, ProbeResult& result);

    const Config& config() const { return config_; }
    std::size_t steps_done() const { return step_; }
    Network<float>& network() { return net_; }
    const std::optional<Divergence>& diverged() const { return diverged_; }

private:
    void fill_batch();                      // copies the next batch_size examples of the order
    void advance_batch();                   // moves past them; reshuffles at the end of an epoch
    void update_parameters();               // one SGD step of the parameters config.trainable names
    std::string first_non_finite() const;   // names what went non-finite (see Divergence)

    Config config_;
    Network<float> net_;
    Workspace<float> train_ws_, eval_ws_, batch_eval_ws_;  // batch_eval_ws_: only with test_batch_statistics
    std::shared_ptr<const Dataset> train_, test_;
    std::vector<uint32_t> order_;
    std::size_t position_ = 0;
    Rng batch_rng_;
    std::vector<float> batch_x_, dlogits_, monitor_values_, probe_w_, probe_g_;
    std::vector<int32_t> batch_labels_;
    std::size_t step_ = 0;
    std::optional<Divergence> diverged_;
};

}  // namespace bnkata::training
