/**
 * Opt-in: child processes spawned inside a span receive the trace in `SENTRY_TRACE` and
 * `SENTRY_BAGGAGE`, so a child running Faultline (or any Sentry SDK) continues it. Node has no
 * channel that fires before a child's environment is fixed, so `spawn`, `exec`, `execFile`, `fork`
 * and their sync forms are wrapped once to add the two variables to the options' `env` (a copy of
 * `process.env` when none is given). The receiving side needs nothing: node `init` continues a
 * trace found in those variables.
 */
import { getActiveSpan, getClient, getTraceData, type Integration } from '@faultline/core';
import { childProcess, nodeModule } from '../lazy-builtins';

const INTEGRATION_NAME = 'ChildProcessTrace';
const WRAPPED = Symbol.for('faultline.node.childProcessWrapped');
const FUNCTIONS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

export function childProcessTraceIntegration(): Integration {
  return {
    name: INTEGRATION_NAME,
    setupOnce() {
      const target = childProcess() as unknown as Record<string, (...args: unknown[]) => unknown> &
        Record<symbol, boolean>;
      if (target[WRAPPED]) return;
      target[WRAPPED] = true;
      for (const name of FUNCTIONS) {
        const original = target[name]!;
        target[name] = function wrapped(this: unknown, ...args: unknown[]) {
          return original.apply(this, withTraceEnv(args));
        };
      }
      nodeModule().syncBuiltinESMExports();
    },
  };
}

function withTraceEnv(args: unknown[]): unknown[] {
  try {
    if (!getClient()?.getIntegrationByName(INTEGRATION_NAME) || !getActiveSpan()) return args;
    const trace = getTraceData();
    if (!trace['sentry-trace']) return args;
    const variables: Record<string, string> = { SENTRY_TRACE: trace['sentry-trace'] };
    if (trace.baggage) variables.SENTRY_BAGGAGE = trace.baggage;
    const next = [...args];
    const index = optionsIndex(next);
    const options = (next[index] as { env?: NodeJS.ProcessEnv } | undefined) ?? {};
    next[index] = { ...options, env: { ...(options.env ?? process.env), ...variables } };
    return next;
  } catch {
    return args;
  }
}

/** Where the options object is, or goes: after the command and its optional argument array. */
function optionsIndex(args: unknown[]): number {
  const afterArgs = Array.isArray(args[1]) ? 2 : 1;
  if (typeof args[afterArgs] === 'function') args.splice(afterArgs, 0, undefined);
  return afterArgs;
}
