// Stateless survey checking (SPEC §10). Hot path: the benchmark wants 1,000,000 responses per
// second on 50 questions (SPEC §14), so lines are read in blocks and scanned in place by a small
// JSON reader (json_line_scanner.hpp) that allocates nothing once its buffers have grown
// (nlohmann::json would build a tree per line), answers are checked into CheckedAnswer objects
// reused per question, and the output is built in one reused buffer. Benchmark with
// scripts/bench after any change here.
//
// Reading decisions beyond the header:
// - blank lines (spaces, tabs, CR only) are skipped and counted neither as responses nor as
//   malformed, but they do count for the line numbers of malformed lines;
// - `id` may be any scalar (booleans too) and is copied byte for byte; arrays and objects are
//   malformed;
// - a qid key is the canonical decimal form ("7", not "07", "+7", "7.0"); any other key, or a
//   qid the schema lacks, is QUESTION_FROM_WRONG_SCHEMA whatever its value (null included);
// - in a VALUE list, an integer (no fraction, no exponent) is a position: negative or beyond
//   64 bits, it names no answer (answers WRONG_VALUE); any other element, a duplicate key or
//   an unknown key in an open-choice object, and true/false make the shape wrong: {"text":
//   ["WRONG_VALUE"]}; in an open-choice object, "answers": null and "text": null are absent;
// - ResponseSummary::responses does not count malformed lines;
// - nesting deeper than 64 containers (the response object included) is malformed.

#include <chat/survey.hpp>
#include <chat/survey_responses.hpp>
#include <chat/utf8.hpp>

#include "survey/json_line_scanner.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace chat {
namespace {

using namespace std::string_view_literals;
using survey::is_digit;
using survey::JsonScanner;
using survey::LineReader;

constexpr std::size_t k_flush_bytes = std::size_t{1} << 16;
// Containers around a VALUE: the response object and its answers object.
constexpr int k_value_depth = 2;
constexpr std::size_t k_shown_key_bytes = 32;

bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Appends `text` as the inside of a JSON string; bytes that are not UTF-8 become U+FFFD.
void append_escaped(std::string& out, std::string_view text) {
    auto is_plain = [](char c) {
        return c >= 0x20 && c != '"' && c != '\\' && static_cast<unsigned char>(c) < 0x80;
    };
    if (std::all_of(text.begin(), text.end(), is_plain)) {
        out += text;
        return;
    }
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += text[i++];
        } else if (c < 0x20) {
            static constexpr char k_hex[] = "0123456789abcdef";
            out += "\\u00";
            out += k_hex[c >> 4U];
            out += k_hex[c & 0xFU];
            ++i;
        } else if (std::size_t length = utf8_sequence_length(text, i); length > 0) {
            out.append(text, i, length);
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
}

void append_int(std::string& out, std::int64_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, static_cast<std::size_t>(result.ptr - digits));
}

// The decimal texts of the schema's qids, written into results by one 8-byte store each:
// formatting a number costs a branch per digit count, and every result lists dozens of qids.
class QidTexts {
public:
    explicit QidTexts(const RuntimeSchema& schema) {
        const auto& qids = schema.sorted_qids();
        constexpr std::int64_t k_max_qid = 9'999'999;  // seven digits, the eighth byte the length
        auto limit =
            std::min<std::int64_t>(k_max_qid, static_cast<std::int64_t>(4 * qids.size() + 4096));
        if (std::endian::native != std::endian::little || qids.empty() || qids.back() > limit) {
            return;
        }
        m_texts.assign(static_cast<std::size_t>(std::max<std::int64_t>(qids.back() + 1, 0)), 0);
        for (std::int64_t qid : qids) {
            if (qid < 0) {
                continue;
            }
            char digits[8] = {};
            auto length =
                static_cast<std::uint64_t>(std::to_chars(digits, digits + 7, qid).ptr - digits);
            std::uint64_t text = 0;
            std::memcpy(&text, digits, sizeof text);
            m_texts[static_cast<std::size_t>(qid)] = text | length << 56U;
        }
    }

    // Writes `qid` at `out`, which has room for 24 bytes.
    char* write(char* out, char* end, std::int64_t qid) const {
        if (qid >= 0 && static_cast<std::uint64_t>(qid) < m_texts.size()) {
            std::uint64_t text = m_texts[static_cast<std::size_t>(qid)];
            if (text != 0) {
                // The bytes past the digits are overwritten by what comes next.
                std::memcpy(out, &text, sizeof text);
                return out + (text >> 56U);
            }
        }
        return std::to_chars(out, end, qid).ptr;
    }

private:
    std::vector<std::uint64_t> m_texts;  // by qid: digits, length in the top byte; 0 if none
};

// A key as messages show it: its JSON text, shortened at a character boundary.
std::string shown_key(std::string_view raw) {
    if (raw.size() <= k_shown_key_bytes) {
        return std::string(raw);
    }
    std::size_t end = 0;
    while (end < raw.size()) {
        std::size_t length = std::max<std::size_t>(utf8_sequence_length(raw, end), 1);
        if (end + length > k_shown_key_bytes) {
            break;
        }
        end += length;
    }
    return std::string(raw.substr(0, end)) + "...";
}

// A qid key in its canonical decimal form ("7", not "07", "+7" or " 7").
std::optional<std::int64_t> qid_of_key(std::string_view key) {
    if (key.empty() || (key.size() > 1 && key.front() == '0')) {
        return std::nullopt;
    }
    constexpr std::size_t k_safe_digits = 18;  // cannot overflow 64 bits
    if (key.size() > k_safe_digits) {
        std::int64_t qid = 0;
        auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), qid);
        bool is_qid = error == std::errc{} && end == key.data() + key.size() && key[0] != '-';
        return is_qid ? std::optional(qid) : std::nullopt;
    }
    // Digits checked all at once at the end: no branch per character.
    std::uint64_t qid = 0;
    bool is_digits = true;
    for (char c : key) {
        auto digit = static_cast<std::uint64_t>(static_cast<unsigned char>(c)) - '0';
        is_digits &= digit <= 9;
        qid = qid * 10 + digit;
    }
    return is_digits ? std::optional(static_cast<std::int64_t>(qid)) : std::nullopt;
}

// One qid's entry in the `errors` object: its field errors, written as JSON as soon as they
// are known (so that no FieldErrors outlives its check), at [begin, end) of a shared buffer.
struct QidErrors {
    std::int64_t qid = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// A key of `answers` that names no question of the schema.
struct WrongKey {
    std::string_view raw;  // as written, which is valid JSON string content
    std::string_view key;  // unescaped, to find duplicates
};

// Checks response lines one by one, keeping every buffer between lines.
class ResponseChecker {
public:
    ResponseChecker(const RuntimeSchema& schema, std::ostream& out, MalformedLineSink& sink)
        : m_schema(schema),
          m_qid_texts(schema),
          m_computer(schema),
          m_out_stream(out),
          m_sink(sink),
          m_checked(schema.question_count()),
          m_answers(schema.question_count(), nullptr),
          m_is_seen(schema.question_count(), 0),
          m_has_error(schema.question_count(), 0) {
        m_out.reserve(2 * k_flush_bytes);
    }

    void check_line(std::int64_t line_number, std::string_view line) {
        m_line_number = line_number;
        JsonScanner scanner(line, m_unescaped);
        if (read_response(scanner)) {
            write_response();
        } else {
            report_malformed(static_cast<std::int64_t>(scanner.column()), scanner.message());
        }
        clear_line();
        if (m_out.size() >= k_flush_bytes) {
            flush();
        }
    }

    void report_too_long(std::int64_t line_number) {
        m_line_number = line_number;
        report_malformed(
            static_cast<std::int64_t>(k_max_response_line_bytes) + 1,
            "expected a line of at most " + std::to_string(k_max_response_line_bytes) + " bytes");
    }

    void flush() {
        m_out_stream.write(m_out.data(), static_cast<std::streamsize>(m_out.size()));
        m_out.clear();
    }

    const ResponseSummary& summary() const { return m_summary; }

private:
    bool read_response(JsonScanner& scanner) {
        scanner.skip_spaces();
        if (scanner.peek() != '{') {
            return scanner.fail(scanner.position(), "expected '{' at the start of a response");
        }
        bool has_answers = false;
        bool is_read = scanner.read_members(
            [&](const char* key_at, std::string_view raw_key, std::string_view key) {
                if (key == "id") {
                    return !m_id.empty() ? scanner.fail(key_at, "duplicate key \"id\"")
                                         : read_id(scanner);
                }
                if (key == "answers") {
                    if (has_answers) {
                        return scanner.fail(key_at, "duplicate key \"answers\"");
                    }
                    has_answers = true;
                    return read_answers(scanner);
                }
                return scanner.fail(key_at, "unknown key \"" + shown_key(raw_key) +
                                                "\", expected \"id\" or \"answers\"");
            });
        if (!is_read) {
            return false;
        }
        scanner.skip_spaces();
        return scanner.at_end() ||
               scanner.fail(scanner.position(), "expected the end of the line after the response");
    }

    // Any scalar, true and false included, kept as written.
    bool read_id(JsonScanner& scanner) {
        const char* start = scanner.position();
        if (!JsonScanner::starts_scalar(scanner.peek())) {
            return scanner.fail(start, "expected a string, a number or null as \"id\"");
        }
        if (!scanner.read_scalar()) {
            return false;
        }
        m_id = std::string_view(start, static_cast<std::size_t>(scanner.position() - start));
        return true;
    }

    bool read_answers(JsonScanner& scanner) {
        if (scanner.peek() != '{') {
            return scanner.fail(scanner.position(), "expected an object as \"answers\"");
        }
        return scanner.read_members(
            [&](const char* key_at, std::string_view raw_key, std::string_view key) {
                auto qid = qid_of_key(key);
                auto index = qid ? m_schema.index_of(*qid) : std::nullopt;
                if (!index) {
                    return note_wrong_key(scanner, key_at, raw_key, key) && read_value(scanner);
                }
                if (m_is_seen[*index]) {
                    return scanner.fail(key_at, "duplicate qid \"" + shown_key(raw_key) + "\"");
                }
                m_is_seen[*index] = 1;
                m_touched.push_back(*index);
                return read_value(scanner) && check_value(*index);
            });
    }

    bool note_wrong_key(JsonScanner& scanner, const char* key_at, std::string_view raw_key,
                        std::string_view key) {
        for (const auto& wrong : m_wrong_keys) {
            if (wrong.key == key) {
                return scanner.fail(key_at, "duplicate qid \"" + shown_key(raw_key) + "\"");
            }
        }
        m_wrong_keys.push_back({raw_key, key});
        return true;
    }

    // VALUE (see the header) into m_input; m_value_kind tells what it was.
    bool read_value(JsonScanner& scanner) {
        m_input.text.reset();
        m_input.answers.clear();
        m_value_kind = ValueKind::answer;
        switch (scanner.peek()) {
            case '"':
                return set_text(scanner.read_string());
            case '[':
                return read_choices(scanner, k_value_depth + 1);
            case '{':
                return read_open_choice(scanner);
            case 'n':
                m_value_kind = ValueKind::none;
                return scanner.read_literal("null");
            case 't':
            case 'f':
                m_value_kind = ValueKind::wrong_shape;
                return scanner.skip_value(k_value_depth);
            default:
                if (scanner.peek() != '-' && !is_digit(scanner.peek())) {
                    return scanner.fail(scanner.position(), "expected a value");
                }
                return set_text(scanner.read_number());
        }
    }

    bool set_text(std::string_view text) {
        if (JsonScanner::is_failure(text)) {
            return false;
        }
        m_input.text = text;
        return true;
    }

    // [answer text or position, ...] at `depth` containers deep.
    bool read_choices(JsonScanner& scanner, int depth) {
        return scanner.read_elements([&] {
            char c = scanner.peek();
            if (c == '"') {
                std::string_view text = scanner.read_string();
                if (JsonScanner::is_failure(text)) {
                    return false;
                }
                m_input.answers.emplace_back(text);
                return true;
            }
            if (c == '-' || is_digit(c)) {
                std::string_view raw = scanner.read_number();
                if (JsonScanner::is_failure(raw)) {
                    return false;
                }
                if (!scanner.is_integer()) {
                    m_value_kind = ValueKind::wrong_shape;
                    return true;
                }
                // Beyond 64 bits: a position no answer has. Most positions are one digit.
                std::int64_t position = -1;
                if (raw.size() == 1) {
                    position = raw[0] - '0';
                } else {
                    std::from_chars(raw.data(), raw.data() + raw.size(), position);
                }
                m_input.answers.emplace_back(position);
                return true;
            }
            m_value_kind = ValueKind::wrong_shape;
            return scanner.skip_value(depth);
        });
    }

    // {"answers": [...], "text": "..."}; either may be absent or null.
    bool read_open_choice(JsonScanner& scanner) {
        bool has_answers = false;
        bool has_text = false;
        return scanner.read_members([&](const char*, std::string_view, std::string_view key) {
            char c = scanner.peek();
            if (key == "answers" && !has_answers && (c == '[' || c == 'n')) {
                has_answers = true;
                return c == 'n' ? scanner.read_literal("null")
                                : read_choices(scanner, k_value_depth + 2);
            }
            bool is_text = c == '"' || c == '-' || is_digit(c) || c == 'n';
            if (key == "text" && !has_text && is_text) {
                has_text = true;
                return read_text(scanner);
            }
            m_value_kind = ValueKind::wrong_shape;
            return scanner.skip_value(k_value_depth + 1);
        });
    }

    bool read_text(JsonScanner& scanner) {
        switch (scanner.peek()) {
            case '"':
                return set_text(scanner.read_string());
            case 'n':
                return scanner.read_literal("null");
            default:
                return set_text(scanner.read_number());
        }
    }

    bool check_value(std::size_t index) {
        if (m_value_kind == ValueKind::none) {
            return true;
        }
        std::int64_t qid = m_schema.question(index).qid;
        if (m_value_kind == ValueKind::wrong_shape) {
            m_error_text += R"("text":["WRONG_VALUE"])"sv;
            add_errors(index, qid);
            return true;
        }
        auto errors = check_answer(m_schema.question(index), m_input, m_checked[index]);
        if (errors.empty()) {
            m_answers[index] = &m_checked[index];
        } else {
            append_field_errors(errors);
            add_errors(index, qid);
        }
        return true;
    }

    // The errors of question `index`, written since the previous entry.
    void add_errors(std::size_t index, std::int64_t qid) {
        m_has_error[index] = 1;
        add_entry(qid);
    }

    void add_entry(std::int64_t qid) {
        std::size_t begin = m_errors.empty() ? 0 : m_errors.back().end;
        m_errors.push_back({qid, begin, m_error_text.size()});
    }

    void write_response() {
        const SurveyState& state = m_computer.compute(m_answers);
        for (std::int64_t qid : state.failed_expressions) {
            auto index = m_schema.index_of(qid);
            if (index && !m_has_error[*index]) {
                m_error_text += R"("question":["EXPRESSION_ERROR"])"sv;
                add_entry(qid);
            }
        }
        ++m_summary.responses;
        m_summary.complete += state.completed ? 1 : 0;
        m_summary.invalid += m_errors.empty() && m_wrong_keys.empty() ? 0 : 1;
        m_out += "{\"id\":"sv;
        append_input_text(m_id.empty() ? std::string_view("null") : m_id);
        m_out += ",\"visibility\":"sv;
        append_qids(state.visibility);
        m_out += state.completed ? ",\"completed\":true"sv : ",\"completed\":false"sv;
        m_out += ",\"hidden_answers\":"sv;
        append_qids(state.hidden_answers);
        m_out += ",\"errors\":{"sv;
        append_errors();
        m_out += "}}\n"sv;
    }

    // Text copied from the input can be as long as a line: written through rather than
    // gathered, so that the output buffer stays small (SPEC §14 bounded memory).
    void append_input_text(std::string_view text) {
        if (text.size() < k_flush_bytes) {
            m_out += text;
            return;
        }
        flush();
        m_out_stream.write(text.data(), static_cast<std::streamsize>(text.size()));
    }

    // Hot: through a buffer on the stack, one append per few hundred qids.
    void append_qids(const std::vector<std::int64_t>& qids) {
        constexpr std::ptrdiff_t k_room = 24;  // a comma, a qid and the closing bracket
        char chunk[4096];
        char* end = chunk + sizeof chunk;
        char* out = chunk;
        *out++ = '[';
        for (std::size_t i = 0; i < qids.size(); ++i) {
            if (end - out < k_room) {
                m_out.append(chunk, static_cast<std::size_t>(out - chunk));
                out = chunk;
            }
            if (i > 0) {
                *out++ = ',';
            }
            out = m_qid_texts.write(out, end, qids[i]);
        }
        *out++ = ']';
        m_out.append(chunk, static_cast<std::size_t>(out - chunk));
    }

    // The schema's qids in ascending numeric order, then the keys that name no question of
    // the schema in input order.
    void append_errors() {
        std::sort(m_errors.begin(), m_errors.end(),
                  [](const QidErrors& a, const QidErrors& b) { return a.qid < b.qid; });
        bool is_first = true;
        auto start_entry = [&] {
            if (!is_first) {
                m_out += ',';
            }
            is_first = false;
            m_out += '"';
        };
        for (const auto& [qid, begin, end] : m_errors) {
            start_entry();
            append_int(m_out, qid);
            m_out += "\":{"sv;
            m_out.append(m_error_text, begin, end - begin);
            m_out += '}';
        }
        for (const auto& wrong : m_wrong_keys) {
            start_entry();
            append_input_text(wrong.raw);
            m_out += "\":{\"question\":[\"QUESTION_FROM_WRONG_SCHEMA\"]}"sv;
        }
    }

    // {"text":["WRONG_VALUE"]} without its braces; entries come grouped by field.
    void append_field_errors(const FieldErrors& errors) {
        const FieldError* previous = nullptr;
        for (const FieldError& entry : errors) {
            if (previous && previous->field == entry.field) {
                m_error_text += ",\""sv;
            } else {
                m_error_text += previous ? "],\""sv : "\""sv;
                append_escaped(m_error_text, entry.field);
                m_error_text += "\":[\""sv;
            }
            append_escaped(m_error_text, entry.code);
            m_error_text += '"';
            previous = &entry;
        }
        m_error_text += ']';
    }

    void report_malformed(std::int64_t column, const std::string& message) {
        ++m_summary.malformed;
        m_out += "{\"line\":";
        append_int(m_out, m_line_number);
        m_out += ",\"error\":{\"code\":\"MALFORMED_LINE\",\"message\":\"";
        append_escaped(m_out, message);
        m_out += "\"}}\n";
        // Rare: keep this line's result ahead of whatever the sink writes.
        flush();
        m_sink.malformed({m_line_number, column, message});
    }

    void clear_line() {
        for (std::size_t index : m_touched) {
            m_answers[index] = nullptr;
            m_is_seen[index] = 0;
            m_has_error[index] = 0;
        }
        m_touched.clear();
        m_errors.clear();
        m_error_text.clear();
        m_wrong_keys.clear();
        m_id = {};
    }

    enum class ValueKind { answer, none, wrong_shape };

    const RuntimeSchema& m_schema;
    QidTexts m_qid_texts;
    SurveyStateComputer m_computer;
    std::ostream& m_out_stream;
    MalformedLineSink& m_sink;
    ResponseSummary m_summary;
    std::int64_t m_line_number = 0;

    // By question index; m_touched lists the indexes this line set, to clear only those.
    std::vector<CheckedAnswer> m_checked;
    std::vector<const CheckedAnswer*> m_answers;
    std::vector<unsigned char> m_is_seen;
    std::vector<unsigned char> m_has_error;
    std::vector<std::size_t> m_touched;

    std::string_view m_id;  // as written; empty when absent
    AnswerInput m_input;
    ValueKind m_value_kind = ValueKind::answer;
    std::vector<QidErrors> m_errors;
    std::string m_error_text;
    std::vector<WrongKey> m_wrong_keys;
    std::vector<char> m_unescaped;
    std::string m_out;
};

}  // namespace

ResponseSummary check_responses(const RuntimeSchema& schema, std::istream& in, std::ostream& out,
                                MalformedLineSink& sink) {
    LineReader reader(in);
    ResponseChecker checker(schema, out, sink);
    std::string_view line;
    bool is_too_long = false;
    for (std::int64_t line_number = 1; reader.next(line, is_too_long); ++line_number) {
        if (is_too_long) {
            checker.report_too_long(line_number);
        } else if (!is_blank_line(line)) {
            checker.check_line(line_number, line);
        }
    }
    checker.flush();
    return checker.summary();
}

}  // namespace chat
