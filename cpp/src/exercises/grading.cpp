// grading.cpp — tolerances, the mistake catalogue, reading typed answers, and the verdicts for
// numeric, choice and formula answers.
#include "bnkata/exercises/grading.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "bnkata/exercises/rng.hpp"

namespace bnkata::exercises {

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::correct: return "correct";
        case Verdict::incorrect: return "incorrect";
        case Verdict::not_attempted: return "not_attempted";
        case Verdict::invalid: return "invalid";
    }
    return "invalid";
}

namespace {
// "0.001", "1e−6": a tolerance's number as the learner reads it.
std::string plain_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    std::string s = buf;
    const auto e = s.find("e-0");
    if (e != std::string::npos) s = s.substr(0, e) + "e\u2212" + s.substr(e + 3);
    else if (s.find("e-") != std::string::npos) s.replace(s.find("e-"), 2, "e\u2212");
    return s;
}
}  // namespace

Tolerance::Tolerance(double relative_, double absolute_) : relative(relative_), absolute(absolute_) {
    // Said from the same two numbers that accepts() uses, so the sentence cannot drift from the check.
    const std::string share = relative >= 1e-4 ? plain_number(100 * relative) + " % of the right value"
                                               : plain_number(relative) + " × the right value";
    text = "accepted if it differs from the right value by at most " + plain_number(absolute) + " + " + share;
}

bool Tolerance::accepts(double got, double want) const {
    return std::isfinite(got) && std::fabs(got - want) <= absolute + relative * std::fabs(want);
}

bool Tolerance::distinguishes(double a, double b) const {
    if (std::isnan(a) != std::isnan(b)) return true;
    if (std::isnan(a)) return false;
    return std::fabs(a - b) > 2 * (absolute + relative * std::max(std::fabs(a), std::fabs(b)));
}

json Tolerance::to_json() const { return {{"relative", relative}, {"absolute", absolute}, {"text", text}}; }

Tolerance hand_tolerance() { return Tolerance{}; }

// --- Mistakes ------------------------------------------------------------------------------------------

namespace {
const Mistake kMistakes[] = {
    {"unbiased_variance", "Unbiased variance in the forward pass",
     "You divided the squared deviations by m − 1. Batch norm normalises with the biased variance "
     "(÷ m), the one np.var computes by default; m − 1 belongs only to an estimate of the population "
     "variance used at inference (Ioffe & Szegedy's m/(m − 1) factor, PyTorch's running_var)."},
    {"eps_outside_sqrt", "ε outside the square root",
     "You computed (x − μ)/(√σ² + ε). ε belongs inside: (x − μ)/√(σ² + ε)."},
    {"eps_omitted", "ε omitted",
     "You left out ε. It keeps the denominator away from zero (a constant batch has σ² = 0), and it "
     "changes the result whenever σ² is not much larger than ε."},
    {"wrong_axis_layernorm", "Statistics over the wrong axis (that is LayerNorm)",
     "You took the mean and variance across the features of one example. Batch norm takes them per "
     "feature, across the examples of the batch (down a column, not along a row)."},
    {"momentum_flipped", "Momentum convention flipped",
     "PyTorch's momentum ρ weights the new batch: r ← (1 − ρ)·r + ρ·batch (ρ = 0.1). Keras's weights the "
     "old value: r ← ρ·r + (1 − ρ)·batch (ρ = 0.99). You used the other framework's formula."},
    {"batch_stats_at_inference", "Batch statistics used at inference",
     "In eval mode batch norm uses the running mean and variance, not the statistics of the current "
     "batch; for a single example the batch statistics would be μ = x, σ² = 0, so y = β."},
    {"eval_updates_running", "Eval mode updates the running statistics",
     "Only training mode updates running_mean and running_var; eval mode reads them and leaves them as they "
     "were. Otherwise every inference call (PyTorch's model.eval()) would quietly change the model."},
    {"train_uses_running_stats", "Training mode normalizes with the running statistics",
     "In training mode batch norm normalizes with the current batch's own μ_B and σ²_B (the gradient flows "
     "through them); the running statistics are only updated there, and used in eval mode."},
    {"running_not_updated", "Running statistics not updated in training mode",
     "Every training-mode call updates state.running_mean and state.running_var in place: change the fields of "
     "the object passed in (assigning a new object to state inside the function does not reach the caller)."},
    {"batch_of_one_in_eval", "A batch of one fails in eval mode",
     "Eval mode normalizes with the running statistics, so a single example is fine: y = γ·(x − running "
     "mean)/√(running var + ε) + β. Batch statistics of one value (σ²_B = 0, an unbiased variance 0/0), and "
     "PyTorch's refusal of one value per channel, belong to training mode only."},
    {"running_var_init_zero", "Running variance initialised to 0",
     "Both PyTorch and Keras start the running variance at 1 (and the running mean at 0). Starting at 0 "
     "(as cs231n's assignment does) gives a different estimate for the first batches."},
    {"std_instead_of_var", "Standard deviation where the variance was asked",
     "You gave σ (the square root) where σ² was asked, or divided by √σ² where σ² was meant."},
    {"var_instead_of_std", "No square root",
     "You divided by σ² + ε instead of by √(σ² + ε); the scale of x̂ must be 1/√(σ² + ε)."},
    {"forgot_beta", "β forgotten", "You applied γ but not the shift β: y = γ·x̂ + β."},
    {"forgot_gamma", "γ forgotten", "You added β but did not scale by γ: y = γ·x̂ + β."},
    {"stored_biased_variance", "Biased variance stored in PyTorch's running variance",
     "PyTorch normalises with the biased variance but stores the unbiased one (÷ (m − 1)) in running_var."},
    {"stored_unbiased_variance", "Unbiased variance stored in Keras's moving variance",
     "Keras stores the same biased variance it normalises with (÷ m) in moving_variance."},
    {"swapped_gamma_beta", "γ and β swapped",
     "γ scales and β shifts: to undo the normalisation, γ = √(σ² + ε) and β = μ."},
    {"one_pass_variance", "One-pass variance E[x²] − E[x]²",
     "E[x²] − E[x]² cancels catastrophically when the values sit far from zero (1e8 + small): compute "
     "the mean first, then the mean of squared deviations (two passes)."},
    {"no_grad_through_stats", "Gradient not propagated through μ_B and σ²_B",
     "You computed dx = γ·dy/√(σ² + ε), as if μ_B and σ²_B were constants. They depend on every x_i: "
     "dx = γ/√(σ² + ε)·(dy − mean(dy) − x̂·mean(dy·x̂))."},
    {"no_grad_through_var", "Gradient not propagated through σ²_B",
     "You subtracted mean(dy) (the path through μ_B) but not x̂·mean(dy·x̂) (the path through σ²_B)."},
    {"fold_forgot_mean", "Running mean not subtracted in the folded bias",
     "The folded bias is b' = (b − running_mean)·γ/√(running_var + ε) + β."},
    {"fold_unscaled_weights", "Weights not rescaled",
     "Each output unit's row of W must be multiplied by its γ/√(running_var + ε)."},
    {"y_instead_of_xhat", "γ and β included",
     "That is y = γ·x̂ + β; the question asks for x̂ itself, before the scale and shift."},
    {"no_grad_through_mean", "Gradient not propagated through μ_B",
     "Your ∂ℓ/∂x has the paths through x̂ᵢ and σ²_B but not the one through μ_B: ∂ℓ/∂μ·∂μ/∂xᵢ = ∂ℓ/∂μ/m. "
     "μ_B depends on every xᵢ; without that term the ∂ℓ/∂xᵢ no longer sum to 0."},
    {"forgot_one_over_m", "1/m missing",
     "∂μ/∂xᵢ = 1/m and ∂σ²/∂xᵢ = 2(xᵢ − μ)/m: both statistics are averages, so each xᵢ moves them by 1/m of its "
     "own change. Your ∂ℓ/∂x has the terms through μ_B and σ²_B without the 1/m."},
    {"dgamma_with_x", "∂ℓ/∂γ computed with x instead of x̂",
     "γ multiplies x̂, not x: y = γ·x̂ + β, so ∂ℓ/∂γ = Σ δᵢ·x̂ᵢ."},
    {"gradient_scales_with_weights", "Gradient grows with the weights",
     "Without BN, scaling W by a would scale the layer's output; with BN it changes nothing downstream "
     "(BN(aWu) = BN(Wu)), so ∂ℓ/∂x shrinks by a and ∂ℓ/∂(aW) = (1/a)·∂ℓ/∂W (Ioffe & Szegedy, §3.3)."},
    {"gradient_unchanged_by_scale", "Gradient unchanged by scaling the weights",
     "The output does not change, but the gradient does: x is a times larger, so the same change of y needs an "
     "a times larger change of x, and ∂ℓ/∂(aW) = (1/a)·∂ℓ/∂W (Ioffe & Szegedy, §3.3)."},
    {"stats_over_n_only", "Statistics over N only",
     "You took each position's statistics across the examples, as if every position were a feature of "
     "its own. After a convolution a channel shares one μ and σ² over all N·H·W values."},
    {"instance_norm_axes", "Statistics over H·W only (that is instance norm)",
     "You took the statistics over one example's feature map. Batch norm pools every example's map of "
     "the channel: N·H·W values."},
    {"layer_norm_axes", "Statistics per example (that is layer norm)",
     "You took the statistics over every channel of one example. Batch norm keeps one μ and σ² per "
     "channel; group norm per example and group of channels."},
    {"group_across_batch", "The group's channels across the whole batch",
     "Group norm never mixes examples: its statistics cover one example's channels in the group, at "
     "every position."},
};
const Mistake kUnknownMistake = {"unknown", "An unrecognised mistake", ""};
}  // namespace

const Mistake& find_mistake(std::string_view id) {
    for (const Mistake& m : kMistakes)
        if (id == m.id) return m;
    return kUnknownMistake;
}

json mistake_json(std::string_view id) {
    const Mistake& m = find_mistake(id);
    return {{"id", m.id}, {"name", m.name}, {"explanation", m.explanation}};
}

json verdict_json(Verdict verdict, const std::string& message, const std::string& tolerance_text, json mistake) {
    return {{"verdict", verdict_name(verdict)},
            {"message", message},
            {"tolerance", tolerance_text},
            {"mistake", std::move(mistake)}};
}

// --- Reading what the learner typed -----------------------------------------------------------------

namespace {
constexpr std::size_t kMaxTypedLength = 2000;  // a typed number or vector longer than this is refused

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

Reading bad(std::string message) {
    Reading r;
    r.status = Reading::Status::bad;
    r.message = std::move(message);
    return r;
}

Reading one_number(const json& v) {
    Reading r;
    if (v.is_number()) {
        const double d = v.get<double>();
        if (!std::isfinite(d)) return bad("expected a finite number");
        r.status = Reading::Status::ok;
        r.values = {d};
        return r;
    }
    if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (blank(s)) return r;
        if (s.size() > kMaxTypedLength) return bad("the text is longer than " + std::to_string(kMaxTypedLength) + " characters");
        std::string error;
        const auto value = parse_constant(s, error);
        if (!value) return bad(error);
        r.status = Reading::Status::ok;
        r.values = {*value};
        return r;
    }
    if (v.is_null()) return r;
    return bad(std::string("expected a number, got ") + v.type_name());
}
}  // namespace

Reading read_typed_number(const json* value) {
    if (value == nullptr) return Reading{};
    return one_number(*value);
}

Reading read_typed_vector(const json* value, std::size_t length) {
    if (value == nullptr || value->is_null()) return Reading{};
    std::vector<json> items;
    if (value->is_array()) {
        if (value->empty()) return Reading{};
        if (value->size() > 10000) return bad("too many numbers");
        items.assign(value->begin(), value->end());
    } else if (value->is_string()) {
        std::string s = value->get<std::string>();
        if (blank(s)) return Reading{};
        if (s.size() > kMaxTypedLength) return bad("the text is longer than " + std::to_string(kMaxTypedLength) + " characters");
        // Brackets are decoration; commas, semicolons and whitespace separate the numbers.
        std::string token;
        auto flush = [&] {
            if (!token.empty()) items.emplace_back(token);
            token.clear();
        };
        for (char c : s) {
            if (c == '[' || c == ']') continue;
            if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') flush();
            else token += c;
        }
        flush();
        if (items.empty()) return Reading{};
    } else if (value->is_number()) {
        items.push_back(*value);
    } else {
        return bad(std::string("expected a list of numbers, got ") + value->type_name());
    }
    if (items.size() != length) {
        return bad("expected " + std::to_string(length) + " numbers, got " + std::to_string(items.size()));
    }
    Reading r;
    r.status = Reading::Status::ok;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Reading one = one_number(items[i]);
        if (one.status == Reading::Status::empty) return bad("entry " + std::to_string(i + 1) + " is empty");
        if (one.status == Reading::Status::bad) return bad("entry " + std::to_string(i + 1) + ": " + one.message);
        r.values.push_back(one.values[0]);
    }
    return r;
}

// --- Numeric and vector answers ----------------------------------------------------------------------

json fields_json(const std::vector<NumericField>& fields) {
    json out = json::array();
    for (const NumericField& f : fields) {
        json j = {{"name", f.name}, {"label", f.label}, {"type", f.is_vector ? "vector" : "number"}};
        if (f.is_vector) j["length"] = f.expected.size();
        out.push_back(j);
    }
    return out;
}

json answer_json(const std::vector<NumericField>& fields) {
    json out = json::object();
    for (const NumericField& f : fields) {
        if (f.is_vector) out[f.name] = f.expected;
        else out[f.name] = f.expected.at(0);
    }
    return out;
}

namespace {
bool all_accepted(const Tolerance& t, const std::vector<double>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!t.accepts(got[i], want[i])) return false;
    return true;
}
bool any_distinguished(const Tolerance& t, const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        if (t.distinguishes(a[i], b[i])) return true;
    return false;
}
std::string join_labels(const std::vector<std::string>& labels) {
    std::string s;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) s += (i + 1 == labels.size()) ? " and " : ", ";
        s += labels[i];
    }
    return s;
}
}  // namespace

bool all_variants_distinguishable(const NumericGrading& g) {
    // Each variant must differ clearly from the right answer, and from every other variant (so that the
    // mistake named is the only one that fits).
    auto differ = [&](const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
        for (std::size_t f = 0; f < g.fields.size() && f < a.size() && f < b.size(); ++f)
            if (any_distinguished(g.tolerance, a[f], b[f])) return true;
        return false;
    };
    std::vector<std::vector<double>> right;
    for (const NumericField& f : g.fields) right.push_back(f.expected);
    for (std::size_t i = 0; i < g.variants.size(); ++i) {
        if (!differ(g.variants[i].values, right)) return false;
        for (std::size_t j = 0; j < i; ++j)
            if (g.variants[i].mistake != g.variants[j].mistake && !differ(g.variants[i].values, g.variants[j].values))
                return false;
    }
    return true;
}

json grade_numeric(const json& answer, const NumericGrading& g) {
    const std::string& tol = g.tolerance.text;
    if (!answer.is_object()) {
        return verdict_json(Verdict::invalid, std::string("the answer must be an object of fields, got ") + answer.type_name(), tol);
    }
    std::vector<Reading> readings;
    json fields = json::object();
    std::vector<std::string> invalid, wrong, empty;
    for (const NumericField& f : g.fields) {
        const auto it = answer.find(f.name);
        const json* value = it == answer.end() ? nullptr : &*it;
        Reading r = f.is_vector ? read_typed_vector(value, f.expected.size()) : read_typed_number(value);
        std::string verdict, message;
        if (r.status == Reading::Status::empty) {
            verdict = "not_attempted";
            message = "no answer yet";
            empty.push_back(f.label);
        } else if (r.status == Reading::Status::bad) {
            verdict = "invalid";
            message = f.label + ": " + r.message;
            invalid.push_back(message);
        } else if (all_accepted(g.tolerance, r.values, f.expected)) {
            verdict = "correct";
            message = "correct";
        } else {
            verdict = "incorrect";
            if (f.is_vector) {
                std::size_t off = 0, first = 0;
                for (std::size_t i = r.values.size(); i-- > 0;)
                    if (!g.tolerance.accepts(r.values[i], f.expected[i])) { ++off; first = i; }
                message = std::to_string(off) + " of " + std::to_string(f.expected.size()) +
                          " entries are off (the first is entry " + std::to_string(first + 1) + ")";
            } else {
                message = "not close enough to the right value";
            }
            wrong.push_back(f.label);
        }
        fields[f.name] = {{"verdict", verdict}, {"message", message}};
        readings.push_back(std::move(r));
    }

    json result;
    if (!invalid.empty()) {
        result = verdict_json(Verdict::invalid, invalid.front(), tol);
    } else if (empty.size() == g.fields.size()) {
        result = verdict_json(Verdict::not_attempted, "No answer yet.", tol);
    } else if (wrong.empty() && empty.empty()) {
        result = verdict_json(Verdict::correct, "Correct.", tol);
    } else {
        // Which known mistake, if any, produces exactly this answer?
        json mistake = nullptr;
        for (const Variant& v : g.variants) {
            bool matches = true, telling = false;
            for (std::size_t f = 0; f < g.fields.size() && matches; ++f) {
                if (readings[f].status != Reading::Status::ok || f >= v.values.size()) continue;
                matches = all_accepted(g.tolerance, readings[f].values, v.values[f]);
                telling = telling || any_distinguished(g.tolerance, v.values[f], g.fields[f].expected);
            }
            if (matches && telling) {
                mistake = mistake_json(v.mistake);
                break;
            }
        }
        std::string message;
        if (!mistake.is_null()) {
            message = "Not quite. Mistake spotted: " + mistake["name"].get<std::string>() + ". " +
                      mistake["explanation"].get<std::string>();
        } else if (!wrong.empty()) {
            message = "Not quite: " + join_labels(wrong) + (wrong.size() == 1 ? " is" : " are") + " off.";
        } else {
            message = "Almost: " + join_labels(empty) + " still " + (empty.size() == 1 ? "needs" : "need") + " an answer.";
        }
        result = verdict_json(Verdict::incorrect, message, tol, mistake);
    }
    result["fields"] = fields;
    return result;
}

// --- Choices -------------------------------------------------------------------------------------------

json options_json(const std::vector<Option>& options) {
    json out = json::array();
    for (const Option& o : options) out.push_back({{"id", o.id}, {"text", o.text}});
    return out;
}

std::string option_explanation(const Option& o, bool multi) {
    return std::string(o.correct ? (multi ? "True. " : "Right. ") : (multi ? "False. " : "Not this one. ")) + o.explanation;
}

json grade_choice(const json& answer, const std::vector<Option>& options, bool multi) {
    const std::string tol = multi ? "select every true statement" : "one choice";
    const char* field = multi ? "choices" : "choice";
    if (!answer.is_object()) return verdict_json(Verdict::invalid, "the answer must be an object", tol);
    const auto it = answer.find(field);
    std::vector<std::string> picked;
    auto known = [&](const std::string& id) {
        return std::any_of(options.begin(), options.end(), [&](const Option& o) { return o.id == id; });
    };
    if (it == answer.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()) ||
        (it->is_array() && it->empty())) {
        return verdict_json(Verdict::not_attempted, "No answer yet.", tol);
    }
    if (!multi) {
        if (!it->is_string()) return verdict_json(Verdict::invalid, std::string("choice: expected an option id, got ") + it->type_name(), tol);
        picked.push_back(it->get<std::string>());
    } else {
        if (!it->is_array()) return verdict_json(Verdict::invalid, std::string("choices: expected a list of option ids, got ") + it->type_name(), tol);
        if (it->size() > options.size() * 4) return verdict_json(Verdict::invalid, "choices: too many entries", tol);
        for (const json& c : *it) {
            if (!c.is_string()) return verdict_json(Verdict::invalid, "choices: every entry must be an option id", tol);
            picked.push_back(c.get<std::string>());
        }
    }
    for (const std::string& p : picked) {
        if (!known(p)) {
            const std::string shown = shorten(p, 20);
            return verdict_json(Verdict::invalid, std::string(field) + ": there is no option '" + shown + "'", tol);
        }
    }
    const std::set<std::string> chosen(picked.begin(), picked.end());
    std::size_t misjudged = 0;
    json explanations = json::object();
    for (const Option& o : options)
        if ((chosen.count(o.id) > 0) != o.correct) ++misjudged;
    // A wrong answer must not give the right one away: until the answer is right, only the options the
    // learner picked are explained (the solution explains them all, for "Reveal the solution").
    for (const Option& o : options)
        if (misjudged == 0 || chosen.count(o.id) > 0) explanations[o.id] = option_explanation(o, multi);
    json result;
    if (misjudged == 0) {
        result = verdict_json(Verdict::correct, "Correct.", tol);
    } else if (!multi) {
        std::string why;
        for (const Option& o : options)
            if (o.id == picked[0]) why = o.explanation;
        result = verdict_json(Verdict::incorrect, "Not this one. " + why, tol);
    } else {
        result = verdict_json(Verdict::incorrect,
                              "Not quite: " + std::to_string(misjudged) +
                                  (misjudged == 1 ? " statement is" : " statements are") + " judged wrongly.",
                              tol);
    }
    result["options"] = explanations;
    return result;
}

// --- Formulas ------------------------------------------------------------------------------------------

std::vector<Variables> formula_points() {
    // Ranges where every kata formula is defined, with ε large enough that forgetting it shows.
    Rng rng("formula-points", 0);
    std::vector<Variables> points(64);
    for (Variables& p : points) {
        p.x = rng.uniform(-3, 3);
        p.mu = rng.uniform(-3, 3);
        p.var = rng.uniform(0.05, 4);
        p.eps = rng.uniform(0.001, 0.3);
        p.gamma = rng.uniform(0.5, 2) * rng.sign();
        p.beta = rng.uniform(-2, 2);
        p.m = static_cast<double>(rng.integer(2, 64));
    }
    return points;
}

namespace {
bool same_value(double got, double want) {
    if (!std::isfinite(want)) return !std::isfinite(got);
    return std::isfinite(got) && std::fabs(got - want) <= 1e-9 * (1 + std::fabs(want));
}
std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}
}  // namespace

// The length of a left-hand side naming what is asked ("x̂ = ", "xhat=", "x_hat_i = "), or 0: a learner who
// types the whole equation means its right-hand side.
std::size_t asked_left_hand_side(const std::string& text, const FormulaGrading& g) {
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || text.find('=', equals + 1) != std::string::npos) return 0;
    std::string name;
    for (char c : text.substr(0, equals))
        if (!std::isspace(static_cast<unsigned char>(c))) name += c;
    for (const std::string& base : {g.label, g.field, std::string("x_hat")})
        for (const char* index : {"", "_i", "ᵢ"})
            if (name == base + index) return equals + 1;
    return 0;
}

json grade_formula(const json& answer, const FormulaGrading& g) {
    const std::string tol = "equal to the reference at 64 random points (within 1e-9·(1 + |reference|))";
    if (!answer.is_object()) return verdict_json(Verdict::invalid, "the answer must be an object", tol);
    const auto it = answer.find(g.field);
    json fields = json::object();
    auto finish = [&](json result, const std::string& field_verdict, const std::string& field_message) {
        fields[g.field] = {{"verdict", field_verdict}, {"message", field_message}};
        result["fields"] = fields;
        return result;
    };
    if (it == answer.end() || it->is_null() || (it->is_string() && blank(it->get<std::string>()))) {
        return finish(verdict_json(Verdict::not_attempted, "No answer yet.", tol), "not_attempted", "no answer yet");
    }
    if (!it->is_string()) {
        const std::string m = g.label + ": expected the formula as text, got " + it->type_name();
        return finish(verdict_json(Verdict::invalid, m, tol), "invalid", m);
    }
    std::optional<ParseError> error;
    std::string typed = it->get<std::string>();
    // Blanked, not cut, so an error's position still counts from the start of what was typed.
    typed.replace(0, asked_left_hand_side(typed, g), asked_left_hand_side(typed, g), ' ');
    const Expression e = Expression::parse(typed, error);
    if (error) {
        const std::string m = g.label + ": " + error->message;
        json result = finish(verdict_json(Verdict::invalid, m, tol), "invalid", m);
        result["fields"][g.field]["position"] = error->position;
        result["position"] = error->position;
        return result;
    }
    const std::vector<Variables> points = formula_points();
    const Variables* first_difference = nullptr;
    for (const Variables& p : points) {
        if (!same_value(e.evaluate(p), g.reference(p))) {
            first_difference = &p;
            break;
        }
    }
    if (first_difference == nullptr) {
        return finish(verdict_json(Verdict::correct, "Correct: your formula equals " + g.label + " everywhere we evaluated it.", tol),
                      "correct", "correct");
    }
    for (const auto& named_variant : g.variants) {  // (not a structured binding: C++17 lambdas cannot capture one)
        const Formula& variant = named_variant.second;
        const bool matches = std::all_of(points.begin(), points.end(),
                                         [&](const Variables& p) { return same_value(e.evaluate(p), variant(p)); });
        if (matches) {
            json mistake = mistake_json(named_variant.first);
            const std::string m = "Not quite. Mistake spotted: " + mistake["name"].get<std::string>() + ". " +
                                  mistake["explanation"].get<std::string>();
            return finish(verdict_json(Verdict::incorrect, m, tol, mistake), "incorrect", m);
        }
    }
    const Variables& p = *first_difference;
    const std::string m = "Not equivalent: at x = " + short_number(p.x) + ", μ = " + short_number(p.mu) +
                          ", σ² = " + short_number(p.var) + ", ε = " + short_number(p.eps) + ", γ = " +
                          short_number(p.gamma) + ", β = " + short_number(p.beta) + " yours gives " +
                          short_number(e.evaluate(p)) + " but " + g.label + " is " + short_number(g.reference(p)) + ".";
    return finish(verdict_json(Verdict::incorrect, m, tol), "incorrect", m);
}

}  // namespace bnkata::exercises
