/**
 * One value per process, shared by every copy of this package loaded in it (the ESM and CJS builds,
 * or two versions side by side): kept on `globalThis` under a `Symbol.for` key, created by the first
 * copy that asks.
 */
export function processWide<T>(key: symbol, create: () => T): T {
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = holder[key];
  if (existing !== undefined) return existing;
  const created = create();
  holder[key] = created;
  return created;
}
