/**
 * Contract entries for the scheduled guarded sync of an rsync group: preview the exact files, install
 * them after a typed confirmation bound to their sha256, read the timer's status, remove it.
 */
import { z } from 'zod';
import { method } from './define';
import { Id } from '../domain';
import { SyncMemberFiles, SyncTimerRequest } from '../sync-timer';
import { SyncTimerStatus } from '../sync-status';

const Confirmation = z.string().trim().min(1, "type the group's name to confirm").max(300, '300 characters at most');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 of the files shown (64 hex digits)');

/** What would be written, with the sha256 an install must name. */
export const SyncTimerPreview = z.object({
  groupId: Id,
  group: z.string(),
  intervalSeconds: z.int(),
  members: z.array(SyncMemberFiles),
  /** sha256 over every member's files, in order: the confirmation is bound to it. */
  sha256: z.string(),
  /** What to type to confirm. */
  confirmation: z.string(),
});
export type SyncTimerPreview = z.infer<typeof SyncTimerPreview>;

export const syncMethods = {
  'sync.preview': method({
    input: SyncTimerRequest,
    output: SyncTimerPreview,
    summary: 'Show the exact files a scheduled guarded sync would write on each member of an rsync group',
    mutates: false,
  }),
  'sync.install': method({
    input: z
      .object({ groupId: Id, options: SyncTimerRequest.shape.options, sha256: Sha256, confirmation: Confirmation })
      .strict(),
    output: SyncTimerStatus,
    summary: "Install the scheduled guarded sync on both members (the files shown, confirmed by the group's name)",
    mutates: true,
  }),
  'sync.status': method({
    input: z.object({ groupId: Id }).strict(),
    output: SyncTimerStatus,
    summary: "Read the sync timer on each member: installed or not, its last run's stamp, the actual RPO",
    mutates: false,
  }),
  'sync.remove': method({
    input: z.object({ groupId: Id, confirmation: Confirmation }).strict(),
    output: SyncTimerStatus,
    summary: "Remove the scheduled sync from both members (its files and stamps), confirmed by the group's name",
    mutates: true,
  }),
};
