// `--import`ed before the app, no SDK: only what any SDK that isolates its scopes per request adds,
// each request handled inside its own AsyncLocalStorage store. On Node 20 and 22 that turns on the
// async hooks' promise hooks for every promise the process creates; Node 24's AsyncLocalStorage
// needs none. The row shows how much of an SDK's overhead is this floor on the Node version run.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';

const storage = new AsyncLocalStorage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInOwnStore(event, ...args) {
  if (event !== 'request') return emit.call(this, event, ...args);
  return storage.run({ request: args[0] }, () => emit.call(this, event, ...args));
};
