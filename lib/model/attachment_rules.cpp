#include <chat/attachment_rules.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace chat {
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

std::string joined_extensions(const std::vector<std::string>& extensions) {
    std::string text;
    for (const auto& extension : extensions) {
        text += (text.empty() ? "." : ", .") + extension;
    }
    return text;
}

std::optional<AttachmentProblem> missing(const AttachmentTemplate& attachment,
                                         std::string_view field) {
    if (has_field(attachment, field)) {
        return std::nullopt;
    }
    return AttachmentProblem{AttachmentProblem::Kind::missing_field, std::string(field),
                             attachment.type + " attachment has no '" + std::string(field) + "'"};
}

std::optional<AttachmentProblem> wrong_extension(const AttachmentTemplate& attachment,
                                                 std::string_view kind,
                                                 const std::vector<std::string>& extensions) {
    if (auto problem = missing(attachment, "url")) {
        return problem;
    }
    std::string extension = url_extension(*attachment.url);
    if (std::find(extensions.begin(), extensions.end(), extension) != extensions.end()) {
        return std::nullopt;
    }
    return AttachmentProblem{AttachmentProblem::Kind::wrong_url, "url",
                             std::string(kind) + " url must end in " +
                                 joined_extensions(extensions) + ", found '" + *attachment.url +
                                 "'"};
}

std::optional<AttachmentProblem> wrong_host(const AttachmentTemplate& attachment) {
    if (auto problem = missing(attachment, "url")) {
        return problem;
    }
    std::string host = url_host(*attachment.url);
    if (std::find(k_youtube_hosts.begin(), k_youtube_hosts.end(), host) != k_youtube_hosts.end()) {
        return std::nullopt;
    }
    return AttachmentProblem{
        AttachmentProblem::Kind::wrong_url, "url",
        "youtube url must be on youtube.com or youtu.be, found '" + *attachment.url + "'"};
}

std::optional<std::string> optional_text(const nlohmann::json& json, const char* key,
                                         std::string& problem) {
    auto found = json.find(key);
    if (found == json.end() || found->is_null()) {
        return std::nullopt;
    }
    if (!found->is_string()) {
        problem = std::string(key) + " must be a text";
        return std::nullopt;
    }
    return found->get<std::string>();
}

}  // namespace

std::optional<AttachmentProblem> attachment_problem(const AttachmentTemplate& attachment,
                                                    const AttachmentSettings& settings) {
    if (attachment.type == "image") {
        return wrong_extension(attachment, "image", settings.image_extensions);
    }
    if (attachment.type == "youtube") {
        return wrong_host(attachment);
    }
    if (attachment.type == "object_reference") {
        return missing(attachment, "object");
    }
    auto custom = settings.custom.find(attachment.type);
    if (custom == settings.custom.end()) {
        std::string known = "image, youtube, object_reference";
        for (const auto& entry : settings.custom) {
            known += ", " + entry.first;
        }
        return AttachmentProblem{
            AttachmentProblem::Kind::unknown_type, "type",
            "unknown attachment type '" + attachment.type + "'; expected " + known};
    }
    for (const auto& field : custom->second.required) {
        if (auto problem = missing(attachment, field)) {
            return problem;
        }
    }
    if (!custom->second.extensions.empty()) {
        return wrong_extension(attachment, attachment.type, custom->second.extensions);
    }
    return std::nullopt;
}

const char* attachment_problem_code(const AttachmentProblem& problem) {
    return problem.kind == AttachmentProblem::Kind::missing_field ? "REQUIRED" : "INCORRECT_TYPE";
}

std::optional<AttachmentTemplate> attachment_from_json(const nlohmann::json& json,
                                                       std::string& problem) {
    if (!json.is_object()) {
        problem = "an attachment is a JSON object, not " + std::string(json.type_name());
        return std::nullopt;
    }
    constexpr std::array<std::string_view, 7> k_keys = {
        "type", "title", "description", "url", "options", "thumbnail", "object"};
    for (const auto& [key, value] : json.items()) {
        if (std::find(k_keys.begin(), k_keys.end(), key) == k_keys.end()) {
            problem = "unknown attachment field '" + key +
                      "' (fields: type, title, description, url, options, thumbnail, object)";
            return std::nullopt;
        }
    }
    AttachmentTemplate attachment;
    auto type = optional_text(json, "type", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    if (!type) {
        problem = "an attachment needs a type";
        return std::nullopt;
    }
    attachment.type = *type;
    attachment.title = optional_text(json, "title", problem);
    attachment.description = optional_text(json, "description", problem);
    attachment.url = optional_text(json, "url", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    attachment.options = json.value("options", nlohmann::json());
    attachment.thumbnail = json.value("thumbnail", nlohmann::json());
    auto object = json.find("object");
    if (object != json.end() && !object->is_null()) {
        auto object_type = object->is_object() ? object->find("type") : object->end();
        auto object_id = object->is_object() ? object->find("id") : object->end();
        if (!object->is_object() || object_type == object->end() || !object_type->is_string() ||
            object_id == object->end() || !object_id->is_number_integer()) {
            problem = "object must be {\"type\": TEXT, \"id\": INTEGER}";
            return std::nullopt;
        }
        attachment.object =
            ObjectReference{object_type->get<std::string>(), object_id->get<std::int64_t>()};
    }
    return attachment;
}

nlohmann::json attachment_json(const AttachmentTemplate& attachment) {
    nlohmann::json json = {{"type", attachment.type}};
    if (attachment.title)
        json["title"] = *attachment.title;
    if (attachment.description)
        json["description"] = *attachment.description;
    if (attachment.url)
        json["url"] = *attachment.url;
    if (!attachment.options.is_null())
        json["options"] = attachment.options;
    if (!attachment.thumbnail.is_null())
        json["thumbnail"] = attachment.thumbnail;
    if (attachment.object) {
        json["object"] = {{"type", attachment.object->type}, {"id", attachment.object->id}};
    }
    return json;
}

}  // namespace chat
