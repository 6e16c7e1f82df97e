// cmd_check.cpp — `bnkata check answers.json`: re-grades a page's exported answers natively.
//
// The file goes through the same check_answers op the page uses (compute()), so the verdicts are the
// page's. The file is measured before it is read (a 50 MB file gets a message, not an allocation), it is
// parsed with the depth and value limits of every JSON text from outside (dispatch.hpp), and every
// string printed is stripped of control characters (a hostile file cannot drive the terminal).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "bnkata/compute.hpp"
#include "bnkata/dispatch.hpp"
#include "bnkata/exercises/answers_file.hpp"
#include "commands.hpp"

namespace bnkata::cli {

namespace {

using nlohmann::json;
using exercises::kMaxAnswersFileBytes;

int check_usage() {
    std::fprintf(stderr,
                 "usage: bnkata check [--json] ANSWERS.json   (or - for stdin)\n"
                 "  Re-grades an answers file exported by the lesson page and prints one verdict per exercise.\n"
                 "  Exit status: 0 all attempted answers correct, 1 some incorrect or invalid, 2 file rejected.\n");
    return 2;
}

int reject(const std::string& message) {
    std::fprintf(stderr, "bnkata check: %s\n", message.c_str());
    return 2;
}

// Text from the file, made safe for a terminal: control characters become '?'.
std::string printable(const json& value) {
    std::string s = value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, json::error_handler_t::replace);
    for (char& c : s)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) c = '?';
    for (std::size_t at = s.find('\n'); at != std::string::npos; at = s.find('\n', at)) s.replace(at, 1, " ");
    return s;
}

}  // namespace

int cmd_check(int argc, char** argv) {
    bool as_json = false;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--json")) as_json = true;
        else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) { check_usage(); return 0; }
        else if (path == nullptr) path = argv[i];
        else return check_usage();
    }
    if (path == nullptr) return check_usage();

    std::string text;
    const std::string limit = std::to_string(kMaxAnswersFileBytes / (1 << 20)) + " MiB";
    if (!std::strcmp(path, "-")) {
        if (!read_bounded(std::cin, text, kMaxAnswersFileBytes))
            return reject("the input is larger than " + limit + "; an exported answers file is far smaller");
    } else {
        std::ifstream file(path, std::ios::binary | std::ios::ate);
        if (!file) return reject(std::string("cannot open \"") + path + "\"");
        const std::streamoff size = file.tellg();
        if (size < 0) return reject(std::string("cannot read \"") + path + "\"");
        if (static_cast<std::size_t>(size) > kMaxAnswersFileBytes)
            return reject(std::string("\"") + path + "\" is " + std::to_string(size) + " bytes, larger than " + limit +
                          "; an exported answers file is far smaller");
        file.seekg(0);
        if (!read_bounded(file, text, kMaxAnswersFileBytes)) return reject("the file grew while being read");
    }
    // Parsed like every JSON text from outside (dispatch.hpp): bounded depth and values, no exceptions.
    json file;
    if (const Problem problem = parse_json_text(text, file, "file")) return reject(problem->message);

    const json response = bnkata::compute(json{{"op", "check_answers"}, {"file", std::move(file)}});
    if (response.contains("error")) {
        if (as_json) std::printf("%s\n", response.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
        return reject(printable(response["error"]["field"]) + ": " + printable(response["error"]["message"]));
    }
    if (as_json) {
        std::printf("%s\n", response.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    } else {
        for (const json& r : response["results"]) {
            std::printf("%-14s %-20s %s\n", printable(r["verdict"]).c_str(), printable(r["id"]).c_str(),
                        printable(r["message"]).c_str());
        }
        const json& s = response["summary"];
        std::printf("\nsummary: %d correct, %d incorrect, %d not attempted, %d invalid\n", s["correct"].get<int>(),
                    s["incorrect"].get<int>(), s["not_attempted"].get<int>(), s["invalid"].get<int>());
    }
    const json& s = response["summary"];
    return (s["incorrect"].get<int>() + s["invalid"].get<int>()) > 0 ? 1 : 0;
}

}  // namespace bnkata::cli
