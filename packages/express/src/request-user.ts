/** `req.user` (set by passport and similar) as the event's user, only when `sendDefaultPii` is on. */
import { extractUserFromRequest, getClient, setUser } from '@faultline/node';
import type { ExpressRequest } from './express-internals';

export function setUserFromRequest(request: ExpressRequest): void {
  const sendDefaultPii = getClient()?.getOptions().sendDefaultPii === true;
  if (!sendDefaultPii || request.user === undefined) return;
  const user = extractUserFromRequest(request.user, { sendDefaultPii });
  if (user) setUser(user);
}
