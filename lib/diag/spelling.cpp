#include <chat/spelling.hpp>

#include <algorithm>
#include <vector>

namespace chat {
namespace {

// Levenshtein distance, one row at a time.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string_view> nearest_word(std::string_view word,
                                             std::span<const std::string_view> candidates) {
    // Typos are in short words; this also bounds the quadratic edit distance on long inputs.
    constexpr std::size_t k_longest_word = 64;
    std::optional<std::string_view> best;
    if (word.size() > k_longest_word) {
        return best;
    }
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (auto candidate : candidates) {
        std::size_t length_gap = candidate.size() > word.size() ? candidate.size() - word.size()
                                                                : word.size() - candidate.size();
        if (length_gap >= best_distance) {
            continue;  // at least that many insertions or deletions
        }
        std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

}  // namespace chat
