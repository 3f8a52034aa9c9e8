/**
 * The same text as a string of its own. V8 represents a slice of a long string (a stack line, a
 * line of a file chunk, a truncated log message) as a view that keeps the whole original alive, so
 * anything kept for long (a cache, a breadcrumb) must not hold slices. Concatenating makes V8
 * flatten the text into a new string, and the slice taken of that holds only the copy.
 */
export function detachedString(text: string): string {
  return ` ${text}`.slice(1);
}
