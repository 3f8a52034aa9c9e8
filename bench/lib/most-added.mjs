// What grew over a baseline, function by function: the drill-downs' `--top N` lists.

/**
 * The `top` names whose value grew the most over `baseline`'s (a name it lacks counts from 0), as
 * `[name, added]` pairs, largest first. Both are Maps of name → value.
 */
export function mostAdded(values, baseline, top) {
  const added = [];
  for (const [name, value] of values) added.push([name, value - (baseline.get(name) ?? 0)]);
  return added.sort((a, b) => b[1] - a[1]).slice(0, top);
}
