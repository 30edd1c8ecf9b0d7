#pragma once
/// Settings that change what the checks and the engine accept (SPEC §12). Defaults match the
/// specification. Callers pass them in; chatctl reads no configuration file yet, so it runs
/// with these defaults.

#include <map>
#include <string>
#include <vector>

namespace chat {

/// A configured attachment type beyond image/youtube/object_reference.
struct CustomAttachmentType {
    std::vector<std::string> required;    // fields the template must have (e.g. "url")
    std::vector<std::string> extensions;  // accepted url extensions; empty = any
};

struct AttachmentSettings {
    std::vector<std::string> image_extensions{"gif", "png", "jpg", "jpeg"};
    std::map<std::string, CustomAttachmentType> custom;
};

struct Config {
    std::vector<std::string> schema_types{"survey", "automated_flow"};
    AttachmentSettings attachments;
};

}  // namespace chat
