/** Aggregates discarded telemetry into client reports (PROTOCOL.md §3.7). */
import type { DataCategory } from './types/data-category';
import type { ClientReport, DiscardReason, EnvelopeItem } from './types/envelope';

/** Counts drops per (reason, category) so one report covers many discards. */
export class ClientReportRecorder {
  private readonly counts = new Map<
    string,
    { reason: DiscardReason; category: DataCategory; quantity: number }
  >();

  record(reason: DiscardReason, category: DataCategory, quantity = 1): void {
    if (!Number.isFinite(quantity) || quantity <= 0) return;
    const key = `${reason}:${category}`;
    const entry = this.counts.get(key);
    if (entry) entry.quantity += quantity;
    else this.counts.set(key, { reason, category, quantity });
  }

  /** Returns everything recorded since the last call and clears it; undefined when nothing was dropped. */
  take(nowMs: number = Date.now()): ClientReport | undefined {
    if (this.counts.size === 0) return undefined;
    const discarded_events = [...this.counts.values()];
    this.counts.clear();
    return { timestamp: nowMs / 1000, discarded_events };
  }

  /** Number of distinct (reason, category) pairs waiting to be reported. */
  get size(): number {
    return this.counts.size;
  }
}

export function clientReportItem(report: ClientReport): EnvelopeItem {
  return { headers: { type: 'client_report' }, payload: report };
}
