// The expression language learners type formulas in: what it accepts, what it computes, and where it
// says a text goes wrong. Expected values are worked out by hand in the comments.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "bnkata/exercises/expression.hpp"
#include "bnkata/exercises/grading.hpp"

using namespace bnkata::exercises;

namespace {
// Evaluates text at the given point, failing the test if it does not parse.
double value_of(const std::string& text, const Variables& at = {}) {
    std::optional<ParseError> error;
    const Expression e = Expression::parse(text, error);
    INFO("text: ", text, "  error: ", error ? error->message : std::string("none"));
    REQUIRE_FALSE(error);
    return e.evaluate(at);
}
ParseError error_of(const std::string& text) {
    std::optional<ParseError> error;
    Expression::parse(text, error);
    INFO("text: ", text);
    REQUIRE(error);
    return *error;
}
}  // namespace

TEST_CASE("arithmetic follows the usual precedence and associativity") {
    CHECK(value_of("1 + 2 * 3") == 7);
    CHECK(value_of("(1 + 2) * 3") == 9);
    CHECK(value_of("2 ^ 3 ^ 2") == 512);  // right-associative: 2^(3^2)
    CHECK(value_of("-2 ^ 2") == -4);      // the sign applies after the power, as in written maths
    CHECK(value_of("2 ^ -1") == 0.5);
    CHECK(value_of("8 / 4 / 2") == 1);    // left-associative
    CHECK(value_of("1e-5") == 1e-5);
    CHECK(value_of("1.5E+2") == 150);
    CHECK(value_of(".5") == 0.5);
    CHECK(value_of("3²") == 9);
    CHECK(value_of("√16") == 4);
    CHECK(value_of("sqrt(2) * sqrt(2)") == doctest::Approx(2).epsilon(1e-15));
}

TEST_CASE("the kata's symbols are read in ASCII and in Unicode") {
    Variables v;
    v.x = 3; v.mu = 1; v.var = 4; v.eps = 0.5; v.gamma = 2; v.beta = -1; v.m = 8;
    CHECK(value_of("x", v) == 3);
    CHECK(value_of("mu", v) == 1);
    CHECK(value_of("μ", v) == 1);
    CHECK(value_of("µ", v) == 1);  // the micro sign, which some keyboards produce for μ
    CHECK(value_of("var", v) == 4);
    CHECK(value_of("σ²", v) == doctest::Approx(4).epsilon(1e-15));
    CHECK(value_of("sigma", v) == 2);
    CHECK(value_of("ε", v) == 0.5);
    CHECK(value_of("eps", v) == 0.5);
    CHECK(value_of("epsilon", v) == 0.5);
    CHECK(value_of("γ", v) == 2);
    CHECK(value_of("β", v) == -1);
    CHECK(value_of("m", v) == 8);
    CHECK(value_of("μ_B", v) == 1);
    CHECK(value_of("σ_B²", v) == doctest::Approx(4).epsilon(1e-15));
    CHECK(value_of("x_i", v) == 3);
}

TEST_CASE("Unicode operators and implicit products mean what they look like") {
    Variables v;
    v.x = 3; v.mu = 1; v.var = 4; v.eps = 0.5; v.gamma = 2; v.beta = -1;
    CHECK(value_of("x − μ", v) == 2);     // U+2212 minus
    CHECK(value_of("γ·x", v) == 6);
    CHECK(value_of("γ × x", v) == 6);
    CHECK(value_of("x ÷ γ", v) == 1.5);
    CHECK(value_of("γ(x − μ)", v) == 4);  // implicit product before a parenthesis
    CHECK(value_of("2x", v) == 6);
    CHECK(value_of("γx + β", v) == 5);    // Greek letters are single names, so γx is γ·x
    CHECK(value_of("(x − μ)(var + eps)^(−1/2)", v) == doctest::Approx(2 / std::sqrt(4.5)).epsilon(1e-15));
    // (3 − 1)/√(4 + 0.5) = 2/√4.5
    CHECK(value_of("(x − μ)/√(σ² + ε)", v) == doctest::Approx(2 / std::sqrt(4.5)).epsilon(1e-15));
}

TEST_CASE("a parse error says what is wrong and at which character") {
    SUBCASE("an unknown name") {
        const ParseError e = error_of("(x - mu) / sqrt(vr + eps)");
        CHECK(e.position == 17);
        CHECK(e.message.find("unknown name 'vr'") != std::string::npos);
        CHECK(e.message.find("position 17") != std::string::npos);
    }
    SUBCASE("a missing closing parenthesis points at the end and names the opening one") {
        const ParseError e = error_of("(x - mu");
        CHECK(e.position == 8);
        CHECK(e.message.find("position 1") != std::string::npos);
    }
    SUBCASE("an unmatched closing parenthesis") {
        const ParseError e = error_of("x - mu)");
        CHECK(e.position == 7);
        CHECK(e.message.find("unmatched ')'") != std::string::npos);
    }
    SUBCASE("positions count characters, not bytes") {
        const ParseError e = error_of("μ − σ² + $");  // μ, space, −, space, σ, ², space, +, space, $
        CHECK(e.position == 10);
        CHECK(e.message.find("'$'") != std::string::npos);
    }
    SUBCASE("two operators in a row") {
        const ParseError e = error_of("x * / mu");
        CHECK(e.position == 5);
    }
    SUBCASE("an empty text, and one that ends too early") {
        CHECK(error_of("").message.find("empty") != std::string::npos);
        CHECK(error_of("   ").message.find("empty") != std::string::npos);
        CHECK(error_of("x +").position == 4);
    }
    SUBCASE("a malformed number") {
        CHECK(error_of("1.2.3").position == 1);
    }
    SUBCASE("x̂ is the unknown, not an input") {
        CHECK(error_of("x̂").message.find("x̂ is what the formula computes") != std::string::npos);
    }
    SUBCASE("a long unknown name is quoted shortened") {
        CHECK(error_of(std::string(1999, 'q')).message.size() < 150);
    }
    SUBCASE("invalid UTF-8") {
        CHECK(error_of(std::string("x + \xff")).message.find("UTF-8") != std::string::npos);
    }
}

TEST_CASE("10,000 nested parentheses are a clean error, not a stack overflow") {
    const std::string deep = std::string(10000, '(') + "x" + std::string(10000, ')');
    const ParseError e = error_of(deep);
    // The text is over the length limit, which is checked before anything recursive runs.
    CHECK(e.message.find("longer than") != std::string::npos);

    // Within the length limit, nesting is bounded separately.
    const std::string nested = std::string(500, '(') + "x" + std::string(500, ')');
    const ParseError n = error_of(nested);
    CHECK(n.message.find("nested too deeply") != std::string::npos);
    CHECK(n.position == static_cast<std::size_t>(kMaxExpressionDepth) + 1);

    CHECK(error_of(std::string(1000, '-') + "x").message.find("nested too deeply") != std::string::npos);
    CHECK(error_of(std::string(1000, '^') ).position == 1);
    std::string powers = "x";
    for (int i = 0; i < 500; ++i) powers += "^x";
    CHECK(error_of(powers).message.find("nested too deeply") != std::string::npos);
    // Just inside the limit still parses.
    CHECK(value_of(std::string(60, '(') + "2" + std::string(60, ')')) == 2);
}

TEST_CASE("a typed number may be a constant expression, but not a formula") {
    std::string error;
    CHECK(parse_constant("5/4", error).value() == 1.25);
    CHECK(parse_constant("−0.5", error).value() == -0.5);
    CHECK(parse_constant(" 1e-5 ", error).value() == 1e-5);
    CHECK(parse_constant("sqrt(1.25 + 0.25)", error).value() == doctest::Approx(std::sqrt(1.5)).epsilon(1e-15));
    CHECK_FALSE(parse_constant("x + 1", error));
    CHECK(error.find("not a formula") != std::string::npos);
    CHECK_FALSE(parse_constant("1/0", error));
    CHECK(error.find("not a finite number") != std::string::npos);
    CHECK_FALSE(parse_constant("1e999", error));
    CHECK_FALSE(parse_constant("abc", error));
}
