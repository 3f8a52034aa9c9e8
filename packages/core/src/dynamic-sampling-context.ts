/** The Dynamic Sampling Context written to the envelope `trace` header and to baggage (PROTOCOL.md §4.3). */
import type { Client } from './client';
import { orgIdFromDsn } from './dsn';
import type { PropagationContext } from './propagation-context';
import type { DynamicSamplingContext } from './types/envelope';

/** The DSC of a trace that has no span of ours yet: frozen incoming data, else what this SDK knows. */
export function dscFromPropagationContext(
  client: Client,
  context: PropagationContext,
): DynamicSamplingContext {
  return context.dsc ?? baseDynamicSamplingContext(client, context.traceId);
}

export function baseDynamicSamplingContext(client: Client, traceId: string): DynamicSamplingContext {
  const { environment, release } = client.getOptions();
  const dsc: DynamicSamplingContext = {
    trace_id: traceId,
    public_key: client.getDsn()?.publicKey ?? '',
    environment: environment ?? 'production',
  };
  if (release) dsc.release = release;
  const orgId = clientOrgId(client);
  if (orgId) dsc.org_id = orgId;
  return dsc;
}

/** This SDK's organization: the `orgId` option, else the org in a SaaS DSN host. */
export function clientOrgId(client: Client): string | undefined {
  const { orgId } = client.getOptions();
  if (orgId !== undefined) return String(orgId);
  const dsn = client.getDsn();
  return dsn && orgIdFromDsn(dsn);
}
