import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { type Client, captureMessage, type Event } from '@faultline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { initForTest, shutdown } from '../../../test/support/sdk';
import { modulesIntegration } from '../src/integrations/modules';

const workspace = mkdtempSync(join(tmpdir(), 'faultline-modules-'));
const appRoot = join(workspace, 'apps', 'shop');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

function installPackage(root: string, name: string, version: string): void {
  writeJson(join(root, 'node_modules', name, 'package.json'), { name, version });
}

writeJson(join(appRoot, 'package.json'), {
  name: 'shop',
  dependencies: { express: '^4.18.0', '@acme/widgets': 'workspace:*', hoisted: '^2.0.0' },
  devDependencies: { vitest: '^4.0.0', 'not-installed': '^1.0.0' },
});
installPackage(appRoot, 'express', '4.21.2');
installPackage(appRoot, '@acme/widgets', '0.3.0');
installPackage(appRoot, 'vitest', '4.1.12');
installPackage(workspace, 'hoisted', '2.5.1');

async function modulesFor(integration = modulesIntegration({ appRoot }), event: Event = {}) {
  const result = (await integration.processEvent?.(event, {}, {} as Client)) as Event;
  return result.modules;
}

describe('modulesIntegration', () => {
  it('lists declared dependencies with their installed versions, hoisted ones included', async () => {
    expect(await modulesFor()).toEqual({
      express: '4.21.2',
      '@acme/widgets': '0.3.0',
      hoisted: '2.5.1',
      vitest: '4.1.12',
    });
  });

  it('reads the packages once and reuses the list', async () => {
    const integration = modulesIntegration({ appRoot });
    expect((await modulesFor(integration))?.express).toBe('4.21.2');
    installPackage(appRoot, 'express', '5.0.0');
    expect((await modulesFor(integration))?.express).toBe('4.21.2');
    expect((await modulesFor(modulesIntegration({ appRoot })))?.express).toBe('5.0.0');
    installPackage(appRoot, 'express', '4.21.2');
  });

  it('keeps modules the event already has and skips transactions', async () => {
    expect(await modulesFor(undefined, { modules: { express: 'patched' } })).toMatchObject({
      express: 'patched',
      hoisted: '2.5.1',
    });
    expect(await modulesFor(undefined, { type: 'transaction' })).toBeUndefined();
  });

  it('gives each event its own copy, a fast-properties object however many modules there are', async () => {
    // V8 makes an object built key by key a dictionary past ~20 keys; JSON.stringify on Node 22 and
    // 24 then writes the whole event again on its slow path (twice the time of an error event).
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
      object: object,
    ) => boolean;
    const bigApp = join(workspace, 'apps', 'big');
    const names = Array.from({ length: 30 }, (_, index) => `dependency-${index}`);
    // Split as apps split them: the list joins both, a key order no object had before.
    const declared = (part: string[]) => Object.fromEntries(part.map((name) => [name, '^1.0.0']));
    writeJson(join(bigApp, 'package.json'), {
      name: 'big',
      dependencies: declared(names.slice(0, 15)),
      devDependencies: declared(names.slice(15)),
    });
    for (const name of names) installPackage(bigApp, name, '1.0.0');
    const integration = modulesIntegration({ appRoot: bigApp });
    const first = await modulesFor(integration);
    expect(Object.keys(first ?? {})).toEqual(names);
    expect(hasFastProperties(first as object)).toBe(true);
    (first as Record<string, string>)['dependency-0'] = 'edited by a processor';
    const second = await modulesFor(integration);
    expect(second?.['dependency-0']).toBe('1.0.0');
    expect(hasFastProperties(second as object)).toBe(true);
  });

  it('adds nothing when the app has no package.json', async () => {
    expect(await modulesFor(modulesIntegration({ appRoot: join(workspace, 'nowhere') }))).toBeUndefined();
  });
});

describe('modules on captured events', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await shutdown();
    await ingest.close();
  });

  it('reach the ingest as event.modules and pass its schema', async () => {
    initForTest({ dsn: ingest.dsn, integrations: [modulesIntegration({ appRoot })] });
    captureMessage('with modules');
    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0].modules).toMatchObject({ express: '4.21.2', hoisted: '2.5.1' });
    expect(ingest.schemaErrors()).toEqual([]);
  });
});
