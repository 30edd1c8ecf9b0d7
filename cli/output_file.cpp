#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace chat::cli {
namespace {

namespace fs = std::filesystem;

// A new, private name beside the target; O_EXCL makes the creation fail rather than reuse a
// file another process is writing.
int create_beside(const fs::path& target, std::string& created) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        // Short, so that a target name at the length limit still leaves room for it.
        created = (target.parent_path() / (".chatctl-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(attempt) + ".tmp"))
                      .string();
        int descriptor = ::open(created.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
        if (descriptor >= 0 || errno != EEXIST) {
            return descriptor;
        }
    }
    return -1;
}

bool write_all(int descriptor, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        auto count = ::write(descriptor, text.data() + written, text.size() - written);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count <= 0) {
            return false;
        }
        written += static_cast<std::size_t>(count);
    }
    return true;
}

bool keep_mode_of(const fs::path& target, int descriptor) {
    struct stat existing {};
    if (::stat(target.c_str(), &existing) != 0) {
        return errno == ENOENT;  // a new file keeps the umask's mode
    }
    return ::fchmod(descriptor, existing.st_mode & 07777) == 0;
}

// The file a chain of symbolic links ends at (which may not exist yet).
fs::path follow_links(fs::path target) {
    constexpr int k_max_links = 40;  // as the kernel's own limit
    for (int depth = 0; depth < k_max_links; ++depth) {
        std::error_code error;
        if (!fs::is_symlink(fs::symlink_status(target, error))) {
            break;
        }
        fs::path link = fs::read_symlink(target, error);
        if (error) {
            break;
        }
        target = link.is_absolute() ? link : target.parent_path() / link;
    }
    return target;
}

// The file a write to `path` replaces (links followed) and a new file beside it, open for
// writing in `descriptor`; or why there can be none.
std::optional<std::string> open_beside(const std::string& path, fs::path& target,
                                       std::string& created, int& descriptor) {
    target = follow_links(path);
    if (std::error_code error; fs::is_directory(target, error)) {
        return "it is a folder";
    }
    descriptor = create_beside(target, created);
    if (descriptor < 0) {
        return std::strerror(errno);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, const std::string& text) {
    fs::path target;
    std::string created;
    int descriptor = -1;
    if (auto problem = open_beside(path, target, created, descriptor)) {
        return problem;
    }
    bool is_written =
        write_all(descriptor, text) && keep_mode_of(target, descriptor) && ::fsync(descriptor) == 0;
    int saved_errno = errno;
    if (::close(descriptor) != 0 && is_written) {
        is_written = false;
        saved_errno = errno;
    }
    if (is_written && ::rename(created.c_str(), target.c_str()) == 0) {
        return std::nullopt;
    }
    saved_errno = is_written ? errno : saved_errno;
    ::unlink(created.c_str());
    return std::strerror(saved_errno);
}

std::optional<std::string> probe_writable(const std::string& path) {
    fs::path target;
    std::string created;
    int descriptor = -1;
    if (auto problem = open_beside(path, target, created, descriptor)) {
        return problem;
    }
    ::close(descriptor);
    ::unlink(created.c_str());
    return std::nullopt;
}

bool is_database_file(const std::string& path, const std::string& database_path) {
    // Absolute first: weakly_canonical leaves a relative path of missing files as it is.
    auto normal = [](const fs::path& file) {
        std::error_code error;
        return fs::weakly_canonical(fs::absolute(file, error), error);
    };
    fs::path output = normal(follow_links(path));
    // SQLite names its companion files after the file a linked database path points at.
    for (const std::string& database : {database_path, follow_links(database_path).string()}) {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            if (output == normal(database + suffix)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace chat::cli
