import { UnavailableError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';
import type { NotificationDependencies } from './notification-access.ts';

/** The notification dependencies, or a 503 when this process was built without them. */
export function notificationsOf(deps: ApiDependencies): NotificationDependencies {
  if (deps.notifications === undefined) throw new UnavailableError(['notifications']);
  return deps.notifications;
}
