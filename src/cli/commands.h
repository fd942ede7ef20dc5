// The tool's commands; main() only dispatches to them.
#pragma once

namespace de {

// `diff_events --canary A --ours B ...`: first divergence per thread pair (diff_command.cc).
int RunDiffCommand(int argc, char** argv);
// `diff_events fires --canary A --ours B ...`: (op, lr) fire-histogram diff (fires_command.cc).
// argv[0] is "fires".
int RunFiresCommand(int argc, char** argv);

}  // namespace de
