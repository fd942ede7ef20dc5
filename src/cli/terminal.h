// What the terminal gets: whether stdout/stderr are coloured (decided once, in one function),
// whether progress is drawn, and the styled lines for verdicts and errors. Report files never go
// through here, so they never get escape codes.
#pragma once

#include <string>
#include <string_view>

namespace de {

enum class ColorMode { kAuto, kAlways, kNever };

// "auto" | "always" | "never"; throws UsageError otherwise.
ColorMode ParseColorMode(const std::string& text);

// The one colour decision: --color always/never win; for auto, a non-empty NO_COLOR turns colour
// off, then a CLICOLOR_FORCE other than "0" turns it on, then TERM=dumb turns it off, and
// otherwise colour follows isatty(fd).
bool ShouldColor(ColorMode mode, int fd);

// The --color value in argv (last one wins), read before the real parse so that even a usage
// error is styled as asked. kAuto when absent or unreadable.
ColorMode ColorModeFromArgs(int argc, char** argv);

// Decides colour for stdout and stderr once; later calls replace the decision.
void SetColorMode(ColorMode mode);

enum class Tone { kError, kGood, kBad, kWarning, kBold };
enum class Stream { kStdout, kStderr };

// `text` wrapped in the tone's SGR codes when that stream is coloured, else `text` unchanged.
std::string Paint(Stream stream, Tone tone, std::string_view text);

// "diff_events: error: MESSAGE\n" on stderr, "error:" in red when stderr is coloured.
void PrintError(const std::string& message);
// "diff_events: LINE\n" on stderr (verdicts, summaries).
void PrintNote(const std::string& line);

// Progress is drawn when forced (--progress) unless -q; else only on a terminal stderr whose
// TERM is not "dumb" (it redraws with \r and an erase-line escape).
bool ShouldShowProgress(bool forced, bool quiet);

// Columns of the terminal on `fd`, or `fallback` when it is not one.
int TerminalColumns(int fd, int fallback = 80);

}  // namespace de
