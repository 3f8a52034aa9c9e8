/**
 * Request bodies for events, only when `sendDefaultPii` is on. The SDK never reads the stream
 * itself (that would steal data from the app or change when it flows): it keeps a copy of the
 * first 8 KiB of the chunks the app reads, the protocol's limit for `request.data`.
 */
import type { IncomingMessage } from 'node:http';

export const MAX_REQUEST_BODY_BYTES = 8192;
const CAPTURED = Symbol.for('faultline.node.capturedRequestBody');

type Emit = IncomingMessage['emit'];

interface Captured {
  chunks: Buffer[];
  size: number;
  truncated: boolean;
  /** The request's `emit` before ours. */
  emit: Emit;
}

type CapturingRequest = IncomingMessage & { [CAPTURED]?: Captured };

export function captureRequestBody(request: IncomingMessage): void {
  const target = request as CapturingRequest;
  if (target[CAPTURED] !== undefined) return;
  target[CAPTURED] = { chunks: [], size: 0, truncated: false, emit: request.emit };
  request.emit = emitCapturingBody as Emit;
}

/**
 * Shared by every request, its state on the request: like the scopes' `emit` (see
 * async-context-strategy), a closure per request stored as its `emit` can keep the request's objects
 * alive through young-generation collections.
 */
function emitCapturingBody(this: CapturingRequest, event: string | symbol, chunk?: unknown): boolean {
  const captured = this[CAPTURED] as Captured;
  if (event === 'data' && !captured.truncated) keep(captured, chunk);
  // biome-ignore lint/complexity/noArguments: forwards any event's arguments without copying them
  return Reflect.apply(captured.emit, this, arguments);
}

function keep(captured: Captured, chunk: unknown): void {
  const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : undefined;
  if (!buffer) return;
  const room = MAX_REQUEST_BODY_BYTES - captured.size;
  captured.chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
  captured.size += Math.min(buffer.length, room);
  if (buffer.length > room) captured.truncated = true;
}

/** The part of the body the app has read so far, as text; undefined when nothing was captured. */
export function capturedRequestBody(request: object): string | undefined {
  const captured = (request as Record<symbol, Captured | undefined>)[CAPTURED];
  if (!captured?.size) return undefined;
  const text = Buffer.concat(captured.chunks).toString('utf8');
  return captured.truncated ? `${text}...` : text;
}

/** Moves what was captured of `from`'s body to `to`, which `capturedRequestBody` then reads. */
export function handOverCapturedBody(from: object, to: object): void {
  const captured = (from as Record<symbol, Captured | undefined>)[CAPTURED];
  if (captured) (to as Record<symbol, Captured>)[CAPTURED] = captured;
}
