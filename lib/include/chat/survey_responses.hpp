#pragma once
/// Stateless mode of `survey state` (SPEC §10): re-validates submitted survey responses against
/// a schema without a database. Reads JSON lines `{"id": ..., "answers": {"<qid>": VALUE}}` and
/// writes one JSON line per input line, in input order, streaming: memory stays bounded by the
/// longest line whatever the input size.

#include <chat/runtime_schema.hpp>

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace chat {

/// Longest response line accepted, in bytes; a longer line is reported as malformed and
/// skipped without being held in memory.
inline constexpr std::size_t k_max_response_line_bytes = std::size_t{16} << 20;

struct ResponseSummary {
    std::int64_t responses = 0;  // lines read as responses (blank lines are skipped)
    std::int64_t malformed = 0;  // lines that are not a response object
    std::int64_t invalid = 0;    // responses with at least one entry in `errors`
    std::int64_t complete = 0;   // responses whose state is completed
};

/// One malformed line, for the caller to report as `FILE:LINE:COLUMN: error: MESSAGE`.
struct MalformedLine {
    std::int64_t line = 0;    // 1-based
    std::int64_t column = 0;  // 1-based byte column where reading failed
    std::string message;
};

class MalformedLineSink {
public:
    virtual ~MalformedLineSink() = default;
    virtual void malformed(const MalformedLine& line) = 0;
};

/// Reads every response line of `in` and writes its result line to `out`:
///   {"id":ID,"visibility":[...],"completed":BOOL,"hidden_answers":[...],"errors":{...}}
/// where ID is the input's id copied as written (any JSON scalar; null when absent). A
/// malformed line gives {"line":N,"error":{"code":"MALFORMED_LINE","message":"..."}} on `out`
/// and a call to `sink`; the lines after it are still processed.
ResponseSummary check_responses(const RuntimeSchema& schema, std::istream& in, std::ostream& out,
                                MalformedLineSink& sink);

}  // namespace chat
