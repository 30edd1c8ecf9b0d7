#pragma once
// Rows of threads, members and messages, and what every new message brings along (unread
// rows, last messages, outbox events): the persistence half of the conversation store.

#include <chat/config.hpp>
#include <chat/conversation_store.hpp>

#include "store/dumped_object.hpp"
#include "store/loaded_schemas.hpp"
#include "store/statement_cache.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace chat::store {

struct MemberRow {
    std::int64_t id = 0;
    std::int64_t thread_id = 0;
    std::int64_t user_id = 0;
    engine::MemberState state = engine::MemberState::open;
    std::int64_t permissions = 0;
    std::int64_t notifications = 0;
    std::optional<std::int64_t> schema_id;
    std::optional<std::int64_t> question_row;
    std::optional<std::int64_t> related_message_id;
    std::optional<engine::OnFinish> on_finish;
    std::optional<std::int64_t> automated_sender;
    std::optional<std::int64_t> initial_question_row;
    std::string variables = "{}";
    std::optional<std::int64_t> last_message_id;
    std::string created;
    std::string updated;
};

/// A message to store. Where a schema is concerned, `schema` names the version and the
/// question it posts or answers, its predecessor and the chosen answers are indexes into it.
struct MessageDraft {
    std::int64_t thread_id = 0;
    std::optional<std::int64_t> sender;
    std::optional<std::int64_t> addressee;
    std::string type = "message";
    std::optional<std::string> text;
    nlohmann::json meta;
    const LoadedSchema* schema = nullptr;
    std::optional<std::size_t> question;
    std::optional<std::size_t> predecessor;
    std::vector<std::size_t> chosen;                       // answer indexes of `question`
    nlohmann::json attachments = nlohmann::json::array();  // in their stored form
};

/// The pool of `schema`'s variables from a member's stored variables (by name).
VariablePool pool_from_json(const RuntimeSchema& schema, const nlohmann::json& variables);
/// Writes the assigned variables of `pool` into `variables` (other names stay).
void merge_pool(const RuntimeSchema& schema, const VariablePool& pool, nlohmann::json& variables);

/// Rows read or written by earlier actions, so that a batch reads no row twice. Every write to
/// members and messages goes through ConversationRows, which keeps these copies true; what
/// else could change them (a rollback, a commit that ends a batch, a user written, another
/// connection) makes ConversationCaches drop them all before the next action.
struct RowCache {
    std::map<std::pair<std::int64_t, std::int64_t>, MemberRow> members;  // (thread, user)
    std::set<std::int64_t> threads_with_all_members;  // every member is in `members`
    std::unordered_map<std::int64_t, StoredMessage> messages;
    std::unordered_map<std::int64_t, std::shared_ptr<const DumpedObject>> dumped_messages;
    std::unordered_map<std::int64_t, std::vector<std::string>> roles;
    std::unordered_map<std::int64_t, std::optional<std::string>> languages;

    void clear() { *this = RowCache(); }
};

class ConversationRows {
public:
    ConversationRows(StatementCache& statements, LoadedSchemas& schemas, RowCache& cache,
                     const Config& config, std::string now)
        : m_statements(statements),
          m_config(config),
          m_now(std::move(now)),
          m_schemas(schemas),
          m_cache(cache) {}

    const std::string& now() const { return m_now; }
    LoadedSchemas& schemas() { return m_schemas; }
    StatementCache& statements() { return m_statements; }

    Thread require_thread(const ThreadReference& reference);
    std::optional<MemberRow> find_member(std::int64_t thread_id, std::int64_t user_id);
    MemberRow require_member(std::int64_t thread_id, std::int64_t user_id);
    std::vector<MemberRow> thread_members(std::int64_t thread_id);
    void insert_member(MemberRow& member);
    void update_member(MemberRow& member);
    void delete_member(const MemberRow& member);

    /// Stores the message and brings along its unread rows, last messages and outbox events.
    StoredMessage insert_message(const MessageDraft& draft);
    std::optional<StoredMessage> find_message(std::int64_t id);
    StoredMessage require_message(std::int64_t id);
    void update_message_text(std::int64_t id, const std::string& text);
    /// Soft-deletes the messages, drops their unread rows and recomputes last messages.
    void soft_delete(std::int64_t thread_id, const std::vector<std::int64_t>& ids);
    /// Emits message_created_or_updated for an edited message.
    void announce_update(const StoredMessage& message);

    MemberView view(const MemberRow& member);
    const std::vector<std::string>& roles_of(std::int64_t user_id);
    std::optional<std::string> language_of(std::int64_t user_id);
    bool may_see(const std::string& message_type, const std::vector<std::string>& roles) const;
    /// may_see for a user, reading the user's roles only when a rule lists the type.
    bool user_may_see(const std::string& message_type, std::int64_t user_id);

    /// Queues an outbox event; flush_events() writes the queue.
    void add_event(const std::string& channel, const std::string& event,
                   std::optional<std::int64_t> user_id, std::optional<std::int64_t> thread_id,
                   const nlohmann::json& payload);
    /// Writes the queued events in order. A message_created_or_updated ws event gets its
    /// recipient's member view (thread_data) here, at the end of the action, so that it shows
    /// the state the action left (the question now waiting, the variables after the answer).
    void flush_events();
    /// A ws event to every member with the WS bit and to every subscriber who is no member,
    /// except `except` (the user who caused it, when it is not news to them).
    void broadcast(std::int64_t thread_id, const std::string& event, const nlohmann::json& payload,
                   std::optional<std::int64_t> except = std::nullopt);
    void recompute_last_messages(std::int64_t thread_id);

    /// The member's variables recomputed from the thread's messages (SPEC §3).
    nlohmann::json recompute_variables(const MemberRow& member);

private:
    struct ReadMarks {
        bool is_own = false;
        bool is_read = false;
    };
    struct PendingEvent {
        std::string channel;
        std::string event;
        std::optional<std::int64_t> user_id;
        std::optional<std::int64_t> thread_id;
        nlohmann::json payload;  // unless `message` is set:
        // a message event: the message, shared by all its events, with the recipient's marks
        std::shared_ptr<const DumpedObject> message;
        std::optional<ReadMarks> marks;
        bool wants_thread_data = false;  // a member's message event: thread_data at flush
    };

    StoredMessage read_message(SQLite::Statement& row);
    void insert_attachments(std::int64_t message_id, const nlohmann::json& attachments);
    /// Keeps a member row read or written by this action (see m_members).
    MemberRow remember(MemberRow member);
    void remember_last_message(const MemberRow& member, std::optional<std::int64_t> message_id);
    void fan_out(const StoredMessage& message);
    /// The message as payloads carry it, dumped once per action, when an event needs it.
    std::shared_ptr<const DumpedObject> dumped(const StoredMessage& message);
    std::string thread_data_text(std::int64_t thread_id, std::int64_t user_id);
    void add_message_event(const char* channel, std::int64_t user_id, std::int64_t thread_id,
                           std::shared_ptr<const DumpedObject> message,
                           std::optional<ReadMarks> marks, bool wants_thread_data);
    /// The payload of `event`, with the recipient's member view (one per recipient).
    std::string payload_text(
        const PendingEvent& event,
        std::map<std::pair<std::int64_t, std::int64_t>, std::string>& thread_data);
    /// message_created_or_updated to the ws subscribers who are no members and may see it.
    void announce_to_subscribers(const StoredMessage& message);
    /// Users subscribed to ws events who are not members of the thread.
    std::vector<std::int64_t> non_member_subscribers(std::int64_t thread_id);
    bool has_unread_row(std::int64_t user_id, std::int64_t message_id);

    StatementCache& m_statements;
    const Config& m_config;
    std::string m_now;
    LoadedSchemas& m_schemas;
    std::vector<PendingEvent> m_pending_events;
    RowCache& m_cache;
};

}  // namespace chat::store
