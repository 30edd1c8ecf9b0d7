#include "schema/checks.hpp"

#include <chat/utf8.hpp>

namespace chat::schema {
namespace {

// Byte offset of `loc` in the source: known for nodes, else found by walking its line.
std::optional<std::size_t> byte_offset_of(const SourceText& source, SourceLoc loc) {
    if (loc.has_offset()) {
        return loc.offset;
    }
    std::string_view line = source.line(loc.line);
    if (line.data() == nullptr || loc.column == 0) {
        return std::nullopt;
    }
    auto line_start = static_cast<std::size_t>(line.data() - source.text().data());
    return line_start + utf8_byte_offset(line, loc.column - 1);
}

}  // namespace

SourceLoc locate_inside(const SourceText& source, SourceLoc value_loc, std::string_view value,
                        std::size_t offset) {
    auto start = value_loc.is_known() ? byte_offset_of(source, value_loc) : std::nullopt;
    std::string_view text = source.text();
    if (!start || *start > text.size() || offset > value.size()) {
        return value_loc;
    }
    std::uint32_t column = value_loc.column;
    if (*start < text.size() && (text[*start] == '"' || text[*start] == '\'')) {
        ++*start;
        ++column;
    }
    // Escapes, folding and block scalars change the text: only a verbatim value is located.
    bool is_verbatim = text.substr(*start, value.size()) == value;
    if (!is_verbatim) {
        return value_loc;
    }
    std::string_view before = value.substr(0, offset);
    return {value_loc.line, column + static_cast<std::uint32_t>(utf8_length(before)),
            *start + offset};
}

}  // namespace chat::schema
