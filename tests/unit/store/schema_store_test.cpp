#include <chat/schema.hpp>
#include <chat/schema_export.hpp>
#include <chat/schema_store.hpp>

#include "store/connection.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

using namespace chat;
using namespace chat::store;

namespace {

Schema schema_from_yaml(const std::string& text) {
    SourceText source(text);
    CollectingSink sink;
    auto schema =
        schema::validate_schema(source, "t.yaml", schema::FileFormat::yaml, Config{}, sink);
    REQUIRE_MESSAGE(schema, "test schema must be valid");
    return *schema;
}

// A two-question schema whose first answer text and qids the tests vary.
Schema sample(const std::string& answer = "Good", int second_qid = 2, const char* name = "mood") {
    std::string q2 = std::to_string(second_qid);
    return schema_from_yaml(std::string("name: ") + name +
                            "\ntype: survey\nquestions:\n"
                            "  - qid: 1\n    type: choice\n    text: How are you?\n"
                            "    attachments: [{type: image, url: 'https://e.org/a.png'}]\n"
                            "    answers:\n      - {text: " +
                            answer + ", next_qid: " + q2 +
                            "}\n      - {text: Bad, next_qid: " + q2 + "}\n  - {qid: " + q2 +
                            ", type: text, text: Why?, next_qid: -1}\n");
}

struct Fixture {
    Database database{OpenOptions{":memory:", Access::create, std::chrono::milliseconds(0)}};
    FixedClock clock{*parse_time("2026-11-25T10:00:00Z")};
    SchemaStore store{database, clock};

    ImportResult import_one(const Schema& schema, ImportOptions options = {}) {
        return store.import_schemas({{"t.yaml", schema}}, options).front();
    }
    std::int64_t count(const std::string& table) {
        return sql_of(database).execAndGet("SELECT count(*) FROM " + table).getInt64();
    }
    // A member running on `name@version` (the engine does not exist yet: plain SQL).
    void add_member_on(const std::string& name, std::int64_t version) {
        auto& sql = sql_of(database);
        sql.exec("INSERT OR IGNORE INTO users (id, created, updated) VALUES (1, 'x', 'x')");
        sql.exec("INSERT INTO threads (type, created, updated) VALUES ('chat', 'x', 'x')");
        SQLite::Statement insert(
            sql,
            "INSERT INTO members (thread_id, user_id, state, permissions, notifications, "
            "schema_id, question_id, created, updated) SELECT last_insert_rowid(), 1, 'scripted', "
            "19, 3, s.id, (SELECT min(id) FROM questions WHERE schema_id = s.id), 'x', 'x' "
            "FROM schemas s WHERE s.name = ? AND s.version = ?");
        insert.bind(1, name);
        insert.bind(2, version);
        REQUIRE(insert.exec() == 1);
    }
};

SchemaReference reference(const char* text) {
    return *SchemaReference::parse(text);
}

template <typename Call>
std::string error_code_of(Call&& call) {
    try {
        call();
    } catch (const Error& error) {
        return error.code();
    }
    return "no error";
}

}  // namespace

TEST_CASE("store: a new database has the current layout and every table") {
    Fixture f;
    auto& sql = sql_of(f.database);
    CHECK(sql.execAndGet("PRAGMA user_version").getInt() == current_layout_version());
    CHECK(f.database.opened_layout_version() == 0);
    for (const auto& table : database_info(f.database).tables) {
        CAPTURE(table.table);
        CHECK(sql.tableExists(table.table));
    }
    CHECK(database_info(f.database).tables.size() == 18);
}

TEST_CASE("store: schema references") {
    CHECK(SchemaReference::parse("mood")->kind == SchemaReference::Kind::published);
    CHECK(SchemaReference::parse("mood@latest")->kind == SchemaReference::Kind::latest);
    CHECK(SchemaReference::parse("mood@3")->version == 3);
    CHECK(SchemaReference::parse("mood@3")->text() == "mood@3");
    for (const char* bad : {"", "@3", "mood@", "mood@0", "mood@-1", "mood@3x", "mood@newest"}) {
        CAPTURE(bad);
        CHECK_FALSE(SchemaReference::parse(bad));
    }
}

TEST_CASE("store: version numbers end at the largest integer") {
    Fixture f;
    Schema last = sample();
    last.version = std::numeric_limits<std::int64_t>::max();
    ImportOptions keep;
    keep.keep_version = true;
    f.import_one(last, keep);
    CHECK(error_code_of([&] { f.import_one(sample("Fine")); }) == "VERSION_LIMIT");
    CHECK(error_code_of([&] { f.store.copy(reference("mood@latest")); }) == "VERSION_LIMIT");
    CHECK(f.count("schemas") == 1);
}

TEST_CASE("store: import assigns versions and is idempotent") {
    Fixture f;
    auto first = f.import_one(sample());
    CHECK(first.outcome == ImportOutcome::created);
    CHECK(first.version.version == 1);
    CHECK(first.version.status == SchemaStatus::draft);
    CHECK(first.version.question_count == 2);
    CHECK(first.version.created == "2026-11-25T10:00:00.000Z");

    CHECK(f.import_one(sample()).outcome == ImportOutcome::unchanged);
    CHECK(f.count("schemas") == 1);

    auto second = f.import_one(sample("Fine"));
    CHECK(second.outcome == ImportOutcome::created);
    CHECK(second.version.version == 2);
    // Compared with the newest version only: going back to the first content is a new version.
    CHECK(f.import_one(sample()).version.version == 3);
}

TEST_CASE("store: the stored content reads back identical") {
    Fixture f;
    Schema original = sample();
    f.import_one(original);
    auto stored = f.store.load(reference("mood@1"));
    CHECK(schema::has_same_content(stored.schema, original));
    CHECK(stored.schema.questions.front().attachments.size() == 1);
}

TEST_CASE("store: --keep-version stores the file's version and refuses a clash") {
    Fixture f;
    Schema schema = sample();
    ImportOptions keep;
    keep.keep_version = true;
    CHECK(error_code_of([&] { f.import_one(schema, keep); }) == "VERSION_MISSING");
    schema.version = 7;
    CHECK(f.import_one(schema, keep).version.version == 7);
    CHECK(f.import_one(schema, keep).outcome == ImportOutcome::unchanged);
    Schema other = sample("Fine");
    other.version = 7;
    CHECK(error_code_of([&] { f.import_one(other, keep); }) == "VERSION_EXISTS");
    CHECK(f.import_one(sample("Fine")).version.version == 8);
}

TEST_CASE("store: one import is one transaction") {
    Fixture f;
    Schema clash = sample("Fine");
    clash.version = 1;
    Schema fresh = sample("New", 2, "other");
    fresh.version = 1;
    f.import_one(sample(), {});  // mood@1
    ImportOptions keep;
    keep.keep_version = true;
    CHECK(error_code_of([&] {
              f.store.import_schemas({{"a.yaml", fresh}, {"b.yaml", clash}}, keep);
          }) == "VERSION_EXISTS");
    CHECK(f.count("schemas") == 1);
    CHECK(f.count("questions") == 2);
}

TEST_CASE("store: publishing deprecates the other published version") {
    Fixture f;
    f.import_one(sample());
    f.import_one(sample("Fine"));
    f.import_one(sample("Great"));
    auto first = f.store.publish(reference("mood@2"), false);
    CHECK(first.version.status == SchemaStatus::published);
    CHECK(first.deprecated_versions.empty());
    CHECK(f.store.publish(reference("mood@2"), false).was_already_published);

    auto later = f.store.publish(reference("mood@3"), false);
    CHECK(later.deprecated_versions == std::vector<std::int64_t>{2});
    CHECK(f.store.load(reference("mood@2")).version.status == SchemaStatus::deprecated);
    CHECK(f.store.load(reference("mood")).version.version == 3);

    SUBCASE("an older version needs force") {
        CHECK(error_code_of([&] { f.store.publish(reference("mood@1"), false); }) ==
              "OLDER_THAN_PUBLISHED");
        CHECK(f.store.load(reference("mood")).version.version == 3);
        auto forced = f.store.publish(reference("mood@1"), true);
        CHECK(forced.deprecated_versions == std::vector<std::int64_t>{3});
        CHECK(f.store.load(reference("mood")).version.version == 1);
    }
}

TEST_CASE("store: import --publish publishes in the same transaction") {
    Fixture f;
    ImportOptions publish;
    publish.publish = true;
    auto result = f.import_one(sample(), publish);
    CHECK(result.is_newly_published);
    CHECK(result.version.status == SchemaStatus::published);
    auto again = f.import_one(sample(), publish);
    CHECK(again.outcome == ImportOutcome::unchanged);
    CHECK_FALSE(again.is_newly_published);
    auto next = f.import_one(sample("Fine"), publish);
    CHECK(next.deprecated_versions == std::vector<std::int64_t>{1});
}

TEST_CASE("store: references that find nothing say what exists") {
    Fixture f;
    f.import_one(sample());
    auto message_of = [&](const char* text) {
        try {
            f.store.load(reference(text));
        } catch (const Error& error) {
            CHECK(error.kind() == ErrorKind::not_found);
            return std::string(error.what());
        }
        return std::string("no error");
    };
    CHECK(message_of("mood") ==
          "schema 'mood' has no published version; name one: 'mood@latest' or 'mood@1'");
    CHECK(message_of("mood@4") == "schema 'mood' has no version 4 (the newest is 1)");
    CHECK(message_of("mod@1") == "no schema named 'mod'; did you mean 'mood'?");
    CHECK(f.store.load(reference("mood@latest")).version.version == 1);
}

TEST_CASE("store: copy duplicates everything into a new draft") {
    Fixture f;
    ImportOptions publish;
    publish.publish = true;
    f.import_one(sample(), publish);
    auto copied = f.store.copy(reference("mood"));
    CHECK(copied.source.version == 1);
    CHECK(copied.copy.version == 2);
    CHECK(copied.copy.status == SchemaStatus::draft);
    CHECK(f.count("attachment_templates") == 2);
    CHECK(f.count("answers") == 4);
    CHECK(schema::has_same_content(f.store.load(reference("mood@2")).schema, sample()));
}

TEST_CASE("store: list filters, counts and pages") {
    Fixture f;
    f.import_one(sample());
    f.import_one(sample("Fine"));
    f.import_one(sample("x", 2, "alpha"));
    f.store.publish(reference("mood@2"), false);
    CHECK(f.store.list({}).total == 3);
    CHECK(f.store.list({}).versions.front().name == "alpha");
    ListFilter published;
    published.status = SchemaStatus::published;
    CHECK(f.store.list(published).versions.size() == 1);
    ListFilter page;
    page.limit = 1;
    page.offset = 1;
    auto list = f.store.list(page);
    CHECK(list.total == 3);
    REQUIRE(list.versions.size() == 1);
    CHECK(list.versions.front().name == "mood");
    CHECK(list.versions.front().version == 1);
    ListFilter other_type;
    other_type.type = "automated_flow";
    CHECK(f.store.list(other_type).total == 0);
}

TEST_CASE("store: delete removes unused drafts only") {
    Fixture f;
    f.import_one(sample());
    f.import_one(sample("Fine"));
    f.store.publish(reference("mood@1"), false);
    CHECK(error_code_of([&] { f.store.remove(reference("mood@1")); }) == "NOT_A_DRAFT");
    f.add_member_on("mood", 2);
    CHECK(error_code_of([&] { f.store.remove(reference("mood@2")); }) == "SCHEMA_IN_USE");
    sql_of(f.database).exec("DELETE FROM members");
    CHECK(f.store.remove(reference("mood@2")).version == 2);
    CHECK(f.count("schemas") == 1);
    CHECK(f.count("questions") == 2);
}

TEST_CASE("store: --replace-draft overwrites the newest unused draft") {
    Fixture f;
    ImportOptions replace;
    replace.replace_draft = true;
    f.import_one(sample());
    auto replaced = f.import_one(sample("Fine", 5), replace);
    CHECK(replaced.outcome == ImportOutcome::replaced);
    CHECK(replaced.version.version == 1);
    CHECK(f.count("schemas") == 1);
    CHECK(schema::has_same_content(f.store.load(reference("mood@1")).schema, sample("Fine", 5)));

    SUBCASE("published versions are immutable") {
        f.store.publish(reference("mood@1"), false);
        CHECK(error_code_of([&] { f.import_one(sample("Great"), replace); }) == "SCHEMA_IMMUTABLE");
    }
    SUBCASE("a draft in use cannot change") {
        f.add_member_on("mood", 1);
        CHECK(error_code_of([&] { f.import_one(sample("Great", 5), replace); }) == "SCHEMA_IN_USE");
    }
}

TEST_CASE("store: allow_edit_published edits in place and keeps qids of versions in use") {
    Fixture f;
    ImportOptions edit;
    edit.replace_draft = true;
    edit.allow_edit_published = true;
    f.import_one(sample());
    f.store.publish(reference("mood@1"), false);
    f.add_member_on("mood", 1);
    auto question_row = [&] {
        return sql_of(f.database).execAndGet("SELECT question_id FROM members").getInt64();
    };
    auto before = question_row();
    Schema reworded = sample();
    reworded.questions.front().text.translations.front().text = "How do you do?";
    reworded.questions.front().meta = {{"widget", "buttons"}};
    auto edited = f.import_one(reworded, edit);
    CHECK(edited.outcome == ImportOutcome::replaced);
    CHECK(edited.version.status == SchemaStatus::published);
    CHECK(question_row() == before);
    CHECK(schema::has_same_content(f.store.load(reference("mood")).schema, reworded));
    // What stored choices point at must keep its meaning: qids, types, answer texts.
    CHECK(error_code_of([&] { f.import_one(sample("Good", 9), edit); }) == "SCHEMA_IN_USE");
    CHECK(error_code_of([&] { f.import_one(sample("Splendid"), edit); }) == "SCHEMA_IN_USE");
    for (const auto& result : check_database(f.database)) {
        CAPTURE(result.name);
        CHECK(result.passed());
    }
}

TEST_CASE("store: stored messages keep a version in use after its members left") {
    Fixture f;
    ImportOptions edit;
    edit.replace_draft = true;
    edit.allow_edit_published = true;
    f.import_one(sample());
    f.add_member_on("mood", 1);
    sql_of(f.database)
        .exec(
            "INSERT INTO messages (thread_id, related_question_id, created, updated) "
            "SELECT thread_id, question_id, 'x', 'x' FROM members");
    sql_of(f.database).exec("DELETE FROM members");
    auto usage = f.store.load(reference("mood@1")).usage;
    CHECK(usage.messages == 1);
    CHECK(usage.is_used());
    CHECK(error_code_of([&] { f.store.remove(reference("mood@1")); }) == "SCHEMA_IN_USE");
    CHECK(f.import_one(sample("Good", 2), edit).outcome == ImportOutcome::unchanged);
    Schema reworded = sample();
    reworded.questions.back().text.translations.front().text = "Why so?";
    CHECK(f.import_one(reworded, edit).outcome == ImportOutcome::replaced);
}

TEST_CASE("store: db check names each broken invariant") {
    Fixture f;
    for (const auto& result : check_database(f.database)) {
        CAPTURE(result.name);
        CHECK(result.passed());
    }
    f.import_one(sample());
    f.import_one(sample("x", 2, "other"));
    f.add_member_on("mood", 1);
    // Point the member at a question of another schema.
    sql_of(f.database)
        .exec(
            "UPDATE members SET question_id = (SELECT q.id FROM questions q JOIN schemas s "
            "ON s.id = q.schema_id WHERE s.name = 'other' LIMIT 1)");
    std::vector<std::string> failed;
    for (const auto& result : check_database(f.database)) {
        if (!result.passed()) {
            failed.push_back(result.name);
            CHECK(result.examples.size() == 1);
        }
    }
    CHECK(failed == std::vector<std::string>{"member-question-in-schema"});
}

TEST_CASE("store: files chatctl must not use are refused untouched") {
    auto folder = std::filesystem::temp_directory_path() /
                  ("chatctl-store-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    auto path = (folder / "x.db").string();
    auto bytes_of_file = [&] {
        std::ifstream file(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(file), {});
    };
    auto open_error = [&](Access access = Access::create) {
        try {
            Database database(OpenOptions{path, access, std::chrono::milliseconds(0)});
        } catch (const Error& error) {
            CHECK(error.kind() == ErrorKind::database);
            return error.code();
        }
        return std::string("opened");
    };

    SUBCASE("a new file is private") {
        CHECK(open_error() == "opened");
        struct stat info {};
        REQUIRE(::stat(path.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0600);
    }
    SUBCASE("a missing file is created only for Access::create") {
        CHECK(open_error(Access::read) == "DATABASE_UNAVAILABLE");
        CHECK(open_error(Access::write) == "DATABASE_UNAVAILABLE");
        CHECK_FALSE(std::filesystem::exists(path));
    }
    SUBCASE("an empty file is no database for readers and writers, and stays empty") {
        std::ofstream{path};
        CHECK(open_error(Access::read) == "DATABASE_UNAVAILABLE");
        CHECK(open_error(Access::write) == "DATABASE_UNAVAILABLE");
        CHECK(std::filesystem::file_size(path) == 0);
        CHECK(open_error(Access::create) == "opened");
        CHECK(open_error(Access::read) == "opened");
    }
    SUBCASE("a newer layout") {
        {
            SQLite::Database sql(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            sql.exec("PRAGMA application_id = 1667785076; PRAGMA user_version = 99");
        }
        auto before = bytes_of_file();
        CHECK(open_error() == "LAYOUT_TOO_NEW");
        CHECK(bytes_of_file() == before);
    }
    SUBCASE("another program's database") {
        {
            SQLite::Database sql(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            sql.exec("CREATE TABLE notes (x)");
        }
        auto before = bytes_of_file();
        CHECK(open_error() == "NOT_A_CHATCTL_DATABASE");
        CHECK(bytes_of_file() == before);
    }
    SUBCASE("not a database at all") {
        std::ofstream(path) << std::string(4096, 'x');
        CHECK(open_error() == "NOT_A_CHATCTL_DATABASE");
        CHECK(bytes_of_file() == std::string(4096, 'x'));
    }
    SUBCASE("a folder that does not exist") {
        path = (folder / "missing" / "x.db").string();
        CHECK(open_error() == "DATABASE_UNAVAILABLE");
    }
    std::filesystem::remove_all(folder);
}
