// test_text.cpp — shorten(): quoting text in messages without splitting a UTF-8 character.
#include <doctest/doctest.h>

#include <string>

#include "bnkata/text.hpp"

using bnkata::shorten;

TEST_CASE("shorten keeps text that fits and marks text it cuts") {
    CHECK(shorten("abc", 3) == "abc");
    CHECK(shorten("", 0) == "");
    CHECK(shorten("abcdef", 4) == "abcd…");
}

TEST_CASE("shorten never cuts inside a UTF-8 sequence") {
    // "μ" is 2 bytes (CE BC), "…" 3 bytes, "😀" 4 bytes: every cut that would split one backs up before it.
    const std::string mu = "aμb";                     // a CE BC b
    CHECK(shorten(mu, 2) == "a…");                    // byte 2 is inside μ
    CHECK(shorten(mu, 3) == "aμ…");
    const std::string emoji = "x\xF0\x9F\x98\x80y";   // x 😀 y
    for (std::size_t max = 1; max <= 4; ++max) {
        CAPTURE(max);
        CHECK(shorten(emoji, max) == "x…");
    }
    CHECK(shorten(emoji, 5) == "x\xF0\x9F\x98\x80…");
    SUBCASE("every cut of a multilingual string is valid UTF-8 followed by the ellipsis") {
        const std::string text = "σ²_B ≈ 0.5, ε → 0, 😀 done";
        for (std::size_t max = 0; max < text.size(); ++max) {
            CAPTURE(max);
            const std::string cut = shorten(text, max);
            REQUIRE(cut.size() >= 3);
            const std::string kept = cut.substr(0, cut.size() - 3);
            CHECK(kept.size() <= max);
            CHECK(text.compare(0, kept.size(), kept) == 0);
            // The kept prefix ends on a boundary: the next original byte is not a continuation byte.
            CHECK((static_cast<unsigned char>(text[kept.size()]) & 0xC0) != 0x80);
        }
    }
}
