#include <chat/config.hpp>

#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using chat::test::Lines;

namespace {

struct Loaded {
    std::optional<chat::Config> config;
    Lines lines;  // "file:line:col: severity: message [code]", notes indented below
};

Loaded load(const std::string& text) {
    chat::SourceText source(text);
    chat::CollectingSink sink;
    Loaded loaded;
    loaded.config = chat::load_config(source, "chatctl.yaml", sink);
    for (const auto& d : sink.diagnostics()) {
        loaded.lines.push_back(
            d.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": " +
            std::string(chat::severity_name(d.severity)) + ": " + d.message + " [" + d.code + "]");
        for (const auto& note : d.notes) {
            loaded.lines.push_back("  " + std::to_string(note.loc.line) + ":" +
                                   std::to_string(note.loc.column) + ": note: " + note.message);
        }
    }
    return loaded;
}

// The findings of a text that must be rejected.
Lines errors(const std::string& text) {
    Loaded loaded = load(text);
    CHECK_FALSE(loaded.config.has_value());
    return loaded.lines;
}

// The configuration of a text that must be accepted without a finding.
chat::Config accepted(const std::string& text) {
    Loaded loaded = load(text);
    CHECK(loaded.lines == Lines{});
    REQUIRE(loaded.config.has_value());
    return *loaded.config;
}

}  // namespace

TEST_SUITE("config") {
    TEST_CASE("config: the defaults are SPEC §12's") {
        chat::Config config;
        CHECK(config.schema_types == std::vector<std::string>{"survey", "automated_flow"});
        CHECK(config.thread_types == std::vector<std::string>{"chat", "survey", "tracker"});
        CHECK(config.default_thread_type == "chat");
        CHECK(config.survey_schema_types == std::vector<std::string>{"survey"});
        CHECK_FALSE(config.allow_edit_published_schemas);
        CHECK(config.permissions.member_default == 19);
        CHECK(config.permissions.creator_default == 507);
        CHECK(config.notifications_default == 3);
        CHECK(config.message_visibility.empty());
        CHECK(config.ws_subscribe_roles.empty());
        CHECK(config.attachments.image_extensions ==
              std::vector<std::string>{"gif", "png", "jpg", "jpeg"});
        CHECK(config.attachments.custom.empty());
    }

    TEST_CASE("config: permission and notification names map to their bits") {
        CHECK(chat::permission_bit("messages_read") == 1U);
        CHECK(chat::permission_bit("thread_read") == 16U);
        CHECK(chat::permission_bit("thread_control_others") == 512U);
        CHECK(chat::permission_bit("thread_reopen") == 4096U);
        CHECK_FALSE(chat::permission_bit("THREAD_READ").has_value());
        CHECK_FALSE(chat::permission_bit("").has_value());
        CHECK(chat::notification_bit("unread") == 1U);
        CHECK(chat::notification_bit("ws") == 2U);
        CHECK(chat::notification_bit("sms") == 16U);
        CHECK_FALSE(chat::notification_bit("pager").has_value());
        static_assert(chat::permission_bit("messages_edit") == 4U);
        static_assert(chat::k_all_permissions == 8191U);
    }

    TEST_CASE("load_config: an empty file means all defaults") {
        SUBCASE("no text") {
            CHECK(accepted("") == chat::Config{});
        }
        SUBCASE("blank lines") {
            CHECK(accepted("\n  \n\r\n") == chat::Config{});
        }
        SUBCASE("comments only") {
            CHECK(accepted("# chatctl\n  # nothing yet\n") == chat::Config{});
        }
        SUBCASE("null") {
            CHECK(accepted("null\n") == chat::Config{});
        }
        SUBCASE("tilde after a comment") {
            CHECK(accepted("# none\n~\n") == chat::Config{});
        }
        SUBCASE("a document marker alone") {
            CHECK(accepted("---\n") == chat::Config{});
        }
        SUBCASE("keys without values keep their defaults") {
            CHECK(accepted("schema_types:\npermissions: null\n") == chat::Config{});
        }
    }

    TEST_CASE("load_config: a full file like SPEC §12's example") {
        chat::Config config = accepted(
            "schema_types: [survey, automated_flow, poll]\n"
            "thread_types: [chat, survey, tracker, support]\n"
            "default_thread_type: support\n"
            "survey_schema_types: [survey, poll]\n"
            "allow_edit_published_schemas: true\n"
            "permissions: {member_default: [messages_read, thread_read], creator_default: 8191}\n"
            "notifications_default: [unread, ws, email]\n"
            "message_visibility: [{types: [secret], visible_to_roles: [staff]},\n"
            "                     {types: [note, memo], visible_to_roles: [staff, admin]}]\n"
            "ws_subscribe_roles: [staff]\n"
            "attachments:\n"
            "  image_extensions: [gif, png, .webp, JPG]\n"
            "  custom: {pdf: {required: [url], extensions: [pdf]}, card: {required: [title, "
            "object]},\n"
            "           link: }\n");
        CHECK(config.schema_types == std::vector<std::string>{"survey", "automated_flow", "poll"});
        CHECK(config.thread_types ==
              std::vector<std::string>{"chat", "survey", "tracker", "support"});
        CHECK(config.default_thread_type == "support");
        CHECK(config.survey_schema_types == std::vector<std::string>{"survey", "poll"});
        CHECK(config.allow_edit_published_schemas);
        CHECK(config.permissions.member_default == 17);
        CHECK(config.permissions.creator_default == 8191);
        CHECK(config.notifications_default == 11);
        CHECK(config.message_visibility ==
              std::vector<chat::MessageVisibilityRule>{{{"secret"}, {"staff"}},
                                                       {{"note", "memo"}, {"staff", "admin"}}});
        CHECK(config.ws_subscribe_roles == std::vector<std::string>{"staff"});
        CHECK(config.attachments.image_extensions ==
              std::vector<std::string>{"gif", "png", "webp", "jpg"});
        CHECK(config.attachments.custom ==
              std::map<std::string, chat::CustomAttachmentType>{
                  {"pdf", {{"url"}, {"pdf"}}}, {"card", {{"title", "object"}, {}}}, {"link", {}}});
    }

    TEST_CASE("load_config: SPEC §12's example as printed gives the defaults but one") {
        chat::Config config = accepted(
            "schema_types: [survey, automated_flow]\n"
            "thread_types: [chat, survey, tracker]\n"
            "default_thread_type: chat\n"
            "survey_schema_types: [survey]\n"
            "allow_edit_published_schemas: false\n"
            "permissions: {member_default: 19, creator_default: 507}\n"
            "notifications_default: [unread, ws]\n"
            "message_visibility: [{types: [secret], visible_to_roles: [staff]}]\n"
            "ws_subscribe_roles: [staff]\n"
            "attachments:\n"
            "  image_extensions: [gif, png, jpg, jpeg]\n"
            "  custom: {pdf: {required: [url], extensions: [pdf]}}\n");
        chat::Config expected;
        expected.message_visibility = {{{"secret"}, {"staff"}}};
        expected.ws_subscribe_roles = {"staff"};
        expected.attachments.custom = {{"pdf", {{"url"}, {"pdf"}}}};
        CHECK(config == expected);
    }

    TEST_CASE("load_config: unknown keys at every level suggest the nearest name") {
        SUBCASE("top level") {
            CHECK(
                errors("thread_type: [chat]\n") ==
                Lines{
                    "chatctl.yaml:1:1: error: unknown key 'thread_type' in the configuration; did "
                    "you mean 'thread_types'? [unknown-key]"});
        }
        SUBCASE("top level, nothing close") {
            CHECK(errors("colour: red\n") ==
                  Lines{"chatctl.yaml:1:1: error: unknown key 'colour' in the configuration "
                        "[unknown-key]"});
        }
        SUBCASE("permissions") {
            CHECK(
                errors("permissions:\n  member_defualt: 19\n") ==
                Lines{
                    "chatctl.yaml:2:3: error: unknown key 'member_defualt' in permissions; did you "
                    "mean 'member_default'? [unknown-key]"});
        }
        SUBCASE("attachments") {
            CHECK(
                errors("attachments: {image_extension: [png]}\n") ==
                Lines{"chatctl.yaml:1:15: error: unknown key 'image_extension' in attachments; did "
                      "you mean 'image_extensions'? [unknown-key]"});
        }
        SUBCASE("a custom attachment type") {
            CHECK(
                errors("attachments:\n  custom:\n    pdf: {requried: [url]}\n") ==
                Lines{"chatctl.yaml:3:11: error: unknown key 'requried' in attachments.custom.pdf; "
                      "did you mean 'required'? [unknown-key]"});
        }
        SUBCASE("a message visibility rule") {
            CHECK(
                errors(
                    "message_visibility:\n  - {types: [a], visible_to_roles: [b], role: [c]}\n") ==
                Lines{"chatctl.yaml:2:41: error: unknown key 'role' in message_visibility rule 1 "
                      "[unknown-key]"});
        }
    }

    TEST_CASE("load_config: wrong types name the key and what was found") {
        SUBCASE("the document is a list") {
            CHECK(errors("- chat\n") ==
                  Lines{"chatctl.yaml:1:1: error: the configuration must be a "
                        "mapping, found a list [wrong-type]"});
        }
        SUBCASE("a name where a list belongs") {
            CHECK(
                errors("schema_types: survey\n") ==
                Lines{
                    "chatctl.yaml:1:15: error: schema_types must be a list, found text \"survey\" "
                    "[wrong-type]"});
        }
        SUBCASE("a list where a name belongs") {
            CHECK(errors("default_thread_type: [chat]\n") ==
                  Lines{"chatctl.yaml:1:22: error: default_thread_type must be text, found a list "
                        "[wrong-type]"});
        }
        SUBCASE("a number where a boolean belongs") {
            CHECK(
                errors("allow_edit_published_schemas: 1\n") ==
                Lines{
                    "chatctl.yaml:1:31: error: allow_edit_published_schemas must be true or false, "
                    "found integer 1 [wrong-type]"});
        }
        SUBCASE("permissions as a number") {
            CHECK(errors("permissions: 19\n") ==
                  Lines{"chatctl.yaml:1:14: error: permissions must be a mapping, found integer 19 "
                        "[wrong-type]"});
        }
        SUBCASE("attachments as a list") {
            CHECK(errors("attachments: [png]\n") ==
                  Lines{"chatctl.yaml:1:14: error: attachments must be a mapping, found a list "
                        "[wrong-type]"});
        }
        SUBCASE("custom as a list") {
            CHECK(
                errors("attachments: {custom: [pdf]}\n") ==
                Lines{"chatctl.yaml:1:23: error: attachments.custom must be a mapping of type name "
                      "to {required, extensions}, found a list [wrong-type]"});
        }
        SUBCASE("a custom type as text") {
            CHECK(errors("attachments: {custom: {pdf: url}}\n") ==
                  Lines{"chatctl.yaml:1:29: error: attachments.custom.pdf must be a mapping, found "
                        "text \"url\" [wrong-type]"});
        }
        SUBCASE("a list item that is not a name") {
            CHECK(
                errors("ws_subscribe_roles: [staff, [admin], ~]\n") ==
                Lines{
                    "chatctl.yaml:1:29: error: each item of ws_subscribe_roles must be text, found "
                    "a list [wrong-type]",
                    "chatctl.yaml:1:38: error: each item of ws_subscribe_roles must be text, found "
                    "null [wrong-type]"});
        }
    }

    TEST_CASE("load_config: lists of names") {
        SUBCASE("a name listed twice points at the first") {
            CHECK(errors("thread_types: [chat, survey,\n  chat]\n") ==
                  Lines{"chatctl.yaml:2:3: error: thread_types lists 'chat' twice [invalid-value]",
                        "  1:16: note: first listed here"});
        }
        SUBCASE("an empty name") {
            CHECK(errors("ws_subscribe_roles: [staff, \"\"]\n") ==
                  Lines{"chatctl.yaml:1:29: error: ws_subscribe_roles lists an empty name "
                        "[invalid-value]"});
        }
        SUBCASE("schema_types must not be empty") {
            CHECK(
                errors("schema_types: []\nsurvey_schema_types: []\n") ==
                Lines{
                    "chatctl.yaml:1:15: error: schema_types must list at least one name, found an "
                    "empty list [invalid-value]"});
        }
        SUBCASE("thread_types must not be empty") {
            CHECK(
                errors("thread_types: []\n") ==
                Lines{
                    "chatctl.yaml:1:15: error: thread_types must list at least one name, found an "
                    "empty list [invalid-value]"});
        }
        SUBCASE("survey_schema_types and ws_subscribe_roles may be empty") {
            chat::Config config = accepted("survey_schema_types: []\nws_subscribe_roles: []\n");
            CHECK(config.survey_schema_types.empty());
        }
        SUBCASE("numbers are names") {
            CHECK(accepted("ws_subscribe_roles: [7]\n").ws_subscribe_roles ==
                  std::vector<std::string>{"7"});
        }
    }

    TEST_CASE("load_config: default_thread_type must be one of thread_types") {
        SUBCASE("written, with a suggestion") {
            CHECK(
                errors("default_thread_type: caht\n") ==
                Lines{
                    "chatctl.yaml:1:22: error: default_thread_type 'caht' is not among "
                    "thread_types (chat, survey, tracker); did you mean 'chat'? [invalid-value]"});
        }
        SUBCASE("the default is missing from thread_types") {
            CHECK(
                errors("thread_types: [survey, tracker]\n") ==
                Lines{"chatctl.yaml:1:15: error: thread_types does not include 'chat', the default "
                      "of default_thread_type; add it or set default_thread_type [invalid-value]"});
        }
        SUBCASE("both written") {
            CHECK(accepted("thread_types: [support]\ndefault_thread_type: support\n")
                      .default_thread_type == "support");
        }
        SUBCASE("empty") {
            CHECK(errors("default_thread_type: \"\"\n") ==
                  Lines{"chatctl.yaml:1:22: error: default_thread_type must not be empty "
                        "[invalid-value]"});
        }
        SUBCASE("a broken thread_types is reported once") {
            CHECK(
                errors("thread_types: chat\ndefault_thread_type: support\n") ==
                Lines{"chatctl.yaml:1:15: error: thread_types must be a list, found text \"chat\" "
                      "[wrong-type]"});
        }
    }

    TEST_CASE("load_config: survey_schema_types must be a subset of schema_types") {
        SUBCASE("written") {
            CHECK(
                errors("survey_schema_types: [survey, surveys]\n") ==
                Lines{"chatctl.yaml:1:31: error: survey_schema_types lists 'surveys', which is not "
                      "among schema_types (survey, automated_flow); did you mean 'survey'? "
                      "[invalid-value]"});
        }
        SUBCASE("the default is missing from schema_types") {
            CHECK(
                errors("schema_types: [automated_flow]\n") ==
                Lines{"chatctl.yaml:1:15: error: schema_types does not include 'survey', a default "
                      "survey schema type; add it or set survey_schema_types [invalid-value]"});
        }
        SUBCASE("both written") {
            CHECK(accepted("schema_types: [flow, poll]\nsurvey_schema_types: [poll]\n")
                      .survey_schema_types == std::vector<std::string>{"poll"});
        }
    }

    TEST_CASE("load_config: permissions are an integer 0 to 8191 or a list of names") {
        SUBCASE("integers") {
            chat::Config config =
                accepted("permissions: {member_default: 0, creator_default: +8191}\n");
            CHECK(config.permissions.member_default == 0);
            CHECK(config.permissions.creator_default == 8191);
        }
        SUBCASE("out of range") {
            CHECK(
                errors("permissions: {member_default: 8192, creator_default: -1}\n") ==
                Lines{
                    "chatctl.yaml:1:31: error: permissions.member_default must be 0 to 8191, found "
                    "8192 [invalid-value]",
                    "chatctl.yaml:1:54: error: permissions.creator_default must be 0 to 8191, "
                    "found -1 [invalid-value]"});
        }
        SUBCASE("beyond 64 bits") {
            CHECK(
                errors("permissions: {member_default: 99999999999999999999}\n") ==
                Lines{
                    "chatctl.yaml:1:31: error: permissions.member_default must be 0 to 8191, found "
                    "99999999999999999999 [invalid-value]"});
        }
        SUBCASE("names") {
            chat::Config config = accepted(
                "permissions:\n  creator_default: [thread_reopen, messages_create]\n"
                "  member_default: []\n");
            CHECK(config.permissions.creator_default == 4098);
            CHECK(config.permissions.member_default == 0);
        }
        SUBCASE("an unknown name, with a suggestion") {
            CHECK(errors("permissions: {member_default: [mesages_read, THREAD_READ]}\n") ==
                  Lines{"chatctl.yaml:1:32: error: unknown permission 'mesages_read' in "
                        "permissions.member_default; did you mean 'messages_read'? [invalid-value]",
                        "chatctl.yaml:1:46: error: unknown permission 'THREAD_READ' in "
                        "permissions.member_default; did you mean 'thread_read'? [invalid-value]"});
        }
        SUBCASE("an unknown name, nothing close") {
            CHECK(errors("permissions: {member_default: [everything]}\n") ==
                  Lines{"chatctl.yaml:1:32: error: unknown permission 'everything' in "
                        "permissions.member_default; known: messages_read, messages_create, "
                        "messages_edit, messages_delete, thread_read, thread_edit, thread_delete, "
                        "thread_add_user, thread_remove_user, thread_control_others, "
                        "thread_break_state, thread_rollback, thread_reopen [invalid-value]"});
        }
        SUBCASE("a name listed twice") {
            CHECK(errors("permissions: {member_default: [thread_read, thread_read]}\n") ==
                  Lines{"chatctl.yaml:1:45: error: permissions.member_default lists 'thread_read' "
                        "twice [invalid-value]",
                        "  1:32: note: first listed here"});
        }
        SUBCASE("text that is not a list") {
            CHECK(
                errors("permissions: {creator_default: \"507\"}\n") ==
                Lines{
                    "chatctl.yaml:1:32: error: permissions.creator_default must be an integer 0 to "
                    "8191 or a list of permission names, found text \"507\" [wrong-type]"});
        }
    }

    TEST_CASE("load_config: notifications_default is an integer 0 to 31 or a list of names") {
        SUBCASE("integer") {
            CHECK(accepted("notifications_default: 31\n").notifications_default == 31);
        }
        SUBCASE("names") {
            CHECK(accepted("notifications_default: [sms, push]\n").notifications_default == 20);
        }
        SUBCASE("out of range") {
            CHECK(errors("notifications_default: 32\n") ==
                  Lines{"chatctl.yaml:1:24: error: notifications_default must be 0 to 31, found 32 "
                        "[invalid-value]"});
        }
        SUBCASE("an unknown name") {
            CHECK(errors("notifications_default: [unread, mail]\n") ==
                  Lines{"chatctl.yaml:1:33: error: unknown notification 'mail' in "
                        "notifications_default; did you mean 'email'? [invalid-value]"});
        }
        SUBCASE("a mapping") {
            CHECK(
                errors("notifications_default: {ws: true}\n") ==
                Lines{
                    "chatctl.yaml:1:24: error: notifications_default must be an integer 0 to 31 or "
                    "a list of notification names, found a mapping [wrong-type]"});
        }
    }

    TEST_CASE("load_config: message_visibility rules") {
        SUBCASE("not a list") {
            CHECK(errors("message_visibility: {types: [a], visible_to_roles: [b]}\n") ==
                  Lines{"chatctl.yaml:1:21: error: message_visibility must be a list of {types, "
                        "visible_to_roles} rules, found a mapping [wrong-type]"});
        }
        SUBCASE("a rule that is not a mapping") {
            CHECK(
                errors("message_visibility: [secret]\n") ==
                Lines{
                    "chatctl.yaml:1:22: error: message_visibility rule 1 must be a mapping, found "
                    "text \"secret\" [wrong-type]"});
        }
        SUBCASE("a rule without its keys") {
            CHECK(
                errors("message_visibility:\n  - {types: [a], visible_to_roles: [b]}\n"
                       "  - {types: [c]}\n  - {visible_to_roles: [d]}\n") ==
                Lines{
                    "chatctl.yaml:3:5: error: message_visibility rule 2 has no 'visible_to_roles' "
                    "[missing-field]",
                    "chatctl.yaml:4:5: error: message_visibility rule 3 has no 'types' "
                    "[missing-field]"});
        }
        SUBCASE("empty lists") {
            CHECK(
                errors("message_visibility: [{types: [], visible_to_roles: []}]\n") ==
                Lines{
                    "chatctl.yaml:1:30: error: types in message_visibility rule 1 must list at "
                    "least one name, found an empty list [invalid-value]",
                    "chatctl.yaml:1:52: error: visible_to_roles in message_visibility rule 1 must "
                    "list at least one name, found an empty list [invalid-value]"});
        }
        SUBCASE("a type in two rules") {
            CHECK(
                errors("message_visibility:\n  - {types: [secret], visible_to_roles: [staff]}\n"
                       "  - {types: [memo, secret], visible_to_roles: [admin]}\n") ==
                Lines{
                    "chatctl.yaml:3:20: error: message type 'secret' has a visibility rule already "
                    "[invalid-value]",
                    "  2:14: note: its first rule is here"});
        }
    }

    TEST_CASE("load_config: attachments") {
        SUBCASE("image_extensions must not be empty") {
            CHECK(
                errors("attachments: {image_extensions: []}\n") ==
                Lines{
                    "chatctl.yaml:1:33: error: attachments.image_extensions must list at least one "
                    "name, found an empty list [invalid-value]"});
        }
        SUBCASE("a leading dot and upper case are dropped before the duplicate check") {
            CHECK(errors("attachments: {image_extensions: [png, .PNG]}\n") ==
                  Lines{"chatctl.yaml:1:39: error: attachments.image_extensions lists 'png' twice "
                        "[invalid-value]",
                        "  1:34: note: first listed here"});
        }
        SUBCASE("an extension that can never match a url") {
            CHECK(
                errors("attachments: {custom: {archive: {extensions: [tar.gz, \".\"]}}}\n") ==
                Lines{"chatctl.yaml:1:47: error: extension 'tar.gz' in "
                      "attachments.custom.archive.extensions can never match: a url's extension is "
                      "the text after its last dot [invalid-value]",
                      "chatctl.yaml:1:55: error: attachments.custom.archive.extensions lists an "
                      "empty name [invalid-value]"});
        }
        SUBCASE("a custom type may not take a built-in name") {
            CHECK(errors("attachments:\n  custom:\n    image: {required: [url]}\n"
                         "    youtube: {}\n    object_reference: {}\n") ==
                  Lines{"chatctl.yaml:3:5: error: attachments.custom cannot redefine the built-in "
                        "attachment type 'image' [invalid-value]",
                        "chatctl.yaml:4:5: error: attachments.custom cannot redefine the built-in "
                        "attachment type 'youtube' [invalid-value]",
                        "chatctl.yaml:5:5: error: attachments.custom cannot redefine the built-in "
                        "attachment type 'object_reference' [invalid-value]"});
        }
        SUBCASE("required fields must be attachment fields") {
            CHECK(
                errors("attachments: {custom: {pdf: {required: [ulr, type, url, url]}}}\n") ==
                Lines{"chatctl.yaml:1:41: error: unknown attachment field 'ulr' in "
                      "attachments.custom.pdf.required; did you mean 'url'? [invalid-value]",
                      "chatctl.yaml:1:46: error: unknown attachment field 'type' in "
                      "attachments.custom.pdf.required; known: title, description, url, options, "
                      "thumbnail, object [invalid-value]",
                      "chatctl.yaml:1:57: error: attachments.custom.pdf.required lists 'url' twice "
                      "[invalid-value]",
                      "  1:52: note: first listed here"});
        }
        SUBCASE("an empty type name") {
            CHECK(errors("attachments: {custom: {\"\": {}}}\n") ==
                  Lines{"chatctl.yaml:1:24: error: a custom attachment type name must be non-empty "
                        "text, found text \"\" [invalid-value]"});
        }
    }

    TEST_CASE("load_config: syntax errors") {
        SUBCASE("an unclosed flow list") {
            CHECK(
                errors("schema_types: [survey\n") ==
                Lines{
                    "chatctl.yaml:1:15: error: invalid YAML: this '[' is not closed before the end "
                    "of the file [syntax]"});
        }
        SUBCASE("a duplicate key") {
            CHECK(errors("schema_types: [a]\nschema_types: [b]\n") ==
                  Lines{"chatctl.yaml:2:1: error: invalid YAML: duplicate key 'schema_types' "
                        "[syntax]"});
        }
        SUBCASE("invalid UTF-8, even in a comment") {
            auto lines = errors("# caf\xE9\n");
            REQUIRE(lines.size() == 1);
            CHECK(lines[0].starts_with("chatctl.yaml:1:6: error: "));
            CHECK(lines[0].ends_with(" [syntax]"));
        }
    }

    TEST_CASE("load_config: every finding is reported, in file order") {
        CHECK(
            errors("attachments: {image_extensions: []}\n"
                   "notifications_default: 99\n"
                   "colour: red\n"
                   "schema_types: []\n") ==
            Lines{
                "chatctl.yaml:1:33: error: attachments.image_extensions must list at least one "
                "name, found an empty list [invalid-value]",
                "chatctl.yaml:2:24: error: notifications_default must be 0 to 31, found 99 "
                "[invalid-value]",
                "chatctl.yaml:3:1: error: unknown key 'colour' in the configuration [unknown-key]",
                "chatctl.yaml:4:15: error: schema_types must list at least one name, found an "
                "empty list [invalid-value]"});
    }

}  // TEST_SUITE("config")
