import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
