#include "cli_support.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "commands.h"
#include "diff_events/input_error.h"
#include "suggest.h"
#include "terminal.h"

namespace de {
namespace {

// "unknown option '--canry'; did you mean '--canary'?" for the first unknown option, if any.
// Checked before CLI11's own message: a mistyped --canary is first reported as "--canary is
// required", which hides the typo.
std::string UnknownOptionMessage(const CLI::App& app) {
  for (const std::string& extra : app.remaining()) {
    if (extra.size() < 2 || extra[0] != '-') continue;
    std::string typed = extra.substr(0, extra.find('='));
    std::vector<std::string> names;
    for (const CLI::Option* option : app.get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
      for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    }
    std::string guess = ClosestName(typed, names);
    return "unknown option '" + typed + "'" +
           (guess.empty() ? "" : "; did you mean '" + guess + "'?");
  }
  return "";
}

}  // namespace

int ParseCommandLine(CLI::App& app, int argc, char** argv, const std::string& command) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    std::string what = UnknownOptionMessage(app);
    if (what.empty()) what = e.what();
    if (command.empty()) {
      PrintError(what);
      std::fputs("Run with --help for usage.\n", stderr);
    } else {
      PrintError(command + ": " + what + " (see diff_events " + command + " --help)");
    }
    return kExitTrouble;
  }
  return -1;
}

void AddTerminalOptions(CLI::App& app, TerminalOptions& o, bool with_quiet) {
  app.add_option("--color", o.color, "Colour on the terminal: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--progress", o.progress, "Show progress on stderr even when it is not a terminal");
  if (with_quiet) app.add_flag("-q,--quiet", o.quiet, "No progress and no summary on stderr");
  app.set_version_flag("--version", kVersionText);
  app.footer("\n" + CommandsHelp());
}

bool ApplyTerminalOptions(const TerminalOptions& o) {
  SetColorMode(ParseColorMode(o.color));
  return ShouldShowProgress(o.progress, o.quiet);
}

int RunGuarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    PrintError(e.what());
  } catch (const UsageError& e) {
    PrintError(e.what());
  } catch (const std::bad_alloc&) {
    PrintError("out of memory");
  } catch (const std::exception& e) {
    PrintError(e.what());
  }
  return kExitTrouble;
}

static std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

namespace {

// What an output path will name: the existing file, else (real directory, base name).
std::string OutputIdentity(const std::string& out) {
  struct stat st;
  if (stat(out.c_str(), &st) == 0)
    return "ino:" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::string dir = DirectoryOf(out);
  char* real = realpath(dir.c_str(), nullptr);
  std::string resolved = real ? real : dir;
  free(real);
  return "path:" + resolved + "/" + out.substr(out.rfind('/') + 1);
}

void CheckDirectory(const std::string& out) {
  std::string dir = DirectoryOf(out);
  struct stat st;
  if (stat(dir.c_str(), &st) != 0)
    throw UsageError("cannot write " + out + ": " + std::strerror(errno) + " (directory " + dir +
                     ")");
  if (!S_ISDIR(st.st_mode))
    throw UsageError("cannot write " + out + ": " + dir + " is not a directory");
  // A file we may write in a directory we may not (/dev/null as a user) is written in place.
  bool file_writable = access(out.c_str(), F_OK) == 0 && access(out.c_str(), W_OK) == 0;
  if (!file_writable && access(dir.c_str(), W_OK) != 0)
    throw UsageError("cannot write " + out + ": " + std::strerror(errno) + " (directory " + dir +
                     ")");
}

}  // namespace

void CheckOutputPaths(const std::vector<std::string>& outputs,
                      const std::vector<std::string>& inputs) {
  std::vector<std::pair<std::string, std::string>> seen;  // identity, path as given
  for (const std::string& out : outputs) {
    if (out.empty() || out == "-") continue;
    struct stat out_st;
    bool exists = stat(out.c_str(), &out_st) == 0;
    if (exists) {
      if (S_ISDIR(out_st.st_mode)) throw UsageError("cannot write " + out + ": is a directory");
      for (const std::string& in : inputs) {
        struct stat in_st;
        if (in != "-" && stat(in.c_str(), &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
            in_st.st_ino == out_st.st_ino) {
          throw UsageError("refusing to write " + out + ": it is an input file");
        }
      }
    }
    CheckDirectory(out);
    bool device = exists && !S_ISREG(out_st.st_mode);  // /dev/null may take several reports
    std::string id = OutputIdentity(out);
    for (const auto& [other_id, other] : seen) {
      if (!device && other_id == id)
        throw UsageError("two reports would be written to the same file: " + other + " and " + out);
    }
    seen.emplace_back(id, out);
  }
}

CLI::Validator WholeNumber(uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        std::string why = "must be a whole number from 0 to " + std::to_string(max);
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return why + ", not " + text;
        errno = 0;
        unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE || v > max) return why + ", not " + text;
        return "";
      },
      "0.." + std::to_string(max));
}

CLI::Validator RealInRange(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        std::string why = "must be a number from " + CLI::detail::to_string(lo) + " to " +
                          CLI::detail::to_string(hi);
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || std::isnan(v) || v < lo || v > hi)
          return why + ", not " + text;
        return "";
      },
      "[" + CLI::detail::to_string(lo) + ", " + CLI::detail::to_string(hi) + "]");
}

void CheckStdinOnce(const std::vector<std::string>& inputs) {
  int stdin_inputs = 0;
  for (const std::string& in : inputs) stdin_inputs += in == "-";
  if (stdin_inputs > 1) throw UsageError("only one input can be \"-\" (stdin)");
}

}  // namespace de
