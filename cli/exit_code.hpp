#pragma once

namespace chat::cli {

/// The exit codes of SPEC §13.
enum class ExitCode {
    success = 0,
    rejected = 1,   // input rejected or a check failed
    usage = 2,      // command-line usage error
    not_found = 3,  // a named thing does not exist (schema, thread, user, survey, file)
    database = 4,   // database problem
    internal = 70,  // a bug
};

}  // namespace chat::cli
