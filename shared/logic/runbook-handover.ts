/**
 * The data handover of a default runbook where Lifeboat has no guarded action for it (DRBD, a
 * shared disk, a restore from backup): manual steps carrying the exact commands, so the standby
 * never starts the group's services on data that was not handed over. Also the manual runbook of
 * a group with a single member (vendor hardware: call the vendor, start the workaround).
 */
import type { DataSpec, Server, ServiceGroup } from '../domain';
import type { ManualStep } from '../runbooks';
import { shellQuote } from '../quoting';

/** Names of the two ends, for the step texts. */
export interface HandoverEnds {
  source: string;
  target: string;
}

const manual = (title: string, instruction: string, role: string, expectedMinutes: number): ManualStep => ({
  type: 'manual',
  title,
  instruction,
  role,
  expectedMinutes,
});

/** Manual steps that hand the data over from `ends.source` to `ends.target`, in order (none for kinds Lifeboat moves itself). */
export function dataHandoverSteps(data: DataSpec, ends: HandoverEnds): ManualStep[] {
  const { source, target } = ends;
  switch (data.kind) {
    case 'drbd': {
      const resource = shellQuote(data.resource);
      const mount = shellQuote(data.mountPoint);
      return [
        manual(
          `Demote DRBD ${data.resource} on ${source}`,
          `On ${source}, if it is still running:\n  umount -- ${mount}\n  drbdadm secondary -- ${resource}\nIf ${source} is down, make sure it is powered off or isolated before going on: two DRBD primaries diverge.`,
          'admin',
          5,
        ),
        manual(
          `Promote DRBD ${data.resource} and mount it on ${target}`,
          `On ${target}:\n  drbdadm primary -- ${resource}\n  mount -- ${shellQuote(data.device)} ${mount}\nCheck with "drbdadm status -- ${data.resource}" that ${target} is Primary and the disk is UpToDate before the services start.`,
          'admin',
          5,
        ),
      ];
    }
    case 'shared-disk': {
      const mount = shellQuote(data.mountPoint);
      return [
        manual(
          `Release the shared disk on ${source}`,
          `On ${source}, if it is still running:\n  umount -- ${mount}\nOtherwise make sure ${source} is powered off or cut off from the disk: a shared disk mounted on two servers is corrupted.`,
          'admin',
          5,
        ),
        manual(
          `Mount the shared disk on ${target}`,
          `On ${target}:\n  mount -- ${shellQuote(data.device)} ${mount}\nCheck that the files are there before the services start.`,
          'admin',
          5,
        ),
      ];
    }
    case 'backup-restore': {
      const restore = data.restoreCommand.trim()
        ? `Restore command (from the group's definition):\n  ${data.restoreCommand.trim()}`
        : 'Use the restore procedure of the backup tool.';
      return [
        manual(
          `Restore the latest backup on ${target}`,
          `On ${target}, restore the latest good backup from ${data.backupPath}. ${restore}\nNote the backup's time: data written after it is lost (compare with the RPO).`,
          'admin',
          60,
        ),
        manual(
          `Check the restored data on ${target}`,
          `Open the restored data on ${target} and check the newest records before the services start.`,
          'admin',
          10,
        ),
      ];
    }
    default:
      return [];
  }
}

/** A service of the group as the manual runbook needs it. */
export interface GroupService {
  name: string;
  workaround: string;
}

/** The manual runbook of a group with one member: workaround, the vendor, and the check when it is back. */
export function singleMemberSteps(
  group: ServiceGroup,
  server: Server | undefined,
  services: readonly GroupService[],
): ManualStep[] {
  const name = server?.name ?? group.name;
  const steps: ManualStep[] = [];
  const workarounds = services.filter((s) => s.workaround.trim());
  if (workarounds.length > 0) {
    steps.push(
      manual(
        `Start the manual workaround for ${workarounds.map((s) => s.name).join(', ')}`,
        workarounds.map((s) => `${s.name}: ${s.workaround.trim()}`).join('\n'),
        'operations manager',
        5,
      ),
    );
  }
  const support = server?.support;
  const vendor = support?.vendor.trim() || 'the vendor';
  const details = [
    support?.phone && `phone ${support.phone}`,
    support?.contract && `contract ${support.contract}`,
    support?.hours && `cover ${support.hours}`,
  ]
    .filter(Boolean)
    .join(', ');
  steps.push(
    manual(
      `Call ${vendor} about ${name}`,
      `${name} has no standby: ${vendor} repairs it.${details ? ` ${details}.` : ''} Report what failed and when, and note the ticket number.`,
      'admin',
      10,
    ),
  );
  steps.push(
    manual(
      `Check ${name} is back and undo the workaround`,
      `When ${vendor} reports ${name} repaired, test it (for a phone system: place a call in and out), then undo the workaround (for example remove the call forwarding).`,
      'admin',
      15,
    ),
  );
  return steps;
}
