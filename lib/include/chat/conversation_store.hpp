#pragma once
/// Threads, members and messages (SPEC §7–§9): every action runs in one IMMEDIATE transaction
/// and either does all it says (messages, unread rows, last messages, outbox events) or, when
/// refused, throws chat::Error and changes nothing.
///
/// An action takes `as`: the acting user, whose member permissions are checked; without it the
/// operator acts (no permission checks; every other rule holds).

#include <chat/answer.hpp>
#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/engine.hpp>
#include <chat/schema_store.hpp>
#include <chat/store.hpp>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace chat::store {

using ThreadReference = KeyReference;
using Actor = std::optional<std::int64_t>;  // the acting user; none: the operator

struct Thread {
    std::int64_t id = 0;
    std::optional<std::string> key;
    std::string title;
    std::string type;
    std::string created;
    std::string updated;
};

struct StoredMessage {
    std::int64_t id = 0;
    std::int64_t thread_id = 0;
    std::optional<std::int64_t> sender;
    std::optional<std::int64_t> addressee;  // automated question messages: the member asked
    std::string type;
    std::optional<std::string> text;
    nlohmann::json meta;                      // null when absent
    std::optional<std::int64_t> related_qid;  // the question it posts or answers
    std::optional<std::int64_t> predecessor_qid;
    std::vector<std::int64_t> answers;  // chosen answer positions
    nlohmann::json attachments = nlohmann::json::array();
    std::string created;
    std::string updated;
    bool deleted = false;
};

/// One member as a client needs it: its state, its question with the answers, its unread count,
/// its last message and its variables.
struct MemberView {
    std::int64_t id = 0;
    std::int64_t thread_id = 0;
    std::int64_t user_id = 0;
    engine::MemberState state = engine::MemberState::open;
    std::int64_t permissions = 0;
    std::int64_t notifications = 0;
    std::optional<SchemaVersion> schema;
    std::optional<std::int64_t> question;  // current qid
    std::optional<Question> question_content;
    std::optional<std::int64_t> initial_question;
    std::optional<engine::OnFinish> on_finish;
    std::optional<std::int64_t> automated_sender;
    nlohmann::json variables = nlohmann::json::object();
    std::int64_t unread = 0;
    std::optional<StoredMessage> last_message;
    std::string created;
    std::string updated;
};

struct NewThread {
    std::optional<std::string> key;
    std::optional<std::string> type;  // default: default_thread_type
    std::string title;
};

struct NewMember {
    std::int64_t user_id = 0;
    std::optional<std::int64_t> permissions;    // default: permissions.member_default
    std::optional<std::int64_t> notifications;  // default: notifications_default
};

/// The settings to change; absent ones stay.
struct MemberSettings {
    std::optional<engine::MemberState> state;
    std::optional<SchemaReference> schema;
    std::optional<std::int64_t> question;          // qid: becomes current (posted when scripted)
    std::optional<std::int64_t> initial_question;  // qid
    std::optional<engine::OnFinish> on_finish;
    std::optional<std::int64_t> automated_sender;
    std::optional<std::int64_t> permissions;
    std::optional<std::int64_t> notifications;
};

struct NewMessage {
    std::optional<std::string> text;
    std::optional<std::string> type;       // default "message"
    nlohmann::json meta;                   // null when absent
    std::vector<std::string> answers;      // answer texts (any language) or positions (digits)
    std::optional<std::int64_t> question;  // qid, for scripted_fe_controlled
    nlohmann::json attachments = nlohmann::json::array();
    bool break_state = false;
};

/// What an action stored, for its output.
struct SendResult {
    std::vector<StoredMessage> messages;  // created by the action, in order (answer, then posts)
    MemberView sender;                    // the sender's member view after the action
};

enum class ReadScope { message, up_to, thread };

struct ReadRequest {
    std::int64_t user_id = 0;
    ThreadReference thread;
    ReadScope scope = ReadScope::thread;
    std::int64_t message_id = 0;  // for message and up_to
};

struct UnreadCount {
    std::int64_t thread_id = 0;
    std::optional<std::string> key;
    std::int64_t unread = 0;
};

struct OutboxEvent {
    std::int64_t id = 0;
    std::string created;
    std::string channel;
    std::string event;
    std::optional<std::int64_t> user_id;
    std::optional<std::int64_t> thread_id;
    nlohmann::json payload;
};

struct OutboxFilter {
    std::optional<std::string> channel;
    std::int64_t after = 0;
    std::optional<std::int64_t> limit;
};

struct MessageFilter {
    std::optional<std::int64_t> for_user;  // only messages this user may see
    bool include_deleted = false;
    std::optional<std::int64_t> limit;  // the newest N
    bool mark_read = false;             // with for_user
};

struct ConversationCaches;

class ConversationStore {
public:
    ConversationStore(Database& database, Clock& clock, const Config& config)
        : m_database(database), m_clock(clock), m_config(config) {}

    /// With `as`, the creator becomes a member with creator permissions.
    Thread create_thread(const Actor& as, const NewThread& request);
    Thread get_thread(const ThreadReference& thread);
    std::vector<Thread> list_threads(std::optional<std::int64_t> user_id);

    MemberView add_member(const Actor& as, const ThreadReference& thread, const NewMember& member);
    void remove_member(const Actor& as, const ThreadReference& thread, std::int64_t user_id);
    MemberView set_member(const Actor& as, const ThreadReference& thread, std::int64_t user_id,
                          const MemberSettings& settings);
    MemberView member(const ThreadReference& thread, std::int64_t user_id);
    std::vector<MemberView> members(const ThreadReference& thread);

    /// `as` is the sender (required: a message has one).
    SendResult send(std::int64_t as, const ThreadReference& thread, const NewMessage& message);
    /// Confirms the member's current control question: the flow moves on, nothing is stored.
    SendResult confirm(std::int64_t as, const ThreadReference& thread);
    StoredMessage edit(const Actor& as, std::int64_t message_id, const std::string& text);
    StoredMessage remove_message(const Actor& as, std::int64_t message_id);
    /// Back to `question` (default: the previous question of the member's script).
    MemberView rollback(const Actor& as, const ThreadReference& thread, std::int64_t user_id,
                        std::optional<std::int64_t> question);
    /// An assisted member posts a question of its schema; with `scripted_user`, that member
    /// is put into scripted state at the question.
    SendResult assist(std::int64_t as, const ThreadReference& thread, std::int64_t question,
                      std::optional<std::int64_t> scripted_user);
    void typing(std::int64_t as, const ThreadReference& thread, std::int64_t length_ms);
    void subscribe(std::int64_t user_id);

    std::vector<StoredMessage> messages(const ThreadReference& thread, const MessageFilter& filter);
    std::int64_t read(const ReadRequest& request);  // rows deleted
    std::vector<UnreadCount> unread(std::int64_t user_id);

    std::vector<OutboxEvent> outbox(const OutboxFilter& filter);
    /// Deletes the events with an id up to `up_to` (included), of `channel` only when given;
    /// returns how many.
    std::int64_t acknowledge(std::int64_t up_to,
                             const std::optional<std::string>& channel = std::nullopt);

private:
    ConversationCaches& caches();

    Database& m_database;
    Clock& m_clock;
    const Config& m_config;
    // Prepared statements and loaded schemas, kept for the life of the store: a replay or a
    // stream calls it per step.
    std::shared_ptr<ConversationCaches> m_caches;
};

nlohmann::ordered_json thread_json(const Thread& thread);
nlohmann::ordered_json message_json(const StoredMessage& message);
nlohmann::ordered_json member_json(const MemberView& member);

}  // namespace chat::store
