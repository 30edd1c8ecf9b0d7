#include "schema/flow_analysis.hpp"

#include "expr/numeric.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <sstream>
#include <unordered_map>

namespace chat::schema {
namespace {

using VariableSet = std::vector<VariableId>;                                  // sorted, unique
using Valuation = std::vector<std::pair<VariableId, std::optional<double>>>;  // sorted by id

constexpr std::int32_t k_route_end = -1;
constexpr std::int32_t k_route_anywhere = -2;
// Keeps the whole exploration near a few million states, whatever the schema's size.
constexpr std::size_t k_state_budget = 2'000'000;
// States store the values of their live variables; when a schema reads hundreds of variables
// everywhere, this bounds the memory (16 bytes a value) rather than the number of states.
constexpr std::size_t k_value_budget = 8'000'000;
constexpr std::size_t k_max_states_per_question = 64;
constexpr std::size_t k_min_states_per_question = 4;

void insert_sorted(VariableSet& set, VariableId variable) {
    auto it = std::lower_bound(set.begin(), set.end(), variable);
    if (it == set.end() || *it != variable) {
        set.insert(it, variable);
    }
}

bool erase_sorted(VariableSet& set, VariableId variable) {
    auto it = std::lower_bound(set.begin(), set.end(), variable);
    if (it == set.end() || *it != variable) {
        return false;
    }
    set.erase(it);
    return true;
}

void add_all(VariableSet& set, const std::vector<VariableId>& variables) {
    for (VariableId variable : variables) {
        insert_sorted(set, variable);
    }
}

VariableSet merge(const VariableSet& a, const VariableSet& b) {
    VariableSet result;
    result.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(result));
    return result;
}

// Variables live before `modifications` run, given those live after them. A modification
// whose result is never read still matters when it can fail at run time (EXPRESSION_ERROR):
// then its reads stay live, so that the failure is found.
VariableSet live_before(const std::vector<CompiledModification>& modifications, VariableSet live) {
    for (auto it = modifications.rbegin(); it != modifications.rend(); ++it) {
        bool was_live = erase_sorted(live, it->variable);
        if (was_live || it->value.expression.can_fail()) {
            for (VariableId read : it->value.slots) {
                insert_sorted(live, read);
            }
        }
    }
    return live;
}

// The static shape of the flow: where each question (or each of its answers / rules) may go.
class Explorer {
public:
    Explorer(const Schema& schema, const CompiledFlow& flow) : m_schema(schema), m_flow(flow) {
        for (std::uint32_t i = 0; i < schema.questions.size(); ++i) {
            m_index_of_qid.emplace(schema.questions[i].qid, i);
        }
        std::size_t count = std::max<std::size_t>(schema.questions.size(), 1);
        m_graph.max_states_per_question = std::clamp(
            k_state_budget / count, k_min_states_per_question, k_max_states_per_question);
    }

    FlowGraph run() {
        compute_liveness();
        const std::size_t count = m_schema.questions.size();
        m_graph.rule_selected.resize(count);
        for (std::size_t q = 0; q < count; ++q) {
            m_graph.rule_selected[q].assign(m_schema.questions[q].forking_rules.size(), false);
        }
        m_graph.is_reached.assign(count, false);
        m_first_state_of.assign(count, k_none);
        m_states_at.assign(count, 0);
        m_widened_at.assign(count, k_none);
        explore();
        build_edges();
        mark_exact();
        mark_can_end();
        return std::move(m_graph);
    }

private:
    static constexpr StateId k_none = 0xFFFFFFFF;

    std::int32_t route_to(std::int64_t qid) const {
        if (qid < 0) {
            return k_route_end;
        }
        auto it = m_index_of_qid.find(qid);
        return it == m_index_of_qid.end() ? k_route_end : static_cast<std::int32_t>(it->second);
    }

    // ---- liveness -------------------------------------------------------------------------

    VariableSet live_at_route(std::int32_t route) const {
        if (route == k_route_end) {
            return {};
        }
        if (route == k_route_anywhere) {
            return m_all_reads;
        }
        return m_graph.live_in[static_cast<std::size_t>(route)];
    }

    VariableSet live_after_question(std::size_t q) const {
        const Question& question = m_schema.questions[q];
        const CompiledQuestion& compiled = m_flow.questions[q];
        VariableSet live;
        if (question.type == QuestionType::fork) {
            for (const auto& rule : compiled.rules) {
                live = merge(live, live_at_route(fork_route(rule)));
                add_all(live, rule.target.slots);
                add_all(live, rule.condition.slots);
            }
            return live;
        }
        if (is_answered_by_choice(question.type)) {
            for (std::size_t a = 0; a < question.answers.size(); ++a) {
                auto route = route_to(question.answers[a].next_qid.value_or(-1));
                live = merge(live,
                             live_before(compiled.answer_modifications[a], live_at_route(route)));
            }
            return live;
        }
        return live_at_route(route_to(question.next_qid.value_or(-1)));
    }

    std::int32_t fork_route(const CompiledRule& rule) const {
        if (!rule.target.slots.empty()) {
            return k_route_anywhere;
        }
        auto value = rule.target.expression.constant_value();
        TargetQid target = value ? target_qid(*value) : TargetQid{};
        return target.kind == TargetQid::Kind::question ? route_to(target.qid) : k_route_end;
    }

    std::vector<std::int32_t> static_successors(std::size_t q) const {
        const Question& question = m_schema.questions[q];
        std::vector<std::int32_t> routes;
        if (question.type == QuestionType::fork) {
            for (const auto& rule : m_flow.questions[q].rules) {
                routes.push_back(fork_route(rule));
            }
        } else if (is_answered_by_choice(question.type)) {
            for (const auto& answer : question.answers) {
                routes.push_back(route_to(answer.next_qid.value_or(-1)));
            }
        } else {
            routes.push_back(route_to(question.next_qid.value_or(-1)));
        }
        return routes;
    }

    void compute_liveness() {
        const std::size_t count = m_schema.questions.size();
        for (const auto& question : m_flow.questions) {
            auto add_reads = [this](const BoundExpression& bound) {
                add_all(m_all_reads, bound.slots);
            };
            for (const auto& rule : question.rules) {
                add_reads(rule.target);
                add_reads(rule.condition);
            }
            for (const auto& modification : question.modifications) {
                add_reads(modification.value);
            }
            for (const auto& answer : question.answer_modifications) {
                for (const auto& modification : answer) {
                    add_reads(modification.value);
                }
            }
        }
        std::vector<std::vector<std::uint32_t>> predecessors(count);
        for (std::size_t q = 0; q < count; ++q) {
            for (auto route : static_successors(q)) {
                if (route >= 0) {
                    predecessors[static_cast<std::size_t>(route)].push_back(
                        static_cast<std::uint32_t>(q));
                }
            }
        }
        m_graph.live_in.assign(count, {});
        std::deque<std::uint32_t> work;
        std::vector<bool> is_queued(count, true);
        for (std::size_t q = count; q-- > 0;) {
            work.push_back(static_cast<std::uint32_t>(q));
        }
        while (!work.empty()) {
            std::uint32_t q = work.front();
            work.pop_front();
            is_queued[q] = false;
            VariableSet live = live_after_question(q);
            if (m_schema.questions[q].type != QuestionType::fork) {
                live = live_before(m_flow.questions[q].modifications, std::move(live));
            }
            if (live == m_graph.live_in[q]) {
                continue;
            }
            m_graph.live_in[q] = std::move(live);
            for (auto p : predecessors[q]) {
                if (!is_queued[p]) {
                    is_queued[p] = true;
                    work.push_back(p);
                }
            }
        }
    }

    // ---- exploration ----------------------------------------------------------------------

    struct PendingEdge {
        StateId from;
        StateId to;
    };

    static std::uint64_t hash_state(std::uint32_t question,
                                    const std::vector<std::optional<double>>& values) {
        std::uint64_t hash = 1469598103934665603ULL ^ question;
        for (const auto& value : values) {
            std::uint64_t bits = 0x9e3779b97f4a7c15ULL;
            if (value) {
                double number = *value == 0 ? 0.0 : *value;  // -0 and 0 are one state
                std::memcpy(&bits, &number, sizeof bits);
            }
            hash = (hash ^ bits) * 1099511628211ULL;
        }
        return hash;
    }

    bool same_values(StateId state, const std::vector<std::optional<double>>& values) const {
        const auto* stored = m_graph.values.data() + m_graph.states[state].values_begin;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (stored[i].has_value() != values[i].has_value() ||
                (values[i] && *stored[i] != *values[i])) {
                return false;
            }
        }
        return true;
    }

    StateId add_state(std::uint32_t question, const std::vector<std::optional<double>>& values,
                      bool is_widened) {
        auto id = static_cast<StateId>(m_graph.states.size());
        FlowState state;
        state.question = question;
        state.values_begin = m_graph.values.size();
        state.is_widened = is_widened;
        m_graph.states.push_back(state);
        m_graph.values.insert(m_graph.values.end(), values.begin(), values.end());
        m_next_in_question.push_back(m_first_state_of[question]);
        m_first_state_of[question] = id;
        m_graph.is_reached[question] = true;
        m_queue.push_back(id);
        return id;
    }

    // Joins `values` into the widened state of the question: a variable whose values differ
    // becomes unknown. Re-explores the widened state when it grew.
    StateId widen(std::uint32_t question, std::vector<std::optional<double>> values) {
        StateId widened = m_widened_at[question];
        if (widened == k_none) {
            for (StateId s = m_first_state_of[question]; s != k_none; s = m_next_in_question[s]) {
                join_into(values, s);
            }
            widened = add_state(question, values, true);
            m_widened_at[question] = widened;
            return widened;
        }
        bool has_grown = false;
        auto* stored = m_graph.values.data() + m_graph.states[widened].values_begin;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (stored[i] && (!values[i] || *stored[i] != *values[i])) {
                stored[i].reset();
                has_grown = true;
            }
        }
        if (has_grown) {
            m_queue.push_back(widened);
        }
        return widened;
    }

    void join_into(std::vector<std::optional<double>>& values, StateId state) const {
        const auto* stored = m_graph.values.data() + m_graph.states[state].values_begin;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (values[i] && (!stored[i] || *stored[i] != *values[i])) {
                values[i].reset();
            }
        }
    }

    StateId arrive(std::uint32_t question, const Valuation& valuation) {
        const VariableSet& live = m_graph.live_in[question];
        std::vector<std::optional<double>> values(live.size());
        for (std::size_t i = 0; i < live.size(); ++i) {
            values[i] = lookup(valuation, live[i]);
        }
        std::uint64_t hash = hash_state(question, values);
        auto [it, is_new] = m_state_of_hash.emplace(hash, k_none);
        for (StateId s = it->second; s != k_none; s = m_next_same_hash[s]) {
            if (m_graph.states[s].question == question && same_values(s, values)) {
                return s;
            }
        }
        bool is_over_budget = m_graph.values.size() + values.size() > k_value_budget;
        if (m_widened_at[question] != k_none ||
            m_states_at[question] >= m_graph.max_states_per_question || is_over_budget) {
            return widen(question, std::move(values));
        }
        ++m_states_at[question];
        StateId id = add_state(question, values, false);
        m_next_same_hash.resize(m_graph.states.size(), k_none);
        m_next_same_hash[id] = it->second;
        it->second = id;
        return id;
    }

    static std::optional<double> lookup(const Valuation& valuation, VariableId variable) {
        auto it = std::lower_bound(valuation.begin(), valuation.end(), variable,
                                   [](const auto& entry, VariableId v) { return entry.first < v; });
        if (it == valuation.end() || it->first != variable) {
            return std::nullopt;
        }
        return it->second;
    }

    static void assign(Valuation& valuation, VariableId variable, std::optional<double> value) {
        auto it = std::lower_bound(valuation.begin(), valuation.end(), variable,
                                   [](const auto& entry, VariableId v) { return entry.first < v; });
        if (it != valuation.end() && it->first == variable) {
            it->second = value;
        } else {
            valuation.insert(it, {variable, value});
        }
    }

    // Throws expr::EvaluationError.
    static std::optional<double> evaluate(const BoundExpression& bound,
                                          const Valuation& valuation) {
        std::optional<double> slots[16];
        std::vector<std::optional<double>> many;
        std::optional<double>* data = slots;
        if (bound.slots.size() > std::size(slots)) {
            many.resize(bound.slots.size());
            data = many.data();
        }
        for (std::size_t i = 0; i < bound.slots.size(); ++i) {
            data[i] = lookup(valuation, bound.slots[i]);
        }
        return bound.expression.evaluate_partial({data, bound.slots.size()});
    }

    // What failed, thrown from where the expression is evaluated to where the edge is made.
    struct FailedExpression {
        EvaluationFailure::Part part;
        std::uint32_t index;
        std::string message;
    };

    // Throws FailedExpression naming the modification that failed.
    static void apply(const std::vector<CompiledModification>& modifications,
                      Valuation& valuation) {
        for (std::uint32_t i = 0; i < modifications.size(); ++i) {
            try {
                assign(valuation, modifications[i].variable,
                       evaluate(modifications[i].value, valuation));
            } catch (const expr::EvaluationError& error) {
                throw FailedExpression{EvaluationFailure::Part::modification, i, error.what()};
            }
        }
    }

    static std::optional<double> evaluate_part(const BoundExpression& bound,
                                               const Valuation& valuation,
                                               EvaluationFailure::Part part, std::uint32_t index) {
        try {
            return evaluate(bound, valuation);
        } catch (const expr::EvaluationError& error) {
            throw FailedExpression{part, index, error.what()};
        }
    }

    void fail(StateId state, std::uint32_t q, std::optional<std::uint32_t> answer,
              const FailedExpression& failed) {
        if (m_has_failure.size() <= state) {
            m_has_failure.resize(m_graph.states.size(), false);
        }
        if (!m_has_failure[state]) {
            m_has_failure[state] = true;
            m_graph.failures.push_back(
                {state, q, answer, failed.part, failed.index, failed.message});
        }
        edge(state, k_failure_state);
    }

    void explore() {
        const Question* entry = entry_question(m_schema);
        if (!entry) {
            return;
        }
        auto entry_index = static_cast<std::uint32_t>(entry - m_schema.questions.data());
        Valuation initial;
        for (VariableId v : m_graph.live_in[entry_index]) {
            initial.emplace_back(v, 0.0);  // every variable starts at 0
        }
        arrive(entry_index, initial);
        while (!m_queue.empty()) {
            StateId state = m_queue.front();
            m_queue.pop_front();
            expand(state);
        }
    }

    Valuation valuation_of(StateId state) const {
        const auto& flow_state = m_graph.states[state];
        const VariableSet& live = m_graph.live_in[flow_state.question];
        Valuation valuation;
        valuation.reserve(live.size() + 4);
        for (std::size_t i = 0; i < live.size(); ++i) {
            valuation.emplace_back(live[i], m_graph.values[flow_state.values_begin + i]);
        }
        return valuation;
    }

    void edge(StateId from, StateId to) { m_pending_edges.push_back({from, to}); }

    void go(StateId from, std::int64_t qid, const Valuation& valuation) {
        std::int32_t route = route_to(qid);
        edge(from, route < 0 ? k_end_state : arrive(static_cast<std::uint32_t>(route), valuation));
    }

    void expand(StateId state) {
        std::uint32_t q = m_graph.states[state].question;
        const Question& question = m_schema.questions[q];
        const CompiledQuestion& compiled = m_flow.questions[q];
        Valuation valuation = valuation_of(state);
        try {
            if (question.type == QuestionType::fork) {
                expand_fork(state, q, valuation);
                return;
            }
            apply(compiled.modifications, valuation);
        } catch (const FailedExpression& failed) {
            fail(state, q, std::nullopt, failed);
            return;
        }
        if (is_answered_by_choice(question.type)) {
            expand_answers(state, q, valuation);
        } else {
            go(state, question.next_qid.value_or(-1), valuation);
        }
    }

    void expand_fork(StateId state, std::uint32_t q, const Valuation& valuation) {
        const auto& rules = m_flow.questions[q].rules;
        for (std::uint32_t i = 0; i < rules.size(); ++i) {
            auto holds =
                evaluate_part(rules[i].condition, valuation, EvaluationFailure::Part::condition, i);
            if (holds && *holds == 0) {
                continue;
            }
            m_graph.rule_selected[q][i] = true;
            try {
                follow_rule(state, q, i, valuation);
            } catch (const FailedExpression& failed) {
                // Only when the rule is taken; with an unknown condition the next rules may be.
                fail(state, q, std::nullopt, failed);
            }
            if (holds) {
                return;  // a rule that surely holds ends the search
            }
        }
        edge(state, k_end_state);
    }

    void follow_rule(StateId state, std::uint32_t q, std::uint32_t rule,
                     const Valuation& valuation) {
        auto target = evaluate_part(m_flow.questions[q].rules[rule].target, valuation,
                                    EvaluationFailure::Part::target, rule);
        if (!target) {
            m_graph.reaches_unknown_target = true;
            edge(state, k_anywhere_state);
            return;
        }
        TargetQid leads_to = target_qid(*target);
        bool names_no_question =
            leads_to.kind == TargetQid::Kind::nowhere ||
            (leads_to.kind == TargetQid::Kind::question && !m_index_of_qid.contains(leads_to.qid));
        if (names_no_question) {
            m_graph.bad_targets.push_back({q, rule, *target, state});
            edge(state, k_error_state);
            return;
        }
        go(state, leads_to.qid, valuation);
    }

    // Multichoice: the lowest-position chosen answer routes, and the modifications of every
    // chosen answer apply in position order. Up to this many later non-exclusive answers, every
    // combination is explored exactly; beyond, the variables they set become unknown.
    static constexpr std::size_t k_max_exact_multichoice_answers = 6;

    void expand_answers(StateId state, std::uint32_t q, const Valuation& valuation) {
        const Question& question = m_schema.questions[q];
        for (std::uint32_t a = 0; a < question.answers.size(); ++a) {
            std::int64_t next = question.answers[a].next_qid.value_or(-1);
            follow_answers(state, q, next, valuation, {a}, {});
            bool can_combine =
                question.type == QuestionType::multichoice && !question.answers[a].exclusive;
            if (can_combine) {
                expand_combinations(state, q, a, next, valuation);
            }
        }
    }

    void expand_combinations(StateId state, std::uint32_t q, std::uint32_t router,
                             std::int64_t next, const Valuation& valuation) {
        const Question& question = m_schema.questions[q];
        std::vector<std::uint32_t> later;
        for (auto b = router + 1; b < question.answers.size(); ++b) {
            if (!question.answers[b].exclusive) {
                later.push_back(b);
            }
        }
        if (later.size() > k_max_exact_multichoice_answers) {
            follow_answers(state, q, next, valuation, {router}, later);
            return;
        }
        for (std::uint32_t mask = 1; mask < (1U << later.size()); ++mask) {
            std::vector<std::uint32_t> chosen{router};
            for (std::size_t j = 0; j < later.size(); ++j) {
                if ((mask >> j) & 1U) {
                    chosen.push_back(later[j]);
                }
            }
            follow_answers(state, q, next, valuation, chosen, {});
        }
    }

    // Applies the modifications of the `chosen` answers, makes the variables the `maybe`
    // answers set unknown, and moves on to `next`.
    void follow_answers(StateId state, std::uint32_t q, std::int64_t next,
                        const Valuation& valuation, const std::vector<std::uint32_t>& chosen,
                        const std::vector<std::uint32_t>& maybe) {
        const auto& modifications = m_flow.questions[q].answer_modifications;
        Valuation after = valuation;
        for (auto answer : chosen) {
            try {
                apply(modifications[answer], after);
            } catch (const FailedExpression& failed) {
                fail(state, q, answer, failed);
                return;
            }
        }
        for (auto answer : maybe) {
            for (const auto& modification : modifications[answer]) {
                assign(after, modification.variable, std::nullopt);
            }
        }
        go(state, next, after);
    }

    // ---- results --------------------------------------------------------------------------

    void build_edges() {
        const std::size_t count = m_graph.states.size();
        m_graph.edge_begin.assign(count + 1, 0);
        for (const auto& pending : m_pending_edges) {
            ++m_graph.edge_begin[pending.from + 1];
        }
        for (std::size_t s = 0; s < count; ++s) {
            m_graph.edge_begin[s + 1] += m_graph.edge_begin[s];
        }
        m_graph.edge_target.resize(m_pending_edges.size());
        std::vector<std::uint32_t> fill(m_graph.edge_begin.begin(), m_graph.edge_begin.end() - 1);
        for (const auto& pending : m_pending_edges) {
            m_graph.edge_target[fill[pending.from]++] = pending.to;
        }
        m_pending_edges.clear();
        m_pending_edges.shrink_to_fit();
    }

    // A state with unknown values stands for several real ones (an over-approximation):
    // nothing found there is certain.
    bool is_exact_candidate(StateId state) const {
        const FlowState& flow_state = m_graph.states[state];
        if (flow_state.is_widened || flow_state.is_exact) {
            return false;
        }
        auto count = m_graph.live_in[flow_state.question].size();
        const auto* values = m_graph.values.data() + flow_state.values_begin;
        return std::all_of(values, values + count,
                           [](const auto& value) { return value.has_value(); });
    }

    void mark_exact() {
        if (m_graph.states.empty() || m_graph.states[0].is_widened) {
            return;
        }
        std::vector<StateId> stack{0};
        m_graph.states[0].is_exact = true;
        while (!stack.empty()) {
            StateId s = stack.back();
            stack.pop_back();
            for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
                StateId t = m_graph.edge_target[e];
                if (t < m_graph.states.size() && is_exact_candidate(t)) {
                    m_graph.states[t].is_exact = true;
                    stack.push_back(t);
                }
            }
        }
    }

    // An unknown computed target, a target that names no question (reported on its own) and a
    // failure in a state that is not exact count as a way out: the checker must not call a
    // question a trap when it cannot tell. A failure in an exact state is certain: the engine
    // rejects the action, so it leads nowhere.
    void mark_can_end() {
        const std::size_t count = m_graph.states.size();
        std::vector<std::uint32_t> reverse_begin(count + 1, 0);
        std::vector<StateId> stack;
        for (StateId s = 0; s < count; ++s) {
            for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
                StateId t = m_graph.edge_target[e];
                bool is_certain_failure = t == k_failure_state && m_graph.states[s].is_exact;
                if (t < count) {
                    ++reverse_begin[t + 1];
                } else if (!is_certain_failure && !m_graph.states[s].can_end) {
                    m_graph.states[s].can_end = true;
                    stack.push_back(s);
                }
            }
        }
        for (std::size_t s = 0; s < count; ++s) {
            reverse_begin[s + 1] += reverse_begin[s];
        }
        std::vector<StateId> reverse(reverse_begin[count]);
        std::vector<std::uint32_t> fill(reverse_begin.begin(), reverse_begin.end() - 1);
        for (StateId s = 0; s < count; ++s) {
            for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
                if (m_graph.edge_target[e] < count) {
                    reverse[fill[m_graph.edge_target[e]]++] = s;
                }
            }
        }
        while (!stack.empty()) {
            StateId s = stack.back();
            stack.pop_back();
            for (auto e = reverse_begin[s]; e < reverse_begin[s + 1]; ++e) {
                if (!m_graph.states[reverse[e]].can_end) {
                    m_graph.states[reverse[e]].can_end = true;
                    stack.push_back(reverse[e]);
                }
            }
        }
    }

    const Schema& m_schema;
    const CompiledFlow& m_flow;
    FlowGraph m_graph;
    VariableSet m_all_reads;
    std::unordered_map<std::int64_t, std::uint32_t> m_index_of_qid;
    std::unordered_map<std::uint64_t, StateId> m_state_of_hash;
    std::vector<StateId> m_next_same_hash;
    std::vector<StateId> m_first_state_of;
    std::vector<StateId> m_next_in_question;
    std::vector<std::size_t> m_states_at;
    std::vector<StateId> m_widened_at;
    std::vector<bool> m_has_failure;
    std::deque<StateId> m_queue;
    std::vector<PendingEdge> m_pending_edges;
};

}  // namespace

std::string FlowGraph::describe_values(StateId state, const CompiledFlow& flow) const {
    const FlowState& flow_state = states[state];
    const auto& live = live_in[flow_state.question];
    std::string text;
    for (std::size_t i = 0; i < live.size(); ++i) {
        const auto& value = values[flow_state.values_begin + i];
        text += (text.empty() ? "" : ", ") + flow.variable_names[live[i]] + " = " +
                (value ? expr::format_number(*value) : std::string("?"));
    }
    return text;
}

FlowGraph analyse_flow(const Schema& schema, const CompiledFlow& flow) {
    return Explorer(schema, flow).run();
}

}  // namespace chat::schema
