/** Options as the client sees them: user options after defaults, env vars and validation. */
import type { SdkInfo } from './types/event';
import type { Integration } from './types/integration';
import type { Options } from './types/options';
import type { StackParser } from './types/stacktrace';
import type { Transport, TransportOptions } from './types/transport';

export interface ClientOptions extends Omit<Options, 'integrations' | 'defaultIntegrations' | 'transport'> {
  integrations: Integration[];
  stackParser: StackParser;
  transport?: (options: TransportOptions) => Transport;
  /** `event.platform`, e.g. `node` or `javascript`. */
  platform: string;
  sdk: SdkInfo;
}
