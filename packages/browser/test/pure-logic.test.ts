/** The browser package's pure decisions, without a browser: keepalive limits, CLS windows, header targets. */
import { describe, expect, it } from 'vitest';
import { KEEPALIVE_MAX_BYTES, KEEPALIVE_MAX_REQUESTS, makeKeepaliveBudget } from '../src/keepalive-budget';
import { addLayoutShift, newClsState } from '../src/tracing/cumulative-layout-shift';
import { shouldAttachTraceHeaders } from '../src/tracing/propagation-targets';

describe('keepalive budget', () => {
  it('keeps the in-flight keepalive bodies under the browser limit', () => {
    const budget = makeKeepaliveBudget();
    expect(budget.reserve(KEEPALIVE_MAX_BYTES - 1000)).toBe(true);
    expect(budget.reserve(2000)).toBe(false);
    expect(budget.reserve(1000)).toBe(true);
    budget.release(KEEPALIVE_MAX_BYTES - 1000);
    expect(budget.reserve(2000)).toBe(true);
  });

  it('never lets one body over the limit use keepalive', () => {
    expect(makeKeepaliveBudget().reserve(KEEPALIVE_MAX_BYTES + 1)).toBe(false);
  });

  it('limits the number of keepalive requests in flight', () => {
    const budget = makeKeepaliveBudget();
    for (let i = 0; i < KEEPALIVE_MAX_REQUESTS; i++) expect(budget.reserve(10)).toBe(true);
    expect(budget.reserve(10)).toBe(false);
    budget.release(10);
    expect(budget.reserve(10)).toBe(true);
  });
});

describe('cumulative layout shift', () => {
  it('is the largest session window: gaps over 1 s and windows over 5 s start a new one', () => {
    const state = newClsState();
    addLayoutShift(state, 100, 0.1);
    addLayoutShift(state, 900, 0.05);
    addLayoutShift(state, 2500, 0.12); // gap of 1.6 s: new window
    expect(state.max).toBeCloseTo(0.15);
    for (let t = 3000; t <= 7000; t += 800) addLayoutShift(state, t, 0.02);
    // 2500..7000 is within 5 s: 0.12 + 6 × 0.02; a shift more than 5 s after 2500 starts again.
    expect(state.max).toBeCloseTo(0.24);
    addLayoutShift(state, 7600, 0.01);
    expect(state.windowValue).toBeCloseTo(0.01);
    expect(state.max).toBeCloseTo(0.24);
  });
});

describe('trace header targets in a page', () => {
  const page = 'https://shop.example/cart';
  const attach = (url: string, targets?: Array<string | RegExp>) =>
    shouldAttachTraceHeaders(new URL(url, page), url, targets, new URL(page).origin);

  it('sends headers to the page origin by default and never to other origins', () => {
    expect(attach('/api/cart')).toBe(true);
    expect(attach('https://shop.example/api')).toBe(true);
    expect(attach('https://api.stripe.com/v1')).toBe(false);
    expect(attach('http://shop.example/api')).toBe(false);
  });

  it('adds the origins tracePropagationTargets match, and [] turns propagation off', () => {
    const targets = ['api.shop.example', /^https:\/\/payments\./];
    expect(attach('https://api.shop.example/orders', targets)).toBe(true);
    expect(attach('https://payments.example/charge', targets)).toBe(true);
    expect(attach('https://cdn.example/x', targets)).toBe(false);
    expect(attach('/api/cart', targets)).toBe(true);
    expect(attach('/api/cart', [])).toBe(false);
  });

  it('reads a null from JavaScript callers as unset: the page origin only', () => {
    const nullTargets = null as unknown as undefined;
    expect(attach('/api/cart', nullTargets)).toBe(true);
    expect(attach('https://api.stripe.com/v1', nullTargets)).toBe(false);
  });
});
