#include "input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

namespace chat::cli {
namespace {

namespace fs = std::filesystem;

bool is_schema_file(const fs::path& path) {
    auto extension = path.extension().string();
    return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

// The schema files below `directory`, sorted; an unreadable folder inside is an error rather
// than a silent gap in what CI checks.
std::variant<std::vector<std::string>, std::string> schema_files_under(const fs::path& directory) {
    std::vector<std::string> files;
    std::error_code error;
    fs::recursive_directory_iterator entries(directory, error);
    for (; !error && entries != fs::recursive_directory_iterator(); entries.increment(error)) {
        std::error_code type_error;
        if (entries->is_regular_file(type_error) && is_schema_file(entries->path())) {
            files.push_back(entries->path().string());
        }
    }
    if (error) {
        std::string where = entries != fs::recursive_directory_iterator() ? entries->path().string()
                                                                          : directory.string();
        return "cannot read '" + where + "': " + error.message();
    }
    if (files.empty()) {
        return "no schema files (.yaml, .yml, .json) in '" + directory.string() + "'";
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_stream(std::istream& in, std::size_t limit, bool& is_too_large) {
    std::string text;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > limit) {
            is_too_large = true;
            break;
        }
    }
    return text;
}

}  // namespace

std::variant<std::vector<std::string>, std::string> expand_inputs(
    const std::vector<std::string>& arguments) {
    std::vector<std::string> paths;
    for (const auto& argument : arguments) {
        std::error_code error;
        if (argument != "-" && !fs::exists(argument, error)) {
            return "cannot read '" + argument + "': no such file or directory";
        }
        if (argument != "-" && fs::is_directory(argument, error)) {
            auto files = schema_files_under(argument);
            if (auto* failure = std::get_if<std::string>(&files)) {
                return *failure;
            }
            auto& found = std::get<std::vector<std::string>>(files);
            paths.insert(paths.end(), found.begin(), found.end());
        } else {
            paths.push_back(argument);
        }
    }
    // A file named twice (itself and inside a folder) is validated and reported once.
    std::vector<std::string> unique_paths;
    std::set<std::string> seen;
    for (auto& path : paths) {
        std::error_code error;
        auto canonical = path == "-" ? path : fs::weakly_canonical(path, error).string();
        if (seen.insert(error ? path : canonical).second) {
            unique_paths.push_back(std::move(path));
        }
    }
    return unique_paths;
}

std::variant<InputText, std::string> read_input(const std::string& path, std::size_t limit) {
    InputText input;
    if (path == "-") {
        input.name = "<stdin>";
        input.text = read_stream(std::cin, limit, input.is_too_large);
        input.size = input.text.size();
        input.is_size_known = !input.is_too_large;
        return input;
    }
    input.name = path;
    std::error_code error;
    auto size = fs::file_size(path, error);
    if (!error && size > limit) {
        input.size = static_cast<std::size_t>(size);
        input.is_too_large = true;
        return input;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return "cannot read '" + path + "': " + std::strerror(errno);
    }
    input.text = read_stream(file, limit, input.is_too_large);
    if (file.bad()) {
        return "cannot read '" + path + "': " + std::strerror(errno);
    }
    input.size = input.text.size();
    return input;
}

}  // namespace chat::cli
