import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '../../logging.ts';
import { createPublicationGuard } from './publication-guard.ts';

describe('the audit publication guard (R-AUDIT-3)', () => {
  const at = (iso: string) => new Date(iso);

  test('accepts records while no head waits, or while the oldest has waited no longer than the bound', () => {
    let now = at('2026-12-06T10:00:10Z');
    const guard = createPublicationGuard({ maxLagSeconds: 10, clock: { now: () => now } });
    guard.check();
    guard.observe(at('2026-12-06T10:00:00Z'));
    assert.equal(guard.lagSeconds(), 10);
    guard.check();
    now = at('2026-12-06T10:00:10.5Z');
    assert.throws(() => guard.check(), (e: { code: string; status: number; headers: Record<string, string> }) => e.code === 'AUDIT_UNAVAILABLE' && e.status === 503 && e.headers['retry-after'] === '5');
  });

  test('refuses from the moment the bound passes, even between sealing passes, and accepts again once the heads are published', () => {
    let now = at('2026-12-06T10:00:00Z');
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const guard = createPublicationGuard({ maxLagSeconds: 2, clock: { now: () => now }, logger });
    guard.observe(at('2026-12-06T10:00:00Z'));
    now = at('2026-12-06T10:00:03Z');
    assert.throws(() => guard.check(), { code: 'AUDIT_UNAVAILABLE' });
    assert.throws(() => guard.check(), { code: 'AUDIT_UNAVAILABLE' });
    assert.equal(lines.length, 1, 'one alert line, not one per refused request');
    assert.match(lines[0]!, /"level":50.*audit: signed tree heads have not been published in time/);
    guard.observe(null);
    guard.check();
    assert.equal(guard.lagSeconds(), 0);
    assert.match(lines[1]!, /"level":30.*audit: signed tree heads are published again/);
  });

  test('tells each change of state once, for the alerts: late at half the bound, refusing past it, published when heads leave in time again', () => {
    let now = at('2026-12-06T10:00:00Z');
    const told: string[] = [];
    const guard = createPublicationGuard({ maxLagSeconds: 10, clock: { now: () => now }, onStateChange: (state, f) => told.push(`${state} ${f.lagSeconds}/${f.maxLagSeconds}`) });
    guard.observe(at('2026-12-06T10:00:00Z'));
    now = at('2026-12-06T10:00:05Z');
    guard.observe(at('2026-12-06T10:00:00Z'));
    assert.deepEqual(told, [], 'half the bound is not yet late');
    now = at('2026-12-06T10:00:06Z');
    guard.observe(at('2026-12-06T10:00:00Z'));
    guard.check();
    guard.observe(at('2026-12-06T10:00:00Z'));
    assert.deepEqual(told, ['late 6/10']);
    now = at('2026-12-06T10:00:11Z');
    assert.throws(() => guard.check(), { code: 'AUDIT_UNAVAILABLE' });
    assert.throws(() => guard.check(), { code: 'AUDIT_UNAVAILABLE' });
    guard.observe(at('2026-12-06T10:00:00Z'));
    assert.deepEqual(told, ['late 6/10', 'refusing 11/10'], 'refusing is told once, not per refused request');
    guard.observe(null);
    guard.check();
    assert.deepEqual(told, ['late 6/10', 'refusing 11/10', 'published 0/10']);
  });
});
