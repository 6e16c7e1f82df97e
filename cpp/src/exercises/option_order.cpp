// option_order.cpp — options shown in an order drawn from (exercise id, seed) (see option_order.hpp).
#include "bnkata/exercises/option_order.hpp"

#include "bnkata/exercises/rng.hpp"

namespace bnkata::exercises {

namespace {
std::string letter(std::size_t position) { return std::string(1, static_cast<char>('a' + position)); }

json map_ids(const json& value, const std::function<std::string(const std::string&)>& map) {
    if (value.is_string()) return map(value.get<std::string>());
    if (!value.is_array()) return value;
    json out = json::array();
    for (const json& v : value) out.push_back(v.is_string() ? json(map(v.get<std::string>())) : v);
    return out;
}

// The answer keys that hold option ids, in answers and in solutions.
constexpr const char* kIdKeys[] = {"choice", "choices", "prediction"};
}  // namespace

std::string OptionOrder::letter_of(const std::string& written_id) const {
    for (std::size_t p = 0; p < shown.size(); ++p)
        if (shown[p] == written_id) return letter(p);
    return "";
}

std::string OptionOrder::written_of(const std::string& given) const {
    for (std::size_t p = 0; p < shown.size(); ++p)
        if (letter(p) == given) return shown[p];
    return given;
}

OptionOrder option_order(const std::string& id, std::uint64_t seed, const json& options) {
    OptionOrder order;
    if (!options.is_array() || options.size() > 26) return order;
    for (const json& o : options) order.written.push_back(o.value("id", ""));
    order.shown = order.written;
    // Fisher–Yates with the exercise's own generator, kept apart from the one that draws its numbers (the
    // "/order" suffix), so reordering never changes an exercise's data.
    Rng rng(id + "/order", seed);
    for (std::size_t i = order.shown.size(); i > 1; --i)
        std::swap(order.shown[i - 1], order.shown[static_cast<std::size_t>(rng.integer(0, static_cast<long long>(i) - 1))]);
    return order;
}

json show_options(const json& exercise, const OptionOrder& order) {
    if (order.shown.empty()) return exercise;
    json out = exercise;
    json options = json::array();
    for (std::size_t p = 0; p < order.shown.size(); ++p)
        for (const json& o : exercise["options"])
            if (o.value("id", "") == order.shown[p]) {
                json shown = o;
                shown["id"] = letter(p);
                options.push_back(shown);
            }
    out["options"] = options;
    auto to_letter = [&](const std::string& w) { return order.letter_of(w); };
    if (out.contains("solution") && out["solution"].is_object()) {
        json& solution = out["solution"];
        for (const char* key : {"answer", "paper"})
            if (solution.contains(key) && solution[key].is_object())
                for (const char* id_key : kIdKeys)
                    if (solution[key].contains(id_key)) solution[key][id_key] = map_ids(solution[key][id_key], to_letter);
        if (solution.contains("options") && solution["options"].is_object()) {
            json explained = json::object();
            for (auto it = solution["options"].begin(); it != solution["options"].end(); ++it)
                explained[order.letter_of(it.key())] = it.value();
            solution["options"] = explained;
        }
    }
    return out;
}

json answer_to_written(const json& answer, const OptionOrder& order) {
    if (order.shown.empty() || !answer.is_object()) return answer;
    json out = answer;
    auto to_written = [&](const std::string& l) { return order.written_of(l); };
    for (const char* key : kIdKeys)
        if (out.contains(key)) out[key] = map_ids(out[key], to_written);
    return out;
}

json verdict_to_shown(const json& verdict, const OptionOrder& order) {
    if (order.shown.empty() || !verdict.is_object()) return verdict;
    json out = verdict;
    if (out.contains("options") && out["options"].is_object()) {
        json explained = json::object();
        for (auto it = out["options"].begin(); it != out["options"].end(); ++it) {
            const std::string l = order.letter_of(it.key());
            if (!l.empty()) explained[l] = it.value();
        }
        out["options"] = explained;
    }
    if (out.contains("observed") && out["observed"].is_string()) out["observed"] = order.letter_of(out["observed"].get<std::string>());
    return out;
}

}  // namespace bnkata::exercises
