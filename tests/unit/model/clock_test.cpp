#include <chat/clock.hpp>

#include <doctest/doctest.h>

using chat::format_time;
using chat::parse_time;

namespace {
std::string normalized(const char* text) {
    auto time = parse_time(text);
    return time ? format_time(*time) : "invalid";
}
}  // namespace

TEST_CASE("clock: times are read in every documented form and written as UTC milliseconds") {
    CHECK(normalized("2026-11-25T10:00:00.000Z") == "2026-11-25T10:00:00.000Z");
    CHECK(normalized("2026-11-25T10:00Z") == "2026-11-25T10:00:00.000Z");
    CHECK(normalized("2026-11-25 10:00:05") == "2026-11-25T10:00:05.000Z");
    CHECK(normalized("2026-11-25T10:00:05.5") == "2026-11-25T10:00:05.500Z");
    CHECK(normalized("2026-11-25T10:00:05.123456") == "2026-11-25T10:00:05.123Z");
    CHECK(normalized("2026-11-25") == "2026-11-25T00:00:00.000Z");
    CHECK(normalized("2026-11-25T01:30+02:00") == "2026-11-24T23:30:00.000Z");
    CHECK(normalized("2026-12-31T23:30-01:00") == "2027-01-01T00:30:00.000Z");
    CHECK(normalized("2024-02-29T00:00Z") == "2024-02-29T00:00:00.000Z");
    CHECK(normalized("0000-01-01T00:00Z") == "0000-01-01T00:00:00.000Z");
    CHECK(normalized("9999-12-31T23:59:59.999Z") == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("clock: malformed times and impossible dates are refused") {
    for (const char* text :
         {"", "2026", "2026-02-30", "2025-02-29", "2026-13-01", "2026-11-25T24:00",
          "2026-11-25T10:60", "2026-11-25T10:00:61", "2026-11-25T10:00:00.", "2026-11-25T10:00+2",
          "2026-11-25T10:00Zjunk", "26-11-25", "2026-11-25X10:00", "2026-1-25",
          "0000-01-01T00:00+00:01", "9999-12-31T23:59-01:00"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_time(text));
    }
}

TEST_CASE("clock: a fixed clock says what it is told") {
    chat::FixedClock clock(*parse_time("2026-01-05T09:00:00Z"));
    CHECK(format_time(clock.now()) == "2026-01-05T09:00:00.000Z");
    clock.advance(std::chrono::seconds(1));
    CHECK(format_time(clock.now()) == "2026-01-05T09:00:01.000Z");
}
