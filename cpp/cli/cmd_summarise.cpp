// cmd_summarise.cpp — `bnkata summarise`: a lab run's record on stdin, its run summary on stdout.
//
//   bnkata summarise < run.json      run.json: {"experiment": "fig1", "lanes": [{"config", "reports", "probes"}]}
//
// The reports are what `bnkata train` printed for each lane (or what the page's workers answered): the
// same bnkata::training::run_summary the lab's WebAssembly module runs, so the step-3 fixtures made
// natively are the summaries a learner's run in the page gives (docs/training.md).
// Exit codes: 0 summarised, 1 bad record (the error JSON is printed), 2 bad usage.
#include "commands.hpp"

#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/training/run_summary.hpp"

#include <cstdio>
#include <iostream>
#include <string>

namespace bnkata::cli {

int cmd_summarise(int argc, char** /*argv*/) {
    if (argc > 1) {
        std::fprintf(stderr, "usage: bnkata summarise < run.json\n");
        return 2;
    }
    std::string text;
    nlohmann::json request, response;
    if (!read_bounded(std::cin, text, kMaxRequestBytes))
        response = error_response({"request", "too large: more than " + std::to_string(kMaxRequestBytes) + " bytes"});
    else if (Problem problem = parse_json_text(text, request, "request"))
        response = error_response(*problem);
    else
        response = training::run_summary_json(request);
    std::cout << to_text(response) << "\n";
    return response.contains("error") ? 1 : 0;
}

}  // namespace bnkata::cli
