#!/usr/bin/env python3
"""Writes the worker-pool logs of the pairing e2e cases (checked in; rerun after a change).

A main thread creates N workers with the same entry address; every worker's first call is the
same KeTlsSetValue. The engines hand out tids in another order (canary ascending in creation
order, ours descending) and interleave the threads differently in their files (canary
round-robin, ours in reverse bursts), as real engines do.

  pool{N}_{child|nochild}_{canary,ours}.jsonl   workers tell themselves apart only from event
                                                 20 on; identical engines: every pair matches
  pooldiff_{canary,ours}.jsonl                   8 workers; in ours every worker's event 100
                                                 passes another value: pairs right, diverge at 100
  ambiguous_{canary,ours}.jsonl                  2 workers identical for 10 events; at event 10
                                                 canary's do X / Y, ours' both do Z: a tie
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ENTRY = "0x821748f0"


def event(tid, idx, kind, payload, ns):
    return ('{"tid":%d,"tid_event_idx":%d,"host_ns":%d,"kind":"%s","payload":%s}'
            % (tid, idx, ns, kind, payload))


def call(name, args):
    return "kernel.call", '{"name":"%s","args_resolved":%s}' % (name, args)


def ret(name, value):
    return "kernel.return", '{"name":"%s","return_value":%d,"status":"0x00000000"}' % (name, value)


def worker_body(i, events, variant=None):
    """(kind, payload) list of worker i: the same first 20 events for all, then i-dependent."""
    body = [call("KeTlsSetValue", '{"slot":3,"value":"0x00000050"}'), ret("KeTlsSetValue", 1)]
    n = 0
    while len(body) < events:
        arg = n if len(body) < 20 else n * 8 + i
        if variant and len(body) in variant:
            arg = variant[len(body)]  # this call passes another value in ours
        body.append(call("RtlEnterCriticalSection", '{"cs":"0x%08x","item":%d}' % (0x828f0000, arg)))
        body.append(ret("RtlEnterCriticalSection", 0))
        n += 1
    return body[:events]


def write(path, engine, threads, order):
    """threads: {tid: [(kind, payload)]}; order: list of tids, one entry per event written."""
    pos = {tid: 0 for tid in threads}
    with open(os.path.join(HERE, path), "w") as f:
        f.write('{"kind":"schema_version","schema_version":1,"engine":"%s"}\n' % engine)
        ns = 1000
        for tid in order:
            kind, payload = threads[tid][pos[tid]]
            f.write(event(tid, pos[tid], kind, payload, ns) + "\n")
            pos[tid] += 1
            ns += 37


def main_thread(worker_tids, child_tid):
    body = [call("NtCreateEvent", '{"event_type":1,"initial_state":false}'), ret("NtCreateEvent", 0)]
    for k, tid in enumerate(worker_tids):
        child = ',"child_tid":%d' % tid if child_tid else ""
        body.append(call("ExCreateThread", '{"entry":"%s"}' % ENTRY))
        body.append(("thread.create", '{"entry":"%s","ctx":"0x%x","stack":"0x7000%04x","suspended":false%s}'
                     % (ENTRY, 0xbc000000 + 32 * k, k, child)))
        body.append(ret("ExCreateThread", 0))
    return body


def interleave(main_tid, main_events, worker_tids, bodies, reverse_bursts):
    """Main first; then workers: round-robin (canary) or bursts of 7 in reverse order (ours)."""
    order = [main_tid] * main_events
    left = {t: len(b) for t, b in zip(worker_tids, bodies)}
    tids = list(reversed(worker_tids)) if reverse_bursts else list(worker_tids)
    step = 7 if reverse_bursts else 1
    while any(left.values()):
        for t in tids:
            take = min(step, left[t])
            order += [t] * take
            left[t] -= take
    return order


def pool(name, n, child_tid, events=60, ours_variant=None, canary_bodies=None, ours_bodies=None):
    for engine in ("canary", "ours"):
        if engine == "canary":
            main, workers = 6, [17 + k for k in range(n)]
        else:
            main, workers = 1, [40 - 3 * k for k in range(n)]  # handed out the other way round
        if engine == "canary":
            bodies = canary_bodies or [worker_body(k, events) for k in range(n)]
        else:
            bodies = ours_bodies or [worker_body(k, events, ours_variant) for k in range(n)]
        m = main_thread(workers, child_tid)
        threads = {main: m}
        threads.update(dict(zip(workers, bodies)))
        order = interleave(main, len(m), workers, bodies, engine == "ours")
        write("%s_%s.jsonl" % (name, engine), engine, threads, order)


for n in (2, 8):
    for child in (True, False):
        pool("pool%d_%s" % (n, "child" if child else "nochild"), n, child)
pool("pooldiff", 8, False, events=140, ours_variant={100: 7})

# Ambiguous: at event 10 canary's workers call A / B, ours' both call Z.
def amb(i, tail):
    body = worker_body(0, 10)
    body += [call(tail, '{"worker":%d}' % 0), ret(tail, 0)] * 3
    return body
pool("ambiguous", 2, False, canary_bodies=[amb(0, "NtSetEvent"), amb(1, "NtPulseEvent")],
     ours_bodies=[amb(0, "NtReleaseSemaphore"), amb(1, "NtReleaseSemaphore")])
