import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareSpans, sortSpans, overlaps, findSpan, spansAt, layoutSpans,
} from '../../frontend/static/frontend/js/lib/spans.js';

const deepFreeze = (o) => {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
};

test('overlaps: shared code points only; touching spans do not overlap', () => {
  assert.equal(overlaps({ start: 0, end: 5 }, { start: 4, end: 8 }), true);
  assert.equal(overlaps({ start: 0, end: 5 }, { start: 5, end: 8 }), false);
  assert.equal(overlaps({ start: 2, end: 3 }, { start: 0, end: 10 }), true);
  assert.equal(overlaps({ start: 6, end: 8 }, { start: 0, end: 5 }), false);
});

test('sortSpans orders by start, longer first, then label, without mutating', () => {
  const spans = deepFreeze([
    { start: 5, end: 7, label: 'PER', id: 'a' },
    { start: 0, end: 3, label: 'PER', id: 'b' },
    { start: 0, end: 9, label: 'ORG', id: 'c' },
    { start: 0, end: 3, label: 'GPE', id: 'd' },
  ]);
  assert.deepEqual(sortSpans(spans).map((s) => s.id), ['c', 'd', 'b', 'a']);
  assert.equal(compareSpans(spans[0], spans[0]), 0);
});

test('findSpan matches offsets and, when given, the label', () => {
  const spans = [{ start: 0, end: 3, label: 'GPE' }, { start: 0, end: 3, label: 'ORG' }];
  assert.equal(findSpan(spans, 0, 3), 0);
  assert.equal(findSpan(spans, 0, 3, 'ORG'), 1);
  assert.equal(findSpan(spans, 0, 3, 'PER'), -1);
  assert.equal(findSpan(spans, 0, 4), -1);
  assert.deepEqual(spansAt(spans, 2), [0, 1]);
  assert.deepEqual(spansAt(spans, 3), []);
});

test('layout of nested spans: the outer span takes lane 0, segments cut at every edge', () => {
  // "the Russia–North Korea pact": ORG-ish outer 0..22, GPE 0..6 inner, GPE 7..18 inner
  const spans = deepFreeze([
    { start: 7, end: 18, label: 'GPE', id: 'nk' },
    { start: 0, end: 22, label: 'MISC', id: 'outer' },
    { start: 0, end: 6, label: 'GPE', id: 'ru' },
  ]);
  const { segments, lanes, depth } = layoutSpans(27, spans);
  assert.equal(depth, 2);
  assert.equal(lanes.get('outer'), 0);
  assert.equal(lanes.get('ru'), 1);
  assert.equal(lanes.get('nk'), 1);
  assert.deepEqual(segments.map((s) => [s.start, s.end, s.ids]), [
    [0, 6, ['outer', 'ru']],
    [6, 7, ['outer']],
    [7, 18, ['outer', 'nk']],
    [18, 22, ['outer']],
    [22, 27, []],
  ]);
  assert.deepEqual(segments[0].starts, ['outer', 'ru']);
  assert.deepEqual(segments[0].ends, ['ru']);
  assert.deepEqual(segments[3].ends, ['outer']);
});

test('layout of adjacent spans: one lane, a cut where they touch', () => {
  const { segments, lanes, depth } = layoutSpans(10, [
    { start: 0, end: 5, label: 'PER', id: 1 },
    { start: 5, end: 10, label: 'PER', id: 2 },
  ]);
  assert.equal(depth, 1);
  assert.equal(lanes.get(1), 0);
  assert.equal(lanes.get(2), 0);
  assert.deepEqual(segments.map((s) => [s.start, s.end, s.ids, s.starts, s.ends]), [
    [0, 5, [1], [1], [1]],
    [5, 10, [2], [2], [2]],
  ]);
});

test('layout of crossing spans and identical spans with two labels', () => {
  const { segments, lanes, depth } = layoutSpans(8, [
    { start: 0, end: 5, label: 'A', id: 'x' },
    { start: 3, end: 8, label: 'B', id: 'y' },
    { start: 3, end: 8, label: 'C', id: 'z' },
  ]);
  assert.equal(depth, 3);
  assert.deepEqual([lanes.get('x'), lanes.get('y'), lanes.get('z')], [0, 1, 2]);
  assert.deepEqual(segments.map((s) => s.ids), [['x'], ['x', 'y', 'z'], ['y', 'z']]);
});

test('layout reuses a freed lane and keeps depth minimal', () => {
  const { lanes, depth } = layoutSpans(20, [
    { start: 0, end: 10, id: 'a' },
    { start: 2, end: 4, id: 'b' },
    { start: 6, end: 8, id: 'c' },
    { start: 12, end: 14, id: 'd' },
  ]);
  assert.equal(depth, 2);
  assert.deepEqual(['a', 'b', 'c', 'd'].map((id) => lanes.get(id)), [0, 1, 1, 0]);
});

test('layout clamps out-of-range spans, drops empty ones, defaults ids to indices', () => {
  const { segments, lanes } = layoutSpans(5, [{ start: 3, end: 9 }, { start: 2, end: 2 }]);
  assert.deepEqual(segments.map((s) => [s.start, s.end, s.ids]), [[0, 3, []], [3, 5, [0]]]);
  assert.equal(lanes.has(1), false);
  assert.deepEqual(layoutSpans(0, []), { segments: [], lanes: new Map(), depth: 0 });
});

test('layout of 60 random spans: each segment lists exactly the spans covering it, no lane shared by overlapping spans', () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const spans = [];
  for (let i = 0; i < 60; i++) {
    const start = Math.floor(rand() * 190);
    spans.push({ start, end: start + 1 + Math.floor(rand() * 12), id: `s${i}` });
  }
  const { segments, lanes } = layoutSpans(200, spans);
  for (const seg of segments) {
    const want = spans.filter((s) => s.start <= seg.start && seg.end <= s.end).map((s) => s.id).sort();
    assert.deepEqual([...seg.ids].sort(), want);
    for (const s of spans) assert.ok(!(s.start < seg.end && seg.start < s.end) || seg.ids.includes(s.id));
  }
  for (const a of spans) {
    for (const b of spans) {
      if (a !== b && overlaps(a, b)) assert.notEqual(lanes.get(a.id), lanes.get(b.id));
    }
  }
});
