#pragma once
/// The rules of attachments (SPEC §2), shared by the schema checker (attachment templates) and
/// by sending messages (attachments given as JSON), so that both apply the same configuration.

#include <chat/config.hpp>
#include <chat/model.hpp>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace chat {

/// What breaks an attachment rule.
struct AttachmentProblem {
    enum class Kind {
        missing_field,  // `field` is required by the type (code REQUIRED)
        wrong_url,      // the url is not of the type's kind of file or host (INCORRECT_TYPE)
        unknown_type,   // neither built in nor configured (INCORRECT_TYPE)
    };
    Kind kind = Kind::missing_field;
    std::string field;    // the missing field, "url" or "type"
    std::string message;  // e.g. "image url must end in .gif, .png, found 'a.bmp'"
};

/// The first rule `attachment` breaks under `settings`, if any.
std::optional<AttachmentProblem> attachment_problem(const AttachmentTemplate& attachment,
                                                    const AttachmentSettings& settings);

/// The code of SPEC §2 for a problem: REQUIRED or INCORRECT_TYPE.
const char* attachment_problem_code(const AttachmentProblem& problem);

/// An attachment given as a JSON object ({type, title, description, url, options, thumbnail,
/// object: {type, id}}), or why it is not one (a wrong shape, an unknown key).
std::optional<AttachmentTemplate> attachment_from_json(const nlohmann::json& json,
                                                       std::string& problem);

/// The JSON of an attachment as messages carry it: absent fields are left out.
nlohmann::json attachment_json(const AttachmentTemplate& attachment);

}  // namespace chat
