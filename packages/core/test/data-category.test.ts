import { describe, expect, it } from 'vitest';
import { dataCategoryForItemType } from '../src/data-category';

describe('dataCategoryForItemType', () => {
  it.each([
    ['event', 'error'],
    ['transaction', 'transaction'],
    ['attachment', 'attachment'],
    ['session', 'session'],
    ['sessions', 'session'],
    ['client_report', 'internal'],
    ['user_report', 'default'],
    ['feedback', 'feedback'],
    ['profile', 'profile'],
    ['profile_chunk', 'profile_chunk'],
    ['replay_event', 'replay'],
    ['replay_recording', 'replay'],
    ['check_in', 'monitor'],
    ['span', 'span'],
    ['log', 'log_item'],
    ['trace_metric', 'trace_metric'],
    ['raw_security', 'security'],
    ['security', 'security'],
    ['statsd', 'metric_bucket'],
    ['metric_buckets', 'metric_bucket'],
  ])('%s → %s', (type, category) => {
    expect(dataCategoryForItemType(type)).toBe(category);
  });

  it('maps unknown item types to unknown, including Object.prototype keys', () => {
    expect(dataCategoryForItemType('brand_new_type')).toBe('unknown');
    expect(dataCategoryForItemType('')).toBe('unknown');
    expect(dataCategoryForItemType('constructor')).toBe('unknown');
    expect(dataCategoryForItemType('__proto__')).toBe('unknown');
  });

  it('is case-sensitive like Relay', () => {
    expect(dataCategoryForItemType('Event')).toBe('unknown');
  });
});
