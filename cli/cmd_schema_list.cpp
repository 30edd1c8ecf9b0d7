// chatctl schema list [--type T] [--status S] [--limit N] [--offset M]

#include "commands.hpp"
#include "schema_output.hpp"
#include "text_table.hpp"

#include <memory>

namespace chat::cli {
namespace {

struct ListOptions {
    std::optional<std::string> type;
    std::optional<std::string> status;
    std::optional<std::int64_t> limit;
    std::int64_t offset = 0;
};

void print_text(Context& context, const store::SchemaList& list, const store::ListFilter& filter) {
    TextTable table({"NAME", "VERSION", "TYPE", "STATUS", "QUESTIONS", "UPDATED"});
    for (const auto& version : list.versions) {
        table.add({version.name, std::to_string(version.version), version.type,
                   std::string(store::status_name(version.status)),
                   std::to_string(version.question_count), version.updated});
    }
    if (!list.versions.empty()) {
        table.print(context.out);
    }
    if (context.options.is_quiet) {
        return;
    }
    auto shown = static_cast<std::int64_t>(list.versions.size());
    if (shown == list.total) {
        context.err << plural(list.total, "version") << '\n';
    } else if (shown == 0) {
        context.err << "no versions shown of " << list.total << " (offset " << filter.offset
                    << (filter.limit ? ", limit " + std::to_string(*filter.limit) : "") << ")\n";
    } else {
        context.err << "versions " << filter.offset + 1 << "-" << filter.offset + shown << " of "
                    << list.total << '\n';
    }
}

ExitCode run_list(const ListOptions& options, Context& context) {
    store::ListFilter filter;
    filter.type = options.type;
    if (options.status) {
        filter.status = store::status_from_name(*options.status);
    }
    filter.limit = options.limit;
    filter.offset = options.offset;
    auto list = schema_store(context, store::Access::read).list(filter);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["schemas"] = nlohmann::ordered_json::array();
        for (const auto& version : list.versions) {
            document["schemas"].push_back(version_json(version));
        }
        document["total"] = list.total;
        document["offset"] = filter.offset;
        document["limit"] = filter.limit ? nlohmann::ordered_json(*filter.limit) : nullptr;
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, list, filter);
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_list(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto* app = schema.add_subcommand("list", "List stored versions, by name and version");
    app->add_option("--type", options->type, "Only schemas of this type");
    app->add_option("--status", options->status, "Only draft, published or deprecated versions")
        ->check(CLI::IsMember({"draft", "published", "deprecated"}));
    app->add_option("--limit", options->limit, "At most N versions")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_option("--offset", options->offset, "Skip the first M versions")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("M");
    commands.emplace_back(app, [options, &context] { return run_list(*options, context); });
}

}  // namespace chat::cli
