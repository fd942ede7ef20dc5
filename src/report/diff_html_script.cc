// The HTML report's inline script: draws the swimlanes from the embedded JSON (#diff-data).
// Each lane is drawn from its density bins, one path per lane, never an element per event.
// A script error is written into the page (#js-error), so a test sees it in the DOM.
#include "diff_html_parts.h"

namespace de {

const char* const kHtmlScript = R"JS(
(function () {
  'use strict';
  function fail(message) {
    var box = document.getElementById('js-error');
    if (!box) {
      box = document.createElement('div');
      box.id = 'js-error';
      box.className = 'js-error';
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent += 'script error: ' + message + '\n';
    document.body.setAttribute('data-rendered', 'error');
  }
  window.addEventListener('error', function (e) { fail(e.message); });

  var SVG = 'http://www.w3.org/2000/svg';
  var LABEL = 150, END = 56, LANE_H = 22, AXIS_H = 34;
  var data = JSON.parse(document.getElementById('diff-data').textContent);
  var chart = document.getElementById('chart');
  var tip = document.getElementById('tip');
  var details = document.getElementById('details');

  function node(ns, tag, attrs, parent, text) {
    var e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, attrs, parent, text) { return node(null, tag, attrs, parent, text); }
  function svg(tag, attrs, parent, text) { return node(SVG, tag, attrs, parent, text); }

  // Every lane: each pair's canary and ours lane, then each unpaired thread's single lane.
  function allLanes() {
    var out = [];
    data.pairs.forEach(function (p) {
      out.push({ pair: p, side: 'canary', tid: p.c, lane: p.canary });
      out.push({ pair: p, side: 'ours', tid: p.o, lane: p.ours });
    });
    data.unpaired.forEach(function (u) {
      out.push({ unpaired: u, side: u.side, tid: u.tid, lane: u.lane });
    });
    return out;
  }

  // Where a lane's n-th event happened: the bin holding it, interpolated within the bin.
  function timeOf(lane, pos) {
    if (pos <= 0) return lane.t0;
    if (pos >= lane.n) return lane.t1;
    var seen = 0;
    for (var i = 0; i < lane.bins.length; i++) {
      var c = lane.bins[i];
      if (seen + c > pos) return Math.min(lane.t1, lane.t0 + (i + (pos - seen) / c) * lane.w);
      seen += c;
    }
    return lane.t1;
  }

  function ms(ns) {
    var v = ns / 1e6;
    return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
  }

  // The common scale: each lane starts at its thread's first event (or, in absolute mode, at
  // its engine's first event); one ns is the same width on every lane.
  function makeScale(lanes, absolute, width) {
    var span = 1;
    lanes.forEach(function (l) {
      span = Math.max(span, absolute ? l.lane.t1 : l.lane.t1 - l.lane.t0);
    });
    var k = width / span;
    return {
      span: span, width: width, absolute: absolute,
      x: function (lane, t) { return (t - (absolute ? 0 : lane.t0)) * k; },
      t: function (lane, x) { return x / k + (absolute ? 0 : lane.t0); }
    };
  }

  function niceStep(range) {
    var raw = range / 8, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  }

  function drawAxis(scale) {
    var row = html('div', { class: 'axis' }, chart);
    var s = svg('svg', { width: LABEL + scale.width + END, height: AXIS_H }, row);
    var stepMs = niceStep(scale.span / 1e6), digits = Math.max(0, -Math.floor(Math.log10(stepMs)));
    for (var i = 0; i * stepMs * 1e6 <= scale.span * 1.0001; i++) {
      var t = i * stepMs * 1e6, x = LABEL + t * scale.width / scale.span;
      svg('line', { x1: x, x2: x, y1: AXIS_H - 6, y2: AXIS_H, stroke: '#a0aec0' }, s);
      svg('text', { x: x, y: AXIS_H - 9, 'text-anchor': i ? 'middle' : 'start' }, s,
        (i * stepMs).toFixed(digits) + (i ? '' : ' ms'));
    }
    svg('text', { x: 8, y: 13, class: 'title' }, s, scale.absolute
      ? 'ms since each engine\u2019s first event (canary and ours on their own clocks)'
      : 'ms since each thread\u2019s first event (canary and ours on their own clocks)');
  }

  // Density per pixel column: the bins are spread over the columns they cover.
  function columns(lane, scale) {
    var cols = new Float64Array(Math.ceil(scale.width) + 2);
    lane.bins.forEach(function (c, i) {
      if (!c) return;
      var ta = lane.t0 + i * lane.w, tb = Math.min(lane.t1, ta + lane.w);
      var xa = Math.max(0, scale.x(lane, ta)), xb = Math.max(xa, scale.x(lane, tb));
      var last = cols.length - 1;
      if (xb - xa < 1e-9) { cols[Math.min(last, Math.floor(xa))] += c; return; }
      for (var x = Math.floor(xa); x < xb && x <= last; x++) {
        cols[x] += c * (Math.min(xb, x + 1) - Math.max(xa, x)) / (xb - xa);
      }
    });
    return cols;
  }

  function densityPath(cols, max) {
    var d = '';
    for (var x = 0; x < cols.length; x++) {
      if (!cols[x]) continue;
      var h = Math.max(1.5, (LANE_H - 6) * cols[x] / max);
      d += 'M' + x + ' ' + (LANE_H - 3 - h).toFixed(1) + 'h1V' + (LANE_H - 3) + 'h-1Z';
    }
    return d;
  }

  function showTip(e, text) {
    tip.hidden = false;
    tip.textContent = text;
    var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = x + 'px';
    tip.style.top = (e.clientY + 16) + 'px';
  }
  function hideTip() { tip.hidden = true; }

  function laneName(l) { return l.side + ' tid ' + l.tid; }

  function drawEnd(s, l, scale) {
    var x = scale.x(l.lane, l.lane.t1), y = LANE_H / 2, end = l.lane.end, shape;
    if (end === 'exited') {
      shape = svg('circle', { cx: x + 5, cy: y, r: 5 }, s);
    } else if (end === 'blocked') {
      shape = svg('rect', { x: x + 1, y: y - 5, width: 9, height: 10 }, s);
    } else {
      shape = svg('rect', { x: x + 1, y: 2, width: 3, height: LANE_H - 4 }, s);
    }
    shape.setAttribute('class', 'end');
    shape.setAttribute('data-end', end);
    svg('text', { x: x + 13, y: y + 4, class: 'end-label' }, s, end);
    var last = l.lane.lastIdx === null ? '' : ' (last idx ' + l.lane.lastIdx + ')';
    shape.addEventListener('mousemove', function (e) {
      e.stopPropagation();
      showTip(e, laneName(l) + ': ' + l.lane.endText + last + ' at ' + ms(l.lane.t1) + ' ms');
    });
  }

  function drawMarks(s, l, scale, id) {
    l.pair.marks.forEach(function (m, i) {
      var canary = l.side === 'canary';
      var pos = canary ? m.cPos : m.oPos, count = canary ? m.cCount : m.oCount;
      var x0 = scale.x(l.lane, timeOf(l.lane, pos));
      var x1 = scale.x(l.lane, timeOf(l.lane, pos + count));
      var w = Math.max(3, x1 - x0);
      var r = svg('rect', { x: x0 - (x1 - x0 < 3 ? 1.5 : 0), y: 1, width: w, height: LANE_H - 2,
        class: 'divergence ' + (m.first ? 'first ' : 'hunk ') + m.cls,
        'data-pair': id, 'data-side': l.side, 'data-mark': i }, s);
      var events = canary ? m.canary : m.ours;
      r.addEventListener('mousemove', function (e) {
        e.stopPropagation();
        showTip(e, (m.first ? 'first divergence: ' + m.first.summary + '\n' : '') + m.title +
          '\n' + laneName(l) + ': ' + (events.length ? events[0] : '(no event on this side)') +
          '\nclick for details');
      });
      r.addEventListener('click', function () { showDetails(l.pair, i); });
    });
  }

  function laneTip(e, l, scale, s) {
    var x = e.clientX - s.getBoundingClientRect().left;
    var t = scale.t(l.lane, x), lane = l.lane;
    if (t < lane.t0 || t > lane.t1 + lane.w) { hideTip(); return; }
    var bin = Math.floor((t - lane.t0) / lane.w), count = lane.bins[bin] || 0, before = 0;
    for (var i = 0; i < bin && i < lane.bins.length; i++) before += lane.bins[i];
    showTip(e, laneName(l) + ' at ' + ms(t) + ' ms: ' + count + ' events in ' +
      ms(lane.t0 + bin * lane.w) + '\u2013' + ms(lane.t0 + (bin + 1) * lane.w) + ' ms' +
      (count ? ' (events #' + before + '\u2013#' + (before + count - 1) + ')' : '') +
      '\n' + lane.n + ' events in all, ' + lane.endText);
  }

  function drawLane(group, l, scale, max) {
    var id = l.pair ? l.pair.id : l.unpaired.id;
    var attrs = { class: 'lane', 'data-side': l.side };
    attrs[l.pair ? 'data-pair' : 'data-thread'] = id;
    var row = html('div', attrs, group);
    var label = html('div', { class: 'lane-label', style: 'width:' + LABEL + 'px' }, row);
    html('span', { class: 'side' }, label, l.side);
    label.appendChild(document.createTextNode(' tid ' + l.tid));
    var s = svg('svg', { width: scale.width + END, height: LANE_H }, row);
    var lane = l.lane, x0 = scale.x(lane, lane.t0), x1 = scale.x(lane, lane.t1);
    svg('rect', { class: 'span', x: x0, y: 3, width: Math.max(1, x1 - x0), height: LANE_H - 6 }, s);
    if (l.pair) {
      var xm = scale.x(lane, timeOf(lane, l.pair.matched));
      if (l.pair.identical) xm = x1;
      svg('rect', { class: 'matched', x: x0, y: 3, width: Math.max(0, xm - x0),
        height: LANE_H - 6 }, s);
    }
    svg('path', { class: 'density', d: densityPath(columns(lane, scale), max) }, s);
    if (l.pair) drawMarks(s, l, scale, id);
    drawEnd(s, l, scale);
    s.addEventListener('mousemove', function (e) { laneTip(e, l, scale, s); });
    s.addEventListener('mouseleave', hideTip);
  }

  function jumpTo(id) {
    var g = document.getElementById('lane-' + id);
    if (!g) return;
    g.scrollIntoView({ block: 'center' });
    g.classList.remove('flash');
    void g.offsetWidth;
    g.classList.add('flash');
  }

  function groupHead(group, title, p) {
    var head = html('div', { class: 'group-head' }, group);
    html('span', { class: 'name' }, head, title);
    if (p && p.cause) {
      if (p.cause.role === 'root') {
        html('span', { class: 'badge root', title: p.cause.text }, head, 'root');
      } else {
        var a = html('a', { class: 'badge consequence', href: '#lane-' + (p.cause.roots[0] || ''),
          title: p.cause.text }, head, p.cause.text);
        a.addEventListener('click', function (e) { e.preventDefault(); jumpTo(p.cause.roots[0]); });
      }
      head.appendChild(document.createTextNode(' '));
    }
    var status = p ? p.status : '';
    if (p) {
      var link = html('a', { href: p.identical ? '#summary' : '#pair-' + p.id }, head, status);
      link.style.color = 'inherit';
    }
  }

  function render() {
    var absolute = document.getElementById('absolute').checked;
    chart.textContent = '';
    var width = Math.max(300, chart.clientWidth - LABEL - END - 8);
    var lanes = allLanes();
    var scale = makeScale(lanes, absolute, width);
    drawAxis(scale);
    data.pairs.forEach(function (p, i) {
      var group = html('div', { class: 'group', id: 'lane-' + p.id }, chart);
      groupHead(group, 'canary ' + p.c + ' \u2194 ours ' + p.o, p);
      var pair = [lanes[2 * i], lanes[2 * i + 1]];
      var max = 1e-9;
      var cols = pair.map(function (l) { return columns(l.lane, scale); });
      cols.forEach(function (c) { for (var x = 0; x < c.length; x++) max = Math.max(max, c[x]); });
      pair.forEach(function (l) { drawLane(group, l, scale, max); });
    });
    lanes.slice(2 * data.pairs.length).forEach(function (l) {
      var group = html('div', { class: 'group', id: 'lane-' + l.unpaired.id }, chart);
      groupHead(group, l.unpaired.text, null);
      var c = columns(l.lane, scale), max = 1e-9;
      for (var x = 0; x < c.length; x++) max = Math.max(max, c[x]);
      drawLane(group, l, scale, max);
    });
    chart.setAttribute('data-lanes', lanes.length);
  }

  function lines(parent, prefix, cls, events, more) {
    events.forEach(function (e) { html('div', { class: cls }, parent, prefix + ' ' + e); });
    if (more) html('div', { class: cls }, parent, prefix + ' \u2026 ' + more + ' more');
  }

  function raw(parent, side, text) {
    if (text === null || text === undefined) return;
    html('div', {}, parent, side + ' (raw):');
    html('pre', {}, parent, text);
  }

  function showFirst(f) {
    html('h4', {}, details, 'First divergence at event #' + f.position + ': ' + f.summary);
    if (f.contextOff) {
      html('p', {}, details, 'Context: off (--context 0).');
    } else if (!f.context.length) {
      html('p', {}, details,
        'No matching events before it: it diverges at the pair\u2019s first event.');
    } else {
      var t = html('table', {}, details);
      html('caption', {}, t, 'Last ' + f.context.length + ' matching events before it');
      var hr = html('tr', {}, html('thead', {}, t));
      html('th', {}, hr, 'canary'); html('th', {}, hr, 'ours');
      var body = html('tbody', {}, t);
      f.context.forEach(function (m) {
        var tr = html('tr', {}, body);
        html('td', { class: 'mono' }, tr, m[0]); html('td', { class: 'mono' }, tr, m[1]);
      });
    }
    var pre = html('pre', {}, details);
    pre.textContent = 'divergent  canary: ' + (f.canary || '<end of stream>') + '\n' +
      '           ours:   ' + (f.ours || '<end of stream>') + '\n' +
      'next       canary: ' + (f.canaryNext || '<end of stream>') + '\n' +
      '           ours:   ' + (f.oursNext || '<end of stream>');
    raw(details, 'canary', f.rawCanary);
    raw(details, 'ours', f.rawOurs);
  }

  function showDetails(p, i) {
    var m = p.marks[i];
    details.textContent = '';
    details.className = '';
    document.querySelectorAll('.divergence.selected').forEach(function (e) {
      e.classList.remove('selected');
    });
    document.querySelectorAll('.divergence[data-pair="' + p.id + '"][data-mark="' + i + '"]')
      .forEach(function (e) { e.classList.add('selected'); });
    var h = html('h3', {}, details, 'canary tid ' + p.c + ' \u2194 ours tid ' + p.o + ' \u2014 ' +
      (p.marks.length > 1 ? 'hunk ' + (i + 1) + ' of ' + p.marks.length : 'divergence'));
    h.appendChild(document.createTextNode(' '));
    html('a', { href: '#pair-' + p.id }, h, '(tables)');
    if (p.cause) html('p', {}, details, 'Cause: ' + p.cause.text + '.');
    if (m.first) showFirst(m.first);
    html('h4', {}, details, m.title);
    var diff = html('pre', {}, details);
    lines(diff, '-', 'del', m.canary, m.cMore);
    lines(diff, '+', 'ins', m.ours, m.oMore);
    if (!m.first) {
      raw(details, 'canary, first event', m.rawCanary);
      raw(details, 'ours, first event', m.rawOurs);
    }
    if (history.replaceState) history.replaceState(null, '', '#mark-' + p.id + '-' + i);
    details.scrollIntoView({ block: 'nearest' });
  }

  // #mark-CANARY-OURS-N opens the pair's N-th marker: a link to one hunk.
  function openLinkedMark() {
    var m = /^#mark-(\d+-\d+)-(\d+)$/.exec(location.hash);
    if (!m) return;
    data.pairs.forEach(function (p) {
      if (p.id === m[1] && p.marks[+m[2]]) showDetails(p, +m[2]);
    });
  }

  function legend() {
    var box = document.getElementById('legend');
    function item(draw, text) {
      var span = html('span', {}, box);
      var s = svg('svg', { width: 22, height: 14 }, span);
      draw(s);
      span.appendChild(document.createTextNode(text));
    }
    item(function (s) {
      svg('rect', { x: 0, y: 6, width: 3, height: 8, fill: '#2b6cb0' }, s);
      svg('rect', { x: 4, y: 2, width: 3, height: 12, fill: '#2b6cb0' }, s);
      svg('rect', { x: 8, y: 9, width: 3, height: 5, fill: '#b7791f' }, s);
      svg('rect', { x: 12, y: 4, width: 3, height: 10, fill: '#b7791f' }, s);
    }, 'events per pixel column (canary / ours)');
    item(function (s) { svg('rect', { x: 0, y: 2, width: 22, height: 10, fill: '#c6f6d5' }, s); },
      'matched before the first divergence');
    item(function (s) { svg('rect', { x: 8, y: 0, width: 5, height: 14, fill: '#e53e3e' }, s); },
      'divergence / hunk (hover, click)');
    item(function (s) { svg('circle', { cx: 8, cy: 7, r: 5, fill: '#2f855a' }, s); }, 'exited');
    item(function (s) { svg('rect', { x: 3, y: 2, width: 9, height: 10, fill: '#dd6b20' }, s); },
      'blocked (waits forever)');
    item(function (s) { svg('rect', { x: 6, y: 0, width: 3, height: 14, fill: '#718096' }, s); },
      'cut (log ends mid-run)');
    var b = html('span', {}, box);
    html('span', { class: 'badge root' }, b, 'root');
    b.appendChild(document.createTextNode(' root cause '));
    html('span', { class: 'badge consequence' }, b, 'consequence');
    b.appendChild(document.createTextNode(' follows from a root (click to jump)'));
  }

  try {
    legend();
    render();
    document.getElementById('absolute').addEventListener('change', render);
    var pending = 0;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(render, 150);
    });
    openLinkedMark();
    document.body.setAttribute('data-rendered', 'ok');
  } catch (err) {
    fail(err && err.stack ? err.stack : String(err));
  }
})();
)JS";

}  // namespace de
