#include "cli_support.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
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

void CheckOutputPaths(const std::vector<std::string>& outputs,
                      const std::vector<std::string>& inputs) {
  for (const std::string& out : outputs) {
    if (out.empty() || out == "-") continue;
    struct stat out_st;
    if (stat(out.c_str(), &out_st) == 0) {
      if (S_ISDIR(out_st.st_mode)) throw UsageError("cannot write " + out + ": is a directory");
      for (const std::string& in : inputs) {
        struct stat in_st;
        if (in != "-" && stat(in.c_str(), &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
            in_st.st_ino == out_st.st_ino) {
          throw UsageError("refusing to write " + out + ": it is an input file");
        }
      }
    }
    std::string dir = DirectoryOf(out);
    if (access(dir.c_str(), W_OK) != 0) {
      throw UsageError("cannot write " + out + ": " + std::strerror(errno) + " (directory " + dir +
                       ")");
    }
  }
}

}  // namespace de
