#!/usr/bin/env python3
"""Fire traces with very many distinct call sites, for the memory bound of `diff_events fires`.

Canary gets one hook record per LR (NtSetEvent / NtReleaseSemaphore from a few threads, a
handle each); ours gets probe records for most of them: most LRs fire alike, some never fire in
ours (missing), some fire less (under-firing), and some only in ours (extra). Deterministic for a
seed. 1 M LRs make about 170 MB (canary 118 MB, ours 51 MB):

    python3 bench/gen_fires_keys.py --lrs 1000000 --canary c.jsonl --ours o.jsonl
"""
import argparse
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lrs", type=int, default=1_000_000, help="distinct LRs in canary")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--canary", required=True)
    ap.add_argument("--ours", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    set_pc, release_pc = "0x8284dddc", "0x8284e49c"
    with open(a.canary, "w") as canary, open(a.ours, "w") as ours:
        ns = 1_000_000_000
        for i in range(a.lrs):
            lr = 0x82000000 + 4 * i
            release = i % 5 < 2
            op, fn, pc = ("release", "NtReleaseSemaphore", release_pc) if release else \
                ("set", "NtSetEvent", set_pc)
            fires = 12 if i % 50 == 0 else 1  # every 50th site can under-fire (>= 10 fires)
            for _ in range(fires):
                ns += rng.randrange(50, 500)
                canary.write('{"op":"%s","fn":"%s","handle":%d,"lr":%d,"tid":%d,"host_ns":%d}\n'
                             % (op, fn, 4096 + i % 4000, lr, 5 + i % 64, ns))
            roll = rng.randrange(100)
            if roll < 10:
                continue  # missing: never fires in ours
            ours_fires = fires // 4 if roll < 20 else fires
            if roll >= 97:
                lr = 0x90000000 + 4 * i  # extra: ours fires a site canary never does
            for _ in range(max(ours_fires, 1)):
                ours.write('{"pc":"%s","tid":%d,"lr":"0x%08x"}\n' % (pc, 13 + i % 48, lr))

if __name__ == "__main__":
    main()
