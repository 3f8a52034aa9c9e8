import type { StackFrame } from './event';

/** Parses `Error.stack` text into frames ordered oldest → newest (caller → callee). */
export type StackParser = (stack: string, skipFirstLines?: number) => StackFrame[];

/** Parses one stack line into a frame, or undefined when the line is not in its format. */
export type StackLineParser = (line: string) => StackFrame | undefined;
