import { describe, expect, it } from 'vitest';
import { unhandledRejectionsMode } from '../src/integrations/unhandled-rejections-mode';

describe('unhandledRejectionsMode', () => {
  it("defaults to Node's `throw`", () => {
    expect(unhandledRejectionsMode([], undefined)).toBe('throw');
    expect(unhandledRejectionsMode(['--unhandled-rejections=bogus'], '')).toBe('throw');
  });

  it('reads both flag forms, the last one winning', () => {
    expect(unhandledRejectionsMode(['--unhandled-rejections=warn'], undefined)).toBe('warn');
    expect(unhandledRejectionsMode(['--unhandled-rejections', 'none'], undefined)).toBe('none');
    expect(
      unhandledRejectionsMode(['--unhandled-rejections=warn', '--unhandled-rejections=strict'], undefined),
    ).toBe('strict');
  });

  it('falls back to NODE_OPTIONS; the command line wins over it', () => {
    expect(
      unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=warn-with-error-code'),
    ).toBe('warn-with-error-code');
    expect(unhandledRejectionsMode(['--unhandled-rejections=none'], '--unhandled-rejections=strict')).toBe(
      'none',
    );
  });
});
