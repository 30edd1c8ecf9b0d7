#pragma once

#include "context.hpp"

namespace chat::cli {

/// `chatctl schema validate FILE...`
void register_schema_validate(CLI::App& schema, CommandTable& commands, Context& context);

}  // namespace chat::cli
