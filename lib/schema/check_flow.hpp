#pragma once

#include "schema/checks.hpp"
#include "schema/compiled_flow.hpp"

namespace chat::schema {

/// The flow checks: unreachable-question, unreachable-fork-rule, no-exit, endless-auto-loop,
/// unproven-auto-loop, and computed fork targets that name no question. The schema must have
/// no other errors (every reference resolves).
void check_flow(const CheckContext& context, const CompiledFlow& flow);

}  // namespace chat::schema
