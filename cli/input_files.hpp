#pragma once
// Turning command-line paths into schema texts: directories are searched for schema files,
// `-` is standard input, and nothing larger than the limit is read into memory.

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace chat::cli {

/// Expands directories (recursively, sorted) to their .yaml, .yml and .json files.
/// Returns the paths, or as an error message the first path that does not exist or cannot be
/// read, or a directory without schema files.
std::variant<std::vector<std::string>, std::string> expand_inputs(
    const std::vector<std::string>& arguments);

struct InputText {
    std::string name;  // the path, or "<stdin>"
    std::string text;
    std::size_t size = 0;       // the whole size, also when the text was not read (too large)
    bool is_size_known = true;  // false when a stream was cut at the limit
    bool is_too_large = false;
};

/// Reads a path (`-`: standard input) up to `limit` bytes. Returns an error message on failure.
std::variant<InputText, std::string> read_input(const std::string& path, std::size_t limit);

}  // namespace chat::cli
