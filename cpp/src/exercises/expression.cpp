// expression.cpp — tokenizer, recursive-descent parser and evaluator for learners' formulas.
//
// No exceptions: under Emscripten's default settings a throw aborts the module, so every failure is a
// value (the first ParseError), and each parsing function returns −1 once one is recorded.
#include "bnkata/exercises/expression.hpp"

#include "bnkata/text.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace bnkata::exercises {

namespace {

// --- Characters --------------------------------------------------------------------------------------

// Decodes UTF-8 into code points. Returns false (and where) on a malformed sequence.
bool decode_utf8(std::string_view text, std::vector<char32_t>& out, std::size_t& bad_position) {
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        int extra = 0;
        char32_t cp = 0;
        if (c < 0x80) { cp = c; }
        else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; extra = 1; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; extra = 2; }
        else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; extra = 3; }
        else { bad_position = out.size() + 1; return false; }
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= text.size()) { bad_position = out.size() + 1; return false; }
            const unsigned char cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) { bad_position = out.size() + 1; return false; }
            cp = (cp << 6) | (cc & 0x3F);
        }
        out.push_back(cp);
        i += 1 + extra;
    }
    return true;
}

std::string encode_utf8(char32_t cp) {
    std::string s;
    if (cp < 0x80) s += static_cast<char>(cp);
    else if (cp < 0x800) { s += static_cast<char>(0xC0 | (cp >> 6)); s += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x202F; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Greek letters of the kata, each one a name on its own (so γx reads as γ·x).
bool is_greek(char32_t c) { return c == U'μ' || c == U'µ' || c == U'σ' || c == U'ε' || c == U'ϵ' || c == U'γ' || c == U'β'; }
constexpr char32_t kCombiningCircumflex = 0x0302;  // x̂ is x followed by this

// --- Tokens ------------------------------------------------------------------------------------------

enum class Kind { number, name, plus, minus, times, divide, caret, open, close, root, square, end };

struct Token {
    Kind kind = Kind::end;
    std::size_t position = 0;  // 1-based, in characters
    double value = 0;          // Kind::number
    std::string spelling;      // Kind::name, as typed
};

std::string at(std::size_t position) { return " at position " + std::to_string(position); }

// Splits code points into tokens; returns false with an error on a character the language lacks.
bool tokenize(const std::vector<char32_t>& cps, std::vector<Token>& tokens, ParseError& error) {
    std::size_t i = 0;
    while (i < cps.size()) {
        const char32_t c = cps[i];
        const std::size_t pos = i + 1;
        if (is_space(c)) { ++i; continue; }
        Token t;
        t.position = pos;
        if (is_digit(c) || c == '.') {
            // digits [. digits] [e [±] digits] — read as ASCII, converted by strtod (correctly rounded).
            std::string ascii;
            while (i < cps.size() && (is_digit(cps[i]) || cps[i] == '.')) ascii += static_cast<char>(cps[i++]);
            if (i < cps.size() && (cps[i] == 'e' || cps[i] == 'E')) {
                std::size_t j = i + 1;
                if (j < cps.size() && (cps[j] == '+' || cps[j] == '-' || cps[j] == U'−')) ++j;
                if (j < cps.size() && is_digit(cps[j])) {
                    ascii += 'e';
                    if (cps[i + 1] == '-' || cps[i + 1] == U'−') ascii += '-';
                    i = j;
                    while (i < cps.size() && is_digit(cps[i])) ascii += static_cast<char>(cps[i++]);
                }
            }
            if (ascii.find('.') != ascii.rfind('.') || ascii == "." ) {
                error = {pos, "malformed number '" + shorten(ascii, 20) + "'" + at(pos)};
                return false;
            }
            t.kind = Kind::number;
            t.value = std::strtod(ascii.c_str(), nullptr);
            if (!std::isfinite(t.value)) {
                error = {pos, "number '" + shorten(ascii, 20) + "' is too large" + at(pos)};
                return false;
            }
            tokens.push_back(t);
            continue;
        }
        if (is_ascii_letter(c) || is_greek(c)) {
            t.kind = Kind::name;
            if (is_greek(c)) t.spelling = encode_utf8(cps[i++]);
            else while (i < cps.size() && is_ascii_letter(cps[i])) t.spelling += static_cast<char>(cps[i++]);
            if (i < cps.size() && cps[i] == kCombiningCircumflex) { t.spelling += encode_utf8(cps[i++]); }
            // A subscript (μ_B, x_i) only labels the symbol; skip it.
            if (i + 1 < cps.size() && cps[i] == '_' && (is_ascii_letter(cps[i + 1]) || is_digit(cps[i + 1]))) {
                i += 1;
                while (i < cps.size() && (is_ascii_letter(cps[i]) || is_digit(cps[i]))) ++i;
            }
            tokens.push_back(t);
            continue;
        }
        switch (c) {
            case '+': t.kind = Kind::plus; break;
            case '-': case U'−': case U'–': t.kind = Kind::minus; break;
            case '*': case U'·': case U'×': case U'⋅': case U'∗': t.kind = Kind::times; break;
            case '/': case U'÷': case U'∕': t.kind = Kind::divide; break;
            case '^': t.kind = Kind::caret; break;
            case '(': t.kind = Kind::open; break;
            case ')': t.kind = Kind::close; break;
            case U'√': t.kind = Kind::root; break;
            case U'²': t.kind = Kind::square; break;
            default:
                error = {pos, "unexpected character '" + encode_utf8(c) + "'" + at(pos)};
                return false;
        }
        ++i;
        tokens.push_back(t);
    }
    Token end;
    end.kind = Kind::end;
    end.position = cps.size() + 1;
    tokens.push_back(end);
    return true;
}

bool starts_primary(Kind k) { return k == Kind::number || k == Kind::name || k == Kind::open || k == Kind::root; }

std::string describe(const Token& t) {
    switch (t.kind) {
        case Kind::number: return "number";
        case Kind::name: return "'" + shorten(t.spelling, 20) + "'";
        case Kind::plus: return "'+'";
        case Kind::minus: return "'−'";
        case Kind::times: return "'*'";
        case Kind::divide: return "'/'";
        case Kind::caret: return "'^'";
        case Kind::open: return "'('";
        case Kind::close: return "')'";
        case Kind::root: return "'√'";
        case Kind::square: return "'²'";
        case Kind::end: return "end of input";
    }
    return "token";
}

}  // namespace

// --- Parser ------------------------------------------------------------------------------------------

class Parser {
public:
    Parser(std::vector<Token> tokens, Expression& out) : tokens_(std::move(tokens)), out_(out) {}

    std::optional<ParseError> run() {
        const int root = expression();
        if (!error_ && peek().kind != Kind::end) {
            if (peek().kind == Kind::close) fail(peek().position, "unmatched ')'");
            else fail(peek().position, "unexpected " + describe(peek()));
        }
        if (!error_) out_.root_ = root;
        return error_;
    }

private:
    const Token& peek() const { return tokens_[index_]; }
    const Token& take() { return tokens_[index_++]; }
    int fail(std::size_t position, const std::string& what) {
        if (!error_) error_ = ParseError{position, what + at(position)};
        return -1;
    }
    int add(Expression::Node node) {
        out_.nodes_.push_back(node);
        return static_cast<int>(out_.nodes_.size()) - 1;
    }
    int binary(Expression::Op op, int left, int right) {
        Expression::Node n;
        n.op = op;
        n.left = left;
        n.right = right;
        return add(n);
    }
    int unary_node(Expression::Op op, int child) {
        Expression::Node n;
        n.op = op;
        n.left = child;
        return add(n);
    }
    // Every construct that nests (parentheses, roots, signs, exponents) goes one level deeper here, so
    // recursion depth stays bounded whatever the input.
    bool enter(std::size_t position) {
        if (++depth_ > kMaxExpressionDepth) {
            fail(position, "nested too deeply (more than " + std::to_string(kMaxExpressionDepth) + " levels)");
            return false;
        }
        return true;
    }
    void leave() { --depth_; }

    int expression() {
        int left = term();
        while (!error_ && (peek().kind == Kind::plus || peek().kind == Kind::minus)) {
            const Kind k = take().kind;
            const int right = term();
            if (error_) return -1;
            left = binary(k == Kind::plus ? Expression::Op::add : Expression::Op::subtract, left, right);
        }
        return error_ ? -1 : left;
    }

    int term() {
        int left = unary();
        while (!error_) {
            const Kind k = peek().kind;
            if (k == Kind::times || k == Kind::divide) {
                take();
                const int right = unary();
                if (error_) return -1;
                left = binary(k == Kind::times ? Expression::Op::multiply : Expression::Op::divide, left, right);
            } else if (starts_primary(k)) {  // implicit product: γ(x − μ), 2x
                const int right = power();
                if (error_) return -1;
                left = binary(Expression::Op::multiply, left, right);
            } else {
                break;
            }
        }
        return error_ ? -1 : left;
    }

    int unary() {
        const Token& t = peek();
        if (t.kind == Kind::minus || t.kind == Kind::plus) {
            if (!enter(t.position)) return -1;
            const bool negative = take().kind == Kind::minus;
            const int operand = unary();
            leave();
            if (error_) return -1;
            return negative ? unary_node(Expression::Op::negate, operand) : operand;
        }
        return power();
    }

    int power() {
        const int base = postfix();
        if (error_) return -1;
        if (peek().kind == Kind::caret) {
            const std::size_t position = take().position;
            if (!enter(position)) return -1;
            const int exponent = unary();  // allows x^-0.5 and a^b^c = a^(b^c)
            leave();
            if (error_) return -1;
            return binary(Expression::Op::power, base, exponent);
        }
        return base;
    }

    int postfix() {
        int base = primary();
        while (!error_ && peek().kind == Kind::square) {
            take();
            Expression::Node two;
            two.op = Expression::Op::number;
            two.value = 2;
            base = binary(Expression::Op::power, base, add(two));
        }
        return error_ ? -1 : base;
    }

    int primary() {
        const Token t = peek();
        switch (t.kind) {
            case Kind::number: {
                take();
                Expression::Node n;
                n.op = Expression::Op::number;
                n.value = t.value;
                return add(n);
            }
            case Kind::name: {
                take();
                if (t.spelling == "sqrt") {
                    if (peek().kind != Kind::open) return fail(peek().position, "expected '(' after sqrt");
                    return parenthesised(Expression::Op::square_root);
                }
                return variable(t);
            }
            case Kind::open: return parenthesised(Expression::Op::number);
            case Kind::root: {
                take();
                if (!enter(t.position)) return -1;
                const int operand = postfix();
                leave();
                if (error_) return -1;
                return unary_node(Expression::Op::square_root, operand);
            }
            case Kind::close: return fail(t.position, "unexpected ')' (nothing to close, or an empty pair)");
            case Kind::end: return fail(t.position, "the expression ends too early");
            default: return fail(t.position, "unexpected " + describe(t) + " (expected a number, a name or '(')");
        }
    }

    // "(" expression ")", optionally wrapped in a function (Op::square_root) — Op::number means none.
    int parenthesised(Expression::Op wrap) {
        const Token open = take();
        if (!enter(open.position)) return -1;
        const int inner = expression();
        leave();
        if (error_) return -1;
        if (peek().kind != Kind::close) {
            return fail(peek().position, "expected ')' to close the '(' at position " + std::to_string(open.position) +
                                             ", found " + describe(peek()));
        }
        take();
        return wrap == Expression::Op::square_root ? unary_node(wrap, inner) : inner;
    }

    int variable(const Token& t) {
        using S = Expression::Symbol;
        const std::string& s = t.spelling;
        S symbol;
        if (s == "x") symbol = S::x;
        else if (s == "mu" || s == "μ" || s == "µ") symbol = S::mu;
        else if (s == "var") symbol = S::var;
        else if (s == "sigma" || s == "σ") symbol = S::sigma;
        else if (s == "eps" || s == "epsilon" || s == "ε" || s == "ϵ") symbol = S::eps;
        else if (s == "gamma" || s == "γ") symbol = S::gamma;
        else if (s == "beta" || s == "β") symbol = S::beta;
        else if (s == "m") symbol = S::m;
        else if (s == "x\xcc\x82" || s == "xhat")
            return fail(t.position, "x̂ is what the formula computes; write it in terms of x, μ, σ², ε");
        else
            return fail(t.position, "unknown name '" + shorten(s, 20) + "' (use x, mu, var, eps, gamma, beta, m, sigma, sqrt)");
        if (out_.first_variable_spelling_.empty()) out_.first_variable_spelling_ = s;
        Expression::Node n;
        n.op = Expression::Op::variable;
        n.symbol = symbol;
        return add(n);
    }

    std::vector<Token> tokens_;
    std::size_t index_ = 0;
    int depth_ = 0;
    std::optional<ParseError> error_;
    Expression& out_;
};

Expression Expression::parse(std::string_view text, std::optional<ParseError>& error) {
    Expression e;
    error.reset();
    std::vector<char32_t> cps;
    std::size_t bad = 0;
    if (text.size() > 4 * kMaxExpressionLength || !decode_utf8(text, cps, bad)) {
        if (text.size() > 4 * kMaxExpressionLength) {
            error = ParseError{kMaxExpressionLength + 1, "the expression is longer than " +
                                                             std::to_string(kMaxExpressionLength) + " characters"};
        } else {
            error = ParseError{bad, "invalid UTF-8 text" + at(bad)};
        }
        return e;
    }
    if (cps.size() > kMaxExpressionLength) {
        error = ParseError{kMaxExpressionLength + 1,
                           "the expression is longer than " + std::to_string(kMaxExpressionLength) + " characters"};
        return e;
    }
    std::vector<Token> tokens;
    ParseError tokenize_error;
    if (!tokenize(cps, tokens, tokenize_error)) {
        error = tokenize_error;
        return e;
    }
    if (tokens.size() == 1) {
        error = ParseError{1, "the expression is empty"};
        return e;
    }
    Parser parser(std::move(tokens), e);
    error = parser.run();
    if (error) e.nodes_.clear();
    return e;
}

bool Expression::has_variables() const {
    for (const Node& n : nodes_)
        if (n.op == Op::variable) return true;
    return false;
}

double Expression::evaluate(const Variables& at) const {
    if (root_ < 0) return std::nan("");
    return evaluate_node(root_, at);
}

double Expression::evaluate_node(int index, const Variables& v) const {
    const Node& n = nodes_[static_cast<std::size_t>(index)];
    switch (n.op) {
        case Op::number: return n.value;
        case Op::variable:
            switch (n.symbol) {
                case Symbol::x: return v.x;
                case Symbol::mu: return v.mu;
                case Symbol::var: return v.var;
                case Symbol::eps: return v.eps;
                case Symbol::gamma: return v.gamma;
                case Symbol::beta: return v.beta;
                case Symbol::m: return v.m;
                case Symbol::sigma: return std::sqrt(v.var);
            }
            return std::nan("");
        case Op::add: return evaluate_node(n.left, v) + evaluate_node(n.right, v);
        case Op::subtract: return evaluate_node(n.left, v) - evaluate_node(n.right, v);
        case Op::multiply: return evaluate_node(n.left, v) * evaluate_node(n.right, v);
        case Op::divide: return evaluate_node(n.left, v) / evaluate_node(n.right, v);
        case Op::power: return std::pow(evaluate_node(n.left, v), evaluate_node(n.right, v));
        case Op::negate: return -evaluate_node(n.left, v);
        case Op::square_root: return std::sqrt(evaluate_node(n.left, v));
    }
    return std::nan("");
}

std::optional<double> parse_constant(std::string_view text, std::string& error) {
    std::optional<ParseError> parse_error;
    const Expression e = Expression::parse(text, parse_error);
    if (parse_error) {
        error = parse_error->message;
        return std::nullopt;
    }
    if (e.has_variables()) {
        error = "expected a number, not a formula (found '" + e.first_variable_spelling() + "')";
        return std::nullopt;
    }
    const double value = e.evaluate(Variables{});
    if (!std::isfinite(value)) {
        error = "'" + std::string(text) + "' is not a finite number";
        return std::nullopt;
    }
    return value;
}

}  // namespace bnkata::exercises
