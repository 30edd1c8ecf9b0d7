#include <chat/store.hpp>

#include "store/layout.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

using namespace chat;
using namespace chat::store;

namespace {

// A chatctl database of the current layout in a private folder, removed afterwards.
struct LayoutFile {
    std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                   ("chatctl-layout-test-" + std::to_string(::getpid()));
    std::string path = (folder / "chat.db").string();

    LayoutFile() {
        std::filesystem::create_directories(folder);
        Database created(OpenOptions{path, Access::create, std::chrono::milliseconds(0)});
    }
    // A file of an older layout, as that release left it: the first `version` upgrades.
    explicit LayoutFile(std::size_t version) {
        std::filesystem::create_directories(folder);
        SQLite::Database sql(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        const auto& upgrades = layout_upgrades();
        upgrade_layout(sql, path, {upgrades.begin(), upgrades.begin() + std::ptrdiff_t(version)});
    }
    ~LayoutFile() { std::filesystem::remove_all(folder); }

    bool has_table(const char* table) {
        SQLite::Database sql(path, SQLite::OPEN_READONLY);
        return sql.tableExists(table);
    }

    std::int64_t user_version() {
        SQLite::Database sql(path, SQLite::OPEN_READONLY);
        return sql.execAndGet("PRAGMA user_version").getInt64();
    }
    bool users_have_column(const char* column) {
        SQLite::Database sql(path, SQLite::OPEN_READONLY);
        SQLite::Statement select(sql,
                                 "SELECT count(*) FROM pragma_table_info('users') WHERE name = ?");
        select.bind(1, column);
        select.executeStep();
        return select.getColumn(0).getInt() == 1;
    }
};

// The layouts of today plus the steps a later release would add.
std::vector<LayoutUpgrade> with_steps(std::initializer_list<std::string_view> steps) {
    std::vector<LayoutUpgrade> upgrades = layout_upgrades();
    for (auto step : steps) {
        upgrades.push_back({step});
    }
    return upgrades;
}

}  // namespace

TEST_CASE("layout: an older layout is upgraded step by step to the newest") {
    LayoutFile file;
    auto upgrades = with_steps({"ALTER TABLE users ADD COLUMN nickname TEXT",
                                "CREATE INDEX users_by_nickname ON users (nickname)"});
    {
        SQLite::Database sql(file.path, SQLite::OPEN_READWRITE);
        CHECK(check_layout(sql, file.path, upgrades) == current_layout_version());
        upgrade_layout(sql, file.path, upgrades);
        CHECK(check_layout(sql, file.path, upgrades) == current_layout_version() + 2);
    }
    CHECK(file.user_version() == current_layout_version() + 2);
    CHECK(file.users_have_column("nickname"));
}

TEST_CASE("layout: a layout 1 file is upgraded to layout 2 on opening, its rows kept") {
    REQUIRE(current_layout_version() == 2);
    LayoutFile file(1);
    REQUIRE(file.user_version() == 1);
    CHECK_FALSE(file.has_table("stream_progress"));
    {
        SQLite::Database sql(file.path, SQLite::OPEN_READWRITE);
        sql.exec(
            "INSERT INTO users (id, first_name, created, updated) VALUES (7, 'Ann', "
            "'2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00.000Z')");
    }
    {
        Database opened(OpenOptions{file.path, Access::read, std::chrono::milliseconds(0)});
        CHECK(opened.opened_layout_version() == 1);
        auto info = database_info(opened);
        CHECK(info.layout_version == 2);
        REQUIRE(info.tables.back().table == "stream_progress");
        CHECK(info.tables.back().rows == 0);
        CHECK(info.tables[5].table == "users");
        CHECK(info.tables[5].rows == 1);
    }
    CHECK(file.user_version() == 2);
    SQLite::Database sql(file.path, SQLite::OPEN_READONLY);
    SQLite::Statement columns(sql,
                              "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk "
                              "FROM pragma_table_info('stream_progress') ORDER BY cid");
    std::vector<std::string> described;
    while (columns.executeStep()) {
        described.push_back(columns.getColumn(0).getString());
    }
    CHECK(described == std::vector<std::string>{"stream TEXT 1 1", "committed_line INTEGER 1 0",
                                                "updated TEXT 1 0"});
}

TEST_CASE("layout: a new file gets every layout at once") {
    LayoutFile file;
    CHECK(file.user_version() == 2);
    CHECK(file.has_table("outbox"));
    CHECK(file.has_table("stream_progress"));
}

TEST_CASE("layout: an upgrade that fails changes nothing") {
    LayoutFile file;
    auto upgrades = with_steps({"ALTER TABLE users ADD COLUMN nickname TEXT",
                                "ALTER TABLE no_such_table ADD COLUMN x TEXT"});
    {
        SQLite::Database sql(file.path, SQLite::OPEN_READWRITE);
        CHECK_THROWS_AS(upgrade_layout(sql, file.path, upgrades), SQLite::Exception);
    }
    CHECK(file.user_version() == current_layout_version());
    CHECK_FALSE(file.users_have_column("nickname"));
}

TEST_CASE("layout: a file upgraded by a later release is refused by this one") {
    LayoutFile file;
    {
        SQLite::Database sql(file.path, SQLite::OPEN_READWRITE);
        upgrade_layout(sql, file.path, with_steps({"ALTER TABLE users ADD COLUMN nickname TEXT"}));
    }
    try {
        Database refused(OpenOptions{file.path, Access::write, std::chrono::milliseconds(0)});
        FAIL("a newer layout was opened");
    } catch (const Error& error) {
        CHECK(error.code() == "LAYOUT_TOO_NEW");
    }
    CHECK(file.user_version() == current_layout_version() + 1);
}
