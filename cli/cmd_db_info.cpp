// chatctl db info : layout version, journal mode, size and rows per table.

#include "commands.hpp"
#include "text_table.hpp"

namespace chat::cli {
namespace {

ExitCode run_info(Context& context) {
    auto info = store::database_info(context.database(store::Access::read));
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["path"] = info.path;
        document["layout_version"] = info.layout_version;
        document["journal_mode"] = info.journal_mode;
        document["file_bytes"] = info.file_bytes;
        nlohmann::ordered_json tables = nlohmann::ordered_json::object();
        for (const auto& table : info.tables) {
            tables[table.table] = table.rows;
        }
        document["tables"] = tables;
        context.out << json_text(document) << '\n';
        return ExitCode::success;
    }
    context.out << "database: " << info.path << '\n'
                << "layout version: " << info.layout_version << '\n'
                << "journal mode: " << info.journal_mode << '\n'
                << "file size: " << info.file_bytes << " bytes\n\n";
    TextTable table({"TABLE", "ROWS"});
    for (const auto& row : info.tables) {
        table.add({row.table, std::to_string(row.rows)});
    }
    table.print(context.out);
    return ExitCode::success;
}

}  // namespace

void register_db_info(CLI::App& db, CommandTable& commands, Context& context) {
    auto* app = db.add_subcommand("info", "Show the layout version, size and rows per table");
    commands.emplace_back(app, [&context] { return run_info(context); });
}

}  // namespace chat::cli
