#pragma once
// The database layout: the SQL that creates it, step by step from an empty file.

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chat::store {

/// The SQL that turns layout N into layout N + 1 (N is its index in layout_upgrades()).
struct LayoutUpgrade {
    std::string_view sql;
};

/// Every upgrade, oldest first; its size is the current layout version.
const std::vector<LayoutUpgrade>& layout_upgrades();

/// `PRAGMA application_id` of chatctl databases ("chat"): tells our files from other SQLite
/// files.
inline constexpr std::int64_t k_application_id = 0x63686174;

/// The layout version of an open file, read without writing. Throws chat::Error
/// NOT_A_CHATCTL_DATABASE for another program's file and LAYOUT_TOO_NEW for a layout beyond
/// `upgrades`.
int check_layout(SQLite::Database& sql, const std::string& path,
                 const std::vector<LayoutUpgrade>& upgrades = layout_upgrades());

/// Brings the file to layout upgrades.size(), step by step, in one IMMEDIATE transaction: all
/// of the missing steps or none. Checks the layout again once it holds the lock, since another
/// process may have upgraded the file meanwhile.
void upgrade_layout(SQLite::Database& sql, const std::string& path,
                    const std::vector<LayoutUpgrade>& upgrades = layout_upgrades());

/// The project's tables, in the order `db info` lists them.
const std::vector<std::string_view>& table_names();

}  // namespace chat::store
