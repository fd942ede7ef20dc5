#include "terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "diff_events/input_error.h"

namespace de {
namespace {

bool g_color[2] = {false, false};  // stdout, stderr

bool EnvSet(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

const char* ToneCode(Tone tone) {
  switch (tone) {
    case Tone::kError:
      return "\x1b[1;31m";
    case Tone::kGood:
      return "\x1b[32m";
    case Tone::kBad:
      return "\x1b[31m";
    case Tone::kWarning:
      return "\x1b[33m";
    case Tone::kBold:
      return "\x1b[1m";
  }
  return "";
}

}  // namespace

ColorMode ParseColorMode(const std::string& text) {
  if (text == "auto") return ColorMode::kAuto;
  if (text == "always") return ColorMode::kAlways;
  if (text == "never") return ColorMode::kNever;
  throw UsageError("--color: '" + text + "' is not one of auto, always, never");
}

bool ShouldColor(ColorMode mode, int fd) {
  if (mode != ColorMode::kAuto) return mode == ColorMode::kAlways;
  if (EnvSet("NO_COLOR")) return false;
  const char* force = std::getenv("CLICOLOR_FORCE");
  if (force && *force && std::strcmp(force, "0") != 0) return true;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fd) == 1;
}

ColorMode ColorModeFromArgs(int argc, char** argv) {
  ColorMode mode = ColorMode::kAuto;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    std::string value;
    if (arg.rfind("--color=", 0) == 0)
      value = arg.substr(8);
    else if (arg == "--color" && i + 1 < argc)
      value = argv[++i];
    else
      continue;
    try {
      mode = ParseColorMode(value);
    } catch (const UsageError&) {
      // The real parse reports it.
    }
  }
  return mode;
}

void SetColorMode(ColorMode mode) {
  g_color[0] = ShouldColor(mode, STDOUT_FILENO);
  g_color[1] = ShouldColor(mode, STDERR_FILENO);
}

std::string Paint(Stream stream, Tone tone, std::string_view text) {
  if (!g_color[stream == Stream::kStdout ? 0 : 1]) return std::string(text);
  return std::string(ToneCode(tone)) + std::string(text) + "\x1b[0m";
}

void PrintError(const std::string& message) {
  std::string line =
      "diff_events: " + Paint(Stream::kStderr, Tone::kError, "error:") + " " + message + "\n";
  std::fputs(line.c_str(), stderr);
}

void PrintNote(const std::string& line) {
  std::string text = "diff_events: " + line + "\n";
  std::fputs(text.c_str(), stderr);
}

bool ShouldShowProgress(bool forced, bool quiet) {
  if (quiet) return false;
  if (forced) return true;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(STDERR_FILENO) == 1;
}

int TerminalColumns(int fd, int fallback) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return fallback;
}

}  // namespace de
