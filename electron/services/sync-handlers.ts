/** Handlers for the scheduled guarded sync (the work is in electron/sync/timer.ts). */
import type { syncMethods } from '../../shared/contract/sync';
import type { HandlersFor } from './handler-types';
import { installSyncTimer, previewSyncTimer, removeSyncTimer, syncTimerStatus } from '../sync/timer';

/** One handler per sync method. */
export const syncHandlers: HandlersFor<keyof typeof syncMethods> = {
  'sync.preview': (ctx, input) => previewSyncTimer(ctx, input),
  'sync.install': (ctx, input) => installSyncTimer(ctx, input),
  'sync.status': (ctx, { groupId }) => syncTimerStatus(ctx, groupId),
  'sync.remove': (ctx, input) => removeSyncTimer(ctx, input),
};
