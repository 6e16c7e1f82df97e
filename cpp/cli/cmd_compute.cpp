// cmd_compute.cpp — `bnkata compute`: one JSON request on stdin, its response on stdout.
#include "commands.hpp"

#include "bnkata/compute.hpp"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

namespace bnkata::cli {

int cmd_compute(int argc, char** /*argv*/) {
    if (argc > 1) {
        std::fprintf(stderr, "usage: bnkata compute < request.json\n");
        return 2;
    }
    const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    const nlohmann::json response = compute_text(text);
    // Errors are answers too: printed on stdout like any response, flagged by the exit code.
    std::cout << response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return response.contains("error") ? 1 : 0;
}

}  // namespace bnkata::cli
