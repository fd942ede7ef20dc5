// The HTML report's inline style sheet.
#include "diff_html_parts.h"

namespace de {

const char* const kHtmlStyle = R"CSS(
:root { --canary: #2b6cb0; --ours: #b7791f; --matched: #c6f6d5; --div: #e53e3e;
  --exited: #2f855a; --blocked: #dd6b20; --cut: #718096; --ink: #1a202c; --muted: #5a6475; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 12px 20px 40px; max-width: 1600px; }
h1 { font-size: 20px; margin: 4px 0; } h2 { font-size: 17px; margin: 22px 0 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
header ul { margin: 4px 0; padding-left: 18px; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12px; }
pre { background: #f7fafc; border: 1px solid #e2e8f0; padding: 6px 8px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
b.good { color: var(--exited); } b.bad { color: var(--div); }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 7px; text-align: left; vertical-align: top; }
thead th { background: #edf2f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.diverged td:first-child { border-left: 3px solid var(--div); }
caption { text-align: left; font-weight: 600; padding: 2px 0; }
.tables { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.badge { display: inline-block; border-radius: 3px; padding: 0 5px; font-size: 11px;
  font-weight: 600; color: #fff; vertical-align: 1px; }
.badge.root { background: var(--div); } .badge.consequence { background: #805ad5; }
a.badge.consequence { text-decoration: none; }
#controls { margin: 4px 0 6px; color: var(--muted); }
#legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 8px; font-size: 12px;
  color: var(--muted); align-items: center; }
#legend svg { vertical-align: -3px; margin-right: 4px; }
#chart { position: relative; border: 1px solid #e2e8f0; border-radius: 4px; padding: 4px 0; }
.axis { position: sticky; top: 0; background: #fff; z-index: 2; border-bottom: 1px solid #e2e8f0; }
.axis text { font-size: 11px; fill: var(--muted); }
.axis .title { font-size: 12px; fill: var(--ink); }
.group { padding: 3px 0 4px; border-bottom: 1px solid #edf2f7; }
.group.flash { animation: flash 1.6s ease-out; }
@keyframes flash { from { background: #faf089; } to { background: transparent; } }
.group-head { font-size: 12px; padding: 0 8px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; color: var(--muted); }
.group-head .name { color: var(--ink); font-weight: 600; margin-right: 6px; }
.lane { display: flex; align-items: center; height: 22px; }
.lane-label { flex: none; padding: 0 8px; font-size: 12px; text-align: right; white-space: nowrap; }
.lane-label .side { font-weight: 600; }
.lane[data-side="canary"] .side { color: var(--canary); }
.lane[data-side="ours"] .side { color: var(--ours); }
.lane svg { flex: none; overflow: visible; }
.lane .span { fill: #f1f4f8; }
.lane .matched { fill: var(--matched); }
.lane[data-side="canary"] .density { fill: var(--canary); }
.lane[data-side="ours"] .density { fill: var(--ours); }
.divergence { fill: var(--div); fill-opacity: .85; cursor: pointer; stroke: #9b2c2c;
  stroke-width: .5; }
.divergence.first { stroke: #000; stroke-width: 1.2; }
.divergence.selected { stroke: #000; stroke-width: 2.5; }
.end { stroke: #fff; stroke-width: 1; }
.end[data-end="exited"] { fill: var(--exited); } .end[data-end="blocked"] { fill: var(--blocked); }
.end[data-end="cut"] { fill: var(--cut); }
.end-label { font-size: 10px; fill: var(--muted); }
#tip { position: fixed; z-index: 10; pointer-events: none; background: #1a202c; color: #f7fafc;
  font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; padding: 5px 8px;
  border-radius: 4px; max-width: 640px; white-space: pre-wrap; word-break: break-all; }
#details { margin-top: 10px; border: 1px solid #e2e8f0; border-radius: 4px; padding: 8px 12px;
  background: #fffdf7; }
#details.empty { color: var(--muted); background: #fff; }
#details .del { color: #9b2c2c; } #details .ins { color: #276749; }
.note { background: #fefcbf; padding: 6px 10px; border-radius: 4px; }
.js-error { background: #fed7d7; color: #742a2a; padding: 8px; white-space: pre-wrap; }
)CSS";

}  // namespace de
