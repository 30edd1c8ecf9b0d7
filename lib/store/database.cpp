#include "store/connection.hpp"
#include "store/layout.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <thread>

namespace chat::store {
namespace {

bool is_memory(const std::string& path) {
    return path == ":memory:";
}

Error cannot_open(const std::string& path, const std::string& reason) {
    return Error(ErrorKind::database, "DATABASE_UNAVAILABLE",
                 "cannot open database '" + path + "': " + reason);
}

// Creating the file ourselves gives it mode 0600 whatever the umask (SPEC §15); SQLite's own
// -wal and -shm files copy the main file's mode.
void create_private_file(const std::string& path) {
    int descriptor = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (descriptor >= 0) {
        ::close(descriptor);
        return;
    }
    if (errno == EEXIST) {
        return;  // another process created it first: open it like any existing file
    }
    std::string reason = std::strerror(errno);
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (errno == ENOENT && !parent.empty() && !std::filesystem::exists(parent, ignored)) {
        reason = "folder '" + parent.string() + "' does not exist";
    }
    throw Error(ErrorKind::database, "DATABASE_UNAVAILABLE",
                "cannot create database '" + path + "': " + reason);
}

int open_flags(const OpenOptions& options, bool& is_read_only) {
    is_read_only = false;
    if (is_memory(options.path)) {
        return SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
    }
    std::error_code error;
    bool exists = std::filesystem::exists(options.path, error);
    if (!exists && options.access != Access::create) {
        throw Error(
            ErrorKind::database, "DATABASE_UNAVAILABLE",
            "no database at '" + options.path +
                "' ('chatctl schema import', 'chatctl user add' or 'chatctl replay' creates one)");
    }
    if (!exists) {
        create_private_file(options.path);
    } else if (std::filesystem::is_directory(options.path, error)) {
        throw cannot_open(options.path, "it is a folder");
    } else if (!std::filesystem::is_regular_file(options.path, error)) {
        throw cannot_open(options.path, "it is not a regular file");
    }
    // A reader may look at a file it cannot write (made read-only with chmod, say); SQLite
    // still needs to create the -shm file beside it unless the writer left one.
    is_read_only = options.access == Access::read && ::access(options.path.c_str(), W_OK) != 0;
    return is_read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
}

// Changing the journal mode needs the file to itself, and SQLite reports a conflict at once
// instead of calling the busy handler: retry until the busy timeout is spent.
void use_wal(SQLite::Database& sql, std::chrono::milliseconds busy_timeout) {
    auto deadline = std::chrono::steady_clock::now() + busy_timeout;
    while (true) {
        try {
            if (sql.execAndGet("PRAGMA journal_mode").getString() != "wal") {
                sql.execAndGet("PRAGMA journal_mode = WAL");
            }
            return;
        } catch (const SQLite::Exception& failure) {
            bool is_busy = (failure.getErrorCode() & 0xff) == SQLITE_BUSY;
            if (!is_busy || std::chrono::steady_clock::now() >= deadline) {
                throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

SQLite::Database open_connection(const OpenOptions& options, int& opened_version) {
    bool is_read_only = false;
    int flags = open_flags(options, is_read_only);
    SQLite::Database sql(options.path, flags, static_cast<int>(options.busy_timeout.count()));
    opened_version = check_layout(sql, options.path);
    if (opened_version == 0 && options.access != Access::create && !is_memory(options.path)) {
        // An empty file (made by touch, say) is no database yet; only import makes one.
        throw Error(ErrorKind::database, "DATABASE_UNAVAILABLE",
                    "'" + options.path +
                        "' holds no chatctl database yet ('chatctl schema import' or 'chatctl user "
                        "add' creates one)");
    }
    sql.exec("PRAGMA foreign_keys = ON");
    if (is_read_only) {
        if (opened_version < current_layout_version()) {
            throw cannot_open(options.path, "it is read-only and its layout needs an upgrade");
        }
        return sql;
    }
    // Readers leave the journal mode as they find it: chatctl's own files are WAL already.
    if (!is_memory(options.path) && options.access != Access::read) {
        use_wal(sql, options.busy_timeout);
        // In WAL mode NORMAL keeps every committed transaction through a process crash; only
        // a power cut may lose the last ones, and never corrupts the file.
        sql.exec("PRAGMA synchronous = NORMAL");
        // Replay runs every step in a savepoint: keep the savepoints' journals in memory (one
        // step's pages) instead of temporary files, and give a batch's pages room (16 MiB).
        sql.exec("PRAGMA temp_store = MEMORY");
        sql.exec("PRAGMA cache_size = -16384");
    }
    if (opened_version < current_layout_version()) {
        upgrade_layout(sql, options.path);
    }
    return sql;
}

}  // namespace

int current_layout_version() {
    return static_cast<int>(layout_upgrades().size());
}

Database::Database(const OpenOptions& options)
    : m_path(options.path), m_busy_timeout(options.busy_timeout) {
    try {
        m_connection =
            std::make_unique<Connection>(open_connection(options, m_opened_layout_version));
    } catch (const SQLite::Exception& failure) {
        throw database_error(failure, m_path, m_busy_timeout);
    }
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Error database_error(const SQLite::Exception& failure, const std::string& database_path,
                     std::chrono::milliseconds busy_timeout) {
    std::string where = "database '" + database_path + "'";
    switch (failure.getErrorCode() & 0xff) {  // the primary code of an extended one
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error(ErrorKind::database, "DATABASE_LOCKED",
                         where + " is locked by another process (waited " +
                             std::to_string(busy_timeout.count()) + " ms; see --busy-timeout)");
        case SQLITE_READONLY:
            return Error(ErrorKind::database, "DATABASE_READ_ONLY",
                         where + " is read-only: " + failure.what());
        case SQLITE_NOTADB:
            return Error(ErrorKind::database, "NOT_A_CHATCTL_DATABASE",
                         "'" + database_path + "' is not an SQLite database");
        case SQLITE_CORRUPT:
            return Error(ErrorKind::database, "DATABASE_CORRUPT",
                         where + " is damaged: " + failure.what() + " (see 'chatctl db check')");
        case SQLITE_FULL:
            return Error(ErrorKind::database, "DATABASE_FULL",
                         where + ": the disk is full; nothing was written");
        case SQLITE_CANTOPEN:
            return cannot_open(database_path, failure.what());
        default:
            return Error(ErrorKind::database, "DATABASE_ERROR", where + ": " + failure.what());
    }
}

}  // namespace chat::store

namespace chat::store {

bool looks_like_id(std::string_view key) {
    return !key.empty() &&
           std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

KeyReference KeyReference::parse(std::string_view text) {
    KeyReference reference;
    std::int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (looks_like_id(text) && error == std::errc{} && end == text.data() + text.size()) {
        reference.id = id;
    } else {
        reference.key = std::string(text);
    }
    return reference;
}

std::string KeyReference::text() const {
    return id ? std::to_string(*id) : key;
}

std::string KeyReference::describe() const {
    return id ? "with id " + std::to_string(*id) : "with key '" + key + "'";
}

}  // namespace chat::store
