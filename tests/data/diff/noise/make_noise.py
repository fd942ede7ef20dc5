#!/usr/bin/env python3
"""Writes the logs of the noise e2e cases: folded loops and reordered hunks (checked in, gzipped;
rerun after a change).

  poll    a title polls XamInputGetCapabilities 5501 times during boot in canary and 5300 times
          in ours, then both do the same work again
  swap    two adjacent call/return pairs come in the other order in ours
  broken  a polling loop that runs 100 times in canary; in ours one iteration in the middle
          returns another value (broken_*), or an extra call sits between two halves of the
          loop (split_*): one replaced / inserted stretch, the loop matched around it
  far     a call pair moved past five others in ours (farther than the reorder gap)
  futex   four threads whose futex wait/wake call pairs come in another order in small stretches
          in ours (a multi-threaded program traced twice: scheduling races), plus a few real
          differences (an extra wake, another argument); the shape of two strace runs of one
          script
Tids differ per engine (canary 6/17/18/19, ours 1/13/14/15).
"""
import gzip
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


class Thread:
    def __init__(self, tid, ns):
        self.tid, self.events, self.ns = tid, [], ns

    def add(self, kind, payload):
        self.events.append((kind, payload))
        return self

    def call(self, name, args="{}", ret=0):
        self.add("kernel.call", '{"name":"%s","args_resolved":%s}' % (name, args))
        return self.add("kernel.return", '{"name":"%s","return_value":%d,"status":"0x00000000"}' % (name, ret))

    def exit(self):
        return self.add("thread.exit", '{"exit_code":0}')


def write(name, engine, threads, chunk=7):
    """Writes the threads interleaved in chunks, each engine's own way (ours reversed)."""
    order = list(threads) if engine == "canary" else list(reversed(threads))
    pos = {t.tid: 0 for t in threads}
    path = os.path.join(HERE, "%s_%s.jsonl.gz" % (name, engine))
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        out = []
        out.append('{"kind":"schema_version","schema_version":1,"engine":"%s"}\n' % engine)
        while any(pos[t.tid] < len(t.events) for t in threads):
            for t in order:
                for _ in range(chunk):
                    if pos[t.tid] == len(t.events):
                        break
                    kind, payload = t.events[pos[t.tid]]
                    out.append('{"tid":%d,"tid_event_idx":%d,"host_ns":%d,"kind":"%s","payload":%s}\n'
                               % (t.tid, pos[t.tid], t.ns + 1000 * pos[t.tid], kind, payload))
                    pos[t.tid] += 1
        raw.write("".join(out).encode())


def both(name, build):
    for engine, tids, ns in (("canary", (6, 17, 18, 19), 5000000), ("ours", (1, 13, 14, 15), 9000)):
        write(name, engine, build(engine == "ours", tids, ns))


def work(t, tag, n):
    for i in range(n):
        t.call("NtReadFile", '{"tag":"%s","n":%d}' % (tag, i))


def poll(ours, tids, ns):
    t = Thread(tids[0], ns)
    work(t, "boot", 10)
    for _ in range(5300 if ours else 5501):
        t.call("XamInputGetCapabilities", '{"user":0}')
    work(t, "title", 12)
    return [t.exit()]


def swap(ours, tids, ns):
    t = Thread(tids[0], ns)
    work(t, "before", 10)
    pairs = [("NtSetEvent", '{"handle":"a"}'), ("NtReleaseSemaphore", '{"handle":"b"}')]
    for name, args in reversed(pairs) if ours else pairs:
        t.call(name, args)
    work(t, "after", 12)
    return [t.exit()]


def broken(ours, tids, ns):
    t = Thread(tids[0], ns)
    work(t, "boot", 10)
    for i in range(100):
        t.call("XamInputGetCapabilities", '{"user":0}', ret=1 if ours and i == 50 else 0)
    work(t, "title", 12)
    return [t.exit()]


def split(ours, tids, ns):
    t = Thread(tids[0], ns)
    work(t, "boot", 10)
    for i in range(100):
        if ours and i == 50:
            t.call("NtYieldExecution")
        t.call("XamInputGetCapabilities", '{"user":0}')
    work(t, "title", 12)
    return [t.exit()]


def far(ours, tids, ns):
    t = Thread(tids[0], ns)
    work(t, "before", 10)
    if not ours:
        t.call("NtSetEvent", '{"handle":"a"}')
    work(t, "between", 5)
    if ours:
        t.call("NtSetEvent", '{"handle":"a"}')
    work(t, "after", 12)
    return [t.exit()]


def futex(ours, tids, ns):
    rng = random.Random(13)
    threads = []
    for k, tid in enumerate(tids):
        t = Thread(tid, ns + k)
        for stretch in range(60):
            # Enough distinct work between stretches that each one settles as its own hunk.
            work(t, "t%d.%d" % (k, stretch), 9)
            ops = [("FUTEX_WAKE_PRIVATE", "0x%x" % (0x7f00 + 16 * k + stretch % 4)),
                   ("FUTEX_WAIT_PRIVATE", "0x%x" % (0x7e00 + 16 * k + stretch % 3))]
            if rng.random() < 0.5:
                ops.append(("FUTEX_WAKE_PRIVATE", "0x%x" % (0x7d00 + stretch)))
            roll = rng.random()
            if ours and roll < 0.55:
                ops = ops[1:] + ops[:1]  # another order: the race
            elif ours and roll < 0.62:
                ops.append(("FUTEX_WAKE_PRIVATE", "0x%x" % 0x7c00))  # a real difference
            for op, addr in ops:
                t.call("futex", '{"uaddr":"%s","op":"%s"}' % (addr, op))
        threads.append(t.exit())
    return threads


if __name__ == "__main__":
    both("poll", poll)
    both("swap", swap)
    both("broken", broken)
    both("split", split)
    both("far", far)
    both("futex", futex)
