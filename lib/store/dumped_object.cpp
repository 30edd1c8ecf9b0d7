#include "store/dumped_object.hpp"

#include <algorithm>

namespace chat::store {
namespace {

void append_member(std::string& text, std::string_view key, std::string_view dumped_value) {
    text += nlohmann::json(std::string(key)).dump();
    text += ':';
    text += dumped_value;
}

}  // namespace

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
