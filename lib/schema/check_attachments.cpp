#include "schema/checks.hpp"
#include "schema/node_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace chat::schema {
namespace {

constexpr std::array<std::string_view, 5> k_youtube_hosts = {
    "youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"};

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

// "https://host/path/a.PNG?x=1" -> "png"
std::string url_extension(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    std::size_t scheme = url.find("://");
    std::string_view path = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    std::size_t slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    std::size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
        return {};
    }
    return lower(path.substr(dot + 1));
}

std::string url_host(std::string_view url) {
    std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    std::string_view rest = url.substr(scheme + 3);
    return lower(rest.substr(0, rest.find_first_of("/?#:")));
}

bool has_field(const AttachmentTemplate& attachment, std::string_view field) {
    if (field == "url")
        return attachment.url.has_value();
    if (field == "title")
        return attachment.title.has_value();
    if (field == "description")
        return attachment.description.has_value();
    if (field == "options")
        return !attachment.options.is_null();
    if (field == "thumbnail")
        return !attachment.thumbnail.is_null();
    if (field == "object")
        return attachment.object.has_value();
    return false;
}

class AttachmentChecker {
public:
    explicit AttachmentChecker(const CheckContext& context) : m_context(context) {}

    void check(const AttachmentTemplate& attachment, const Question& question) {
        const auto& settings = m_context.config.attachments;
        if (attachment.type == "image") {
            check_extension(attachment, "image", settings.image_extensions, question);
        } else if (attachment.type == "youtube") {
            check_youtube(attachment, question);
        } else if (attachment.type == "object_reference") {
            require(attachment, "object", question);
        } else if (auto custom = settings.custom.find(attachment.type);
                   custom != settings.custom.end()) {
            for (const auto& field : custom->second.required) {
                require(attachment, field, question);
            }
            if (!custom->second.extensions.empty()) {
                check_extension(attachment, attachment.type, custom->second.extensions, question);
            }
        } else if (!attachment.type.empty()) {
            m_context.reporter.error(attachment.loc, "invalid-value",
                                     "unknown attachment type '" + attachment.type + "' on " +
                                         describe_question(question) +
                                         "; expected image, youtube, object_reference" +
                                         custom_types());
        }
    }

private:
    bool require(const AttachmentTemplate& attachment, std::string_view field,
                 const Question& question) {
        if (has_field(attachment, field)) {
            return true;
        }
        m_context.reporter.error(attachment.loc, "missing-field",
                                 attachment.type + " attachment of " + describe_question(question) +
                                     " has no '" + std::string(field) + "'");
        return false;
    }

    void check_extension(const AttachmentTemplate& attachment, std::string_view kind,
                         const std::vector<std::string>& extensions, const Question& question) {
        if (!require(attachment, "url", question)) {
            return;
        }
        std::string extension = url_extension(*attachment.url);
        if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) {
            m_context.reporter.error(attachment.url_loc, "invalid-value",
                                     std::string(kind) + " url must end in " +
                                         join(extensions, ".") + ", found '" + *attachment.url +
                                         "'");
        }
    }

    void check_youtube(const AttachmentTemplate& attachment, const Question& question) {
        if (!require(attachment, "url", question)) {
            return;
        }
        std::string host = url_host(*attachment.url);
        if (std::find(k_youtube_hosts.begin(), k_youtube_hosts.end(), host) ==
            k_youtube_hosts.end()) {
            m_context.reporter.error(
                attachment.url_loc, "invalid-value",
                "youtube url must be on youtube.com or youtu.be, found '" + *attachment.url + "'");
        }
    }

    std::string custom_types() const {
        std::string result;
        for (const auto& [name, type] : m_context.config.attachments.custom) {
            result += ", " + name;
        }
        return result;
    }

    const CheckContext& m_context;
};

}  // namespace

void check_attachments(const CheckContext& context) {
    AttachmentChecker checker(context);
    for (const auto& question : context.schema.questions) {
        for (const auto& attachment : question.attachments) {
            checker.check(attachment, question);
        }
    }
}

}  // namespace chat::schema
