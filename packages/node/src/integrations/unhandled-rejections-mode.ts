/** Node's `--unhandled-rejections` mode, from the command line or `NODE_OPTIONS` (the command line wins). */

export type UnhandledRejectionsMode = 'throw' | 'strict' | 'warn' | 'none' | 'warn-with-error-code';

const MODES: ReadonlySet<string> = new Set(['throw', 'strict', 'warn', 'none', 'warn-with-error-code']);
const FLAG = '--unhandled-rejections';

export function unhandledRejectionsMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): UnhandledRejectionsMode {
  return modeFromArgs(execArgv) ?? modeFromArgs(nodeOptions?.split(/\s+/).filter(Boolean) ?? []) ?? 'throw';
}

function modeFromArgs(args: readonly string[]): UnhandledRejectionsMode | undefined {
  let mode: UnhandledRejectionsMode | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = arg.startsWith(`${FLAG}=`)
      ? arg.slice(FLAG.length + 1)
      : arg === FLAG
        ? args[index + 1]
        : undefined;
    if (value !== undefined && MODES.has(value)) mode = value as UnhandledRejectionsMode;
  }
  return mode;
}
