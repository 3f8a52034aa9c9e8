/** Aggregates discarded telemetry into client reports (PROTOCOL.md §3.7). */
import type { DataCategory } from './types/data-category';
import type { ClientReport, DiscardReason, EnvelopeItem } from './types/envelope';

type DiscardCount = { reason: DiscardReason; category: DataCategory; quantity: number };

/**
 * Counts drops per (reason, category) so one report covers many discards. At a low sample rate every
 * unsampled request records two drops, so the lookup is two maps keyed by the constant names: a
 * `${reason}:${category}` key built per call cost a string concatenation and its hashing each time.
 */
export class ClientReportRecorder {
  /** In the order first recorded, which is the report's order. */
  private counts: DiscardCount[] = [];
  private byReason = new Map<DiscardReason, Map<DataCategory, DiscardCount>>();

  record(reason: DiscardReason, category: DataCategory, quantity = 1): void {
    if (!Number.isFinite(quantity) || quantity <= 0) return;
    const byCategory = this.byReason.get(reason) ?? this.byReason.set(reason, new Map()).get(reason)!;
    const entry = byCategory.get(category);
    if (entry) entry.quantity += quantity;
    else this.counts.push(byCategory.set(category, { reason, category, quantity }).get(category)!);
  }

  /** Returns everything recorded since the last call and clears it; undefined when nothing was dropped. */
  take(nowMs: number = Date.now()): ClientReport | undefined {
    if (this.counts.length === 0) return undefined;
    const discarded_events = this.counts;
    this.counts = [];
    this.byReason = new Map();
    return { timestamp: nowMs / 1000, discarded_events };
  }

  /** Number of distinct (reason, category) pairs waiting to be reported. */
  get size(): number {
    return this.counts.length;
  }
}

export function clientReportItem(report: ClientReport): EnvelopeItem {
  return { headers: { type: 'client_report' }, payload: report };
}
