// The conversation rules of SPEC §7-§9 through the store's public API: member state transitions,
// every error code of sending, moving along a schema, editing, deleting, rolling back, assisted
// mode, unread rows, last messages and outbox events. Expected values come from the spec (and,
// where it names no code, from man/chatctl-conversation.1). Every refused action must leave the
// database byte-identical, and the database must pass `db check` at the end of each case.

#include <chat/conversation_store.hpp>
#include <chat/diagnostics.hpp>
#include <chat/schema.hpp>
#include <chat/schema_store.hpp>
#include <chat/user_store.hpp>

#include "store/connection.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace chat;
using namespace chat::store;
using engine::MemberState;
using engine::OnFinish;
namespace bit = engine::permission;

constexpr std::int64_t k_patient = 1;    // the member the scripts run for
constexpr std::int64_t k_clinician = 2;  // automated sender of the scripts; role staff
constexpr std::int64_t k_third = 3;      // another member
constexpr std::int64_t k_watcher = 4;    // role staff, subscribes without being a member
constexpr std::int64_t k_outsider = 5;   // never a member
constexpr std::int64_t k_polish = 6;     // language pl

constexpr std::int64_t k_member = 19;         // messages_read | messages_create | thread_read
constexpr std::int64_t k_unread_ws = 3;       // notifications: unread | ws
constexpr std::int64_t k_every_channel = 31;  // unread | ws | push | email | sms
constexpr const char* k_success = "none";

Schema load_example(const std::string& file_name) {
    auto path =
        std::filesystem::path(__FILE__).parent_path() / "../../../schemas-examples" / file_name;
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    SourceText source(text.str());
    CollectingSink sink;
    auto format = schema::detect_format(file_name, text.str());
    auto loaded = schema::validate_schema(source, file_name, format, Config{}, sink);
    REQUIRE(loaded);
    return *loaded;
}

Schema schema_from_text(const std::string& yaml) {
    SourceText source(yaml);
    CollectingSink sink;
    auto loaded =
        schema::validate_schema(source, "inline.yaml", schema::FileFormat::yaml, Config{}, sink);
    std::string findings;
    for (const auto& diagnostic : sink.diagnostics()) {
        findings += diagnostic.code + ": " + diagnostic.message + "\n";
    }
    CAPTURE(findings);
    REQUIRE(loaded);
    return *loaded;
}

MemberSettings running(MemberState state, const char* schema,
                       std::optional<OnFinish> on_finish = std::nullopt) {
    MemberSettings settings;
    settings.state = state;
    settings.schema = *SchemaReference::parse(schema);
    settings.automated_sender = k_clinician;
    settings.on_finish = on_finish;
    return settings;
}

MemberSettings in_state(MemberState state) {
    MemberSettings settings;
    settings.state = state;
    return settings;
}

MemberSettings at_question(std::int64_t qid) {
    MemberSettings settings;
    settings.question = qid;
    return settings;
}

NewMessage said(std::string text) {
    NewMessage message;
    message.text = std::move(text);
    return message;
}

NewMessage chose(std::vector<std::string> answers, std::optional<std::string> text = {}) {
    NewMessage message;
    message.answers = std::move(answers);
    message.text = std::move(text);
    return message;
}

struct Refusal {
    std::string code;
    nlohmann::json details;
};

// A question a move posted: its qid and the question before it (`check_predecessor` false
// where the spec leaves the predecessor open).
struct Post {
    std::int64_t qid = 0;
    std::optional<std::int64_t> predecessor;
    bool check_predecessor = true;
};

std::vector<StoredMessage> posts_of(const std::vector<StoredMessage>& messages) {
    std::vector<StoredMessage> posts;
    std::copy_if(messages.begin(), messages.end(), std::back_inserter(posts),
                 [](const StoredMessage& message) { return message.addressee.has_value(); });
    return posts;
}

void check_posts(const std::vector<StoredMessage>& posts, const std::vector<Post>& expected) {
    REQUIRE(posts.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(posts[i].related_qid == expected[i].qid);
        if (expected[i].check_predecessor) {
            CHECK(posts[i].predecessor_qid == expected[i].predecessor);
        }
        CHECK(posts[i].sender == k_clinician);
        CHECK(posts[i].addressee == k_patient);
    }
}

std::vector<std::int64_t> recipients(const std::vector<OutboxEvent>& events) {
    std::vector<std::int64_t> users;
    for (const auto& event : events) {
        users.push_back(event.user_id.value_or(-1));
    }
    std::sort(users.begin(), users.end());
    return users;
}

// One in-memory database with the onboarding and all-question-types examples published,
// users 1-6 and an empty thread with key "t".
struct Conversations {
    Database database{OpenOptions{":memory:", Access::create, std::chrono::milliseconds(1000)}};
    FixedClock clock{*parse_time("2026-11-25T10:00:00Z")};
    Config config;
    ConversationStore store{database, clock, config};
    ThreadReference thread{std::nullopt, "t"};

    Conversations() {
        config.ws_subscribe_roles = {"staff"};
        SchemaStore(database, clock)
            .import_schemas({{"onboarding.yaml", load_example("onboarding.yaml")},
                             {"all-question-types.json", load_example("all-question-types.json")}},
                            {.publish = true});
        UserStore users(database, clock);
        for (std::int64_t id = 1; id <= 6; ++id) {
            UserFields fields;
            fields.id = id;
            fields.first_name = "User" + std::to_string(id);
            if (id == k_clinician || id == k_watcher) {
                fields.roles = std::vector<std::string>{"staff"};
            }
            if (id == k_polish) {
                fields.language = "pl";
            }
            users.save(fields, false);
        }
        store.create_thread(Actor{}, {"t", std::nullopt, "rules"});
    }

    void publish(const Schema& schema) {
        SchemaStore(database, clock)
            .import_schemas({{schema.name + ".yaml", schema}}, {.publish = true});
    }
    MemberView join(std::int64_t user, std::int64_t permissions = k_member,
                    std::int64_t notifications = k_unread_ws) {
        return store.add_member(Actor{}, thread, {user, permissions, notifications});
    }
    MemberView set(std::int64_t user, const MemberSettings& settings) {
        return store.set_member(Actor{}, thread, user, settings);
    }
    MemberView member(std::int64_t user) { return store.member(thread, user); }

    std::vector<StoredMessage> messages(bool include_deleted = false) {
        MessageFilter filter;
        filter.include_deleted = include_deleted;
        return store.messages(thread, filter);
    }
    std::size_t message_count() { return messages().size(); }

    std::int64_t outbox_end() {
        auto events = store.outbox({});
        return events.empty() ? 0 : events.back().id;
    }
    std::vector<OutboxEvent> events_since(std::int64_t after, std::string_view event,
                                          const std::string& channel = "ws") {
        std::vector<OutboxEvent> found;
        for (auto& candidate : store.outbox({channel, after, std::nullopt})) {
            if (candidate.event == event) {
                found.push_back(std::move(candidate));
            }
        }
        return found;
    }

    // Every table, row by row: a refused action must leave this text as it was.
    std::string dump() {
        auto& sql = sql_of(database);
        std::vector<std::string> tables;
        SQLite::Statement names(sql,
                                "SELECT name FROM sqlite_master WHERE type = 'table' "
                                "ORDER BY name");
        while (names.executeStep()) {
            tables.push_back(names.getColumn(0).getString());
        }
        std::string text;
        for (const auto& table : tables) {
            text += "[" + table + "]\n";
            SQLite::Statement rows(sql, "SELECT * FROM \"" + table + "\"");
            while (rows.executeStep()) {
                for (int i = 0; i < rows.getColumnCount(); ++i) {
                    auto column = rows.getColumn(i);
                    text += column.isNull() ? std::string("NULL") : column.getString();
                    text += "|";
                }
                text += "\n";
            }
        }
        return text;
    }

    // Runs an action that must be refused; the database must not change.
    Refusal refusal(const std::function<void()>& action) {
        std::string before = dump();
        Refusal result{k_success, nullptr};
        try {
            action();
        } catch (const Error& error) {
            result = {error.code(), error.details()};
        }
        CHECK(dump() == before);
        return result;
    }
    std::string refused(const std::function<void()>& action) { return refusal(action).code; }

    void expect_sound() {
        for (const auto& check : check_database(database, config)) {
            std::string example = check.examples.empty() ? "" : check.examples.front();
            CAPTURE(check.name);
            CAPTURE(example);
            CHECK(check.passed());
        }
    }
};

// --- 7.1 members, states, permissions --------------------------------------------------------

TEST_CASE("conversation rules: member state transitions, from x to x schema") {
    using enum MemberState;
    const std::array<MemberState, 5> targets = {open, closed, scripted, scripted_fe_controlled,
                                                assisted};
    // Per target state: ok, or the code of the refusal (SPEC §7.1; codes as the man page).
    const char* ok = k_success;
    const char* bad = "WRONG_STATE_FOR_SCHEMA";  // a schema on open or closed
    const char* need = "SCHEMA_REQUIRED";        // a state that runs on a schema, without one
    struct Row {
        MemberState from;
        std::array<const char*, 5> with_schema;  // per target, in the order of `targets`
        std::array<const char*, 5> without_schema;
    };
    const Row rows[] = {
        {open, {bad, bad, ok, ok, ok}, {ok, ok, need, need, need}},
        {closed, {bad, bad, ok, ok, ok}, {ok, ok, need, need, need}},
        {scripted, {bad, bad, ok, ok, ok}, {ok, ok, ok, ok, ok}},
        {scripted_fe_controlled, {bad, bad, ok, ok, ok}, {ok, ok, ok, ok, ok}},
        {assisted, {bad, bad, ok, ok, ok}, {ok, ok, ok, ok, ok}},
    };
    for (const auto& row : rows) {
        for (bool with_schema : {true, false}) {
            for (std::size_t t = 0; t < targets.size(); ++t) {
                MemberState to = targets[t];
                std::string transition = std::string(engine::state_name(row.from)) + " -> " +
                                         std::string(engine::state_name(to)) +
                                         (with_schema ? " with schema" : " without schema");
                CAPTURE(transition);
                Conversations f;
                f.join(k_patient);
                f.join(k_clinician);
                if (engine::takes_schema(row.from)) {
                    f.set(k_patient, running(row.from, "onboarding"));
                } else if (row.from != open) {
                    f.set(k_patient, in_state(row.from));
                }
                MemberSettings settings = in_state(to);
                if (with_schema) {
                    settings.schema = *SchemaReference::parse("onboarding");
                }
                const char* expected = with_schema ? row.with_schema[t] : row.without_schema[t];
                if (std::string_view(expected) != k_success) {
                    CHECK(f.refused([&] { f.set(k_patient, settings); }) == expected);
                    f.expect_sound();
                    continue;
                }
                std::size_t messages_before = f.message_count();
                std::int64_t outbox_before = f.outbox_end();
                MemberView member = f.set(k_patient, settings);
                CHECK(member.state == to);
                if (!engine::takes_schema(to)) {
                    CHECK(!member.schema);
                    CHECK(!member.question);
                } else {
                    REQUIRE(member.schema);
                    CHECK(member.schema->name == "onboarding");
                }
                // Entering scripted posts the entry question (a message, passed) and the next;
                // front-end control posts nothing and passes the message question too.
                bool enters_scripted = to == scripted && row.from != scripted;
                CHECK(f.message_count() - messages_before == (enters_scripted ? 2U : 0U));
                if (engine::is_scripted(to)) {
                    CHECK(member.question == 2);
                }
                auto changes = f.events_since(outbox_before, "thread_state_changed");
                if (row.from == to) {
                    CHECK(changes.empty());
                } else {
                    CHECK(recipients(changes) == std::vector<std::int64_t>{k_patient, k_clinician});
                    for (const auto& change : changes) {
                        CHECK(change.payload["user"] == k_patient);
                        CHECK(change.payload["state"] == std::string(engine::state_name(to)));
                    }
                }
                f.expect_sound();
            }
        }
    }
}

TEST_CASE("conversation rules: who may change a member's settings") {
    enum class Change {
        state,
        state_and_schema,
        on_finish,
        automated_sender,
        permissions,
        notifications
    };
    struct Row {
        std::int64_t actor_permissions;
        bool on_self;
        Change change;
        std::int64_t value;  // for permissions and notifications
        const char* code;
    };
    const Row rows[] = {
        {k_member, true, Change::state, 0, "NO_PERMISSIONS"},
        {k_member | bit::thread_edit, true, Change::state, 0, k_success},
        {k_member | bit::thread_edit, true, Change::state_and_schema, 0, k_success},
        {k_member | bit::thread_edit, true, Change::on_finish, 0, "NO_PERMISSIONS"},
        {k_member | bit::thread_edit, true, Change::automated_sender, 0, "NO_PERMISSIONS"},
        {k_member | bit::thread_edit, true, Change::permissions, k_member, "NO_PERMISSIONS"},
        {k_member | bit::thread_edit, false, Change::state, 0, "NO_PERMISSIONS"},
        {k_member | bit::thread_edit, false, Change::state_and_schema, 0, "NO_PERMISSIONS"},
        {k_member | bit::thread_control_others, false, Change::state, 0, k_success},
        {k_member | bit::thread_control_others, false, Change::state_and_schema, 0, k_success},
        {k_member | bit::thread_control_others, true, Change::on_finish, 0, k_success},
        {k_member | bit::thread_control_others, false, Change::automated_sender, 0, k_success},
        {k_member | bit::thread_control_others, false, Change::permissions,
         k_member | bit::thread_control_others, k_success},
        {k_member | bit::thread_control_others, false, Change::permissions,
         k_member | bit::thread_break_state, "PERMISSIONS_TOO_HIGH"},
        {k_member, true, Change::notifications, 1, k_success},
        {k_member, false, Change::notifications, 1, "NO_PERMISSIONS"},
        {k_member | bit::thread_control_others, false, Change::notifications, 1, k_success},
    };
    for (const auto& row : rows) {
        CAPTURE(row.actor_permissions);
        CAPTURE(row.on_self);
        CAPTURE(static_cast<int>(row.change));
        Conversations f;
        f.join(k_patient, row.actor_permissions);
        f.join(k_third);
        std::int64_t target = row.on_self ? k_patient : k_third;
        MemberSettings settings;
        switch (row.change) {
            case Change::state:
                settings.state = MemberState::closed;
                break;
            case Change::state_and_schema:
                settings.state = MemberState::scripted;
                settings.schema = *SchemaReference::parse("onboarding");
                break;
            case Change::on_finish:
                settings.on_finish = OnFinish::close;
                break;
            case Change::automated_sender:
                settings.automated_sender = k_clinician;
                break;
            case Change::permissions:
                settings.permissions = row.value;
                break;
            case Change::notifications:
                settings.notifications = row.value;
                break;
        }
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] {
                f.store.set_member(Actor{k_patient}, f.thread, target, settings);
            }) == row.code);
            f.expect_sound();
            continue;
        }
        MemberView member = f.store.set_member(Actor{k_patient}, f.thread, target, settings);
        switch (row.change) {
            case Change::state:
                CHECK(member.state == MemberState::closed);
                break;
            case Change::state_and_schema:
                CHECK(member.state == MemberState::scripted);
                CHECK(member.question == 2);
                break;
            case Change::on_finish:
                CHECK(member.on_finish == OnFinish::close);
                break;
            case Change::automated_sender:
                CHECK(member.automated_sender == k_clinician);
                break;
            case Change::permissions:
                CHECK(member.permissions == row.value);
                break;
            case Change::notifications:
                CHECK(member.notifications == row.value);
                break;
        }
        f.expect_sound();
    }
    Conversations f;
    f.join(k_patient);
    CHECK(f.refused([&] {
        f.store.set_member(Actor{k_outsider}, f.thread, k_patient, in_state(MemberState::closed));
    }) == "NO_PERMISSIONS");
    f.expect_sound();
}

TEST_CASE("conversation rules: one scripted member per thread, on every path") {
    using enum MemberState;
    struct Row {
        MemberState first;
        MemberState second;
        const char* code;
    };
    const Row rows[] = {
        {scripted, scripted, "ONE_SCRIPTED_MEMBER"},
        {scripted, scripted_fe_controlled, "ONE_SCRIPTED_MEMBER"},
        {scripted_fe_controlled, scripted, "ONE_SCRIPTED_MEMBER"},
        {scripted_fe_controlled, scripted_fe_controlled, "ONE_SCRIPTED_MEMBER"},
        {scripted, assisted, k_success},
        {assisted, scripted, k_success},
        {assisted, assisted, k_success},
    };
    for (const auto& row : rows) {
        std::string pair = std::string(engine::state_name(row.first)) + " + " +
                           std::string(engine::state_name(row.second));
        CAPTURE(pair);
        Conversations f;
        f.join(k_patient);
        f.join(k_third);
        f.set(k_patient, running(row.first, "onboarding"));
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] { f.set(k_third, running(row.second, "onboarding")); }) ==
                  row.code);
        } else {
            CHECK(f.set(k_third, running(row.second, "onboarding")).state == row.second);
        }
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: one scripted member, also through an assisted hand-over") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician, k_member | bit::thread_control_others);
    f.join(k_third);
    f.set(k_third, running(MemberState::scripted, "onboarding"));
    f.set(k_clinician, running(MemberState::assisted, "onboarding"));
    CHECK(f.refused([&] { f.store.assist(k_clinician, f.thread, 2, k_patient); }) ==
          "ONE_SCRIPTED_MEMBER");
    f.expect_sound();
}

TEST_CASE("conversation rules: members start on a published version") {
    Conversations f;
    Schema booking = load_example("two-languages.yaml");
    SchemaStore(f.database, f.clock).import_schemas({{"two-languages.yaml", booking}}, {});
    f.join(k_patient);
    MemberSettings draft = running(MemberState::assisted, "appointment-booking@1");
    CHECK(f.refused([&] { f.set(k_patient, draft); }) == "NOT_PUBLISHED");
    f.expect_sound();
}

TEST_CASE("conversation rules: leaving and removing members") {
    struct Row {
        Actor as;
        std::int64_t removed;
        const char* code;
    };
    const Row rows[] = {
        {Actor{k_patient}, k_patient, k_success},  // anyone may leave
        {Actor{k_patient}, k_third, "NO_PERMISSIONS"},
        {Actor{k_clinician}, k_third, k_success},  // thread_remove_user
        {Actor{k_outsider}, k_third, "NO_PERMISSIONS"},
        {Actor{}, k_third, k_success},
    };
    for (const auto& row : rows) {
        CAPTURE(row.as.value_or(0));
        CAPTURE(row.removed);
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_remove_user);
        f.join(k_third);
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] { f.store.remove_member(row.as, f.thread, row.removed); }) ==
                  row.code);
        } else {
            f.store.remove_member(row.as, f.thread, row.removed);
            CHECK(f.store.members(f.thread).size() == 2);
        }
        f.expect_sound();
    }
}

// --- 7.2 sending ------------------------------------------------------------------------------

TEST_CASE("conversation rules: sending needs messages_create; break_state thread_break_state") {
    struct Row {
        std::int64_t user;
        bool break_state;
        const char* code;
    };
    const Row rows[] = {
        {k_patient, false, "NO_PERMISSIONS"},   // messages_read | thread_read only
        {k_outsider, false, "NO_PERMISSIONS"},  // not a member
        {k_clinician, true, "NO_PERMISSIONS"},  // no thread_break_state
        {k_clinician, false, k_success},       {k_third, true, k_success},
        {k_third, false, k_success},
    };
    for (const auto& row : rows) {
        CAPTURE(row.user);
        CAPTURE(row.break_state);
        Conversations f;
        f.join(k_patient, bit::messages_read | bit::thread_read);
        f.join(k_clinician);
        f.join(k_third, k_member | bit::thread_break_state);
        NewMessage hello = said("hello");
        hello.break_state = row.break_state;
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] { f.store.send(row.user, f.thread, hello); }) == row.code);
        } else {
            SendResult sent = f.store.send(row.user, f.thread, hello);
            REQUIRE(sent.messages.size() == 1);
            CHECK(sent.messages[0].sender == row.user);
            CHECK(sent.messages[0].text == "hello");
        }
        f.expect_sound();
    }
}

TEST_CASE(
    "conversation rules: a closed member may not send; thread_reopen opens every closed one") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician, k_member | bit::thread_reopen);
    f.join(k_third);
    f.join(k_watcher);
    f.set(k_patient, in_state(MemberState::closed));
    f.set(k_clinician, in_state(MemberState::closed));
    f.set(k_watcher, running(MemberState::scripted, "onboarding"));
    CHECK(f.refused([&] { f.store.send(k_patient, f.thread, said("let me in")); }) ==
          "THREAD_IS_CLOSED");

    std::int64_t outbox_before = f.outbox_end();
    SendResult sent = f.store.send(k_clinician, f.thread, said("reopening"));
    REQUIRE(sent.messages.size() == 1);
    CHECK(sent.messages[0].text == "reopening");
    CHECK(sent.sender.state == MemberState::open);
    CHECK(f.member(k_patient).state == MemberState::open);
    CHECK(f.member(k_third).state == MemberState::open);
    CHECK(f.member(k_watcher).state == MemberState::scripted);
    std::vector<std::int64_t> reopened;
    for (const auto& change : f.events_since(outbox_before, "thread_state_changed")) {
        CHECK(change.payload["state"] == "open");
        reopened.push_back(change.payload["user"].get<std::int64_t>());
    }
    std::sort(reopened.begin(), reopened.end());
    reopened.erase(std::unique(reopened.begin(), reopened.end()), reopened.end());
    CHECK(reopened == std::vector<std::int64_t>{k_patient, k_clinician});
    CHECK(f.store.send(k_patient, f.thread, said("thanks")).messages.size() == 1);
    f.expect_sound();
}

TEST_CASE("conversation rules: invalid answers, per question type") {
    struct Row {
        std::int64_t qid;
        std::vector<std::string> answers;
        const char* text;  // nullptr: no text
        const char* details;
    };
    const char* answers_required = R"({"answers": ["REQUIRED"]})";
    const char* answers_wrong = R"({"answers": ["WRONG_VALUE"]})";
    const char* text_required = R"({"text": ["REQUIRED"]})";
    const char* text_wrong = R"({"text": ["WRONG_VALUE"]})";
    const Row rows[] = {
        // 3: choice, choice_open
        {3, {}, nullptr, answers_required},
        {3, {}, "my neighbour", answers_required},
        {3, {"A friend or relative", "My doctor"}, nullptr, R"({"answers": ["TOO_MANY"]})"},
        {3, {"A neighbour"}, nullptr, answers_wrong},
        {3, {"7"}, nullptr, answers_wrong},
        // 4: multichoice, not open; "No known allergies" is exclusive
        {4, {"Latex"}, "and dust", R"({"text": ["WRONG_STATE"]})"},
        {4, {}, "dust", R"({"answers": ["REQUIRED"], "text": ["WRONG_STATE"]})"},
        {4, {}, nullptr, answers_required},
        {4, {"Latex", "No known allergies"}, nullptr, R"({"answers": ["EXCLUSIVE"]})"},
        {4, {"Latex", "Latex"}, nullptr, answers_wrong},
        {4, {"1", "Latex"}, nullptr, answers_wrong},
        {4, {"Latex", "Dust"}, nullptr, answers_wrong},
        // 5: text
        {5, {}, nullptr, text_required},
        {5, {}, "", text_required},
        {5, {}, "  \t ", text_required},
        {5, {"Hives"}, "hives", R"({"answers": ["WRONG_STATE"]})"},
        {5, {"Hives"}, nullptr, R"({"answers": ["WRONG_STATE"], "text": ["REQUIRED"]})"},
        // 6: int
        {6, {}, "", text_required},
        {6, {}, "1.5", text_wrong},
        {6, {}, "twelve", text_wrong},
        {6, {}, "12a", text_wrong},
        {6, {}, "- 3", text_wrong},
        {6, {"0"}, "3", R"({"answers": ["WRONG_STATE"]})"},
        // 7: float
        {7, {}, " ", text_required},
        {7, {}, "nan", text_wrong},
        {7, {}, "inf", text_wrong},
        {7, {}, "-inf", text_wrong},
        {7, {}, "1e999", text_wrong},
        {7, {}, "72,5", text_wrong},
        {7, {}, "heavy", text_wrong},
        // 8: range 1..5
        {8, {}, nullptr, text_required},
        {8, {}, "0", text_wrong},
        {8, {}, "6", text_wrong},
        {8, {}, "5.5", text_wrong},
        {8, {}, "three", text_wrong},
        // 9: date
        {9, {}, "2026-02-30", text_wrong},
        {9, {}, "2023-02-29", text_wrong},
        {9, {}, "2026-13-01", text_wrong},
        {9, {}, "26-01-15", text_wrong},
        {9, {}, "2026/01/15", text_wrong},
        {9, {}, "2026-1-5", text_wrong},
        {9, {}, "2026-01-15 10:00", text_wrong},
        // 10: time
        {10, {}, "24:00", text_wrong},
        {10, {}, "12:60", text_wrong},
        {10, {}, "7:30", text_wrong},
        {10, {}, "12:30:61", text_wrong},
        {10, {}, "noon", text_wrong},
        // 11: datetime
        {11, {}, "2026-01-15", text_wrong},
        {11, {}, "2026-01-15 25:00", text_wrong},
        {11, {}, "2026-01-15T14:30+2", text_wrong},
        {11, {}, "14:30", text_wrong},
    };
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "all-question-types"));
    for (const auto& row : rows) {
        CAPTURE(row.qid);
        CAPTURE(row.text ? row.text : "(none)");
        CAPTURE(row.answers.size());
        f.set(k_patient, at_question(row.qid));
        NewMessage message = chose(row.answers);
        if (row.text) {
            message.text = row.text;
        }
        Refusal refusal = f.refusal([&] { f.store.send(k_patient, f.thread, message); });
        CHECK(refusal.code == "INVALID_ANSWER");
        CHECK(refusal.details == nlohmann::json::parse(row.details));
        CHECK(f.member(k_patient).question == row.qid);
    }
    f.expect_sound();
}

TEST_CASE("conversation rules: valid answers are stored and route the flow") {
    struct Row {
        std::int64_t qid;
        std::vector<std::string> answers;
        const char* text;
        const char* stored;                // nullptr: not checked
        std::vector<std::int64_t> chosen;  // positions
        std::int64_t next;                 // -1: the script ended
    };
    const Row rows[] = {
        {3, {"My doctor"}, "Dr Who", "My doctor, Dr Who", {1}, 4},
        {3, {"0"}, nullptr, "A friend or relative", {0}, 4},
        {3, {"Online"}, nullptr, "Online", {2}, 4},
        {4, {"Pollen", "Penicillin"}, nullptr, "Penicillin, Pollen", {0, 2}, 5},
        {4, {"2", "1"}, nullptr, "Latex, Pollen", {1, 2}, 5},
        {4, {"No known allergies"}, nullptr, "No known allergies", {3}, 6},
        {5, {}, "Hives", "Hives", {}, 6},
        {6, {}, "0", "0", {}, 7},
        {6, {}, " -2 ", nullptr, {}, 7},
        {6, {}, "+3", nullptr, {}, 7},
        {7, {}, "72.5", "72.5", {}, 8},
        {7, {}, "1e3", nullptr, {}, 8},
        {7, {}, "-0.5", nullptr, {}, 8},
        {8, {}, "1", nullptr, {}, 9},
        {8, {}, "5", nullptr, {}, 9},
        {8, {}, "2.5", nullptr, {}, 9},
        {9, {}, "2024-02-29", "2024-02-29", {}, 10},
        {10, {}, "23:59", nullptr, {}, 11},
        {10, {}, "00:00:00", nullptr, {}, 11},
        {11, {}, "2026-01-15 14:30", nullptr, {}, -1},
        {11, {}, "2026-01-15T14:30:05.123Z", nullptr, {}, -1},
        {11, {}, "2026-01-15T14:30-05:00", nullptr, {}, -1},
    };
    for (const auto& row : rows) {
        CAPTURE(row.qid);
        CAPTURE(row.text ? row.text : "(none)");
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        f.set(k_patient, running(MemberState::scripted, "all-question-types"));
        f.set(k_patient, at_question(row.qid));
        NewMessage message = chose(row.answers);
        if (row.text) {
            message.text = row.text;
        }
        SendResult sent = f.store.send(k_patient, f.thread, message);
        REQUIRE(!sent.messages.empty());
        const StoredMessage& answer = sent.messages.front();
        CHECK(answer.sender == k_patient);
        CHECK(answer.related_qid == row.qid);
        CHECK(answer.answers == row.chosen);
        if (row.stored) {
            CHECK(answer.text == row.stored);
        }
        if (row.next < 0) {
            CHECK(sent.sender.state == MemberState::open);  // on_finish defaults to open
            CHECK(!sent.sender.question);
        } else {
            CHECK(sent.sender.state == MemberState::scripted);
            CHECK(sent.sender.question == row.next);
        }
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: a front-end controlled member names the question it answers") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    MemberView entered = f.set(
        k_patient, running(MemberState::scripted_fe_controlled, "onboarding", OnFinish::close));
    CHECK(entered.question == 2);  // the entry message question is passed, not posted
    CHECK(f.message_count() == 0);

    Refusal missing =
        f.refusal([&] { f.store.send(k_patient, f.thread, chose({"I want to get fitter"})); });
    CHECK(missing.code == "INVALID_ANSWER");
    CHECK(missing.details == nlohmann::json::parse(R"({"question": ["REQUIRED"]})"));
    NewMessage elsewhere = chose({"I want to get fitter"});
    elsewhere.question = 99;
    CHECK(f.refused([&] { f.store.send(k_patient, f.thread, elsewhere); }) ==
          "QUESTION_FROM_WRONG_SCHEMA");
    NewMessage wrong = said("soon");
    wrong.question = 2;
    Refusal invalid = f.refusal([&] { f.store.send(k_patient, f.thread, wrong); });
    CHECK(invalid.code == "INVALID_ANSWER");
    CHECK(invalid.details ==
          nlohmann::json::parse(R"({"answers": ["REQUIRED"], "text": ["WRONG_STATE"]})"));

    // The question is posted first, then the answer; the move after it posts nothing.
    NewMessage fitter = chose({"I want to get fitter"});
    fitter.question = 2;
    SendResult sent = f.store.send(k_patient, f.thread, fitter);
    REQUIRE(sent.messages.size() == 2);
    CHECK(sent.messages[0].related_qid == 2);
    CHECK(sent.messages[0].sender == k_clinician);
    CHECK(sent.messages[0].addressee == k_patient);
    CHECK(sent.messages[0].text == "What brings you to Steady?");
    CHECK(sent.messages[1].related_qid == 2);
    CHECK(sent.messages[1].sender == k_patient);
    CHECK(sent.messages[1].text == "I want to get fitter");
    CHECK(sent.messages[1].answers == std::vector<std::int64_t>{1});
    CHECK(sent.sender.question == 3);
    CHECK(sent.sender.variables == nlohmann::json{{"goal", 2}});

    NewMessage never = chose({"Please don't"});
    never.question = 3;
    sent = f.store.send(k_patient, f.thread, never);
    REQUIRE(sent.messages.size() == 2);
    CHECK(sent.messages[0].related_qid == 3);
    CHECK(sent.sender.question == 20);  // the fork is passed: goal 2

    std::int64_t outbox_before = f.outbox_end();
    NewMessage days = said("4");
    days.question = 20;
    sent = f.store.send(k_patient, f.thread, days);
    REQUIRE(sent.messages.size() == 2);  // fork 40 and message 60 are passed, not posted
    CHECK(sent.messages[0].related_qid == 20);
    CHECK(sent.messages[1].text == "4");
    CHECK(sent.sender.state == MemberState::closed);
    CHECK(recipients(f.events_since(outbox_before, "thread_schema_completed")) ==
          std::vector<std::int64_t>{k_patient, k_clinician});
    CHECK(f.message_count() == 6);
    f.expect_sound();
}

TEST_CASE("conversation rules: front-end control, a set question and a control question") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    MemberView entered =
        f.set(k_patient, running(MemberState::scripted_fe_controlled, "all-question-types"));
    CHECK(entered.question == 2);
    CHECK(f.set(k_patient, at_question(5)).question == 5);  // becomes current, not posted
    CHECK(f.message_count() == 0);
    NewMessage confirmation = said("ok");
    confirmation.question = 2;
    SendResult confirmed = f.store.send(k_patient, f.thread, confirmation);
    CHECK(confirmed.messages.empty());
    CHECK(confirmed.sender.question == 3);
    CHECK(f.messages(true).empty());
    f.expect_sound();
}

TEST_CASE("conversation rules: open and assisted members send free messages, not answers") {
    for (MemberState state : {MemberState::open, MemberState::assisted}) {
        CAPTURE(std::string(engine::state_name(state)));
        Conversations f;
        f.join(k_patient);
        if (state == MemberState::assisted) {
            f.set(k_patient, running(state, "onboarding"));
        }
        Refusal answers = f.refusal([&] { f.store.send(k_patient, f.thread, chose({"0"}, "hi")); });
        CHECK(answers.code == "INVALID_ANSWER");
        CHECK(answers.details == nlohmann::json::parse(R"({"answers": ["WRONG_STATE"]})"));
        Refusal empty = f.refusal([&] { f.store.send(k_patient, f.thread, said("")); });
        CHECK(empty.code == "INVALID_ANSWER");
        CHECK(empty.details == nlohmann::json::parse(R"({"text": ["REQUIRED"]})"));
        SendResult sent = f.store.send(k_patient, f.thread, said("hello"));
        REQUIRE(sent.messages.size() == 1);
        CHECK(sent.messages[0].text == "hello");
        CHECK(!sent.messages[0].related_qid);
        CHECK(sent.sender.state == state);
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: whatever is sent to a control question confirms it") {
    struct Row {
        const char* name;
        std::function<SendResult(Conversations&)> action;
    };
    const Row rows[] = {
        {"a text", [](Conversations& f) { return f.store.send(k_patient, f.thread, said("ok")); }},
        {"an answer",
         [](Conversations& f) { return f.store.send(k_patient, f.thread, chose({"Confirm"})); }},
        {"an empty message",
         [](Conversations& f) { return f.store.send(k_patient, f.thread, NewMessage{}); }},
        {"confirm", [](Conversations& f) { return f.store.confirm(k_patient, f.thread); }},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        CHECK(f.set(k_patient, running(MemberState::scripted, "all-question-types")).question == 2);
        SendResult confirmed = row.action(f);
        check_posts(confirmed.messages, {{3, 2}});  // nothing stored for the confirmation
        CHECK(confirmed.sender.question == 3);
        auto all = f.messages(true);
        CHECK(all.size() == 3);
        CHECK(std::none_of(all.begin(), all.end(), [](const StoredMessage& message) {
            return message.sender == k_patient;
        }));
        CHECK(f.refused([&] { f.store.confirm(k_patient, f.thread); }) == "WRONG_STATE");
        f.expect_sound();
    }
    Conversations f;
    f.join(k_patient);
    CHECK(f.refused([&] { f.store.confirm(k_patient, f.thread); }) == "WRONG_STATE");
    f.expect_sound();
}

TEST_CASE("conversation rules: break_state opens every scripted member before the message") {
    SUBCASE("another member breaks the script") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_break_state);
        f.join(k_third);
        f.set(k_patient, running(MemberState::scripted, "onboarding"));
        f.set(k_third, running(MemberState::assisted, "onboarding"));
        std::int64_t outbox_before = f.outbox_end();
        NewMessage takeover = said("I'll take it from here");
        takeover.break_state = true;
        SendResult sent = f.store.send(k_clinician, f.thread, takeover);
        REQUIRE(sent.messages.size() == 1);
        CHECK(sent.messages[0].text == "I'll take it from here");
        MemberView patient = f.member(k_patient);
        CHECK(patient.state == MemberState::open);
        CHECK(!patient.schema);
        CHECK(!patient.question);
        CHECK(f.member(k_third).state == MemberState::assisted);
        auto changes = f.events_since(outbox_before, "thread_state_changed");
        REQUIRE(!changes.empty());
        CHECK(changes[0].payload["user"] == k_patient);
        CHECK(changes[0].payload["state"] == "open");
        // The message's own event already sees the patient open.
        for (const auto& event : f.events_since(outbox_before, "message_created_or_updated")) {
            if (event.user_id == k_patient) {
                CHECK(event.payload["thread_data"]["state"] == "open");
                CHECK(event.id > changes[0].id);
            }
        }
        CHECK(f.store.send(k_patient, f.thread, said("ok")).sender.state == MemberState::open);
        f.expect_sound();
    }
    SUBCASE("the scripted member breaks its own script") {
        Conversations f;
        f.join(k_patient, k_member | bit::thread_break_state);
        f.join(k_clinician);
        f.set(k_patient, running(MemberState::scripted, "onboarding"));
        NewMessage help = said("I need to talk to a person");
        help.break_state = true;
        SendResult sent = f.store.send(k_patient, f.thread, help);
        REQUIRE(sent.messages.size() == 1);
        CHECK(sent.messages[0].text == "I need to talk to a person");
        CHECK(!sent.messages[0].related_qid);
        CHECK(sent.sender.state == MemberState::open);
        f.expect_sound();
    }
}

// --- 7.3 moving along the schema ----------------------------------------------------------------

TEST_CASE("conversation rules: moving along the onboarding forks") {
    struct Step {
        NewMessage message;
        std::vector<Post> posts;
        std::optional<std::int64_t> question;  // none: the script ended (on_finish close)
    };
    struct Path {
        const char* name;
        std::vector<Step> steps;
        const char* variables;  // after the second step
    };
    const std::vector<Path> paths = {
        {"condition, every day",
         {{chose({"I want to manage a health condition"}), {{3, 2}}, 3},
          {chose({"Every day"}), {{10, 3}}, 10},
          {said("asthma"), {{50, 10}}, std::nullopt}},
         R"({"goal": 1, "checkins_per_week": 7})"},
        {"fitter, once a week (by position)",
         {{chose({"I want to get fitter"}), {{3, 2}}, 3},
          {chose({"1"}), {{20, 3}}, 20},
          {said("4"), {{51, 20}}, std::nullopt}},
         R"({"goal": 2, "checkins_per_week": 1})"},
        {"looking around, no check-ins",
         {{chose({"I'm just looking around"}), {{3, 2}}, 3},
          {chose({"Please don't"}), {{30, 3}, {60, 30}}, std::nullopt}},
         R"({"goal": 3, "checkins_per_week": 0})"},
        {"condition, no check-ins",
         {{chose({"I want to manage a health condition"}), {{3, 2}}, 3},
          {chose({"Please don't"}), {{10, 3}}, 10},
          {said("diabetes"), {{60, 10}}, std::nullopt}},
         R"({"goal": 1, "checkins_per_week": 0})"},
    };
    for (const auto& path : paths) {
        CAPTURE(path.name);
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        MemberView entered =
            f.set(k_patient, running(MemberState::scripted, "onboarding", OnFinish::close));
        CHECK(entered.question == 2);
        check_posts(f.messages(), {{1, std::nullopt}, {2, 1}});
        for (std::size_t i = 0; i < path.steps.size(); ++i) {
            CAPTURE(i);
            const Step& step = path.steps[i];
            SendResult sent = f.store.send(k_patient, f.thread, step.message);
            REQUIRE(!sent.messages.empty());
            CHECK(sent.messages.front().sender == k_patient);
            check_posts(posts_of(sent.messages), step.posts);
            if (step.question) {
                CHECK(sent.sender.state == MemberState::scripted);
                CHECK(sent.sender.question == *step.question);
            } else {
                CHECK(sent.sender.state == MemberState::closed);
                CHECK(!sent.sender.schema);
            }
            if (i == 1) {
                auto pool = f.member(k_patient).variables;
                CHECK(pool == nlohmann::json::parse(path.variables));
            }
        }
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: a fork routes on the variables answers set") {
    struct Row {
        const char* referral;
        std::vector<Post> posts;  // after the datetime answer
    };
    const Row rows[] = {
        {"My doctor", {{13, 11}, {14, 13}}},
        {"Online", {{14, 11}}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.referral);
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        f.set(k_patient, running(MemberState::scripted, "all-question-types", OnFinish::close));
        f.set(k_patient, at_question(3));
        f.store.send(k_patient, f.thread, chose({row.referral}));
        f.set(k_patient, at_question(11));
        SendResult sent = f.store.send(k_patient, f.thread, said("2026-01-15 14:30"));
        check_posts(posts_of(sent.messages), row.posts);
        CHECK(sent.sender.state == MemberState::closed);
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: on_finish open, close and repeat") {
    struct Row {
        std::optional<OnFinish> on_finish;
        MemberState state;
        std::vector<Post> posts;
        std::optional<std::int64_t> question;
    };
    const std::vector<Post> ending = {{30, 3}, {60, 30}};
    const Row rows[] = {
        {OnFinish::open, MemberState::open, ending, std::nullopt},
        {OnFinish::close, MemberState::closed, ending, std::nullopt},
        {OnFinish::repeat,
         MemberState::scripted,
         {{30, 3}, {60, 30}, {1, std::nullopt, false}, {2, 1}},
         2},
        {std::nullopt, MemberState::open, ending, std::nullopt},  // open by default
    };
    for (const auto& row : rows) {
        CAPTURE(row.on_finish ? std::string(engine::on_finish_name(*row.on_finish)) : "unset");
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        f.set(k_patient, running(MemberState::scripted, "onboarding", row.on_finish));
        f.store.send(k_patient, f.thread, chose({"I'm just looking around"}));
        std::int64_t outbox_before = f.outbox_end();
        SendResult sent = f.store.send(k_patient, f.thread, chose({"Please don't"}));
        check_posts(posts_of(sent.messages), row.posts);
        CHECK(sent.sender.state == row.state);
        CHECK(sent.sender.question == row.question);
        CHECK(sent.sender.schema.has_value() == (row.state == MemberState::scripted));
        auto completed = f.events_since(outbox_before, "thread_schema_completed");
        CHECK(recipients(completed) == std::vector<std::int64_t>{k_patient, k_clinician});
        for (const auto& event : completed) {
            CHECK(event.payload["user"] == k_patient);
            CHECK(event.thread_id == f.member(k_patient).thread_id);
        }
        auto changes = f.events_since(outbox_before, "thread_state_changed");
        if (row.state == MemberState::scripted) {
            CHECK(changes.empty());
        } else {
            CHECK(recipients(changes) == std::vector<std::int64_t>{k_patient, k_clinician});
        }
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: repeat goes back to the initial question") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    MemberSettings settings = running(MemberState::scripted, "onboarding", OnFinish::repeat);
    settings.initial_question = 3;
    f.set(k_patient, settings);
    SendResult sent = f.store.send(k_patient, f.thread, chose({"Please don't"}));
    check_posts(posts_of(sent.messages), {{30, 3}, {60, 30}, {3, std::nullopt, false}});
    CHECK(sent.sender.state == MemberState::scripted);
    CHECK(sent.sender.question == 3);
    f.expect_sound();
}

TEST_CASE("conversation rules: a question set on a member must be in its schema") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "onboarding"));
    MemberSettings initial;
    initial.initial_question = 99;
    CHECK(f.refused([&] { f.set(k_patient, at_question(99)); }) == "QUESTION_FROM_WRONG_SCHEMA");
    CHECK(f.refused([&] { f.set(k_patient, initial); }) == "QUESTION_FROM_WRONG_SCHEMA");
    CHECK(f.set(k_patient, at_question(3)).question == 3);
    CHECK(f.messages().back().related_qid == 3);  // posted
    f.expect_sound();
}

TEST_CASE("conversation rules: AUTO_STEP_LIMIT, a script of one message that repeats") {
    Conversations f;
    f.publish(schema_from_text(R"(
name: greeting
type: automated_flow
questions:
  - {qid: 1, type: message, text: Hello, next_qid: -1}
)"));
    f.join(k_patient);
    f.join(k_clinician);
    MemberSettings settings = running(MemberState::scripted, "greeting", OnFinish::repeat);
    CHECK(f.refused([&] { f.set(k_patient, settings); }) == "AUTO_STEP_LIMIT");
    settings.on_finish = OnFinish::close;
    CHECK(f.set(k_patient, settings).state == MemberState::closed);
    f.expect_sound();
}

TEST_CASE("conversation rules: a posted question carries the question's content") {
    SUBCASE("with an automated sender") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        f.join(k_third);
        f.set(k_patient, running(MemberState::scripted, "all-question-types"));
        auto posted = f.messages();
        check_posts(posted, {{1, std::nullopt}, {2, 1}});
        REQUIRE(posted.size() == 2);
        CHECK(posted[0].type == "welcome_card");
        CHECK(posted[0].text ==
              "Welcome to the Riverside Clinic intake. It takes about three minutes.");
        REQUIRE(posted[0].attachments.size() == 2);
        CHECK(posted[0].attachments[0]["type"] == "image");
        CHECK(posted[0].attachments[0]["url"] == "https://example.org/img/riverside-clinic.png");
        CHECK(posted[0].attachments[0]["title"] == "Riverside Clinic");
        CHECK(posted[0].attachments[1]["type"] == "youtube");
        CHECK(posted[0].attachments[1]["options"] ==
              nlohmann::json::parse(R"({"autoplay": false, "start_seconds": 5})"));
        CHECK(posted[1].type == "message");
        CHECK(posted[1].meta == nlohmann::json{{"button_label", "Confirm"}});
        REQUIRE(posted[1].attachments.size() == 1);
        CHECK(posted[1].attachments[0]["type"] == "object_reference");
        CHECK(posted[1].attachments[0]["object"] ==
              nlohmann::json::parse(R"({"type": "document", "id": 42})"));
        // Automated messages are unread for the member they ask, not for their sender.
        CHECK(f.member(k_patient).unread == 2);
        CHECK(f.member(k_clinician).unread == 0);
        CHECK(f.member(k_third).unread == 2);
        for (std::int64_t user : {k_patient, k_clinician, k_third}) {
            CAPTURE(user);
            REQUIRE(f.member(user).last_message);
            CHECK(f.member(user).last_message->id == posted[1].id);
        }
        f.expect_sound();
    }
    SUBCASE("without an automated sender") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        MemberSettings settings = running(MemberState::scripted, "onboarding");
        settings.automated_sender.reset();
        f.set(k_patient, settings);
        auto posted = f.messages();
        REQUIRE(posted.size() == 2);
        CHECK(!posted[0].sender);
        CHECK(!posted[1].sender);
        CHECK(f.member(k_patient).unread == 2);
        CHECK(f.member(k_clinician).unread == 2);
        f.expect_sound();
    }
    SUBCASE("from the initial question") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        MemberSettings settings = running(MemberState::scripted, "onboarding");
        settings.initial_question = 3;
        MemberView entered = f.set(k_patient, settings);
        CHECK(entered.question == 3);
        CHECK(entered.initial_question == 3);
        check_posts(f.messages(), {{3, std::nullopt}});
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: questions and answers in the member's language") {
    Conversations f;
    SchemaStore(f.database, f.clock)
        .import_schemas({{"two-languages.yaml", load_example("two-languages.yaml")}},
                        {.publish = true});
    f.join(k_polish);
    f.join(k_clinician);
    MemberSettings settings = running(MemberState::scripted, "appointment-booking");
    MemberView entered = f.set(k_polish, settings);
    CHECK(entered.question == 2);
    CHECK(f.messages().back().text == "Jakiej wizyty Pani/Pan potrzebuje?");
    SendResult sent = f.store.send(k_polish, f.thread, chose({"Blood test"}));
    REQUIRE(sent.messages.size() == 2);
    CHECK(sent.messages[0].text == "Badanie krwi");
    CHECK(sent.messages[1].text ==
          "Który dzień Pani/Panu odpowiada? Proszę wpisać datę w "
          "formacie RRRR-MM-DD, np. 2026-03-14.");

    // A member without a language gets the default one, whatever language it answers in.
    ThreadReference second{std::nullopt, "u"};
    f.store.create_thread(Actor{}, {"u", std::nullopt, "english"});
    f.store.add_member(Actor{}, second, {k_patient, k_member, k_unread_ws});
    f.store.set_member(Actor{}, second, k_patient,
                       running(MemberState::scripted, "appointment-booking"));
    sent = f.store.send(k_patient, second, chose({"Lekarz rodzinny"}));
    REQUIRE(sent.messages.size() == 2);
    CHECK(sent.messages[0].text == "GP (family doctor)");
    CHECK(sent.messages[1].text ==
          "Which day suits you? Please write the date as YYYY-MM-DD, e.g. 2026-03-14.");
    f.expect_sound();
}

// --- 7.4 editing, deleting, rolling back -------------------------------------------------------

TEST_CASE("conversation rules: editing one's own messages") {
    struct Row {
        Actor as;
        std::int64_t author;
        const char* code;
    };
    const Row rows[] = {
        {Actor{k_patient}, k_patient, k_success},
        {Actor{k_patient}, k_clinician, "NO_PERMISSIONS"},  // not its own
        {Actor{k_clinician}, k_patient, "NO_PERMISSIONS"},  // control of others is no edit
        {Actor{k_third}, k_third, "NO_PERMISSIONS"},        // no messages_edit
        {Actor{k_outsider}, k_patient, "NO_PERMISSIONS"},   // not a member
        {Actor{}, k_third, k_success},                      // the operator
    };
    for (const auto& row : rows) {
        CAPTURE(row.as.value_or(0));
        CAPTURE(row.author);
        Conversations f;
        f.join(k_patient, k_member | bit::messages_edit);
        f.join(k_clinician, k_member | bit::messages_edit | bit::thread_control_others);
        f.join(k_third);
        std::int64_t id = f.store.send(row.author, f.thread, said("draft")).messages[0].id;
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] { f.store.edit(row.as, id, "changed"); }) == row.code);
            f.expect_sound();
            continue;
        }
        std::int64_t outbox_before = f.outbox_end();
        StoredMessage edited = f.store.edit(row.as, id, "final");
        CHECK(edited.text == "final");
        CHECK(f.messages().back().text == "final");
        auto events = f.events_since(outbox_before, "message_created_or_updated");
        CHECK(recipients(events) == std::vector<std::int64_t>{k_patient, k_clinician, k_third});
        for (const auto& event : events) {
            CHECK(event.payload["text"] == "final");
            CHECK(event.payload["is_own"] == (event.user_id == row.author));
            CHECK(event.payload.contains("thread_data"));
        }
        f.expect_sound();
    }
    Conversations f;
    f.join(k_patient, k_member | bit::messages_edit | bit::messages_delete);
    std::int64_t id = f.store.send(k_patient, f.thread, said("draft")).messages[0].id;
    Refusal empty = f.refusal([&] { f.store.edit(Actor{k_patient}, id, ""); });
    CHECK(empty.code == "INVALID_ANSWER");
    CHECK(empty.details == nlohmann::json::parse(R"({"text": ["REQUIRED"]})"));
    f.store.remove_message(Actor{k_patient}, id);
    CHECK(f.refused([&] { f.store.edit(Actor{k_patient}, id, "again"); }) == "MESSAGE_DELETED");
    f.expect_sound();
}

TEST_CASE("conversation rules: deleting one's own messages, or any with thread_control_others") {
    struct Row {
        Actor as;
        std::int64_t author;
        const char* code;
    };
    const Row rows[] = {
        {Actor{k_patient}, k_patient, k_success},
        {Actor{k_third}, k_third, "NO_PERMISSIONS"},       // no messages_delete
        {Actor{k_patient}, k_third, "NO_PERMISSIONS"},     // not its own
        {Actor{k_clinician}, k_third, k_success},          // thread_control_others
        {Actor{k_outsider}, k_patient, "NO_PERMISSIONS"},  // not a member
        {Actor{}, k_third, k_success},                     // the operator
    };
    for (const auto& row : rows) {
        CAPTURE(row.as.value_or(0));
        CAPTURE(row.author);
        Conversations f;
        f.join(k_patient, k_member | bit::messages_delete);
        f.join(k_clinician, k_member | bit::thread_control_others);
        f.join(k_third);
        std::int64_t id = f.store.send(row.author, f.thread, said("oops")).messages[0].id;
        if (std::string_view(row.code) != k_success) {
            CHECK(f.refused([&] { f.store.remove_message(row.as, id); }) == row.code);
        } else {
            CHECK(f.store.remove_message(row.as, id).deleted);
            CHECK(f.messages().empty());
            REQUIRE(f.messages(true).size() == 1);
            CHECK(f.messages(true)[0].deleted);
        }
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: a deleted message is unread by no one, no one's last message") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician, k_member | bit::messages_delete);
    f.join(k_third);
    std::int64_t first = f.store.send(k_clinician, f.thread, said("first")).messages[0].id;
    std::int64_t second = f.store.send(k_clinician, f.thread, said("second")).messages[0].id;
    CHECK(f.member(k_patient).unread == 2);
    CHECK(f.member(k_third).unread == 2);
    f.store.remove_message(Actor{k_clinician}, second);
    for (std::int64_t user : {k_patient, k_clinician, k_third}) {
        CAPTURE(user);
        MemberView member = f.member(user);
        CHECK(member.unread == (user == k_clinician ? 0 : 1));
        REQUIRE(member.last_message);
        CHECK(member.last_message->id == first);
    }
    f.store.remove_message(Actor{k_clinician}, first);
    for (std::int64_t user : {k_patient, k_clinician, k_third}) {
        CAPTURE(user);
        CHECK(f.member(user).unread == 0);
        CHECK(!f.member(user).last_message);
    }
    f.expect_sound();
}

TEST_CASE("conversation rules: a deleted answer's variable modifications stop counting") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "onboarding"));
    SendResult sent = f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
    CHECK(sent.sender.variables == nlohmann::json{{"goal", 2}});
    std::int64_t posted_three = posts_of(sent.messages).at(0).id;
    CHECK(f.member(k_patient).unread == 3);
    f.store.remove_message(Actor{}, sent.messages[0].id);
    CHECK(f.member(k_patient).variables == nlohmann::json::object());
    f.store.remove_message(Actor{}, posted_three);
    CHECK(f.member(k_patient).unread == 2);  // the posted question's unread row went with it
    f.expect_sound();
}

TEST_CASE("conversation rules: rollback refusals") {
    struct Row {
        const char* name;
        std::function<void(Conversations&)> setup;
        Actor as;
        std::optional<std::int64_t> question;
        const char* code;
    };
    auto at_three = [](Conversations& f) {
        f.set(k_patient, running(MemberState::scripted, "onboarding"));
        f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
    };
    const Row rows[] = {
        {"open member", [](Conversations&) {}, Actor{}, std::nullopt, "WRONG_STATE"},
        {"assisted member",
         [](Conversations& f) { f.set(k_patient, running(MemberState::assisted, "onboarding")); },
         Actor{}, std::nullopt, "WRONG_STATE"},
        {"first question",
         [](Conversations& f) { f.set(k_patient, running(MemberState::scripted, "onboarding")); },
         Actor{}, std::nullopt, "AT_THE_BEGINNING"},
        {"never asked", at_three, Actor{}, 20, "NO_SUCH_MESSAGE"},
        {"not in the schema", at_three, Actor{}, 99, "QUESTION_FROM_WRONG_SCHEMA"},
        {"without thread_rollback", at_three, Actor{k_third}, std::nullopt, "NO_PERMISSIONS"},
        {"not a member", at_three, Actor{k_outsider}, std::nullopt, "NO_PERMISSIONS"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_rollback);
        f.join(k_third);
        row.setup(f);
        CHECK(f.refused([&] { f.store.rollback(row.as, f.thread, k_patient, row.question); }) ==
              row.code);
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: rollback returns to an asked question") {
    // Posts 1, 2; answer; post 3; answer; post 20; then a free message of the third member.
    auto walk = [](Conversations& f) {
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_rollback);
        f.join(k_third);
        f.set(k_patient, running(MemberState::scripted, "onboarding"));
        f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
        f.store.send(k_patient, f.thread, chose({"Every day"}));
        f.store.send(k_third, f.thread, said("go for it"));
    };
    SUBCASE("to a named question") {
        Conversations f;
        walk(f);
        CHECK(f.member(k_patient).question == 20);
        MemberView back = f.store.rollback(Actor{k_clinician}, f.thread, k_patient, 2);
        CHECK(back.state == MemberState::scripted);
        CHECK(back.question == 2);
        CHECK(back.variables == nlohmann::json::object());
        auto kept = f.messages();
        REQUIRE(kept.size() == 2);
        CHECK(kept[1].related_qid == 2);
        CHECK(f.messages(true).size() == 7);
        CHECK(f.member(k_patient).unread == 2);
        CHECK(f.member(k_third).unread == 2);
        for (std::int64_t user : {k_patient, k_clinician, k_third}) {
            CAPTURE(user);
            REQUIRE(f.member(user).last_message);
            CHECK(f.member(user).last_message->id == kept[1].id);
        }
        SendResult again = f.store.send(k_patient, f.thread, chose({"I'm just looking around"}));
        CHECK(again.sender.question == 3);
        CHECK(again.sender.variables == nlohmann::json{{"goal", 3}});
        f.expect_sound();
    }
    SUBCASE("to the previous question") {
        Conversations f;
        walk(f);
        MemberView back = f.store.rollback(Actor{}, f.thread, k_patient, std::nullopt);
        CHECK(back.question == 3);
        CHECK(back.variables == nlohmann::json{{"goal", 2}});
        auto kept = f.messages();
        REQUIRE(kept.size() == 4);
        CHECK(kept.back().related_qid == 3);
        f.expect_sound();
    }
}

TEST_CASE("conversation rules: rollback of a front-end controlled member") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted_fe_controlled, "onboarding"));
    NewMessage fitter = chose({"I want to get fitter"});
    fitter.question = 2;
    f.store.send(k_patient, f.thread, fitter);
    NewMessage weekly = chose({"Once a week"});
    weekly.question = 3;
    f.store.send(k_patient, f.thread, weekly);
    CHECK(f.member(k_patient).question == 20);
    // Back to 3: its answer goes, and its question too, as front-end control posts a
    // question with its answer (README: decisions).
    MemberView back = f.store.rollback(Actor{}, f.thread, k_patient, 3);
    CHECK(back.question == 3);
    CHECK(back.variables == nlohmann::json{{"goal", 2}});
    auto kept = f.messages();
    REQUIRE(kept.size() == 2);
    CHECK(kept.back().related_qid == 2);
    CHECK(kept.back().sender == k_patient);
    // Answering 3 again posts it once more, after 2, and counts its answer once.
    weekly.answers = {"Every day"};
    f.store.send(k_patient, f.thread, weekly);
    auto after = f.messages();
    REQUIRE(after.size() == 4);
    CHECK(after[2].related_qid == 3);
    CHECK(after[2].predecessor_qid == 2);
    CHECK(f.member(k_patient).question == 20);
    f.expect_sound();
}

// --- 7.5 assisted mode ------------------------------------------------------------------------

TEST_CASE("conversation rules: an assisted member sends questions of its schema") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician, k_member | bit::thread_control_others);
    f.join(k_third);
    f.set(k_clinician, running(MemberState::assisted, "onboarding"));
    SendResult sent = f.store.assist(k_clinician, f.thread, 3, std::nullopt);
    REQUIRE(sent.messages.size() == 1);
    CHECK(sent.messages[0].sender == k_clinician);
    CHECK(sent.messages[0].related_qid == 3);
    CHECK(sent.messages[0].text == "How often would you like me to check in with you?");
    CHECK(sent.sender.state == MemberState::assisted);
    CHECK(f.member(k_patient).unread == 1);
    CHECK(f.member(k_third).unread == 1);
    CHECK(f.member(k_clinician).unread == 0);
    CHECK(f.member(k_patient).state == MemberState::open);

    CHECK(f.refused([&] { f.store.assist(k_clinician, f.thread, 4, std::nullopt); }) ==
          "WRONG_STATE");  // a fork is never sent
    CHECK(f.refused([&] { f.store.assist(k_clinician, f.thread, 99, std::nullopt); }) ==
          "QUESTION_FROM_WRONG_SCHEMA");
    CHECK(f.refused([&] { f.store.assist(k_third, f.thread, 3, std::nullopt); }) ==
          "WRONG_STATE");  // not assisted
    CHECK(f.refused([&] { f.store.assist(k_outsider, f.thread, 3, std::nullopt); }) ==
          "NO_PERMISSIONS");
    f.expect_sound();
}

TEST_CASE("conversation rules: an assisted member hands a question over to another member") {
    SUBCASE("at a question that waits") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_control_others);
        f.set(k_clinician, running(MemberState::assisted, "onboarding"));
        std::int64_t outbox_before = f.outbox_end();
        SendResult sent = f.store.assist(k_clinician, f.thread, 2, k_patient);
        check_posts(sent.messages, {{2, std::nullopt, false}});
        MemberView patient = f.member(k_patient);
        CHECK(patient.state == MemberState::scripted);
        REQUIRE(patient.schema);
        CHECK(patient.schema->name == "onboarding");
        CHECK(patient.automated_sender == k_clinician);
        CHECK(patient.question == 2);
        auto changes = f.events_since(outbox_before, "thread_state_changed");
        REQUIRE(!changes.empty());
        CHECK(changes[0].payload["user"] == k_patient);
        CHECK(changes[0].payload["state"] == "scripted");
        SendResult answered = f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
        check_posts(posts_of(answered.messages), {{3, 2}});
        CHECK(f.member(k_clinician).state == MemberState::assisted);
        f.expect_sound();
    }
    SUBCASE("at a message question, which moves on by itself") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician, k_member | bit::thread_control_others);
        f.set(k_clinician, running(MemberState::assisted, "onboarding"));
        SendResult sent = f.store.assist(k_clinician, f.thread, 1, k_patient);
        check_posts(sent.messages, {{1, std::nullopt, false}, {2, 1}});
        CHECK(f.member(k_patient).question == 2);
        f.expect_sound();
    }
    SUBCASE("without thread_control_others") {
        Conversations f;
        f.join(k_patient);
        f.join(k_clinician);
        f.set(k_clinician, running(MemberState::assisted, "onboarding"));
        CHECK(f.refused([&] { f.store.assist(k_clinician, f.thread, 2, k_patient); }) ==
              "NO_PERMISSIONS");
        f.expect_sound();
    }
}

// --- 8 unread, read marking, last message -------------------------------------------------------

TEST_CASE("conversation rules: unread rows, read marking and last messages") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.join(k_third, k_member, engine::notification::ws);  // no unread rows for it
    std::vector<std::int64_t> ids;
    for (const char* text : {"one", "two", "three"}) {
        ids.push_back(f.store.send(k_clinician, f.thread, said(text)).messages[0].id);
    }
    ids.push_back(f.store.send(k_patient, f.thread, said("four")).messages[0].id);
    CHECK(f.member(k_patient).unread == 3);
    CHECK(f.member(k_clinician).unread == 1);
    CHECK(f.member(k_third).unread == 0);
    for (std::int64_t user : {k_patient, k_clinician, k_third}) {
        CAPTURE(user);
        REQUIRE(f.member(user).last_message);
        CHECK(f.member(user).last_message->id == ids[3]);
    }

    CHECK(f.store.read({k_patient, f.thread, ReadScope::message, ids[1]}) == 1);
    CHECK(f.store.read({k_patient, f.thread, ReadScope::message, ids[1]}) == 0);
    CHECK(f.member(k_patient).unread == 2);
    CHECK(f.store.read({k_patient, f.thread, ReadScope::up_to, ids[2]}) == 2);
    CHECK(f.store.read({k_patient, f.thread, ReadScope::up_to, ids[2]}) == 0);
    CHECK(f.store.read({k_clinician, f.thread, ReadScope::thread, 0}) == 1);
    CHECK(f.store.read({k_clinician, f.thread, ReadScope::thread, 0}) == 0);

    // Listing does not mark read, unless asked to.
    f.store.send(k_clinician, f.thread, said("five"));
    MessageFilter listing;
    listing.for_user = k_patient;
    CHECK(f.store.messages(f.thread, listing).size() == 5);
    CHECK(f.member(k_patient).unread == 1);
    listing.mark_read = true;
    f.store.messages(f.thread, listing);
    CHECK(f.member(k_patient).unread == 0);

    f.store.create_thread(Actor{}, {"u", std::nullopt, "second"});
    ThreadReference second{std::nullopt, "u"};
    f.store.add_member(Actor{}, second, {k_patient, k_member, k_unread_ws});
    f.store.add_member(Actor{}, second, {k_clinician, k_member, k_unread_ws});
    f.store.send(k_clinician, second, said("elsewhere"));
    auto counts = f.store.unread(k_patient);
    REQUIRE(counts.size() == 2);
    CHECK(counts[0].key == "t");
    CHECK(counts[0].unread == 0);
    CHECK(counts[1].key == "u");
    CHECK(counts[1].unread == 1);
    f.expect_sound();
}

TEST_CASE("conversation rules: message visibility by role") {
    Conversations f;
    MessageVisibilityRule staff_only;
    staff_only.types = {"note"};
    staff_only.visible_to_roles = {"staff"};
    f.config.message_visibility = {staff_only};
    f.join(k_patient);
    f.join(k_clinician);  // staff
    f.join(k_third);
    f.store.subscribe(k_watcher);                                           // staff, not a member
    CHECK(f.refused([&] { f.store.subscribe(k_outsider); }) != k_success);  // no staff role
    std::int64_t outbox_before = f.outbox_end();
    std::int64_t hello = f.store.send(k_patient, f.thread, said("hello")).messages[0].id;
    CHECK(recipients(f.events_since(outbox_before, "message_created_or_updated")) ==
          std::vector<std::int64_t>{k_patient, k_clinician, k_third, k_watcher});
    outbox_before = f.outbox_end();
    NewMessage note = said("watch the blood pressure");
    note.type = "note";
    std::int64_t noted = f.store.send(k_clinician, f.thread, note).messages[0].id;
    CHECK(recipients(f.events_since(outbox_before, "message_created_or_updated")) ==
          std::vector<std::int64_t>{k_clinician, k_watcher});
    CHECK(f.member(k_patient).unread == 0);
    CHECK(f.member(k_third).unread == 1);
    CHECK(f.member(k_clinician).unread == 1);
    CHECK(f.member(k_patient).last_message->id == hello);
    CHECK(f.member(k_third).last_message->id == hello);
    CHECK(f.member(k_clinician).last_message->id == noted);
    MessageFilter listing;
    listing.for_user = k_patient;
    CHECK(f.store.messages(f.thread, listing).size() == 1);
    listing.for_user = k_clinician;
    CHECK(f.store.messages(f.thread, listing).size() == 2);
    f.expect_sound();
}

// --- 9 outbox ---------------------------------------------------------------------------------

TEST_CASE("conversation rules: outbox events and their recipients") {
    Conversations f;
    f.join(k_patient);                               // unread, ws
    f.join(k_clinician, k_member, k_every_channel);  // unread, ws, push, email, sms
    f.join(k_third, k_member, engine::notification::unread);
    f.store.subscribe(k_watcher);

    std::int64_t outbox_before = f.outbox_end();
    std::int64_t hi = f.store.send(k_patient, f.thread, said("hi")).messages[0].id;
    auto ws = f.events_since(outbox_before, "message_created_or_updated");
    CHECK(recipients(ws) == std::vector<std::int64_t>{k_patient, k_clinician, k_watcher});
    for (const auto& event : ws) {
        CAPTURE(event.user_id.value_or(0));
        CHECK(event.thread_id == f.member(k_patient).thread_id);
        CHECK(event.payload["id"] == hi);
        CHECK(event.payload["text"] == "hi");
        CHECK(event.payload["is_own"] == (event.user_id == k_patient));
        CHECK(event.payload.contains("is_read"));
        CHECK(event.payload.contains("attachments"));
    }
    for (const auto& event : ws) {
        if (event.user_id == k_clinician) {
            CHECK(event.payload["is_read"] == false);
            CHECK(event.payload["thread_data"]["unread"] == 1);
            CHECK(event.payload["thread_data"]["state"] == "open");
            CHECK(event.payload["thread_data"].contains("question"));
            CHECK(event.payload["thread_data"].contains("variables"));
        }
    }
    for (const char* channel : {"push", "email", "sms"}) {
        CAPTURE(channel);
        CHECK(recipients(f.events_since(outbox_before, "message_created_or_updated", channel)) ==
              std::vector<std::int64_t>{k_clinician});
    }
    // One's own message goes to no push, email or sms.
    outbox_before = f.outbox_end();
    f.store.send(k_clinician, f.thread, said("hello"));
    for (const char* channel : {"push", "email", "sms"}) {
        CHECK(f.events_since(outbox_before, "message_created_or_updated", channel).empty());
    }

    outbox_before = f.outbox_end();
    f.store.typing(k_patient, f.thread, 1500);
    auto writing = f.events_since(outbox_before, "thread_someone_is_writing");
    std::vector<std::int64_t> writing_members;
    for (const auto& event : writing) {
        CHECK(event.payload["thread"] == f.member(k_patient).thread_id);
        CHECK(event.payload["length"] == 1500);
        CHECK(event.payload["sender"] == k_patient);
        if (event.user_id != k_watcher && event.user_id != k_patient) {
            writing_members.push_back(event.user_id.value_or(-1));
        }
    }
    CHECK(writing_members == std::vector<std::int64_t>{k_clinician});

    f.set(k_patient, running(MemberState::scripted, "onboarding", OnFinish::close));
    f.store.send(k_patient, f.thread, chose({"I'm just looking around"}));
    outbox_before = f.outbox_end();
    f.store.send(k_patient, f.thread, chose({"Please don't"}));
    auto completed = f.events_since(outbox_before, "thread_schema_completed");
    CHECK(recipients(completed) == std::vector<std::int64_t>{k_patient, k_clinician, k_watcher});
    auto closed = f.events_since(outbox_before, "thread_state_changed");
    CHECK(recipients(closed) == std::vector<std::int64_t>{k_patient, k_clinician, k_watcher});
    for (const auto& event : closed) {
        CHECK(event.payload["user"] == k_patient);
        CHECK(event.payload["state"] == "closed");
    }

    // At least once: listing leaves the events; acknowledging deletes them up to an id.
    auto all = f.store.outbox({});
    REQUIRE(all.size() > 3);
    CHECK(std::is_sorted(all.begin(), all.end(),
                         [](const OutboxEvent& a, const OutboxEvent& b) { return a.id < b.id; }));
    CHECK(f.store.outbox({}).size() == all.size());
    CHECK(f.store.outbox({std::nullopt, all[1].id, 1}).at(0).id == all[2].id);
    CHECK(f.store.acknowledge(all[2].id) == 3);
    CHECK(f.store.outbox({}).size() == all.size() - 3);
    f.expect_sound();
}

}  // namespace

// --- regressions found by the review of the engine against SPEC §7-§9 --------------------------

TEST_CASE("conversation rules: front-end control names the previous question as predecessor") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted_fe_controlled, "onboarding"));
    NewMessage fitter = chose({"I want to get fitter"});
    fitter.question = 2;
    f.store.send(k_patient, f.thread, fitter);
    NewMessage weekly = chose({"Once a week"});
    weekly.question = 3;
    f.store.send(k_patient, f.thread, weekly);
    check_posts(posts_of(f.messages()), {{2, std::nullopt}, {3, 2}});
    // The default rollback goes back one question: to 3, which front-end control posts again.
    MemberView back = f.store.rollback(Actor{}, f.thread, k_patient, std::nullopt);
    CHECK(back.question == 3);
    CHECK(back.variables == nlohmann::json{{"goal", 2}});
    CHECK(f.message_count() == 2);
    f.expect_sound();
}

TEST_CASE("conversation rules: rollback stays within the member's current schema") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "onboarding"));
    f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
    f.set(k_patient, running(MemberState::scripted, "all-question-types"));
    // Only the new script's questions count: the first one waiting is the start.
    CHECK(f.refused([&] { f.store.rollback(Actor{}, f.thread, k_patient, std::nullopt); }) ==
          "AT_THE_BEGINNING");
    CHECK(f.refused([&] { f.store.rollback(Actor{}, f.thread, k_patient, 3); }) ==
          "NO_SUCH_MESSAGE");
    f.expect_sound();
}

TEST_CASE("conversation rules: a question needs a schema") {
    Conversations f;
    f.join(k_patient);
    MemberSettings initial;
    initial.initial_question = 2;
    CHECK(f.refused([&] { f.set(k_patient, initial); }) == "SCHEMA_REQUIRED");
    CHECK(f.refused([&] { f.set(k_patient, at_question(2)); }) == "SCHEMA_REQUIRED");
    f.expect_sound();
}

TEST_CASE("conversation rules: a member added again gets its pool; a new member its last message") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "onboarding"));
    f.store.send(k_patient, f.thread, chose({"I want to get fitter"}));
    f.store.remove_member(Actor{}, f.thread, k_patient);
    MemberView again = f.join(k_patient);
    CHECK(again.variables == nlohmann::json{{"goal", 2}});
    MemberView late = f.join(k_third);
    REQUIRE(late.last_message);
    CHECK(late.last_message->id == f.messages().back().id);
    f.expect_sound();
}

TEST_CASE("conversation rules: assist copies the question's attachments") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician, k_member | bit::thread_control_others);
    f.set(k_clinician, running(MemberState::assisted, "all-question-types"));
    SendResult sent = f.store.assist(k_clinician, f.thread, 2, std::nullopt);
    REQUIRE(sent.messages.size() == 1);
    CHECK(sent.messages[0].attachments.size() == 1);
    f.expect_sound();
}

TEST_CASE("conversation rules: edits, deletions and typing reach subscribers, with is_read") {
    Conversations f;
    f.join(k_patient, k_member | bit::messages_edit | bit::messages_delete);
    f.join(k_third);
    f.store.subscribe(k_watcher);
    StoredMessage hello = f.store.send(k_patient, f.thread, said("hello")).messages.back();
    std::int64_t start = f.outbox_end();
    f.store.edit(Actor{k_patient}, hello.id, "hello there");
    auto edits = f.events_since(start, "message_created_or_updated");
    CHECK(recipients(edits) == std::vector<std::int64_t>{k_patient, k_third, k_watcher});
    for (const auto& event : edits) {
        CAPTURE(event.user_id);
        REQUIRE(event.payload.contains("is_read"));
        CHECK(event.payload["is_read"] == (event.user_id == k_patient));
    }
    start = f.outbox_end();
    f.store.typing(k_patient, f.thread, 1500);
    CHECK(recipients(f.events_since(start, "thread_someone_is_writing")) ==
          std::vector<std::int64_t>{k_third, k_watcher});
    start = f.outbox_end();
    f.store.remove_message(Actor{k_patient}, hello.id);
    CHECK(recipients(f.events_since(start, "message_created_or_updated")) ==
          std::vector<std::int64_t>{k_patient, k_third, k_watcher});
    // Deleting it again changes nothing.
    std::string before = f.dump();
    f.store.remove_message(Actor{k_patient}, hello.id);
    CHECK(f.dump() == before);
    f.expect_sound();
}

TEST_CASE("conversation rules: thread_data shows the state the action left") {
    Conversations f;
    f.join(k_patient);
    f.join(k_clinician);
    std::int64_t start = f.outbox_end();
    f.set(k_patient, running(MemberState::scripted, "onboarding"));
    auto events = f.events_since(start, "message_created_or_updated");
    bool saw_patient = false;
    for (const auto& event : events) {
        if (event.user_id == k_patient) {
            saw_patient = true;
            CHECK(event.payload["thread_data"]["state"] == "scripted");
            CHECK(event.payload["thread_data"]["question"]["qid"] == 2);
        }
    }
    CHECK(saw_patient);
    f.expect_sound();
}

TEST_CASE("conversation rules: a script that ends at once announces scripted, then its end") {
    Conversations f;
    f.publish(schema_from_text(R"(name: one-message
type: automated_flow
questions:
  - qid: 1
    type: message
    text: Hello
    next_qid: -1
)"));
    f.join(k_patient);
    f.join(k_clinician);
    std::int64_t start = f.outbox_end();
    f.set(k_patient, running(MemberState::scripted, "one-message", OnFinish::close));
    std::vector<std::string> states;
    for (const auto& event : f.events_since(start, "thread_state_changed")) {
        if (event.user_id == k_clinician) {
            states.push_back(event.payload["state"]);
        }
    }
    CHECK(states == std::vector<std::string>{"scripted", "closed"});
    CHECK(f.member(k_patient).state == MemberState::closed);
    f.expect_sound();
}

TEST_CASE("conversation rules: a member that is its own automated sender gets unread rows") {
    Conversations f;
    f.join(k_patient);
    MemberSettings settings = running(MemberState::scripted, "onboarding");
    settings.automated_sender = k_patient;
    MemberView member = f.set(k_patient, settings);
    CHECK(member.unread == 2);
    f.expect_sound();
}

TEST_CASE("conversation rules: an expression failing at run time is EXPRESSION_ERROR") {
    // The checker sees every path of the schema, not the deletions an operator may make: here
    // deleting the answer that set d leaves 10 / d dividing by zero in the recomputed pool.
    Conversations f;
    f.publish(schema_from_text(R"(name: divide
type: automated_flow
questions:
  - qid: 1
    type: choice
    text: Pick
    answers:
      - text: two
        next_qid: 2
        variable_modifications: [[d, "2"]]
  - qid: 2
    type: choice
    text: Divide
    answers:
      - text: go
        next_qid: -1
        variable_modifications: [[r, "10 / d"]]
)"));
    f.join(k_patient);
    f.join(k_clinician);
    f.set(k_patient, running(MemberState::scripted, "divide"));
    StoredMessage two = f.store.send(k_patient, f.thread, chose({"two"})).messages.front();
    f.store.send(k_patient, f.thread, chose({"go"}));
    CHECK(f.member(k_patient).variables == nlohmann::json{{"d", 2}, {"r", 5}});
    CHECK(f.refused([&] { f.store.remove_message(Actor{}, two.id); }) == "EXPRESSION_ERROR");
    f.expect_sound();
}
