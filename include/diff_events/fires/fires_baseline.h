// An earlier run's report.json, read back for `--baseline`: only its missing keys matter.
#pragma once

#include <string>
#include <vector>

#include "diff_events/fires/fires_result.h"

namespace de {

struct BaselineKeys {
  std::string path;
  std::vector<KeyRef> missing;  // sorted by (op, lr)
};

// Throws InputError naming the file when it is not a fires report.json (schema_version 1).
BaselineKeys LoadFiresBaseline(const std::string& path);
BaselineKeys ParseFiresBaseline(const std::string& json_text, const std::string& name);

}  // namespace de
