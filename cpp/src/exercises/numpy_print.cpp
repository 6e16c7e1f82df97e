// numpy_print.cpp — reading NumPy's printed arrays (see numpy_print.hpp).
#include "bnkata/exercises/numpy_print.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "bnkata/text.hpp"

namespace bnkata::exercises {

namespace {
bool separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; }

// One number as NumPy prints it: "-0.44721181", "1.e-09", "nan", "-inf", "1." — the whole token or nothing.
bool read_token(const std::string& token, double& value) {
    if (token == "nan" || token == "-nan") { value = std::nan(""); return true; }
    if (token == "inf") { value = HUGE_VAL; return true; }
    if (token == "-inf") { value = -HUGE_VAL; return true; }
    for (char c : token)
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
    char* end = nullptr;
    value = std::strtod(token.c_str(), &end);
    return end != nullptr && *end == '\0' && !token.empty();
}
}  // namespace

PrintedArray read_printed_array(std::string_view text, std::string_view label) {
    PrintedArray out;
    if (text.size() > kMaxPastedLength) {
        out.error = "the pasted text is longer than " + std::to_string(kMaxPastedLength) + " characters";
        return out;
    }
    // Where the array starts: the first '[' after the label, else the last top-level '[' in the text.
    std::size_t start = std::string_view::npos;
    const std::size_t at_label = label.empty() ? std::string_view::npos : text.find(label);
    if (at_label != std::string_view::npos) {
        start = text.find('[', at_label + label.size());
    } else {
        int depth = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '[') {
                if (depth == 0) start = i;
                ++depth;
            } else if (text[i] == ']' && depth > 0) {
                --depth;
            }
        }
    }
    if (start == std::string_view::npos) {
        out.error = "no printed array found (NumPy prints arrays in square brackets, like [-1.34 0.45])";
        return out;
    }
    // Read to the matching ']' (nested brackets of a 2-D array are flattened).
    int depth = 0;
    std::size_t end = std::string_view::npos;
    for (std::size_t i = start; i < text.size(); ++i) {
        if (text[i] == '[') ++depth;
        else if (text[i] == ']' && --depth == 0) { end = i; break; }
    }
    if (end == std::string_view::npos) {
        out.error = "the array starting at character " + std::to_string(start + 1) + " is not closed with ']'";
        return out;
    }
    std::string token;
    auto flush = [&]() -> bool {
        if (token.empty()) return true;
        double v = 0;
        if (token == "...") {
            out.error = "NumPy shortened the array with '...'; print it in full";
            return false;
        }
        if (!read_token(token, v)) {
            const std::string shown = shorten(token, 20);
            out.error = "'" + shown + "' in the array is not a number";
            return false;
        }
        out.values.push_back(v);
        token.clear();
        return true;
    };
    for (std::size_t i = start; i <= end; ++i) {
        const char c = text[i];
        if (c == '\xe2' && i + 2 <= end && text[i + 1] == '\x88' && text[i + 2] == '\x92') {  // U+2212 minus
            token += '-';
            i += 2;
        } else if (c == '[' || c == ']' || separator(c)) {
            if (!flush()) { out.values.clear(); return out; }
        } else {
            token += c;
        }
    }
    if (out.values.empty()) out.error = "the printed array is empty";
    return out;
}

std::string print_numpy_array(const std::vector<double>& values) {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%s%.8f", i ? " " : "", values[i]);
        s += buf;
    }
    return s + "]";
}

}  // namespace bnkata::exercises
