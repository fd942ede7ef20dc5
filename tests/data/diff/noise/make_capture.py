#!/usr/bin/env python3
"""Writes the logs of the capture-visibility and pointer e2e cases (checked in; rerun after a
change). Each scenario is a pair NAME_canary.jsonl / NAME_ours.jsonl:
  visibility  the same program; canary's capture hides NtSetEvent and NtWaitForSingleObjectEx
              (as reference emulators do by default), ours logs them: 2 threads, 150 NtSetEvent
              and 30 waits each. Ours numbers its events with them, canary without.
  pointers    thread 1 allocates a 64-byte block (canary and ours get other addresses), creates
              thread 2 with ctx pointing at it, passes the block (hex string) and an interior
              pointer (integer, +0x10) to later calls; thread 2 hands the ctx back. Both engines
              behave the same: equal with pointer canonicalization, different without.
  interior    like pointers, but ours passes the block +0x18 where canary passes +0x10: a real
              difference that pointer canonicalization must keep.
  constant    canary's physical block lies at 0xC0000000, ours' at 0x40000000; both then pass
              the NTSTATUS code 0xC0000034 (inside canary's block only): equal, as written.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


class Log:
    def __init__(self, engine):
        self.engine = engine
        self.lines = [{"kind": "schema_version", "schema_version": 1, "engine": engine}]
        self.idx = {}
        self.clock = 1_000_000

    def ev(self, tid, kind, payload):
        i = self.idx.get(tid, 0)
        self.idx[tid] = i + 1
        self.clock += 1500
        self.lines.append({"engine": self.engine, "tid": tid, "tid_event_idx": i,
                           "host_ns": self.clock, "kind": kind, "payload": payload})

    def call(self, tid, name, args, ret=0):
        self.ev(tid, "kernel.call", {"name": name, "args_resolved": args})
        self.ev(tid, "kernel.return", {"name": name, "return_value": ret})

    def write(self, path):
        with open(path, "w") as f:
            for line in self.lines:
                f.write(json.dumps(line, separators=(",", ":")) + "\n")


def visibility():
    logs = {}
    for engine in ("canary", "ours"):
        log = Log(engine)
        hides = engine == "canary"
        for tid in (1, 2):
            for i in range(150):
                log.call(tid, "RtlEnterCriticalSection", {"cs": "0x8200%04x" % tid})
                if not hides:
                    log.call(tid, "NtSetEvent", {"handle": "ev-%d" % tid})
                if i % 5 == 0 and not hides:
                    log.ev(tid, "kernel.call", {"name": "NtWaitForSingleObjectEx",
                                                "args_resolved": {"handle": "ev-%d" % tid}})
                    log.ev(tid, "wait.begin", {"handles": ["ev-%d" % tid], "timeout_ns": 0})
                    log.ev(tid, "wait.end", {"status": "0x00000000"})
                    log.ev(tid, "kernel.return", {"name": "NtWaitForSingleObjectEx",
                                                  "return_value": 0})
                log.call(tid, "RtlLeaveCriticalSection", {"cs": "0x8200%04x" % tid})
        logs[engine] = log
    return logs


def pointers(ours_offset):
    logs = {}
    for engine, base in (("canary", 0x40001000), ("ours", 0x82000000)):
        log = Log(engine)
        off = 0x10 if engine == "canary" else ours_offset
        log.ev(1, "kernel.call", {"name": "RtlAllocateHeap",
                                  "args_resolved": {"heap": "0x00010000", "flags": 8,
                                                    "size": 64}})
        log.ev(1, "kernel.return", {"name": "RtlAllocateHeap", "return_value": base,
                                    "status": "0x%08x" % base})
        log.ev(1, "thread.create", {"entry": "0x82174a10", "ctx": "0x%08x" % base,
                                    "stack": "0x7007ff00", "suspended": False})
        log.call(1, "NtWriteFile", {"handle": "file-1", "buffer": "0x%08x" % base,
                                    "length": 64})
        log.call(1, "RtlFillMemory", {"dest": base + off, "length": 16, "fill": 0})
        log.call(1, "NtClose", {"handle": "file-1"})
        log.ev(2, "kernel.call", {"name": "KeTlsSetValue",
                                  "args_resolved": {"index": 3, "value": "0x%08x" % base}})
        log.ev(2, "kernel.return", {"name": "KeTlsSetValue", "return_value": 1})
        log.ev(2, "thread.exit", {"exit_code": 0})
        logs[engine] = log
    return logs


def constant():
    logs = {}
    for engine, base in (("canary", 0xC0000000), ("ours", 0x40000000)):
        log = Log(engine)
        log.ev(1, "kernel.call", {"name": "MmAllocatePhysicalMemoryEx",
                                  "args_resolved": {"type": 0, "size": 0x100000,
                                                    "protect": "0x00000004"}})
        log.ev(1, "kernel.return", {"name": "MmAllocatePhysicalMemoryEx", "return_value": base})
        log.call(1, "RtlNtStatusToDosError", {"status": "0xc0000034"}, ret=2)
        log.call(1, "RtlFillMemory", {"dest": base + 0x40, "length": 16, "fill": 0})
        logs[engine] = log
    return logs


def main():
    for name, logs in (("visibility", visibility()), ("pointers", pointers(0x10)),
                       ("interior", pointers(0x18)), ("constant", constant())):
        for engine, log in logs.items():
            log.write(os.path.join(HERE, "%s_%s.jsonl" % (name, engine)))


if __name__ == "__main__":
    main()
