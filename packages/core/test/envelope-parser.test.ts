import { describe, expect, it } from 'vitest';
import { createEnvelope, envelopeParts, serializeEnvelope } from '../src/envelope';
import {
  EnvelopeParseError,
  type EnvelopeParseErrorCode,
  itemPayloadJson,
  itemPayloadText,
  parseEnvelope,
} from '../src/envelope-parser';

const encoder = new TextEncoder();
const bytesOf = (...parts: Array<string | number[]>): Uint8Array => {
  const chunks = parts.map((part) =>
    typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part),
  );
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

function parseError(input: Uint8Array | string): EnvelopeParseError {
  try {
    parseEnvelope(input);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeParseError);
    return error as EnvelopeParseError;
  }
  throw new Error('expected parseEnvelope to throw');
}

// Relay's test vectors (relay-server/src/envelope/mod.rs `test_deserialize_envelope_*`), byte for byte.
const RELAY_HEADER =
  '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42"}';

describe('parseEnvelope: Relay test vectors', () => {
  it('empty: header only, no trailing newline', () => {
    const envelope = parseEnvelope(RELAY_HEADER);
    expect(envelope.headers.event_id).toBe('9ec79c33ec9942ab8353589fcb2e04dc');
    expect(envelope.headers.dsn).toBe('https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42');
    expect(envelope.items).toHaveLength(0);
  });

  it('empty_newline: header with trailing newline', () => {
    expect(parseEnvelope(`${RELAY_HEADER}\n`).items).toHaveLength(0);
  });

  it('empty_item_newline: two zero-length attachments, newline-terminated', () => {
    const envelope = parseEnvelope(
      `${RELAY_HEADER}\n{"type":"attachment","length":0}\n\n{"type":"attachment","length":0}\n`,
    );
    expect(envelope.items.map((item) => item.payload.length)).toEqual([0, 0]);
    expect(envelope.items.map((item) => item.headers.type)).toEqual(['attachment', 'attachment']);
  });

  it('empty_item_eof: two zero-length attachments, the last header at EOF', () => {
    const envelope = parseEnvelope(
      `${RELAY_HEADER}\n{"type":"attachment","length":0}\n\n{"type":"attachment","length":0}`,
    );
    expect(envelope.items.map((item) => item.payload.length)).toEqual([0, 0]);
  });

  it('implicit_length: payload runs to the next newline', () => {
    const envelope = parseEnvelope(`${RELAY_HEADER}\n{"type":"attachment"}\nhelloworld\n`);
    expect(envelope.items).toHaveLength(1);
    expect(envelope.items[0]!.payload.length).toBe(10);
    expect(itemPayloadText(envelope.items[0]!)).toBe('helloworld');
  });

  it('implicit_length_eof: payload runs to EOF', () => {
    const envelope = parseEnvelope(`${RELAY_HEADER}\n{"type":"attachment"}\nhelloworld`);
    expect(envelope.items).toHaveLength(1);
    expect(itemPayloadText(envelope.items[0]!)).toBe('helloworld');
  });

  it('implicit_length_empty_eof: item header at EOF gives an empty payload', () => {
    const envelope = parseEnvelope(`${RELAY_HEADER}\n{"type":"attachment"}`);
    expect(envelope.items).toHaveLength(1);
    expect(envelope.items[0]!.payload.length).toBe(0);
  });

  it('multiple_items: BOM + CRLF attachment of length 10, then an event of length 41', () => {
    const input = bytesOf(
      `${RELAY_HEADER}\n`,
      '{"type":"attachment","length":10,"content_type":"text/plain","filename":"hello.txt"}\n',
      [0xef, 0xbb, 0xbf],
      'Hello\r\n\n',
      '{"type":"event","length":41,"content_type":"application/json","filename":"application.log"}\n',
      '{"message":"hello world","level":"error"}\n',
    );
    const envelope = parseEnvelope(input);
    expect(envelope.items).toHaveLength(2);
    const [attachment, event] = envelope.items;
    expect(attachment!.headers).toEqual({
      type: 'attachment',
      length: 10,
      content_type: 'text/plain',
      filename: 'hello.txt',
    });
    expect(Array.from(attachment!.payload)).toEqual([0xef, 0xbb, 0xbf, ...encoder.encode('Hello\r\n')]);
    expect(event!.headers.type).toBe('event');
    expect(event!.headers.filename).toBe('application.log');
    expect(event!.payload.length).toBe(41);
    expect(itemPayloadJson(event!)).toEqual({ message: 'hello world', level: 'error' });
  });

  it('unknown item types are kept', () => {
    const envelope = parseEnvelope(`${RELAY_HEADER}\n{"type":"invalid_unknown"}\nhelloworld\n`);
    expect(envelope.items[0]!.headers.type).toBe('invalid_unknown');
    expect(envelope.items[0]!.payload.length).toBe(10);
  });

  it('keeps unknown header keys', () => {
    const envelope = parseEnvelope(
      '{"custom":{"a":[1,2]},"sdk":{"name":"x","version":"1"}}\n{"type":"log","x":1}\n{}',
    );
    expect(envelope.headers.custom).toEqual({ a: [1, 2] });
    expect(envelope.items[0]!.headers.x).toBe(1);
  });
});

describe('parseEnvelope: rejections', () => {
  const cases: Array<[string, Uint8Array | string, EnvelopeParseErrorCode]> = [
    ['empty input', '', 'MissingHeader'],
    ['whitespace only', ' \n', 'MissingHeader'],
    ['header is an array', '[]\n', 'InvalidHeader'],
    ['header is not JSON', 'hello\n', 'InvalidHeader'],
    ['header is truncated', '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"', 'InvalidHeader'],
    ['garbage after the header', '{} x\n', 'MissingNewline'],
    ['event_id is not a UUID', '{"event_id":"not-a-uuid"}\n', 'InvalidHeader'],
    ['event_id too short', '{"event_id":"9ec79c33ec9942ab8353589fcb2e04d"}', 'InvalidHeader'],
    ['event_id is a number', '{"event_id":42}', 'InvalidHeader'],
    [
      'two sent_at headers',
      '{"sent_at":"2024-01-01T00:00:00Z","sent_at":"2024-01-01T00:00:01Z"}',
      'InvalidHeader',
    ],
    ['sent_at is not RFC 3339', '{"sent_at":"yesterday"}', 'InvalidHeader'],
    ['dsn is not a DSN', '{"dsn":"nope"}', 'InvalidHeader'],
    ['item header without type', '{}\n{"length":0}\n', 'InvalidItemHeader'],
    ['item type is a number', '{}\n{"type":1}\n', 'InvalidItemHeader'],
    ['negative length', '{}\n{"type":"event","length":-1}\n', 'InvalidItemHeader'],
    ['fractional length', '{}\n{"type":"event","length":1.5}\n', 'InvalidItemHeader'],
    ['item header is not JSON', '{}\n{"type":"event"\n', 'InvalidItemHeader'],
    ['item header is an array', '{}\n["event"]\n', 'InvalidItemHeader'],
    ['space after item header', '{}\n{"type":"event"} \n{}', 'MissingNewline'],
    ['payload longer than length', '{}\n{"type":"event","length":2}\n{}}\n', 'MissingNewline'],
    ['length overruns EOF', '{}\n{"type":"event","length":10}\n{}', 'UnexpectedEof'],
    ['whitespace after the last item', '{}\n{"type":"event"}\n{}\n\n', 'UnexpectedEof'],
    ['integration item', '{}\n{"type":"integration","length":0}\n', 'InternalItemType'],
    ['invalid UTF-8 in a header', bytesOf('{"x":"', [0xff], '"}'), 'InvalidHeader'],
  ];

  it.each(cases)('%s', (_name, input, code) => {
    expect(parseError(input).code).toBe(code);
  });

  it('names the item index and byte offset in the message', () => {
    const error = parseError('{}\n{"type":"a","length":1}\nx\n{"type":"b","length":5}\nabc');
    expect(error.code).toBe('UnexpectedEof');
    expect(error.itemIndex).toBe(1);
    expect(error.offset).toBe(53);
    expect(error.message).toBe(
      'UnexpectedEof: item 1 at byte 53: length 5 overruns the envelope (3 bytes left)',
    );
    expect(error.name).toBe('EnvelopeParseError');
    expect(error).toBeInstanceOf(Error);
  });

  it('reports the offending byte for a missing newline', () => {
    const error = parseError('{}\n{"type":"a","length":1}\nxy');
    expect(error.code).toBe('MissingNewline');
    expect(error.offset).toBe(28);
    expect(error.message).toContain('found byte 0x79');
  });
});

describe('parseEnvelope: accepted edge cases', () => {
  it('accepts dashed and uppercase event ids and a null event_id', () => {
    expect(parseEnvelope('{"event_id":"9EC79C33-EC99-42AB-8353-589FCB2E04DC"}').headers.event_id).toBe(
      '9EC79C33-EC99-42AB-8353-589FCB2E04DC',
    );
    expect(parseEnvelope('{"event_id":null}').items).toEqual([]);
  });

  it('skips JSON whitespace before a header, as the serde_json stream deserializer in Relay does', () => {
    const envelope = parseEnvelope('{}\n\n {"type":"event"}\n{}');
    expect(envelope.items.map((item) => itemPayloadText(item))).toEqual(['{}']);
    expect(parseEnvelope('{\n"type":"x"}').headers).toEqual({ type: 'x' });
  });

  it('does not split a length-delimited payload at its newlines or CRs', () => {
    const envelope = parseEnvelope('{}\n{"type":"attachment","length":4}\na\r\nb\n');
    expect(itemPayloadText(envelope.items[0]!)).toBe('a\r\nb');
  });

  it('keeps a trailing CR with an implicit length', () => {
    const envelope = parseEnvelope('{}\n{"type":"event"}\n{}\r\n');
    expect(itemPayloadText(envelope.items[0]!)).toBe('{}\r');
  });

  it('accepts string input and measures length in UTF-8 bytes', () => {
    const envelope = parseEnvelope('{}\n{"type":"attachment","length":4}\n😀\n');
    expect(itemPayloadText(envelope.items[0]!)).toBe('😀');
  });
});

describe('parseEnvelope: round trip with serializeEnvelope', () => {
  it('round-trips JSON items with multi-byte UTF-8 and sets length to the byte length', () => {
    const event = { event_id: 'fc6d8c0c43fc4630ad850ee518f1b9d0', message: 'boom 😀 ошибка 错误 ✓' };
    const serialized = serializeEnvelope(
      createEnvelope({ event_id: event.event_id, sent_at: '2024-01-01T00:00:00.000Z' }, [
        { headers: { type: 'event' }, payload: event },
        { headers: { type: 'attachment', filename: 'notes.txt' }, payload: '日本語\nテキスト 🚀' },
      ]),
    );
    expect(typeof serialized).toBe('string');
    const envelope = parseEnvelope(serialized);
    expect(envelope.headers).toEqual({ event_id: event.event_id, sent_at: '2024-01-01T00:00:00.000Z' });
    expect(itemPayloadJson(envelope.items[0]!)).toEqual(event);
    expect(envelope.items[0]!.headers.length).toBe(encoder.encode(JSON.stringify(event)).length);
    expect(envelope.items[0]!.headers.length).toBeGreaterThan(JSON.stringify(event).length);
    expect(itemPayloadText(envelope.items[1]!)).toBe('日本語\nテキスト 🚀');
    expect(envelope.items[1]!.headers.length).toBe(encoder.encode('日本語\nテキスト 🚀').length);
  });

  it('round-trips a binary attachment with every byte value and embedded newlines', () => {
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const withNewlines = bytesOf([10, 10, 13, 10], Array.from(binary), [10]);
    const serialized = serializeEnvelope(
      createEnvelope({}, [
        { headers: { type: 'attachment', filename: 'a.bin' }, payload: binary },
        { headers: { type: 'attachment', filename: 'b.bin' }, payload: withNewlines },
        { headers: { type: 'client_report' }, payload: { discarded_events: [] } },
      ]),
    );
    expect(serialized).toBeInstanceOf(Uint8Array);
    const envelope = parseEnvelope(serialized);
    expect(envelope.items).toHaveLength(3);
    expect(Array.from(envelope.items[0]!.payload)).toEqual(Array.from(binary));
    expect(Array.from(envelope.items[1]!.payload)).toEqual(Array.from(withNewlines));
    expect(itemPayloadJson(envelope.items[2]!)).toEqual({ discarded_events: [] });
  });

  it('envelopeParts are the pieces serializeEnvelope joins: header lines as text, payloads as given', () => {
    const envelope = createEnvelope({ event_id: 'fc6d8c0c43fc4630ad850ee518f1b9d0' }, [
      { headers: { type: 'event' }, payload: { message: 'ü€😀' } },
      { headers: { type: 'attachment', filename: 'a.txt' }, payload: 'line\nnext' },
    ]);
    const parts = envelopeParts(envelope);
    expect(parts).toEqual([
      '{"event_id":"fc6d8c0c43fc4630ad850ee518f1b9d0"}',
      '\n{"type":"event","length":23}\n',
      '{"message":"ü€😀"}',
      '\n{"type":"attachment","filename":"a.txt","length":9}\n',
      'line\nnext',
    ]);
    expect(parts.join('')).toBe(serializeEnvelope(envelope));
  });

  it('round-trips an envelope without items', () => {
    const envelope = parseEnvelope(
      serializeEnvelope(createEnvelope({ dsn: 'https://k@o1.ingest.sentry.io/5' })),
    );
    expect(envelope).toEqual({ headers: { dsn: 'https://k@o1.ingest.sentry.io/5' }, items: [] });
  });

  it('returns payload copies independent of the input buffer', () => {
    const input = encoder.encode('{}\n{"type":"attachment","length":3}\nabc');
    const envelope = parseEnvelope(input);
    input.fill(0);
    expect(itemPayloadText(envelope.items[0]!)).toBe('abc');
  });
});

describe('item payload helpers', () => {
  it('handle in-memory string and object payloads', () => {
    expect(itemPayloadText({ headers: { type: 'event' }, payload: 'x' })).toBe('x');
    expect(itemPayloadText({ headers: { type: 'event' }, payload: { a: 1 } })).toBe('{"a":1}');
    expect(itemPayloadJson({ headers: { type: 'event' }, payload: '{"a":1}' })).toEqual({ a: 1 });
    expect(itemPayloadJson({ headers: { type: 'event' }, payload: { a: 1 } })).toEqual({ a: 1 });
  });

  it('itemPayloadJson throws on non-JSON payloads', () => {
    expect(() => itemPayloadJson({ headers: { type: 'event' }, payload: encoder.encode('nope') })).toThrow(
      SyntaxError,
    );
  });
});
