/** The trace a scope belongs to when no span is active ("tracing without performance"). */

import { generateSampleRand, generateSpanId, generateTraceId } from './random';
import type { DynamicSamplingContext } from './types/envelope';

export interface PropagationContext {
  traceId: string;
  /** Span id used for errors and outgoing headers when no span is active. */
  spanId: string;
  /** The remote caller's span, when the trace was continued. */
  parentSpanId?: string;
  /** undefined = deferred: no decision was made upstream. */
  sampled?: boolean;
  sampleRand: number;
  /** Frozen once it arrived with the trace or was first propagated. */
  dsc?: DynamicSamplingContext;
}

export function generatePropagationContext(): PropagationContext {
  return { traceId: generateTraceId(), spanId: generateSpanId(), sampleRand: generateSampleRand() };
}
