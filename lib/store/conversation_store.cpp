#include <chat/attachment_rules.hpp>
#include <chat/conversation_store.hpp>
#include <chat/expression.hpp>
#include <chat/utf8.hpp>

#include "store/connection.hpp"
#include "store/conversation_rows.hpp"
#include "store/schema_lookup.hpp"
#include "store/sql_values.hpp"
#include "store/user_rows.hpp"

#include <algorithm>

namespace chat::store {
namespace {

using engine::MemberState;
namespace permission = engine::permission;

Error no_permissions(const std::string& what) {
    return Error(ErrorKind::rejected, "NO_PERMISSIONS", what);
}

Error field_error(const std::string& field, const std::string& code, const std::string& message) {
    return Error(ErrorKind::rejected, "INVALID_ANSWER", message, {{field, {code}}});
}

// Stored texts go out as JSON, which is UTF-8.
void require_utf8_text(const std::optional<std::string>& text) {
    if (text && !is_valid_utf8(*text)) {
        throw field_error("text", "WRONG_VALUE", "the text is not valid UTF-8");
    }
}

// A question's attachments, as an automated message carries them.
nlohmann::json attachments_json(const Question& question) {
    auto attachments = nlohmann::json::array();
    for (const auto& attachment : question.attachments) {
        attachments.push_back(attachment_json(attachment));
    }
    return attachments;
}

// A message's attachments checked by the rules of SPEC §2 under the configuration, in the
// form they are stored in. A shape that is no attachment is WRONG_VALUE.
nlohmann::json checked_attachments(const nlohmann::json& given,
                                   const AttachmentSettings& settings) {
    auto attachments = nlohmann::json::array();
    if (given.is_null()) {
        return attachments;
    }
    if (!given.is_array()) {
        throw Error(ErrorKind::rejected, "INVALID_ANSWER", "attachments must be a list",
                    {{"attachments", {"WRONG_VALUE"}}});
    }
    for (std::size_t i = 0; i < given.size(); ++i) {
        std::string what = "attachment " + std::to_string(i + 1);
        std::string shape_problem;
        auto attachment = attachment_from_json(given[i], shape_problem);
        if (!attachment) {
            throw Error(ErrorKind::rejected, "INVALID_ANSWER", what + ": " + shape_problem,
                        {{"attachments", {"WRONG_VALUE"}}});
        }
        if (auto problem = attachment_problem(*attachment, settings)) {
            throw Error(ErrorKind::rejected, "INVALID_ANSWER", what + ": " + problem->message,
                        {{"attachments", {attachment_problem_code(*problem)}}});
        }
        attachments.push_back(attachment_json(*attachment));
    }
    return attachments;
}

// The actions of one transaction: the rules of SPEC §7 over ConversationRows.
class Conversation {
public:
    Conversation(ConversationRows& rows, const Config& config) : m_rows(rows), m_config(config) {}

    // The acting user's member row, which must hold `bit` (NO_PERMISSIONS otherwise).
    MemberRow acting_member(std::int64_t thread_id, std::int64_t user, std::int64_t bit,
                            const char* action) {
        auto member = m_rows.find_member(thread_id, user);
        if (!member) {
            throw no_permissions("user " + std::to_string(user) + " is not a member of thread " +
                                 std::to_string(thread_id) + " and may not " + action);
        }
        if (bit != 0 && !engine::has_permission(member->permissions, bit)) {
            throw no_permissions("user " + std::to_string(user) + " may not " + action +
                                 " in thread " + std::to_string(thread_id));
        }
        return *member;
    }

    void require_subset(std::int64_t given, const MemberRow& actor) {
        if ((given & ~actor.permissions) != 0) {
            throw Error(ErrorKind::rejected, "PERMISSIONS_TOO_HIGH",
                        "permissions " + std::to_string(given) + " are not a subset of user " +
                            std::to_string(actor.user_id) + "'s own (" +
                            std::to_string(actor.permissions) + ")");
        }
    }

    void require_one_scripted(const MemberRow& member) {
        if (!engine::is_scripted(member.state)) {
            return;
        }
        for (const auto& other : m_rows.thread_members(member.thread_id)) {
            if (other.id != member.id && engine::is_scripted(other.state)) {
                throw Error(ErrorKind::rejected, "ONE_SCRIPTED_MEMBER",
                            "user " + std::to_string(other.user_id) + " is already " +
                                std::string(engine::state_name(other.state)) + " in thread " +
                                std::to_string(member.thread_id) +
                                "; a thread has at most one scripted member");
            }
        }
    }

    const LoadedSchema& schema_of(const MemberRow& member) {
        return m_rows.schemas().get(*member.schema_id);
    }

    std::optional<std::size_t> current_question(const MemberRow& member) {
        if (!member.schema_id || !member.question_row) {
            return std::nullopt;
        }
        return schema_of(member).question_of_row(*member.question_row);
    }

    std::size_t question_index(const LoadedSchema& schema, std::int64_t qid) {
        if (auto index = schema.runtime.index_of(qid)) {
            return *index;
        }
        throw Error(ErrorKind::rejected, "QUESTION_FROM_WRONG_SCHEMA",
                    "question " + std::to_string(qid) + " is not in " + schema.version.label());
    }

    // Posts the automated messages of a move and leaves the member at its outcome: the
    // current question, or the end of the script (on_finish).
    void apply_move(MemberRow& member, const engine::Move& move, std::vector<StoredMessage>& posted,
                    int repeats_left = 1) {
        const LoadedSchema& schema = schema_of(member);
        for (const auto& step : move.posted) {
            posted.push_back(post_question(member, schema, step.question, step.predecessor));
        }
        if (move.current) {
            member.question_row = schema.question_rows[*move.current];
            return;
        }
        finish_script(member, posted, repeats_left);
    }

    StoredMessage post_question(MemberRow& member, const LoadedSchema& schema, std::size_t index,
                                std::optional<std::size_t> predecessor) {
        const Question& question = schema.runtime.question(index);
        MessageDraft draft;
        draft.thread_id = member.thread_id;
        draft.sender = member.automated_sender;
        draft.addressee = member.user_id;
        draft.type = question.show_as_type.value_or("message");
        auto language = m_rows.language_of(member.user_id);
        const auto& default_language = schema.runtime.schema().default_language();
        draft.text =
            text_in_language(question.text, language.value_or(default_language), default_language);
        draft.meta = question.meta;
        draft.schema = &schema;
        draft.question = index;
        draft.predecessor = predecessor;
        draft.attachments = attachments_json(question);
        StoredMessage message = m_rows.insert_message(draft);
        member.related_message_id = message.id;
        return message;
    }

    void finish_script(MemberRow& member, std::vector<StoredMessage>& posted, int repeats_left) {
        m_rows.broadcast(member.thread_id, "thread_schema_completed",
                         {{"thread", member.thread_id}, {"user", member.user_id}});
        auto on_finish = member.on_finish.value_or(engine::OnFinish::open);
        if (on_finish == engine::OnFinish::repeat) {
            if (repeats_left == 0) {
                throw Error(ErrorKind::rejected, "AUTO_STEP_LIMIT",
                            "the script ended again right after restarting (on_finish: repeat)");
            }
            start_script(member, posted, repeats_left - 1);
            return;
        }
        member.state =
            on_finish == engine::OnFinish::close ? MemberState::closed : MemberState::open;
        member.schema_id.reset();
        member.question_row.reset();
        member.initial_question_row.reset();
        state_changed(member);
    }

    // Entering a scripted state: the initial (or entry) question becomes current, and in
    // `scripted` it is posted (SPEC §7.1).
    void start_script(MemberRow& member, std::vector<StoredMessage>& posted, int repeats_left = 1) {
        const LoadedSchema& schema = schema_of(member);
        std::size_t start = schema.runtime.entry_index();
        if (member.initial_question_row) {
            start = schema.question_of_row(*member.initial_question_row).value_or(start);
        }
        move_member(member, schema.runtime.question(start).qid, std::nullopt, posted, repeats_left);
    }

    void move_member(MemberRow& member, std::int64_t next_qid, std::optional<std::size_t> from,
                     std::vector<StoredMessage>& posted, int repeats_left = 1) {
        const LoadedSchema& schema = schema_of(member);
        auto variables = nlohmann::json::parse(member.variables);
        VariablePool pool = pool_from_json(schema.runtime, variables);
        engine::Move move = engine::move_along(schema.runtime, next_qid, from, pool,
                                               member.state == MemberState::scripted);
        merge_pool(schema.runtime, pool, variables);
        member.variables = variables.dump();
        apply_move(member, move, posted, repeats_left);
    }

    // The question of the newest automated message that asked the member, in its schema.
    std::optional<std::size_t> last_asked_question(const MemberRow& member) {
        if (!member.related_message_id || !member.schema_id) {
            return std::nullopt;
        }
        auto& select = m_rows.statements()(
            "SELECT related_question_id FROM messages WHERE id = ?1 AND deleted = 0 AND "
            "related_question_id IS NOT NULL");
        select.bind(1, *member.related_message_id);
        if (!select.executeStep()) {
            return std::nullopt;
        }
        return schema_of(member).question_of_row(select.getColumn(0).getInt64());
    }

    // After messages were deleted: every member's pool equals its recomputation again.
    void recompute_pools(std::int64_t thread_id) {
        for (auto member : m_rows.thread_members(thread_id)) {
            auto variables = m_rows.recompute_variables(member).dump();
            if (variables != member.variables) {
                member.variables = variables;
                m_rows.update_member(member);
            }
        }
    }

    void state_changed(const MemberRow& member) {
        m_rows.broadcast(member.thread_id, "thread_state_changed",
                         {{"thread", member.thread_id},
                          {"user", member.user_id},
                          {"state", engine::state_name(member.state)}});
    }

    ConversationRows& m_rows;
    const Config& m_config;
};

AnswerInput answer_input(const NewMessage& message) {
    AnswerInput input;
    if (message.text) {
        input.text = *message.text;
    }
    for (const auto& answer : message.answers) {
        input.answers.emplace_back(std::string_view(answer));
    }
    return input;
}

}  // namespace

// What a store keeps between its actions, and the facts that tell when it is stale.
struct ConversationCaches {
    explicit ConversationCaches(SQLite::Database& sql) : statements(sql), schemas(statements) {}
    StatementCache statements;
    LoadedSchemas schemas;
    RowCache rows;

    // Drops what may have changed since the last action: everything after another connection's
    // commit, the schemas after a schema write, the rows after a rollback, a commit or a user
    // write (Database::Connection counts them).
    void refresh(Database& database) {
        auto& pragma = statements("PRAGMA data_version");
        pragma.executeStep();
        std::int64_t version = pragma.getColumn(0).getInt64();
        pragma.reset();
        const auto& connection = database.connection();
        if (version != data_version || connection.schema_changes != schema_changes) {
            schemas.clear();
        }
        bool another_store_wrote =
            connection.row_writer != nullptr && connection.row_writer != this;
        if (version != data_version || connection.row_changes != row_changes ||
            another_store_wrote || rows.members.size() > k_most_members) {
            rows.clear();
        }
        // A view's last message is mostly the one its action posted: messages are kept for
        // one action only, so that a batch's memory does not grow with its messages.
        rows.messages.clear();
        rows.dumped_messages.clear();
        data_version = version;
        schema_changes = connection.schema_changes;
        row_changes = connection.row_changes;
    }

private:
    // About 10 MiB of member rows: memory stays flat whatever the batch size.
    static constexpr std::size_t k_most_members = 20000;
    std::int64_t data_version = -1;
    std::uint64_t schema_changes = 0;
    std::uint64_t row_changes = 0;
};

namespace {

// Resets the store's statements when a transaction ends, whichever way it ends.
class ResettingStatements {
public:
    explicit ResettingStatements(StatementCache& statements) : m_statements(statements) {}
    ~ResettingStatements() { m_statements.reset_all(); }
    ResettingStatements(const ResettingStatements&) = delete;
    ResettingStatements& operator=(const ResettingStatements&) = delete;

private:
    StatementCache& m_statements;
};

template <typename Work>
auto in_transaction(Database& database, ConversationCaches& caches, Clock& clock,
                    const Config& config, Work&& work) {
    return translating_sqlite_errors(database, [&] {
        WriteTransaction transaction(database);
        auto& statements = caches.statements;
        ResettingStatements resetting(statements);
        caches.refresh(database);
        database.connection().row_writer = &caches;
        ConversationRows rows(statements, caches.schemas, caches.rows, config,
                              format_time(clock.now()));
        try {
            auto result = work(rows);
            rows.flush_events();
            statements.reset_all();
            transaction.commit();
            return result;
        } catch (const expr::EvaluationError& failure) {
            // Answers, deletions and rollbacks re-evaluate modifications on values the
            // checker could not know (SPEC §3): a failure rejects the action.
            throw Error(
                ErrorKind::rejected, "EXPRESSION_ERROR",
                std::string("an expression fails: ") + failure.what() + "; nothing was changed");
        }
    });
}

template <typename Work>
auto in_snapshot(Database& database, ConversationCaches& caches, const Config& config,
                 Work&& work) {
    return translating_sqlite_errors(database, [&] {
        ReadSnapshot snapshot(sql_of(database));
        ResettingStatements resetting(caches.statements);
        caches.refresh(database);
        ConversationRows rows(caches.statements, caches.schemas, caches.rows, config, "");
        return work(rows);
    });
}

}  // namespace

ConversationCaches& ConversationStore::caches() {
    if (!m_caches) {
        m_caches = std::make_shared<ConversationCaches>(sql_of(m_database));
    }
    return *m_caches;
}

Thread ConversationStore::create_thread(const Actor& as, const NewThread& request) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        std::string type = request.type.value_or(m_config.default_thread_type);
        const auto& types = m_config.thread_types;
        if (std::find(types.begin(), types.end(), type) == types.end()) {
            throw Error(ErrorKind::rejected, "WRONG_TYPE",
                        "'" + type + "' is not one of the configured thread types");
        }
        if (request.key && (request.key->empty() || looks_like_id(*request.key))) {
            throw Error(ErrorKind::rejected, "INVALID_KEY",
                        "key '" + *request.key +
                            "' could not name the thread (keys are not empty, and digits alone "
                            "name thread ids); use a key with a letter");
        }
        if (as) {
            require_user(rows.statements(), *as);
        }
        auto& insert = rows.statements()(
            "INSERT INTO threads (key, title, type, created, updated) VALUES (?1, ?2, ?3, ?4, ?4) "
            "ON CONFLICT DO NOTHING RETURNING id");
        bind_optional(insert, 1, request.key);
        insert.bind(2, request.title);
        insert.bind(3, type);
        insert.bind(4, rows.now());
        if (!insert.executeStep()) {
            throw Error(ErrorKind::rejected, "KEY_EXISTS",
                        "a thread with key '" + request.key.value_or("") + "' already exists");
        }
        std::int64_t id = insert.getColumn(0).getInt64();
        insert.reset();
        if (as) {
            MemberRow creator;
            creator.thread_id = id;
            creator.user_id = *as;
            creator.permissions = m_config.permissions.creator_default;
            creator.notifications = m_config.notifications_default;
            rows.insert_member(creator);
        }
        return rows.require_thread({id, {}});
    });
}

Thread ConversationStore::get_thread(const ThreadReference& thread) {
    return in_snapshot(m_database, caches(), m_config,
                       [&](ConversationRows& rows) { return rows.require_thread(thread); });
}

std::vector<Thread> ConversationStore::list_threads(std::optional<std::int64_t> user_id) {
    return in_snapshot(m_database, caches(), m_config, [&](ConversationRows& rows) {
        std::vector<Thread> threads;
        auto& select = rows.statements()(
            std::string("SELECT id, key, title, type, created, updated FROM threads ") +
            (user_id ? "WHERE id IN (SELECT thread_id FROM members WHERE user_id = ?1) " : "") +
            "ORDER BY id");
        if (user_id) {
            select.bind(1, *user_id);
        }
        while (select.executeStep()) {
            threads.push_back({select.getColumn(0).getInt64(), optional_text(select.getColumn(1)),
                               select.getColumn(2).getString(), select.getColumn(3).getString(),
                               select.getColumn(4).getString(), select.getColumn(5).getString()});
        }
        return threads;
    });
}

MemberView ConversationStore::add_member(const Actor& as, const ThreadReference& thread,
                                         const NewMember& request) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        std::int64_t permissions =
            request.permissions.value_or(m_config.permissions.member_default);
        if (as) {
            MemberRow actor = conversation.acting_member(found.id, *as, permission::thread_add_user,
                                                         "add members");
            conversation.require_subset(permissions, actor);
        }
        require_user(rows.statements(), request.user_id);
        if (rows.find_member(found.id, request.user_id)) {
            throw Error(ErrorKind::rejected, "ALREADY_MEMBER",
                        "user " + std::to_string(request.user_id) +
                            " is already a member of thread " + std::to_string(found.id));
        }
        MemberRow member;
        member.thread_id = found.id;
        member.user_id = request.user_id;
        member.permissions = permissions;
        member.notifications = request.notifications.value_or(m_config.notifications_default);
        rows.insert_member(member);
        // A member added again finds the answers it gave before (its pool is their
        // recomputation, SPEC §3); any new member sees the thread's last message (SPEC §8).
        member.variables = rows.recompute_variables(member).dump();
        rows.update_member(member);
        rows.recompute_last_messages(found.id);
        return rows.view(*rows.find_member(found.id, request.user_id));
    });
}

void ConversationStore::remove_member(const Actor& as, const ThreadReference& thread,
                                      std::int64_t user_id) {
    in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        if (as && *as != user_id) {
            conversation.acting_member(found.id, *as, permission::thread_remove_user,
                                       "remove other members");
        }
        rows.delete_member(rows.require_member(found.id, user_id));
        return 0;
    });
}

MemberView ConversationStore::set_member(const Actor& as, const ThreadReference& thread,
                                         std::int64_t user_id, const MemberSettings& settings) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        MemberRow member = rows.require_member(found.id, user_id);
        bool changes_control = settings.question || settings.initial_question ||
                               settings.on_finish || settings.automated_sender ||
                               settings.permissions;
        bool changes_state = settings.state || settings.schema;
        if (as) {
            MemberRow actor = conversation.acting_member(found.id, *as, 0, "change members");
            bool may_control =
                engine::has_permission(actor.permissions, permission::thread_control_others);
            bool may_edit_own = *as == user_id &&
                                engine::has_permission(actor.permissions, permission::thread_edit);
            if ((changes_control && !may_control) ||
                (changes_state && !may_control && !may_edit_own)) {
                throw no_permissions("user " + std::to_string(*as) +
                                     " may not change the settings of members of thread " +
                                     std::to_string(found.id));
            }
            if (settings.notifications && *as != user_id && !may_control) {
                throw no_permissions("user " + std::to_string(*as) +
                                     " may not change another member's notifications");
            }
            if (settings.permissions) {
                conversation.require_subset(*settings.permissions, actor);
            }
        }
        MemberState old_state = member.state;
        std::optional<std::int64_t> old_schema = member.schema_id;
        MemberState new_state = settings.state.value_or(member.state);
        if (settings.schema) {
            if (!engine::takes_schema(new_state)) {
                throw Error(ErrorKind::rejected, "WRONG_STATE_FOR_SCHEMA",
                            "a schema needs state scripted, scripted_fe_controlled or assisted, "
                            "not " +
                                std::string(engine::state_name(new_state)));
            }
            SchemaVersion version = find_version(rows.statements(), *settings.schema);
            if (version.status != SchemaStatus::published && version.id != member.schema_id) {
                throw Error(ErrorKind::rejected, "NOT_PUBLISHED",
                            version.label() + " is " + std::string(status_name(version.status)) +
                                "; members start on the published version");
            }
            member.schema_id = version.id;
        }
        member.state = new_state;
        if (!engine::takes_schema(new_state)) {
            member.schema_id.reset();
            member.question_row.reset();
            member.initial_question_row.reset();
        } else if (!member.schema_id) {
            throw Error(ErrorKind::rejected, "SCHEMA_REQUIRED",
                        std::string(engine::state_name(new_state)) + " needs a schema (--schema)");
        }
        if (member.schema_id != old_schema) {
            member.question_row.reset();
            member.initial_question_row.reset();
        }
        if (settings.on_finish)
            member.on_finish = settings.on_finish;
        if (settings.automated_sender) {
            require_user(rows.statements(), *settings.automated_sender);
            member.automated_sender = settings.automated_sender;
        }
        if (settings.permissions)
            member.permissions = *settings.permissions;
        if (settings.notifications)
            member.notifications = *settings.notifications;
        conversation.require_one_scripted(member);
        if ((settings.question || settings.initial_question) && !member.schema_id) {
            throw Error(ErrorKind::rejected, "SCHEMA_REQUIRED",
                        "a question needs a schema; user " + std::to_string(user_id) + " is " +
                            std::string(engine::state_name(new_state)) + " without one");
        }
        if (settings.initial_question) {
            const LoadedSchema& schema = conversation.schema_of(member);
            member.initial_question_row =
                schema
                    .question_rows[conversation.question_index(schema, *settings.initial_question)];
        }
        std::vector<StoredMessage> posted;
        // Front-end control posts nothing, so entering `scripted` from it starts the script
        // like entering from any other state (SPEC §7.1).
        bool enters_script =
            engine::is_scripted(new_state) &&
            (!engine::is_scripted(old_state) || member.schema_id != old_schema ||
             (new_state == MemberState::scripted && old_state != MemberState::scripted));
        if (member.state != old_state) {
            // Before the script moves: a script that ends at once announces its end state next.
            conversation.state_changed(member);
        }
        if (settings.question) {
            const LoadedSchema& schema = conversation.schema_of(member);
            conversation.question_index(schema, *settings.question);
            if (engine::is_scripted(new_state)) {
                conversation.move_member(member, *settings.question,
                                         conversation.last_asked_question(member), posted);
            } else {
                member.question_row =
                    schema.question_rows[*schema.runtime.index_of(*settings.question)];
            }
        } else if (enters_script) {
            conversation.start_script(member, posted);
        }
        rows.update_member(member);
        return rows.view(*rows.find_member(found.id, user_id));
    });
}

MemberView ConversationStore::member(const ThreadReference& thread, std::int64_t user_id) {
    return in_snapshot(m_database, caches(), m_config, [&](ConversationRows& rows) {
        Thread found = rows.require_thread(thread);
        return rows.view(rows.require_member(found.id, user_id));
    });
}

std::vector<MemberView> ConversationStore::members(const ThreadReference& thread) {
    return in_snapshot(m_database, caches(), m_config, [&](ConversationRows& rows) {
        Thread found = rows.require_thread(thread);
        std::vector<MemberView> views;
        for (const auto& member : rows.thread_members(found.id)) {
            views.push_back(rows.view(member));
        }
        return views;
    });
}

SendResult ConversationStore::send(std::int64_t as, const ThreadReference& thread,
                                   const NewMessage& message) {
    require_utf8_text(message.text);
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        MemberRow sender =
            conversation.acting_member(found.id, as, permission::messages_create, "send messages");
        if (message.break_state &&
            !engine::has_permission(sender.permissions, permission::thread_break_state)) {
            throw no_permissions("user " + std::to_string(as) +
                                 " may not break the state of thread " + std::to_string(found.id));
        }
        if (sender.state == MemberState::closed) {
            if (!engine::has_permission(sender.permissions, permission::thread_reopen)) {
                throw Error(ErrorKind::rejected, "THREAD_IS_CLOSED",
                            "thread " + std::to_string(found.id) + " is closed for user " +
                                std::to_string(as));
            }
            for (auto member : rows.thread_members(found.id)) {
                if (member.state == MemberState::closed) {
                    member.state = MemberState::open;
                    rows.update_member(member);
                    conversation.state_changed(member);
                }
            }
            sender = *rows.find_member(found.id, as);
        }
        if (message.break_state) {
            for (auto member : rows.thread_members(found.id)) {
                if (engine::is_scripted(member.state)) {
                    member.state = MemberState::open;
                    member.schema_id.reset();
                    member.question_row.reset();
                    member.initial_question_row.reset();
                    rows.update_member(member);
                    conversation.state_changed(member);
                }
            }
            sender = *rows.find_member(found.id, as);
        }
        SendResult result;
        MessageDraft draft;
        draft.thread_id = found.id;
        draft.sender = as;
        draft.type = message.type.value_or("message");
        draft.meta = message.meta;
        draft.attachments = checked_attachments(message.attachments, m_config.attachments);
        if (engine::is_scripted(sender.state)) {
            const LoadedSchema& schema = conversation.schema_of(sender);
            std::optional<std::size_t> question;
            if (sender.state == MemberState::scripted_fe_controlled) {
                if (!message.question) {
                    throw Error(ErrorKind::rejected, "INVALID_ANSWER",
                                "a member in scripted_fe_controlled state names the question it "
                                "answers",
                                {{"question", {"REQUIRED"}}});
                }
                question = conversation.question_index(schema, *message.question);
            } else {
                question = conversation.current_question(sender);
            }
            if (!question) {
                throw Error(ErrorKind::rejected, "WRONG_STATE",
                            "user " + std::to_string(as) + " has no current question");
            }
            const Question& asked = schema.runtime.question(*question);
            if (asked.type == QuestionType::control) {
                // SPEC §7.2 step 3: whatever answers a control question confirms it; nothing
                // is stored and the flow moves on.
                conversation.move_member(sender, asked.next_qid.value_or(-1), question,
                                         result.messages);
                rows.update_member(sender);
                result.sender = rows.view(*rows.find_member(found.id, as));
                return result;
            }
            CheckedAnswer checked;
            FieldErrors errors = check_answer(asked, answer_input(message), checked);
            if (!errors.empty()) {
                throw Error(ErrorKind::rejected, "INVALID_ANSWER",
                            "invalid answer to question " + std::to_string(asked.qid) + ": " +
                                describe_field_errors(errors),
                            field_errors_json(errors));
            }
            auto variables = nlohmann::json::parse(sender.variables);
            VariablePool pool = pool_from_json(schema.runtime, variables);
            if (sender.state == MemberState::scripted_fe_controlled) {
                schema.runtime.apply_question_modifications(*question, pool);
                result.messages.push_back(conversation.post_question(
                    sender, schema, *question, conversation.last_asked_question(sender)));
            }
            auto language = rows.language_of(as);
            const auto& default_language = schema.runtime.schema().default_language();
            draft.text = answer_message_text(asked, checked, language.value_or(default_language),
                                             default_language);
            draft.schema = &schema;
            draft.question = question;
            for (auto chosen : checked.chosen) {
                draft.chosen.push_back(chosen);
                schema.runtime.apply_answer_modifications(*question, chosen, pool);
            }
            merge_pool(schema.runtime, pool, variables);
            sender.variables = variables.dump();
            result.messages.push_back(rows.insert_message(draft));
            conversation.move_member(sender, next_qid_after(asked, checked), question,
                                     result.messages);
            rows.update_member(sender);
        } else {
            if (!message.answers.empty()) {
                throw field_error("answers", "WRONG_STATE",
                                  "answers are for scripted members; user " + std::to_string(as) +
                                      " is " + std::string(engine::state_name(sender.state)));
            }
            bool has_text = message.text && !message.text->empty();
            if (!has_text && message.attachments.empty()) {
                throw field_error("text", "REQUIRED", "a message needs a text or an attachment");
            }
            draft.text = message.text;
            result.messages.push_back(rows.insert_message(draft));
        }
        result.sender = rows.view(*rows.find_member(found.id, as));
        return result;
    });
}

SendResult ConversationStore::confirm(std::int64_t as, const ThreadReference& thread) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        MemberRow member = conversation.acting_member(found.id, as, permission::messages_create,
                                                      "confirm questions");
        auto question = engine::is_scripted(member.state) ? conversation.current_question(member)
                                                          : std::nullopt;
        const LoadedSchema* schema = question ? &conversation.schema_of(member) : nullptr;
        if (!question || schema->runtime.question(*question).type != QuestionType::control) {
            throw Error(ErrorKind::rejected, "WRONG_STATE",
                        "user " + std::to_string(as) + " has no control question to confirm");
        }
        SendResult result;
        conversation.move_member(member, schema->runtime.question(*question).next_qid.value_or(-1),
                                 question, result.messages);
        rows.update_member(member);
        result.sender = rows.view(*rows.find_member(found.id, as));
        return result;
    });
}

StoredMessage ConversationStore::edit(const Actor& as, std::int64_t message_id,
                                      const std::string& text) {
    require_utf8_text(text);
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        StoredMessage message = rows.require_message(message_id);
        if (message.deleted) {
            throw Error(ErrorKind::rejected, "MESSAGE_DELETED",
                        "message " + std::to_string(message_id) + " is deleted");
        }
        if (as) {
            conversation.acting_member(message.thread_id, *as, permission::messages_edit,
                                       "edit messages");
            if (message.sender != *as) {
                throw no_permissions("user " + std::to_string(*as) +
                                     " may only edit its own messages");
            }
        }
        if (text.empty()) {
            throw field_error("text", "REQUIRED", "an edited message needs a text");
        }
        rows.update_message_text(message_id, text);
        StoredMessage edited = rows.require_message(message_id);
        rows.announce_update(edited);
        return edited;
    });
}

StoredMessage ConversationStore::remove_message(const Actor& as, std::int64_t message_id) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        StoredMessage message = rows.require_message(message_id);
        if (as) {
            MemberRow actor =
                conversation.acting_member(message.thread_id, *as, 0, "delete messages");
            bool is_own = message.sender == *as &&
                          engine::has_permission(actor.permissions, permission::messages_delete);
            if (!is_own &&
                !engine::has_permission(actor.permissions, permission::thread_control_others)) {
                throw no_permissions("user " + std::to_string(*as) + " may not delete message " +
                                     std::to_string(message_id));
            }
        }
        if (message.deleted) {
            return message;  // changes nothing, announces nothing
        }
        rows.soft_delete(message.thread_id, {message_id});
        conversation.recompute_pools(message.thread_id);
        StoredMessage deleted = rows.require_message(message_id);
        rows.announce_update(deleted);
        return deleted;
    });
}

MemberView ConversationStore::rollback(const Actor& as, const ThreadReference& thread,
                                       std::int64_t user_id, std::optional<std::int64_t> qid) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        if (as) {
            conversation.acting_member(found.id, *as, permission::thread_rollback,
                                       "roll conversations back");
        }
        MemberRow member = rows.require_member(found.id, user_id);
        if (!engine::is_scripted(member.state)) {
            throw Error(ErrorKind::rejected, "WRONG_STATE",
                        "only scripted members can be rolled back; user " +
                            std::to_string(user_id) + " is " +
                            std::string(engine::state_name(member.state)));
        }
        const LoadedSchema& schema = conversation.schema_of(member);
        std::optional<std::int64_t> target_row;
        if (qid) {
            target_row = schema.question_rows[conversation.question_index(schema, *qid)];
        }
        // The automated messages of the member's schema that asked the member, newest first.
        // Message questions move on by themselves: rolling back lands on one that waits.
        auto& select = rows.statements()(
            "SELECT m.id, m.related_question_id FROM messages m JOIN questions q ON q.id = "
            "m.related_question_id WHERE m.thread_id = ?1 AND m.addressee_id = ?2 AND m.deleted = "
            "0 AND q.schema_id = ?3 AND q.type != 'message' ORDER BY m.id DESC");
        select.bind(1, found.id);
        select.bind(2, user_id);
        select.bind(3, *member.schema_id);
        std::vector<std::pair<std::int64_t, std::int64_t>> asked;
        while (select.executeStep()) {
            asked.emplace_back(select.getColumn(0).getInt64(), select.getColumn(1).getInt64());
        }
        std::optional<std::pair<std::int64_t, std::int64_t>> back_to;
        if (target_row) {
            for (const auto& entry : asked) {
                if (entry.second == *target_row) {
                    back_to = entry;
                    break;
                }
            }
            if (!back_to) {
                throw Error(ErrorKind::rejected, "NO_SUCH_MESSAGE",
                            "question " + std::to_string(*qid) + " was not asked in thread " +
                                std::to_string(found.id));
            }
        } else {
            // In `scripted` the current question was posted (the newest asked); in front-end
            // control it is posted only with its answer, so the newest asked is the previous.
            bool current_was_posted = !asked.empty() && asked.front().second == member.question_row;
            std::size_t previous = current_was_posted ? 1 : 0;
            if (asked.size() <= previous) {
                throw Error(
                    ErrorKind::rejected, "AT_THE_BEGINNING",
                    "user " + std::to_string(user_id) + " is at the first question of its script");
            }
            back_to = asked[previous];
        }
        // Front-end control posts a question with its answer, and will again: its message goes
        // too, or answering once more would post it twice.
        bool keeps_question = member.state == MemberState::scripted;
        auto& later = rows.statements()(
            "SELECT id FROM messages WHERE thread_id = ?1 AND id >= ?2 AND deleted = 0 ORDER BY "
            "id");
        later.bind(1, found.id);
        later.bind(2, back_to->first + (keeps_question ? 1 : 0));
        std::vector<std::int64_t> ids;
        while (later.executeStep()) {
            ids.push_back(later.getColumn(0).getInt64());
        }
        rows.soft_delete(found.id, ids);
        member.question_row = back_to->second;
        // The newest message that still asks the member: what a new question follows.
        member.related_message_id.reset();
        if (keeps_question) {
            member.related_message_id = back_to->first;
        } else {
            auto older = std::find_if(asked.begin(), asked.end(), [&](const auto& entry) {
                return entry.first < back_to->first;
            });
            if (older != asked.end()) {
                member.related_message_id = older->first;
            }
        }
        rows.update_member(member);
        conversation.recompute_pools(found.id);
        for (std::int64_t id : ids) {
            rows.announce_update(rows.require_message(id));
        }
        return rows.view(*rows.find_member(found.id, user_id));
    });
}

SendResult ConversationStore::assist(std::int64_t as, const ThreadReference& thread,
                                     std::int64_t qid, std::optional<std::int64_t> scripted_user) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        MemberRow assistant =
            conversation.acting_member(found.id, as, permission::messages_create, "send questions");
        if (assistant.state != MemberState::assisted || !assistant.schema_id) {
            throw Error(ErrorKind::rejected, "WRONG_STATE",
                        "user " + std::to_string(as) + " is not in assisted state");
        }
        const LoadedSchema& schema = conversation.schema_of(assistant);
        std::size_t index = conversation.question_index(schema, qid);
        if (schema.runtime.question(index).type == QuestionType::fork) {
            throw Error(ErrorKind::rejected, "WRONG_STATE",
                        "question " + std::to_string(qid) + " is a fork, which is never sent");
        }
        SendResult result;
        if (scripted_user) {
            if (!engine::has_permission(assistant.permissions, permission::thread_control_others)) {
                throw no_permissions("user " + std::to_string(as) +
                                     " may not put other members into scripted state");
            }
            MemberRow patient = rows.require_member(found.id, *scripted_user);
            MemberState old_state = patient.state;
            patient.state = MemberState::scripted;
            patient.schema_id = assistant.schema_id;
            patient.automated_sender = as;
            patient.initial_question_row.reset();
            conversation.require_one_scripted(patient);
            if (old_state != patient.state) {
                conversation.state_changed(patient);
            }
            conversation.move_member(patient, qid, conversation.last_asked_question(patient),
                                     result.messages);
            rows.update_member(patient);
        } else {
            MessageDraft draft;
            const Question& question = schema.runtime.question(index);
            draft.thread_id = found.id;
            draft.sender = as;
            draft.type = question.show_as_type.value_or("message");
            draft.text = text_in_language(question.text, schema.runtime.schema().default_language(),
                                          schema.runtime.schema().default_language());
            draft.meta = question.meta;
            draft.attachments = attachments_json(question);
            draft.schema = &schema;
            draft.question = index;
            result.messages.push_back(rows.insert_message(draft));
        }
        result.sender = rows.view(*rows.find_member(found.id, as));
        return result;
    });
}

void ConversationStore::typing(std::int64_t as, const ThreadReference& thread,
                               std::int64_t length_ms) {
    in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Conversation conversation(rows, m_config);
        Thread found = rows.require_thread(thread);
        conversation.acting_member(found.id, as, permission::messages_create, "write");
        rows.broadcast(found.id, "thread_someone_is_writing",
                       {{"thread", found.id}, {"length", length_ms}, {"sender", as}}, as);
        return 0;
    });
}

void ConversationStore::subscribe(std::int64_t user_id) {
    in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        auto roles = rows.roles_of(require_user(rows.statements(), user_id).id);
        const auto& allowed = m_config.ws_subscribe_roles;
        bool may = std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
            return std::find(allowed.begin(), allowed.end(), role) != allowed.end();
        });
        if (!may) {
            throw no_permissions("user " + std::to_string(user_id) +
                                 " has no role of ws_subscribe_roles");
        }
        auto& insert = rows.statements()(
            "INSERT OR IGNORE INTO ws_subscriptions (user_id, created) VALUES (?1, ?2)");
        insert.bind(1, user_id);
        insert.bind(2, rows.now());
        insert.exec();
        return 0;
    });
}

std::vector<StoredMessage> ConversationStore::messages(const ThreadReference& thread,
                                                       const MessageFilter& filter) {
    auto work = [&](ConversationRows& rows) {
        Thread found = rows.require_thread(thread);
        std::vector<std::string> roles;
        if (filter.for_user) {
            MemberRow reader = rows.require_member(found.id, *filter.for_user);
            if (!engine::has_permission(reader.permissions, permission::messages_read)) {
                throw no_permissions("user " + std::to_string(*filter.for_user) +
                                     " may not read the messages of thread " +
                                     std::to_string(found.id));
            }
            roles = rows.roles_of(*filter.for_user);
        }
        auto& select = rows.statements()(
            std::string("SELECT id FROM messages WHERE thread_id = ?1") +
            (filter.include_deleted ? "" : " AND deleted = 0") + " ORDER BY id DESC");
        select.bind(1, found.id);
        std::vector<std::int64_t> ids;
        while (select.executeStep()) {
            ids.push_back(select.getColumn(0).getInt64());
        }
        std::vector<StoredMessage> list;
        for (auto id : ids) {
            StoredMessage message = rows.require_message(id);
            if (filter.for_user && !rows.may_see(message.type, roles)) {
                continue;
            }
            list.push_back(std::move(message));
            if (filter.limit && static_cast<std::int64_t>(list.size()) >= *filter.limit) {
                break;
            }
        }
        std::reverse(list.begin(), list.end());
        if (filter.mark_read && filter.for_user && !list.empty()) {
            auto& read = rows.statements()(
                "DELETE FROM unread_messages WHERE user_id = ?1 AND thread_id = ?2 AND "
                "message_id <= ?3");
            read.bind(1, *filter.for_user);
            read.bind(2, found.id);
            read.bind(3, list.back().id);
            read.exec();
        }
        return list;
    };
    if (filter.mark_read) {
        return in_transaction(m_database, caches(), m_clock, m_config, work);
    }
    return in_snapshot(m_database, caches(), m_config, work);
}

std::int64_t ConversationStore::read(const ReadRequest& request) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        Thread found = rows.require_thread(request.thread);
        rows.require_member(found.id, request.user_id);
        // One statement whatever the number of threads (SPEC §14): the unread_by_thread index.
        const char* condition = request.scope == ReadScope::thread  ? ""
                                : request.scope == ReadScope::up_to ? " AND message_id <= ?3"
                                                                    : " AND message_id = ?3";
        auto& remove = rows.statements()(
            std::string("DELETE FROM unread_messages WHERE user_id = ?1 AND thread_id = ?2") +
            condition);
        remove.bind(1, request.user_id);
        remove.bind(2, found.id);
        if (request.scope != ReadScope::thread) {
            remove.bind(3, request.message_id);
        }
        return static_cast<std::int64_t>(remove.exec());
    });
}

std::vector<UnreadCount> ConversationStore::unread(std::int64_t user_id) {
    return in_snapshot(m_database, caches(), m_config, [&](ConversationRows& rows) {
        require_user(rows.statements(), user_id);
        std::vector<UnreadCount> counts;
        auto& select = rows.statements()(
            "SELECT t.id, t.key, (SELECT count(*) FROM unread_messages u WHERE u.user_id = ?1 AND "
            "u.thread_id = t.id) FROM members m JOIN threads t ON t.id = m.thread_id "
            "WHERE m.user_id = ?1 ORDER BY t.id");
        select.bind(1, user_id);
        while (select.executeStep()) {
            counts.push_back({select.getColumn(0).getInt64(), optional_text(select.getColumn(1)),
                              select.getColumn(2).getInt64()});
        }
        return counts;
    });
}

std::vector<OutboxEvent> ConversationStore::outbox(const OutboxFilter& filter) {
    return in_snapshot(m_database, caches(), m_config, [&](ConversationRows& rows) {
        std::vector<OutboxEvent> events;
        auto& select = rows.statements()(
            std::string("SELECT id, created, channel, event, user_id, thread_id, payload FROM "
                        "outbox WHERE id > ?1") +
            (filter.channel ? " AND channel = ?3" : "") + " ORDER BY id LIMIT ?2");
        select.bind(1, filter.after);
        select.bind(2, filter.limit.value_or(-1));
        if (filter.channel) {
            select.bind(3, *filter.channel);
        }
        while (select.executeStep()) {
            events.push_back({select.getColumn(0).getInt64(), select.getColumn(1).getString(),
                              select.getColumn(2).getString(), select.getColumn(3).getString(),
                              optional_integer(select.getColumn(4)),
                              optional_integer(select.getColumn(5)),
                              json_column(select.getColumn(6))});
        }
        return events;
    });
}

std::int64_t ConversationStore::acknowledge(std::int64_t up_to,
                                            const std::optional<std::string>& channel) {
    return in_transaction(m_database, caches(), m_clock, m_config, [&](ConversationRows& rows) {
        auto& remove =
            rows.statements()("DELETE FROM outbox WHERE id <= ?1 AND (?2 IS NULL OR channel = ?2)");
        remove.bind(1, up_to);
        if (channel) {
            remove.bind(2, *channel);
        }
        return static_cast<std::int64_t>(remove.exec());
    });
}

nlohmann::ordered_json thread_json(const Thread& thread) {
    nlohmann::ordered_json json;
    json["id"] = thread.id;
    json["key"] = thread.key ? nlohmann::ordered_json(*thread.key) : nullptr;
    json["title"] = thread.title;
    json["type"] = thread.type;
    json["created"] = thread.created;
    json["updated"] = thread.updated;
    return json;
}

namespace {

template <typename T>
nlohmann::ordered_json optional_json(const std::optional<T>& value) {
    return value ? nlohmann::ordered_json(*value) : nullptr;
}

}  // namespace

nlohmann::ordered_json message_json(const StoredMessage& message) {
    nlohmann::ordered_json json;
    json["id"] = message.id;
    json["thread"] = message.thread_id;
    json["sender"] = optional_json(message.sender);
    json["addressee"] = optional_json(message.addressee);
    json["type"] = message.type;
    json["text"] = optional_json(message.text);
    json["meta"] = nlohmann::ordered_json(message.meta);
    json["related_question"] = optional_json(message.related_qid);
    json["predecessor"] = optional_json(message.predecessor_qid);
    json["answers"] = message.answers;
    json["attachments"] = nlohmann::ordered_json(message.attachments);
    json["created"] = message.created;
    json["updated"] = message.updated;
    json["deleted"] = message.deleted;
    return json;
}

nlohmann::ordered_json member_json(const MemberView& member) {
    nlohmann::ordered_json json;
    json["id"] = member.id;
    json["thread"] = member.thread_id;
    json["user"] = member.user_id;
    json["state"] = engine::state_name(member.state);
    json["permissions"] = member.permissions;
    json["notifications"] = member.notifications;
    json["schema"] = member.schema ? nlohmann::ordered_json{{"name", member.schema->name},
                                                            {"version", member.schema->version}}
                                   : nlohmann::ordered_json(nullptr);
    if (member.question_content) {
        const Question& question = *member.question_content;
        nlohmann::ordered_json content;
        content["qid"] = question.qid;
        content["type"] = question_type_name(question.type);
        const std::string language = member.schema && !member.schema->languages.empty()
                                         ? member.schema->languages.front()
                                         : "en";
        content["text"] = text_in_language(question.text, language, language);
        content["answers"] = nlohmann::ordered_json::array();
        for (const auto& answer : question.answers) {
            content["answers"].push_back(
                {{"position", answer.position},
                 {"text", text_in_language(answer.text, language, language)},
                 {"exclusive", answer.exclusive}});
        }
        json["question"] = std::move(content);
    } else {
        json["question"] = nullptr;
    }
    json["initial_question"] = optional_json(member.initial_question);
    json["on_finish"] = member.on_finish
                            ? nlohmann::ordered_json(engine::on_finish_name(*member.on_finish))
                            : nlohmann::ordered_json(nullptr);
    json["automated_sender"] = optional_json(member.automated_sender);
    json["variables"] = nlohmann::ordered_json(member.variables);
    json["unread"] = member.unread;
    json["last_message"] =
        member.last_message ? message_json(*member.last_message) : nlohmann::ordered_json(nullptr);
    json["created"] = member.created;
    json["updated"] = member.updated;
    return json;
}

}  // namespace chat::store
