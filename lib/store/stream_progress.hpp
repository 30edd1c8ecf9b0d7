#pragma once
// The stream_progress table (layout 2): the last line of each replay stream that a committed
// batch covers, so that `replay --stream --resume` continues exactly after it, whatever stopped
// the stream (a failing line, a database problem, kill -9).

#include <chat/store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chat::store {

/// The progress row of one stream, named by its key (a canonical path, "-" for standard
/// input). Prepares its statements once; `database` must outlive it.
class StreamProgressRow {
public:
    StreamProgressRow(Database& database, std::string stream);

    /// The last line recorded as committed for the stream, or none. Throws SQLite::Exception.
    std::optional<std::int64_t> committed_line();

    /// Records `line` as the stream's committed line, updated at `now`. Call it inside the
    /// batch's transaction, just before its commit, so that the row and the batch are stored
    /// together or not at all. Throws SQLite::Exception.
    void record(std::int64_t line, const std::string& now);

private:
    std::string m_stream;
    SQLite::Statement m_select;
    SQLite::Statement m_replace;
};

}  // namespace chat::store
