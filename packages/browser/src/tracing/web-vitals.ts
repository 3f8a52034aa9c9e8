/**
 * Core Web Vitals of the page load, from PerformanceObserver (buffered, so entries from before the
 * SDK loaded count): LCP, CLS, INP, FCP, FP and TTFB, in milliseconds from the navigation start
 * (CLS unitless). Read once, when the page load transaction ends.
 */
import type { Measurement } from '@faultline/core';
import { addLayoutShift, newClsState } from './cumulative-layout-shift';
import { navigationTiming } from './performance-spans';

export interface WebVitalsRecorder {
  /** Takes the pending entries, stops observing and returns what was measured, as transaction measurements. */
  collect(): Record<string, Measurement>;
}

interface VitalsEntry extends PerformanceEntry {
  /** Event timing. */
  interactionId?: number;
  /** Layout shift. */
  value: number;
  hadRecentInput?: boolean;
}

export function recordWebVitals(): WebVitalsRecorder {
  const measurements: Record<string, Measurement> = {};
  const ms = (name: string, value: number) => {
    measurements[name] = { value, unit: 'millisecond' };
  };
  // The INP of a short visit is its slowest interaction: the longest event that belongs to one.
  let inp: number | undefined;
  const interaction = ({ interactionId, duration }: VitalsEntry) => {
    if (interactionId) inp = Math.max(inp ?? 0, duration);
  };
  const cls = newClsState();
  /** Per observer: handle its pending entries and stop it. */
  const finishers: Array<() => void> = [];

  const observe = (type: string, onEntry: (entry: VitalsEntry) => void, options?: object): boolean => {
    const handle = (entries: PerformanceEntryList) => {
      for (const entry of entries) onEntry(entry as VitalsEntry);
    };
    try {
      // Throws where PerformanceObserver or its entry type list is missing: nothing to observe then.
      if (!PerformanceObserver.supportedEntryTypes.includes(type)) return false;
      const observer = new PerformanceObserver((list) => handle(list.getEntries()));
      observer.observe({ type, buffered: true, ...options });
      finishers.push(() => {
        handle(observer.takeRecords());
        observer.disconnect();
      });
      return true;
    } catch {
      return false;
    }
  };

  const layoutShifts = observe('layout-shift', (shift) => {
    if (!shift.hadRecentInput) addLayoutShift(cls, shift.startTime, shift.value);
  });
  observe('paint', (entry) => {
    // Paint timing has two entries: `first-paint` and `first-contentful-paint`.
    ms(entry.name === 'first-paint' ? 'fp' : 'fcp', entry.startTime);
  });
  observe('largest-contentful-paint', (entry) => ms('lcp', entry.startTime));
  observe('event', interaction, { durationThreshold: 16 });
  observe('first-input', interaction);

  return {
    collect() {
      for (const finish of finishers) finish();
      const navigation = navigationTiming() as
        | (PerformanceNavigationTiming & { activationStart?: number })
        | undefined;
      if (navigation?.responseStart)
        ms('ttfb', Math.max(0, navigation.responseStart - (navigation.activationStart ?? 0)));
      if (layoutShifts) measurements.cls = { value: cls.max };
      if (inp !== undefined) ms('inp', inp);
      return measurements;
    },
  };
}
