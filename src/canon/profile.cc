#include "diff_events/canon/profile.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "diff_events/canon/field_filter.h"
#include "diff_events/input_error.h"

namespace de {

Profile DefaultProfile() {
  Profile p;
  p.allocators = {"MmAllocatePhysicalMemoryEx", "MmAllocatePhysicalMemory",
                  "NtAllocateVirtualMemory", "RtlAllocateHeap", "MmCreateKernelStack"};
  p.ignored_fields = {"engine", "tid", "host_ns", "guest_cycle", "deterministic"};
  p.ignored_payload_paths = {
      {"handle.create", {"raw_handle_id"}},
      {"handle.destroy", {"raw_handle_id"}},
      {"wait.end", {"wait_duration_cycles"}},
      // child_tid names the created thread's engine-local tid: it pairs threads, never compares.
      {"thread.create", {"ctx", "stack", "child_tid"}},
  };
  p.thread_exit_calls = {"ExTerminateThread"};
  p.signal_calls = {"NtSetEvent",      "KeSetEvent",         "NtPulseEvent",
                    "KePulseEvent",    "NtReleaseSemaphore", "KeReleaseSemaphore",
                    "NtReleaseMutant", "KeReleaseMutant"};
  p.object_types = {{1, "Event"}, {2, "Semaphore"}, {5, "Thread"}, {6, "File"}};
  for (const std::string& allocator : p.allocators)
    p.allocator_size_args[allocator] = "args_resolved.size";
  return p;
}

std::vector<std::string> Profile::DescribeRules() const {
  std::vector<std::string> rules;
  rules.push_back("profile: " + name);
  if (canonicalize_allocators && !allocators.empty()) {
    rules.push_back(fmt::format("allocator returns canonicalized to per-thread ordinals: {}",
                                fmt::join(allocators, ", ")));
  } else {
    rules.push_back("allocator canonicalization: off");
  }
  rules.push_back(fmt::format("top-level fields ignored: {}", fmt::join(ignored_fields, ", ")));
  for (const auto& [kind, paths] : ignored_payload_paths) {
    rules.push_back(fmt::format("{} payload fields ignored: {}", kind, fmt::join(paths, ", ")));
  }
  if (canonicalize_allocators && canonicalize_pointers && !allocators.empty()) {
    rules.push_back(
        fmt::format("pointers compared by allocation identity ({} scope): args_resolved values and "
                    "thread.create ctx equal to or inside an earlier allocation become "
                    "<ALLOC_NAME_ORDINAL>[+0xOFF]",
                    pointer_scope == PointerScope::kThread ? "per-thread" : "per-engine"));
  } else {
    rules.push_back("pointer canonicalization: off");
  }
  if (!mask.empty()) {
    rules.push_back(fmt::format(
        "masked calls (dropped from both sides with their returns and waits before alignment; "
        "streams compared by position, not tid_event_idx): {}",
        fmt::join(mask, ", ")));
  }
  return rules;
}

namespace {

std::set<std::string> StringSet(const nlohmann::json& j, const std::string& path,
                                const std::string& field) {
  if (!j.is_array())
    throw InputError(path, 0, "profile field '" + field + "' must be an array of strings");
  std::set<std::string> out;
  for (const auto& item : j) {
    if (!item.is_string()) {
      throw InputError(path, 0, "profile field '" + field + "' must be an array of strings");
    }
    out.insert(item.get<std::string>());
  }
  return out;
}

}  // namespace

// kind selects the payload rules and payload holds what is compared: ignoring either would
// be listed among the rules and change nothing, so it is refused.
void CheckIgnoredFields(const std::set<std::string>& fields, const std::string& path) {
  for (const char* field : {"kind", "payload"}) {
    if (fields.count(field)) {
      throw InputError(path, 0,
                       std::string("profile field 'ignored_fields': '") + field +
                           "' cannot be ignored (it is what events are compared by; ignore "
                           "payload fields with 'ignored_payload_fields')");
    }
  }
}

void CheckPayloadPaths(const std::set<std::string>& paths, const std::string& kind,
                       const std::string& path) {
  for (const std::string& field : paths) {
    std::vector<std::string> keys;
    std::string error;
    if (!SplitFieldPath(field, keys, error)) {
      throw InputError(
          path, 0,
          "profile field 'ignored_payload_fields." + kind + "': path '" + field + "': " + error);
    }
  }
}

Profile LoadProfile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw InputError(path, 0, "is a directory, not a profile file");
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, std::string("cannot open profile: ") + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {  // also out_of_range: a number like 7e999
    throw InputError(path, 0, std::string("invalid JSON in profile: ") + e.what());
  }
  if (!j.is_object()) throw InputError(path, 0, "a profile must be a JSON object");
  Profile p = DefaultProfile();
  p.name = path;
  for (const auto& [key, value] : j.items()) {
    if (key == "name") {
      if (!value.is_string()) throw InputError(path, 0, "profile field 'name' must be a string");
      p.name = value.get<std::string>();
    } else if (key == "allocators") {
      p.allocators = StringSet(value, path, key);
    } else if (key == "ignored_fields") {
      p.ignored_fields = StringSet(value, path, key);
      CheckIgnoredFields(p.ignored_fields, path);
    } else if (key == "thread_exit_calls") {
      p.thread_exit_calls = StringSet(value, path, key);
    } else if (key == "signal_calls") {
      p.signal_calls = StringSet(value, path, key);
    } else if (key == "mask") {
      p.mask = StringSet(value, path, key);
    } else if (key == "allocator_size_args") {
      if (!value.is_object()) {
        throw InputError(path, 0,
                         "profile field 'allocator_size_args' must map allocator names to paths");
      }
      p.allocator_size_args.clear();
      for (const auto& [allocator, size_path] : value.items()) {
        std::vector<std::string> keys;
        std::string error;
        if (!size_path.is_string() || !SplitFieldPath(size_path.get<std::string>(), keys, error)) {
          throw InputError(path, 0,
                           "profile field 'allocator_size_args." + allocator +
                               "' must be a dotted payload path" +
                               (error.empty() ? "" : " (" + error + ")"));
        }
        p.allocator_size_args[allocator] = size_path.get<std::string>();
      }
    } else if (key == "object_types") {
      if (!value.is_object()) {
        throw InputError(path, 0, "profile field 'object_types' must map numbers to names");
      }
      p.object_types.clear();
      for (const auto& [number, name] : value.items()) {
        char* end = nullptr;
        long long n = std::strtoll(number.c_str(), &end, 10);
        if (number.empty() || *end != '\0' || !name.is_string()) {
          throw InputError(
              path, 0,
              "profile field 'object_types' must map numbers to names, got '" + number + "'");
        }
        p.object_types[n] = name.get<std::string>();
      }
    } else if (key == "ignored_payload_fields") {
      if (!value.is_object()) {
        throw InputError(path, 0, "profile field 'ignored_payload_fields' must be an object");
      }
      p.ignored_payload_paths.clear();
      for (const auto& [kind, paths] : value.items()) {
        p.ignored_payload_paths[kind] = StringSet(paths, path, key + "." + kind);
        CheckPayloadPaths(p.ignored_payload_paths[kind], kind, path);
      }
    } else if (key != "$schema" && key != "description") {
      throw InputError(path, 0, "unknown profile field '" + key + "'");
    }
  }
  return p;
}

}  // namespace de
