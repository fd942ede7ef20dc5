#include "diff_events/align/boxed.h"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("Boxed: reads like an optional, copies deeply", "[boxed]") {
  de::Boxed<std::string> a;
  CHECK_FALSE(a);
  CHECK_FALSE(a.has_value());
  a = std::string("first");
  REQUIRE(a);
  CHECK(*a == "first");
  CHECK(a->size() == 5);

  de::Boxed<std::string> b = a;  // a copy owns its own value
  *b = "second";
  CHECK(*a == "first");
  CHECK(*b == "second");

  de::Boxed<std::string> c = std::move(b);
  CHECK(*c == "second");
  a = c;
  CHECK(*a == "second");
  a = std::nullopt;
  CHECK_FALSE(a);
  CHECK(*c == "second");
  c.emplace(3, 'x');
  CHECK(*c == "xxx");
  c.reset();
  CHECK_FALSE(c.has_value());
}
