// run_summary.hpp — what a finished lab run showed, in the few numbers step 3's questions are graded on.
//
// The lab trains an experiment's lanes (one network each, with or without BN) and keeps what every
// step(k) and probe() call answered. run_summary reduces that record to the experiment's summary: for
// Ioffe & Szegedy's Fig. 1 how far the watched sigmoid input's 15–85 % span drifted, for the learning-rate
// sweep the largest rate that still trains, and so on (docs/training.md lists every experiment's fields).
// It is a pure function of the record, so `bnkata summarise`, the lab's WebAssembly module and the tests
// give the same summary for the same record, and the page only forwards it.
//
// Request: {"experiment": "fig1", "lanes": [{"config": {...}, "reports": [step answers…],
//                                            "probes": [probe answers…]}, …]}
// A lane's role is read from its config (with BN when batchnorm is not "none"), never from a name.
// Never throws: a bad request gives the core's error value naming the field.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace bnkata::training {

nlohmann::json run_summary_json(const nlohmann::json& request);

// The same, JSON text in and out (what the WebAssembly module and the CLI call).
std::string run_summary(const std::string& request_json);

}  // namespace bnkata::training
