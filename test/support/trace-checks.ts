/** Our own checks on transactions beyond the schema (PROTOCOL.md §6.2). Returns the problems found. */
import type { Event } from '@faultline/core';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

export function transactionProblems(transaction: Event): string[] {
  const problems: string[] = [];
  const trace = transaction.contexts?.trace;
  if (!trace) return ['missing contexts.trace'];
  const check = (what: string, id: string | undefined, pattern: RegExp) => {
    if (!id || !pattern.test(id) || /^0+$/.test(id)) problems.push(`${what} is not a valid id: ${id}`);
  };
  check('trace_id', trace.trace_id, TRACE_ID);
  check('span_id', trace.span_id, SPAN_ID);
  if (trace.parent_span_id !== undefined) check('parent_span_id', trace.parent_span_id, SPAN_ID);
  if (!(typeof transaction.start_timestamp === 'number' && typeof transaction.timestamp === 'number')) {
    problems.push('timestamps missing');
  } else if (transaction.timestamp < transaction.start_timestamp) {
    problems.push('root ends before it starts');
  }
  const ids = new Set([trace.span_id, ...(transaction.spans ?? []).map((s) => s.span_id)]);
  for (const span of transaction.spans ?? []) {
    check(`span ${span.span_id} span_id`, span.span_id, SPAN_ID);
    if (span.trace_id !== trace.trace_id) problems.push(`span ${span.span_id} belongs to another trace`);
    if (span.timestamp === undefined || span.timestamp < span.start_timestamp)
      problems.push(`span ${span.span_id} ends before it starts`);
    if (!span.parent_span_id || !ids.has(span.parent_span_id))
      problems.push(`span ${span.span_id} has a parent outside the transaction`);
  }
  return problems;
}
