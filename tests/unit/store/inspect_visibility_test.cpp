// db check under the message visibility rules of the configuration (SPEC §8, §12): unread rows
// only for messages their reader may see.

#include <chat/conversation_store.hpp>
#include <chat/user_store.hpp>

#include "store/connection.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace chat;
using namespace chat::store;

namespace {

constexpr std::int64_t k_staff = 1;
constexpr std::int64_t k_patient = 2;
constexpr std::int64_t k_admin = 3;

// Secret messages are for staff and admins. Users 1 (staff), 2 (no role) and 3 (admin) are
// members of thread "t", where user 1 sent a secret message and user 2 a plain one.
struct Fixture {
    Database database{OpenOptions{":memory:", Access::create, std::chrono::milliseconds(1000)}};
    FixedClock clock{*parse_time("2026-11-25T10:00:00Z")};
    Config config;
    ConversationStore conversations{database, clock, config};
    ThreadReference thread{std::nullopt, "t"};
    std::int64_t secret = 0;
    std::int64_t plain = 0;

    Fixture() {
        MessageVisibilityRule rule;
        rule.types = {"secret"};
        rule.visible_to_roles = {"staff", "admin"};
        config.message_visibility = {rule};
        UserStore users(database, clock);
        const std::pair<std::int64_t, std::vector<std::string>> people[] = {
            {k_staff, {"staff"}}, {k_patient, {}}, {k_admin, {"reviewer", "admin"}}};
        for (const auto& [id, roles] : people) {
            UserFields fields;
            fields.id = id;
            fields.roles = roles;
            users.save(fields, false);
        }
        conversations.create_thread(Actor{}, {"t", std::nullopt, ""});
        for (std::int64_t id : {k_staff, k_patient, k_admin}) {
            conversations.add_member(Actor{}, thread, {id, {}, {}});
        }
        NewMessage message;
        message.text = "for staff";
        message.type = "secret";
        secret = conversations.send(k_staff, thread, message).messages.front().id;
        message.text = "hello";
        message.type.reset();
        plain = conversations.send(k_patient, thread, message).messages.front().id;
    }

    void exec(const std::string& statement) { sql_of(database).exec(statement); }

    // The examples of every failed check, as "name: example".
    std::vector<std::string> failures(const Config& with) {
        std::vector<std::string> found;
        for (const auto& result : check_database(database, with)) {
            CHECK(result.violations == static_cast<std::int64_t>(result.examples.size()));
            for (const auto& example : result.examples) {
                found.push_back(result.name + ": " + example);
            }
        }
        return found;
    }
};

}  // namespace

TEST_CASE("check_database: unread rows keep the message visibility rules") {
    Fixture f;
    REQUIRE(f.secret == 1);
    // The admin's row for the secret message, and the staff's and the admin's for the plain one.
    REQUIRE(sql_of(f.database).execAndGet("SELECT count(*) FROM unread_messages").getInt64() == 3);
    CHECK(f.failures(f.config).empty());
    CHECK(f.failures(Config{}).empty());

    SUBCASE("an unread row for a message the reader may not see") {
        f.exec("INSERT INTO unread_messages (user_id, message_id, thread_id) VALUES (2, " +
               std::to_string(f.secret) + ", 1)");
        CHECK(f.failures(f.config) ==
              std::vector<std::string>{"unread-rows-for-visible-messages: unread row of user 2 "
                                       "for message 1 of type 'secret' that the user may not see"});
        // Without rules every member may see every message.
        CHECK(f.failures(Config{}).empty());
    }
    SUBCASE("a reader who lost the role keeps an unread row") {
        f.exec("UPDATE users SET roles = '[\"reviewer\"]' WHERE id = 3");
        CHECK(f.failures(f.config) ==
              std::vector<std::string>{"unread-rows-for-visible-messages: unread row of user 3 "
                                       "for message 1 of type 'secret' that the user may not see"});
    }
    SUBCASE("an unread row for a visible message is not a violation") {
        f.exec("INSERT INTO unread_messages (user_id, message_id, thread_id) VALUES (1, " +
               std::to_string(f.secret) + ", 1)");
        f.exec("INSERT INTO unread_messages (user_id, message_id, thread_id) VALUES (2, " +
               std::to_string(f.plain) + ", 1)");
        CHECK(f.failures(f.config).empty());
    }
    SUBCASE("the other reasons come before visibility") {
        f.exec("INSERT INTO unread_messages (user_id, message_id, thread_id) VALUES (2, " +
               std::to_string(f.secret) + ", 1)");
        f.exec("UPDATE messages SET deleted = 1 WHERE id = " + std::to_string(f.secret));
        CHECK(f.failures(f.config) ==
              std::vector<std::string>{
                  "unread-rows-for-visible-messages: unread row of user 2 for message 1 that "
                  "is deleted",
                  "unread-rows-for-visible-messages: unread row of user 3 for message 1 that "
                  "is deleted"});
    }
}
