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

TEST_CASE("dump_with: the same text as a dump with the member set") {
    const auto view = nlohmann::json::parse(R"({
        "automated_sender": null, "created": "x", "id": 3, "last_message": null,
        "question": {"qid": 2, "text": "a \"last_message\":null"}, "variables": {"a": 1}})");
    const std::string message = R"({"id":7,"text":"hi"})";
    auto expected = view;
    expected["last_message"] = nlohmann::json::parse(message);
    CHECK(chat::store::dump_with(view, "last_message", message) == expected.dump());
    // First, last, only and new members.
    for (const char* key : {"automated_sender", "variables", "zzz", "aaa"}) {
        auto set = view;
        set[key] = 5;
        CHECK(chat::store::dump_with(view, key, "5") == set.dump());
    }
    CHECK(chat::store::dump_with(nlohmann::json::object(), "k", "[]") == R"({"k":[]})");
    CHECK(chat::store::dump_with(nlohmann::json{{"k", 1}}, "k", "2") == R"({"k":2})");
}

TEST_CASE("DumpedObject: keys that need escaping are dumped as nlohmann::json dumps them") {
    const nlohmann::json object = {{"quote\"d", 1}, {"tab\t", 2}, {"caf\u00e9", 3}, {"plain", 4}};
    CHECK(DumpedObject(object).dump() == object.dump());
    CHECK(DumpedObject(object).with({{"back\\slash", "5"}}) ==
          R"({"back\\slash":5,"caf)"
          "\u00e9"
          R"(":3,"plain":4,"quote\"d":1,"tab\t":2})");
}
