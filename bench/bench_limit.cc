// bench_limit: the honest parse-only limit. The fastest way found for one core to make simdjson
// on-demand parse every value of every line of the inputs, and nothing else: no hashing, no
// keeping. A diff can't do less work than this per byte on one core, so bench/run reports every
// figure as a ratio to the best of these variants, measured in the same run.
//
//   --drive many   iterate_many() over blocks cut at the last newline (worker thread off)
//   --drive lines  one parser.iterate() per line, in place in the same blocks (the bytes after a
//                  line are readable, which is all simdjson's padding asks for)
//   --visit full   every key unescaped, every string unescaped, every number parsed
//   --visit raw    every value reached and delimited (objects and arrays walked, scalars taken as
//                  their raw token, keys as raw strings): what a decoder that hashes leaf values
//                  by their text has to do
//
// Files are parsed one after the other on one thread; each file's time is printed too, so the
// 2-core ideal (each file on its own core: the slower of the two) comes from the same run:
//   limit drive=many visit=raw batch=1048576 total=1.234567 file0=0.70 file1=0.53 lines=... ok=1
#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"

namespace {

using simdjson::error_code;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

struct Tally {
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t bad_lines = 0;
  uint64_t values = 0;
  uint64_t checksum = 0;  // keeps every decoded value live
};

// ---- visitors: Raw and Full differ only in what they do at keys and leaves ----

struct RawLeaves {
  static error_code Key(simdjson::ondemand::field& field, Tally& t) {
    t.checksum += reinterpret_cast<uintptr_t>(field.key().raw()) & 0xFF;
    return simdjson::SUCCESS;
  }
  static error_code Scalar(value& v, json_type, Tally& t) {
    t.checksum += v.raw_json_token().size();
    return simdjson::SUCCESS;
  }
};

struct FullLeaves {
  static error_code Key(simdjson::ondemand::field& field, Tally& t) {
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return e;
    t.checksum += key.size();
    return simdjson::SUCCESS;
  }
  static error_code Scalar(value& v, json_type type, Tally& t) {
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
};

template <typename Leaves>
error_code Visit(value v, Tally& t);

template <typename Leaves>
error_code VisitObject(value v, Tally& t) {
  simdjson::ondemand::object object;
  if (error_code e = v.get_object().get(object)) return e;
  for (auto maybe_field : object) {
    simdjson::ondemand::field field;
    if (error_code e = std::move(maybe_field).get(field)) return e;
    if (error_code e = Leaves::Key(field, t)) return e;
    if (error_code e = Visit<Leaves>(field.value(), t)) return e;
  }
  return simdjson::SUCCESS;
}

template <typename Leaves>
error_code VisitArray(value v, Tally& t) {
  simdjson::ondemand::array array;
  if (error_code e = v.get_array().get(array)) return e;
  for (auto element : array) {
    value child;
    if (error_code e = element.get(child)) return e;
    if (error_code e = Visit<Leaves>(child, t)) return e;
  }
  return simdjson::SUCCESS;
}

template <typename Leaves>
error_code Visit(value v, Tally& t) {
  ++t.values;
  json_type type;
  if (error_code e = v.type().get(type)) return e;
  if (type == json_type::object) return VisitObject<Leaves>(v, t);
  if (type == json_type::array) return VisitArray<Leaves>(v, t);
  return Leaves::Scalar(v, type, t);
}

template <typename Leaves, typename Doc>
void VisitDocument(Doc&& doc, Tally& t) {
  ++t.lines;
  value root;
  if (doc.get_value().get(root) != simdjson::SUCCESS || Visit<Leaves>(root, t) != simdjson::SUCCESS)
    ++t.bad_lines;
}

// ---- drivers: how lines reach the parser ----

template <typename Leaves>
void ParseManyBlock(simdjson::ondemand::parser& parser, const char* data, size_t size, size_t batch,
                    Tally& t) {
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(data, size, batch).get(stream) != simdjson::SUCCESS) {
    ++t.bad_lines;
    return;
  }
  for (auto doc : stream) VisitDocument<Leaves>(doc, t);
}

template <typename Leaves>
void ParseLinesBlock(simdjson::ondemand::parser& parser, const char* data, size_t size,
                     size_t readable, Tally& t) {
  const char* end = data + size;
  for (const char* p = data; p < end;) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    size_t len = static_cast<size_t>((nl ? nl : end) - p);
    if (len > 0) {
      simdjson::padded_string_view json(p, len, readable - static_cast<size_t>(p - data));
      simdjson::ondemand::document doc;
      if (parser.iterate(json).get(doc) != simdjson::SUCCESS) {
        ++t.lines;
        ++t.bad_lines;
      } else {
        VisitDocument<Leaves>(doc, t);
      }
    }
    p += len + 1;
  }
}

using BlockFn = void (*)(simdjson::ondemand::parser&, const char*, size_t, size_t, Tally&);

// Reads `path` in blocks of `block` bytes cut at the last newline; the tail moves to the front of
// the next block. The buffer has SIMDJSON_PADDING spare bytes, set to spaces past the data.
void ParseFile(const std::string& path, size_t block, BlockFn parse_block, size_t block_arg,
               simdjson::ondemand::parser& parser, std::vector<char>& buf, Tally& t) {
  std::unique_ptr<de::ByteSource> source = de::OpenInput(path);
  size_t have = 0;
  for (;;) {
    size_t n = source->Read(buf.data() + have, block - have);
    have += n;
    t.bytes += n;
    const void* nl = n == 0 ? nullptr : memrchr(buf.data(), '\n', have);
    size_t cut = n == 0 ? have
                 : nl   ? static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) + 1
                        : 0;
    if (cut == 0 && n != 0) {
      if (have == block) throw de::InputError(path, 0, "a line longer than the block size");
      continue;  // a short read inside the first line
    }
    std::memset(buf.data() + have, ' ', simdjson::SIMDJSON_PADDING);
    if (cut > 0)
      parse_block(parser, buf.data(), cut,
                  block_arg ? block_arg : have + simdjson::SIMDJSON_PADDING, t);
    if (n == 0) return;
    std::memmove(buf.data(), buf.data() + cut, have - cut);
    have -= cut;
  }
}

template <typename Leaves>
void ManyAdapter(simdjson::ondemand::parser& parser, const char* data, size_t size, size_t batch,
                 Tally& t) {
  ParseManyBlock<Leaves>(parser, data, size, batch, t);
}

template <typename Leaves>
void LinesAdapter(simdjson::ondemand::parser& parser, const char* data, size_t size,
                  size_t readable, Tally& t) {
  ParseLinesBlock<Leaves>(parser, data, size, readable, t);
}

BlockFn PickBlockFn(const std::string& drive, const std::string& visit) {
  bool raw = visit == "raw";
  if (drive == "many") return raw ? ManyAdapter<RawLeaves> : ManyAdapter<FullLeaves>;
  return raw ? LinesAdapter<RawLeaves> : LinesAdapter<FullLeaves>;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  std::string drive = "many";
  std::string visit = "raw";
  size_t batch = 1 << 20;
  CLI::App app{"Honest parse-only limit: simdjson on-demand, every value of every line, one core."};
  app.add_option("files", files, "input files (plain, .zst or .gz)")->required();
  app.add_option("--drive", drive, "many: iterate_many() per block; lines: iterate() per line")
      ->check(CLI::IsMember({"lines", "many"}));
  app.add_option("--visit", visit, "full: unescape and parse every leaf; raw: delimit every leaf")
      ->check(CLI::IsMember({"full", "raw"}));
  app.add_option("--batch", batch, "block (and iterate_many batch) size in bytes")
      ->check(CLI::Range(size_t{4096}, size_t{1} << 30));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  simdjson::ondemand::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
  parser.threaded = false;  // one thread: the limit of a single core
#endif
  BlockFn parse_block = PickBlockFn(drive, visit);
  size_t block_arg = drive == "many" ? batch : 0;
  std::vector<char> buf(batch + simdjson::SIMDJSON_PADDING);
  Tally t;
  std::vector<double> per_file;
  auto start = std::chrono::steady_clock::now();
  try {
    for (const std::string& path : files) {
      auto file_start = std::chrono::steady_clock::now();
      ParseFile(path, batch, parse_block, block_arg, parser, buf, t);
      per_file.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - file_start).count());
    }
  } catch (const de::InputError& e) {
    std::fprintf(stderr, "bench_limit: error: %s: %s\n", e.file().c_str(), e.what_only().c_str());
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("limit drive=%s visit=%s batch=%zu total=%.6f", drive.c_str(), visit.c_str(), batch,
              seconds);
  for (size_t i = 0; i < per_file.size(); ++i) std::printf(" file%zu=%.6f", i, per_file[i]);
  std::printf(" bytes=%llu lines=%llu bad=%llu values=%llu mbps=%.0f checksum=%llu\n",
              static_cast<unsigned long long>(t.bytes), static_cast<unsigned long long>(t.lines),
              static_cast<unsigned long long>(t.bad_lines),
              static_cast<unsigned long long>(t.values), t.bytes / 1e6 / seconds,
              static_cast<unsigned long long>(t.checksum));
  return t.bad_lines == 0 ? 0 : 2;
}
