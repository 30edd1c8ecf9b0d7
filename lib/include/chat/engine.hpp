#pragma once
/// The conversation state machine (SPEC §7): member states, permissions, and moving a member
/// along its schema. Pure functions of the schema and the member's variables: the store
/// persists what they decide.

#include <chat/runtime_schema.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace chat::engine {

enum class MemberState { open, closed, scripted, scripted_fe_controlled, assisted };
std::string_view state_name(MemberState state);
std::optional<MemberState> state_from_name(std::string_view name);
/// scripted and scripted_fe_controlled: at most one member per thread (SPEC §7.1).
bool is_scripted(MemberState state);
/// The states that run on a schema (scripted, scripted_fe_controlled, assisted).
bool takes_schema(MemberState state);

enum class OnFinish { open, close, repeat };
std::string_view on_finish_name(OnFinish on_finish);
std::optional<OnFinish> on_finish_from_name(std::string_view name);

/// Permission bits (SPEC §7.1).
namespace permission {
inline constexpr std::int64_t messages_read = 1;
inline constexpr std::int64_t messages_create = 2;
inline constexpr std::int64_t messages_edit = 4;
inline constexpr std::int64_t messages_delete = 8;
inline constexpr std::int64_t thread_read = 16;
inline constexpr std::int64_t thread_edit = 32;
inline constexpr std::int64_t thread_delete = 64;
inline constexpr std::int64_t thread_add_user = 128;
inline constexpr std::int64_t thread_remove_user = 256;
inline constexpr std::int64_t thread_control_others = 512;
inline constexpr std::int64_t thread_break_state = 1024;
inline constexpr std::int64_t thread_rollback = 2048;
inline constexpr std::int64_t thread_reopen = 4096;
}  // namespace permission

/// Notification bits (SPEC §7.1).
namespace notification {
inline constexpr std::int64_t unread = 1;
inline constexpr std::int64_t ws = 2;
inline constexpr std::int64_t push = 4;
inline constexpr std::int64_t email = 8;
inline constexpr std::int64_t sms = 16;
}  // namespace notification

inline bool has_permission(std::int64_t permissions, std::int64_t bit) {
    return (permissions & bit) == bit;
}

/// One question posted as an automated message by a move.
struct PostedQuestion {
    std::size_t question = 0;                // index in the runtime schema
    std::optional<std::size_t> predecessor;  // the question asked before it
};

/// What a move along the schema decided (SPEC §7.3).
struct Move {
    std::vector<PostedQuestion> posted;  // in order
    std::optional<std::size_t> current;  // the question now waiting; none: the script ended
};

/// Moves to `next_qid` from the question `from` (none when the script starts): forks are
/// evaluated on `pool` and passed; other questions become current and, when `posts` (state
/// scripted), are posted, applying their variable_modifications to `pool`; a posted message
/// question moves on by itself. Without `posts` (front-end control) nothing is posted and
/// message questions are passed without applying anything. A negative qid, or a fork with no rule
/// holding, ends the script. Throws chat::Error: AUTO_STEP_LIMIT beyond k_auto_step_limit automatic
/// steps, EXPRESSION_ERROR when an expression fails, QUESTION_NOT_FOUND for a qid not in the
/// schema.
Move move_along(const RuntimeSchema& schema, std::int64_t next_qid, std::optional<std::size_t> from,
                VariablePool& pool, bool posts);

}  // namespace chat::engine
