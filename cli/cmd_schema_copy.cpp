// chatctl schema copy NAME[@VERSION] : a new draft with the same content.

#include "commands.hpp"
#include "schema_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

ExitCode run_copy(const std::string& reference_text, Context& context) {
    auto reference = read_reference(context, reference_text);
    auto result = schema_store(context, store::Access::write).copy(reference);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["source"] = version_json(result.source);
        document["schema"] = version_json(result.copy);
        context.out << json_text(document) << '\n';
    } else if (!context.options.is_quiet) {
        context.out << "copied " << result.source.label() << " to " << result.copy.label()
                    << " (draft)\n";
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_copy(CLI::App& schema, CommandTable& commands, Context& context) {
    auto reference = std::make_shared<std::string>();
    auto* app = schema.add_subcommand(
        "copy", "Copy a version (default: the published one) into a new editable draft");
    app->add_option("NAME[@VERSION]", *reference, "The version to copy")->required();
    commands.emplace_back(app, [reference, &context] { return run_copy(*reference, context); });
}

}  // namespace chat::cli
