import type { Client } from '../client';
import type { Event, EventHint } from './event';

/** A pluggable piece of SDK behaviour (PROTOCOL.md §8). Names are unique within a client. */
export interface Integration {
  name: string;
  /** Runs once per process, whichever client installed it first. */
  setupOnce?(): void;
  /** Runs for every client the integration is installed on. */
  setup?(client: Client): void;
  afterAllSetup?(client: Client): void;
  /** Runs before scope data is applied. */
  preprocessEvent?(event: Event, hint: EventHint, client: Client): void;
  /** Runs as an event processor after scope data is applied; null drops the event. */
  processEvent?(event: Event, hint: EventHint, client: Client): Event | null | PromiseLike<Event | null>;
}
