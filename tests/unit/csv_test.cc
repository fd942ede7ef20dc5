#include "diff_events/report/csv.h"

#include <catch2/catch.hpp>

TEST_CASE("CSV fields are quoted per RFC 4180", "[csv]") {
  CHECK(de::CsvField("plain") == "plain");
  CHECK(de::CsvField("a,b") == "\"a,b\"");
  CHECK(de::CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(de::CsvField("line\nbreak") == "\"line\nbreak\"");
  CHECK(de::CsvField("cr\rhere") == "\"cr\rhere\"");
  std::string row;
  de::AppendCsvRow(row, {"x", "y,z"});
  CHECK(row == "x,\"y,z\"\r\n");
}
