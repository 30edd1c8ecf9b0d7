#include <chat/user_store.hpp>

#include "store/connection.hpp"
#include "store/sql_values.hpp"
#include "store/statement_cache.hpp"
#include "store/user_rows.hpp"

#include <limits>

namespace chat::store {
namespace {

constexpr const char* k_user_columns =
    "id, email, first_name, last_name, avatar, language, roles, profile, created, updated";

User read_user(SQLite::Statement& row) {
    User user;
    user.id = row.getColumn(0).getInt64();
    user.email = optional_text(row.getColumn(1));
    user.first_name = row.getColumn(2).getString();
    user.last_name = row.getColumn(3).getString();
    user.avatar = optional_text(row.getColumn(4));
    user.language = optional_text(row.getColumn(5));
    user.roles = json_column(row.getColumn(6)).get<std::vector<std::string>>();
    user.profile = json_column(row.getColumn(7));
    user.created = row.getColumn(8).getString();
    user.updated = row.getColumn(9).getString();
    return user;
}

template <typename T>
void take(std::optional<T>& target, const std::optional<T>& value) {
    if (value) {
        target = value;
    }
}

template <typename T>
void take(T& target, const std::optional<T>& value) {
    if (value) {
        target = *value;
    }
}

void apply(User& user, const UserFields& fields) {
    take(user.email, fields.email);
    take(user.first_name, fields.first_name);
    take(user.last_name, fields.last_name);
    take(user.avatar, fields.avatar);
    take(user.language, fields.language);
    take(user.roles, fields.roles);
    take(user.profile, fields.profile);
}

std::int64_t next_free_id(StatementCache& statements) {
    auto& select = statements("SELECT coalesce(max(id), 0) FROM users");
    select.executeStep();
    std::int64_t highest = select.getColumn(0).getInt64();
    if (highest == std::numeric_limits<std::int64_t>::max()) {
        throw Error(ErrorKind::rejected, "ID_LIMIT",
                    "user " + std::to_string(highest) +
                        " has the highest id there can be; give the new user an id (--id)");
    }
    return highest + 1;
}

void write_user(StatementCache& statements, const User& user) {
    auto& upsert = statements(
        "INSERT INTO users (id, email, first_name, last_name, avatar, language, roles, profile, "
        "created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "ON CONFLICT (id) DO UPDATE SET email = ?2, first_name = ?3, last_name = ?4, "
        "avatar = ?5, language = ?6, roles = ?7, profile = ?8, updated = ?10");
    upsert.bind(1, user.id);
    bind_optional(upsert, 2, user.email);
    upsert.bind(3, user.first_name);
    upsert.bind(4, user.last_name);
    bind_optional(upsert, 5, user.avatar);
    bind_optional(upsert, 6, user.language);
    upsert.bind(7, nlohmann::json(user.roles).dump());
    upsert.bind(8, user.profile.dump());
    upsert.bind(9, user.created);
    upsert.bind(10, user.updated);
    upsert.exec();
}

}  // namespace

std::optional<User> find_user(StatementCache& statements, std::int64_t id) {
    auto& select =
        statements(std::string("SELECT ") + k_user_columns + " FROM users WHERE id = ?1");
    select.bind(1, id);
    if (!select.executeStep()) {
        return std::nullopt;
    }
    return read_user(select);
}

User require_user(StatementCache& statements, std::int64_t id) {
    if (auto user = find_user(statements, id)) {
        return *user;
    }
    throw Error(ErrorKind::not_found, "USER_NOT_FOUND", "no user with id " + std::to_string(id));
}

UserSaveResult UserStore::save(const UserFields& fields, bool update) {
    if (fields.profile && !fields.profile->is_object()) {
        throw Error(ErrorKind::rejected, "INVALID_PROFILE",
                    "a user's profile must be a JSON object, not " +
                        std::string(fields.profile->type_name()));
    }
    if (fields.id && *fields.id <= 0) {
        throw Error(ErrorKind::rejected, "INVALID_ID",
                    "user ids are positive integers, not " + std::to_string(*fields.id));
    }
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        ++m_database.connection().row_changes;  // cached roles and languages
        StatementCache statements(sql_of(m_database));
        std::string now = format_time(m_clock.now());
        UserSaveResult result;
        auto existing = fields.id ? find_user(statements, *fields.id) : std::nullopt;
        if (existing && !update) {
            throw Error(ErrorKind::rejected, "USER_EXISTS",
                        "user " + std::to_string(*fields.id) +
                            " already exists (use --update to change it)");
        }
        result.is_new = !existing;
        if (existing) {
            result.user = *existing;
        } else {
            result.user.id = fields.id ? *fields.id : next_free_id(statements);
            result.user.created = now;
        }
        apply(result.user, fields);
        result.user.updated = now;
        write_user(statements, result.user);
        transaction.commit();
        return result;
    });
}

User UserStore::get(std::int64_t id) {
    return translating_sqlite_errors(m_database, [&] {
        StatementCache statements(sql_of(m_database));
        return require_user(statements, id);
    });
}

UserList UserStore::list(std::optional<std::int64_t> limit, std::int64_t offset) {
    return translating_sqlite_errors(m_database, [&] {
        ReadSnapshot snapshot(sql_of(m_database));
        StatementCache statements(sql_of(m_database));
        UserList list;
        auto& count = statements("SELECT count(*) FROM users");
        count.executeStep();
        list.total = count.getColumn(0).getInt64();
        auto& select = statements(std::string("SELECT ") + k_user_columns +
                                  " FROM users ORDER BY id LIMIT ?1 OFFSET ?2");
        select.bind(1, limit.value_or(-1));
        select.bind(2, offset);
        while (select.executeStep()) {
            list.users.push_back(read_user(select));
        }
        return list;
    });
}

nlohmann::ordered_json user_json(const User& user) {
    nlohmann::ordered_json json;
    json["id"] = user.id;
    json["email"] = user.email ? nlohmann::ordered_json(*user.email) : nullptr;
    json["first_name"] = user.first_name;
    json["last_name"] = user.last_name;
    json["avatar"] = user.avatar ? nlohmann::ordered_json(*user.avatar) : nullptr;
    json["language"] = user.language ? nlohmann::ordered_json(*user.language) : nullptr;
    json["roles"] = user.roles;
    json["profile"] = nlohmann::ordered_json(user.profile);
    json["created"] = user.created;
    json["updated"] = user.updated;
    return json;
}

}  // namespace chat::store
