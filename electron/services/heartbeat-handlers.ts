/** Handlers for the watcher's heartbeat (the sending is electron/watcher/heartbeat.ts). */
import type { heartbeatMethods } from '../../shared/contract/heartbeat';
import type { HandlersFor } from './handler-types';
import { heartbeatStatus, setHeartbeatUrl } from '../watcher/heartbeat-store';

/** One handler per heartbeat method. */
export const heartbeatHandlers: HandlersFor<keyof typeof heartbeatMethods> = {
  'heartbeat.status': (ctx) => heartbeatStatus(ctx.db),
  'heartbeat.set': (ctx, { url }) => {
    setHeartbeatUrl(ctx.db, url);
    return heartbeatStatus(ctx.db);
  },
};
