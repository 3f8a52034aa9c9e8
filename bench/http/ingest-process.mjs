// A loopback ingest for the HTTP bench, run as its own process: accepts envelopes on
// POST /api/:project/envelope/, counts them and their items by type, answers 200 {}.
// GET /counts returns the totals so the bench can check what each SDK really sent. Span-first SDKs
// (span v2 items) send a request's spans without a transaction item: `segments` counts their root
// spans, the equivalent of transactions.
// Prints `listening <port>` once ready.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

const counts = { envelopes: 0, items: {}, segments: 0 };
const SEGMENT_MARK = Buffer.from('"is_segment":true');
const ENVELOPE_PATH = /^\/api\/[^/]+\/envelope\/?(\?.*)?$/;
const DECODERS = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/counts') {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(counts));
    return;
  }
  if (request.method !== 'POST' || !ENVELOPE_PATH.test(request.url)) {
    response.statusCode = 404;
    response.end();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    try {
      const decode = DECODERS[request.headers['content-encoding']];
      const body = Buffer.concat(chunks);
      countEnvelope(decode ? decode(body) : body);
    } catch {
      counts.items.unreadable = (counts.items.unreadable ?? 0) + 1;
    }
    response.setHeader('content-type', 'application/json');
    response.end('{}');
  });
});

/** Walks the item headers: a `length` skips that many bytes, otherwise the payload ends at the newline. */
function countEnvelope(body) {
  counts.envelopes++;
  let offset = lineEnd(body, 0) + 1;
  while (offset < body.length) {
    const headerEnd = lineEnd(body, offset);
    const header = body.subarray(offset, headerEnd).toString('utf8').trim();
    if (!header) {
      offset = headerEnd + 1;
      continue;
    }
    const item = JSON.parse(header);
    counts.items[item.type] = (counts.items[item.type] ?? 0) + 1;
    const payloadStart = headerEnd + 1;
    const payloadEnd =
      typeof item.length === 'number' ? payloadStart + item.length : lineEnd(body, payloadStart);
    if (item.type === 'span')
      counts.segments += occurrences(body.subarray(payloadStart, payloadEnd), SEGMENT_MARK);
    offset = payloadEnd + 1;
  }
}

function occurrences(payload, mark) {
  let count = 0;
  for (let at = payload.indexOf(mark); at !== -1; at = payload.indexOf(mark, at + mark.length)) count++;
  return count;
}

function lineEnd(body, from) {
  const index = body.indexOf(0x0a, from);
  return index === -1 ? body.length : index;
}

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
