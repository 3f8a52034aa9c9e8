// Where the bench apps load Faultline from: this repository's built packages, or the packages/
// directory named by BENCH_PACKAGES (a saved build that compare-builds.mjs runs side by side).
import { pathToFileURL } from 'node:url';

export function faultlinePackageUrl(name) {
  const packages = process.env.BENCH_PACKAGES
    ? pathToFileURL(`${process.env.BENCH_PACKAGES.replace(/\/$/, '')}/`)
    : new URL('../../packages/', import.meta.url);
  return new URL(`${name}/dist/index.js`, packages).href;
}
