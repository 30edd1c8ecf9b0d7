#pragma once
// Every subcommand registers itself into the command table (one file per subcommand).

#include "context.hpp"

namespace chat::cli {

void register_schema_validate(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_import(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_export(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_publish(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_copy(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_list(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_show(CLI::App& schema, CommandTable& commands, Context& context);
void register_schema_delete(CLI::App& schema, CommandTable& commands, Context& context);
void register_user_add(CLI::App& user, CommandTable& commands, Context& context);
void register_user_show(CLI::App& user, CommandTable& commands, Context& context);
void register_user_list(CLI::App& user, CommandTable& commands, Context& context);
void register_survey_create(CLI::App& survey, CommandTable& commands, Context& context);
void register_survey_answer(CLI::App& survey, CommandTable& commands, Context& context);
void register_survey_delete_answer(CLI::App& survey, CommandTable& commands, Context& context);
void register_survey_state(CLI::App& survey, CommandTable& commands, Context& context);
void register_survey_list(CLI::App& survey, CommandTable& commands, Context& context);
void register_thread_create(CLI::App& thread, CommandTable& commands, Context& context);
void register_thread_show(CLI::App& thread, CommandTable& commands, Context& context);
void register_thread_list(CLI::App& thread, CommandTable& commands, Context& context);
void register_thread_members(CLI::App& thread, CommandTable& commands, Context& context);
void register_thread_typing(CLI::App& thread, CommandTable& commands, Context& context);
void register_thread_subscribe(CLI::App& thread, CommandTable& commands, Context& context);
void register_member_add(CLI::App& member, CommandTable& commands, Context& context);
void register_member_set(CLI::App& member, CommandTable& commands, Context& context);
void register_member_remove(CLI::App& member, CommandTable& commands, Context& context);
void register_member_rollback(CLI::App& member, CommandTable& commands, Context& context);
void register_member_assist(CLI::App& member, CommandTable& commands, Context& context);
void register_message_send(CLI::App& message, CommandTable& commands, Context& context);
void register_message_edit(CLI::App& message, CommandTable& commands, Context& context);
void register_message_delete(CLI::App& message, CommandTable& commands, Context& context);
void register_message_list(CLI::App& message, CommandTable& commands, Context& context);
void register_read(CLI::App& app, CommandTable& commands, Context& context);
void register_unread(CLI::App& app, CommandTable& commands, Context& context);
void register_replay(CLI::App& app, CommandTable& commands, Context& context);
void register_outbox_list(CLI::App& outbox, CommandTable& commands, Context& context);
void register_outbox_ack(CLI::App& outbox, CommandTable& commands, Context& context);
void register_db_info(CLI::App& db, CommandTable& commands, Context& context);
void register_db_check(CLI::App& db, CommandTable& commands, Context& context);

}  // namespace chat::cli
