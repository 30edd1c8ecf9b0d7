#include "schema/validate_helpers.hpp"
#include "schema/yaml_emitter.hpp"

#include <chat/schema_export.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

using chat::Schema;
using chat::schema::ExportFormat;
using chat::schema::FileFormat;
using chat::schema::has_same_content;
using chat::schema::schema_document;
using chat::schema::write_schema;
using chat::test::Lines;

namespace {

const std::filesystem::path k_examples_dir =
    std::filesystem::path(__FILE__).parent_path() / "../../../schemas-examples";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

FileFormat file_format(ExportFormat format) {
    return format == ExportFormat::json ? FileFormat::json : FileFormat::yaml;
}

// The schema in `text`; fails the test with the findings when it has an error.
std::optional<Schema> load(const std::string& text, FileFormat format) {
    chat::SourceText source(text);
    chat::CollectingSink sink;
    auto schema = chat::schema::validate_schema(source, "t", format, chat::Config{}, sink);
    if (!schema) {
        Lines findings;
        for (const auto& d : sink.diagnostics()) {
            findings.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) +
                               ": " + d.message + " [" + d.code + "]");
        }
        FAIL_CHECK("the text does not validate:" << findings << "\n" << text);
    }
    return schema;
}

Schema load_yaml(const std::string& text) {
    auto schema = load(text, FileFormat::yaml);
    REQUIRE(schema);
    return *schema;
}

// Export, read back, export again: same content, and the second text is the first.
void check_round_trip(const Schema& original) {
    for (auto format : {ExportFormat::yaml, ExportFormat::json}) {
        CAPTURE(format == ExportFormat::json ? "json" : "yaml");
        std::string text = write_schema(original, format);
        CAPTURE(text);
        auto reread = load(text, file_format(format));
        REQUIRE(reread);
        CHECK(has_same_content(original, *reread));
        CHECK(reread->version == original.version);
        CHECK(write_schema(*reread, format) == text);
    }
}

// Every field set, with texts a plain YAML scalar would read as something else.
const char* const k_tricky_schema = R"(name: tricky
type: automated_flow
version: 7
languages: [pl, en]
groups:
  - {name: second, position: 20}
  - {name: first, position: 10}
questions:
  - qid: 3
    position: 30
    type: fork
    comments: "yes"
    forking_rules:
      - ["5", "True"]
      - ["-1", "x >= 1"]
  - qid: 0
    position: 10
    type: choice
    group: first
    required: true
    show_as_type: ""
    text: {en: "Zażółć gęślą jaźń", pl: "#x"}
    meta: {a: {b: [1, 2.5, true, null, "5", {c: ""}]}, f: 0.1, g: -3, h: 1.0e+300, "": ": "}
    comments: "  leading spaces"
    choice_open: true
    variable_modifications: [[x, "5"], [n, "n + 1"]]
    answers:
      - text: "true"
        next_qid: 5
        exclusive: false
        meta: {}
        comments: "line one\nline two\n"
        variable_modifications: [[n, "n + 2"]]
      - text: {pl: "Tak", en: "null"}
        next_qid: -1
        meta: [x, "1e3"]
      - text: "tab\there 'and' \"quotes\""
        next_qid: 3
  - qid: 5
    position: 20
    type: range
    group: second
    text: "a: b"
    range_from: 0
    range_to: 2.5
    next_qid: 6
    attachments:
      - type: image
        url: "https://example.org/a.png"
        title: "Chart"
        description: "- not a list"
        options: {size: [640, 480], crop: false}
        thumbnail: {url: "https://example.org/t.png"}
      - type: object_reference
        object: {type: invoice, id: 42}
  - qid: 6
    position: 40
    type: text
    text: |
      first line
        indented line

      after a blank line
    next_qid: 7
  - qid: 7
    position: 50
    type: message
    text: " leading and trailing "
    meta: "null"
    next_qid: -1
)";

}  // namespace

TEST_CASE("needs_quotes: texts a plain scalar would read as null, booleans or numbers") {
    using chat::schema::needs_quotes;
    // YAML 1.1 booleans (yes, no, on, off, y, n) are quoted too, for YAML 1.1 readers.
    for (const char* text : {"", "~", "null", "Null", "true", "False", "5", "-5", "+5", "1e3",
                             "2.5", ".5", "5.", "-1.5E-3", "yes", "No", "on", "OFF", "y"}) {
        CAPTURE(std::string(text));
        CHECK(needs_quotes(text));
    }
    for (const char* text : {"yess", "onto", ".inf", "0x1F", "1_000", "e3", "five", "True!"}) {
        CAPTURE(std::string(text));
        CHECK_FALSE(needs_quotes(text));
    }
}

TEST_CASE("write_yaml: quotes only what would read back as something else") {
    nlohmann::ordered_json document = {
        {"plain", "Good morning"},
        {"number_text", "5"},
        {"bool_text", "true"},
        {"null_text", "null"},
        {"empty", ""},
        {"exponent", "1e3"},
        {"yes", "yes"},
        {"comment", "#x"},
        {"colon", "a: b"},
        {"leading", "  x"},
        {"tab", "a\tb"},
        {"multi", "one\ntwo\n"},
        {"strip", "one\ntwo"},
        {"keep", "one\ntwo\n\n"},
        {"unicode", "Zażółć"},
        {"values", {1, 2.5, true, nullptr, "5", "x"}},
        {"nested", {{{"a", nlohmann::ordered_json::object()}}, nlohmann::ordered_json::array()}},
    };
    CHECK(chat::schema::write_yaml(document) ==
          "plain: Good morning\n"
          "number_text: \"5\"\n"
          "bool_text: \"true\"\n"
          "null_text: \"null\"\n"
          "empty: \"\"\n"
          "exponent: \"1e3\"\n"
          "\"yes\": \"yes\"\n"
          "comment: '#x'\n"
          "colon: 'a: b'\n"
          "leading: '  x'\n"
          "tab: \"a\\tb\"\n"
          "multi: |\n"
          "  one\n"
          "  two\n"
          "strip: |-\n"
          "  one\n"
          "  two\n"
          "keep: \"one\\ntwo\\n\\n\"\n"
          "unicode: Zażółć\n"
          "values: [1, 2.5, true, null, \"5\", x]\n"
          "nested:\n"
          "- a: {}\n"
          "- []\n");
}

TEST_CASE("write_yaml: a long text stays on one line") {
    std::string text(300, 'a');
    text += " b";
    CHECK(chat::schema::write_yaml({{"text", text}}) == "text: " + text + "\n");
}

TEST_CASE("write_schema: exact YAML and JSON of a small schema") {
    Schema schema = load_yaml(
        "name: small\ntype: survey\nversion: 2\n"
        "questions:\n"
        "  - {qid: 1, type: choice, text: Ready?, required: false, comments: '', answers: [\n"
        "      {text: 'Yes', next_qid: 2, meta: {k: 1}}, {text: 'No', next_qid: -1}]}\n"
        "  - {qid: 2, type: range, text: How much?, range_from: 0.0, range_to: 10, next_qid: "
        "-1}\n");
    CHECK(write_schema(schema, ExportFormat::yaml) ==
          "name: small\n"
          "type: survey\n"
          "version: 2\n"
          "questions:\n"
          "- qid: 1\n"
          "  type: choice\n"
          "  text: Ready?\n"
          "  answers:\n"
          "  - text: \"Yes\"\n"
          "    next_qid: 2\n"
          "    meta:\n"
          "      k: 1\n"
          "  - text: \"No\"\n"
          "    next_qid: -1\n"
          "- qid: 2\n"
          "  type: range\n"
          "  text: How much?\n"
          "  next_qid: -1\n"
          "  range_from: 0\n"
          "  range_to: 10\n");
    CHECK(write_schema(schema, ExportFormat::json) ==
          "{\n"
          "  \"name\": \"small\",\n"
          "  \"type\": \"survey\",\n"
          "  \"version\": 2,\n"
          "  \"questions\": [\n"
          "    {\n"
          "      \"qid\": 1,\n"
          "      \"type\": \"choice\",\n"
          "      \"text\": \"Ready?\",\n"
          "      \"answers\": [\n"
          "        {\n"
          "          \"text\": \"Yes\",\n"
          "          \"next_qid\": 2,\n"
          "          \"meta\": {\n"
          "            \"k\": 1\n"
          "          }\n"
          "        },\n"
          "        {\n"
          "          \"text\": \"No\",\n"
          "          \"next_qid\": -1\n"
          "        }\n"
          "      ]\n"
          "    },\n"
          "    {\n"
          "      \"qid\": 2,\n"
          "      \"type\": \"range\",\n"
          "      \"text\": \"How much?\",\n"
          "      \"next_qid\": -1,\n"
          "      \"range_from\": 0,\n"
          "      \"range_to\": 10\n"
          "    }\n"
          "  ]\n"
          "}\n");
}

TEST_CASE("schema_document: field order, sorting by position and omitted defaults") {
    Schema schema = load_yaml(k_tricky_schema);
    auto document = schema_document(schema, false);
    CHECK(
        document.dump() ==
        R"({"name":"tricky","type":"automated_flow","languages":["pl","en"],)"
        R"("groups":[{"name":"first","position":10},{"name":"second","position":20}],)"
        R"("questions":[{"qid":0,"position":10,"type":"choice","text":{"pl":"#x",)"
        R"("en":"Zażółć gęślą jaźń"},"group":"first","required":true,"show_as_type":"",)"
        R"("meta":{"":": ","a":{"b":[1,2.5,true,null,"5",{"c":""}]},"f":0.1,"g":-3,)"
        R"("h":1e+300},"comments":"  leading spaces","choice_open":true,)"
        R"("variable_modifications":[["x","5"],["n","n + 1"]],)"
        R"("answers":[{"text":"true","next_qid":5,"meta":{},"comments":"line one\nline two\n",)"
        R"("variable_modifications":[["n","n + 2"]]},{"text":{"pl":"Tak","en":"null"},)"
        R"("next_qid":-1,"meta":["x","1e3"]},{"text":"tab\there 'and' \"quotes\"","next_qid":3}]},)"
        R"({"qid":5,"position":20,"type":"range","text":"a: b","group":"second","next_qid":6,)"
        R"("range_from":0,"range_to":2.5,"attachments":[{"type":"image","title":"Chart",)"
        R"("description":"- not a list","url":"https://example.org/a.png",)"
        R"("options":{"crop":false,"size":[640,480]},)"
        R"("thumbnail":{"url":"https://example.org/t.png"}},{"type":"object_reference",)"
        R"("object":{"type":"invoice","id":42}}]},)"
        R"({"qid":3,"position":30,"type":"fork","comments":"yes",)"
        R"("forking_rules":[["5","True"],["-1","x >= 1"]]},)"
        R"({"qid":6,"position":40,"type":"text",)"
        R"("text":"first line\n  indented line\n\nafter a blank line\n","next_qid":7},)"
        R"({"qid":7,"position":50,"type":"message","text":" leading and trailing ",)"
        R"("meta":"null","next_qid":-1}]})");
}

TEST_CASE("schema_document: version, languages and positions") {
    Schema schema = load_yaml(
        "name: s\ntype: survey\nversion: 3\nlanguages: [en]\ngroups: [{name: g}]\n"
        "questions:\n  - {qid: 1, position: 0, type: message, text: a, next_qid: 2}\n"
        "  - {qid: 2, type: message, text: b, next_qid: -1}\n");
    SUBCASE("version only when asked for") {
        CHECK(schema_document(schema, true).at("version") == 3);
        CHECK_FALSE(schema_document(schema, false).contains("version"));
        schema.version.reset();
        CHECK_FALSE(schema_document(schema, true).contains("version"));
    }
    SUBCASE("positions equal to the index and languages [en] are left out") {
        CHECK(schema_document(schema, false).dump() ==
              R"({"name":"s","type":"survey","groups":[{"name":"g"}],"questions":[)"
              R"({"qid":1,"type":"message","text":"a","next_qid":2},)"
              R"({"qid":2,"type":"message","text":"b","next_qid":-1}]})");
    }
    SUBCASE("a position is kept once it differs from the sorted index") {
        schema.questions[0].position = 5;
        schema.questions[1].position = 0;
        CHECK(schema_document(schema, false).at("questions").dump() ==
              R"([{"qid":2,"type":"message","text":"b","next_qid":-1},)"
              R"({"qid":1,"position":5,"type":"message","text":"a","next_qid":2}])");
    }
}

TEST_CASE("schema_document: texts in the order of the languages, then other languages sorted") {
    Schema schema = load_yaml(
        "name: s\ntype: survey\nlanguages: [pl, en]\n"
        "questions:\n  - {qid: 1, type: message, text: {en: E, pl: P}, next_qid: -1}\n");
    auto& translations = schema.questions[0].text.translations;
    translations.push_back({"de", "D", {}});
    translations.push_back({"cs", "C", {}});
    CHECK(schema_document(schema, false).at("questions")[0].at("text").dump() ==
          R"({"pl":"P","en":"E","cs":"C","de":"D"})");
}

TEST_CASE("schema_document: whole range bounds are integers, others stay numbers") {
    Schema schema = load_yaml(
        "name: s\ntype: survey\nquestions:\n"
        "  - {qid: 1, type: range, text: a, range_from: -2.0, range_to: 1e300, next_qid: -1}\n");
    CHECK(schema_document(schema, false).at("questions")[0].at("range_from").dump() == "-2");
    CHECK(schema_document(schema, false).at("questions")[0].at("range_to").dump() == "1e+300");
    schema.questions[0].range_from = -0.5;
    schema.questions[0].range_to = 9007199254740993.0;
    CHECK(schema_document(schema, false).at("questions")[0].at("range_from").dump() == "-0.5");
    CHECK(schema_document(schema, false).at("questions")[0].at("range_to").dump() ==
          "9007199254740992");
}

TEST_CASE("write_schema: the example schemas read back with the same content") {
    for (const auto& entry : std::filesystem::directory_iterator(k_examples_dir)) {
        auto extension = entry.path().extension();
        if (extension != ".yaml" && extension != ".json") {
            continue;  // responses/, for the survey examples
        }
        CAPTURE(entry.path().string());
        std::string text = read_file(entry.path());
        auto schema = load(text, chat::schema::detect_format(entry.path().string(), text));
        REQUIRE(schema);
        check_round_trip(*schema);
    }
}

TEST_CASE("write_schema: tricky texts, meta, positions and attachments read back the same") {
    Schema schema = load_yaml(k_tricky_schema);
    check_round_trip(schema);
    SUBCASE("from JSON too") {
        auto from_json = load(write_schema(schema, ExportFormat::json), FileFormat::json);
        REQUIRE(from_json);
        check_round_trip(*from_json);
    }
}

TEST_CASE("write_schema: more texts that need care in YAML") {
    Schema schema = load_yaml(k_tricky_schema);
    auto& texts = schema.questions[3].text.translations;  // qid 6, a text question
    REQUIRE(schema.questions[3].qid == 6);
    for (const char* text : {"- a",
                             "? b",
                             "---",
                             "...",
                             "[x]",
                             "{y}",
                             "a #b",
                             "a:",
                             "'single'",
                             "\"double\"",
                             "trailing space ",
                             "\nleading break",
                             "trailing breaks\n\n",
                             " \n x",
                             "a \nb",
                             "line\u2028separator",
                             "a\nb\u2028",
                             "a\n\u2028",
                             "a\u2028\n",
                             "x\n\n\n",
                             "cr\r\nlf",
                             "bell\x07",
                             "@at",
                             "`tick`",
                             "%percent",
                             "&anchor",
                             "*alias",
                             "!tag",
                             "|bar",
                             ">gt",
                             "1_000",
                             "0x1F",
                             ".inf",
                             "-.inf",
                             "~",
                             "NULL",
                             "FALSE",
                             "+12",
                             "007",
                             "1.",
                             "0.5e-3",
                             "ö:",
                             "\xEF\xBB\xBF"
                             "bom",
                             "emoji 😀"}) {
        CAPTURE(std::string(text));
        texts.front().text = text;
        check_round_trip(schema);
    }
}

TEST_CASE("has_same_content: what counts and what does not") {
    Schema original = load_yaml(k_tricky_schema);
    Schema changed = original;
    SUBCASE("a copy, another version, reordered translations and list order are the same") {
        changed.version = 99;
        auto& translations = changed.questions[1].text.translations;
        std::swap(translations[0], translations[1]);
        std::swap(changed.questions[0], changed.questions[2]);
        std::swap(changed.groups[0], changed.groups[1]);
        changed.questions[1].locs = {};
        CHECK(has_same_content(original, changed));
    }
    SUBCASE("a changed answer text") {
        changed.questions[1].answers[0].text.translations[0].text = "false";
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a changed position") {
        changed.questions[0].position = 31;
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a changed group position") {
        changed.groups[0].position = 21;
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a changed meta value") {
        changed.questions[1].meta["a"]["b"][0] = 2;
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("an integer meta value that became a float") {
        changed.questions[1].meta["a"]["b"][0] = 1.0;
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a changed forking rule") {
        changed.questions[0].forking_rules[0].target = "6";
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a changed attachment") {
        changed.questions[2].attachments[1].object->id = 43;
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("another language order") {
        std::swap(changed.languages[0], changed.languages[1]);
        CHECK_FALSE(has_same_content(original, changed));
    }
    SUBCASE("a translation more") {
        changed.questions[2].text.translations.push_back({"en", "a: b", {}});
        CHECK_FALSE(has_same_content(original, changed));
    }
}

TEST_CASE("write_schema: a text that is not UTF-8 throws") {
    Schema schema = load_yaml(k_tricky_schema);
    schema.questions[0].comments = "\xFF";
    CHECK_THROWS_AS(write_schema(schema, ExportFormat::yaml), std::runtime_error);
    CHECK_THROWS_AS(write_schema(schema, ExportFormat::json), std::runtime_error);
}
