#!/usr/bin/env python3
"""Checks a --trace file: it parses as JSON, every slice is well formed and properly nested on
its track (X events have dur >= 0; B/E pairs match per pid/tid), and the metadata names both
processes and every thread that has events. Prints one line per problem; exit 1 if any.
Usage: check_trace.py TRACE.json"""
import json
import re
import sys
from collections import defaultdict
from decimal import Decimal


def main(path):
    with open(path, encoding="utf-8") as f:
        trace = json.load(f, parse_float=Decimal)
    events = trace["traceEvents"]
    problems = []
    process_names, thread_names = {}, {}
    tracks = defaultdict(list)  # (pid, tid) -> [(ts, dur)]
    open_b = defaultdict(list)
    for e in events:
        ph = e.get("ph")
        key = (e.get("pid"), e.get("tid"))
        if ph == "M":
            if e["name"] == "process_name":
                process_names[e["pid"]] = e["args"]["name"]
            elif e["name"] == "thread_name":
                thread_names[key] = e["args"]["name"]
            continue
        ts = Decimal(e["ts"])
        if ph == "X":
            if Decimal(e["dur"]) < 0:
                problems.append(f"negative dur: {e}")
            tracks[key].append((ts, Decimal(e["dur"])))
        elif ph == "B":
            open_b[key].append(ts)
        elif ph == "E":
            if not open_b[key]:
                problems.append(f"E without B on {key} at {ts}")
            else:
                tracks[key].append((open_b[key][-1], ts - open_b[key].pop()))
        elif ph == "i":
            if e.get("s") not in ("t", "p", "g"):
                problems.append(f"instant without scope: {e}")
        else:
            problems.append(f"unexpected ph {ph!r}")
        if key not in thread_names and ph != "M":
            thread_names.setdefault(("missing",) + key, True)
    for key, stack in open_b.items():
        if stack:
            problems.append(f"{len(stack)} B without E on {key}")
    for key, slices in tracks.items():
        slices.sort(key=lambda s: (s[0], -s[1]))
        ends = []
        for ts, dur in slices:
            while ends and ends[-1] <= ts and not (ends[-1] == ts and dur == 0):
                ends.pop()
            if ends and ts + dur > ends[-1]:
                problems.append(f"slice at {ts} (dur {dur}) overlaps its parent's end {ends[-1]} on {key}")
            ends.append(ts + dur)
    for pid in (1, 2):
        if pid not in process_names:
            problems.append(f"no process_name for pid {pid}")
    for key in [k for k in thread_names if k[0] == "missing"]:
        if key[1:] not in thread_names:
            problems.append(f"no thread_name for pid/tid {key[1:]}")
    label = re.compile(r"^(canary tid \d+ ↔ ours \d+|(canary|ours) tid \d+ \(unpaired\))$")
    for key, name in thread_names.items():
        if key[0] != "missing" and not label.match(name):
            problems.append(f"thread_name {name!r} on {key} is not 'canary tid A ↔ ours B'")
    for p in problems[:20]:
        print(p)
    if not problems:
        print(f"trace ok: {len(events)} events, {len(tracks)} tracks with slices")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
