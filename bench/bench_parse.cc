// bench_parse: the parse-only limit. simdjson on-demand over every line of every file, visiting
// every field of every object recursively (keys unescaped, strings unescaped, numbers parsed),
// on one thread. Nothing is kept: this is what decoding costs before any diffing work.
//   --mode lines: the project's LineReader, one parser.iterate() per line (padded in place);
//   --mode many:  iterate_many() over 4 MB blocks cut at the last newline, worker thread off.
#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace {

using simdjson::error_code;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

constexpr size_t kBatchSize = 4 << 20;
#define BENCH_STRINGIFY2(x) #x
#define BENCH_STRINGIFY(x) BENCH_STRINGIFY2(x)
// The kernel the on-demand front end was compiled for (not the library's runtime choice).
constexpr const char* kKernel = BENCH_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);

struct Tally {
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t bad_lines = 0;
  uint64_t fields = 0;
  uint64_t checksum = 0;  // keeps every decoded value live
};

error_code Visit(value v, Tally& t);

error_code VisitObject(value v, Tally& t) {
  simdjson::ondemand::object object;
  if (error_code e = v.get_object().get(object)) return e;
  for (auto field : object) {
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return e;
    ++t.fields;
    t.checksum += key.size();
    value child;
    if (error_code e = field.value().get(child)) return e;
    if (error_code e = Visit(child, t)) return e;
  }
  return simdjson::SUCCESS;
}

error_code VisitArray(value v, Tally& t) {
  simdjson::ondemand::array array;
  if (error_code e = v.get_array().get(array)) return e;
  for (auto element : array) {
    value child;
    if (error_code e = element.get(child)) return e;
    if (error_code e = Visit(child, t)) return e;
  }
  return simdjson::SUCCESS;
}

error_code VisitScalar(value v, json_type type, Tally& t) {
  switch (type) {
    case json_type::string: {
      std::string_view s;
      if (error_code e = v.get_string().get(s)) return e;
      t.checksum += s.size();
      return simdjson::SUCCESS;
    }
    case json_type::number: {
      simdjson::ondemand::number n;
      if (error_code e = v.get_number().get(n)) return e;
      t.checksum += n.is_double() ? static_cast<uint64_t>(n.get_double()) : n.get_uint64();
      return simdjson::SUCCESS;
    }
    case json_type::boolean: {
      bool b = false;
      if (error_code e = v.get_bool().get(b)) return e;
      t.checksum += b;
      return simdjson::SUCCESS;
    }
    default: {
      bool is_null = false;
      if (error_code e = v.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
  }
}

error_code Visit(value v, Tally& t) {
  json_type type;
  if (error_code e = v.type().get(type)) return e;
  if (type == json_type::object) return VisitObject(v, t);
  if (type == json_type::array) return VisitArray(v, t);
  return VisitScalar(v, type, t);
}

error_code ParseLine(simdjson::ondemand::parser& parser, const de::Line& line, Tally& t) {
  simdjson::ondemand::document doc;
  simdjson::padded_string_view json(line.text.data(), line.text.size(), line.readable);
  if (error_code e = parser.iterate(json).get(doc)) return e;
  value root;
  if (error_code e = doc.get_value().get(root)) return e;
  return Visit(root, t);
}

void ParseLines(const std::string& path, simdjson::ondemand::parser& parser, Tally& t) {
  de::LineReader reader(de::OpenInput(path));
  de::Line line;
  while (reader.Next(line)) {
    if (line.text.empty()) continue;
    ++t.lines;
    if (ParseLine(parser, line, t) != simdjson::SUCCESS) ++t.bad_lines;
  }
  t.bytes += reader.bytes_read();
}

void ParseBlock(simdjson::ondemand::parser& parser, const char* data, size_t size, Tally& t) {
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(data, size, kBatchSize).get(stream) != simdjson::SUCCESS) {
    ++t.bad_lines;
    return;
  }
  for (auto doc : stream) {
    ++t.lines;
    value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS || Visit(root, t) != simdjson::SUCCESS)
      ++t.bad_lines;
  }
}

// Blocks end at the last newline; the tail moves to the front of the next block.
void ParseMany(const std::string& path, simdjson::ondemand::parser& parser, Tally& t) {
  std::unique_ptr<de::ByteSource> source = de::OpenInput(path);
  std::vector<char> buf(kBatchSize + simdjson::SIMDJSON_PADDING);
  size_t have = 0;
  for (;;) {
    size_t n = source->Read(buf.data() + have, kBatchSize - have);
    have += n;
    t.bytes += n;
    const void* nl = n == 0 ? nullptr : memrchr(buf.data(), '\n', have);
    size_t cut = n == 0 ? have : nl ? static_cast<const char*>(nl) - buf.data() + 1 : 0;
    if (cut == 0 && n != 0) {
      if (have == kBatchSize) throw de::InputError(path, 0, "a line longer than the batch size");
      continue;  // a short read inside the first line
    }
    std::memset(buf.data() + have, ' ', simdjson::SIMDJSON_PADDING);
    ParseBlock(parser, buf.data(), cut, t);
    if (n == 0) return;
    std::memmove(buf.data(), buf.data() + cut, have - cut);
    have -= cut;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  CLI::App app{"Parse-only limit: simdjson on-demand over every line, every field, one thread."};
  std::string mode = "lines";
  app.add_option("files", files, "input files (plain, .zst or .gz)")->required();
  app.add_option("--mode", mode, "lines: iterate() per line; many: iterate_many() per block")
      ->check(CLI::IsMember({"lines", "many"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  simdjson::ondemand::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
  parser.threaded = false;  // one thread: the limit of a single core
#endif
  auto parse_file = mode == "many" ? ParseMany : ParseLines;
  Tally t;
  auto start = std::chrono::steady_clock::now();
  try {
    for (const std::string& path : files) parse_file(path, parser, t);
  } catch (const de::InputError& e) {
    std::fprintf(stderr, "bench_parse: error: %s: %s\n", e.file().c_str(), e.what_only().c_str());
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "parse (%s, simdjson %s kernel): %llu bytes, %llu lines (%llu unparsable), %llu fields in "
      "%.3f s: %.0f "
      "MB/s "
      "(checksum %llu)\n",
      mode.c_str(), kKernel, static_cast<unsigned long long>(t.bytes),
      static_cast<unsigned long long>(t.lines), static_cast<unsigned long long>(t.bad_lines),
      static_cast<unsigned long long>(t.fields), seconds, t.bytes / 1e6 / seconds,
      static_cast<unsigned long long>(t.checksum));
  return 0;
}
