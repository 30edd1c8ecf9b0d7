// The reference of the `replay --stream` benchmark (SPEC §14): how fast SQLite alone stores the
// rows a stream stored, on the same layout. Inserts into an existing chatctl database (one made
// by `chatctl schema import`, for its answers) the users, threads, members, messages, their
// answers, unread rows and outbox events counted after the real run, with texts and payloads of
// the same average size, through one prepared statement per table, in the same journal mode
// (WAL), synchronous setting (NORMAL) and foreign-key checks as chatctl. A user, a thread with
// its members, or a message with its rows counts as one step; a transaction commits every
// BATCH steps, as replay --stream commits every --batch-size steps.
//
// usage: chat_bench_raw_insert DB --users N --threads N --members N --messages N --answers N
//            --unread N --outbox N --text-bytes N --payload-bytes N [--batch-size N]
// prints: rows=ROWS seconds=SECONDS rows_per_second=RATE

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view k_now = "2026-01-05T09:00:00Z";
constexpr int k_busy_timeout_ms = 5000;

struct Counts {
    std::int64_t users = 0;
    std::int64_t threads = 0;
    std::int64_t members = 0;
    std::int64_t messages = 0;
    std::int64_t answers = 0;
    std::int64_t unread = 0;
    std::int64_t outbox = 0;
    std::int64_t text_bytes = 0;
    std::int64_t payload_bytes = 0;
    std::int64_t batch_size = 10000;
};

struct OptionSlot {
    std::string_view name;
    std::int64_t Counts::*field;
};

constexpr std::array<OptionSlot, 10> k_options = {{
    {"--users", &Counts::users},
    {"--threads", &Counts::threads},
    {"--members", &Counts::members},
    {"--messages", &Counts::messages},
    {"--answers", &Counts::answers},
    {"--unread", &Counts::unread},
    {"--outbox", &Counts::outbox},
    {"--text-bytes", &Counts::text_bytes},
    {"--payload-bytes", &Counts::payload_bytes},
    {"--batch-size", &Counts::batch_size},
}};

std::optional<Counts> parse_counts(int argc, char** argv) {
    Counts counts;
    for (int i = 2; i + 1 < argc; i += 2) {
        auto slot = std::find_if(k_options.begin(), k_options.end(),
                                 [&](const OptionSlot& option) { return option.name == argv[i]; });
        char* end = nullptr;
        long long value = std::strtoll(argv[i + 1], &end, 10);
        if (slot == k_options.end() || end == argv[i + 1] || *end != '\0' || value < 0) {
            return std::nullopt;
        }
        counts.*(slot->field) = value;
    }
    bool is_complete = argc % 2 == 0 && counts.users > 0 && counts.threads > 0 &&
                       counts.members >= counts.threads && counts.batch_size > 0;
    return is_complete ? std::optional<Counts>(counts) : std::nullopt;
}

// The share of `total` rows that falls on item `index` of `items`, spread evenly.
std::int64_t share(std::int64_t total, std::int64_t index, std::int64_t items) {
    return (index + 1) * total / items - index * total / items;
}

// A text of `bytes` bytes (at least one): the average size of the real rows.
std::string filler(std::int64_t bytes, char letter) {
    return std::string(static_cast<std::size_t>(std::max<std::int64_t>(bytes, 1)), letter);
}

class RawInserter {
public:
    RawInserter(SQLite::Database& db, const Counts& counts)
        : m_db(db),
          m_counts(counts),
          m_insert_user(db,
                        "INSERT INTO users (id, email, first_name, language, roles, created, "
                        "updated) VALUES (?, ?, ?, 'en', '[\"patient\"]', ?, ?)"),
          m_insert_thread(db,
                          "INSERT INTO threads (key, title, type, created, updated) "
                          "VALUES (?, ?, 'chat', ?, ?)"),
          m_insert_member(db,
                          "INSERT INTO members (thread_id, user_id, permissions, notifications, "
                          "created, updated) VALUES (?, ?, 15, 7, ?, ?)"),
          m_insert_message(db,
                           "INSERT INTO messages (thread_id, sender_id, text, created, updated) "
                           "VALUES (?, ?, ?, ?, ?)"),
          m_insert_answer(db, "INSERT INTO message_answers (message_id, answer_id) VALUES (?, ?)"),
          m_insert_unread(db,
                          "INSERT INTO unread_messages (user_id, message_id, thread_id) "
                          "VALUES (?, ?, ?)"),
          m_insert_outbox(db,
                          "INSERT INTO outbox (created, channel, event, user_id, thread_id, "
                          "payload) VALUES (?, 'ws', 'thread_new_message', ?, ?, ?)"),
          m_text(filler(counts.text_bytes, 't')),
          m_payload(filler(counts.payload_bytes, 'p')) {
        SQLite::Statement select_answers(db, "SELECT id FROM answers ORDER BY id");
        while (select_answers.executeStep()) {
            m_answer_ids.push_back(select_answers.getColumn(0).getInt64());
        }
        m_first_user = db.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM users").getInt64();
    }

    std::int64_t insert_all() {
        for (std::int64_t user = 0; user < m_counts.users; ++user) {
            insert_user(user);
            step();
        }
        for (std::int64_t thread = 0; thread < m_counts.threads; ++thread) {
            insert_thread(thread);
            step();
        }
        for (std::int64_t message = 0; message < m_counts.messages; ++message) {
            insert_message(message);
            step();
        }
        if (m_transaction) {
            m_transaction->commit();
        }
        return m_rows;
    }

private:
    void step() {
        if (++m_steps % m_counts.batch_size == 0) {
            m_transaction->commit();
            m_transaction.reset();
        }
    }

    void begin_if_needed() {
        if (!m_transaction) {
            m_transaction =
                std::make_unique<SQLite::Transaction>(m_db, SQLite::TransactionBehavior::IMMEDIATE);
        }
    }

    void run(SQLite::Statement& statement) {
        statement.exec();
        statement.reset();
        ++m_rows;
    }

    std::int64_t user_of(std::int64_t thread, std::int64_t member) const {
        return m_first_user + (thread * members_per_thread() + member) % m_counts.users;
    }
    std::int64_t members_per_thread() const { return m_counts.members / m_counts.threads; }

    void insert_user(std::int64_t user) {
        begin_if_needed();
        std::int64_t id = m_first_user + user;
        std::string email = "user" + std::to_string(id) + "@example.org";
        m_insert_user.bind(1, id);
        m_insert_user.bind(2, email);
        m_insert_user.bind(3, "Ann");
        m_insert_user.bind(4, k_now.data());
        m_insert_user.bind(5, k_now.data());
        run(m_insert_user);
    }

    void insert_thread(std::int64_t thread) {
        begin_if_needed();
        std::string key = "raw" + std::to_string(thread);
        std::string title = "Care team " + std::to_string(thread);
        m_insert_thread.bind(1, key);
        m_insert_thread.bind(2, title);
        m_insert_thread.bind(3, k_now.data());
        m_insert_thread.bind(4, k_now.data());
        run(m_insert_thread);
        m_first_thread = m_first_thread == 0 ? m_db.getLastInsertRowid() : m_first_thread;
        for (std::int64_t member = 0; member < share(m_counts.members, thread, m_counts.threads);
             ++member) {
            m_insert_member.bind(1, m_first_thread + thread);
            m_insert_member.bind(2, user_of(thread, member));
            m_insert_member.bind(3, k_now.data());
            m_insert_member.bind(4, k_now.data());
            run(m_insert_member);
        }
    }

    void insert_message(std::int64_t message) {
        begin_if_needed();
        std::int64_t thread = message % m_counts.threads;
        std::int64_t thread_id = m_first_thread + thread;
        std::int64_t members = members_per_thread();
        std::int64_t sender = message % members;
        m_insert_message.bind(1, thread_id);
        m_insert_message.bind(2, user_of(thread, sender));
        m_insert_message.bind(3, m_text);
        m_insert_message.bind(4, k_now.data());
        m_insert_message.bind(5, k_now.data());
        run(m_insert_message);
        std::int64_t message_id = m_db.getLastInsertRowid();
        auto answers = std::min<std::int64_t>(share(m_counts.answers, message, m_counts.messages),
                                              static_cast<std::int64_t>(m_answer_ids.size()));
        for (std::int64_t i = 0; i < answers; ++i) {
            m_insert_answer.bind(1, message_id);
            m_insert_answer.bind(2, m_answer_ids[static_cast<std::size_t>(i)]);
            run(m_insert_answer);
        }
        // The other members only: (user, message) is the key of an unread row.
        auto unread =
            std::min<std::int64_t>(share(m_counts.unread, message, m_counts.messages), members - 1);
        for (std::int64_t i = 1; i <= unread; ++i) {
            m_insert_unread.bind(1, user_of(thread, (sender + i) % members));
            m_insert_unread.bind(2, message_id);
            m_insert_unread.bind(3, thread_id);
            run(m_insert_unread);
        }
        for (std::int64_t i = 0; i < share(m_counts.outbox, message, m_counts.messages); ++i) {
            m_insert_outbox.bind(1, k_now.data());
            m_insert_outbox.bind(2, user_of(thread, i % members));
            m_insert_outbox.bind(3, thread_id);
            m_insert_outbox.bind(4, m_payload);
            run(m_insert_outbox);
        }
    }

    SQLite::Database& m_db;
    const Counts& m_counts;
    SQLite::Statement m_insert_user;
    SQLite::Statement m_insert_thread;
    SQLite::Statement m_insert_member;
    SQLite::Statement m_insert_message;
    SQLite::Statement m_insert_answer;
    SQLite::Statement m_insert_unread;
    SQLite::Statement m_insert_outbox;
    std::string m_text;
    std::string m_payload;
    std::vector<std::int64_t> m_answer_ids;
    std::int64_t m_first_user = 1;
    std::int64_t m_first_thread = 0;
    std::int64_t m_steps = 0;
    std::int64_t m_rows = 0;
    std::unique_ptr<SQLite::Transaction> m_transaction;
};

}  // namespace

int main(int argc, char** argv) {
    std::optional<Counts> counts = argc >= 2 ? parse_counts(argc, argv) : std::nullopt;
    if (!counts) {
        std::fprintf(stderr,
                     "usage: chat_bench_raw_insert DB --users N --threads N --members N "
                     "--messages N --answers N --unread N --outbox N --text-bytes N "
                     "--payload-bytes N [--batch-size N]\n");
        return 2;
    }
    try {
        SQLite::Database db(argv[1], SQLite::OPEN_READWRITE, k_busy_timeout_ms);
        db.exec("PRAGMA foreign_keys = ON");
        db.execAndGet("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA temp_store = MEMORY");  // as chatctl's connections
        db.exec("PRAGMA cache_size = -16384");
        RawInserter inserter(db, *counts);
        auto start = std::chrono::steady_clock::now();
        std::int64_t rows = inserter.insert_all();
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        std::printf("rows=%lld seconds=%.6f rows_per_second=%.0f\n", static_cast<long long>(rows),
                    elapsed.count(), static_cast<double>(rows) / elapsed.count());
    } catch (const std::exception& failure) {
        std::fprintf(stderr, "chat_bench_raw_insert: %s\n", failure.what());
        return 1;
    }
    return 0;
}
