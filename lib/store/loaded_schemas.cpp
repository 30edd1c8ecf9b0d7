#include "store/loaded_schemas.hpp"

#include "store/schema_lookup.hpp"

namespace chat::store {
namespace {

std::unique_ptr<LoadedSchema> load(StatementCache& statements, const SchemaVersion& version) {
    auto loaded = std::make_unique<LoadedSchema>(
        LoadedSchema{version, RuntimeSchema(load_content(statements, version)), {}, {}, {}, {}});
    const RuntimeSchema& runtime = loaded->runtime;
    loaded->question_rows.resize(runtime.question_count());
    loaded->answer_rows.resize(runtime.question_count());
    for (std::size_t index = 0; index < runtime.question_count(); ++index) {
        loaded->answer_rows[index].resize(runtime.question(index).answers.size());
    }
    auto& questions = statements("SELECT id, qid FROM questions WHERE schema_id = ?1");
    questions.bind(1, version.id);
    while (questions.executeStep()) {
        if (auto index = runtime.index_of(questions.getColumn(1).getInt64())) {
            loaded->question_rows[*index] = questions.getColumn(0).getInt64();
            loaded->question_by_row.emplace(questions.getColumn(0).getInt64(), *index);
        }
    }
    auto& answers = statements(
        "SELECT a.id, q.qid, a.position FROM answers a JOIN questions q ON q.id = a.question_id "
        "WHERE q.schema_id = ?1");
    answers.bind(1, version.id);
    while (answers.executeStep()) {
        auto index = runtime.index_of(answers.getColumn(1).getInt64());
        auto position = answers.getColumn(2).getInt64();
        if (!index || position < 0 ||
            static_cast<std::size_t>(position) >= loaded->answer_rows[*index].size()) {
            continue;
        }
        auto answer = static_cast<std::size_t>(position);
        loaded->answer_rows[*index][answer] = answers.getColumn(0).getInt64();
        loaded->answer_by_row.emplace(answers.getColumn(0).getInt64(), std::pair{*index, answer});
    }
    return loaded;
}

}  // namespace

std::optional<std::size_t> LoadedSchema::question_of_row(std::int64_t row) const {
    auto it = question_by_row.find(row);
    return it == question_by_row.end() ? std::nullopt : std::optional(it->second);
}

std::optional<std::pair<std::size_t, std::size_t>> LoadedSchema::answer_of_row(
    std::int64_t row) const {
    auto it = answer_by_row.find(row);
    return it == answer_by_row.end() ? std::nullopt : std::optional(it->second);
}

const LoadedSchema& LoadedSchemas::get(std::int64_t schema_id) {
    auto it = m_loaded.find(schema_id);
    if (it != m_loaded.end()) {
        return *it->second;
    }
    return get(version_by_id(m_statements, schema_id));
}

const LoadedSchema& LoadedSchemas::get(const SchemaVersion& version) {
    auto it = m_loaded.find(version.id);
    if (it == m_loaded.end()) {
        // Loaded before it is kept: a load that fails leaves no empty entry behind.
        it = m_loaded.emplace(version.id, load(m_statements, version)).first;
    }
    return *it->second;
}

}  // namespace chat::store
