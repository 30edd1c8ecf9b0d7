#pragma once
// Writing a result file so that readers see the old content or the new one, never half of it.

#include <optional>
#include <string>

namespace chat::cli {

/// Writes `text` to `path` through a new file in the same folder that is flushed to disk and
/// renamed over the target. A symbolic link is followed (the file it points at is replaced);
/// an existing target keeps its permission bits, a new one gets 0666 less the umask. Returns
/// why it failed, or nullopt.
std::optional<std::string> write_file_atomically(const std::string& path, const std::string& text);

/// Why write_file_atomically(path, ...) would fail for lack of a writable folder, or nullopt:
/// a command checks its output file before it does its work.
std::optional<std::string> probe_writable(const std::string& path);

/// Whether `path` names the database file `database_path` or one of its -wal, -shm and
/// -journal files (which a write would destroy).
bool is_database_file(const std::string& path, const std::string& database_path);

}  // namespace chat::cli
