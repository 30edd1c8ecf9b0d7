#include "schema/check_expressions.hpp"

#include "schema/node_reader.hpp"
#include "schema/placeholders.hpp"

#include <unordered_map>

namespace chat::schema {
namespace {

// Offset of the first whole-word occurrence of `name` in `text` (0 when not found).
std::size_t find_word(std::string_view text, std::string_view name) {
    for (std::size_t at = text.find(name); at != std::string_view::npos;
         at = text.find(name, at + 1)) {
        bool starts = at == 0 || !expr::is_name_character(text[at - 1]);
        bool ends =
            at + name.size() == text.size() || !expr::is_name_character(text[at + name.size()]);
        if (starts && ends) {
            return at;
        }
    }
    return 0;
}

struct Read {
    SourceLoc loc;
    std::string text;
};

class ExpressionChecker {
public:
    explicit ExpressionChecker(const CheckContext& context) : m_context(context) {}

    std::optional<CompiledFlow> run() {
        for (const auto& question : m_context.schema.questions) {
            m_flow.questions.push_back(compile_question(question));
            collect_placeholder_reads(question);
        }
        report_never_set();
        if (m_has_syntax_error) {
            return std::nullopt;
        }
        return std::move(m_flow);
    }

private:
    CompiledQuestion compile_question(const Question& question) {
        CompiledQuestion compiled;
        compiled.modifications = compile_modifications(question.variable_modifications);
        for (const auto& answer : question.answers) {
            compiled.answer_modifications.push_back(
                compile_modifications(answer.variable_modifications));
        }
        for (const auto& rule : question.forking_rules) {
            auto target = compile(rule.target, rule.target_loc);
            auto condition = compile(rule.condition, rule.condition_loc);
            if (target && condition) {
                compiled.rules.push_back({std::move(*target), std::move(*condition)});
            }
        }
        return compiled;
    }

    std::vector<CompiledModification> compile_modifications(
        const std::vector<VariableModification>& modifications) {
        std::vector<CompiledModification> compiled;
        for (const auto& modification : modifications) {
            bool is_name = expr::is_variable_name(modification.variable);
            if (!is_name) {
                m_context.reporter.error(modification.variable_loc, "invalid-variable-name",
                                         "'" + modification.variable +
                                             "' is not a variable name (letters, digits and _, "
                                             "not starting with a digit, not a keyword)");
            }
            auto value = compile(modification.expression, modification.expression_loc);
            if (!is_name || !value) {
                continue;
            }
            VariableId variable = intern(modification.variable);
            m_is_set.resize(m_flow.variable_names.size());
            m_is_set[variable] = true;
            compiled.push_back({variable, std::move(*value)});
        }
        return compiled;
    }

    std::optional<BoundExpression> compile(const std::string& text, SourceLoc loc) {
        auto parsed = expr::Expression::parse(text);
        if (auto* error = std::get_if<expr::ParseError>(&parsed)) {
            m_has_syntax_error = true;
            m_context.reporter.error(
                locate_inside(m_context.source, loc, text, error->offset), "expression-syntax",
                "in expression '" + excerpt(text, 60) + "': " + error->message);
            return std::nullopt;
        }
        BoundExpression bound{std::get<expr::Expression>(std::move(parsed)), {}};
        for (const auto& name : bound.expression.variables()) {
            VariableId variable = intern(name);
            bound.slots.push_back(variable);
            note_read(variable, locate_inside(m_context.source, loc, text, find_word(text, name)));
        }
        return bound;
    }

    void collect_placeholder_reads(const Question& question) {
        auto scan = [this](const LocalizedText& text) {
            for (const auto& translation : text.translations) {
                for (const auto& placeholder : find_placeholders(translation.text)) {
                    if (placeholder.error.empty() && placeholder.path.size() == 2 &&
                        placeholder.path[0] == "vars") {
                        note_read(intern(placeholder.path[1]),
                                  locate_inside(m_context.source, translation.loc, translation.text,
                                                placeholder.offset));
                    }
                }
            }
        };
        scan(question.text);
        for (const auto& answer : question.answers) {
            scan(answer.text);
        }
    }

    VariableId intern(const std::string& name) {
        auto [it, is_new] =
            m_ids.emplace(name, static_cast<VariableId>(m_flow.variable_names.size()));
        if (is_new) {
            m_flow.variable_names.push_back(name);
        }
        return it->second;
    }

    void note_read(VariableId variable, SourceLoc loc) {
        if (m_first_read.size() <= variable) {
            m_first_read.resize(variable + 1);
        }
        if (!m_first_read[variable].loc.is_known()) {
            m_first_read[variable].loc = loc;
            m_first_read[variable].text = m_flow.variable_names[variable];
        }
    }

    void report_never_set() {
        m_is_set.resize(m_flow.variable_names.size());
        std::vector<std::string_view> set_names;
        for (VariableId id = 0; id < m_is_set.size(); ++id) {
            if (m_is_set[id]) {
                set_names.push_back(m_flow.variable_names[id]);
            }
        }
        for (VariableId id = 0; id < m_first_read.size(); ++id) {
            if (m_is_set[id] || !m_first_read[id].loc.is_known()) {
                continue;
            }
            const auto& name = m_flow.variable_names[id];
            std::string message =
                "variable '" + name + "' is read but never set, so it is always 0";
            if (auto suggestion = nearest_word(name, set_names)) {
                message += "; did you mean '" + std::string(*suggestion) + "'?";
            }
            m_context.reporter.warning(m_first_read[id].loc, "variable-never-set",
                                       std::move(message));
        }
    }

    const CheckContext& m_context;
    CompiledFlow m_flow;
    std::unordered_map<std::string, VariableId> m_ids;
    std::vector<bool> m_is_set;
    std::vector<Read> m_first_read;
    bool m_has_syntax_error = false;
};

}  // namespace

std::optional<CompiledFlow> check_expressions(const CheckContext& context) {
    return ExpressionChecker(context).run();
}

}  // namespace chat::schema
