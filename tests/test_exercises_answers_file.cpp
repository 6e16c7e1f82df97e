// The exported answers file: re-grading it gives the page's verdicts, and a foreign, future, oversized or
// hostile file is refused with a message instead of crashing. (`bnkata check` itself is exercised by the
// exercises_cli_* tests in cpp/exercises.cmake.)
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "bnkata/compute.hpp"
#include "exercise_requests.hpp"
#include "bnkata/exercises/answers_file.hpp"

using nlohmann::json;
using namespace exercise_requests;

namespace {
json check(const json& file) { return call({{"op", "check_answers"}, {"file", file}}); }
json fixture(const std::string& name) {
    std::ifstream in(std::string(BNKATA_EXERCISE_FIXTURES) + "/" + name);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}
json result_for(const json& response, const std::string& id) {
    for (const json& r : response["results"])
        if (r["id"] == id) return r;
    return nullptr;
}
json minimal_file() { return {{"format", "bnkata-answers"}, {"version", 1}, {"seed", 7}, {"answers", json::object()}}; }
}  // namespace

TEST_CASE("a file of right answers (hand-made from NumPy's numbers for seed 7) is all correct") {
    const json response = check(fixture("answers-seed7-correct.json"));
    REQUIRE_FALSE(response.contains("error"));
    CHECK(response["summary"]["correct"] == 12);
    CHECK(response["summary"]["incorrect"] == 0);
    CHECK(response["summary"]["invalid"] == 0);
    CHECK(response["summary"]["not_attempted"] == 11);  // 23 exercises, 12 answered
    CHECK(response["results"].size() == 23);
    CHECK(result_for(response, "s4-running-keras")["attempts"] == 4);
    CHECK(result_for(response, "s5-forward-code")["verdict"] == "not_attempted");
    CHECK(response["results"][0]["id"] == "s1-mean-var");  // lesson order
}

TEST_CASE("re-grading gives exactly the verdicts the grade op gives") {
    const json file = fixture("answers-seed7-correct.json");
    const json response = check(file);
    for (auto it = file["answers"].begin(); it != file["answers"].end(); ++it) {
        const json direct = call({{"op", "grade"}, {"id", it.key()}, {"seed", it.value()["seed"]}, {"answer", it.value()["answer"]}});
        const json via_file = result_for(response, it.key());
        CAPTURE(it.key());
        CHECK(via_file["verdict"] == direct["verdict"]);
        CHECK(via_file["message"] == direct["message"]);
        CHECK(via_file["mistake"] == direct["mistake"]);
    }
}

TEST_CASE("a wrong answer in the file is reported with its mistake") {
    const json response = check(fixture("answers-seed7-one-wrong.json"));
    CHECK(response["summary"]["incorrect"] == 1);
    CHECK(response["summary"]["correct"] == 1);
    CHECK(result_for(response, "s1-mean-var")["mistake"]["id"] == "unbiased_variance");
}

TEST_CASE("each entry's own seed wins over the file's seed") {
    json file = minimal_file();
    file["seed"] = 1;
    file["answers"]["s1-mean-var"] = {{"seed", 7}, {"answer", {{"mean", 1.8}, {"var", 4.96}}}, {"attempts", 1}};
    CHECK(result_for(check(file), "s1-mean-var")["verdict"] == "correct");
    file["answers"]["s1-mean-var"].erase("seed");  // falls back to the file's seed 1: other numbers
    CHECK(result_for(check(file), "s1-mean-var")["verdict"] == "incorrect");
}

TEST_CASE("foreign and future files are refused with a clear message") {
    CHECK(check("hello")["error"]["message"].get<std::string>().find("answers file") != std::string::npos);
    CHECK(check(json::array())["error"]["field"] == "file");
    CHECK(call({{"op", "check_answers"}})["error"]["field"] == "file");
    json other = minimal_file();
    other["format"] = "some-other-app";
    CHECK(check(other)["error"]["message"].get<std::string>().find("not a BatchNorm Kata answers file") != std::string::npos);
    other.erase("format");
    CHECK(check(other)["error"]["field"] == "format");
    const json future = check(fixture("answers-future-version.json"));
    CHECK(future["error"]["field"] == "version");
    CHECK(future["error"]["message"].get<std::string>().find("newer BatchNorm Kata") != std::string::npos);
    json bad_version = minimal_file();
    bad_version["version"] = "1";
    CHECK(check(bad_version)["error"]["field"] == "version");
    json no_answers = minimal_file();
    no_answers["answers"] = json::array();
    CHECK(check(no_answers)["error"]["field"] == "answers");
    json bad_seed = minimal_file();
    bad_seed["seed"] = -3;
    CHECK(check(bad_seed)["error"]["field"] == "seed");
}

TEST_CASE("sizes are bounded: too many answers, too long strings") {
    json many = minimal_file();
    for (int i = 0; i < 150; ++i) many["answers"]["x" + std::to_string(i)] = {{"answer", json::object()}};
    CHECK(check(many)["error"]["message"].get<std::string>().find("more than 100") != std::string::npos);
    json long_string = minimal_file();
    long_string["answers"]["s1-formula"] = {{"answer", {{"xhat", std::string(150000, 'x')}}}};
    CHECK(check(long_string)["error"]["message"].get<std::string>().find("longer than 100000") != std::string::npos);
    // Below the file's limit, a long answer is simply an invalid answer (the formula limit is 2,000).
    long_string["answers"]["s1-formula"] = {{"answer", {{"xhat", std::string(30000, 'x')}}}};
    CHECK(result_for(check(long_string), "s1-formula")["verdict"] == "invalid");
    json long_key = minimal_file();
    long_key["answers"][std::string(150000, 'k')] = json::object();
    CHECK(check(long_key).contains("error"));
}

TEST_CASE("hostile entries become invalid results, never crashes, and are quoted shortened") {
    const json response = check(fixture("answers-hostile-strings.json"));
    REQUIRE_FALSE(response.contains("error"));
    const json unknown = result_for(response, "<img src=x onerror=alert(1)>");
    CHECK(unknown["verdict"] == "invalid");
    CHECK(unknown["message"].get<std::string>().find("unknown exercise") != std::string::npos);
    CHECK(result_for(response, "s1-formula")["verdict"] == "invalid");
    CHECK(result_for(response, "s1-constant-batch")["verdict"] == "invalid");

    json odd = minimal_file();
    odd["answers"]["s1-mean-var"] = "1.8";
    odd["answers"]["s1-xhat"] = {{"answer", "0.88"}};
    odd["answers"]["s1-formula"] = {{"answer", {{"xhat", "x"}}}, {"attempts", -1}};
    odd["answers"]["s2-identity"] = {{"seed", "abc"}, {"answer", json::object()}};
    odd["answers"]["s2-bias"] = {{"answer", nullptr}};
    const json r = check(odd);
    CHECK(result_for(r, "s1-mean-var")["verdict"] == "invalid");
    CHECK(result_for(r, "s1-xhat")["verdict"] == "invalid");
    CHECK(result_for(r, "s1-formula")["message"].get<std::string>().find("attempts") != std::string::npos);
    CHECK(result_for(r, "s2-identity")["message"].get<std::string>().find("seed") != std::string::npos);
    CHECK(result_for(r, "s2-bias")["verdict"] == "not_attempted");
}

TEST_CASE("deeply nested or huge request text is refused before it is parsed") {
    // The page passes the file through compute_text; nesting is capped there (32 levels).
    const std::string deep = "{\"op\":\"check_answers\",\"file\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
    CHECK(bnkata::compute_text(deep).contains("error"));
}
