// expression.hpp — the small expression language learners type formulas (and numbers) in.
//
//   expression := term (("+" | "−") term)*
//   term       := unary (("*" | "/") unary | implicit-product)*     e.g. γ(x − μ), 2x
//   unary      := ("−" | "+") unary | power
//   power      := postfix ("^" unary)?                            right-associative: a^b^c = a^(b^c)
//   postfix    := primary "²"*
//   primary    := number | name | "sqrt(" expression ")" | "√" postfix | "(" expression ")"
//
// Names: x, mu, var, eps, gamma, beta, m, sigma (= √var); Unicode μ µ σ ε ϵ γ β, σ² is σ then "²";
// a subscript "_B" or "_i" is ignored (μ_B, x_i). Operators also as · × ÷ − (Unicode minus).
// Positions in errors count characters (code points) from 1, so the page can point at them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bnkata::exercises {

// The values of the kata's symbols at one point.
struct Variables {
    double x = 0, mu = 0, var = 1, eps = 1e-5, gamma = 1, beta = 0, m = 4;
};

// Why a text is not an expression, and where (1-based, in characters; length + 1 means "at the end").
struct ParseError {
    std::size_t position = 0;
    std::string message;  // already includes "at position N"
};

// Limits that keep hostile input cheap: a longer text, or deeper nesting, is a clean ParseError.
constexpr std::size_t kMaxExpressionLength = 2000;  // characters
constexpr int kMaxExpressionDepth = 64;             // nested parentheses, roots and signs

class Expression {
public:
    // Parses text into an expression tree, or explains the first problem. Pure.
    static Expression parse(std::string_view text, std::optional<ParseError>& error);

    // The value at the given point (IEEE arithmetic: division by zero gives ±inf or NaN). Pure.
    double evaluate(const Variables& at) const;

    // Whether any symbol (x, mu, …) occurs, i.e. whether this is a formula rather than a constant.
    bool has_variables() const;
    // The first symbol that occurs, as the learner spelled it (for messages); empty if none.
    const std::string& first_variable_spelling() const { return first_variable_spelling_; }

    enum class Op { number, variable, add, subtract, multiply, divide, power, negate, square_root };
    enum class Symbol { x, mu, var, eps, gamma, beta, m, sigma };
    struct Node {
        Op op = Op::number;
        double value = 0;       // Op::number
        Symbol symbol = Symbol::x;  // Op::variable
        int left = -1, right = -1;  // children (indices into nodes_)
    };

private:
    friend class Parser;
    double evaluate_node(int index, const Variables& at) const;
    std::vector<Node> nodes_;
    int root_ = -1;
    std::string first_variable_spelling_;
};

// Reads a number the learner typed: a constant expression ("1.25", "5/4", "−0.5", "sqrt(2)", "1e-5").
// Returns the value, or sets error (naming no field — the caller adds it). Empty text is not handled here.
std::optional<double> parse_constant(std::string_view text, std::string& error);

}  // namespace bnkata::exercises
