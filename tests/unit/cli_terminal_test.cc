// The terminal pieces that need no terminal: colour rules by environment, the progress line's
// text, and "did you mean". Drawing on a real terminal is tested under a pseudo-terminal
// (tests/tty).
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "progress_meter.h"
#include "suggest.h"
#include "terminal.h"

namespace {

// Sets or unsets environment variables for one test, restoring them after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_)
      setenv(name_, old_.c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

}  // namespace

TEST_CASE("colour: --color wins, then NO_COLOR, CLICOLOR_FORCE, TERM=dumb, isatty", "[cli]") {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  int not_a_tty = pipe_fds[1];
  ScopedEnv no_color("NO_COLOR", nullptr), force("CLICOLOR_FORCE", nullptr), term("TERM", "xterm");
  CHECK(de::ShouldColor(de::ColorMode::kAlways, not_a_tty));
  CHECK_FALSE(de::ShouldColor(de::ColorMode::kAuto, not_a_tty));
  {
    ScopedEnv forced("CLICOLOR_FORCE", "1");
    CHECK(de::ShouldColor(de::ColorMode::kAuto, not_a_tty));
    CHECK_FALSE(de::ShouldColor(de::ColorMode::kNever, not_a_tty));
    ScopedEnv dumb("TERM", "dumb");
    CHECK(de::ShouldColor(de::ColorMode::kAuto, not_a_tty));  // forcing beats TERM=dumb
    ScopedEnv none("NO_COLOR", "1");
    CHECK_FALSE(de::ShouldColor(de::ColorMode::kAuto, not_a_tty));  // NO_COLOR beats forcing
    CHECK(de::ShouldColor(de::ColorMode::kAlways, not_a_tty));      // --color beats NO_COLOR
  }
  {
    ScopedEnv zero("CLICOLOR_FORCE", "0");
    ScopedEnv empty("NO_COLOR", "");  // empty NO_COLOR is not set
    CHECK_FALSE(de::ShouldColor(de::ColorMode::kAuto, not_a_tty));
  }
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST_CASE("the colour option is read from argv before parsing, last one wins", "[cli]") {
  const char* argv[] = {"diff_events", "--color", "always", "--color=never", "--x", nullptr};
  CHECK(de::ColorModeFromArgs(5, const_cast<char**>(argv)) == de::ColorMode::kNever);
  const char* none[] = {"diff_events", "--", "--color=always", nullptr};
  CHECK(de::ColorModeFromArgs(3, const_cast<char**>(none)) == de::ColorMode::kAuto);
  CHECK_THROWS(de::ParseColorMode("sometimes"));
}

TEST_CASE("progress line: percent, MB/s and ETA for known sizes, bytes for pipes", "[cli]") {
  std::vector<de::ProgressSample> samples = {{"/data/canary.jsonl.zst", 25000000, 100000000},
                                             {"-", 3000000, 0}};
  CHECK(de::FormatProgressLine(samples, 2.0, 200) ==
        "canary.jsonl.zst 25% 25.0/100.0 MB 12.5 MB/s ETA 0:06 | <stdin> 3.0 MB 1.5 MB/s");
  // Done: 100%, ETA 0:00; a file that grew while read is shown at 100%, not beyond.
  CHECK(de::FormatProgressLine({{"a", 120, 100}}, 1.0, 200) ==
        "a 100% 0.0/0.0 MB 0.0 MB/s ETA 0:00");
  CHECK(de::FormatProgressLine({{"a", 1000000, 7201000000}}, 1.0, 200).find("ETA 2:00:00") !=
        std::string::npos);
  CHECK(de::FormatProgressLine(samples, 2.0, 20).size() == 20);  // never wraps the terminal
}

TEST_CASE("did you mean: close names only", "[cli]") {
  std::vector<std::string> commands = {"fires", "validate", "timeline", "stats"};
  CHECK(de::ClosestName("fiers", commands) == "fires");
  CHECK(de::ClosestName("valdate", commands) == "validate");
  CHECK(de::ClosestName("timelien", commands) == "timeline");
  CHECK(de::ClosestName("compare", commands).empty());
  CHECK(de::ClosestName("--canry", {"--canary", "--ours", "--csv"}) == "--canary");
  CHECK(de::EditDistance("ab", "ba") == 1);
  CHECK(de::EditDistance("", "abc") == 3);
}
