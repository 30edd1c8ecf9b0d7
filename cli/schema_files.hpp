#pragma once
// Reading and checking the schema files named on the command line, shared by `schema validate`
// and `schema import`.

#include "context.hpp"

#include <chat/diagnostic_render.hpp>
#include <chat/model.hpp>
#include <chat/source_text.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chat::cli {

struct CheckedFiles {
    std::vector<FileDiagnostics> reports;        // one per file, in command-line order
    std::vector<std::optional<Schema>> schemas;  // beside reports: the schema when error-free
    std::map<std::string, SourceText> sources;   // for carets under diagnostics

    bool has_errors() const { return count_diagnostics(reports).errors > 0; }
};

/// Expands folders, reads and checks every file with the configuration's rules. With `is_strict`
/// warnings count as errors. A path that cannot be read is reported and thrown as
/// ReportedFailure (exit 3; exit 2 for `-` given twice).
CheckedFiles check_schema_files(Context& context, const std::vector<std::string>& inputs,
                                bool is_strict);

/// The diagnostics as text on stderr, and unless --quiet the "N errors and M warnings" line.
void print_diagnostics(Context& context, const CheckedFiles& files);

}  // namespace chat::cli
