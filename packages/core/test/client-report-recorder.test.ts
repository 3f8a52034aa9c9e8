import { describe, expect, it } from 'vitest';
import { ClientReportRecorder, clientReportItem } from '../src/client-report-recorder';
import { serializeEnvelope } from '../src/envelope';

describe('ClientReportRecorder', () => {
  it('returns undefined when nothing was recorded', () => {
    const recorder = new ClientReportRecorder();
    expect(recorder.size).toBe(0);
    expect(recorder.take()).toBeUndefined();
  });

  it('aggregates quantities per (reason, category)', () => {
    const recorder = new ClientReportRecorder();
    recorder.record('ratelimit_backoff', 'error');
    recorder.record('ratelimit_backoff', 'error', 2);
    recorder.record('ratelimit_backoff', 'transaction');
    recorder.record('sample_rate', 'error', 4);
    recorder.record('ratelimit_backoff', 'span', 5);
    expect(recorder.size).toBe(4);
    const report = recorder.take(1_700_000_000_500);
    expect(report).toEqual({
      timestamp: 1_700_000_000.5,
      discarded_events: [
        { reason: 'ratelimit_backoff', category: 'error', quantity: 3 },
        { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
        { reason: 'sample_rate', category: 'error', quantity: 4 },
        { reason: 'ratelimit_backoff', category: 'span', quantity: 5 },
      ],
    });
  });

  it('clears what it returned', () => {
    const recorder = new ClientReportRecorder();
    recorder.record('queue_overflow', 'error');
    expect(recorder.take()?.discarded_events).toHaveLength(1);
    expect(recorder.size).toBe(0);
    expect(recorder.take()).toBeUndefined();
    recorder.record('queue_overflow', 'error');
    expect(recorder.take()?.discarded_events).toEqual([
      { reason: 'queue_overflow', category: 'error', quantity: 1 },
    ]);
  });

  it('ignores zero, negative and non-finite quantities', () => {
    const recorder = new ClientReportRecorder();
    recorder.record('send_error', 'error', 0);
    recorder.record('send_error', 'error', -3);
    recorder.record('send_error', 'error', Number.NaN);
    expect(recorder.take()).toBeUndefined();
  });

  it('stamps the report in seconds from the wall clock by default', () => {
    const recorder = new ClientReportRecorder();
    recorder.record('before_send', 'error');
    const before = Date.now() / 1000;
    const report = recorder.take();
    const after = Date.now() / 1000;
    expect(report?.timestamp).toBeGreaterThanOrEqual(before);
    expect(report?.timestamp).toBeLessThanOrEqual(after);
  });
});

describe('clientReportItem', () => {
  it('wraps the report as a client_report envelope item', () => {
    const report = {
      timestamp: 1_700_000_000,
      discarded_events: [{ reason: 'network_error' as const, category: 'error' as const, quantity: 2 }],
    };
    const item = clientReportItem(report);
    expect(item).toEqual({ headers: { type: 'client_report' }, payload: report });
    const wire = serializeEnvelope({ headers: {}, items: [item] });
    expect(wire).toBe(
      `{}\n{"type":"client_report","length":${JSON.stringify(report).length}}\n${JSON.stringify(report)}`,
    );
  });
});
