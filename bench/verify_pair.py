#!/usr/bin/env python3
"""Checks a generated event-log pair the slow, obvious way (for the generator, not the tool).

Pairs threads by lineage (the root thread, then thread.create child_tid in creation order),
drops the engine-local fields, and compares each pair's event sequence. Prints the pairs that
differ and where. Exit 0 when the number of differing pairs equals --expect (default 0).

    bench/verify_pair.py CANARY OURS [--expect N]
"""
import argparse
import collections
import json
import sys

ALLOCATORS = {"MmAllocatePhysicalMemoryEx", "MmAllocatePhysicalMemory", "NtAllocateVirtualMemory",
              "RtlAllocateHeap", "MmCreateKernelStack"}


def canonical(kind, payload):
    p = dict(payload)
    if kind == "kernel.return" and p.get("name") in ALLOCATORS:
        p.pop("return_value"), p.pop("status")
    elif kind in ("handle.create", "handle.destroy"):
        p.pop("raw_handle_id")
    elif kind == "wait.end":
        p.pop("wait_duration_cycles")
    elif kind == "thread.create":
        for key in ("ctx", "stack", "child_tid"):
            p.pop(key)
    return kind, json.dumps(p, sort_keys=True)


def load(path):
    events = collections.defaultdict(list)
    children = collections.defaultdict(list)
    last_idx = {}
    with open(path) as f:
        header = json.loads(f.readline())
        assert header["kind"] == "schema_version" and header["schema_version"] == 1, header
        for number, line in enumerate(f, start=2):
            e = json.loads(line)
            tid = e["tid"]
            assert e["tid_event_idx"] == last_idx.get(tid, -1) + 1, f"{path}:{number}: idx gap"
            last_idx[tid] = e["tid_event_idx"]
            if e["kind"] == "thread.create":
                children[tid].append(e["payload"]["child_tid"])
            events[tid].append(canonical(e["kind"], e["payload"]))
    created = {c for cs in children.values() for c in cs}
    roots = [t for t in events if t not in created]
    assert len(roots) == 1, f"{path}: expected one root thread, got {roots}"
    return events, children, roots[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("canary")
    parser.add_argument("ours")
    parser.add_argument("--expect", type=int, default=0, help="pairs expected to differ")
    args = parser.parse_args()
    c_events, c_children, c_root = load(args.canary)
    o_events, o_children, o_root = load(args.ours)
    pairs, differing = [(c_root, o_root)], 0
    for c_tid, o_tid in pairs:  # grows while iterating: breadth-first over the lineage
        pairs.extend(zip(c_children[c_tid], o_children[o_tid]))
        a, b = c_events[c_tid], o_events.get(o_tid, [])
        if a != b:
            differing += 1
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(f"canary tid {c_tid} / ours tid {o_tid}: first difference at event {at}")
    print(f"{len(pairs)} thread pairs ({len(c_events)} canary threads, {len(o_events)} ours), "
          f"{differing} differ")
    return 0 if differing == args.expect else 1


if __name__ == "__main__":
    sys.exit(main())
