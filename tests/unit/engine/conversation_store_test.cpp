// The conversation store on an in-memory database: states, the scripted flow along the
// onboarding example, unread rows, last messages, the outbox, and refusals that change nothing.

#include <chat/conversation_store.hpp>
#include <chat/schema.hpp>
#include <chat/schema_store.hpp>
#include <chat/user_store.hpp>

#include "store/connection.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

using namespace chat;
using namespace chat::store;
using engine::MemberState;

namespace {

Schema example(const std::string& name) {
    auto path = std::filesystem::path(__FILE__).parent_path() / "../../../schemas-examples" /
                (name + ".yaml");
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    SourceText source(text.str());
    CollectingSink sink;
    auto schema =
        schema::validate_schema(source, name + ".yaml", schema::FileFormat::yaml, Config{}, sink);
    REQUIRE(schema);
    return *schema;
}

struct Fixture {
    Database database{OpenOptions{":memory:", Access::create, std::chrono::milliseconds(1000)}};
    FixedClock clock{*parse_time("2026-11-25T10:00:00Z")};
    Config config;
    ConversationStore conversations{database, clock, config};

    Fixture() {
        SchemaStore(database, clock)
            .import_schemas({{"onboarding.yaml", example("onboarding")}}, {.publish = true});
        UserStore users(database, clock);
        for (std::int64_t id : {1, 2, 3}) {
            UserFields fields;
            fields.id = id;
            fields.first_name = "User" + std::to_string(id);
            users.save(fields, false);
        }
    }

    std::string dump() {
        std::string text;
        auto& sql = sql_of(database);
        for (const char* table :
             {"threads", "members", "messages", "message_answers", "unread_messages", "outbox"}) {
            SQLite::Statement select(sql, std::string("SELECT * FROM ") + table);
            while (select.executeStep()) {
                for (int i = 0; i < select.getColumnCount(); ++i) {
                    text += select.getColumn(i).getString() + "|";
                }
                text += "\n";
            }
        }
        return text;
    }

    std::string code_of(const std::function<void()>& action) {
        try {
            action();
        } catch (const Error& error) {
            return error.code();
        }
        return "none";
    }
};

}  // namespace

TEST_CASE("conversations: the creator is a member with creator permissions") {
    Fixture f;
    Thread thread = f.conversations.create_thread(Actor{1}, {"t1", std::nullopt, "Hello"});
    CHECK(thread.key == "t1");
    CHECK(thread.type == "chat");
    auto members = f.conversations.members({std::nullopt, "t1"});
    REQUIRE(members.size() == 1);
    CHECK(members[0].permissions == 507);
    CHECK(members[0].state == MemberState::open);
}

TEST_CASE("conversations: adding members checks permissions and duplicates") {
    Fixture f;
    f.conversations.create_thread(Actor{1}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{1}, t1, {2, std::nullopt, std::nullopt});
    std::string before = f.dump();
    CHECK(f.code_of([&] {
        f.conversations.add_member(Actor{1}, t1, {2, {}, {}});
    }) == "ALREADY_MEMBER");
    CHECK(f.code_of([&] {
        f.conversations.add_member(Actor{2}, t1, {3, {}, {}});
    }) == "NO_PERMISSIONS");
    CHECK(f.code_of([&] {
        f.conversations.add_member(Actor{1}, t1, {3, 4096, {}});
    }) == "PERMISSIONS_TOO_HIGH");
    CHECK(f.code_of([&] {
        f.conversations.add_member(Actor{1}, t1, {9, {}, {}});
    }) == "USER_NOT_FOUND");
    CHECK(f.dump() == before);
}

TEST_CASE("conversations: a scripted member walks the onboarding flow") {
    Fixture f;
    f.conversations.create_thread(Actor{}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{}, t1, {1, {}, {}});
    f.conversations.add_member(Actor{}, t1, {2, 19 | 512, {}});
    MemberSettings settings;
    settings.state = MemberState::scripted;
    settings.schema = *SchemaReference::parse("onboarding");
    settings.on_finish = engine::OnFinish::close;
    settings.automated_sender = 2;
    MemberView member = f.conversations.set_member(Actor{2}, t1, 1, settings);
    CHECK(member.state == MemberState::scripted);
    CHECK(member.question == 2);  // the welcome message moved on by itself
    REQUIRE(member.last_message);
    CHECK(member.last_message->text == "What brings you to Steady?");
    CHECK(member.last_message->sender == 2);
    CHECK(member.last_message->predecessor_qid == 1);
    CHECK(member.unread == 2);

    NewMessage wrong;
    wrong.text = "soon";
    CHECK(f.code_of([&] { f.conversations.send(1, t1, wrong); }) == "INVALID_ANSWER");

    NewMessage answer;
    answer.answers = {"I want to get fitter"};
    SendResult sent = f.conversations.send(1, t1, answer);
    CHECK(sent.sender.question == 3);
    CHECK(sent.sender.variables == nlohmann::json{{"goal", 2}});
    answer.answers = {"1"};  // by position: Once a week
    sent = f.conversations.send(1, t1, answer);
    CHECK(sent.sender.question == 20);
    NewMessage days;
    days.text = "4";
    sent = f.conversations.send(1, t1, days);
    CHECK(sent.sender.state == MemberState::closed);
    CHECK(!sent.sender.schema);
    CHECK(sent.messages.back().text == "Great, I'll check in with you once a week. Talk soon!");
    CHECK(f.conversations.outbox({"ws", 0, std::nullopt}).size() > 0);
    CHECK(f.code_of([&] { f.conversations.send(1, t1, days); }) == "THREAD_IS_CLOSED");
    for (const auto& check : check_database(f.database, f.config)) {
        CAPTURE(check.name);
        CHECK(check.passed());
    }
}

TEST_CASE("conversations: one scripted member per thread, on every path") {
    Fixture f;
    f.conversations.create_thread(Actor{}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{}, t1, {1, {}, {}});
    f.conversations.add_member(Actor{}, t1, {2, {}, {}});
    MemberSettings settings;
    settings.state = MemberState::scripted;
    settings.schema = *SchemaReference::parse("onboarding");
    f.conversations.set_member(Actor{}, t1, 1, settings);
    std::string before = f.dump();
    CHECK(f.code_of([&] { f.conversations.set_member(Actor{}, t1, 2, settings); }) ==
          "ONE_SCRIPTED_MEMBER");
    settings.state = MemberState::open;
    CHECK(f.code_of([&] { f.conversations.set_member(Actor{}, t1, 2, settings); }) ==
          "WRONG_STATE_FOR_SCHEMA");
    MemberSettings no_schema;
    no_schema.state = MemberState::scripted_fe_controlled;
    CHECK(f.code_of([&] { f.conversations.set_member(Actor{}, t1, 2, no_schema); }) ==
          "SCHEMA_REQUIRED");
    CHECK(f.dump() == before);
}

TEST_CASE("conversations: break_state opens every scripted member; read clears unread rows") {
    Fixture f;
    f.conversations.create_thread(Actor{}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{}, t1, {1, {}, {}});
    f.conversations.add_member(Actor{}, t1, {2, 19 | 1024, {}});
    MemberSettings settings;
    settings.state = MemberState::scripted;
    settings.schema = *SchemaReference::parse("onboarding");
    f.conversations.set_member(Actor{}, t1, 1, settings);
    NewMessage hello;
    hello.text = "hello";
    hello.break_state = true;
    CHECK(f.code_of([&] { f.conversations.send(1, t1, hello); }) == "NO_PERMISSIONS");
    f.conversations.send(2, t1, hello);
    CHECK(f.conversations.member(t1, 1).state == MemberState::open);
    CHECK(f.conversations.member(t1, 1).unread == 3);
    CHECK(f.conversations.read({1, t1, ReadScope::thread, 0}) == 3);
    CHECK(f.conversations.member(t1, 1).unread == 0);
    CHECK(f.conversations.read({1, t1, ReadScope::thread, 0}) == 0);
}

TEST_CASE("conversations: rollback deletes later messages and recomputes the pool") {
    Fixture f;
    f.conversations.create_thread(Actor{}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{}, t1, {1, {}, {}});
    MemberSettings settings;
    settings.state = MemberState::scripted;
    settings.schema = *SchemaReference::parse("onboarding");
    f.conversations.set_member(Actor{}, t1, 1, settings);
    NewMessage answer;
    answer.answers = {"I want to get fitter"};
    f.conversations.send(1, t1, answer);
    CHECK(f.conversations.member(t1, 1).variables == nlohmann::json{{"goal", 2}});
    MemberView back = f.conversations.rollback(Actor{}, t1, 1, std::nullopt);
    CHECK(back.question == 2);
    CHECK(back.variables == nlohmann::json::object());
    CHECK(f.code_of([&] { f.conversations.rollback(Actor{}, t1, 1, std::nullopt); }) ==
          "AT_THE_BEGINNING");
    for (const auto& check : check_database(f.database, f.config)) {
        CAPTURE(check.name);
        CHECK(check.passed());
    }
    // A pool edited behind the engine's back is found.
    sql_of(f.database).exec("UPDATE members SET variables = '{\"goal\": 9}'");
    auto checks = check_database(f.database, f.config);
    auto broken = std::find_if(checks.begin(), checks.end(),
                               [](const auto& check) { return check.name == "member-variables"; });
    REQUIRE(broken != checks.end());
    CHECK(broken->violations == 1);
}

TEST_CASE("conversations: rows kept between actions never outlive what made them true") {
    namespace fs = std::filesystem;
    auto path = (fs::temp_directory_path() / "chatctl-row-cache-test.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(path + suffix);
    }
    Database database{OpenOptions{path, Access::create, std::chrono::milliseconds(1000)}};
    FixedClock clock{*parse_time("2026-11-25T10:00:00Z")};
    Config config;
    UserStore users(database, clock);
    for (std::int64_t id : {1, 2, 3}) {
        UserFields fields;
        fields.id = id;
        fields.first_name = "User" + std::to_string(id);
        users.save(fields, false);
    }
    ConversationStore conversations(database, clock, config);
    conversations.create_thread(Actor{1}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    conversations.add_member(Actor{1}, t1, {2, std::nullopt, std::nullopt});
    NewMessage kept;
    kept.text = "kept";
    conversations.send(1, t1, kept);

    SUBCASE("an enclosing transaction rolled back") {
        {
            WriteTransaction outer(database);
            NewMessage gone;
            gone.text = "gone";
            conversations.send(1, t1, gone);
            MemberSettings closing;
            closing.state = MemberState::closed;
            conversations.set_member(Actor{}, t1, 2, closing);
            CHECK(conversations.member(t1, 2).last_message->text == "gone");
        }
        MemberView member = conversations.member(t1, 2);
        CHECK(member.state == MemberState::open);
        REQUIRE(member.last_message);
        CHECK(member.last_message->text == "kept");
        CHECK(member.unread == 1);
    }
    SUBCASE("members added and removed while a thread's members are kept") {
        // Inside one transaction nothing is dropped: the kept member set must follow.
        WriteTransaction outer(database);
        conversations.send(1, t1, kept);
        conversations.add_member(Actor{1}, t1, {3, std::nullopt, std::nullopt});
        conversations.remove_member(Actor{1}, t1, 2);
        conversations.send(1, t1, kept);
        SQLite::Statement unread(sql_of(database),
                                 "SELECT user_id, count(*) FROM unread_messages GROUP BY user_id");
        std::vector<std::string> counts;
        while (unread.executeStep()) {
            counts.push_back(unread.getColumn(0).getString() + ":" +
                             unread.getColumn(1).getString());
        }
        CHECK(counts == std::vector<std::string>{"3:1"});
    }
    SUBCASE("another store on the same connection, inside one transaction") {
        WriteTransaction outer(database);
        CHECK(conversations.member(t1, 2).state == MemberState::open);
        ConversationStore others(database, clock, config);
        MemberSettings closing;
        closing.state = MemberState::closed;
        others.set_member(Actor{}, t1, 2, closing);
        CHECK(conversations.member(t1, 2).state == MemberState::closed);
    }
    SUBCASE("another connection's commit") {
        CHECK(conversations.member(t1, 2).state == MemberState::open);
        Database other{OpenOptions{path, Access::write, std::chrono::milliseconds(1000)}};
        ConversationStore others(other, clock, config);
        MemberSettings closing;
        closing.state = MemberState::closed;
        others.set_member(Actor{}, t1, 2, closing);
        NewMessage later;
        later.text = "later";
        others.send(1, t1, later);
        MemberView member = conversations.member(t1, 2);
        CHECK(member.state == MemberState::closed);
        REQUIRE(member.last_message);
        CHECK(member.last_message->text == "later");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(path + suffix);
    }
}

TEST_CASE("conversations: a text that is not UTF-8 is refused, not stored") {
    Fixture f;
    f.conversations.create_thread(Actor{1}, {"t1", std::nullopt, ""});
    ThreadReference t1{std::nullopt, "t1"};
    f.conversations.add_member(Actor{1}, t1, {2, std::nullopt, std::nullopt});
    NewMessage message;
    message.text = "caf\xc3\xa9";
    auto sent = f.conversations.send(1, t1, message);
    std::string before = f.dump();
    message.text = "bad \xff";
    try {
        f.conversations.send(1, t1, message);
        FAIL("no error");
    } catch (const Error& error) {
        CHECK(error.code() == "INVALID_ANSWER");
        CHECK(error.details().dump() == R"({"text":["WRONG_VALUE"]})");
    }
    CHECK(f.code_of([&] { f.conversations.edit(Actor{1}, sent.messages[0].id, "\xc3"); }) ==
          "INVALID_ANSWER");
    CHECK(f.dump() == before);
}
