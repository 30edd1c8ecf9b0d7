#include <chat/expression.hpp>
#include <chat/runtime_schema.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace chat {

namespace {

// An expression with slot i bound to variable `variables[i]`.
struct Bound {
    expr::Expression expression;
    std::vector<std::uint32_t> variables;
    // The value of an expression that reads no variable and cannot fail ("2", "True"), which
    // most modifications and fork rules are: computed once instead of at every evaluation.
    std::optional<double> constant;

    double evaluate(const VariablePool& pool) const {
        if (constant) {
            return *constant;
        }
        // Expressions read few variables: gather them on the stack when they fit.
        constexpr std::size_t k_inline = 16;
        if (variables.size() <= k_inline) {
            std::array<double, k_inline> slots;  // only the first variables.size() are read
            for (std::size_t i = 0; i < variables.size(); ++i) {
                slots[i] = pool.value(variables[i]);
            }
            return expression.evaluate(std::span<const double>(slots.data(), variables.size()));
        }
        std::vector<double> slots;
        slots.reserve(variables.size());
        for (auto variable : variables) {
            slots.push_back(pool.value(variable));
        }
        return expression.evaluate(slots);
    }
};

struct Modification {
    std::uint32_t variable = 0;
    Bound value;
};

struct Rule {
    Bound target;
    Bound condition;
};

struct CompiledQuestion {
    std::vector<Modification> modifications;
    std::vector<std::vector<Modification>> answer_modifications;
    std::vector<Rule> rules;
};

void apply(const std::vector<Modification>& modifications, VariablePool& pool) {
    for (const auto& modification : modifications) {
        pool.assign(modification.variable, modification.value.evaluate(pool));
    }
}

}  // namespace

struct RuntimeSchema::Compiled {
    std::vector<std::string> variable_names;
    std::vector<CompiledQuestion> questions;
};

namespace {

class Compiler {
public:
    RuntimeSchema::Compiled run(const Schema& schema) {
        for (const auto& question : schema.questions) {
            CompiledQuestion compiled;
            compiled.modifications = modifications(question.variable_modifications);
            for (const auto& answer : question.answers) {
                compiled.answer_modifications.push_back(
                    modifications(answer.variable_modifications));
            }
            for (const auto& rule : question.forking_rules) {
                compiled.rules.push_back({bind(rule.target), bind(rule.condition)});
            }
            m_compiled.questions.push_back(std::move(compiled));
        }
        return std::move(m_compiled);
    }

private:
    std::vector<Modification> modifications(const std::vector<VariableModification>& source) {
        std::vector<Modification> compiled;
        for (const auto& modification : source) {
            compiled.push_back({intern(modification.variable), bind(modification.expression)});
        }
        return compiled;
    }

    Bound bind(const std::string& text) {
        auto parsed = expr::Expression::parse(text);
        if (auto* error = std::get_if<expr::ParseError>(&parsed)) {
            throw std::invalid_argument("expression '" + text + "': " + error->message);
        }
        Bound bound{std::get<expr::Expression>(std::move(parsed)), {}, std::nullopt};
        for (const auto& name : bound.expression.variables()) {
            bound.variables.push_back(intern(name));
        }
        bound.constant = bound.expression.constant_value();
        return bound;
    }

    std::uint32_t intern(const std::string& name) {
        auto [it, is_new] =
            m_ids.emplace(name, static_cast<std::uint32_t>(m_compiled.variable_names.size()));
        if (is_new) {
            m_compiled.variable_names.push_back(name);
        }
        return it->second;
    }

    RuntimeSchema::Compiled m_compiled;
    std::unordered_map<std::string, std::uint32_t> m_ids;
};

}  // namespace

void VariablePool::clear() {
    std::fill(m_values.begin(), m_values.end(), 0.0);
    std::fill(m_is_set.begin(), m_is_set.end(), 0);
}

RuntimeSchema::RuntimeSchema(Schema schema)
    : m_schema(std::move(schema)),
      m_compiled(std::make_unique<const Compiled>(Compiler().run(m_schema))) {
    const auto count = m_schema.questions.size();
    for (std::size_t index = 0; index < count; ++index) {
        m_by_position.push_back(index);
    }
    std::stable_sort(m_by_position.begin(), m_by_position.end(), [this](auto a, auto b) {
        return m_schema.questions[a].position < m_schema.questions[b].position;
    });
    m_rank.resize(count);
    for (std::size_t rank = 0; rank < count; ++rank) {
        m_rank[m_by_position[rank]] = rank;
    }
    m_entry = m_by_position.empty() ? 0 : m_by_position.front();
    index_qids();
    index_routes();
}

RuntimeSchema::~RuntimeSchema() = default;
RuntimeSchema::RuntimeSchema(RuntimeSchema&&) noexcept = default;
RuntimeSchema& RuntimeSchema::operator=(RuntimeSchema&&) noexcept = default;

void RuntimeSchema::index_qids() {
    const auto count = m_schema.questions.size();
    // By qid, then index: of questions sharing a qid (not a valid schema), the first wins.
    m_by_qid.resize(count);
    for (std::size_t index = 0; index < count; ++index) {
        m_by_qid[index] = index;
    }
    std::stable_sort(m_by_qid.begin(), m_by_qid.end(), [this](auto a, auto b) {
        return m_schema.questions[a].qid < m_schema.questions[b].qid;
    });
    m_sorted_qids.resize(count);
    m_qid_rank.resize(count);
    for (std::size_t rank = 0; rank < count; ++rank) {
        m_sorted_qids[rank] = m_schema.questions[m_by_qid[rank]].qid;
        m_qid_rank[m_by_qid[rank]] = rank;
    }
    bool has_negative = count > 0 && m_sorted_qids.front() < 0;
    std::int64_t max_qid = count > 0 ? m_sorted_qids.back() : -1;
    auto dense_limit = static_cast<std::int64_t>(4 * count + 4096);
    if (has_negative || max_qid >= dense_limit) {
        return;
    }
    m_index_by_qid.assign(static_cast<std::size_t>(max_qid + 1), k_no_index);
    for (std::size_t rank = count; rank-- > 0;) {
        m_index_by_qid[static_cast<std::size_t>(m_sorted_qids[rank])] =
            static_cast<std::uint32_t>(m_by_qid[rank]);
    }
    m_is_dense = true;
}

void RuntimeSchema::index_routes() {
    auto index_or_none = [this](const std::optional<std::int64_t>& qid) {
        auto index = qid && *qid >= 0 ? index_of(*qid) : std::nullopt;
        return index.value_or(k_no_question);
    };
    for (const auto& question : m_schema.questions) {
        bool takes_answer = question.type != QuestionType::message &&
                            question.type != QuestionType::control &&
                            question.type != QuestionType::fork;
        m_flows.push_back({question.qid, index_or_none(question.next_qid),
                           m_answer_next_index.size(), question.type,
                           takes_answer && question.required});
        for (const auto& answer : question.answers) {
            m_answer_next_index.push_back(index_or_none(answer.next_qid));
            m_answer_modifies.push_back(answer.variable_modifications.empty() ? 0 : 1);
        }
    }
}

std::optional<std::size_t> RuntimeSchema::search_qid(std::int64_t qid) const {
    auto it = std::lower_bound(m_sorted_qids.begin(), m_sorted_qids.end(), qid);
    if (it == m_sorted_qids.end() || *it != qid) {
        return std::nullopt;
    }
    return m_by_qid[static_cast<std::size_t>(it - m_sorted_qids.begin())];
}

const std::vector<std::string>& RuntimeSchema::variable_names() const {
    return m_compiled->variable_names;
}

void RuntimeSchema::apply_question_modifications(std::size_t question, VariablePool& pool) const {
    apply(m_compiled->questions[question].modifications, pool);
}

void RuntimeSchema::apply_answer_modifications(std::size_t question, std::size_t answer,
                                               VariablePool& pool) const {
    apply(m_compiled->questions[question].answer_modifications[answer], pool);
}

bool RuntimeSchema::apply_answer_modifications_skipping_failures(std::size_t question,
                                                                 std::size_t answer,
                                                                 VariablePool& pool) const {
    bool is_ok = true;
    for (const auto& modification : m_compiled->questions[question].answer_modifications[answer]) {
        try {
            pool.assign(modification.variable, modification.value.evaluate(pool));
        } catch (const expr::EvaluationError&) {
            is_ok = false;
        }
    }
    return is_ok;
}

TargetQid RuntimeSchema::fork_target(std::size_t question, const VariablePool& pool) const {
    for (const auto& rule : m_compiled->questions[question].rules) {
        if (rule.condition.evaluate(pool) != 0) {
            return target_qid(rule.target.evaluate(pool));
        }
    }
    return {};
}

nlohmann::json RuntimeSchema::variables_json(const VariablePool& pool) const {
    auto json = nlohmann::json::object();
    const auto& names = variable_names();
    for (std::size_t variable = 0; variable < pool.size(); ++variable) {
        if (!pool.is_set(variable)) {
            continue;
        }
        double value = pool.value(variable);
        // Whole numbers print as integers ({"mood": 2}, not 2.0), like the schemas write them.
        if (std::trunc(value) == value && std::fabs(value) < 9.0e15) {
            json[names[variable]] = static_cast<std::int64_t>(value);
        } else {
            json[names[variable]] = value;
        }
    }
    return json;
}

}  // namespace chat
