#pragma once
/// Users (SPEC §1): the accounts that members and surveys belong to. `user add` creates one;
/// with `update`, an existing user's given fields are changed instead (replay's `user` step).

#include <chat/clock.hpp>
#include <chat/store.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace chat::store {

struct User {
    std::int64_t id = 0;
    std::optional<std::string> email;
    std::string first_name;
    std::string last_name;
    std::optional<std::string> avatar;
    std::optional<std::string> language;
    std::vector<std::string> roles;
    nlohmann::json profile = nlohmann::json::object();
    std::string created;
    std::string updated;
};

/// The fields to set; absent ones keep their value (or their default for a new user).
struct UserFields {
    std::optional<std::int64_t> id;  // none: the next free id
    std::optional<std::string> email;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<std::string> avatar;
    std::optional<std::string> language;
    std::optional<std::vector<std::string>> roles;
    std::optional<nlohmann::json> profile;  // must be an object
};

struct UserSaveResult {
    User user;
    bool is_new = false;
};

struct UserList {
    std::vector<User> users;  // by id
    std::int64_t total = 0;   // before limit/offset
};

class UserStore {
public:
    UserStore(Database& database, Clock& clock) : m_database(database), m_clock(clock) {}

    /// Creates the user; an existing id is USER_EXISTS unless `update`, which changes the
    /// given fields. A profile that is not an object is INVALID_PROFILE.
    UserSaveResult save(const UserFields& fields, bool update);
    /// USER_NOT_FOUND (exit 3) when there is none.
    User get(std::int64_t id);
    UserList list(std::optional<std::int64_t> limit, std::int64_t offset);

private:
    Database& m_database;
    Clock& m_clock;
};

/// The user as JSON ({"id", "email", "first_name", ...}).
nlohmann::ordered_json user_json(const User& user);

}  // namespace chat::store
