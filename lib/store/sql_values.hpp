#pragma once
// Moving values between the model and SQLite columns: NULL for absent optionals, JSON text for
// JSON values (SPEC §5).

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace chat::store {

inline void bind_flag(SQLite::Statement& statement, int index, bool value) {
    statement.bind(index, static_cast<std::int32_t>(value ? 1 : 0));
}

template <typename T>
void bind_optional(SQLite::Statement& statement, int index, const std::optional<T>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind(index);
    }
}

/// JSON text, or NULL for a null value (absent meta, options, ...).
inline void bind_json(SQLite::Statement& statement, int index, const nlohmann::json& value) {
    if (value.is_null()) {
        statement.bind(index);
    } else {
        statement.bind(index, value.dump());
    }
}

inline std::optional<std::string> optional_text(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::string>(column.getString());
}

inline std::optional<std::int64_t> optional_integer(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::int64_t>(column.getInt64());
}

inline std::optional<double> optional_real(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<double>(column.getDouble());
}

/// A JSON column; NULL reads as a null value.
inline nlohmann::json json_column(const SQLite::Column& column) {
    return column.isNull() ? nlohmann::json() : nlohmann::json::parse(column.getString());
}

}  // namespace chat::store
