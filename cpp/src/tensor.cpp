// tensor.cpp — nested JSON arrays ↔ flat (N, C, HW) batches, with every malformation named.
#include "bnkata/tensor.hpp"

#include <cmath>

namespace bnkata {

using nlohmann::json;

std::string describe_shape(const std::vector<std::size_t>& shape) {
    std::string text;
    for (std::size_t size : shape) text += "[" + std::to_string(size) + "]";
    return text;
}

namespace {

// "[1][0]" for the element at index path {1, 0}.
std::string describe_path(const std::vector<std::size_t>& path) { return describe_shape(path); }

// The shape the first elements suggest: descend through first elements while they are arrays.
// The walk below then checks that every other element agrees. Stops early past rank 4.
std::vector<std::size_t> shape_of_first_elements(const json& value) {
    std::vector<std::size_t> shape;
    const json* level = &value;
    while (level->is_array() && shape.size() <= 4) {
        shape.push_back(level->size());
        if (level->empty()) break;
        level = &(*level)[0];
    }
    return shape;
}

// Copies the numbers of a nested array of the given shape into out, in row-major order, checking every
// level's length and every leaf's type. path holds the index of the element being looked at.
Problem copy_leaves(const json& value, const std::vector<std::size_t>& shape, std::size_t depth,
                    std::vector<std::size_t>& path, std::vector<double>& out, const char* name) {
    if (depth == shape.size()) {  // a leaf
        if (value.is_number()) {
            const double v = value.get<double>();
            if (!std::isfinite(v)) return FieldError{name, "element " + describe_path(path) + " is not a finite number"};
            out.push_back(v);
            return std::nullopt;
        }
        if (value.is_array())
            return FieldError{name, "element " + describe_path(path) + " is an array, but its siblings are numbers "
                                    "(expected shape " + describe_shape(shape) + ")"};
        return FieldError{name, "element " + describe_path(path) + " is " + describe_type(value) + "; expected a number"};
    }
    if (!value.is_array())
        return FieldError{name, "element " + describe_path(path) + " is " + describe_type(value) +
                                    "; expected an array of " + std::to_string(shape[depth]) +
                                    " (shape " + describe_shape(shape) + ")"};
    if (value.size() != shape[depth])
        return FieldError{name, "ragged: element " + describe_path(path) + " has " + std::to_string(value.size()) +
                                    (value.size() == 1 ? " entry" : " entries") + ", expected " + std::to_string(shape[depth]) +
                                    " like the first (shape " + describe_shape(shape) + ")"};
    for (std::size_t i = 0; i < value.size(); ++i) {
        path.push_back(i);
        if (Problem problem = copy_leaves(value[i], shape, depth + 1, path, out, name)) return problem;
        path.pop_back();
    }
    return std::nullopt;
}

}  // namespace

Problem read_tensor(const json& request, const char* name, Tensor& out) {
    const std::string expected = "expected a nested array [m], [N][C] or [N][C][H][W] of numbers";
    const json* value = find_field(request, name);
    if (!value) return FieldError{name, "missing; " + expected};
    if (!value->is_array()) return FieldError{name, expected + ", got " + describe_type(*value)};

    const std::vector<std::size_t> shape = shape_of_first_elements(*value);
    for (std::size_t d = 0; d < shape.size(); ++d)
        if (shape[d] == 0)
            return FieldError{name, d == 0 ? std::string("empty; a batch needs at least one value")
                                           : "empty at nesting level " + std::to_string(d + 1) + " (shape " +
                                                 describe_shape(shape) + ")"};
    if (shape.size() != 1 && shape.size() != 2 && shape.size() != 4)
        return FieldError{name, "wrong rank: " + expected + ", got " +
                                    (shape.size() > 4 ? std::string("more than 4") : std::to_string(shape.size())) +
                                    " levels of nesting"};

    // Check the size before touching the values: shape is only a guess until the walk confirms it, but
    // a guess beyond the limit is already too big.
    std::size_t total = 1;
    for (std::size_t size : shape) {
        if (size > kMaxTensorValues / total)  // total·size > the limit, asked without overflowing
            return FieldError{name, "too large: at most " + std::to_string(kMaxTensorValues) + " values per tensor"};
        total *= size;
    }

    out.values.clear();
    out.values.reserve(total);
    std::vector<std::size_t> path;
    if (Problem problem = copy_leaves(*value, shape, 0, path, out.values, name)) return problem;

    out.shape = shape;
    out.layout.N = shape[0];
    out.layout.C = shape.size() >= 2 ? shape[1] : 1;
    out.layout.HW = shape.size() == 4 ? shape[2] * shape[3] : 1;
    return std::nullopt;
}

Problem read_per_channel(const json& request, const char* name, std::size_t C, std::vector<double>& out,
                         std::optional<double> fallback, PerChannelValues accepted) {
    const std::string expected = "expected " + std::to_string(C) + (C == 1 ? " value" : " values") +
                                 " (one per channel)";
    const json* value = find_field(request, name);
    if (!value) {
        if (!fallback) return FieldError{name, "missing; " + expected};
        out.assign(C, *fallback);
        return std::nullopt;
    }
    if (!value->is_array()) return FieldError{name, expected + " in an array, got " + describe_type(*value)};
    if (value->size() != C) return FieldError{name, expected + ", got " + std::to_string(value->size())};
    out.resize(C);
    for (std::size_t c = 0; c < C; ++c) {
        const json& v = (*value)[c];
        if (!v.is_number())
            return FieldError{name, "element [" + std::to_string(c) + "] is " + describe_type(v) + "; expected a number"};
        out[c] = v.get<double>();
        if (!std::isfinite(out[c]))
            return FieldError{name, "element [" + std::to_string(c) + "] is not a finite number"};
        if (accepted == PerChannelValues::non_negative && out[c] < 0)
            return FieldError{name, "element [" + std::to_string(c) + "] is " + format_number(out[c]) +
                                        "; a variance cannot be negative"};
    }
    return std::nullopt;
}

nlohmann::json tensor_to_json(const std::vector<double>& values, const std::vector<std::size_t>& shape) {
    // Build from the innermost level outwards: groups of shape.back() numbers, then groups of those, ...
    // The last level becomes the answer's array itself (moved, not copied: it can hold a million values).
    json::array_t level(values.begin(), values.end());
    for (std::size_t d = shape.size(); d-- > 1;) {
        const std::size_t group = shape[d];
        json::array_t outer;
        outer.reserve(level.size() / group);
        for (std::size_t i = 0; i < level.size(); i += group)
            outer.emplace_back(json::array_t(std::make_move_iterator(level.begin() + static_cast<std::ptrdiff_t>(i)),
                                             std::make_move_iterator(level.begin() + static_cast<std::ptrdiff_t>(i + group))));
        level = std::move(outer);
    }
    return json(std::move(level));
}

}  // namespace bnkata
