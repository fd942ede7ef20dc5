#include "cli_support.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "diff_events/input_error.h"

namespace de {

int ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "diff_events: error: %s\nRun with --help for usage.\n", e.what());
    return kExitTrouble;
  }
  return -1;
}

int RunGuarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    std::fprintf(stderr, "diff_events: error: %s\n", e.what());
  } catch (const UsageError& e) {
    std::fprintf(stderr, "diff_events: error: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "diff_events: error: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "diff_events: error: %s\n", e.what());
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
