#pragma once
// What the user commands share: printing a user.

#include "context.hpp"

#include <chat/user_store.hpp>

namespace chat::cli {

/// "Ann Smith", or "user 3" for a user without a name.
std::string display_name(const store::User& user);

/// The user's fields, one per line.
void print_user_text(Context& context, const store::User& user);

store::UserStore user_store(Context& context, store::Access access);

}  // namespace chat::cli
