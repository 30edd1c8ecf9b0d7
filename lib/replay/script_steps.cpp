#include "replay/script_steps.hpp"

#include <chat/schema.hpp>

#include "schema/reporter.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace chat::replay {
namespace {

using schema::Node;
using schema::NodeKind;
using schema::ScalarKind;

const std::vector<std::string_view> k_step_kinds = {
    "user",          "create_thread", "add_member",    "remove_member", "set_state",
    "send",          "confirm",       "edit",          "delete",        "rollback",
    "assist",        "typing",        "read",          "subscribe",     "survey_create",
    "survey_answer", "survey_delete", "advance_clock", "expect"};

std::string scalar_text(const Node& node) {
    return node.kind == NodeKind::scalar ? node.text : schema::describe(node);
}

std::optional<std::int64_t> as_integer(const Node& node) {
    if (schema::classify(node) != ScalarKind::integer) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    std::string_view text = node.text;
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// A number of bits, or a list of names (`[messages_read, thread_read]`).
template <typename BitOf>
std::int64_t bits_of(const Node& node, std::string_view what, BitOf bit_of) {
    if (auto number = as_integer(node)) {
        return *number;
    }
    if (node.kind != NodeKind::sequence) {
        throw StepFailure{std::string(what) + " must be a number or a list of names, not " +
                          schema::describe(node)};
    }
    std::int64_t bits = 0;
    for (const auto& item : node.items) {
        auto bit = bit_of(item.text);
        if (item.kind != NodeKind::scalar || !bit) {
            throw StepFailure{"'" + scalar_text(item) + "' is not a name of " + std::string(what)};
        }
        bits |= *bit;
    }
    return bits;
}

std::int64_t permissions_of(const Node& node) {
    return bits_of(node, "permissions", [](std::string_view name) { return permission_bit(name); });
}

std::int64_t notifications_of(const Node& node) {
    return bits_of(node, "notifications",
                   [](std::string_view name) { return notification_bit(name); });
}

store::ThreadReference thread_of(const StepFields& fields) {
    return store::ThreadReference::parse(fields.text("thread"));
}

std::string show(const nlohmann::json& value) {
    return value.is_string() ? "'" + value.get<std::string>() + "'" : value.dump();
}

void compare(std::string_view what, const nlohmann::json& expected, const nlohmann::json& got) {
    if (expected != got) {
        throw StepFailure{"expected " + std::string(what) + " " + show(expected) + ", got " +
                          show(got)};
    }
}

// The YAML value as JSON, with plain scalars typed (5 is a number, True a boolean).
nlohmann::json json_of(const Node& node) {
    return schema::to_json(node);
}

}  // namespace

StepFields::StepFields(const Node& body, std::string_view kind,
                       std::initializer_list<std::string_view> allowed)
    : m_body(body), m_kind(kind) {
    if (body.kind == NodeKind::null) {
        return;
    }
    if (body.kind != NodeKind::mapping) {
        throw StepFailure{"the fields of " + m_kind + " must be a mapping, not " +
                          schema::describe(body)};
    }
    for (const auto& entry : body.entries) {
        if (std::find(allowed.begin(), allowed.end(), entry.key.text) == allowed.end()) {
            std::vector<std::string> names(allowed.begin(), allowed.end());
            throw StepFailure{"unknown field '" + entry.key.text + "' of " + m_kind +
                              " (fields: " + schema::join(names) + ")"};
        }
    }
}

const Node* StepFields::find(std::string_view key) const {
    for (const auto& entry : m_body.entries) {
        if (entry.key.text == key && entry.value.kind != NodeKind::null) {
            return &entry.value;
        }
    }
    return nullptr;
}

std::int64_t StepFields::integer(std::string_view key) const {
    if (auto value = optional_integer(key)) {
        return *value;
    }
    throw StepFailure{m_kind + " needs " + std::string(key)};
}

std::optional<std::int64_t> StepFields::optional_integer(std::string_view key) const {
    const Node* node = find(key);
    if (!node) {
        return std::nullopt;
    }
    auto value = as_integer(*node);
    if (!value) {
        throw StepFailure{std::string(key) + " of " + m_kind + " must be an integer, not " +
                          schema::describe(*node)};
    }
    return value;
}

std::string StepFields::text(std::string_view key) const {
    if (auto value = optional_text(key)) {
        return *value;
    }
    throw StepFailure{m_kind + " needs " + std::string(key)};
}

std::optional<std::string> StepFields::optional_text(std::string_view key) const {
    const Node* node = find(key);
    if (!node) {
        return std::nullopt;
    }
    if (node->kind != NodeKind::scalar) {
        throw StepFailure{std::string(key) + " of " + m_kind + " must be a text, not " +
                          schema::describe(*node)};
    }
    return node->text;
}

bool StepFields::flag(std::string_view key) const {
    const Node* node = find(key);
    if (!node) {
        return false;
    }
    auto value = json_of(*node);
    if (!value.is_boolean()) {
        throw StepFailure{std::string(key) + " of " + m_kind + " must be true or false"};
    }
    return value.get<bool>();
}

std::vector<std::string> StepFields::texts(std::string_view key) const {
    const Node* node = find(key);
    if (!node) {
        return {};
    }
    if (node->kind == NodeKind::scalar) {
        return {node->text};
    }
    if (node->kind != NodeKind::sequence) {
        throw StepFailure{std::string(key) + " of " + m_kind + " must be a list"};
    }
    std::vector<std::string> values;
    for (const auto& item : node->items) {
        values.push_back(scalar_text(item));
    }
    return values;
}

ScriptRunner::ScriptRunner(store::Database& database, const Config& config, FixedClock& clock,
                           std::filesystem::path folder)
    : m_database(database),
      m_config(config),
      m_clock(clock),
      m_folder(std::move(folder)),
      m_conversations(database, clock, config),
      m_surveys(database, clock, config),
      m_users(database, clock),
      m_schemas(database, clock) {}

void ScriptRunner::import_schemas(const Node& list) {
    if (list.kind != NodeKind::sequence) {
        throw StepFailure{"schemas must be a list of schema files"};
    }
    std::vector<store::ImportRequest> requests;
    for (const auto& item : list.items) {
        auto path = (m_folder / item.text).lexically_normal().string();
        std::ifstream file(path, std::ios::binary);
        if (item.kind != NodeKind::scalar || !file) {
            throw StepFailure{"cannot read schema file '" + path + "'"};
        }
        std::stringstream text;
        text << file.rdbuf();
        SourceText source(text.str());
        CollectingSink sink;
        auto checked = schema::validate_schema(
            source, path, schema::detect_format(path, source.text()), m_config, sink);
        if (!checked) {
            const Diagnostic* first = nullptr;
            for (const auto& diagnostic : sink.diagnostics()) {
                if (diagnostic.severity == Severity::error) {
                    first = &diagnostic;
                    break;
                }
            }
            throw StepFailure{"schema file '" + path + "' has errors" +
                              (first ? ": " + std::to_string(first->loc.line) + ":" +
                                           std::to_string(first->loc.column) + ": " + first->message
                                     : std::string())};
        }
        requests.push_back({path, std::move(*checked)});
    }
    store::ImportOptions options;
    options.publish = true;
    options.allow_edit_published = m_config.allow_edit_published_schemas;
    m_schemas.import_schemas(requests, options);
}

void ScriptRunner::save_user(const Node& body, std::string_view kind) {
    StepFields fields(
        body, kind,
        {"id", "email", "first_name", "last_name", "avatar", "language", "roles", "profile"});
    store::UserFields user;
    user.id = fields.integer("id");
    user.email = fields.optional_text("email");
    user.first_name = fields.optional_text("first_name");
    user.last_name = fields.optional_text("last_name");
    user.avatar = fields.optional_text("avatar");
    user.language = fields.optional_text("language");
    if (fields.has("roles")) {
        user.roles = fields.texts("roles");
    }
    if (const Node* profile = fields.find("profile")) {
        user.profile = json_of(*profile);
    }
    m_users.save(user, true);
}

void ScriptRunner::run(const schema::MappingReader& script, schema::Reporter& /*reporter*/,
                       ScriptResult& result) {
    auto fail = [&](std::int64_t line, std::int64_t step, std::string kind, std::string message) {
        result.failures.push_back({line, step, std::move(kind), std::move(message)});
    };
    std::int64_t setup_line = 1;  // of what is being set up, for the report
    try {
        if (const Node* schemas = script.find("schemas")) {
            setup_line = schemas->position.line;
            import_schemas(*schemas);
        }
        if (const Node* users = script.sequence("users")) {
            for (const auto& user : users->items) {
                setup_line = user.position.line;
                save_user(user, "users");
            }
        }
    } catch (const StepFailure& failure) {
        fail(setup_line, 0, "", failure.message);
        return;
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::database) {
            throw;
        }
        fail(setup_line, 0, "", error.code() + ": " + error.what());
        return;
    }
    const Node* steps = script.sequence("steps");
    if (!result.failures.empty() || !steps) {
        return;  // a wrongly typed users or steps was reported through the reporter
    }
    std::int64_t number = 0;
    for (const auto& step : steps->items) {
        ++number;
        result.steps = number;
        std::int64_t line = step.position.line;
        const Node* body = nullptr;
        const Node* expected_error = nullptr;
        std::string kind;
        if (step.kind != NodeKind::mapping) {
            fail(line, number, "?",
                 "a step is a mapping like {send: {...}}, not " + schema::describe(step));
            return;
        }
        for (const auto& entry : step.entries) {
            if (entry.key.text == "error") {
                expected_error = &entry.value;
            } else if (kind.empty()) {
                kind = entry.key.text;
                body = &entry.value;
            } else {
                fail(line, number, kind,
                     "a step has one kind; '" + entry.key.text + "' is a second");
                return;
            }
        }
        if (auto problem = kind_problem(kind)) {
            fail(line, number, kind.empty() ? "?" : kind, *problem);
            return;
        }
        try {
            run_step(kind, *body);
            if (expected_error) {
                fail(line, number, kind,
                     "expected error " + json_of(*expected_error).dump() + ", got success");
                return;
            }
        } catch (const StepFailure& failure) {
            fail(line, number, kind, failure.message);
            return;
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::database) {
                throw;
            }
            nlohmann::json got_code = error.code();
            nlohmann::json got_details = error.details();
            if (!expected_error) {
                fail(line, number, kind,
                     "expected success, got " + error.code() + " (" + error.what() + ")");
                return;
            }
            nlohmann::json expected = json_of(*expected_error);
            bool matches = expected.is_object() ? expected == got_details : expected == got_code;
            if (!matches) {
                fail(line, number, kind,
                     "expected error " + expected.dump() + ", got " + error.code() +
                         (got_details.is_null() ? "" : " " + got_details.dump()) + " (" +
                         error.what() + ")");
                return;
            }
        }
        m_clock.advance(std::chrono::seconds(1));
    }
}

std::optional<std::string> ScriptRunner::kind_problem(const std::string& kind) {
    if (std::find(k_step_kinds.begin(), k_step_kinds.end(), kind) != k_step_kinds.end()) {
        return std::nullopt;
    }
    std::string message = kind.empty() ? "a step needs a kind" : "unknown step kind '" + kind + "'";
    if (auto suggestion = nearest_word(kind, k_step_kinds)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    return message;
}

std::int64_t ScriptRunner::message_of(const StepFields& fields,
                                      std::optional<std::int64_t> sender) {
    if (auto id = fields.optional_integer("message")) {
        return *id;
    }
    store::MessageFilter filter;
    auto messages = m_conversations.messages(thread_of(fields), filter);
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
        if (!sender || it->sender == sender) {
            return it->id;
        }
    }
    throw StepFailure{"thread " + fields.text("thread") + " has no message" +
                      (sender ? " from user " + std::to_string(*sender) : std::string())};
}

void ScriptRunner::run_step(const std::string& kind, const Node& body) {
    if (kind == "user") {
        save_user(body, kind);
    } else if (kind == "create_thread") {
        StepFields fields(body, kind, {"as", "thread", "type", "title"});
        m_conversations.create_thread(fields.optional_integer("as"),
                                      {fields.optional_text("thread"), fields.optional_text("type"),
                                       fields.optional_text("title").value_or("")});
    } else if (kind == "add_member") {
        StepFields fields(body, kind, {"as", "thread", "user", "permissions", "notifications"});
        store::NewMember member;
        member.user_id = fields.integer("user");
        if (const Node* node = fields.find("permissions"))
            member.permissions = permissions_of(*node);
        if (const Node* node = fields.find("notifications")) {
            member.notifications = notifications_of(*node);
        }
        m_conversations.add_member(fields.optional_integer("as"), thread_of(fields), member);
    } else if (kind == "remove_member") {
        StepFields fields(body, kind, {"as", "thread", "user"});
        m_conversations.remove_member(fields.optional_integer("as"), thread_of(fields),
                                      fields.integer("user"));
    } else if (kind == "set_state") {
        StepFields fields(
            body, kind,
            {"as", "thread", "user", "state", "schema", "question", "initial_question", "on_finish",
             "automated_sender", "permissions", "notifications"});
        store::MemberSettings settings;
        if (auto state = fields.optional_text("state")) {
            settings.state = engine::state_from_name(*state);
            if (!settings.state) {
                throw StepFailure{"'" + *state + "' is not a member state"};
            }
        }
        if (auto schema = fields.optional_text("schema")) {
            settings.schema = store::SchemaReference::parse(*schema);
            if (!settings.schema) {
                throw StepFailure{"'" + *schema + "' is not a schema reference"};
            }
        }
        settings.question = fields.optional_integer("question");
        settings.initial_question = fields.optional_integer("initial_question");
        if (auto on_finish = fields.optional_text("on_finish")) {
            settings.on_finish = engine::on_finish_from_name(*on_finish);
            if (!settings.on_finish) {
                throw StepFailure{"on_finish is open, close or repeat, not '" + *on_finish + "'"};
            }
        }
        settings.automated_sender = fields.optional_integer("automated_sender");
        if (const Node* node = fields.find("permissions"))
            settings.permissions = permissions_of(*node);
        if (const Node* node = fields.find("notifications")) {
            settings.notifications = notifications_of(*node);
        }
        m_conversations.set_member(fields.optional_integer("as"), thread_of(fields),
                                   fields.integer("user"), settings);
    } else if (kind == "send") {
        StepFields fields(body, kind,
                          {"as", "thread", "text", "type", "meta", "answers", "question",
                           "attachments", "break_state"});
        store::NewMessage message;
        message.text = fields.optional_text("text");
        message.type = fields.optional_text("type");
        if (const Node* meta = fields.find("meta"))
            message.meta = json_of(*meta);
        message.answers = fields.texts("answers");
        message.question = fields.optional_integer("question");
        if (const Node* attachments = fields.find("attachments")) {
            message.attachments = json_of(*attachments);
        }
        message.break_state = fields.flag("break_state");
        m_conversations.send(fields.integer("as"), thread_of(fields), message);
    } else if (kind == "confirm") {
        StepFields fields(body, kind, {"as", "thread"});
        m_conversations.confirm(fields.integer("as"), thread_of(fields));
    } else if (kind == "edit") {
        StepFields fields(body, kind, {"as", "thread", "message", "text"});
        auto as = fields.optional_integer("as");
        m_conversations.edit(as, message_of(fields, as), fields.text("text"));
    } else if (kind == "delete") {
        StepFields fields(body, kind, {"as", "thread", "message"});
        auto as = fields.optional_integer("as");
        m_conversations.remove_message(as, message_of(fields, as));
    } else if (kind == "rollback") {
        StepFields fields(body, kind, {"as", "thread", "user", "question"});
        m_conversations.rollback(fields.optional_integer("as"), thread_of(fields),
                                 fields.integer("user"), fields.optional_integer("question"));
    } else if (kind == "assist") {
        StepFields fields(body, kind, {"as", "thread", "question", "user"});
        m_conversations.assist(fields.integer("as"), thread_of(fields), fields.integer("question"),
                               fields.optional_integer("user"));
    } else if (kind == "typing") {
        StepFields fields(body, kind, {"as", "thread", "length"});
        m_conversations.typing(fields.integer("as"), thread_of(fields),
                               fields.optional_integer("length").value_or(1000));
    } else if (kind == "read") {
        StepFields fields(body, kind, {"as", "thread", "message", "up_to"});
        store::ReadRequest request;
        request.user_id = fields.integer("as");
        request.thread = thread_of(fields);
        if (auto message = fields.optional_integer("message")) {
            request.scope = store::ReadScope::message;
            request.message_id = *message;
        } else if (auto up_to = fields.optional_integer("up_to")) {
            request.scope = store::ReadScope::up_to;
            request.message_id = *up_to;
        }
        m_conversations.read(request);
    } else if (kind == "subscribe") {
        StepFields fields(body, kind, {"as"});
        m_conversations.subscribe(fields.integer("as"));
    } else if (kind == "survey_create") {
        StepFields fields(body, kind, {"user", "survey", "schema"});
        auto reference = store::SchemaReference::parse(fields.text("schema"));
        if (!reference) {
            throw StepFailure{"'" + fields.text("schema") + "' is not a schema reference"};
        }
        m_surveys.create({fields.integer("user"), *reference, fields.optional_text("survey")});
    } else if (kind == "survey_answer") {
        StepFields fields(body, kind, {"survey", "question", "text", "answers", "replace"});
        auto answers = fields.texts("answers");
        auto text = fields.optional_text("text");
        store::SurveyAnswer answer;
        answer.qid = fields.integer("question");
        answer.replace = fields.flag("replace");
        if (text)
            answer.input.text = *text;
        for (const auto& value : answers)
            answer.input.answers.emplace_back(std::string_view(value));
        m_surveys.answer(store::SurveyReference::parse(fields.text("survey")), answer);
    } else if (kind == "survey_delete") {
        StepFields fields(body, kind, {"survey", "question"});
        m_surveys.delete_answer(store::SurveyReference::parse(fields.text("survey")),
                                fields.integer("question"));
    } else if (kind == "advance_clock") {
        StepFields fields(body, kind, {"seconds", "minutes", "hours", "days"});
        // Time only moves forward, and by at most a century: stored times stay ordered and
        // the sum cannot overflow.
        constexpr std::int64_t k_most_seconds = 100LL * 366 * 86400;
        std::int64_t seconds = 0;
        for (auto [unit, length] : {std::pair<std::string_view, std::int64_t>{"seconds", 1},
                                    {"minutes", 60},
                                    {"hours", 3600},
                                    {"days", 86400}}) {
            std::int64_t count = fields.optional_integer(unit).value_or(0);
            if (count < 0 || count > k_most_seconds / length) {
                throw StepFailure{std::string(unit) + " of advance_clock must be between 0 and " +
                                  std::to_string(k_most_seconds / length)};
            }
            seconds += count * length;
        }
        if (seconds > k_most_seconds) {
            throw StepFailure{"advance_clock moves the clock by at most 100 years"};
        }
        m_clock.advance(std::chrono::seconds(seconds));
    } else if (kind == "expect") {
        expect(body);
    }
}

void ScriptRunner::expect(const Node& body) {
    StepFields fields(body, "expect",
                      {"thread", "user", "state", "question", "schema", "variables", "unread",
                       "last_message", "permissions", "messages", "last_messages", "outbox",
                       "survey", "visibility", "completed", "hidden_answers"});
    // A field that the chosen target does not have would be silently ignored: refuse it.
    auto refuse = [&](const auto& names, std::string_view why) {
        for (std::string_view name : names) {
            if (fields.has(name)) {
                throw StepFailure{std::string(name) + " of expect " + std::string(why)};
            }
        }
    };
    constexpr std::array<std::string_view, 6> k_member_only = {
        "state", "question", "schema", "unread", "last_message", "permissions"};
    constexpr std::array<std::string_view, 3> k_thread_only = {"messages", "last_messages",
                                                               "outbox"};
    constexpr std::array<std::string_view, 3> k_survey_only = {"visibility", "completed",
                                                               "hidden_answers"};
    if (fields.has("survey")) {
        refuse(k_member_only, "is a member field; a survey has none");
        refuse(k_thread_only, "is a thread field; a survey has none");
        refuse(std::array<std::string_view, 2>{"thread", "user"},
               "names a member; expect a survey or a member, not both");
        expect_survey(fields);
    } else if (fields.has("user")) {
        refuse(k_thread_only, "is a thread field: expect it without user");
        refuse(k_survey_only, "is a survey field: expect it with survey");
        expect_member(fields);
    } else {
        refuse(k_member_only, "is a member field: expect it with user");
        refuse(k_survey_only, "is a survey field: expect it with survey");
        refuse(std::array<std::string_view, 1>{"variables"}, "needs user (a member's) or survey");
        expect_thread(fields);
    }
}

void ScriptRunner::expect_member(const StepFields& fields) {
    store::MemberView member = m_conversations.member(thread_of(fields), fields.integer("user"));
    if (auto state = fields.optional_text("state")) {
        compare("state", *state, engine::state_name(member.state));
    }
    if (const Node* question = fields.find("question")) {
        compare("question", json_of(*question),
                member.question ? nlohmann::json(*member.question) : nlohmann::json());
    }
    if (auto schema = fields.optional_text("schema")) {
        std::string got = member.schema
                              ? (schema->find('@') == std::string::npos ? member.schema->name
                                                                        : member.schema->label())
                              : "none";
        compare("schema", *schema, got);
    }
    if (const Node* variables = fields.find("variables")) {
        auto expected = json_of(*variables);
        if (!expected.is_object()) {
            throw StepFailure{"variables of expect must be a mapping"};
        }
        for (const auto& [name, value] : expected.items()) {
            auto it = member.variables.find(name);
            compare("variable " + name, value,
                    it == member.variables.end() ? nlohmann::json() : *it);
        }
    }
    if (auto unread = fields.optional_integer("unread")) {
        compare("unread", *unread, member.unread);
    }
    if (const Node* permissions = fields.find("permissions")) {
        compare("permissions", permissions_of(*permissions), member.permissions);
    }
    if (const Node* last = fields.find("last_message")) {
        auto expected = json_of(*last);
        if (!member.last_message) {
            throw StepFailure{"expected a last message, got none"};
        }
        auto got = nlohmann::json(store::message_json(*member.last_message));
        if (expected.is_string()) {
            compare("last message", expected, got["text"]);
        } else {
            for (const auto& [name, value] : expected.items()) {
                if (!got.contains(name)) {
                    throw StepFailure{"a message has no field '" + name + "'"};
                }
                compare("last message " + name, value, got[name]);
            }
        }
    }
}

void ScriptRunner::expect_thread(const StepFields& fields) {
    auto thread = thread_of(fields);
    if (fields.has("messages") || fields.has("last_messages")) {
        auto messages = m_conversations.messages(thread, {});
        if (auto count = fields.optional_integer("messages")) {
            compare("messages", *count, static_cast<std::int64_t>(messages.size()));
        }
        if (fields.has("last_messages")) {
            auto expected = fields.texts("last_messages");
            std::vector<std::string> got;
            auto first = messages.size() > expected.size() ? messages.size() - expected.size() : 0;
            for (auto i = first; i < messages.size(); ++i) {
                got.push_back(messages[i].text.value_or(""));
            }
            compare("last messages", expected, got);
        }
    }
    if (const Node* outbox = fields.find("outbox")) {
        auto expected = json_of(*outbox);
        if (!expected.is_object()) {
            throw StepFailure{"outbox of expect must be a mapping like {event: ..., count: N}"};
        }
        auto thread_id = m_conversations.get_thread(thread).id;
        std::int64_t count = 0;
        for (const auto& event : m_conversations.outbox({})) {
            bool matches =
                event.thread_id == thread_id &&
                (!expected.contains("event") || expected["event"] == event.event) &&
                (!expected.contains("channel") || expected["channel"] == event.channel) &&
                (!expected.contains("user") || expected["user"] == event.user_id);
            count += matches ? 1 : 0;
        }
        if (expected.contains("count")) {
            compare("outbox events matching " + expected.dump(), expected["count"], count);
        } else if (count == 0) {
            throw StepFailure{"expected outbox events matching " + expected.dump() + ", got none"};
        }
    }
}

void ScriptRunner::expect_survey(const StepFields& fields) {
    store::StoredSurvey survey =
        m_surveys.get(store::SurveyReference::parse(fields.text("survey")));
    if (const Node* visibility = fields.find("visibility")) {
        compare("visibility", json_of(*visibility), survey.visibility);
    }
    if (const Node* completed = fields.find("completed")) {
        compare("completed", json_of(*completed), survey.completed);
    }
    if (const Node* hidden = fields.find("hidden_answers")) {
        compare("hidden_answers", json_of(*hidden), survey.hidden_answers);
    }
    if (const Node* variables = fields.find("variables")) {
        compare("variables", json_of(*variables), survey.variables);
    }
}

}  // namespace chat::replay
