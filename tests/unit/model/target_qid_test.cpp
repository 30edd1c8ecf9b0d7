#include <chat/model.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using chat::target_qid;
using Kind = chat::TargetQid::Kind;

TEST_CASE("target_qid: truncates like Python's int(), negatives end, the rest leads nowhere") {
    CHECK(target_qid(7.9).kind == Kind::question);
    CHECK(target_qid(7.9).qid == 7);
    CHECK(target_qid(-0.5).qid == 0);  // int(-0.5) == 0
    CHECK(target_qid(-1).kind == Kind::end);
    CHECK(target_qid(-1e300).kind == Kind::end);
    CHECK(target_qid(9223372036854774784.0).qid == 9223372036854774784);
    CHECK(target_qid(9223372036854775808.0).kind == Kind::nowhere);
    CHECK(target_qid(1e300).kind == Kind::nowhere);
    CHECK(target_qid(std::numeric_limits<double>::infinity()).kind == Kind::nowhere);
    CHECK(target_qid(std::nan("")).kind == Kind::nowhere);
}
