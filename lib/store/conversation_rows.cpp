#include "store/conversation_rows.hpp"

#include "store/schema_lookup.hpp"
#include "store/sql_values.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace chat::store {
namespace {

constexpr const char* k_member_columns =
    "id, thread_id, user_id, state, permissions, notifications, schema_id, question_id, "
    "related_message_id, on_finish, automated_sender_id, initial_question_id, variables, "
    "last_message_id, created, updated";

constexpr const char* k_message_select =
    "SELECT m.id, m.thread_id, m.sender_id, m.addressee_id, m.type, m.text, m.meta, rq.qid, "
    "pq.qid, m.created, m.updated, m.deleted FROM messages m "
    "LEFT JOIN questions rq ON rq.id = m.related_question_id "
    "LEFT JOIN questions pq ON pq.id = m.predecessor_id ";

MemberRow read_member(SQLite::Statement& row) {
    MemberRow member;
    member.id = row.getColumn(0).getInt64();
    member.thread_id = row.getColumn(1).getInt64();
    member.user_id = row.getColumn(2).getInt64();
    member.state =
        engine::state_from_name(row.getColumn(3).getString()).value_or(engine::MemberState::open);
    member.permissions = row.getColumn(4).getInt64();
    member.notifications = row.getColumn(5).getInt64();
    member.schema_id = optional_integer(row.getColumn(6));
    member.question_row = optional_integer(row.getColumn(7));
    member.related_message_id = optional_integer(row.getColumn(8));
    if (auto on_finish = optional_text(row.getColumn(9))) {
        member.on_finish = engine::on_finish_from_name(*on_finish);
    }
    member.automated_sender = optional_integer(row.getColumn(10));
    member.initial_question_row = optional_integer(row.getColumn(11));
    member.variables = row.getColumn(12).getString();
    member.last_message_id = optional_integer(row.getColumn(13));
    member.created = row.getColumn(14).getString();
    member.updated = row.getColumn(15).getString();
    return member;
}

void bind_member(SQLite::Statement& statement, const MemberRow& member) {
    statement.bind(1, member.thread_id);
    statement.bind(2, member.user_id);
    statement.bind(3, std::string(engine::state_name(member.state)));
    statement.bind(4, member.permissions);
    statement.bind(5, member.notifications);
    bind_optional(statement, 6, member.schema_id);
    bind_optional(statement, 7, member.question_row);
    bind_optional(statement, 8, member.related_message_id);
    if (member.on_finish) {
        statement.bind(9, std::string(engine::on_finish_name(*member.on_finish)));
    } else {
        statement.bind(9);
    }
    bind_optional(statement, 10, member.automated_sender);
    bind_optional(statement, 11, member.initial_question_row);
    statement.bind(12, member.variables);
    bind_optional(statement, 13, member.last_message_id);
    statement.bind(14, member.created);
    statement.bind(15, member.updated);
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

Thread ConversationRows::require_thread(const ThreadReference& reference) {
    auto& select = m_statements(
        std::string("SELECT id, key, title, type, created, updated FROM threads WHERE ") +
        (reference.id ? "id = ?1" : "key = ?1"));
    if (reference.id) {
        select.bind(1, *reference.id);
    } else {
        select.bind(1, reference.key);
    }
    if (!select.executeStep()) {
        throw Error(ErrorKind::not_found, "THREAD_NOT_FOUND", "no thread " + reference.describe());
    }
    return {select.getColumn(0).getInt64(),  optional_text(select.getColumn(1)),
            select.getColumn(2).getString(), select.getColumn(3).getString(),
            select.getColumn(4).getString(), select.getColumn(5).getString()};
}

std::optional<MemberRow> ConversationRows::find_member(std::int64_t thread_id,
                                                       std::int64_t user_id) {
    if (auto known = m_cache.members.find({thread_id, user_id}); known != m_cache.members.end()) {
        return known->second;
    }
    auto& select = m_statements(std::string("SELECT ") + k_member_columns +
                                " FROM members WHERE thread_id = ?1 AND user_id = ?2");
    select.bind(1, thread_id);
    select.bind(2, user_id);
    if (!select.executeStep()) {
        return std::nullopt;
    }
    return remember(read_member(select));
}

MemberRow ConversationRows::require_member(std::int64_t thread_id, std::int64_t user_id) {
    if (auto member = find_member(thread_id, user_id)) {
        return *member;
    }
    throw Error(ErrorKind::not_found, "MEMBER_NOT_FOUND",
                "user " + std::to_string(user_id) + " is not a member of thread " +
                    std::to_string(thread_id));
}

std::vector<MemberRow> ConversationRows::thread_members(std::int64_t thread_id) {
    std::vector<MemberRow> members;
    if (m_cache.threads_with_all_members.count(thread_id) != 0) {
        auto limit = std::numeric_limits<std::int64_t>::max();
        for (auto it = m_cache.members.lower_bound({thread_id, -limit});
             it != m_cache.members.end() && it->first.first == thread_id; ++it) {
            members.push_back(it->second);
        }
        std::sort(members.begin(), members.end(),
                  [](const MemberRow& a, const MemberRow& b) { return a.id < b.id; });
        return members;
    }
    auto& select = m_statements(std::string("SELECT ") + k_member_columns +
                                " FROM members WHERE thread_id = ?1 ORDER BY id");
    select.bind(1, thread_id);
    while (select.executeStep()) {
        members.push_back(remember(read_member(select)));
    }
    // insert_member and delete_member keep the set whole from now on.
    m_cache.threads_with_all_members.insert(thread_id);
    return members;
}

void ConversationRows::insert_member(MemberRow& member) {
    member.created = member.updated = m_now;
    auto& insert = m_statements(
        "INSERT INTO members (thread_id, user_id, state, permissions, notifications, schema_id, "
        "question_id, related_message_id, on_finish, automated_sender_id, initial_question_id, "
        "variables, last_message_id, created, updated) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id");
    bind_member(insert, member);
    insert.executeStep();
    member.id = insert.getColumn(0).getInt64();
    insert.reset();
    remember(member);
}

// last_message_id is not written here: new messages and deletions keep it (fan_out,
// recompute_last_messages), and a member read before them must not undo that.
void ConversationRows::update_member(MemberRow& member) {
    member.updated = m_now;
    auto& update = m_statements(
        "UPDATE members SET thread_id = ?1, user_id = ?2, state = ?3, permissions = ?4, "
        "notifications = ?5, schema_id = ?6, question_id = ?7, related_message_id = ?8, "
        "on_finish = ?9, automated_sender_id = ?10, initial_question_id = ?11, variables = ?12, "
        "created = ?14, updated = ?15 WHERE id = ?16");
    bind_member(update, member);
    update.bind(16, member.id);
    update.exec();
    if (auto known = m_cache.members.find({member.thread_id, member.user_id});
        known != m_cache.members.end()) {
        auto last_message_id = known->second.last_message_id;
        known->second = member;
        known->second.last_message_id = last_message_id;
    }
}

MemberRow ConversationRows::remember(MemberRow member) {
    m_cache.members[{member.thread_id, member.user_id}] = member;
    return member;
}

void ConversationRows::remember_last_message(const MemberRow& member,
                                             std::optional<std::int64_t> message_id) {
    if (auto known = m_cache.members.find({member.thread_id, member.user_id});
        known != m_cache.members.end()) {
        known->second.last_message_id = message_id;
    }
}

void ConversationRows::delete_member(const MemberRow& member) {
    auto& unread =
        m_statements("DELETE FROM unread_messages WHERE user_id = ?1 AND thread_id = ?2");
    unread.bind(1, member.user_id);
    unread.bind(2, member.thread_id);
    unread.exec();
    auto& remove = m_statements("DELETE FROM members WHERE id = ?1");
    remove.bind(1, member.id);
    remove.exec();
    m_cache.members.erase({member.thread_id, member.user_id});
}

StoredMessage ConversationRows::read_message(SQLite::Statement& row) {
    StoredMessage message;
    message.id = row.getColumn(0).getInt64();
    message.thread_id = row.getColumn(1).getInt64();
    message.sender = optional_integer(row.getColumn(2));
    message.addressee = optional_integer(row.getColumn(3));
    message.type = row.getColumn(4).getString();
    message.text = optional_text(row.getColumn(5));
    message.meta = json_column(row.getColumn(6));
    message.related_qid = optional_integer(row.getColumn(7));
    message.predecessor_qid = optional_integer(row.getColumn(8));
    message.created = row.getColumn(9).getString();
    message.updated = row.getColumn(10).getString();
    message.deleted = row.getColumn(11).getInt() != 0;
    auto& answers = m_statements(
        "SELECT a.position FROM message_answers ma JOIN answers a ON a.id = ma.answer_id "
        "WHERE ma.message_id = ?1 ORDER BY a.position");
    answers.bind(1, message.id);
    while (answers.executeStep()) {
        message.answers.push_back(answers.getColumn(0).getInt64());
    }
    auto& attachments = m_statements(
        "SELECT type, title, description, url, options, thumbnail, object_type, object_id "
        "FROM attachments WHERE message_id = ?1 ORDER BY position");
    attachments.bind(1, message.id);
    while (attachments.executeStep()) {
        nlohmann::json attachment = {{"type", attachments.getColumn(0).getString()}};
        const char* fields[] = {"title", "description", "url"};
        for (int i = 0; i < 3; ++i) {
            if (!attachments.getColumn(i + 1).isNull()) {
                attachment[fields[i]] = attachments.getColumn(i + 1).getString();
            }
        }
        if (!attachments.getColumn(4).isNull()) {
            attachment["options"] = json_column(attachments.getColumn(4));
        }
        if (!attachments.getColumn(5).isNull()) {
            attachment["thumbnail"] = json_column(attachments.getColumn(5));
        }
        if (!attachments.getColumn(6).isNull()) {
            attachment["object"] = {{"type", attachments.getColumn(6).getString()},
                                    {"id", attachments.getColumn(7).getInt64()}};
        }
        message.attachments.push_back(std::move(attachment));
    }
    return message;
}

std::optional<StoredMessage> ConversationRows::find_message(std::int64_t id) {
    if (auto known = m_cache.messages.find(id); known != m_cache.messages.end()) {
        return known->second;
    }
    auto& select = m_statements(std::string(k_message_select) + "WHERE m.id = ?1");
    select.bind(1, id);
    if (!select.executeStep()) {
        return std::nullopt;
    }
    // read_message runs other statements: take this row's values first.
    auto message = read_message(select);
    m_cache.messages[id] = message;
    return message;
}

StoredMessage ConversationRows::require_message(std::int64_t id) {
    if (auto message = find_message(id)) {
        return *message;
    }
    throw Error(ErrorKind::not_found, "MESSAGE_NOT_FOUND",
                "no message with id " + std::to_string(id));
}

StoredMessage ConversationRows::insert_message(const MessageDraft& draft) {
    // The stored message is what the draft says: built here rather than read back.
    StoredMessage message;
    message.thread_id = draft.thread_id;
    message.sender = draft.sender;
    message.addressee = draft.addressee;
    message.type = draft.type;
    message.text = draft.text;
    message.meta = draft.meta;
    message.attachments = draft.attachments;
    message.created = message.updated = m_now;
    std::optional<std::int64_t> related_question_row;
    std::optional<std::int64_t> predecessor_row;
    std::vector<std::int64_t> answer_rows;
    if (draft.schema && draft.question) {
        related_question_row = draft.schema->question_rows[*draft.question];
        message.related_qid = draft.schema->runtime.question(*draft.question).qid;
        auto chosen = draft.chosen;
        std::sort(chosen.begin(), chosen.end());
        for (auto answer : chosen) {
            answer_rows.push_back(draft.schema->answer_rows[*draft.question][answer]);
            message.answers.push_back(static_cast<std::int64_t>(answer));
        }
    }
    if (draft.schema && draft.predecessor) {
        predecessor_row = draft.schema->question_rows[*draft.predecessor];
        message.predecessor_qid = draft.schema->runtime.question(*draft.predecessor).qid;
    }
    auto& insert = m_statements(
        "INSERT INTO messages (thread_id, sender_id, addressee_id, type, text, meta, "
        "related_question_id, predecessor_id, created, updated) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id");
    insert.bind(1, draft.thread_id);
    bind_optional(insert, 2, draft.sender);
    bind_optional(insert, 3, draft.addressee);
    insert.bind(4, draft.type);
    bind_optional(insert, 5, draft.text);
    bind_json(insert, 6, draft.meta);
    bind_optional(insert, 7, related_question_row);
    bind_optional(insert, 8, predecessor_row);
    insert.bind(9, m_now);
    insert.executeStep();
    message.id = insert.getColumn(0).getInt64();
    insert.reset();
    for (std::int64_t answer : answer_rows) {
        auto& link =
            m_statements("INSERT INTO message_answers (message_id, answer_id) VALUES (?1, ?2)");
        link.bind(1, message.id);
        link.bind(2, answer);
        link.exec();
    }
    insert_attachments(message.id, draft.attachments);
    m_cache.messages[message.id] = message;
    fan_out(message);
    return message;
}

void ConversationRows::insert_attachments(std::int64_t message_id,
                                          const nlohmann::json& attachments) {
    std::int64_t position = 0;
    for (const auto& attachment : attachments) {
        auto& add = m_statements(
            "INSERT INTO attachments (message_id, position, type, title, description, url, "
            "options, thumbnail, object_type, object_id) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        add.bind(1, message_id);
        add.bind(2, position++);
        add.bind(3, attachment.value("type", std::string("object_reference")));
        const char* fields[] = {"title", "description", "url"};
        for (int i = 0; i < 3; ++i) {
            if (attachment.contains(fields[i]) && attachment[fields[i]].is_string()) {
                add.bind(4 + i, attachment[fields[i]].get<std::string>());
            } else {
                add.bind(4 + i);
            }
        }
        bind_json(add, 7, attachment.value("options", nlohmann::json()));
        bind_json(add, 8, attachment.value("thumbnail", nlohmann::json()));
        const auto object = attachment.value("object", nlohmann::json());
        if (object.is_object()) {
            add.bind(9, object.value("type", std::string()));
            add.bind(10, object.value("id", std::int64_t{0}));
        } else {
            add.bind(9);
            add.bind(10);
        }
        add.exec();
    }
}

void ConversationRows::update_message_text(std::int64_t id, const std::string& text) {
    m_cache.messages.erase(id);
    m_cache.dumped_messages.erase(id);
    auto& update = m_statements("UPDATE messages SET text = ?2, updated = ?3 WHERE id = ?1");
    update.bind(1, id);
    update.bind(2, text);
    update.bind(3, m_now);
    update.exec();
}

const std::vector<std::string>& ConversationRows::roles_of(std::int64_t user_id) {
    if (auto known = m_cache.roles.find(user_id); known != m_cache.roles.end()) {
        return known->second;
    }
    auto& select = m_statements("SELECT roles FROM users WHERE id = ?1");
    select.bind(1, user_id);
    std::vector<std::string> roles;
    if (select.executeStep()) {
        roles = json_column(select.getColumn(0)).get<std::vector<std::string>>();
    }
    return m_cache.roles.emplace(user_id, std::move(roles)).first->second;
}

std::optional<std::string> ConversationRows::language_of(std::int64_t user_id) {
    if (auto known = m_cache.languages.find(user_id); known != m_cache.languages.end()) {
        return known->second;
    }
    auto& select = m_statements("SELECT language FROM users WHERE id = ?1");
    select.bind(1, user_id);
    auto language = select.executeStep() ? optional_text(select.getColumn(0)) : std::nullopt;
    m_cache.languages.emplace(user_id, language);
    return language;
}

bool ConversationRows::user_may_see(const std::string& message_type, std::int64_t user_id) {
    bool is_restricted =
        std::any_of(m_config.message_visibility.begin(), m_config.message_visibility.end(),
                    [&](const auto& rule) { return contains(rule.types, message_type); });
    return !is_restricted || may_see(message_type, roles_of(user_id));
}

bool ConversationRows::may_see(const std::string& message_type,
                               const std::vector<std::string>& roles) const {
    for (const auto& rule : m_config.message_visibility) {
        if (contains(rule.types, message_type)) {
            return std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
                return contains(rule.visible_to_roles, role);
            });
        }
    }
    return true;
}

void ConversationRows::add_event(const std::string& channel, const std::string& event,
                                 std::optional<std::int64_t> user_id,
                                 std::optional<std::int64_t> thread_id,
                                 const nlohmann::json& payload) {
    PendingEvent pending;
    pending.channel = channel;
    pending.event = event;
    pending.user_id = user_id;
    pending.thread_id = thread_id;
    pending.payload = payload;
    m_pending_events.push_back(std::move(pending));
}

void ConversationRows::add_message_event(const char* channel, std::int64_t user_id,
                                         std::int64_t thread_id,
                                         std::shared_ptr<const DumpedObject> message,
                                         std::optional<ReadMarks> marks, bool wants_thread_data) {
    PendingEvent pending;
    pending.channel = channel;
    pending.event = "message_created_or_updated";
    pending.user_id = user_id;
    pending.thread_id = thread_id;
    pending.message = std::move(message);
    pending.marks = marks;
    pending.wants_thread_data = wants_thread_data;
    m_pending_events.push_back(std::move(pending));
}

std::string ConversationRows::payload_text(
    const PendingEvent& event,
    std::map<std::pair<std::int64_t, std::int64_t>, std::string>& thread_data) {
    if (!event.message) {
        return event.payload.dump();
    }
    std::vector<DumpedObject::Member> extra;
    if (event.marks) {
        extra.push_back({"is_own", event.marks->is_own ? "true" : "false"});
        extra.push_back({"is_read", event.marks->is_read ? "true" : "false"});
    }
    if (event.wants_thread_data) {
        auto key = std::make_pair(*event.thread_id, *event.user_id);
        auto found = thread_data.find(key);
        if (found == thread_data.end()) {
            found = thread_data.emplace(key, thread_data_text(key.first, key.second)).first;
        }
        extra.push_back({"thread_data", found->second});
    }
    return event.message->with(std::move(extra));
}

void ConversationRows::flush_events() {
    // One member view per recipient, however many messages the action posted.
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> thread_data;
    auto& insert = m_statements(
        "INSERT INTO outbox (created, channel, event, user_id, thread_id, payload) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& event : m_pending_events) {
        insert.bind(1, m_now);
        insert.bind(2, event.channel);
        insert.bind(3, event.event);
        bind_optional(insert, 4, event.user_id);
        bind_optional(insert, 5, event.thread_id);
        insert.bind(6, payload_text(event, thread_data));
        insert.exec();
        insert.reset();
    }
    m_pending_events.clear();
}

std::vector<std::int64_t> ConversationRows::non_member_subscribers(std::int64_t thread_id) {
    auto& subscribers = m_statements(
        "SELECT user_id FROM ws_subscriptions WHERE user_id NOT IN "
        "(SELECT user_id FROM members WHERE thread_id = ?1) ORDER BY user_id");
    subscribers.bind(1, thread_id);
    std::vector<std::int64_t> users;
    while (subscribers.executeStep()) {
        users.push_back(subscribers.getColumn(0).getInt64());
    }
    return users;
}

bool ConversationRows::has_unread_row(std::int64_t user_id, std::int64_t message_id) {
    auto& select =
        m_statements("SELECT 1 FROM unread_messages WHERE user_id = ?1 AND message_id = ?2");
    select.bind(1, user_id);
    select.bind(2, message_id);
    return select.executeStep();
}

void ConversationRows::broadcast(std::int64_t thread_id, const std::string& event,
                                 const nlohmann::json& payload,
                                 std::optional<std::int64_t> except) {
    for (const auto& member : thread_members(thread_id)) {
        if (member.user_id != except &&
            engine::has_permission(member.notifications, engine::notification::ws)) {
            add_event("ws", event, member.user_id, thread_id, payload);
        }
    }
    for (auto user : non_member_subscribers(thread_id)) {
        if (user != except) {
            add_event("ws", event, user, thread_id, payload);
        }
    }
}

namespace {

// Whether `user` sent `message`. An automated message is news to the member it asks, even when
// that member is also its automated sender.
bool is_own_message(const StoredMessage& message, std::int64_t user) {
    bool is_addressee = message.addressee && *message.addressee == user;
    return message.sender && *message.sender == user && !is_addressee;
}

}  // namespace

void ConversationRows::announce_to_subscribers(const StoredMessage& message) {
    for (auto user : non_member_subscribers(message.thread_id)) {
        if (user_may_see(message.type, user)) {
            add_message_event("ws", user, message.thread_id, dumped(message),
                              ReadMarks{false, false}, false);
        }
    }
}

std::shared_ptr<const DumpedObject> ConversationRows::dumped(const StoredMessage& message) {
    auto& slot = m_cache.dumped_messages[message.id];
    if (!slot) {
        slot = std::make_shared<const DumpedObject>(nlohmann::json(message_json(message)));
    }
    return slot;
}

// The member's view as thread_data; its last message is mostly the one just announced, whose
// text is already there.
std::string ConversationRows::thread_data_text(std::int64_t thread_id, std::int64_t user_id) {
    auto member = find_member(thread_id, user_id);
    if (!member) {
        return "null";
    }
    MemberView member_view = view(*member);
    auto last_message = std::move(member_view.last_message);
    member_view.last_message.reset();
    nlohmann::json view_json(member_json(member_view));
    if (!last_message) {
        return view_json.dump();
    }
    return dump_with(std::move(view_json), "last_message", dumped(*last_message)->dump());
}

// Unread rows for members who may see it (SPEC §8), last messages, and the outbox (SPEC §9).
void ConversationRows::fan_out(const StoredMessage& message) {
    auto members = thread_members(message.thread_id);
    for (auto& member : members) {
        if (!user_may_see(message.type, member.user_id)) {
            continue;
        }
        bool is_own = is_own_message(message, member.user_id);
        if (!is_own && engine::has_permission(member.notifications, engine::notification::unread)) {
            auto& unread = m_statements(
                "INSERT OR IGNORE INTO unread_messages (user_id, message_id, thread_id) "
                "VALUES (?1, ?2, ?3)");
            unread.bind(1, member.user_id);
            unread.bind(2, message.id);
            unread.bind(3, message.thread_id);
            unread.exec();
        }
        auto& last = m_statements("UPDATE members SET last_message_id = ?2 WHERE id = ?1");
        last.bind(1, member.id);
        last.bind(2, message.id);
        last.exec();
        member.last_message_id = message.id;
        remember_last_message(member, message.id);
        if (engine::has_permission(member.notifications, engine::notification::ws)) {
            add_message_event("ws", member.user_id, member.thread_id, dumped(message),
                              ReadMarks{is_own, is_own}, true);
        }
        if (is_own) {
            continue;
        }
        const std::pair<std::int64_t, const char*> channels[] = {
            {engine::notification::push, "push"},
            {engine::notification::email, "email"},
            {engine::notification::sms, "sms"}};
        for (const auto& [bit, channel] : channels) {
            if (engine::has_permission(member.notifications, bit)) {
                add_message_event(channel, member.user_id, message.thread_id, dumped(message),
                                  std::nullopt, false);
            }
        }
    }
    announce_to_subscribers(message);
}

void ConversationRows::announce_update(const StoredMessage& message) {
    for (auto& member : thread_members(message.thread_id)) {
        if (!engine::has_permission(member.notifications, engine::notification::ws) ||
            !user_may_see(message.type, member.user_id)) {
            continue;
        }
        add_message_event("ws", member.user_id, member.thread_id, dumped(message),
                          ReadMarks{is_own_message(message, member.user_id),
                                    !has_unread_row(member.user_id, message.id)},
                          true);
    }
    announce_to_subscribers(message);
}

void ConversationRows::soft_delete(std::int64_t thread_id, const std::vector<std::int64_t>& ids) {
    for (std::int64_t id : ids) {
        m_cache.messages.erase(id);
        m_cache.dumped_messages.erase(id);
        auto& remove = m_statements("UPDATE messages SET deleted = 1, updated = ?2 WHERE id = ?1");
        remove.bind(1, id);
        remove.bind(2, m_now);
        remove.exec();
        auto& unread = m_statements("DELETE FROM unread_messages WHERE message_id = ?1");
        unread.bind(1, id);
        unread.exec();
    }
    recompute_last_messages(thread_id);
}

void ConversationRows::recompute_last_messages(std::int64_t thread_id) {
    for (auto& member : thread_members(thread_id)) {
        auto roles = roles_of(member.user_id);
        std::optional<std::int64_t> last;
        auto& select = m_statements(
            "SELECT id, type FROM messages WHERE thread_id = ?1 AND deleted = 0 ORDER BY id DESC");
        select.bind(1, thread_id);
        while (select.executeStep()) {
            if (may_see(select.getColumn(1).getString(), roles)) {
                last = select.getColumn(0).getInt64();
                break;
            }
        }
        select.reset();
        if (last != member.last_message_id) {
            auto& update = m_statements("UPDATE members SET last_message_id = ?2 WHERE id = ?1");
            update.bind(1, member.id);
            bind_optional(update, 2, last);
            update.exec();
            remember_last_message(member, last);
        }
    }
}

MemberView ConversationRows::view(const MemberRow& member) {
    MemberView view;
    view.id = member.id;
    view.thread_id = member.thread_id;
    view.user_id = member.user_id;
    view.state = member.state;
    view.permissions = member.permissions;
    view.notifications = member.notifications;
    view.on_finish = member.on_finish;
    view.automated_sender = member.automated_sender;
    view.variables = nlohmann::json::parse(member.variables);
    view.created = member.created;
    view.updated = member.updated;
    if (member.schema_id) {
        const LoadedSchema& schema = m_schemas.get(*member.schema_id);
        view.schema = schema.version;
        if (member.question_row) {
            if (auto index = schema.question_of_row(*member.question_row)) {
                view.question = schema.runtime.question(*index).qid;
                view.question_content = schema.runtime.question(*index);
            }
        }
        if (member.initial_question_row) {
            if (auto index = schema.question_of_row(*member.initial_question_row)) {
                view.initial_question = schema.runtime.question(*index).qid;
            }
        }
    }
    auto& count =
        m_statements("SELECT count(*) FROM unread_messages WHERE user_id = ?1 AND thread_id = ?2");
    count.bind(1, member.user_id);
    count.bind(2, member.thread_id);
    count.executeStep();
    view.unread = count.getColumn(0).getInt64();
    count.reset();
    if (member.last_message_id) {
        view.last_message = find_message(*member.last_message_id);
    }
    return view;
}

nlohmann::json ConversationRows::recompute_variables(const MemberRow& member) {
    struct Step {
        std::int64_t schema_id = 0;
        std::int64_t qid = 0;
        bool is_question = false;  // the automated message asking it, else the member's answer
        std::vector<std::int64_t> answer_rows;
    };
    std::vector<Step> steps;
    auto& select = m_statements(
        "SELECT m.id, q.schema_id, q.qid, m.addressee_id = ?2 FROM messages m "
        "JOIN questions q ON q.id = m.related_question_id WHERE m.thread_id = ?1 "
        "AND m.deleted = 0 AND (m.addressee_id = ?2 OR (m.sender_id = ?2 AND m.addressee_id IS "
        "NULL)) ORDER BY m.id");
    select.bind(1, member.thread_id);
    select.bind(2, member.user_id);
    std::vector<std::int64_t> message_ids;
    while (select.executeStep()) {
        message_ids.push_back(select.getColumn(0).getInt64());
        steps.push_back({select.getColumn(1).getInt64(),
                         select.getColumn(2).getInt64(),
                         select.getColumn(3).getInt() != 0,
                         {}});
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].is_question) {
            continue;
        }
        auto& answers = m_statements("SELECT answer_id FROM message_answers WHERE message_id = ?1");
        answers.bind(1, message_ids[i]);
        while (answers.executeStep()) {
            steps[i].answer_rows.push_back(answers.getColumn(0).getInt64());
        }
    }
    nlohmann::json variables = nlohmann::json::object();
    for (const auto& step : steps) {
        const LoadedSchema& schema = m_schemas.get(step.schema_id);
        auto index = schema.runtime.index_of(step.qid);
        if (!index) {
            continue;
        }
        VariablePool pool = pool_from_json(schema.runtime, variables);
        if (step.is_question) {
            schema.runtime.apply_question_modifications(*index, pool);
        } else {
            std::vector<std::size_t> chosen;
            for (auto row : step.answer_rows) {
                if (auto answer = schema.answer_of_row(row)) {
                    chosen.push_back(answer->second);
                }
            }
            std::sort(chosen.begin(), chosen.end());
            for (auto answer : chosen) {
                schema.runtime.apply_answer_modifications(*index, answer, pool);
            }
        }
        merge_pool(schema.runtime, pool, variables);
    }
    return variables;
}

VariablePool pool_from_json(const RuntimeSchema& schema, const nlohmann::json& variables) {
    VariablePool pool = schema.empty_pool();
    const auto& names = schema.variable_names();
    for (std::size_t id = 0; id < names.size(); ++id) {
        auto it = variables.find(names[id]);
        if (it != variables.end() && it->is_number()) {
            pool.assign(id, it->get<double>());
        }
    }
    return pool;
}

void merge_pool(const RuntimeSchema& schema, const VariablePool& pool, nlohmann::json& variables) {
    nlohmann::json assigned = schema.variables_json(pool);
    for (auto& [name, value] : assigned.items()) {
        variables[name] = value;
    }
}

}  // namespace chat::store
