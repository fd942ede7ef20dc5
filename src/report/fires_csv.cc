// The three key CSVs (RFC 4180, CRLF rows): columns as the issue fixed them.
#include "diff_events/fires/hex.h"
#include "diff_events/report/csv.h"
#include "diff_events/report/fires_format.h"
#include "diff_events/report/fires_reports.h"

namespace de {

std::string RenderDivergentCsv(const FiresResult& result) {
  std::string out;
  AppendCsvRow(
      out, {"op", "lr", "canary_fires", "canary_tids", "canary_handles", "fn_note", "in_family"});
  for (const KeyRow& row : result.missing) {
    AppendCsvRow(out, {row.op, Hex32(row.lr), std::to_string(row.canary.fires),
                       JoinDecimal(row.canary.tids, ";"), JoinHandles(row.canary, ";"), row.note,
                       JoinNames(row.families, ";")});
  }
  return out;
}

std::string RenderMatchedCsv(const FiresResult& result) {
  std::string out;
  AppendCsvRow(out, {"op", "lr", "canary_fires", "ours_fires", "ratio", "fn_note", "in_family"});
  for (const KeyRow& row : result.matched) {
    AppendCsvRow(out, {row.op, Hex32(row.lr), std::to_string(row.canary.fires),
                       std::to_string(row.ours.fires), RatioPercent(row), row.note,
                       JoinNames(row.families, ";")});
  }
  return out;
}

std::string RenderExtraCsv(const FiresResult& result) {
  std::string out;
  AppendCsvRow(out,
               {"op", "lr", "ours_fires", "ours_tids", "ours_handles", "fn_note", "in_family"});
  for (const KeyRow& row : result.extra) {
    AppendCsvRow(out, {row.op, Hex32(row.lr), std::to_string(row.ours.fires),
                       JoinDecimal(row.ours.tids, ";"), JoinHandles(row.ours, ";"), row.note,
                       JoinNames(row.families, ";")});
  }
  return out;
}

}  // namespace de
