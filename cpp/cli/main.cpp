// main.cpp — `bnkata SUBCOMMAND ...`: looks the subcommand up in the table below and runs it.
#include "commands.hpp"

#include <cstdio>
#include <cstring>

namespace {

// One row per subcommand: its name, a one-line summary for --help, and the function that runs it.
struct Subcommand {
    const char* name;
    const char* summary;
    int (*run)(int argc, char** argv);
};

const Subcommand kSubcommands[] = {
    {"compute", "read one JSON request on stdin, print the JSON response (exit 1 if it is an error)",
     bnkata::cli::cmd_compute},
    {"bench", "time float32/float64 forward+backward against a memory triad (prints a table)",
     bnkata::cli::cmd_bench},
    {"check", "re-grade an answers file exported by the lesson page (exit 1 if any answer is wrong)",
     bnkata::cli::cmd_check},
    {"train", "run a training-lab config (docs/training.md), print its metrics as JSON every K steps",
     bnkata::cli::cmd_train},
    {"summarise", "reduce a lab run's recorded metrics to the run summary step 3 grades (docs/training.md)",
     bnkata::cli::cmd_summarise},
};

void print_help(std::FILE* out) {
    std::fprintf(out,
                 "bnkata — the BatchNorm Kata core from the command line\n\n"
                 "usage: bnkata SUBCOMMAND [ARGS]\n\nsubcommands:\n");
    for (const Subcommand& s : kSubcommands) std::fprintf(out, "  %-10s %s\n", s.name, s.summary);
    std::fprintf(out,
                 "\nexample:\n"
                 "  echo '{\"op\":\"forward_train\",\"x\":[1,2,3,4]}' | bnkata compute\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_help(stderr);
        return 2;
    }
    if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        print_help(stdout);
        return 0;
    }
    for (const Subcommand& s : kSubcommands)
        if (!std::strcmp(argv[1], s.name)) return s.run(argc - 1, argv + 1);
    std::fprintf(stderr, "bnkata: unknown subcommand \"%s\"\n\n", argv[1]);
    print_help(stderr);
    return 2;
}
