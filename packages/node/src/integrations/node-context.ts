/** Machine and process contexts (`os`, `runtime`, `device`, `app`, `culture`, `cloud_resource`) for every event. */
import * as os from 'node:os';
import type { Context, Contexts, Event, Integration } from '@faultline/core';
import { detectCloudResource } from '../cloud-resource-context';
import { cultureContext } from '../culture-context';
import { fsPromises } from '../lazy-builtins';

interface MachineContexts {
  os: Context;
  runtime: Context;
  device: Context;
  app: Context;
  culture?: Context;
  cloud_resource?: Context;
}

const OS_RELEASE_FILES = ['/etc/os-release', '/usr/lib/os-release'];
const MACOS_VERSION_FILE = '/System/Library/CoreServices/SystemVersion.plist';

let machineContexts: Promise<MachineContexts> | undefined;

function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return fields;
}

async function linuxDistribution(): Promise<Context | undefined> {
  for (const path of OS_RELEASE_FILES) {
    try {
      const fields = parseOsRelease(await fsPromises().readFile(path, 'utf8'));
      const distribution: Context = {};
      if (fields.ID) distribution.name = fields.ID;
      if (fields.VERSION_ID) distribution.version = fields.VERSION_ID;
      if (fields.PRETTY_NAME) distribution.pretty_name = fields.PRETTY_NAME;
      return distribution;
    } catch {
      // Try the next location; minimal containers may have neither.
    }
  }
  return undefined;
}

function plistString(plist: string, key: string): string | undefined {
  return new RegExp(`<key>${key}</key>\\s*<string>([^<]+)</string>`).exec(plist)?.[1];
}

async function osContext(): Promise<Context> {
  const platform = os.platform();
  const kernelVersion = os.release();
  if (platform === 'linux') {
    const distribution = await linuxDistribution();
    const context: Context = { name: 'Linux', kernel_version: kernelVersion };
    if (typeof distribution?.version === 'string') context.version = distribution.version;
    if (distribution && Object.keys(distribution).length) context.distribution = distribution;
    return context;
  }
  if (platform === 'darwin') {
    const context: Context = { name: 'macOS', kernel_version: kernelVersion };
    try {
      const plist = await fsPromises().readFile(MACOS_VERSION_FILE, 'utf8');
      const version = plistString(plist, 'ProductVersion');
      const build = plistString(plist, 'ProductBuildVersion');
      if (version) context.version = version;
      if (build) context.build = build;
    } catch {
      // Sandboxed processes may not see the file; the kernel version still identifies the release.
    }
    return context;
  }
  if (platform === 'win32') return { name: 'Windows', version: kernelVersion, kernel_version: kernelVersion };
  return { name: os.type(), version: kernelVersion, kernel_version: kernelVersion };
}

function isoSecondsAgo(seconds: number): string {
  return new Date(Date.now() - seconds * 1000).toISOString();
}

function deviceContext(): Context {
  const cpus = os.cpus();
  const device: Context = {
    arch: os.arch(),
    memory_size: os.totalmem(),
    processor_count: cpus.length || os.availableParallelism(),
    boot_time: isoSecondsAgo(os.uptime()),
  };
  const model = cpus[0]?.model?.trim();
  if (model) device.cpu_description = model;
  const speed = cpus[0]?.speed;
  if (Number.isInteger(speed) && speed > 0) device.processor_frequency = speed;
  return device;
}

async function collectMachineContexts(): Promise<MachineContexts> {
  const contexts: MachineContexts = {
    os: await osContext(),
    runtime: { name: 'node', version: process.version },
    device: deviceContext(),
    app: { app_start_time: isoSecondsAgo(process.uptime()) },
  };
  const culture = await cultureContext();
  if (culture) contexts.culture = culture;
  const cloudResource = detectCloudResource();
  if (cloudResource) contexts.cloud_resource = cloudResource;
  return contexts;
}

/** Collected once per process; only the memory figures change between events. */
function machineContextsOnce(): Promise<MachineContexts> {
  machineContexts ??= collectMachineContexts().catch(() => ({
    os: {},
    runtime: { name: 'node', version: process.version },
    device: {},
    app: {},
  }));
  return machineContexts;
}

/**
 * Free memory and RSS, read at most once a second: reading RSS per event cost 10% of a server's CPU
 * at full tracing (a transaction per request), for figures that do not change at that pace.
 */
const MEMORY_TTL_MS = 1000;
let memory: { at: number; free: number; rss: number } | undefined;
function memoryFigures(): { free: number; rss: number } {
  const now = Date.now();
  if (!memory || now - memory.at > MEMORY_TTL_MS)
    memory = { at: now, free: os.freemem(), rss: process.memoryUsage.rss() };
  return memory;
}

export function nodeContextIntegration(): Integration {
  let ready: MachineContexts | undefined;
  return {
    name: 'NodeContext',
    // Collected on the first event, not at init: file reads and os.cpus() cost start-up time every
    // process would pay, including those that never report anything.
    processEvent(event: Event) {
      // Once collected (at start-up), contexts are added synchronously: no promise per event.
      if (ready) return addMachineContexts(event, ready);
      return machineContextsOnce().then((machine) => {
        ready = machine;
        return addMachineContexts(event, machine);
      });
    },
  };
}

function addMachineContexts(event: Event, machine: MachineContexts): Event {
  const own = event.contexts;
  const { free, rss } = memoryFigures();
  // Copies, so processors that edit the event cannot change the cached contexts. Built with
  // Object.assign and added keys, never a spread followed by more keys: V8 (Node 20) takes a ~1 µs
  // slow path for that, and this runs for every event and transaction.
  const device = Object.assign({}, machine.device);
  device.free_memory = free;
  const app = Object.assign({}, machine.app);
  app.app_memory = rss;
  const contexts: Contexts = {
    os: merged(machine.os, own?.os as Context | undefined),
    runtime: merged(machine.runtime, own?.runtime as Context | undefined),
    device: own?.device ? Object.assign(device, own.device) : device,
    app: own?.app ? Object.assign(app, own.app) : app,
  };
  if (machine.culture) contexts.culture = merged(machine.culture, own?.culture as Context | undefined);
  if (machine.cloud_resource)
    contexts.cloud_resource = merged(machine.cloud_resource, own?.cloud_resource as Context | undefined);
  if (own) for (const name of Object.keys(own)) if (!(name in contexts)) contexts[name] = own[name];
  event.contexts = contexts;
  return event;
}

/** Event values win: a context the app set itself is completed, never overwritten. */
function merged(detected: Context, existing: Context | undefined): Context {
  return Object.assign({}, detected, existing);
}
