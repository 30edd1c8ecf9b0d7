#pragma once
// "Did you mean ...?" suggestions for misspelt keys, types, names and commands.

#include <optional>
#include <span>
#include <string_view>

namespace chat {

/// The closest of `candidates` to `word` by edit distance, when one is close enough to be a
/// likely typo (at most max(2, length / 3) edits); the first of equally close ones.
std::optional<std::string_view> nearest_word(std::string_view word,
                                             std::span<const std::string_view> candidates);

}  // namespace chat
