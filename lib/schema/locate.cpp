#include "schema/checks.hpp"

namespace chat::schema {

SourceLoc locate_inside(const SourceText& source, SourceLoc value_loc, std::string_view value,
                        std::size_t offset) {
    std::string_view line = source.line(value_loc.line);
    std::size_t start = value_loc.column == 0 ? line.size() : value_loc.column - 1;
    if (start < line.size() && (line[start] == '"' || line[start] == '\'')) {
        ++start;
    }
    bool is_verbatim = start <= line.size() && line.substr(start, value.size()) == value;
    if (!is_verbatim || offset > value.size()) {
        return value_loc;
    }
    return {value_loc.line, static_cast<std::uint32_t>(start + offset + 1)};
}

}  // namespace chat::schema
