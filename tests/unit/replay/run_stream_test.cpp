// Stream mode of replay through the library, on in-memory databases with a fixed clock:
// batches and the progress row they commit with, stop, skip, malformed lines, --resume after
// the recorded line (also after a crash, simulated by an observer that throws), and labels
// that a later stream resolves.

#include <chat/replay.hpp>

#include "store/connection.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace chat;
using namespace chat::replay;
using namespace chat::store;

namespace {

const std::string k_good =
    "{\"user\": {\"id\": 1, \"first_name\": \"Ann\"}}\n"
    "{\"user\": {\"id\": 2, \"first_name\": \"Bob\"}}\n"
    "{\"create_thread\": {\"as\": 1, \"thread\": \"walks\", \"title\": \"Sunday walks\"}}\n"
    "{\"add_member\": {\"as\": 1, \"thread\": \"walks\", \"user\": 2}}\n"
    "{\"send\": {\"as\": 1, \"thread\": \"walks\", \"text\": \"one\"}}\n"
    "{\"send\": {\"as\": 2, \"thread\": \"walks\", \"text\": \"two\"}}\n"
    "{\"send\": {\"as\": 1, \"thread\": \"walks\", \"text\": \"three\"}}\n"
    "{\"read\": {\"as\": 2, \"thread\": \"walks\"}}\n"
    "{\"send\": {\"as\": 2, \"thread\": \"walks\", \"text\": \"four\"}}\n"
    "{\"send\": {\"as\": 1, \"thread\": \"walks\", \"text\": \"five\"}}\n";

// k_good with line 7 sent by user 3, who is not a member.
std::string bad_stream() {
    std::string text = k_good;
    auto at = text.find("{\"send\": {\"as\": 1, \"thread\": \"walks\", \"text\": \"three\"");
    text.replace(at + std::string("{\"send\": {\"as\": ").size(), 1, "3");
    return text;
}

struct Crash {};

// Collects what the stream tells; may throw Crash to stand for a kill at that moment.
class Recorder final : public StreamObserver {
public:
    explicit Recorder(Database& database) : m_database(database) {}

    std::vector<StreamFailure> failures;
    std::vector<std::int64_t> commits;                   // the line of each commit
    std::vector<std::int64_t> recorded_at_commit;        // the progress row then
    std::optional<std::optional<std::int64_t>> resumed;  // what resuming() said
    std::size_t crash_at_commit = 0;                     // 1-based; 0: never
    bool crashes_at_failure = false;

    void failed(const StreamFailure& failure) override {
        failures.push_back(failure);
        if (crashes_at_failure) {
            crashes_at_failure = false;
            throw Crash{};
        }
    }

    void committed(const StreamProgress& progress) override {
        commits.push_back(progress.line);
        SQLite::Statement select(sql_of(m_database),
                                 "SELECT committed_line FROM stream_progress WHERE stream = "
                                 "'walks.jsonl'");
        recorded_at_commit.push_back(select.executeStep() ? select.getColumn(0).getInt64() : -1);
        if (commits.size() == crash_at_commit) {
            throw Crash{};
        }
    }

    void resuming(std::optional<std::int64_t> committed_line) override { resumed = committed_line; }

private:
    Database& m_database;
};

struct Fixture {
    Database database{OpenOptions{":memory:", Access::create, std::chrono::milliseconds(1000)}};
    Config config;

    static StreamOptions options(std::int64_t batch_size, OnError on_error = OnError::stop) {
        StreamOptions options;
        options.batch_size = batch_size;
        options.on_error = on_error;
        options.start = parse_time("2026-02-01T08:00:00Z");
        options.key = "walks.jsonl";
        return options;
    }

    StreamSummary run(const std::string& text, const StreamOptions& options,
                      StreamObserver& observer) {
        std::istringstream in(text);
        return run_stream(database, config, in, "walks.jsonl", options, observer);
    }

    StreamSummary run(const std::string& text, const StreamOptions& options) {
        Recorder observer(database);
        return run(text, options, observer);
    }

    std::vector<std::string> rows(const std::string& query) {
        std::vector<std::string> found;
        SQLite::Statement select(sql_of(database), query);
        while (select.executeStep()) {
            std::string row;
            for (int i = 0; i < select.getColumnCount(); ++i) {
                row += (i > 0 ? "|" : "") + select.getColumn(i).getString();
            }
            found.push_back(row);
        }
        return found;
    }

    std::vector<std::string> progress() {
        return rows("SELECT stream, committed_line, updated FROM stream_progress ORDER BY stream");
    }

    std::vector<std::string> messages() { return rows("SELECT id, sender_id, text FROM messages"); }

    // Every table the steps write, the progress row included.
    std::vector<std::string> dump() {
        std::vector<std::string> all;
        for (const char* table : {"users", "threads", "members", "messages", "unread_messages",
                                  "outbox", "sqlite_sequence", "stream_progress"}) {
            all.push_back(table);
            for (auto& row : rows(std::string("SELECT * FROM ") + table)) {
                all.push_back(std::move(row));
            }
        }
        return all;
    }
};

std::vector<std::string> uninterrupted_dump() {
    Fixture straight;
    auto summary = straight.run(k_good, Fixture::options(3));
    REQUIRE(summary.applied == 10);
    return straight.dump();
}

}  // namespace

TEST_CASE("run_stream: each batch commits with the progress row of its last line") {
    Fixture f;
    Recorder observer(f.database);
    auto summary = f.run(k_good, Fixture::options(3), observer);
    CHECK(observer.commits == std::vector<std::int64_t>{3, 6, 9, 10});
    CHECK(observer.recorded_at_commit == std::vector<std::int64_t>{3, 6, 9, 10});
    CHECK(summary.batches == 4);
    CHECK(summary.applied == 10);
    CHECK(summary.first_line == 1);
    CHECK(summary.last_line == 10);
    CHECK(summary.messages == 5);
    CHECK_FALSE(summary.stopped_at);
    CHECK_FALSE(observer.resumed);
    // The clock after the tenth step line: one second per line.
    CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|10|2026-02-01T08:00:10.000Z"});
}

TEST_CASE("run_stream: stop keeps the lines before the failing one and nothing from it") {
    Fixture f;
    Recorder observer(f.database);
    auto summary = f.run(bad_stream(), Fixture::options(4), observer);
    REQUIRE(observer.failures.size() == 1);
    CHECK(observer.failures[0].line == 7);
    CHECK(observer.failures[0].column == 1);
    CHECK(observer.failures[0].code == "NO_PERMISSIONS");
    CHECK(observer.failures[0].message ==
          "user 3 is not a member of thread 1 and may not send messages");
    CHECK(summary.stopped_at == 7);
    CHECK(summary.resume_from == 7);
    CHECK(summary.applied == 6);
    CHECK(summary.last_line == 7);
    CHECK(observer.commits == std::vector<std::int64_t>{4, 6});
    CHECK(f.messages() == std::vector<std::string>{"1|1|one", "2|2|two"});
    CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|6|2026-02-01T08:00:07.000Z"});
}

TEST_CASE("run_stream: skip lists the failing lines with their codes and applies the rest") {
    Fixture f;
    std::string text = bad_stream();
    text.insert(text.find("{\"read\""), "{\"sned\": {\"as\": 1}}\n");
    Recorder observer(f.database);
    auto summary = f.run(text, Fixture::options(2, OnError::skip), observer);
    CHECK(summary.applied == 9);
    CHECK(summary.skipped == 2);
    CHECK(summary.last_line == 11);
    CHECK_FALSE(summary.stopped_at);
    REQUIRE(summary.failures.size() == 2);
    CHECK(summary.failures[0].line == 7);
    CHECK(summary.failures[0].code == "NO_PERMISSIONS");
    CHECK(summary.failures[1].line == 8);
    CHECK(summary.failures[1].column == 2);
    CHECK(summary.failures[1].code == "INVALID_STEP");
    CHECK(summary.failures[1].message == "unknown step kind 'sned'; did you mean 'send'?");
    CHECK(observer.failures.size() == 2);
    CHECK(f.messages() == std::vector<std::string>{"1|1|one", "2|2|two", "3|2|four", "4|1|five"});
    CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|11|2026-02-01T08:00:11.000Z"});
}

TEST_CASE("run_stream: malformed lines are MALFORMED_LINE with their line and column") {
    Fixture f;
    std::string text =
        "{\"user\": {\"id\": 1}}\n"
        "{\"user\": {\"id\": 2}\n"
        "\n"
        "not json\n"
        "{\"user\": {\"id\": \"\xff\"}}\n"
        "[1, 2]\n"
        "{\"user\": {\"id\": 3}}\n"
        "\n";
    auto summary = f.run(text, Fixture::options(10, OnError::skip));
    CHECK(summary.applied == 2);
    CHECK(summary.skipped == 4);
    CHECK(summary.last_line == 8);
    REQUIRE(summary.failures.size() == 4);
    auto where = [&](std::size_t i) {
        const auto& failure = summary.failures[i];
        return std::to_string(failure.line) + ":" + std::to_string(failure.column) + " " +
               failure.code;
    };
    CHECK(where(0) == "2:19 MALFORMED_LINE");
    CHECK(summary.failures[0].message.rfind("invalid JSON: ", 0) == 0);
    CHECK(where(1) == "4:1 MALFORMED_LINE");
    CHECK(where(2) == "5:18 MALFORMED_LINE");
    CHECK(summary.failures[2].message.find("a stream is UTF-8") != std::string::npos);
    CHECK(where(3) == "6:1 INVALID_STEP");
    CHECK(f.rows("SELECT id FROM users") == std::vector<std::string>{"1", "3"});
    // The blank last line is covered too: --resume would not read anything again.
    CHECK(f.progress().size() == 1);
    CHECK(f.progress()[0].rfind("walks.jsonl|8|", 0) == 0);

    SUBCASE("stop at a malformed line keeps the lines before it") {
        Fixture g;
        auto stopped = g.run(text, Fixture::options(10));
        CHECK(stopped.stopped_at == 2);
        CHECK(stopped.resume_from == 2);
        CHECK(stopped.applied == 1);
        CHECK(g.rows("SELECT id FROM users") == std::vector<std::string>{"1"});
        CHECK(g.progress() == std::vector<std::string>{"walks.jsonl|1|2026-02-01T08:00:02.000Z"});
    }
}

TEST_CASE("run_stream: lines covered without a step applied are recorded in their own commit") {
    Fixture f;
    auto summary = f.run(k_good + "\nnot json\n\n", Fixture::options(5, OnError::skip));
    CHECK(summary.batches == 2);
    CHECK(summary.applied == 10);
    CHECK(summary.skipped == 1);
    CHECK(summary.last_line == 13);
    CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|13|2026-02-01T08:00:11.000Z"});

    Recorder observer(f.database);
    auto options = Fixture::options(3, OnError::skip);
    options.resume = true;
    auto again = f.run(k_good + "\nnot json\n\n", options, observer);
    CHECK(observer.resumed == std::optional<std::int64_t>(13));
    CHECK(again.first_line == 14);
    CHECK(again.applied == 0);
    CHECK(again.skipped == 0);
    CHECK(again.batches == 0);
    CHECK(observer.commits.empty());
}

namespace {

// Resumes the good stream in batches of 3 where an earlier run recorded line 6.
Recorder resume_good_stream_after_line_6(Fixture& f) {
    Recorder observer(f.database);
    auto options = Fixture::options(3);
    options.resume = true;
    auto resumed = f.run(k_good, options, observer);
    CHECK(observer.resumed == std::optional<std::int64_t>(6));
    CHECK(resumed.first_line == 7);
    CHECK(resumed.last_line == 10);
    CHECK(resumed.applied == 4);
    return observer;
}

}  // namespace

TEST_CASE("run_stream: --resume starts after the recorded line") {
    Fixture f;
    auto stopped = f.run(bad_stream(), Fixture::options(4));
    REQUIRE(stopped.stopped_at == 7);

    SUBCASE("the failing line, not fixed, fails again and is still not committed") {
        Recorder observer(f.database);
        auto options = Fixture::options(4);
        options.resume = true;
        auto again = f.run(bad_stream(), options, observer);
        CHECK(observer.resumed == std::optional<std::int64_t>(6));
        CHECK(again.first_line == 7);
        CHECK(again.stopped_at == 7);
        CHECK(again.resume_from == 7);
        CHECK(again.applied == 0);
        REQUIRE(again.failures.size() == 1);
        CHECK(again.failures[0].line == 7);
        CHECK(again.failures[0].code == "NO_PERMISSIONS");
        CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|6|2026-02-01T08:00:07.000Z"});
    }

    SUBCASE("once fixed, the database is that of an uninterrupted run") {
        auto observer = resume_good_stream_after_line_6(f);
        CHECK(observer.commits == std::vector<std::int64_t>{9, 10});
        CHECK(f.dump() == uninterrupted_dump());
    }

    SUBCASE("another stream has a row of its own") {
        Recorder observer(f.database);
        auto options = Fixture::options(3);
        options.resume = true;
        options.key = "/elsewhere/walks.jsonl";
        auto fresh = f.run("{\"user\": {\"id\": 9}}\n", options, observer);
        REQUIRE(observer.resumed.has_value());
        CHECK_FALSE(observer.resumed->has_value());
        CHECK(fresh.first_line == 1);
        CHECK(fresh.applied == 1);
        CHECK(f.progress() ==
              std::vector<std::string>{"/elsewhere/walks.jsonl|1|2026-02-01T08:00:01.000Z",
                                       "walks.jsonl|6|2026-02-01T08:00:07.000Z"});
    }
}

TEST_CASE("run_stream: --resume with nothing recorded starts at line 1") {
    Fixture f;
    Recorder observer(f.database);
    auto options = Fixture::options(3);
    options.resume = true;
    auto summary = f.run(k_good, options, observer);
    REQUIRE(observer.resumed.has_value());
    CHECK_FALSE(observer.resumed->has_value());
    CHECK(summary.first_line == 1);
    CHECK(summary.applied == 10);
    CHECK(f.dump() == uninterrupted_dump());
}

TEST_CASE("run_stream: after a crash, --resume neither applies a batch twice nor skips one") {
    Fixture f;
    Recorder crashing(f.database);

    SUBCASE("right after a commit, before it was reported") {
        crashing.crash_at_commit = 2;
        CHECK_THROWS_AS(f.run(k_good, Fixture::options(3), crashing), Crash);
        CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|6|2026-02-01T08:00:06.000Z"});
        CHECK(f.messages() == std::vector<std::string>{"1|1|one", "2|2|two"});
    }
    SUBCASE("in the middle of a batch") {
        // Line 7 fails (skipped) in the batch of lines 7-9; the crash there loses the batch.
        crashing.crashes_at_failure = true;
        CHECK_THROWS_AS(f.run(bad_stream(), Fixture::options(3, OnError::skip), crashing), Crash);
        CHECK(f.progress() == std::vector<std::string>{"walks.jsonl|6|2026-02-01T08:00:06.000Z"});
        CHECK(f.messages() == std::vector<std::string>{"1|1|one", "2|2|two"});
    }

    resume_good_stream_after_line_6(f);
    CHECK(f.dump() == uninterrupted_dump());
}

TEST_CASE("run_stream: a later stream names the threads of an earlier one by their labels") {
    Fixture f;
    auto first = f.run(k_good, Fixture::options(3));
    REQUIRE(first.applied == 10);
    auto options = Fixture::options(3);
    options.key = "more.jsonl";
    options.start = parse_time("2026-02-02T08:00:00Z");
    auto second = f.run(
        "{\"send\": {\"as\": 2, \"thread\": \"walks\", \"text\": \"six\"}}\n"
        "{\"expect\": {\"thread\": \"walks\", \"messages\": 6, \"last_messages\": [\"five\", "
        "\"six\"]}}\n",
        options);
    CHECK(second.applied == 2);
    CHECK(second.failures.empty());
    CHECK(f.rows("SELECT thread_id, text, created FROM messages WHERE id = 6") ==
          std::vector<std::string>{"1|six|2026-02-02T08:00:00.000Z"});
    CHECK(f.progress() == std::vector<std::string>{"more.jsonl|2|2026-02-02T08:00:02.000Z",
                                                   "walks.jsonl|10|2026-02-01T08:00:10.000Z"});
}
