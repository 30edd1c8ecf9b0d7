#pragma once
// Reading users rows, for the stores whose rows belong to a user.

#include <chat/user_store.hpp>

#include "store/statement_cache.hpp"

#include <cstdint>
#include <optional>

namespace chat::store {

std::optional<User> find_user(StatementCache& statements, std::int64_t id);

/// The user, or USER_NOT_FOUND (exit 3).
User require_user(StatementCache& statements, std::int64_t id);

}  // namespace chat::store
