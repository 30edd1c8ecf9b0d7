// chatctl schema publish NAME@VERSION [--force]

#include "commands.hpp"
#include "schema_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

struct PublishOptions {
    std::string reference;
    bool is_forced = false;
};

ExitCode run_publish(const PublishOptions& options, Context& context) {
    auto reference = read_reference(context, options.reference, true);
    auto result = schema_store(context, store::Access::write).publish(reference, options.is_forced);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["schema"] = version_json(result.version);
        document["already_published"] = result.was_already_published;
        document["deprecated_versions"] = result.deprecated_versions;
        context.out << json_text(document) << '\n';
    } else if (!context.options.is_quiet) {
        std::string label = result.version.label();
        context.out << (result.was_already_published ? label + " was already published"
                                                     : "published " + label);
        for (auto deprecated : result.deprecated_versions) {
            context.out << ", deprecated " << result.version.name << '@' << deprecated;
        }
        context.out << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_publish(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<PublishOptions>();
    auto* app = schema.add_subcommand(
        "publish", "Publish a version; the other published version becomes deprecated");
    app->add_option("NAME@VERSION", options->reference, "The version to publish")->required();
    app->add_flag("--force", options->is_forced,
                  "Publish even a version older than the published one");
    commands.emplace_back(app, [options, &context] { return run_publish(*options, context); });
}

}  // namespace chat::cli
