// The lazily built parts of the context: configuration, clock and database.

#include "context.hpp"
#include "input_files.hpp"

#include <chat/diagnostic_render.hpp>
#include <chat/schema.hpp>

#include <filesystem>

namespace chat::cli {
namespace {

constexpr const char* k_default_config_file = "chatctl.yaml";

Config read_config_file(Context& context, const std::string& path) {
    if (std::error_code error; !std::filesystem::exists(path, error) && !error) {
        throw ReportedFailure{report_error(
            context, ExitCode::not_found, "FILE_NOT_FOUND",
            "cannot read configuration file '" + path + "': no such file or directory")};
    }
    auto input = read_input(path, schema::k_max_file_bytes);
    if (auto* failure = std::get_if<std::string>(&input)) {
        throw ReportedFailure{report_error(context, ExitCode::not_found, "FILE_NOT_FOUND",
                                           "configuration: " + *failure)};
    }
    auto& text = std::get<InputText>(input);
    if (text.is_too_large) {
        throw ReportedFailure{report_error(context, ExitCode::rejected, "CONFIG_INVALID",
                                           "configuration file '" + path + "' is too large")};
    }
    SourceText source(std::move(text.text));
    CollectingSink sink;
    auto config = load_config(source, path, sink);
    std::vector<FileDiagnostics> reports{{path, sink.take()}};
    if (config) {
        return *config;
    }
    if (!context.wants_json()) {
        SourceLookup lookup = [&](const std::string&) { return &source; };
        render_text(context.err, reports, lookup, context.use_color);
    }
    throw ReportedFailure{report_error(context, ExitCode::rejected, "CONFIG_INVALID",
                                       "invalid configuration file '" + path + "'",
                                       render_json(reports)["files"][0]["diagnostics"])};
}

}  // namespace

std::string Context::describe_config_source() const {
    if (options.config_path) {
        return "'" + *options.config_path + "'";
    }
    std::error_code error;
    return std::filesystem::exists(k_default_config_file, error)
               ? std::string("'") + k_default_config_file + "'"
               : "defaults (no chatctl.yaml)";
}

const Config& Context::config() {
    if (!m_config) {
        if (options.config_path) {
            m_config = read_config_file(*this, *options.config_path);
        } else if (std::error_code error; std::filesystem::exists(k_default_config_file, error)) {
            m_config = read_config_file(*this, k_default_config_file);
        } else {
            m_config = Config{};
        }
        if (options.is_verbose) {
            err << "chatctl: configuration "
                << (options.config_path ? "'" + *options.config_path + "'"
                    : m_config && std::filesystem::exists(k_default_config_file)
                        ? std::string("'chatctl.yaml'")
                        : std::string("defaults (no chatctl.yaml)"))
                << '\n';
        }
    }
    return *m_config;
}

Clock& Context::clock() {
    if (!m_clock) {
        if (options.now) {
            m_clock = std::make_unique<FixedClock>(*options.now);
        } else {
            m_clock = std::make_unique<SystemClock>();
        }
    }
    return *m_clock;
}

store::Database& Context::database(store::Access access) {
    if (!m_database) {
        m_database.emplace(store::OpenOptions{options.database_path, access, options.busy_timeout});
        if (options.is_verbose) {
            err << "chatctl: database '" << m_database->path() << "' (layout "
                << m_database->opened_layout_version() << ")\n";
        }
    }
    return *m_database;
}

ExitCode exit_code_of(const Error& error) {
    switch (error.kind()) {
        case ErrorKind::rejected:
            return ExitCode::rejected;
        case ErrorKind::not_found:
            return ExitCode::not_found;
        case ErrorKind::database:
            return ExitCode::database;
    }
    return ExitCode::internal;
}

}  // namespace chat::cli
