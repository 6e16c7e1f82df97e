// cmd_compute.cpp — `bnkata compute`: one JSON request on stdin, its response on stdout.
#include "commands.hpp"

#include "bnkata/compute.hpp"
#include "bnkata/json_fields.hpp"

#include <cstdio>
#include <iostream>
#include <string>

namespace bnkata::cli {

int cmd_compute(int argc, char** /*argv*/) {
    if (argc > 1) {
        std::fprintf(stderr, "usage: bnkata compute < request.json\n");
        return 2;
    }
    // Never more than the limit + 1 bytes: a larger request is refused without being read to its end.
    std::string text;
    const nlohmann::json response =
        read_bounded(std::cin, text, kMaxRequestBytes)
            ? compute_text(text)
            : error_response({"request", "too large: more than " + std::to_string(kMaxRequestBytes) + " bytes"});
    // Errors are answers too: printed on stdout like any response, flagged by the exit code.
    std::cout << to_text(response) << "\n";
    return response.contains("error") ? 1 : 0;
}

}  // namespace bnkata::cli
