#pragma once

#include "schema/checks.hpp"
#include "schema/compiled_flow.hpp"

#include <optional>

namespace chat::schema {

/// Parses every expression (expression-syntax), checks modification targets
/// (invalid-variable-name) and reads without any write (variable-never-set). Returns the
/// compiled flow when every expression parsed.
std::optional<CompiledFlow> check_expressions(const CheckContext& context);

}  // namespace chat::schema
