#include "store/dumped_object.hpp"

#include <algorithm>

namespace chat::store {
namespace {

// A key as nlohmann::json dumps it. Keys of printable ASCII without quotes or backslashes (all
// of chatctl's own) need no escaping; others go through nlohmann::json.
void append_key(std::string& text, std::string_view key) {
    bool is_plain = std::all_of(key.begin(), key.end(), [](char c) {
        return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
    });
    if (!is_plain) {
        text += nlohmann::json(std::string(key)).dump();
        return;
    }
    text += '"';
    text += key;
    text += '"';
}

void append_member(std::string& text, std::string_view key, std::string_view dumped_value) {
    append_key(text, key);
    text += ':';
    text += dumped_value;
}

}  // namespace

std::string dump_with(nlohmann::json object, const std::string& key,
                      std::string_view dumped_value) {
    // The members after `key` move (not copied) into an object of their own; each part is
    // dumped once and the value is written between them.
    auto& members = object.get_ref<nlohmann::json::object_t&>();
    members.erase(key);
    nlohmann::json later = nlohmann::json::object();
    auto& later_members = later.get_ref<nlohmann::json::object_t&>();
    for (auto it = members.upper_bound(key); it != members.end();) {
        later_members.insert(members.extract(it++));
    }
    std::string text = object.dump();
    text.pop_back();  // the closing brace
    if (!members.empty()) {
        text += ',';
    }
    append_member(text, key, dumped_value);
    if (later_members.empty()) {
        text += '}';
    } else {
        text += ',';
        text.append(later.dump(), 1);
    }
    return text;
}

DumpedObject::DumpedObject(const nlohmann::json& object) {
    m_members.reserve(object.size());
    for (const auto& [key, value] : object.items()) {
        std::string member;
        append_member(member, key, value.dump());
        m_size += member.size() + 1;
        m_members.emplace_back(key, std::move(member));
    }
}

std::string DumpedObject::with(std::vector<Member> extra) const {
    std::sort(extra.begin(), extra.end(),
              [](const Member& a, const Member& b) { return a.key < b.key; });
    std::size_t size = m_size;
    for (const auto& member : extra) {
        size += member.key.size() + member.dumped_value.size() + 4;
    }
    std::string text;
    text.reserve(size);
    text += '{';
    bool is_first = true;
    auto separate = [&] {
        if (!is_first) {
            text += ',';
        }
        is_first = false;
    };
    auto added = extra.begin();
    for (const auto& [key, member] : m_members) {
        for (; added != extra.end() && added->key < key; ++added) {
            separate();
            append_member(text, added->key, added->dumped_value);
        }
        if (added != extra.end() && added->key == key) {
            separate();
            append_member(text, added->key, added->dumped_value);
            ++added;
            continue;
        }
        separate();
        text += member;
    }
    for (; added != extra.end(); ++added) {
        separate();
        append_member(text, added->key, added->dumped_value);
    }
    text += '}';
    return text;
}

}  // namespace chat::store
