#pragma once
/// The one exception the library throws for a refused request: a stable code (documented in
/// the man pages, printed in `--format json` errors), a message for people, and a kind that
/// the command line maps to its exit code (SPEC §13).

#include <nlohmann/json.hpp>

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
    Error(ErrorKind kind, std::string code, const std::string& message,
          nlohmann::json details = nullptr)
        : std::runtime_error(message),
          m_kind(kind),
          m_code(std::move(code)),
          m_details(std::move(details)) {}

    ErrorKind kind() const { return m_kind; }
    const std::string& code() const { return m_code; }
    /// More about the failure, or null: for INVALID_ANSWER the field errors
    /// ({"text": ["WRONG_VALUE"]}).
    const nlohmann::json& details() const { return m_details; }

private:
    ErrorKind m_kind;
    std::string m_code;
    nlohmann::json m_details;
};

}  // namespace chat
