#pragma once
/// A validated schema prepared for running (SPEC §3): questions found by qid, expressions parsed
/// once and bound to numbered variables, so conversations and surveys evaluate without parsing
/// or looking names up.

#include <chat/model.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace chat {

/// The variables of one member or survey: values by variable id of a RuntimeSchema. A variable
/// never assigned reads as 0 and is left out of the JSON form.
class VariablePool {
public:
    explicit VariablePool(std::size_t variable_count = 0)
        : m_values(variable_count, 0.0), m_is_set(variable_count, 0) {}

    double value(std::size_t variable) const { return m_values[variable]; }
    bool is_set(std::size_t variable) const { return m_is_set[variable] != 0; }
    void assign(std::size_t variable, double value) {
        m_values[variable] = value;
        m_is_set[variable] = 1;
    }
    /// Back to "nothing assigned", keeping the storage.
    void clear();
    std::size_t size() const { return m_values.size(); }
    bool operator==(const VariablePool&) const = default;

private:
    std::vector<double> m_values;
    std::vector<unsigned char> m_is_set;
};

class RuntimeSchema {
public:
    /// Prepares a schema that passed `schema validate` (every stored schema did). Throws
    /// std::invalid_argument when an expression does not parse.
    explicit RuntimeSchema(Schema schema);
    ~RuntimeSchema();
    RuntimeSchema(RuntimeSchema&&) noexcept;
    RuntimeSchema& operator=(RuntimeSchema&&) noexcept;

    const Schema& schema() const { return m_schema; }
    std::size_t question_count() const { return m_schema.questions.size(); }
    const Question& question(std::size_t index) const { return m_schema.questions[index]; }
    /// The index of the question with that qid, if any. Hot: a table lookup when qids are
    /// dense enough (they usually are), a binary search otherwise.
    std::optional<std::size_t> index_of(std::int64_t qid) const {
        if (qid >= 0 && static_cast<std::uint64_t>(qid) < m_index_by_qid.size()) {
            std::uint32_t index = m_index_by_qid[static_cast<std::size_t>(qid)];
            return index == k_no_index ? std::nullopt : std::optional<std::size_t>(index);
        }
        return m_is_dense ? std::nullopt : search_qid(qid);
    }
    /// What next_index() and answer_next_index() give when the route names no question.
    static constexpr std::size_t k_no_question = static_cast<std::size_t>(-1);
    /// What computing a survey's state reads of a question, packed: a state touches these
    /// rather than the (large) Question objects.
    struct Flow {
        std::int64_t qid = 0;
        std::size_t next_index = k_no_question;  // as next_index()
        std::size_t first_answer = 0;            // where its answers start in the tables below
        QuestionType type = QuestionType::text;
        bool is_required = false;  // required, of a type that takes an answer
    };
    const Flow& flow(std::size_t index) const { return m_flows[index]; }
    /// The index of the question that question `index`'s next_qid names, else k_no_question.
    std::size_t next_index(std::size_t index) const { return m_flows[index].next_index; }
    /// The index of the question that next_qid of answer `answer` (index) of question `index`
    /// names, else k_no_question.
    std::size_t answer_next_index(std::size_t index, std::size_t answer) const {
        return m_answer_next_index[m_flows[index].first_answer + answer];
    }
    /// Whether answer `answer` of question `index` has variable_modifications.
    bool has_answer_modifications(std::size_t index, std::size_t answer) const {
        return m_answer_modifies[m_flows[index].first_answer + answer] != 0;
    }
    /// The index of the entry question (lowest position).
    std::size_t entry_index() const { return m_entry; }
    /// Question indexes from the lowest position to the highest.
    const std::vector<std::size_t>& by_position() const { return m_by_position; }
    /// rank_of(i): where question i stands in by_position().
    std::size_t rank_of(std::size_t index) const { return m_rank[index]; }
    /// The qids of the schema, ascending; qid_rank_of(i): where question i's qid stands in it.
    const std::vector<std::int64_t>& sorted_qids() const { return m_sorted_qids; }
    std::size_t qid_rank_of(std::size_t index) const { return m_qid_rank[index]; }
    /// by_qid()[r]: the index of the question whose qid is sorted_qids()[r].
    const std::vector<std::size_t>& by_qid() const { return m_by_qid; }

    /// Every variable the schema's expressions read or write, indexed by variable id.
    const std::vector<std::string>& variable_names() const;
    VariablePool empty_pool() const { return VariablePool(variable_names().size()); }

    /// Applies the question's variable_modifications in order (when the question is asked).
    /// Throws expr::EvaluationError, leaving the assignments made before the failing one.
    void apply_question_modifications(std::size_t question, VariablePool& pool) const;
    /// Applies the modifications of the question's answer number `answer` (index).
    void apply_answer_modifications(std::size_t question, std::size_t answer,
                                    VariablePool& pool) const;
    /// Like apply_answer_modifications, but a failing modification is skipped (its variable
    /// keeps its value) and the others still apply, as surveys do. False when one failed.
    bool apply_answer_modifications_skipping_failures(std::size_t question, std::size_t answer,
                                                      VariablePool& pool) const;
    /// Where a fork leads (SPEC §3): the first rule whose condition is non-zero gives int() of
    /// its target; none: the end. Throws expr::EvaluationError.
    TargetQid fork_target(std::size_t question, const VariablePool& pool) const;

    /// {"mood": 2} for the assigned variables, by name.
    nlohmann::json variables_json(const VariablePool& pool) const;

    struct Compiled;

private:
    static constexpr std::uint32_t k_no_index = ~std::uint32_t{0};

    std::optional<std::size_t> search_qid(std::int64_t qid) const;
    void index_qids();
    void index_routes();

    Schema m_schema;
    std::vector<std::int64_t> m_sorted_qids;
    std::vector<std::size_t> m_by_qid;
    std::vector<std::size_t> m_qid_rank;
    // Indexes by qid, covering every qid of the schema when m_is_dense; else empty.
    std::vector<std::uint32_t> m_index_by_qid;
    bool m_is_dense = false;
    std::vector<Flow> m_flows;
    std::vector<std::size_t> m_answer_next_index;
    std::vector<unsigned char> m_answer_modifies;
    std::vector<std::size_t> m_by_position;
    std::vector<std::size_t> m_rank;
    std::size_t m_entry = 0;
    std::unique_ptr<const Compiled> m_compiled;
};

}  // namespace chat
