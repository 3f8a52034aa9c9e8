/**
 * UTF-8 byte length without encoding: envelope item lengths, baggage limits and payload size limits
 * all need it, and most of the text measured is large JSON.
 */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else {
      // Three bytes, or four for a surrogate pair, which is two UTF-16 units; a lone surrogate is
      // encoded as U+FFFD (three bytes).
      bytes += 2;
      const next = text.charCodeAt(i + 1);
      if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return bytes;
}

/** The UTF-8 size of `value` as JSON; 0 for what JSON cannot represent (undefined, functions). */
export function jsonByteLength(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8ByteLength(json);
}
