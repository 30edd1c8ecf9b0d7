#include <chat/engine.hpp>
#include <chat/error.hpp>
#include <chat/expression.hpp>

#include <array>
#include <utility>

namespace chat::engine {
namespace {

constexpr std::array<std::pair<std::string_view, MemberState>, 5> k_states = {{
    {"open", MemberState::open},
    {"closed", MemberState::closed},
    {"scripted", MemberState::scripted},
    {"scripted_fe_controlled", MemberState::scripted_fe_controlled},
    {"assisted", MemberState::assisted},
}};

constexpr std::array<std::pair<std::string_view, OnFinish>, 3> k_on_finish = {{
    {"open", OnFinish::open},
    {"close", OnFinish::close},
    {"repeat", OnFinish::repeat},
}};

Error expression_error(const Question& question, const expr::EvaluationError& failure) {
    return Error(
        ErrorKind::rejected, "EXPRESSION_ERROR",
        "an expression of question " + std::to_string(question.qid) + " fails: " + failure.what());
}

}  // namespace

std::string_view state_name(MemberState state) {
    for (const auto& [name, value] : k_states) {
        if (value == state) {
            return name;
        }
    }
    return "open";
}

std::optional<MemberState> state_from_name(std::string_view name) {
    for (const auto& [text, value] : k_states) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

bool is_scripted(MemberState state) {
    return state == MemberState::scripted || state == MemberState::scripted_fe_controlled;
}

bool takes_schema(MemberState state) {
    return is_scripted(state) || state == MemberState::assisted;
}

std::string_view on_finish_name(OnFinish on_finish) {
    for (const auto& [name, value] : k_on_finish) {
        if (value == on_finish) {
            return name;
        }
    }
    return "open";
}

std::optional<OnFinish> on_finish_from_name(std::string_view name) {
    for (const auto& [text, value] : k_on_finish) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

Move move_along(const RuntimeSchema& schema, std::int64_t next_qid, std::optional<std::size_t> from,
                VariablePool& pool, bool posts) {
    Move move;
    std::optional<std::size_t> previous = from;
    for (std::size_t steps = 0;; ++steps) {
        if (steps > k_auto_step_limit) {
            throw Error(ErrorKind::rejected, "AUTO_STEP_LIMIT",
                        "the flow ran more than " + std::to_string(k_auto_step_limit) +
                            " automatic steps in one action (a loop of message or fork "
                            "questions); nothing was changed");
        }
        if (next_qid < 0) {
            return move;  // the script ends
        }
        auto index = schema.index_of(next_qid);
        if (!index) {
            throw Error(ErrorKind::rejected, "QUESTION_NOT_FOUND",
                        "the flow leads to question " + std::to_string(next_qid) +
                            ", which is not in " + schema.schema().name);
        }
        const Question& question = schema.question(*index);
        if (question.type == QuestionType::fork) {
            try {
                TargetQid target = schema.fork_target(*index, pool);
                next_qid = target.kind == TargetQid::Kind::question ? target.qid : -1;
            } catch (const expr::EvaluationError& failure) {
                throw expression_error(question, failure);
            }
            continue;
        }
        if (!posts) {
            // Front-end control: the client posts a question with its answer. A message
            // question has no answer to wait for, so the flow passes it; as it is not posted,
            // its variable_modifications do not count (only posted messages do).
            if (question.type == QuestionType::message) {
                next_qid = question.next_qid.value_or(-1);
                continue;
            }
            move.current = *index;
            return move;
        }
        move.current = *index;
        try {
            schema.apply_question_modifications(*index, pool);
        } catch (const expr::EvaluationError& failure) {
            throw expression_error(question, failure);
        }
        move.posted.push_back({*index, previous});
        previous = *index;
        if (question.type != QuestionType::message) {
            return move;
        }
        next_qid = question.next_qid.value_or(-1);
        move.current.reset();
    }
}

}  // namespace chat::engine
