// Compares each measurement with the no-SDK run of the same round and framework, so drift between
// rounds (a busy neighbour, thermal state) cancels out of the ratios.
import { summarize } from '../lib/statistics.mjs';
import { BASELINE_ID } from './configurations.mjs';

/** measurements of one framework × configuration, each paired with its round's baseline. */
function paired(measurements, framework, configurationId) {
  return measurements
    .filter((m) => m.framework === framework && m.configuration === configurationId)
    .map((m) => ({
      measurement: m,
      baseline: measurements.find(
        (b) => b.framework === framework && b.configuration === BASELINE_ID && b.round === m.round,
      ),
    }))
    .filter(({ baseline }) => baseline);
}

/** Summary (median, min, max) of a metric across rounds. */
export function absolute(measurements, framework, configurationId, metric) {
  return summarize(
    measurements
      .filter((m) => m.framework === framework && m.configuration === configurationId)
      .map((m) => m[metric]),
  );
}

/** Summary of measurement[metric] / baseline[metric] across rounds. */
export function ratio(measurements, framework, configurationId, metric) {
  return summarize(
    paired(measurements, framework, configurationId).map(
      ({ measurement, baseline }) => measurement[metric] / baseline[metric],
    ),
  );
}

/** Summary of measurement[metric] − baseline[metric] across rounds. */
export function added(measurements, framework, configurationId, metric) {
  return summarize(
    paired(measurements, framework, configurationId).map(
      ({ measurement, baseline }) => measurement[metric] - baseline[metric],
    ),
  );
}

/** Summary of a per-measurement derived value across rounds. */
export function derived(measurements, framework, configurationId, compute) {
  return summarize(
    measurements.filter((m) => m.framework === framework && m.configuration === configurationId).map(compute),
  );
}
