#pragma once
// Explores the states (question, values of the variables still to be read) a schema can reach
// from its entry question, to find unreachable questions, traps, endless automatic loops and
// fork rules that are never selected. Iterative throughout; bounded per question by widening.

#include "schema/compiled_flow.hpp"

#include <chat/model.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chat::schema {

using StateId = std::uint32_t;

/// Where an edge goes besides another state.
inline constexpr StateId k_end_state = 0xFFFFFFFF;       // the flow ends
inline constexpr StateId k_error_state = 0xFFFFFFFE;     // a computed target names no question
inline constexpr StateId k_anywhere_state = 0xFFFFFFFD;  // a computed target with unknown value
inline constexpr StateId k_failure_state = 0xFFFFFFFC;   // an expression fails (EXPRESSION_ERROR)

struct FlowState {
    std::uint32_t question = 0;  // index into Schema::questions
    std::size_t values_begin = 0;
    bool is_widened = false;  // stands for many variable values: an over-approximation
    bool is_exact = false;    // reached from the entry through exact states only
    bool can_end = false;     // some path from here reaches the end
};

/// A computed fork target that evaluates to a qid the schema does not have.
struct BadTarget {
    std::uint32_t question = 0;
    std::uint32_t rule = 0;
    double value = 0;
    StateId state = 0;
};

/// An expression that fails at run time in a state: the engine rejects the action.
struct EvaluationFailure {
    enum class Part { modification, condition, target };
    StateId state = 0;
    std::uint32_t question = 0;
    std::optional<std::uint32_t> answer;  // set when an answer's modification fails
    Part part = Part::modification;
    std::uint32_t index = 0;  // of the modification or the rule
    std::string message;      // "division by zero"
};

struct FlowGraph {
    std::vector<FlowState> states;              // states[0] is the entry state
    std::vector<std::optional<double>> values;  // a state's values follow its question's live set
    std::vector<std::vector<VariableId>> live_in;  // per question, sorted
    std::vector<std::uint32_t>
        edge_begin;  // CSR: edges of state s are [edge_begin[s], edge_begin[s+1])
    std::vector<StateId> edge_target;
    std::vector<std::vector<bool>> rule_selected;  // per question, per rule
    std::vector<bool> is_reached;                  // per question
    std::vector<BadTarget> bad_targets;
    std::vector<EvaluationFailure> failures;  // the first one of each state
    bool reaches_unknown_target = false;
    std::size_t max_states_per_question = 0;

    /// "mood = 2, n = 1" for the variables that still matter in that state.
    std::string describe_values(StateId state, const CompiledFlow& flow) const;
};

/// Explores from the entry question. `schema` must have no reference errors.
FlowGraph analyse_flow(const Schema& schema, const CompiledFlow& flow);

}  // namespace chat::schema
