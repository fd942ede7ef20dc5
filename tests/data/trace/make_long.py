#!/usr/bin/env python3
"""Writes long_canary.jsonl and long_ours.jsonl into the current directory: threads long enough
for --trace-window 40 to cut them into windows and "matched" gaps.
  canary 10 <-> ours 20: 400 events in units of (call, wait.begin, wait.end, return); position
      200 differs (the call's timeout): a replaced hunk #200..200.
  canary 11 <-> ours 21: 402 identical events; the last wait never ends (blocked).
  canary 12: 200 events of its own first call: unpaired."""
import json


def wait_units(tid, engine, units, call, handle, differ_at=None, other=None):
    events = []
    for u in range(units):
        timeout = other if differ_at is not None and 4 * u == differ_at else 1000
        events += [
            ("kernel.call", {"name": call, "args_resolved": {"handle": handle, "timeout": timeout}}),
            ("wait.begin", {"handles": [handle]}),
            ("wait.end", {}),
            ("kernel.return", {"name": call, "return_value": 0, "status": "0x00000000"}),
        ]
    return events


def call_units(units, call):
    events = []
    for u in range(units):
        events += [("kernel.call", {"name": call, "args_resolved": {"n": u}}),
                   ("kernel.return", {"name": call, "return_value": u})]
    return events


def write(path, engine, threads):
    lines = [json.dumps({"kind": "schema_version", "schema_version": 1, "engine": engine})]
    pos = {tid: 0 for tid in threads}
    while any(pos[tid] < len(evs) for tid, evs in threads.items()):
        for tid, evs in threads.items():
            i = pos[tid]
            if i >= len(evs):
                continue
            kind, payload = evs[i]
            lines.append(json.dumps({"engine": engine, "tid": tid, "tid_event_idx": i,
                                     "host_ns": 1_000_000 * tid + 1500 * i + 7,
                                     "kind": kind, "payload": payload}, separators=(",", ":")))
            pos[tid] += 1
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


blocked = lambda: wait_units(0, "", 100, "NtWaitForMultipleObjects", "b2") + wait_units(
    0, "", 1, "NtWaitForMultipleObjects", "b2")[:2]
write("long_canary.jsonl", "canary", {
    10: wait_units(10, "canary", 100, "NtWaitForSingleObjectEx", "a1"),
    11: blocked(),
    12: call_units(100, "XamInputGetState"),
})
write("long_ours.jsonl", "ours", {
    20: wait_units(20, "ours", 100, "NtWaitForSingleObjectEx", "a1", differ_at=200, other=2000),
    21: blocked(),
})
