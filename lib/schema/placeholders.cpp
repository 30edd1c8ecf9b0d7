#include "schema/placeholders.hpp"

#include <chat/expression.hpp>
#include <chat/utf8.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace chat::schema {
namespace {

constexpr std::array<std::string_view, 8> k_user_fields = {
    "id", "email", "first_name", "last_name", "avatar", "language", "roles", "profile"};

class PlaceholderParser {
public:
    explicit PlaceholderParser(std::string_view body) : m_body(body) {}

    // body is the text between "{{" and "}}".
    void parse(Placeholder& placeholder) {
        skip_spaces();
        do {
            std::string segment = name();
            if (segment.empty()) {
                placeholder.error = "expected a name such as user.first_name";
                return;
            }
            placeholder.path.push_back(std::move(segment));
        } while (accept('.'));
        skip_spaces();
        if (accept('|')) {
            skip_spaces();
            if (name() != "default" || !accept('(') || !parse_string(placeholder)) {
                placeholder.error = "expected default(\"text\") after '|'";
                return;
            }
            if (!accept(')')) {
                placeholder.error = "expected ')' after the default text";
                return;
            }
            skip_spaces();
        }
        if (m_at != m_body.size()) {
            // The whole character: a lone byte of a multi-byte one is not valid UTF-8.
            std::size_t length = std::max<std::size_t>(1, utf8_sequence_length(m_body, m_at));
            placeholder.error =
                "unexpected '" + std::string(m_body.substr(m_at, length)) + "' in placeholder";
        }
    }

private:
    void skip_spaces() {
        while (m_at < m_body.size() && (m_body[m_at] == ' ' || m_body[m_at] == '\t')) {
            ++m_at;
        }
    }
    bool accept(char c) {
        if (m_at < m_body.size() && m_body[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    std::string name() {
        std::size_t from = m_at;
        while (m_at < m_body.size() && expr::is_name_character(m_body[m_at])) {
            ++m_at;
        }
        return std::string(m_body.substr(from, m_at - from));
    }
    bool parse_string(Placeholder& placeholder) {
        if (m_at >= m_body.size() || (m_body[m_at] != '"' && m_body[m_at] != '\'')) {
            return false;
        }
        char quote = m_body[m_at++];
        std::size_t close = m_body.find(quote, m_at);
        if (close == std::string_view::npos) {
            return false;
        }
        placeholder.fallback = std::string(m_body.substr(m_at, close - m_at));
        m_at = close + 1;
        return true;
    }

    std::string_view m_body;
    std::size_t m_at = 0;
};

}  // namespace

std::vector<Placeholder> find_placeholders(std::string_view text) {
    std::vector<Placeholder> placeholders;
    std::size_t at = 0;
    while ((at = text.find("{{", at)) != std::string_view::npos) {
        Placeholder placeholder;
        placeholder.offset = at;
        std::size_t close = text.find("}}", at + 2);
        if (close == std::string_view::npos) {
            placeholder.error = "'{{' is never closed by '}}'";
            placeholders.push_back(std::move(placeholder));
            break;
        }
        PlaceholderParser(text.substr(at + 2, close - at - 2)).parse(placeholder);
        placeholders.push_back(std::move(placeholder));
        at = close + 2;
    }
    return placeholders;
}

std::string unknown_path_reason(const Placeholder& placeholder,
                                const std::function<bool(std::int64_t)>& has_qid) {
    const auto& path = placeholder.path;
    const std::string& root = path.front();
    if (root == "user") {
        if (path.size() < 2 ||
            std::find(k_user_fields.begin(), k_user_fields.end(), path[1]) == k_user_fields.end()) {
            return "'user' has the fields id, email, first_name, last_name, avatar, language, "
                   "roles and profile.<key>";
        }
        if (path[1] == "profile" && path.size() == 2) {
            return "'user.profile' needs a key, as in user.profile.city";
        }
        std::size_t field_count = path[1] == "profile" ? 3 : 2;
        if (path.size() > field_count) {
            std::string owner = path[0] + "." + path[1];
            if (field_count == 3) {
                owner += "." + path[2];
            }
            return "'" + owner + "' has no field '" + path[field_count] + "'";
        }
        return {};
    }
    if (root == "vars" || root == "answers") {
        if (path.size() != 2) {
            return "'" + root + "' takes exactly one name after it, as in " + root +
                   (root == "vars" ? ".score" : ".3");
        }
        if (root == "answers") {
            std::int64_t qid = -1;
            const auto& text = path[1];
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), qid);
            if (error != std::errc() || end != text.data() + text.size() || !has_qid(qid)) {
                return "'answers." + text + "' names no question of the schema";
            }
        }
        return {};
    }
    return "unknown root '" + root + "'; expected user, vars or answers";
}

}  // namespace chat::schema
