import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the CI scripts are plain JavaScript.
import { failureReason } from '../../scripts/failure-reason.mjs';

function thrownBy(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('the CI summary of a failed test', () => {
  it("keeps a failed property's seed and counterexample and drops the stack and the hint", () => {
    const error = thrownBy(() =>
      fc.assert(
        fc.property(fc.integer(), (n) => n < 50),
        { seed: 42 },
      ),
    );
    const reason: string[] = failureReason(error.stack);
    expect(reason[0]).toMatch(/^Error: Property failed after \d+ tests$/);
    expect(reason.some((line) => line.startsWith('{ seed: 42, path: "'))).toBe(true);
    expect(reason).toContain('Counterexample: [50]');
    expect(reason.join('\n')).not.toMatch(/\n\s+at |Hint:/);
  });

  it("keeps an assertion's message and at most 8 lines of 400 characters of a longer one", () => {
    const assertion = thrownBy(() => expect({ a: 1 }).toEqual({ a: 2 }));
    expect(failureReason(assertion.stack)).toEqual([
      'AssertionError: expected { a: 1 } to deeply equal { a: 2 }',
    ]);

    const long = [
      'Error: many lines',
      'x'.repeat(1000),
      ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
    ];
    expect(failureReason(`${long.join('\n')}\n    at somewhere (file.ts:1:1)`)).toEqual([
      'Error: many lines',
      'x'.repeat(400),
      ...Array.from({ length: 6 }, (_, i) => `line ${i}`),
    ]);
  });

  it('is empty for a failure without a message', () => {
    expect(failureReason(undefined)).toEqual([]);
  });
});
