#!/usr/bin/env python3
"""Checks the DOM chromium dumped after the HTML report's script ran against the JSON report of
the same run: one lane per thread and side, the divergence markers of every pair, an end marker
per lane with the lifetime's end state, and no script error.
With --details, the page was opened at #mark-PAIR-0 and must show that marker's details.
Usage: check_dom.py REPORT.json DOM.html [--forbid-id ID] [--details]"""
import json
import sys
from collections import Counter
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Dom(HTMLParser):
    """Every element as (tag, attrs, attrs of the nearest enclosing lane)."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.stack = []  # (tag, lane attrs)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lane = self.stack[-1][1] if self.stack else None
        if "lane" in a.get("class", "").split():
            lane = a
        self.elements.append((tag, a, lane))
        if tag not in VOID:
            self.stack.append((tag, lane))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def main():
    report_path, dom_path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    forbid = args[args.index("--forbid-id") + 1] if "--forbid-id" in args else None
    want_details = "--details" in args
    report = json.load(open(report_path, encoding="utf-8"))
    dom = Dom()
    dom.feed(open(dom_path, encoding="utf-8", errors="replace").read())
    problems = []

    def classes(a):
        return a.get("class", "").split()

    body = [a for t, a, _ in dom.elements if t == "body"]
    if not body or body[0].get("data-rendered") != "ok":
        state = body[0].get("data-rendered") if body else None
        problems.append("body data-rendered is %r, not 'ok'" % state)
    for t, a, _ in dom.elements:
        if a.get("id") == "js-error":
            problems.append("script error marker present")
        if forbid and a.get("id") == forbid:
            problems.append("input text became markup: element #%s exists" % forbid)

    if want_details:
        shown = [a for t, a, _ in dom.elements if a.get("id") == "details"]
        if not shown or "empty" in classes(shown[0]):
            problems.append("the linked marker's details are not shown")
        if not any(a.get("class", "").find("selected") >= 0 for _, a, _ in dom.elements):
            problems.append("no marker is selected")

    want_lanes = Counter()
    want_end = {}
    want_marks = Counter()
    for p in report["pairs"]:
        pid = "%d-%d" % (p["canary_tid"], p["ours_tid"])
        for side in ("canary", "ours"):
            want_lanes[("pair", pid, side)] += 1
            want_end[("pair", pid, side)] = p["lifetime"][side]["end"]["state"]
        marks = len(p["hunks"]) if p["hunks"] else (1 if p["divergence"] else 0)
        want_marks[pid] = 2 * marks  # drawn on both lanes
    for u in report["unpaired"]:
        key = ("thread", "%s-%d" % (u["side"], u["tid"]), u["side"])
        want_lanes[key] += 1
        want_end[key] = u["lifetime"]["end"]["state"]

    def lane_key(a):
        if "data-pair" in a:
            return ("pair", a["data-pair"], a.get("data-side"))
        return ("thread", a.get("data-thread"), a.get("data-side"))

    got_lanes = Counter(lane_key(a) for _, a, _ in dom.elements if "lane" in classes(a))
    if got_lanes != want_lanes:
        problems.append("lanes differ: missing %s, extra %s" %
                        (dict(want_lanes - got_lanes), dict(got_lanes - want_lanes)))
    got_marks = Counter(a.get("data-pair") for _, a, _ in dom.elements
                        if "divergence" in classes(a) and "data-pair" in a)
    for pid in set(want_marks) | set(got_marks):
        if want_marks[pid] != got_marks[pid]:
            problems.append("pair %s: %d divergence markers, want %d" %
                            (pid, got_marks[pid], want_marks[pid]))
    got_end = {}
    for _, a, lane in dom.elements:
        if "data-end" not in a:
            continue
        if lane is None:
            problems.append("end marker outside a lane")
            continue
        key = lane_key(lane)
        if key in got_end:
            problems.append("lane %s has two end markers" % (key,))
        got_end[key] = a["data-end"]
    if got_end != want_end:
        problems.append("end markers differ: %s" %
                        {k: (got_end.get(k), want_end.get(k)) for k in set(got_end) | set(want_end)
                         if got_end.get(k) != want_end.get(k)})
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("ok: %d lanes, %d divergence markers, %d end markers" %
              (sum(got_lanes.values()), sum(got_marks.values()), len(got_end)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
