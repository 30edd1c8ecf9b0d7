// DumpedObject writes exactly what nlohmann::json::dump() writes for the merged object.

#include "store/dumped_object.hpp"

#include <doctest/doctest.h>

using chat::store::DumpedObject;

namespace {

std::string merged_dump(nlohmann::json object, const std::vector<DumpedObject::Member>& extra) {
    for (const auto& member : extra) {
        object[std::string(member.key)] = nlohmann::json::parse(member.dumped_value);
    }
    return object.dump();
}

}  // namespace

TEST_CASE("DumpedObject: the same text as a dump of the merged object") {
    const auto message = nlohmann::json::parse(R"({
        "addressee": null, "answers": [0, 2], "attachments": [{"type": "image", "url": "a"}],
        "created": "2026-01-05T09:00:00.000Z", "deleted": false, "id": 17, "meta": {"z": 1.5},
        "predecessor": 3, "related_question": 4, "sender": 2, "text": "caf\u00e9 \"quoted\"\n",
        "thread": 9, "type": "message", "updated": "2026-01-05T09:00:00.000Z"})");
    const DumpedObject dumped(message);
    const std::vector<std::vector<DumpedObject::Member>> cases = {
        {},
        {{"is_own", "true"}, {"is_read", "false"}},
        {{"thread_data", R"({"unread":2,"user":5})"}, {"is_read", "true"}, {"is_own", "false"}},
        {{"aaa", "1"}, {"zzz", "[]"}},                // before the first and after the last
        {{"text", "\"replaced\""}, {"id", "18"}},     // replacing members
        {{"thread", "10"}, {"thread_data", "null"}},  // a key that starts another
    };
    for (const auto& extra : cases) {
        CHECK(dumped.with(extra) == merged_dump(message, extra));
    }
    CHECK(dumped.dump() == message.dump());
}

TEST_CASE("DumpedObject: an empty object") {
    const DumpedObject dumped(nlohmann::json::object());
    CHECK(dumped.dump() == "{}");
    CHECK(dumped.with({{"b", "2"}, {"a", "1"}}) == R"({"a":1,"b":2})");
}
