// A profile holds the canonicalization rules: which values are engine-local and must not be
// compared. The built-in default reproduces the rules for Xbox-360-style kernel traces; a JSON
// profile file (schemas/profile.schema.json) adapts the tool to other engines (e.g. strace logs,
// where mmap/brk/mremap are the allocators).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace de {

struct Profile {
  std::string name = "built-in default";
  // kernel.return events of these calls get return_value/status replaced by
  // <ALLOC_NAME_ORDINAL>, ordinals counted per (tid, name) on each side.
  std::set<std::string> allocators;
  bool canonicalize_allocators = true;
  // Top-level event fields never compared (tid and tid_event_idx are handled separately).
  std::set<std::string> ignored_fields;
  // Per event kind, payload fields never compared, as dotted paths ("args_resolved.ctx").
  std::map<std::string, std::set<std::string>> ignored_payload_paths;

  // What waits and who ends them, for thread end states and "why is it stuck": calls that end
  // their thread, calls that signal a handle passed in their args_resolved, and the names of
  // handle.create object_type numbers.
  std::set<std::string> thread_exit_calls;
  std::set<std::string> signal_calls;
  std::map<int64_t, std::string> object_types;

  // Calls dropped from both sides before alignment (--mask, profile "mask"): the call, its
  // return and the waits between them. For captures made with different logging settings.
  std::set<std::string> mask;

  // Pointers compared by allocation identity: a value in a kernel.call's args_resolved (or a
  // thread.create's ctx) that equals an address an allocator returned earlier on the same side
  // becomes <ALLOC_NAME_ORDINAL>, one inside a block of known size <ALLOC_NAME_ORDINAL>+0xOFF.
  bool canonicalize_pointers = true;
  // Per allocator: the path of its size in the kernel.call payload ("args_resolved.size").
  std::map<std::string, std::string> allocator_size_args;
  // Which allocations a value is looked up in: the thread's own (as ordinals are counted), or
  // every thread's of the engine (pointers handed to another thread).
  enum class PointerScope { kThread, kEngine } pointer_scope = PointerScope::kThread;

  // Human-readable list of the rules in force, for reports.
  std::vector<std::string> DescribeRules() const;
};

Profile DefaultProfile();

// Loads a profile file (JSON). Fields it leaves out keep their defaults; throws InputError
// naming the file for invalid JSON or a field of the wrong type.
Profile LoadProfile(const std::string& path);

}  // namespace de
