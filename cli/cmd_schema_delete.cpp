// chatctl schema delete NAME@VERSION : only unused drafts.

#include "commands.hpp"
#include "schema_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

ExitCode run_delete(const std::string& reference_text, Context& context) {
    auto reference = read_reference(context, reference_text, true);
    auto deleted = schema_store(context, store::Access::write).remove(reference);
    if (context.wants_json()) {
        context.out << json_text(nlohmann::ordered_json{{"deleted", version_json(deleted)}})
                    << '\n';
    } else if (!context.options.is_quiet) {
        context.out << "deleted " << deleted.label() << " (draft)\n";
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_delete(CLI::App& schema, CommandTable& commands, Context& context) {
    auto reference = std::make_shared<std::string>();
    auto* app = schema.add_subcommand("delete", "Delete a draft version that nobody uses");
    app->add_option("NAME@VERSION", *reference, "The draft to delete")->required();
    commands.emplace_back(app, [reference, &context] { return run_delete(*reference, context); });
}

}  // namespace chat::cli
