/** Contract entries for the watcher's heartbeat. */
import { method, Empty } from './define';
import { HeartbeatSettingsDraft, HeartbeatStatus } from '../heartbeat';

/** The heartbeat methods. */
export const heartbeatMethods = {
  'heartbeat.status': method({
    input: Empty,
    output: HeartbeatStatus,
    summary: "The watcher's heartbeat: where it goes, the last sweep, the last ping and when one was last accepted",
    mutates: false,
  }),
  'heartbeat.set': method({
    input: HeartbeatSettingsDraft,
    output: HeartbeatStatus,
    summary: 'Set the heartbeat URL (http or https; failures go to URL/fail), or null to stop sending it',
    mutates: true,
  }),
} as const;
