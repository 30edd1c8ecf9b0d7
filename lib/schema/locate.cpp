#include "schema/checks.hpp"

#include <chat/utf8.hpp>

namespace chat::schema {

SourceLoc locate_inside(const SourceText& source, SourceLoc value_loc, std::string_view value,
                        std::size_t offset) {
    std::string_view line = source.line(value_loc.line);
    if (value_loc.column == 0 || offset > value.size()) {
        return value_loc;
    }
    std::size_t start = utf8_byte_offset(line, value_loc.column - 1);
    std::uint32_t column = value_loc.column;
    if (start < line.size() && (line[start] == '"' || line[start] == '\'')) {
        ++start;
        ++column;
    }
    // Escapes, folding and block scalars change the text: only a verbatim value is located.
    bool is_verbatim = line.substr(start, value.size()) == value;
    if (!is_verbatim) {
        return value_loc;
    }
    return {value_loc.line,
            column + static_cast<std::uint32_t>(utf8_length(value.substr(0, offset)))};
}

}  // namespace chat::schema
