#pragma once
// The expressions of a schema, parsed once and bound to schema-wide variable ids, for the flow
// analysis (and later the engine).

#include <chat/expression.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chat::schema {

using VariableId = std::uint32_t;

/// An expression with slot i bound to variable `slots[i]`.
struct BoundExpression {
    expr::Expression expression;
    std::vector<VariableId> slots;
};

struct CompiledModification {
    VariableId variable = 0;
    BoundExpression value;
};

struct CompiledRule {
    BoundExpression target;
    BoundExpression condition;
};

struct CompiledQuestion {
    std::vector<CompiledModification> modifications;
    std::vector<std::vector<CompiledModification>> answer_modifications;  // per answer
    std::vector<CompiledRule> rules;
};

struct CompiledFlow {
    std::vector<std::string> variable_names;  // indexed by VariableId
    std::vector<CompiledQuestion> questions;  // aligned with Schema::questions
};

}  // namespace chat::schema
