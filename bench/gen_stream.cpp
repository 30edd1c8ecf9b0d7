// Writes a stream for the `replay --stream` benchmark (SPEC §14): one JSON step a line, on
// standard output, as a migration from another chat system would look:
//   1. the users: three a thread (a patient, a nurse and a coach);
//   2. each thread: created by the operator, its three members added, the patient put in the
//      scripted state on schemas-examples/onboarding.yaml (on_finish open, the coach as the
//      automated sender) and walked through its flow: a goal, a check-in frequency, then the
//      branch the goal leads to (a condition as text, active days as an int, or nothing), after
//      which the flow ends and the patient is open again;
//   3. free chat among the members of random threads until MESSAGES sends in all, with a
//      typing event before about one send in five and a read about every eight sends.
// The import of onboarding.yaml (schema import --publish) must come first. Deterministic for
// a seed; nothing is held in memory but the counters, whatever the size.
//
// usage: chat_bench_gen_stream THREADS MESSAGES [SEED]

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

constexpr int k_members_per_thread = 3;
constexpr std::uint64_t k_typing_in = 5;   // a typing event before one send in five
constexpr std::uint64_t k_read_every = 8;  // a read after every eighth send

// The answers of onboarding.yaml, by text as a user would pick them. q2 sets goal (1, 2, 3 in
// this order), q3 sets checkins_per_week; goal 1 leads to a text question (10), goal 2 to an
// int question (20), goal 3 to a message (30) that needs no answer.
constexpr std::array<std::string_view, 3> k_goals = {
    "I want to manage a health condition", "I want to get fitter", "I'm just looking around"};
constexpr std::array<std::string_view, 3> k_checkins = {"Every day", "Once a week", "Please don't"};
constexpr std::array<std::string_view, 4> k_conditions = {"diabetes", "back pain", "asthma",
                                                          "high blood pressure"};
constexpr std::array<std::string_view, 3> k_first_names = {"Ann", "Nora", "Coach"};
constexpr std::array<std::string_view, 3> k_roles = {"patient", "nurse", "coach"};

// Free chat, short and long, already escaped for JSON.
constexpr std::array<std::string_view, 10> k_chat = {
    "hi",
    "Thanks!",
    "How are you feeling today?",
    "Much better, the walk this morning helped.",
    "Did you take the evening dose yesterday?",
    "Yes, at 8 pm as usual. Slept well after it.",
    "Remember to log your blood pressure before breakfast, ideally at the same time each day.",
    "Caf\\u00e9 with a friend, then 40 minutes on the bike. Knees a bit sore, nothing \\\"bad\\\".",
    "ok",
    "Can we move Thursday's call to Friday? Something came up at work and I will be travelling "
    "until late on Thursday evening.",
};

struct Random {
    std::uint64_t state;

    // splitmix64: small, fast and the same on every platform.
    std::uint64_t next() {
        state += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t below(std::uint64_t bound) { return next() % bound; }
};

std::uint64_t member_id(std::uint64_t thread, std::uint64_t member) {
    return thread * k_members_per_thread + member + 1;
}

void print_view(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void write_users(std::uint64_t threads) {
    for (std::uint64_t thread = 0; thread < threads; ++thread) {
        for (std::uint64_t member = 0; member < k_members_per_thread; ++member) {
            std::uint64_t id = member_id(thread, member);
            std::printf("{\"user\": {\"id\": %llu, \"first_name\": \"",
                        static_cast<unsigned long long>(id));
            print_view(k_first_names[member]);
            std::printf(
                "\", \"email\": \"user%llu@example.org\", \"language\": \"en\", \"roles\": [\"",
                static_cast<unsigned long long>(id));
            print_view(k_roles[member]);
            std::printf("\"]}}\n");
        }
    }
}

void write_send(std::uint64_t as, std::uint64_t thread, std::string_view field,
                std::string_view value) {
    std::printf("{\"send\": {\"as\": %llu, \"thread\": \"t%llu\", \"",
                static_cast<unsigned long long>(as), static_cast<unsigned long long>(thread));
    print_view(field);
    print_view(field == "answers" ? "\": [\"" : "\": \"");
    print_view(value);
    print_view(field == "answers" ? "\"]}}\n" : "\"}}\n");
}

// Sets up one thread and walks its patient through the onboarding flow; returns the sends.
std::uint64_t write_scripted_thread(std::uint64_t thread, Random& random, std::uint64_t budget) {
    auto id = [thread](std::uint64_t member) {
        return static_cast<unsigned long long>(member_id(thread, member));
    };
    auto label = static_cast<unsigned long long>(thread);
    std::printf(
        "{\"create_thread\": {\"thread\": \"t%llu\", \"type\": \"chat\", \"title\": \"Care team "
        "%llu\"}}\n",
        label, label);
    std::printf("{\"add_member\": {\"thread\": \"t%llu\", \"user\": %llu}}\n", label, id(0));
    std::printf("{\"add_member\": {\"thread\": \"t%llu\", \"user\": %llu}}\n", label, id(1));
    std::printf(
        "{\"add_member\": {\"thread\": \"t%llu\", \"user\": %llu, \"permissions\": "
        "[\"messages_read\", "
        "\"messages_create\", \"thread_read\", \"thread_control_others\"]}}\n",
        label, id(2));
    std::printf(
        "{\"set_state\": {\"thread\": \"t%llu\", \"user\": %llu, \"state\": \"scripted\", "
        "\"schema\": "
        "\"onboarding\", \"on_finish\": \"open\", \"automated_sender\": %llu}}\n",
        label, id(0), id(2));
    std::uint64_t goal = random.below(k_goals.size());
    std::uint64_t sends = 0;
    auto send = [&](std::string_view field, std::string_view value) {
        if (sends < budget) {
            write_send(member_id(thread, 0), thread, field, value);
            ++sends;
        }
    };
    send("answers", k_goals[goal]);
    send("answers", k_checkins[random.below(k_checkins.size())]);
    if (goal == 0) {
        send("text", k_conditions[random.below(k_conditions.size())]);
    } else if (goal == 1) {
        std::array<char, 4> days = {static_cast<char>('0' + random.below(8)), '\0', '\0', '\0'};
        send("text", std::string_view(days.data(), 1));
    }
    return sends;
}

void write_free_chat(std::uint64_t threads, std::uint64_t sends, Random& random) {
    for (std::uint64_t i = 0; i < sends; ++i) {
        std::uint64_t thread = random.below(threads);
        auto sender =
            static_cast<unsigned long long>(member_id(thread, random.below(k_members_per_thread)));
        auto label = static_cast<unsigned long long>(thread);
        if (random.below(k_typing_in) == 0) {
            std::printf("{\"typing\": {\"as\": %llu, \"thread\": \"t%llu\", \"length\": %llu}}\n",
                        sender, label, static_cast<unsigned long long>(500 + random.below(4000)));
        }
        write_send(sender, thread, "text", k_chat[random.below(k_chat.size())]);
        if (i % k_read_every == k_read_every - 1) {
            auto reader = static_cast<unsigned long long>(
                member_id(thread, random.below(k_members_per_thread)));
            std::printf("{\"read\": {\"as\": %llu, \"thread\": \"t%llu\"}}\n", reader, label);
        }
    }
}

bool parse_count(const char* text, std::uint64_t& value) {
    char* end = nullptr;
    value = std::strtoull(text, &end, 10);
    return end != text && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t threads = 0;
    std::uint64_t messages = 0;
    std::uint64_t seed = 1;
    bool is_usage_ok = (argc == 3 || argc == 4) && parse_count(argv[1], threads) && threads > 0 &&
                       parse_count(argv[2], messages) && (argc == 3 || parse_count(argv[3], seed));
    if (!is_usage_ok) {
        std::fprintf(stderr, "usage: chat_bench_gen_stream THREADS MESSAGES [SEED]\n");
        return 2;
    }
    static std::array<char, 1 << 16> buffer;
    std::setvbuf(stdout, buffer.data(), _IOFBF, buffer.size());
    Random random{seed};
    write_users(threads);
    std::uint64_t sent = 0;
    for (std::uint64_t thread = 0; thread < threads; ++thread) {
        sent += write_scripted_thread(thread, random, messages - sent);
    }
    write_free_chat(threads, messages - sent, random);
    return std::fflush(stdout) == 0 ? 0 : 1;
}
