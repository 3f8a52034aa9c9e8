/**
 * The same text as a string of its own. V8 represents a slice of a long string (a stack line, a
 * line read from a file chunk) as a view that keeps the whole original alive; a cache that keeps
 * such slices holds every original. Concatenating makes V8 flatten the text into a new string, and
 * the slice taken of that only holds the copy.
 */
export function detachedString(text: string): string {
  return ` ${text}`.slice(1);
}
