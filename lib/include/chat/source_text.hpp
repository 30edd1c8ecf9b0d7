#pragma once
/// A file's text with a line index, so diagnostics can show the offending line.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

class SourceText {
public:
    SourceText() = default;
    explicit SourceText(std::string text);

    const std::string& text() const { return m_text; }
    /// Line `line` (1-based) without its line break; empty when out of range.
    std::string_view line(std::uint32_t line) const;

private:
    std::string m_text;
    std::vector<std::size_t> m_line_starts;
};

}  // namespace chat
