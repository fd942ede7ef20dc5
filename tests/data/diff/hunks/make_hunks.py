#!/usr/bin/env python3
"""Writes the logs of the past-the-first-divergence e2e cases (checked in; rerun after a change).

Each scenario is a pair NAME_canary.jsonl / NAME_ours.jsonl showing one behaviour:
  inserted   ours makes one extra call pair, then both streams are the same again
  wedge      a worker sets an event and waits on it in canary (then exits); ours releases a
             semaphore instead and waits forever on the event
  join       main joins that worker: in ours it waits forever on the worker's Thread handle
  starve     main stops releasing the workers' semaphore in ours (it wedges first): the workers
             starve, waiting on the semaphore
  loops      a worker runs its loop 12 times in canary and 2 times in ours, with one call name
             on each side only
  long       a differing stretch of 40 events between two identical parts
Tids differ per engine (canary 6/17/18..., ours 1/13/14...).
"""
import os

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

    def handle(self, semantic, object_type):
        return self.add("handle.create", '{"raw_handle_id":"0xF80000%02x","handle_semantic_id":"%s","object_type":%d}'
                        % (len(self.events), semantic, object_type))

    def create(self, child, entry="0x82174a10", child_tid=True):
        extra = ',"child_tid":%d' % child if child_tid else ""
        self.add("kernel.call", '{"name":"ExCreateThread","args_resolved":{"entry":"%s"}}' % entry)
        self.add("thread.create", '{"entry":"%s","ctx":"0x1","stack":"0x2","suspended":false%s}' % (entry, extra))
        return self.add("kernel.return", '{"name":"ExCreateThread","return_value":0,"status":"0x00000000"}')

    def wait(self, handle, done=True, timeout=-1):
        self.add("kernel.call", '{"name":"NtWaitForSingleObjectEx","args_resolved":{"handle":"%s"}}' % handle)
        self.add("wait.begin", '{"handles":["%s"],"timeout_ns":%d}' % (handle, timeout))
        if not done:
            return self
        self.add("wait.end", '{"wait_duration_cycles":17,"status":"0x00000000"}')
        return self.add("kernel.return", '{"name":"NtWaitForSingleObjectEx","return_value":0,"status":"0x00000000"}')

    def exit(self):
        return self.add("thread.exit", '{"exit_code":0}')


def write(name, engine, threads, chunk=5):
    """Writes the threads interleaved in chunks, each engine's own way (ours reversed)."""
    order = list(threads) if engine == "canary" else list(reversed(threads))
    pos = {t.tid: 0 for t in threads}
    with open(os.path.join(HERE, "%s_%s.jsonl" % (name, engine)), "w") as f:
        f.write('{"kind":"schema_version","schema_version":1,"engine":"%s"}\n' % engine)
        while any(pos[t.tid] < len(t.events) for t in threads):
            for t in order:
                for _ in range(chunk):
                    if pos[t.tid] == len(t.events):
                        break
                    kind, payload = t.events[pos[t.tid]]
                    f.write('{"tid":%d,"tid_event_idx":%d,"host_ns":%d,"kind":"%s","payload":%s}\n'
                            % (t.tid, pos[t.tid], t.ns + 1000 * pos[t.tid], kind, payload))
                    pos[t.tid] += 1


def both(name, build):
    for engine, tids, ns in (("canary", (6, 17, 18, 19), 5000000), ("ours", (1, 13, 14, 15), 9000)):
        write(name, engine, build(engine == "ours", tids, ns))


def inserted(ours, tids, ns):
    t = Thread(tids[0], ns)
    for i in range(6):
        t.call("KeQueryPerformanceCounter", '{"i":%d}' % i)
        if ours and i == 2:
            t.call("RtlAllocateHeap", '{"size":64}')  # the extra call
    return [t]


def wedge_worker(ours, tid, ns):
    w = Thread(tid, ns).call("KeTlsSetValue", '{"slot":1}').call("NtCreateEvent", '{"event_type":1}')
    w.handle("ev10a2", 1).call("NtCreateSemaphore", '{"initial":0}').handle("sem77", 2)
    for i in range(3):
        w.call("RtlEnterCriticalSection", '{"cs":"0x828f0000","n":%d}' % i)
    if ours:
        return w.call("NtReleaseSemaphore", '{"handle":"sem77","count":1}').wait("ev10a2", done=False)
    w.call("NtSetEvent", '{"handle":"ev10a2"}').wait("ev10a2")
    for i in range(5):
        w.call("NtReadFile", '{"n":%d}' % i)
    return w.exit()


def wedge(ours, tids, ns):
    return [wedge_worker(ours, tids[1], ns)]


def join(ours, tids, ns):
    main = Thread(tids[0], ns).call("NtCreateEvent", '{"event_type":0}').handle("evmain", 1)
    main.add("kernel.call", '{"name":"ExCreateThread","args_resolved":{}}').handle("th1", 5)
    main.add("thread.create", '{"entry":"0x821748f0","ctx":"0x1","stack":"0x2","suspended":false,"child_tid":%d}' % tids[1])
    main.add("kernel.return", '{"name":"ExCreateThread","return_value":0,"status":"0x00000000"}')
    main.wait("th1", done=not ours)
    if not ours:
        main.call("NtClose", '{"handle":"th1"}').exit()
    return [main, wedge_worker(ours, tids[1], ns + 300)]


def starve(ours, tids, ns):
    main = Thread(tids[0], ns).call("NtCreateSemaphore", '{"initial":0}').handle("semw", 2)
    main.call("NtCreateEvent", '{"event_type":1}').handle("evgo", 1)
    workers = []
    for k, tid in enumerate(tids[1:3]):
        main.create(tid)
    if ours:
        main.wait("evgo", done=False)  # main wedges before releasing anyone
    else:
        main.call("NtReleaseSemaphore", '{"handle":"semw","count":2}').exit()
    for k, tid in enumerate(tids[1:3]):
        w = Thread(tid, ns + 100 * k).call("KeTlsSetValue", '{"slot":2,"value":%d}' % k)
        w.wait("semw", done=not ours)
        if not ours:
            w.call("NtWriteFile", '{"n":%d}' % k).exit()
        workers.append(w)
    return [main] + workers


def loops(ours, tids, ns):
    w = Thread(tids[1], ns).call("KeTlsSetValue", '{"slot":3}')
    for i in range(2 if ours else 12):
        w.call("RtlEnterCriticalSection", '{"cs":"0x828f1000"}').call("RtlLeaveCriticalSection", '{"cs":"0x828f1000"}')
    w.call("NtReleaseSemaphore" if ours else "NtSetEvent", '{"handle":"evloop"}')
    return [w.exit()]


def long(ours, tids, ns):
    t = Thread(tids[0], ns)
    for i in range(20):
        t.call("KeQueryPerformanceCounter", '{"i":%d}' % i)
    for i in range(20):  # 40 events that differ
        t.call("NtQueryFullAttributesFile" if ours else "NtReadFile", '{"n":%d}' % i)
    for i in range(20):
        t.call("KeQueryPerformanceFrequency", '{"i":%d}' % i)
    return [t]


for name, build in (("inserted", inserted), ("wedge", wedge), ("join", join), ("starve", starve),
                    ("loops", loops), ("long", long)):
    both(name, build)
