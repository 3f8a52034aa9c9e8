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
  let current = element as Element | null;
  try {
    while (current && current.nodeType === 1 && parts.length < MAX_DEPTH) {
      const part = describeElement(current);
      if (part === 'html' || (parts.length > 0 && length + part.length + 3 > MAX_LENGTH)) break;
      parts.unshift(part);
      length += part.length + 3;
      current = current.parentElement;
    }
  } catch {
    return '<unknown>';
  }
  return parts.join(' > ') || '<unknown>';
}

function describeElement(element: Element): string {
  let text = element.tagName.toLowerCase();
  if (element.id) text += `#${element.id}`;
  const className = element.getAttribute('class');
  if (className)
    text += className
      .trim()
      .split(/\s+/)
      .map((name) => `.${name}`)
      .join('');
  for (const attribute of ATTRIBUTES) {
    const value = element.getAttribute(attribute);
    if (value) text += `[${attribute}="${value}"]`;
  }
  return text;
}
