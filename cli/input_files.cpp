#include "input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace chat::cli {
namespace {

namespace fs = std::filesystem;

bool is_schema_file(const fs::path& path) {
    auto extension = path.extension().string();
    return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

std::vector<std::string> schema_files_under(const fs::path& directory) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(directory)) {
        if (entry.is_regular_file() && is_schema_file(entry.path())) {
            files.push_back(entry.path().string());
        }
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
            paths.insert(paths.end(), files.begin(), files.end());
        } else {
            paths.push_back(argument);
        }
    }
    return paths;
}

std::variant<InputText, std::string> read_input(const std::string& path, std::size_t limit) {
    InputText input;
    if (path == "-") {
        input.name = "<stdin>";
        input.text = read_stream(std::cin, limit, input.is_too_large);
        input.size = input.text.size();
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
