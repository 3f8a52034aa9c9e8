/**
 * The head sampling decision for a new root span (PROTOCOL.md §4.4): explicit `sampled` >
 * `tracesSampler` > the parent's decision > `tracesSampleRate`, compared against the trace's
 * `sample_rand` so every service of a trace reaches the same decision.
 */
import type { ClientOptions } from './client-options';
import { debug } from './debug-logger';
import { validateRate } from './resolve-options';
import type { SamplingContext } from './types/options';

export interface SamplingDecision {
  sampled: boolean;
  /** The rate the decision used, for `sentry-sample_rate`; undefined for an explicit decision. */
  sampleRate?: number;
}

/** Tracing is on when a rate or a sampler is configured; otherwise spans are never recorded. */
export function hasSpansEnabled(
  options: Pick<ClientOptions, 'tracesSampleRate' | 'tracesSampler'> | undefined,
): boolean {
  return (
    options !== undefined &&
    (typeof options.tracesSampleRate === 'number' || typeof options.tracesSampler === 'function')
  );
}

export function sampleRootSpan(
  options: Pick<ClientOptions, 'tracesSampleRate' | 'tracesSampler'>,
  context: SamplingContext,
  sampleRand: number,
  explicitSampled?: boolean,
): SamplingDecision {
  if (explicitSampled !== undefined) return { sampled: explicitSampled };
  const sampler = options.tracesSampler;
  if (!sampler && context.parentSampled !== undefined) {
    return { sampled: context.parentSampled, sampleRate: context.parentSampleRate };
  }
  let rate = options.tracesSampleRate ?? 0;
  if (sampler) {
    try {
      rate = validateRate('tracesSampler result', sampler(context)) ?? 0;
    } catch (error) {
      debug.errorOnce(`tracesSampler threw, span not sampled: ${String(error)}`);
      rate = 0;
    }
  }
  return { sampled: sampleRand < rate, sampleRate: rate };
}
