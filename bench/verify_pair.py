#!/usr/bin/env python3
"""Checks a generated event-log pair the slow, obvious way (for the generator, not the tool).

Pairs threads by lineage (the root thread, then thread.create child_tid in creation order), or
by the true pairing gen_events writes with --truth (needed for logs without child_tid), drops the
engine-local fields, and compares each pair's event sequence. Prints the pairs that differ and
where; a thread that one log stops early (the long and seed shapes) only has to match as far as
that log goes. Exit 0 when the number of differing pairs equals --expect (default 0).

    bench/verify_pair.py CANARY OURS [--truth FILE] [--expect N]
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
            p.pop(key, None)
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
            if e["kind"] == "thread.create" and "child_tid" in e["payload"]:
                children[tid].append(e["payload"]["child_tid"])
            events[tid].append(canonical(e["kind"], e["payload"]))
    created = {c for cs in children.values() for c in cs}
    roots = [t for t in events if t not in created]
    return events, children, roots


def truth_pairs(path):
    with open(path) as f:
        return [tuple(int(x) for x in line.split()[:2]) for line in f if not line.startswith("#")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("canary")
    parser.add_argument("ours")
    parser.add_argument("--truth", help="the true pairing (gen_events --truth)")
    parser.add_argument("--expect", type=int, default=0, help="pairs expected to differ")
    args = parser.parse_args()
    c_events, c_children, c_roots = load(args.canary)
    o_events, o_children, o_roots = load(args.ours)
    if args.truth:
        pairs, lineage = truth_pairs(args.truth), False
    else:
        assert len(c_roots) == 1 and len(o_roots) == 1, f"expected one root each: use --truth"
        pairs, lineage = [(c_roots[0], o_roots[0])], True
    differing = cut = 0
    for c_tid, o_tid in pairs:  # grows while iterating: breadth-first over the lineage
        if lineage:
            pairs.extend(zip(c_children[c_tid], o_children[o_tid]))
        a, b = c_events.get(c_tid, []), o_events.get(o_tid, [])
        if args.truth and len(a) != len(b) and a[:len(b)] == b[:len(a)]:
            cut += 1
        elif a != b:
            differing += 1
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(f"canary tid {c_tid} / ours tid {o_tid}: first difference at event {at}")
    print(f"{len(pairs)} thread pairs ({len(c_events)} canary threads, {len(o_events)} ours), "
          f"{differing} differ, {cut} stop early in one log and match as far as it goes")
    return 0 if differing == args.expect else 1


if __name__ == "__main__":
    sys.exit(main())
