/**
 * A CSS-selector-like description of an element and its nearest ancestors for breadcrumbs, e.g.
 * `div#cart > form.checkout > button[type="submit"]`. Built from tags, ids, classes and a few
 * descriptive attributes only: never an input's value or text content.
 */
const MAX_DEPTH = 5;
const MAX_LENGTH = 80;
const ATTRIBUTES = ['name', 'type', 'role', 'title', 'alt', 'aria-label', 'data-testid'];

export function htmlTreeAsString(element: unknown): string {
  const parts: string[] = [];
  let length = 0;
  try {
    for (
      let current = element as Element | null;
      current?.nodeType === 1 && parts.length < MAX_DEPTH;
      current = current.parentElement
    ) {
      let part = current.tagName.toLowerCase();
      if (current.id) part += `#${current.id}`;
      for (const name of current.classList) part += `.${name}`;
      for (const attribute of ATTRIBUTES) {
        const value = current.getAttribute(attribute);
        if (value) part += `[${attribute}="${value}"]`;
      }
      if (part === 'html' || (parts.length > 0 && length + part.length + 3 > MAX_LENGTH)) break;
      parts.unshift(part);
      length += part.length + 3;
    }
  } catch {
    return '<unknown>';
  }
  return parts.join(' > ') || '<unknown>';
}
