#include <chat/spelling.hpp>

#include <doctest/doctest.h>

#include <array>
#include <string>

TEST_CASE("nearest_word: likely typos only") {
    constexpr std::array<std::string_view, 4> k_keys = {"next_qid", "required", "text", "type"};
    CHECK(chat::nearest_word("nxt_qid", k_keys) == "next_qid");
    CHECK(chat::nearest_word("requried", k_keys) == "required");
    CHECK(chat::nearest_word("txet", k_keys) == "text");  // the first of equally close ones
    CHECK_FALSE(chat::nearest_word("colour", k_keys));
    CHECK_FALSE(chat::nearest_word(std::string(20'000, 'x'), k_keys));
    std::string long_typo = std::string(70, 'a');
    constexpr std::array<std::string_view, 1> k_long = {
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"};
    CHECK_FALSE(chat::nearest_word(long_typo, k_long));  // past 64 characters: no suggestion
}
