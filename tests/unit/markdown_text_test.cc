// Markdown text from inputs cannot change the report's structure.
#include "../../src/report/markdown_text.h"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("MdText folds control characters and escapes what markdown reads", "[report]") {
  CHECK(de::MdText("a\nb\rc\td") == "a b c d");
  CHECK(de::MdText(std::string("x\0y", 3)) == "x\\x00y");
  CHECK(de::MdText("a|b`c\\d") == "a\\|b\\`c\\\\d");
  CHECK(de::MdText("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(de::MdText("bad\xc3(") == "bad\xEF\xBF\xBD(");
}

TEST_CASE("MdCode holds backticks, pipes and newlines", "[report]") {
  CHECK(de::MdCode("plain") == "`plain`");
  CHECK(de::MdCode("a`b") == "``a`b``");
  CHECK(de::MdCode("``x") == "``` ``x ```");
  CHECK(de::MdCode("a|b\nc") == "`a\\|b c`");
}

TEST_CASE("MdFencedBlock uses a fence no line can close", "[report]") {
  CHECK(de::MdFencedBlock(R"({"s":"```"})", "json") == "````json\n{\"s\":\"```\"}\n````\n");
  CHECK(de::MdFencedBlock("{}", "json") == "```json\n{}\n```\n");
}
