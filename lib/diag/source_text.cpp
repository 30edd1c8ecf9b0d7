#include <chat/source_text.hpp>

#include <cstring>

namespace chat {

SourceText::SourceText(std::string text) : m_text(std::move(text)) {
    m_line_starts.push_back(0);
    const char* begin = m_text.data();
    const char* end = begin + m_text.size();
    for (const char* p = begin; p < end;) {
        const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (!found) {
            break;
        }
        p = static_cast<const char*>(found) + 1;
        m_line_starts.push_back(static_cast<std::size_t>(p - begin));
    }
}

std::string_view SourceText::line(std::uint32_t line) const {
    if (line == 0 || line > m_line_starts.size()) {
        return {};
    }
    std::size_t start = m_line_starts[line - 1];
    std::size_t end = line < m_line_starts.size() ? m_line_starts[line] - 1 : m_text.size();
    std::string_view view(m_text.data() + start, end - start);
    if (!view.empty() && view.back() == '\r') {
        view.remove_suffix(1);
    }
    return view;
}

}  // namespace chat
