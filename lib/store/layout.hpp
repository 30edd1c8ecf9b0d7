#pragma once
// The database layout: the SQL that creates it, step by step from an empty file.

#include <string_view>
#include <vector>

namespace chat::store {

/// The SQL that turns layout N into layout N + 1 (N is its index in layout_upgrades()).
struct LayoutUpgrade {
    std::string_view sql;
};

/// Every upgrade, oldest first; its size is the current layout version.
const std::vector<LayoutUpgrade>& layout_upgrades();

/// The project's tables, in the order `db info` lists them.
const std::vector<std::string_view>& table_names();

}  // namespace chat::store
