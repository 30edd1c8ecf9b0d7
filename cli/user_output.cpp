#include "user_output.hpp"

namespace chat::cli {

std::string display_name(const store::User& user) {
    std::string name = user.first_name;
    if (!user.last_name.empty()) {
        name += (name.empty() ? "" : " ") + user.last_name;
    }
    return name.empty() ? "user " + std::to_string(user.id) : name;
}

void print_user_text(Context& context, const store::User& user) {
    auto& out = context.out;
    std::string roles;
    for (const auto& role : user.roles) {
        roles += (roles.empty() ? "" : ", ") + role;
    }
    out << "user " << user.id << ": " << display_name(user) << '\n';
    out << "email: " << user.email.value_or("-") << '\n';
    out << "language: " << user.language.value_or("-") << '\n';
    out << "avatar: " << user.avatar.value_or("-") << '\n';
    out << "roles: " << (roles.empty() ? "-" : roles) << '\n';
    out << "profile: " << user.profile.dump() << '\n';
    out << "created: " << user.created << "  updated: " << user.updated << '\n';
}

store::UserStore user_store(Context& context, store::Access access) {
    return store::UserStore(context.database(access), context.clock());
}

}  // namespace chat::cli
