#include "schema/checks.hpp"

#include "expr/numeric.hpp"
#include "schema/node_reader.hpp"

#include <chat/expression.hpp>

#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace chat::schema {
namespace {

template <typename Key>
class FirstSeen {
public:
    /// The location where `key` was first seen, or nullptr when this is the first time.
    const SourceLoc* previous(const Key& key, SourceLoc loc) {
        auto [it, is_new] = m_seen.emplace(key, loc);
        return is_new ? nullptr : &it->second;
    }

private:
    std::unordered_map<Key, SourceLoc> m_seen;
};

void check_duplicates(const CheckContext& context) {
    FirstSeen<std::int64_t> qids, positions, group_positions;
    FirstSeen<std::string> group_names;
    auto& reporter = context.reporter;
    for (const auto& question : context.schema.questions) {
        if (const SourceLoc* first = qids.previous(question.qid, question.locs.qid)) {
            reporter.error(question.locs.qid, "duplicate-qid",
                           "qid " + std::to_string(question.qid) + " is used twice",
                           {{*first, "first used here"}});
        }
        SourceLoc position_loc =
            question.locs.position.is_known() ? question.locs.position : question.locs.self;
        if (const SourceLoc* first = positions.previous(question.position, position_loc)) {
            reporter.error(position_loc, "duplicate-position",
                           "position " + std::to_string(question.position) + " of " +
                               describe_question(question) + " is used twice",
                           {{*first, "first used here"}});
        }
    }
    for (const auto& group : context.schema.groups) {
        if (const SourceLoc* first = group_names.previous(group.name, group.loc)) {
            reporter.error(group.loc, "duplicate-group",
                           "group '" + group.name + "' is defined twice",
                           {{*first, "first defined here"}});
        }
        if (const SourceLoc* first = group_positions.previous(group.position, group.position_loc)) {
            reporter.error(group.position_loc, "duplicate-position",
                           "position " + std::to_string(group.position) + " of group '" +
                               group.name + "' is used twice",
                           {{*first, "first used here"}});
        }
    }
}

class ReferenceChecker {
public:
    explicit ReferenceChecker(const CheckContext& context) : m_context(context) {
        for (const auto& question : context.schema.questions) {
            m_qids.insert(question.qid);
        }
        for (const auto& group : context.schema.groups) {
            m_group_names.push_back(group.name);
            m_known_groups.insert(group.name);
        }
    }

    void check(const Question& question) {
        check_group(question);
        if (routes_by_next_qid(question.type) && question.next_qid) {
            check_target(*question.next_qid, question.locs.next_qid,
                         "next_qid of " + describe_question(question));
        }
        for (const auto& answer : question.answers) {
            if (answer.next_qid) {
                check_target(*answer.next_qid, answer.next_qid_loc,
                             "next_qid of answer " + std::to_string(answer.position + 1) + " of " +
                                 describe_question(question));
            }
        }
        for (std::size_t i = 0; i < question.forking_rules.size(); ++i) {
            check_fork_target(question, i);
        }
    }

private:
    void check_group(const Question& question) {
        if (!question.group) {
            return;
        }
        if (m_known_groups.contains(*question.group)) {
            return;
        }
        std::string message =
            "group '" + *question.group + "' of " + describe_question(question) + " is not defined";
        if (auto suggestion = nearest_word(*question.group, m_group_names)) {
            message += "; did you mean '" + std::string(*suggestion) + "'?";
        }
        m_context.reporter.error(question.locs.group, "unknown-group", std::move(message));
    }

    void check_target(std::int64_t qid, SourceLoc loc, const std::string& what) {
        if (qid >= 0 && !m_qids.contains(qid)) {
            m_context.reporter.error(
                loc, "unknown-next-qid",
                what + " is " + std::to_string(qid) + ", which names no question");
        }
    }

    // Only literal targets can be checked statically; computed ones are followed by the flow
    // analysis, which reports the values they take.
    void check_fork_target(const Question& question, std::size_t index) {
        const ForkRule& rule = question.forking_rules[index];
        auto parsed = expr::Expression::parse(rule.target);
        const auto* target = std::get_if<expr::Expression>(&parsed);
        if (!target || !target->variables().empty()) {
            return;
        }
        auto value = target->constant_value();
        if (!value) {
            return;
        }
        std::string what =
            "target of rule " + std::to_string(index + 1) + " of " + describe_question(question);
        TargetQid leads_to = target_qid(*value);
        if (leads_to.kind == TargetQid::Kind::nowhere) {
            m_context.reporter.error(
                rule.target_loc, "unknown-next-qid",
                what + " is " + expr::format_number(*value) + ", which names no question");
        } else if (leads_to.kind == TargetQid::Kind::question) {
            check_target(leads_to.qid, rule.target_loc, what);
        }
    }

    const CheckContext& m_context;
    std::unordered_set<std::int64_t> m_qids;
    std::vector<std::string_view> m_group_names;  // in file order, for suggestions
    std::unordered_set<std::string_view> m_known_groups;
};

}  // namespace

void check_references(const CheckContext& context) {
    check_duplicates(context);
    ReferenceChecker checker(context);
    for (const auto& question : context.schema.questions) {
        checker.check(question);
    }
}

}  // namespace chat::schema
