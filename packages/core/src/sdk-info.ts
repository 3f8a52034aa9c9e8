/** The SDK's identity on events and envelopes (`sdk.name` is `faultline.javascript.<flavour>`). */
import type { SdkInfo } from './types/event';

export const SDK_VERSION = '0.1.0';

export function makeSdkInfo(flavour: string, packageName = `@faultline/${flavour}`): SdkInfo {
  return {
    name: `faultline.javascript.${flavour}`,
    version: SDK_VERSION,
    packages: [{ name: `npm:${packageName}`, version: SDK_VERSION }],
  };
}
