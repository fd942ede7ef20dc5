// The three key CSVs (RFC 4180, CRLF rows): columns as the issue fixed them.
#include "diff_events/fires/hex.h"
#include "diff_events/report/csv.h"
#include "diff_events/report/fires_format.h"
#include "diff_events/report/fires_reports.h"

namespace de {
namespace {

// One row at a time: the line buffer is reused, the sink holds the rest.
class CsvRows {
 public:
  explicit CsvRows(TextSink& out) : out_(out) {}
  void Add(const std::vector<std::string>& fields) {
    line_.clear();
    AppendCsvRow(line_, fields);
    out_.Write(line_);
  }

 private:
  TextSink& out_;
  std::string line_;
};

}  // namespace

void WriteDivergentCsv(const FiresResult& result, TextSink& sink) {
  CsvRows out(sink);
  out.Add({"op", "lr", "canary_fires", "canary_tids", "canary_handles", "fn_note", "in_family"});
  for (const KeyRow& row : result.missing) {
    out.Add({row.op, Hex32(row.lr), std::to_string(row.canary.fires),
             JoinDecimal(row.canary.tids, ";"), JoinHandles(row.canary, ";"), row.note,
             JoinNames(row.families, ";")});
  }
}

void WriteMatchedCsv(const FiresResult& result, TextSink& sink) {
  CsvRows out(sink);
  out.Add({"op", "lr", "canary_fires", "ours_fires", "ratio", "fn_note", "in_family"});
  for (const KeyRow& row : result.matched) {
    out.Add({row.op, Hex32(row.lr), std::to_string(row.canary.fires),
             std::to_string(row.ours.fires), RatioPercent(row), row.note,
             JoinNames(row.families, ";")});
  }
}

void WriteExtraCsv(const FiresResult& result, TextSink& sink) {
  CsvRows out(sink);
  out.Add({"op", "lr", "ours_fires", "ours_tids", "ours_handles", "fn_note", "in_family"});
  for (const KeyRow& row : result.extra) {
    out.Add({row.op, Hex32(row.lr), std::to_string(row.ours.fires), JoinDecimal(row.ours.tids, ";"),
             JoinHandles(row.ours, ";"), row.note, JoinNames(row.families, ";")});
  }
}

}  // namespace de
