/**
 * The service an event or span belongs to, as the trace waterfall labels it. An explicit choice wins: a
 * `service` tag, then `contexts.app.app_name`; then `server_name` (note: Node SDKs default it to the host
 * name, so several services on one machine should set `serverName` or the tag), then the SDK name, then the
 * release.
 */
import { asObject, asText, type JsonObject, tagsOf } from './payload-values';

export function serviceName(event: JsonObject): string {
  return (
    tagsOf(event.tags).service ??
    asText(asObject(asObject(event.contexts)?.app)?.app_name) ??
    asText(event.server_name) ??
    asText(asObject(event.sdk)?.name) ??
    asText(event.release) ??
    'unknown'
  );
}
