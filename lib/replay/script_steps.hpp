#pragma once
// The steps of a replay script (SPEC §11): each kind read from its YAML mapping and applied
// through the same stores as the command line, with the same rules and permission checks.

#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/conversation_store.hpp>
#include <chat/replay.hpp>
#include <chat/schema_store.hpp>
#include <chat/survey_store.hpp>
#include <chat/user_store.hpp>

#include "schema/document.hpp"
#include "schema/node_reader.hpp"

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace chat::replay {

/// A step whose expectation does not hold, or whose fields are wrong.
struct StepFailure {
    std::string message;
};

/// The fields of one step's mapping, checked against the names the kind allows.
class StepFields {
public:
    StepFields(const schema::Node& body, std::string_view kind,
               std::initializer_list<std::string_view> allowed);

    const schema::Node* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    std::int64_t integer(std::string_view key) const;  // required
    std::optional<std::int64_t> optional_integer(std::string_view key) const;
    std::string text(std::string_view key) const;  // required
    std::optional<std::string> optional_text(std::string_view key) const;
    bool flag(std::string_view key) const;
    std::vector<std::string> texts(std::string_view key) const;  // a list of scalars

private:
    const schema::Node& m_body;
    std::string m_kind;
};

class ScriptRunner {
public:
    ScriptRunner(store::Database& database, const Config& config, FixedClock& clock,
                 std::filesystem::path folder);

    /// Imports the script's schemas, adds its users and runs its steps, stopping at the first
    /// failure (recorded in `result`).
    void run(const schema::MappingReader& script, schema::Reporter& reporter, ScriptResult& result);

    /// Why `kind` is not a step kind ("unknown step kind 'sned'; did you mean 'send'?"), or
    /// nothing when it is one.
    static std::optional<std::string> kind_problem(const std::string& kind);

    /// Applies one step of `kind` (a valid kind) with the fields `body`, through the stores;
    /// does not move the clock. Throws StepFailure for wrong fields or an expectation that does
    /// not hold, chat::Error when the action is refused (or the database fails).
    void run_step(const std::string& kind, const schema::Node& body);

private:
    void import_schemas(const schema::Node& list);
    void save_user(const schema::Node& body, std::string_view kind);
    void expect(const schema::Node& body);
    void expect_member(const StepFields& fields);
    void expect_thread(const StepFields& fields);
    void expect_survey(const StepFields& fields);
    std::int64_t message_of(const StepFields& fields, std::optional<std::int64_t> sender);

    store::Database& m_database;
    const Config& m_config;
    FixedClock& m_clock;
    std::filesystem::path m_folder;
    store::ConversationStore m_conversations;
    store::SurveyStore m_surveys;
    store::UserStore m_users;
    store::SchemaStore m_schemas;
};

}  // namespace chat::replay
