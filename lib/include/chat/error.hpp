#pragma once
/// The one exception the library throws for a refused request: a stable code (documented in
/// the man pages, printed in `--format json` errors), a message for people, and a kind that
/// the command line maps to its exit code (SPEC §13).

#include <stdexcept>
#include <string>

namespace chat {

enum class ErrorKind {
    rejected,   // the request breaks a rule (exit 1)
    not_found,  // a named thing does not exist (exit 3)
    database,   // the database cannot be used (exit 4)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string code, const std::string& message)
        : std::runtime_error(message), m_kind(kind), m_code(std::move(code)) {}

    ErrorKind kind() const { return m_kind; }
    const std::string& code() const { return m_code; }

private:
    ErrorKind m_kind;
    std::string m_code;
};

}  // namespace chat
