#include <chat/clock.hpp>

#include <charconv>
#include <cstdio>

namespace chat {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos` and moves past them.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    pos += width;
    return value;
}

bool read_char(std::string_view text, std::size_t& pos, char wanted) {
    if (pos < text.size() && text[pos] == wanted) {
        ++pos;
        return true;
    }
    return false;
}

std::optional<sys_days> read_date(std::string_view text, std::size_t& pos) {
    auto year = read_digits(text, pos, 4);
    if (!year || !read_char(text, pos, '-')) {
        return std::nullopt;
    }
    auto month = read_digits(text, pos, 2);
    if (!month || !read_char(text, pos, '-')) {
        return std::nullopt;
    }
    auto day = read_digits(text, pos, 2);
    if (!day) {
        return std::nullopt;
    }
    year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                        std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return sys_days{date};
}

// HH:MM[:SS[.fff]]: fractions beyond milliseconds are cut, not rounded.
std::optional<milliseconds> read_time_of_day(std::string_view text, std::size_t& pos) {
    auto hours = read_digits(text, pos, 2);
    if (!hours || *hours > 23 || !read_char(text, pos, ':')) {
        return std::nullopt;
    }
    auto minutes = read_digits(text, pos, 2);
    if (!minutes || *minutes > 59) {
        return std::nullopt;
    }
    milliseconds time = std::chrono::hours{*hours} + std::chrono::minutes{*minutes};
    if (!read_char(text, pos, ':')) {
        return time;
    }
    auto seconds = read_digits(text, pos, 2);
    if (!seconds || *seconds > 59) {
        return std::nullopt;
    }
    time += std::chrono::seconds{*seconds};
    if (!read_char(text, pos, '.')) {
        return time;
    }
    int scale = 100;
    std::size_t first = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        time += milliseconds{(text[pos] - '0') * scale};
        scale /= 10;
        ++pos;
    }
    return pos == first ? std::nullopt : std::optional(time);
}

// Z or ±HH:MM; the offset is what must be subtracted to reach UTC.
std::optional<minutes> read_zone(std::string_view text, std::size_t& pos) {
    if (read_char(text, pos, 'Z')) {
        return minutes{0};
    }
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
        return pos == text.size() ? std::optional(minutes{0}) : std::nullopt;
    }
    int sign = text[pos++] == '-' ? -1 : 1;
    auto hours = read_digits(text, pos, 2);
    if (!hours || *hours > 23 || !read_char(text, pos, ':')) {
        return std::nullopt;
    }
    auto zone_minutes = read_digits(text, pos, 2);
    if (!zone_minutes || *zone_minutes > 59) {
        return std::nullopt;
    }
    return minutes{sign * (*hours * 60 + *zone_minutes)};
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view text) {
    std::size_t pos = 0;
    auto date = read_date(text, pos);
    if (!date) {
        return std::nullopt;
    }
    if (pos == text.size()) {
        return TimePoint{*date};
    }
    if (!read_char(text, pos, 'T') && !read_char(text, pos, ' ')) {
        return std::nullopt;
    }
    auto time_of_day = read_time_of_day(text, pos);
    auto zone = time_of_day ? read_zone(text, pos) : std::nullopt;
    if (!zone || pos != text.size()) {
        return std::nullopt;
    }
    TimePoint time = TimePoint{*date} + *time_of_day - *zone;
    // The text form has four-digit years: a zone must not carry a time out of them.
    auto year = static_cast<int>(year_month_day{floor<days>(time)}.year());
    if (year < 0 || year > 9999) {
        return std::nullopt;
    }
    return time;
}

bool is_calendar_date(std::string_view text) {
    std::size_t pos = 0;
    return read_date(text, pos) && pos == text.size();
}

bool is_time_of_day(std::string_view text) {
    // read_time_of_day also takes fractions of seconds, which a time answer may not have.
    std::size_t pos = 0;
    return text.find('.') == std::string_view::npos && read_time_of_day(text, pos) &&
           pos == text.size();
}

bool is_datetime_text(std::string_view text) {
    std::size_t pos = 0;
    if (!read_date(text, pos) || (!read_char(text, pos, 'T') && !read_char(text, pos, ' '))) {
        return false;
    }
    return read_time_of_day(text, pos) && read_zone(text, pos) && pos == text.size();
}

std::string format_time(TimePoint time) {
    auto day = floor<days>(time);
    year_month_day date{day};
    hh_mm_ss clock_time{time - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(clock_time.hours().count()),
                  static_cast<int>(clock_time.minutes().count()),
                  static_cast<int>(clock_time.seconds().count()),
                  static_cast<int>(clock_time.subseconds().count()));
    return text;
}

TimePoint SystemClock::now() {
    return floor<milliseconds>(system_clock::now());
}

}  // namespace chat
