import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { RELATIVE_TIME_JS } from './assets.js';
import { relative, timeTag } from './format.js';

const RENDERED = Date.UTC(2026, 0, 1, 12, 0, 0);

interface FakeTime {
  readonly datetime: string;
  textContent: string;
}

/**
 * Runs the page script as a browser would, in a sandbox: a body carrying the server's render time, the
 * given `<time data-relative>` elements, a browser clock we move by hand and a captured `setInterval`.
 */
function load(elements: FakeTime[], browserNow: number) {
  let clock = browserNow;
  let tick: (() => void) | undefined;
  let every: number | undefined;
  const selectors: string[] = [];
  const NativeDate = Date;
  const sandbox = {
    Date: Object.assign(
      function FakeDate() {
        throw new Error('the script only uses Date.now and Date.parse');
      },
      { now: () => clock, parse: (text: string) => NativeDate.parse(text) },
    ),
    document: {
      body: { getAttribute: (name: string) => (name === 'data-now' ? String(RENDERED) : null) },
      querySelectorAll: (selector: string) => {
        selectors.push(selector);
        return elements.map((el) => ({
          getAttribute: (name: string) => (name === 'datetime' ? el.datetime : null),
          set textContent(text: string) {
            el.textContent = text;
          },
        }));
      },
    },
    window: {
      setInterval: (fn: () => void, ms: number) => {
        tick = fn;
        every = ms;
      },
    },
  };
  runInNewContext(RELATIVE_TIME_JS, sandbox);
  return {
    every,
    selectors,
    advance(ms: number): void {
      clock += ms;
      assert.ok(tick, 'the script set an interval');
      tick();
    },
  };
}

const element = (at: number): FakeTime => ({ datetime: new Date(at).toISOString(), textContent: '' });

describe('relative times', () => {
  it('render as <time datetime data-relative> with the text already in the HTML (no JavaScript needed)', () => {
    const at = RENDERED - 3 * 60_000 - 5_000;
    assert.equal(
      timeTag(at, RENDERED).toString(),
      '<time datetime="2026-01-01T11:56:55.000Z" title="2026-01-01 11:56:55Z" data-relative>3 min 5 s ago</time>',
    );
    assert.equal(timeTag(null, RENDERED).toString(), '<span class="muted">–</span>');
  });

  it('the page script re-renders them every 30 s with the same rules as the server', () => {
    // Deltas across every branch of duration(): ms, seconds with and without a decimal, minutes, hours, days.
    const deltas = [
      0,
      400,
      999,
      1000,
      1500,
      9_949,
      9_950,
      10_000,
      59_499,
      59_500,
      60_000,
      61_500,
      3_599_499,
      3_600_000,
      7_260_000,
      47 * 3_600_000 + 59 * 60_000,
      48 * 3_600_000,
      9 * 86_400_000 + 5 * 3_600_000,
    ];
    const targets = deltas.flatMap((d) => [RENDERED + 30_000 - d, RENDERED + 30_000 + d]);
    const elements = targets.map(element);
    const page = load(elements, RENDERED);
    assert.equal(page.every, 30_000);
    assert.deepEqual(
      elements.map((e) => e.textContent),
      targets.map(() => ''),
      'nothing changes at load',
    );
    page.advance(30_000);
    assert.deepEqual(
      elements.map((e) => e.textContent),
      targets.map((at) => relative(at, RENDERED + 30_000)),
    );
    assert.deepEqual(page.selectors, ['time[data-relative][datetime]']);
  });

  it('counts from the server render time, so a browser clock that is off does not shift the texts', () => {
    const started = element(RENDERED - 2 * 60_000);
    const next = element(RENDERED + 45_000);
    // The browser's clock is 7 minutes and 13 seconds behind the server's.
    const page = load([started, next], RENDERED - 433_000);
    page.advance(30_000);
    assert.equal(started.textContent, '2 min 30 s ago');
    assert.equal(next.textContent, 'in 15 s');
    page.advance(30_000);
    assert.equal(started.textContent, '3 min 0 s ago');
    assert.equal(next.textContent, '15 s ago');
  });

  it('leaves an element with an unreadable datetime alone', () => {
    const broken: FakeTime = { datetime: 'not a time', textContent: 'as rendered' };
    load([broken], RENDERED).advance(30_000);
    assert.equal(broken.textContent, 'as rendered');
  });
});
