#include "store/layout.hpp"

#include <chat/error.hpp>

#include <string>

namespace chat::store {
namespace {

// Layout 1: every table of SPEC §5, so that later features add behaviour, not tables.
// Documented column by column in man/chatctl-db.5; keep the two in step.
constexpr std::string_view k_layout_1 = R"sql(
CREATE TABLE schemas (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    type        TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'published', 'deprecated')),
    languages   TEXT    NOT NULL DEFAULT '["en"]',
    created     TEXT    NOT NULL,
    updated     TEXT    NOT NULL,
    published   TEXT,
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX schemas_one_published ON schemas (name) WHERE status = 'published';
CREATE INDEX schemas_by_type ON schemas (type, name, version);

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    schema_id   INTEGER NOT NULL REFERENCES schemas (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    UNIQUE (schema_id, name)
);

CREATE TABLE questions (
    id                     INTEGER PRIMARY KEY,
    schema_id              INTEGER NOT NULL REFERENCES schemas (id) ON DELETE CASCADE,
    qid                    INTEGER NOT NULL CHECK (qid >= 0),
    position               INTEGER NOT NULL,
    type                   TEXT    NOT NULL,
    text                   TEXT,
    group_id               INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    required               INTEGER NOT NULL DEFAULT 0,
    show_as_type           TEXT,
    meta                   TEXT,
    comments               TEXT    NOT NULL DEFAULT '',
    next_qid               INTEGER,
    choice_open            INTEGER NOT NULL DEFAULT 0,
    range_from             REAL,
    range_to               REAL,
    variable_modifications TEXT    NOT NULL DEFAULT '[]',
    forking_rules          TEXT    NOT NULL DEFAULT '[]',
    UNIQUE (schema_id, qid)
);
CREATE INDEX questions_by_position ON questions (schema_id, position);
CREATE INDEX questions_by_group ON questions (group_id);

CREATE TABLE answers (
    id                     INTEGER PRIMARY KEY,
    question_id            INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    text                   TEXT    NOT NULL,
    next_qid               INTEGER NOT NULL,
    exclusive              INTEGER NOT NULL DEFAULT 0,
    meta                   TEXT,
    comments               TEXT    NOT NULL DEFAULT '',
    variable_modifications TEXT    NOT NULL DEFAULT '[]',
    UNIQUE (question_id, position)
);

CREATE TABLE attachment_templates (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    title       TEXT,
    description TEXT,
    url         TEXT,
    options     TEXT,
    thumbnail   TEXT,
    object_type TEXT,
    object_id   INTEGER,
    UNIQUE (question_id, position)
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    email       TEXT,
    first_name  TEXT    NOT NULL DEFAULT '',
    last_name   TEXT    NOT NULL DEFAULT '',
    avatar      TEXT,
    language    TEXT,
    roles       TEXT    NOT NULL DEFAULT '[]',
    profile     TEXT    NOT NULL DEFAULT '{}',
    created     TEXT    NOT NULL,
    updated     TEXT    NOT NULL
);

CREATE TABLE threads (
    id          INTEGER PRIMARY KEY,
    key         TEXT    UNIQUE,
    title       TEXT    NOT NULL DEFAULT '',
    type        TEXT    NOT NULL,
    created     TEXT    NOT NULL,
    updated     TEXT    NOT NULL
);

CREATE TABLE messages (
    id                  INTEGER PRIMARY KEY,
    thread_id           INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    sender_id           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    addressee_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    type                TEXT    NOT NULL DEFAULT 'message',
    text                TEXT,
    meta                TEXT,
    related_question_id INTEGER REFERENCES questions (id),
    predecessor_id      INTEGER REFERENCES questions (id),
    created             TEXT    NOT NULL,
    updated             TEXT    NOT NULL,
    deleted             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_thread ON messages (thread_id, id);
CREATE INDEX messages_by_question ON messages (related_question_id);
CREATE INDEX messages_by_predecessor ON messages (predecessor_id);

CREATE TABLE members (
    id                  INTEGER PRIMARY KEY,
    thread_id           INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state               TEXT    NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open', 'closed', 'scripted', 'scripted_fe_controlled',
                                         'assisted')),
    permissions         INTEGER NOT NULL,
    notifications       INTEGER NOT NULL,
    schema_id           INTEGER REFERENCES schemas (id),
    question_id         INTEGER REFERENCES questions (id),
    related_message_id  INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    on_finish           TEXT    CHECK (on_finish IN ('open', 'close', 'repeat')),
    automated_sender_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    frequency_unit      TEXT    CHECK (frequency_unit IN ('hours', 'days', 'weeks', 'months')),
    frequency_value     INTEGER CHECK (frequency_value >= 1),
    repeat_until        TEXT,
    initial_question_id INTEGER REFERENCES questions (id),
    next_restart        TEXT,
    variables           TEXT    NOT NULL DEFAULT '{}',
    last_message_id     INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    created             TEXT    NOT NULL,
    updated             TEXT    NOT NULL,
    UNIQUE (thread_id, user_id)
);
CREATE UNIQUE INDEX members_one_scripted ON members (thread_id)
    WHERE state IN ('scripted', 'scripted_fe_controlled');
CREATE INDEX members_by_user ON members (user_id);
CREATE INDEX members_by_schema ON members (schema_id) WHERE schema_id IS NOT NULL;
CREATE INDEX members_by_restart ON members (next_restart) WHERE next_restart IS NOT NULL;

CREATE TABLE message_answers (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    answer_id   INTEGER NOT NULL REFERENCES answers (id),
    PRIMARY KEY (message_id, answer_id)
) WITHOUT ROWID;
CREATE INDEX message_answers_by_answer ON message_answers (answer_id);

-- The columns of attachment_templates: a question's templates are copied onto its messages.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    title       TEXT,
    description TEXT,
    url         TEXT,
    options     TEXT,
    thumbnail   TEXT,
    object_type TEXT,
    object_id   INTEGER,
    UNIQUE (message_id, position)
);

CREATE TABLE unread_messages (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    thread_id   INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
CREATE INDEX unread_by_thread ON unread_messages (user_id, thread_id, message_id);
CREATE INDEX unread_by_message ON unread_messages (message_id);

CREATE TABLE ws_subscriptions (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    created     TEXT    NOT NULL
);

CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY,
    key            TEXT    UNIQUE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    schema_id      INTEGER NOT NULL REFERENCES schemas (id),
    variables      TEXT    NOT NULL DEFAULT '{}',
    visibility     TEXT    NOT NULL DEFAULT '[]',
    completed      INTEGER NOT NULL DEFAULT 0,
    hidden_answers TEXT    NOT NULL DEFAULT '[]',
    created        TEXT    NOT NULL,
    updated        TEXT    NOT NULL
);
CREATE INDEX surveys_by_user ON surveys (user_id, id);
CREATE INDEX surveys_by_schema ON surveys (schema_id);

CREATE TABLE survey_items (
    id          INTEGER PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    text        TEXT,
    created     TEXT    NOT NULL,
    updated     TEXT    NOT NULL,
    UNIQUE (survey_id, question_id)
);

CREATE TABLE survey_item_answers (
    item_id     INTEGER NOT NULL REFERENCES survey_items (id) ON DELETE CASCADE,
    answer_id   INTEGER NOT NULL REFERENCES answers (id),
    PRIMARY KEY (item_id, answer_id)
) WITHOUT ROWID;
CREATE INDEX survey_item_answers_by_answer ON survey_item_answers (answer_id);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created     TEXT    NOT NULL,
    channel     TEXT    NOT NULL CHECK (channel IN ('ws', 'push', 'email', 'sms')),
    event       TEXT    NOT NULL,
    user_id     INTEGER,
    thread_id   INTEGER,
    payload     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX outbox_by_channel ON outbox (channel, id);
)sql";

// Layout 2: where each replay stream has got to (its last committed line), written in the
// transaction of each batch, so that `replay --stream --resume` continues exactly after it.
// Also in man/chatctl-db.5.
constexpr std::string_view k_layout_2 = R"sql(
CREATE TABLE stream_progress (
    stream         TEXT    NOT NULL PRIMARY KEY,
    committed_line INTEGER NOT NULL,
    updated        TEXT    NOT NULL
);
)sql";

struct LayoutFacts {
    std::int64_t version = 0;
    std::int64_t application_id = 0;
    std::int64_t objects = 0;  // tables, indexes, ... of any program
};

// One statement, so that the three facts come from one state of the file even while another
// process is creating the layout.
LayoutFacts read_layout_facts(SQLite::Database& sql) {
    SQLite::Statement select(sql,
                             "SELECT (SELECT user_version FROM pragma_user_version), "
                             "(SELECT application_id FROM pragma_application_id), "
                             "(SELECT count(*) FROM sqlite_master)");
    select.executeStep();
    return {select.getColumn(0).getInt64(), select.getColumn(1).getInt64(),
            select.getColumn(2).getInt64()};
}

}  // namespace

int check_layout(SQLite::Database& sql, const std::string& path,
                 const std::vector<LayoutUpgrade>& upgrades) {
    LayoutFacts facts = read_layout_facts(sql);
    auto newest = static_cast<std::int64_t>(upgrades.size());
    bool is_foreign = facts.version == 0
                          ? facts.objects > 0
                          : facts.version < 0 || facts.application_id != k_application_id;
    if (is_foreign) {
        throw Error(ErrorKind::database, "NOT_A_CHATCTL_DATABASE",
                    "'" + path + "' is an SQLite database of another program, not chatctl's");
    }
    if (facts.version > newest) {
        throw Error(ErrorKind::database, "LAYOUT_TOO_NEW",
                    "'" + path + "' has layout version " + std::to_string(facts.version) +
                        ", newer than this chatctl understands (" + std::to_string(newest) +
                        "); use a newer chatctl (the file was left untouched)");
    }
    return static_cast<int>(facts.version);
}

void upgrade_layout(SQLite::Database& sql, const std::string& path,
                    const std::vector<LayoutUpgrade>& upgrades) {
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    // Another process may have upgraded the file while this one waited for the lock.
    auto version = check_layout(sql, path, upgrades);
    for (auto step = static_cast<std::size_t>(version); step < upgrades.size(); ++step) {
        sql.exec(std::string(upgrades[step].sql));
    }
    sql.exec("PRAGMA application_id = " + std::to_string(k_application_id));
    sql.exec("PRAGMA user_version = " + std::to_string(upgrades.size()));
    transaction.commit();
}

const std::vector<LayoutUpgrade>& layout_upgrades() {
    // Entry i turns layout i into layout i + 1. Entry 0 creates the tables in an empty file.
    static const std::vector<LayoutUpgrade> upgrades = {{k_layout_1}, {k_layout_2}};
    return upgrades;
}

const std::vector<std::string_view>& table_names() {
    static const std::vector<std::string_view> names = {"schemas",
                                                        "groups",
                                                        "questions",
                                                        "answers",
                                                        "attachment_templates",
                                                        "users",
                                                        "threads",
                                                        "members",
                                                        "messages",
                                                        "message_answers",
                                                        "attachments",
                                                        "unread_messages",
                                                        "ws_subscriptions",
                                                        "surveys",
                                                        "survey_items",
                                                        "survey_item_answers",
                                                        "outbox",
                                                        "stream_progress"};
    return names;
}

}  // namespace chat::store
