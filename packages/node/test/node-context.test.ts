import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { type Client, type Context, captureMessage, type Event } from '@faultline/core';
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest, validateEvent } from '../../../test/ingest';
import { initForTest, shutdown } from '../../../test/support/sdk';
import { detectCloudResource } from '../src/cloud-resource-context';
import { nodeContextIntegration } from '../src/integrations/node-context';

const SCHEMA_ID = 'relay-event';
const schema = JSON.parse(
  readFileSync(new URL('../../../../shared/schemas/relay-event.schema.json', import.meta.url), 'utf8'),
) as object;

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('uuid', /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i);
for (const format of ['double', 'int64', 'uint64']) {
  ajv.addFormat(format, { type: 'number', validate: (value: number) => Number.isFinite(value) });
}
ajv.addSchema(schema, SCHEMA_ID);
const validators = new Map<string, ValidateFunction>();

/** The event schema accepts any object per context, so each context is checked against its own definition. */
function definitionValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${name}` });
    validators.set(name, validate);
  }
  return validate;
}

const DEFINITIONS: Record<string, string> = {
  os: 'OsContext',
  runtime: 'RuntimeContext',
  device: 'DeviceContext',
  app: 'AppContext',
  cloud_resource: 'CloudResourceContext',
};

function expectValid(definition: string, value: unknown): void {
  const validate = definitionValidator(definition);
  const valid = validate(value);
  expect(validate.errors ?? [], `${definition}: ${JSON.stringify(value)}`).toEqual([]);
  expect(valid).toBe(true);
}

async function contextsOf(event: Event = {}): Promise<Record<string, Context>> {
  const result = (await nodeContextIntegration().processEvent?.(event, {}, {} as Client)) as Event;
  return result.contexts as Record<string, Context>;
}

describe('nodeContextIntegration', () => {
  it('adds os, runtime, device, app and culture contexts that match their schema definitions', async () => {
    const contexts = await contextsOf();
    for (const [key, definition] of Object.entries(DEFINITIONS)) {
      if (contexts[key] !== undefined) expectValid(definition, contexts[key]);
    }
    expect(contexts.runtime).toEqual({ name: 'node', version: process.version });
    expect(contexts.os.kernel_version).toBe(os.release());
    if (os.platform() === 'linux') {
      expect(contexts.os.name).toBe('Linux');
      expect(contexts.os.distribution).toMatchObject({ name: expect.any(String) });
    }
    expect(contexts.device).toMatchObject({
      arch: os.arch(),
      memory_size: os.totalmem(),
      processor_count: expect.any(Number),
      free_memory: expect.any(Number),
    });
    expect(Number.isInteger(contexts.device.free_memory)).toBe(true);
    expect(Date.parse(String(contexts.device.boot_time))).toBeLessThan(Date.now());
    const appStart = Date.parse(String(contexts.app.app_start_time));
    expect(appStart).toBeLessThanOrEqual(Date.now());
    expect(appStart).toBeGreaterThan(Date.now() - process.uptime() * 1000 - 5000);
    expect(Number.isInteger(contexts.app.app_memory)).toBe(true);
    const { locale, timeZone } = Intl.DateTimeFormat().resolvedOptions();
    expect(contexts.culture).toEqual({ locale, timezone: timeZone });
  });

  it('checks contexts strictly: an unknown key or a wrong type fails its definition', () => {
    expect(definitionValidator('OsContext')({ name: 'Linux', distro: 'debian' })).toBe(false);
    expect(definitionValidator('DeviceContext')({ memory_size: '16 GB' })).toBe(false);
  });

  it('computes the machine contexts once and refreshes only the memory figures', async () => {
    const first = await contextsOf();
    const second = await contextsOf();
    expect(second.app.app_start_time).toBe(first.app.app_start_time);
    expect(second.device.boot_time).toBe(first.device.boot_time);
    expect(second.os).toEqual(first.os);
    expect(second.os).not.toBe(first.os);
  });

  it('completes contexts the app set without overwriting them', async () => {
    const contexts = await contextsOf({
      contexts: { app: { app_name: 'shop', app_memory: 1 }, os: { name: 'Custom' } },
    });
    expect(contexts.app).toMatchObject({
      app_name: 'shop',
      app_memory: 1,
      app_start_time: expect.any(String),
    });
    expect(contexts.os.name).toBe('Custom');
    expect(contexts.os.kernel_version).toBe(os.release());
  });
});

describe('detectCloudResource', () => {
  it.each([
    [
      { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'fn' },
      { 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda', 'cloud.region': 'eu-west-1' },
    ],
    [
      { K_SERVICE: 'api', GOOGLE_CLOUD_PROJECT: 'proj-1' },
      { 'cloud.provider': 'gcp', 'cloud.platform': 'gcp_cloud_run', 'cloud.account.id': 'proj-1' },
    ],
    [
      { VERCEL: '1', VERCEL_REGION: 'iad1', AWS_REGION: 'us-east-1' },
      { 'cloud.provider': 'vercel', 'cloud.region': 'iad1' },
    ],
    [{ FLY_REGION: 'ams' }, { 'cloud.provider': 'fly.io', 'cloud.region': 'ams' }],
    [{ RENDER: 'true' }, { 'cloud.provider': 'render' }],
    [{ DYNO: 'web.1' }, { 'cloud.provider': 'heroku' }],
    [
      { WEBSITE_SITE_NAME: 'site', REGION_NAME: 'West Europe' },
      { 'cloud.provider': 'azure', 'cloud.platform': 'azure_app_service', 'cloud.region': 'West Europe' },
    ],
  ])('recognises %o', (env, expected) => {
    const context = detectCloudResource(env);
    expect(context).toEqual(expected);
    expectValid('CloudResourceContext', context);
  });

  it('returns undefined off the known platforms', () => {
    expect(detectCloudResource({ HOME: '/root', PATH: '/usr/bin' })).toBeUndefined();
  });
});

describe('node contexts on captured events', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await shutdown();
    await ingest.close();
  });

  it('pass the ingest schema, as an event and context by context', async () => {
    initForTest({ dsn: ingest.dsn, integrations: [nodeContextIntegration()] });
    captureMessage('with machine contexts');
    await ingest.waitFor(() => ingest.events().length === 1);
    const event = ingest.events()[0];
    expect(validateEvent(event)).toEqual([]);
    expect(ingest.schemaErrors()).toEqual([]);
    const contexts = event.contexts as Record<string, Context>;
    expect(Object.keys(contexts)).toEqual(
      expect.arrayContaining(['os', 'runtime', 'device', 'app', 'culture']),
    );
    for (const [key, definition] of Object.entries(DEFINITIONS)) {
      if (contexts[key] !== undefined) expectValid(definition, contexts[key]);
    }
  });
});
