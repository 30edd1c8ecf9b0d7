#include "schema/check_flow.hpp"

#include "expr/numeric.hpp"

#include "schema/flow_analysis.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace chat::schema {
namespace {

constexpr std::size_t k_max_listed_questions = 8;
constexpr std::size_t k_max_cycle_notes = 10;

// Strongly connected components of the states over automatic edges only (edges leaving a
// message or fork question), by Tarjan's algorithm with an explicit stack.
class AutoComponents {
public:
    AutoComponents(const FlowGraph& graph, const Schema& schema) : m_graph(graph) {
        const std::size_t count = graph.states.size();
        m_is_auto.resize(count);
        for (StateId s = 0; s < count; ++s) {
            m_is_auto[s] = is_automatic(schema.questions[graph.states[s].question].type);
        }
        m_index.assign(count, k_unvisited);
        m_low.assign(count, 0);
        m_on_stack.assign(count, false);
        m_component.assign(count, k_unvisited);
        m_chain.assign(count, 0);
        for (StateId s = 0; s < count; ++s) {
            if (m_index[s] == k_unvisited && m_is_auto[s]) {
                visit(s);
            }
        }
    }

    /// Components that contain a cycle, each as its list of states.
    const std::vector<std::vector<StateId>>& cycles() const { return m_cycles; }
    /// The most automatic questions run in a row from `state` through exact states outside
    /// cycles (0 for a question the user answers).
    std::uint32_t chain_length(StateId state) const { return m_chain[state]; }
    /// The successor that continues the longest chain from `state`, if any.
    std::optional<StateId> chain_successor(StateId state) const {
        std::optional<StateId> best;
        for_each_successor(state, [&](StateId t) {
            if (m_chain[t] + 1 == m_chain[state] && !best) {
                best = t;
            }
        });
        return best;
    }
    bool is_in_component(StateId state, std::size_t component) const {
        return m_component[state] == component;
    }

    /// The auto successors of `state` (only states, not the end).
    template <typename Visit>
    void for_each_successor(StateId state, Visit visit_target) const {
        if (!m_is_auto[state]) {
            return;
        }
        for (auto e = m_graph.edge_begin[state]; e < m_graph.edge_begin[state + 1]; ++e) {
            if (m_graph.edge_target[e] < m_graph.states.size()) {
                visit_target(m_graph.edge_target[e]);
            }
        }
    }

private:
    static constexpr std::uint32_t k_unvisited = 0xFFFFFFFF;

    struct Frame {
        StateId state;
        std::uint32_t next_edge;
    };

    void visit(StateId root) {
        std::vector<Frame> frames{{root, m_graph.edge_begin[root]}};
        open(root);
        while (!frames.empty()) {
            Frame& frame = frames.back();
            StateId s = frame.state;
            if (m_is_auto[s] && frame.next_edge < m_graph.edge_begin[s + 1]) {
                StateId t = m_graph.edge_target[frame.next_edge++];
                if (t >= m_graph.states.size()) {
                    continue;
                }
                if (m_index[t] == k_unvisited) {
                    open(t);
                    frames.push_back({t, m_graph.edge_begin[t]});
                } else if (m_on_stack[t]) {
                    m_low[s] = std::min(m_low[s], m_index[t]);
                }
                continue;
            }
            if (m_low[s] == m_index[s]) {
                close_component(s);
            }
            frames.pop_back();
            if (!frames.empty()) {
                StateId parent = frames.back().state;
                m_low[parent] = std::min(m_low[parent], m_low[s]);
            }
        }
    }

    void open(StateId s) {
        m_index[s] = m_low[s] = m_next_index++;
        m_stack.push_back(s);
        m_on_stack[s] = true;
    }

    void close_component(StateId root) {
        std::vector<StateId> members;
        StateId member;
        do {
            member = m_stack.back();
            m_stack.pop_back();
            m_on_stack[member] = false;
            m_component[member] = m_component_count;
            members.push_back(member);
        } while (member != root);
        bool is_cycle = members.size() > 1 || has_self_loop(root);
        m_is_cycle_component.push_back(is_cycle);
        if (is_cycle) {
            m_cycle_component.push_back(m_component_count);
            m_cycles.push_back(std::move(members));
        } else {
            m_chain[root] = chain_through(root);
        }
        ++m_component_count;
    }

    // Tarjan closes a component after every component it reaches, so the chains of the
    // successors are known here. Cycles are reported on their own; chains stop at them.
    std::uint32_t chain_through(StateId s) const {
        if (!m_is_auto[s] || !m_graph.states[s].is_exact) {
            return 0;
        }
        std::uint32_t longest = 0;
        for_each_successor(s, [&](StateId t) {
            bool is_in_cycle =
                m_component[t] != k_unvisited && m_is_cycle_component[m_component[t]];
            if (!is_in_cycle && m_graph.states[t].is_exact) {
                longest = std::max(longest, m_chain[t]);
            }
        });
        return longest + 1;
    }

    bool has_self_loop(StateId s) const {
        for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
            if (m_graph.edge_target[e] == s) {
                return true;
            }
        }
        return false;
    }

public:
    std::size_t component_of_cycle(std::size_t cycle) const { return m_cycle_component[cycle]; }

private:
    const FlowGraph& m_graph;
    std::vector<bool> m_is_auto;
    std::vector<std::uint32_t> m_index;
    std::vector<std::uint32_t> m_low;
    std::vector<bool> m_on_stack;
    std::vector<std::uint32_t> m_component;
    std::vector<StateId> m_stack;
    std::uint32_t m_next_index = 0;
    std::uint32_t m_component_count = 0;
    std::vector<std::vector<StateId>> m_cycles;
    std::vector<std::size_t> m_cycle_component;
    std::vector<bool> m_is_cycle_component;
    std::vector<std::uint32_t> m_chain;
};

class FlowReporter {
public:
    FlowReporter(const CheckContext& context, const CompiledFlow& flow)
        : m_context(context), m_flow(flow), m_graph(analyse_flow(context.schema, flow)) {
        for (std::size_t i = 0; i < m_graph.failures.size(); ++i) {
            m_failure_of.emplace(m_graph.failures[i].state, i);
        }
    }

    void report() {
        report_bad_targets();
        report_unreachable_questions();
        report_unreachable_rules();
        report_auto_loops();
        report_traps();
    }

private:
    const Question& question_of(StateId state) const {
        return m_context.schema.questions[m_graph.states[state].question];
    }

    std::string when(StateId state) const {
        std::string values = m_graph.describe_values(state, m_flow);
        return values.empty() ? "" : " (when " + values + ")";
    }

    void report_bad_targets() {
        std::set<std::pair<std::uint32_t, std::uint32_t>> reported;
        for (const auto& bad : m_graph.bad_targets) {
            if (!m_graph.states[bad.state].is_exact ||
                !reported.insert({bad.question, bad.rule}).second) {
                continue;
            }
            const Question& question = m_context.schema.questions[bad.question];
            m_context.reporter.error(
                question.forking_rules[bad.rule].target_loc, "unknown-next-qid",
                "target of rule " + std::to_string(bad.rule + 1) + " of " +
                    describe_question(question) + " evaluates to " +
                    expr::format_number(bad.value) + ", which names no question" + when(bad.state));
        }
    }

    void report_unreachable_questions() {
        if (m_graph.reaches_unknown_target) {
            return;  // a computed target with unknown value may lead anywhere
        }
        const Question* entry = entry_question(m_context.schema);
        for (std::size_t q = 0; q < m_graph.is_reached.size(); ++q) {
            if (m_graph.is_reached[q]) {
                continue;
            }
            const Question& question = m_context.schema.questions[q];
            m_context.reporter.error(question.locs.self, "unreachable-question",
                                     describe_question(question) +
                                         " is unreachable: no path from the entry question " +
                                         std::to_string(entry->qid) + " leads to it");
        }
    }

    void report_unreachable_rules() {
        for (std::size_t q = 0; q < m_graph.rule_selected.size(); ++q) {
            const Question& question = m_context.schema.questions[q];
            if (!m_graph.is_reached[q]) {
                continue;
            }
            for (std::size_t r = 0; r < m_graph.rule_selected[q].size(); ++r) {
                if (m_graph.rule_selected[q][r]) {
                    continue;
                }
                m_context.reporter.warning(
                    question.forking_rules[r].loc, "unreachable-fork-rule",
                    "rule " + std::to_string(r + 1) + " of " + describe_question(question) +
                        " is never selected: no reachable variable values make its condition "
                        "the first that holds");
            }
        }
    }

    bool is_trap(StateId s) const {
        return m_graph.states[s].is_exact && !m_graph.states[s].can_end;
    }

    // A trap is reported where the flow enters it: at the entry state, or at a trapped state
    // with a predecessor that could still end. Questions upstream are not repeated.
    void report_traps() {
        std::vector<bool> is_entry_to_trap(m_graph.states.size(), false);
        if (!m_graph.states.empty() && is_trap(0)) {
            is_entry_to_trap[0] = true;
        }
        for (StateId s = 0; s < m_graph.states.size(); ++s) {
            if (!m_graph.states[s].is_exact || is_trap(s)) {
                continue;
            }
            for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
                StateId t = m_graph.edge_target[e];
                if (t < m_graph.states.size() && is_trap(t)) {
                    is_entry_to_trap[t] = true;
                }
            }
        }
        // A question that is a trap only for some values says which values.
        std::vector<bool> can_leave(m_context.schema.questions.size(), false);
        for (StateId s = 0; s < m_graph.states.size(); ++s) {
            if (!is_trap(s)) {
                can_leave[m_graph.states[s].question] = true;
            }
        }
        std::set<std::uint32_t> reported;
        for (StateId s = 0; s < m_graph.states.size(); ++s) {
            std::uint32_t question = m_graph.states[s].question;
            if (is_entry_to_trap[s] && reported.insert(question).second) {
                report_trap(s, can_leave[question]);
            }
        }
    }

    // A trap that holds an endless automatic loop is already reported as that loop.
    void report_trap(StateId state, bool depends_on_values) {
        auto trapped = trapped_states(state);
        bool holds_endless_loop = std::any_of(trapped.begin(), trapped.end(), [this](StateId s) {
            return m_in_endless_loop.contains(s);
        });
        if (holds_endless_loop) {
            return;
        }
        std::set<std::uint32_t> questions;
        for (StateId s : trapped) {
            questions.insert(m_graph.states[s].question);
        }
        const Question& question = question_of(state);
        std::vector<DiagnosticNote> notes;
        if (!questions.empty()) {
            notes.push_back(
                {question.locs.self,
                 std::string(questions.size() == 1 ? "from here the flow only reaches question "
                                                   : "from here the flow only reaches questions ") +
                     list_questions({questions.begin(), questions.end()})});
        }
        add_failure_notes(trapped, notes);
        m_context.reporter.error(question.locs.self, "no-exit",
                                 "no path from " + describe_question(question) +
                                     " reaches the end of the flow" +
                                     (depends_on_values ? when(state) : ""),
                                 std::move(notes));
    }

    // Why a trap cannot be left when an expression fails on the way (EXPRESSION_ERROR).
    void add_failure_notes(const std::vector<StateId>& trapped,
                           std::vector<DiagnosticNote>& notes) const {
        constexpr std::size_t k_max_failure_notes = 3;
        std::set<std::tuple<std::uint32_t, std::int64_t, int, std::uint32_t>> described;
        for (StateId s : trapped) {
            auto found = m_failure_of.find(s);
            if (found == m_failure_of.end()) {
                continue;
            }
            const EvaluationFailure& failure = m_graph.failures[found->second];
            auto key = std::tuple(failure.question,
                                  failure.answer ? std::int64_t{*failure.answer} : std::int64_t{-1},
                                  static_cast<int>(failure.part), failure.index);
            if (described.insert(key).second && described.size() <= k_max_failure_notes) {
                notes.push_back(describe_failure(failure));
            }
        }
    }

    DiagnosticNote describe_failure(const EvaluationFailure& failure) const {
        const Question& question = m_context.schema.questions[failure.question];
        std::string what;
        SourceLoc loc = question.locs.self;
        if (failure.part == EvaluationFailure::Part::modification) {
            const auto& modifications =
                failure.answer ? question.answers[*failure.answer].variable_modifications
                               : question.variable_modifications;
            const VariableModification& modification = modifications[failure.index];
            what = "variable modification [" + modification.variable + ", \"" +
                   modification.expression + "\"]";
            if (failure.answer) {
                what += " of answer " + std::to_string(*failure.answer + 1);
            }
            loc = modification.expression_loc;
        } else {
            const ForkRule& rule = question.forking_rules[failure.index];
            bool is_condition = failure.part == EvaluationFailure::Part::condition;
            what = std::string(is_condition ? "the condition" : "the target") + " of rule " +
                   std::to_string(failure.index + 1);
            loc = is_condition ? rule.condition_loc : rule.target_loc;
        }
        return {loc, describe_question(question) + ": " + what + " fails at run time (" +
                         failure.message + ")" + when(failure.state)};
    }

    std::vector<StateId> trapped_states(StateId start) const {
        std::vector<StateId> states;
        std::unordered_set<StateId> is_seen{start};
        std::vector<StateId> stack{start};
        while (!stack.empty()) {
            StateId s = stack.back();
            stack.pop_back();
            states.push_back(s);
            for (auto e = m_graph.edge_begin[s]; e < m_graph.edge_begin[s + 1]; ++e) {
                StateId t = m_graph.edge_target[e];
                if (t < m_graph.states.size() && is_seen.insert(t).second) {
                    stack.push_back(t);
                }
            }
        }
        return states;
    }

    std::string list_questions(const std::vector<std::uint32_t>& indices) const {
        std::vector<std::int64_t> qids;
        for (auto q : indices) {
            qids.push_back(m_context.schema.questions[q].qid);
        }
        std::sort(qids.begin(), qids.end());
        std::string text;
        for (std::size_t i = 0; i < qids.size() && i < k_max_listed_questions; ++i) {
            text += (i == 0 ? "" : ", ") + std::to_string(qids[i]);
        }
        if (qids.size() > k_max_listed_questions) {
            text += " and " + std::to_string(qids.size() - k_max_listed_questions) + " more";
        }
        return text;
    }

    void report_auto_loops() {
        AutoComponents components(m_graph, m_context.schema);
        report_long_chain(components);
        // Proven loops first: an approximate component over the same questions must not hide
        // one (each set of questions is reported once).
        const auto& cycles = components.cycles();
        auto is_exact_cycle = [&](std::size_t c) {
            return std::all_of(cycles[c].begin(), cycles[c].end(),
                               [this](StateId s) { return m_graph.states[s].is_exact; });
        };
        std::vector<std::size_t> order(cycles.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_partition(order.begin(), order.end(), is_exact_cycle);
        std::set<std::vector<std::uint32_t>> reported;
        for (std::size_t c : order) {
            const auto& members = cycles[c];
            bool is_exact = is_exact_cycle(c);
            auto cycle = witness_cycle(components, components.component_of_cycle(c), members);
            std::vector<std::uint32_t> key;
            for (StateId s : members) {
                key.push_back(m_graph.states[s].question);
            }
            std::sort(key.begin(), key.end());
            key.erase(std::unique(key.begin(), key.end()), key.end());
            if (!reported.insert(key).second) {
                continue;
            }
            if (is_exact) {
                m_in_endless_loop.insert(members.begin(), members.end());
            }
            report_auto_loop(cycle, is_exact);
        }
    }

    // A chain that ends is still rejected by the engine when it is longer than its limit.
    void report_long_chain(const AutoComponents& components) {
        StateId start = 0;
        for (StateId s = 0; s < m_graph.states.size(); ++s) {
            if (components.chain_length(s) > components.chain_length(start)) {
                start = s;
            }
        }
        std::uint32_t length = components.chain_length(start);
        if (length <= k_auto_step_limit) {
            return;
        }
        std::vector<DiagnosticNote> notes;
        std::optional<StateId> step = start;
        while (step && notes.size() < k_max_cycle_notes) {
            std::optional<StateId> next = components.chain_successor(*step);
            std::string where = next ? "question " + std::to_string(question_of(*next).qid)
                                     : "a question that waits for an answer, or the end";
            notes.push_back({question_of(*step).locs.self,
                             describe_question(question_of(*step)) + " moves on to " + where});
            step = next;
        }
        m_context.reporter.error(question_of(start).locs.self, "endless-auto-loop",
                                 "automatic questions run " + std::to_string(length) +
                                     " steps in a row from " +
                                     describe_question(question_of(start)) + when(start) +
                                     ", more than the engine's limit of " +
                                     std::to_string(k_auto_step_limit) + " per action",
                                 std::move(notes));
    }

    std::vector<StateId> witness_cycle(const AutoComponents& components, std::size_t component,
                                       const std::vector<StateId>& members) const {
        std::vector<StateId> path;
        std::unordered_map<StateId, std::size_t> position_in_path;
        StateId current = *std::min_element(members.begin(), members.end());
        while (!position_in_path.contains(current)) {
            position_in_path.emplace(current, path.size());
            path.push_back(current);
            StateId next = current;
            components.for_each_successor(current, [&](StateId t) {
                if (next == current && components.is_in_component(t, component)) {
                    next = t;
                }
            });
            current = next;
        }
        return {path.begin() + static_cast<std::ptrdiff_t>(position_in_path[current]), path.end()};
    }

    // "1 -> 2 -> 3 -> 1"; a long cycle keeps its first steps and its closing step.
    std::string route_of(const std::vector<StateId>& cycle) const {
        constexpr std::size_t k_max_shown = 10;
        std::string route;
        for (std::size_t i = 0; i < cycle.size(); ++i) {
            if (cycle.size() > k_max_shown + 1 && i == k_max_shown) {
                route += "... (" + std::to_string(cycle.size() - k_max_shown - 1) + " more) -> ";
                i = cycle.size() - 1;
            }
            route += std::to_string(question_of(cycle[i]).qid) + " -> ";
        }
        return route + std::to_string(question_of(cycle.front()).qid);
    }

    void report_auto_loop(const std::vector<StateId>& cycle, bool is_exact) {
        std::string route = route_of(cycle);
        std::vector<DiagnosticNote> notes;
        for (std::size_t i = 0; i < cycle.size() && notes.size() < k_max_cycle_notes; ++i) {
            const Question& from = question_of(cycle[i]);
            const Question& to = question_of(cycle[(i + 1) % cycle.size()]);
            std::string verb = from.type == QuestionType::fork ? " jumps to " : " moves on to ";
            notes.push_back({from.locs.self, describe_question(from) + verb + "question " +
                                                 std::to_string(to.qid)});
        }
        if (cycle.size() > k_max_cycle_notes) {
            notes.push_back({question_of(cycle[k_max_cycle_notes]).locs.self,
                             "and " + std::to_string(cycle.size() - k_max_cycle_notes) +
                                 " more steps back to question " +
                                 std::to_string(question_of(cycle.front()).qid)});
        }
        const Question& first = question_of(cycle.front());
        if (is_exact) {
            m_context.reporter.error(
                first.locs.self, "endless-auto-loop",
                "automatic questions " + route + " repeat forever" + when(cycle.front()),
                std::move(notes));
            return;
        }
        bool is_widened = std::any_of(cycle.begin(), cycle.end(),
                                      [this](StateId s) { return m_graph.states[s].is_widened; });
        std::string reason =
            is_widened ? "more than " + std::to_string(m_graph.max_states_per_question) +
                             " variable states per question were explored"
                       : "some variable values on the way are unknown (set by one of many "
                         "combinations of multichoice answers)";
        m_context.reporter.warning(
            first.locs.self, "unproven-auto-loop",
            "cannot prove that automatic questions " + route + " stop repeating: " + reason,
            std::move(notes));
    }

    const CheckContext& m_context;
    const CompiledFlow& m_flow;
    FlowGraph m_graph;
    std::unordered_set<StateId> m_in_endless_loop;
    std::unordered_map<StateId, std::size_t> m_failure_of;
};

}  // namespace

void check_flow(const CheckContext& context, const CompiledFlow& flow) {
    FlowReporter(context, flow).report();
}

}  // namespace chat::schema
