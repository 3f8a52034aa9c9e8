/**
 * Core Web Vitals of the page load, from PerformanceObserver (buffered, so entries from before the
 * SDK loaded count): LCP, CLS, INP, FCP, FP and TTFB, in milliseconds from the navigation start
 * (CLS unitless). Read once, when the page load transaction ends.
 */
import { addLayoutShift, type ClsState, newClsState } from './cumulative-layout-shift';

export interface Measurement {
  value: number;
  unit: string;
}

export interface WebVitalsRecorder {
  /** Takes the pending entries, stops observing and returns what was measured. */
  collect(): Record<string, Measurement>;
}

interface EventTimingEntry extends PerformanceEntry {
  interactionId?: number;
}

interface LayoutShiftEntry extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
}

const ms = (value: number): Measurement => ({ value, unit: 'millisecond' });

export function recordWebVitals(): WebVitalsRecorder {
  const measurements: Record<string, Measurement> = {};
  const interactions = new Map<number, number>();
  const cls: ClsState = newClsState();
  const layoutShifts = observe('layout-shift', (entry) => {
    const shift = entry as LayoutShiftEntry;
    if (!shift.hadRecentInput) addLayoutShift(cls, shift.startTime, shift.value);
  });
  const observers = [
    layoutShifts,
    observe('paint', (entry) => {
      if (entry.name === 'first-contentful-paint') measurements.fcp = ms(entry.startTime);
      if (entry.name === 'first-paint') measurements.fp = ms(entry.startTime);
    }),
    observe('largest-contentful-paint', (entry) => {
      measurements.lcp = ms(entry.startTime);
    }),
    // Interactions: the longest event of each, the slowest interaction is the INP of a short visit.
    observe(
      'event',
      (entry) => {
        const id = (entry as EventTimingEntry).interactionId;
        if (id) interactions.set(id, Math.max(interactions.get(id) ?? 0, entry.duration));
      },
      { durationThreshold: 16 },
    ),
    observe('first-input', (entry) => {
      const id = (entry as EventTimingEntry).interactionId;
      if (id && !interactions.has(id)) interactions.set(id, entry.duration);
    }),
  ];

  return {
    collect() {
      for (const observer of observers) {
        if (!observer) continue;
        observer.flush();
        observer.disconnect();
      }
      const navigation = performance.getEntriesByType?.('navigation')[0] as
        | PerformanceNavigationTiming
        | undefined;
      if (navigation && navigation.responseStart > 0) {
        const activationStart = (navigation as { activationStart?: number }).activationStart ?? 0;
        measurements.ttfb = ms(Math.max(0, navigation.responseStart - activationStart));
      }
      if (layoutShifts) measurements.cls = { value: cls.max, unit: '' };
      if (interactions.size > 0) measurements.inp = ms(Math.max(...interactions.values()));
      return measurements;
    },
  };
}

interface Observation {
  flush(): void;
  disconnect(): void;
}

function observe(
  type: string,
  onEntry: (entry: PerformanceEntry) => void,
  options: Record<string, unknown> = {},
): Observation | undefined {
  if (!PerformanceObserver.supportedEntryTypes?.includes(type)) return undefined;
  const handle = (entries: PerformanceEntryList) => {
    for (const entry of entries) onEntry(entry);
  };
  try {
    const observer = new PerformanceObserver((list) => handle(list.getEntries()));
    observer.observe({ type, buffered: true, ...options } as PerformanceObserverInit);
    return { flush: () => handle(observer.takeRecords()), disconnect: () => observer.disconnect() };
  } catch {
    return undefined;
  }
}
