#pragma once
/// Time as the store keeps it: UTC, millisecond precision, written as ISO 8601 text
/// (`2026-11-25T10:00:00.000Z`, SPEC §5). The clock is passed in, so that `--now` can fix it.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// Reads `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM` (UTC when absent),
/// or a bare `YYYY-MM-DD` (midnight UTC). Returns nullopt for anything else, including dates
/// that are not on the calendar.
std::optional<TimePoint> parse_time(std::string_view text);

/// True for `YYYY-MM-DD` naming a day on the calendar (a `date` answer, SPEC §2).
bool is_calendar_date(std::string_view text);

/// True for `HH:MM` or `HH:MM:SS` on a 24-hour clock (a `time` answer, SPEC §2).
bool is_time_of_day(std::string_view text);

/// True for `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM` (a `datetime`
/// answer, SPEC §2): the form only, so a zone may carry the instant past year 9999.
bool is_datetime_text(std::string_view text);

/// `2026-11-25T10:00:00.000Z`.
std::string format_time(TimePoint time);

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() = 0;
};

/// The computer's clock.
class SystemClock final : public Clock {
public:
    TimePoint now() override;
};

/// A clock that says what it is told, for `--now` and deterministic tests.
class FixedClock final : public Clock {
public:
    explicit FixedClock(TimePoint time) : m_time(time) {}
    TimePoint now() override { return m_time; }
    void advance(std::chrono::milliseconds step) { m_time += step; }

private:
    TimePoint m_time;
};

}  // namespace chat
