#include "store/stream_progress.hpp"

#include "store/connection.hpp"

#include <utility>

namespace chat::store {

StreamProgressRow::StreamProgressRow(Database& database, std::string stream)
    : m_stream(std::move(stream)),
      m_select(sql_of(database), "SELECT committed_line FROM stream_progress WHERE stream = ?1"),
      m_replace(sql_of(database),
                "INSERT OR REPLACE INTO stream_progress (stream, committed_line, updated) "
                "VALUES (?1, ?2, ?3)") {}

std::optional<std::int64_t> StreamProgressRow::committed_line() {
    m_select.bind(1, m_stream);
    std::optional<std::int64_t> line;
    if (m_select.executeStep()) {
        line = m_select.getColumn(0).getInt64();
    }
    m_select.reset();
    return line;
}

void StreamProgressRow::record(std::int64_t line, const std::string& now) {
    m_replace.bind(1, m_stream);
    m_replace.bind(2, line);
    m_replace.bind(3, now);
    m_replace.exec();
    m_replace.reset();
}

}  // namespace chat::store
