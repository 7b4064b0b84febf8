/**
 * rsync.sync: copy the group's files from the current holder of its VIP to a member that does not
 * hold it. Both hosts are read right before the copy and anything else is refused before a copy
 * command is sent (the copy script checks the source's VIP again itself). With --delete, a dry run
 * (`rsync -n --delete --itemize-changes`) shows what would be deleted first; deletions need the
 * operator's acknowledgement, bound to the count and sha256 of the list shown (a different list
 * asks again), and never exceed the runbook's maxDelete cap (DEFAULT_MAX_DELETE unless raised).
 */
import crypto from 'node:crypto';
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { word } from '../../ssh/quote';
import {
  outcomeText,
  planned,
  requireAnswer,
  serverOf,
  StepStop,
  type ActionModule,
  type PlanEnvironment,
  type ActionResult,
  type StepEnvironment,
} from './kit';
import { findAddress, listAddressesScript, parseAddresses } from './vip-state';
import { receiverAddress, rsyncLines } from './rsync-lines';
import { overwriteList, overwritePreviewScript } from './rsync-preview';

export { receiverAddress, rsyncLines };

type Params = ActionParams<'rsync.sync'>;

/** Exit status of the copy script when the source does not hold the VIP (nothing copied). */
export const NOT_HOLDER_EXIT = 97;
/** rsync: 24 means some source files vanished during the copy, which a live share does. */
export const RSYNC_OK = [0, 24];
/** rsync: 25 means --max-delete stopped the deletions (more to delete than acknowledged). */
const MAX_DELETE_EXIT = 25;

/** The dry run that lists what --delete would remove on the receiver (never capped: the whole list is shown). */
export function deletionPreviewScript(params: Params, receiver: Server, vips: readonly string[]): string {
  return rsyncLines(params, receiver, vips, '-n --delete --itemize-changes ').join('\n');
}

/**
 * The dry run a test recovery sends from the holder (`rsync -n`: nothing is written on either end):
 * every change the copy would make, deletions too when the runbook deletes, and rsync's totals.
 */
export function dryRunScript(params: Params, receiver: Server, vips: readonly string[]): string {
  const extra = `-n --itemize-changes --stats ${params.delete ? '--delete ' : ''}`;
  return rsyncLines(params, receiver, vips, extra)
    .map((line) => `${line} || exit $?`)
    .join('\n');
}

/** What the preview would delete: the lines, their count, and a sha256 the acknowledgement is bound to. */
export function deletionList(previewOutput: string): { lines: string[]; count: number; sha256: string } {
  const lines = previewOutput.split('\n').filter((l) => l.startsWith('*deleting'));
  return { lines, count: lines.length, sha256: crypto.createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/**
 * The copy, guarded on the source: it refuses itself when the source does not hold the VIP. With
 * --delete, rsync deletes at most `deleteLimit` files per path (the count the operator
 * acknowledged; 0 when the preview showed none) and exits 25 when it would delete more.
 */
export function copyScript(
  source: Server,
  params: Params,
  receiver: Server,
  vips: readonly string[],
  deleteLimit: number,
): string {
  const address = word.ip(params.vipAddress).quoted;
  const guard =
    source.os === 'openbsd'
      ? `ifconfig -A | awk -v a=${address} '($1 == "inet" || $1 == "inet6") && $2 == a { found = 1 } END { exit !found }'`
      : `ip -o addr show | awk -v a=${address} '{ for (i = 1; i < NF; i++) if (($i == "inet" || $i == "inet6") && index($(i + 1), a "/") == 1) found = 1 } END { exit !found }'`;
  const limit = Math.max(0, Math.min(Math.trunc(deleteLimit), params.maxDelete));
  const copy = rsyncLines(params, receiver, vips, params.delete ? `--delete --max-delete=${limit} ` : '').map(
    (line) => `${line} || exit $?`,
  );
  return [
    `if ! ${guard}; then echo 'lifeboat: this host does not hold the VIP: refusing to copy'; exit ${NOT_HOLDER_EXIT}; fi`,
    ...copy,
  ].join('\n');
}

function ends(params: Params, env: PlanEnvironment): { source: Server; receiver: Server; vips: string[] } {
  return {
    source: serverOf(env.servers, params.sourceServerId),
    receiver: env.server,
    vips: env.group.vips.map((v) => v.address),
  };
}

/** Read who holds the VIP on both hosts, in parallel. */
async function holders(params: Params, env: StepEnvironment): Promise<{ source: boolean; receiver: boolean }> {
  const { source, receiver } = ends(params, env);
  const read = (server: Server) =>
    env.exec(server, `does ${server.name} hold ${params.vipAddress}?`, listAddressesScript(server.os), {
      readOnly: true,
      quick: true,
      timeoutMs: 10_000,
    });
  const [onSource, onReceiver] = await Promise.all([read(source), read(receiver)]);
  const holds = (server: Server, outcome: Awaited<ReturnType<typeof read>>) => {
    if (outcome.kind !== 'ok') {
      const status = outcome.kind === 'indeterminate' ? 'indeterminate' : 'failed';
      throw new StepStop({
        status,
        message: `cannot tell whether ${server.name} holds ${params.vipAddress} (${outcomeText(outcome)}): nothing was copied`,
      });
    }
    return findAddress(parseAddresses(server.os, outcome.result.stdout), params.vipAddress) !== undefined;
  };
  return { source: holds(source, onSource), receiver: holds(receiver, onReceiver) };
}

/**
 * The overwrite preview before the copy: the list at risk on the receiver is shown; a non-empty
 * one needs the operator's acknowledgement bound to its count and sha256 (a different list asks
 * again), and the copy deletes at most the deletions in it.
 */
async function overwriteGate(
  params: Params,
  env: StepEnvironment,
  source: Server,
  receiver: Server,
  vips: readonly string[],
): Promise<{ result: ActionResult } | { deleteLimit: number }> {
  const preview = requireAnswer(
    await env.exec(
      source,
      `dry run: what the copy would overwrite${params.delete ? ' or delete' : ''} on ${receiver.name}`,
      overwritePreviewScript(params, receiver, vips),
      { readOnly: true, timeoutMs: env.remainingMs(), okCodes: RSYNC_OK },
    ),
    'the overwrite preview',
  );
  if (!RSYNC_OK.includes(preview.code ?? -1))
    return {
      result: {
        status: 'failed',
        message: `the overwrite preview failed (exit ${preview.code}): ${preview.stderr.trim().slice(0, 300)}; nothing was copied`,
      },
    };
  const list = overwriteList(preview.stdout);
  env.info(
    list.count === 0
      ? `nothing on ${receiver.name} would be overwritten or deleted`
      : `would overwrite or delete on ${receiver.name} (${list.count}, list sha256 ${list.sha256.slice(0, 12)}):\n${list.lines.join('\n')}`,
  );
  if (list.deletions > params.maxDelete)
    return {
      result: {
        status: 'refused',
        message: `${list.deletions} files would be deleted on ${receiver.name}, above the runbook's cap of ${params.maxDelete} (maxDelete): nothing was copied.`,
      },
    };
  const shown = env.acknowledgedDeletions;
  if (list.count > 0 && !(shown && shown.count === list.count && shown.sha256 === list.sha256)) {
    const changed = shown
      ? `The list changed since you acknowledged ${shown.count} (sha256 ${shown.sha256.slice(0, 12)}): `
      : '';
    return {
      result: {
        status: 'needs-acknowledgement',
        message: `${changed}${list.count} file(s) on ${receiver.name} would be overwritten or deleted (${list.deletions} deleted; list sha256 ${list.sha256.slice(0, 12)}, listed in the output): it may have been written to while it was down. Acknowledge to copy; at most these ${list.deletions} will be deleted.`,
        deletions: { count: list.count, sha256: list.sha256 },
      },
    };
  }
  return { deleteLimit: list.deletions };
}

export const rsyncSync: ActionModule<'rsync.sync'> = {
  kind: 'rsync.sync',
  describe(params, env) {
    const { source, receiver } = ends(params, env);
    return `Copy ${params.paths.join(', ')} from ${source.name} to ${receiver.name}${params.delete ? ' deleting files the source no longer has' : ''}, only if ${source.name} holds ${params.vipAddress} and ${receiver.name} does not`;
  },
  commands(params, env) {
    const { source, receiver, vips } = ends(params, env);
    return [
      planned(source, `does ${source.name} hold ${params.vipAddress}?`, listAddressesScript(source.os), true),
      planned(receiver, `does ${receiver.name} hold ${params.vipAddress}?`, listAddressesScript(receiver.os), true),
      ...(params.previewOverwrites
        ? [
            planned(
              source,
              `dry run: what the copy would overwrite${params.delete ? ' or delete' : ''} on ${receiver.name}`,
              overwritePreviewScript(params, receiver, vips),
              true,
            ),
          ]
        : params.delete
          ? [
              planned(
                source,
                'dry run: what --delete would remove',
                deletionPreviewScript(params, receiver, vips),
                true,
              ),
            ]
          : []),
      planned(
        source,
        `copy (refuses itself unless this host holds the VIP${params.delete ? '; deletes at most the acknowledged count, N below' : ''})`,
        copyScript(source, params, receiver, vips, params.delete ? params.maxDelete : 0).replace(
          /--max-delete=\d+/g,
          '--max-delete=N',
        ),
        false,
      ),
    ];
  },
  servers(params, env) {
    const { source, receiver } = ends(params, env);
    return [source, receiver];
  },
  async execute(params, env) {
    const { source, receiver, vips } = ends(params, env);
    const held = await holders(params, env);
    if (!held.source || held.receiver) {
      const why = !held.source
        ? `${source.name} (the source) does not hold ${params.vipAddress}`
        : `${receiver.name} (the receiver) holds ${params.vipAddress}`;
      return {
        status: 'refused',
        message: `rsync refused: ${why}. Files are only copied from the VIP holder to a member without it; nothing was copied.`,
        observed: `source holds: ${held.source}, receiver holds: ${held.receiver}`,
      };
    }
    let deleteLimit = 0;
    if (params.previewOverwrites) {
      const gate = await overwriteGate(params, env, source, receiver, vips);
      if ('result' in gate) return gate.result;
      deleteLimit = gate.deleteLimit;
    } else if (params.delete) {
      const preview = requireAnswer(
        await env.exec(source, 'dry run: what --delete would remove', deletionPreviewScript(params, receiver, vips), {
          readOnly: true,
          timeoutMs: env.remainingMs(),
          okCodes: RSYNC_OK,
        }),
        'the deletion preview',
      );
      if (!RSYNC_OK.includes(preview.code ?? -1))
        return {
          status: 'failed',
          message: `the deletion preview failed (exit ${preview.code}): ${preview.stderr.trim().slice(0, 300)}`,
        };
      const deletions = deletionList(preview.stdout);
      env.info(
        deletions.count === 0
          ? 'nothing would be deleted'
          : `would delete on ${receiver.name} (${deletions.count}, list sha256 ${deletions.sha256.slice(0, 12)}):\n${deletions.lines.join('\n')}`,
      );
      if (deletions.count > params.maxDelete) {
        return {
          status: 'refused',
          message: `${deletions.count} files would be deleted on ${receiver.name}, above the runbook's cap of ${params.maxDelete} (maxDelete): nothing was copied. If that many deletions are expected, raise maxDelete in the runbook.`,
        };
      }
      const shown = env.acknowledgedDeletions;
      if (deletions.count > 0 && !(shown && shown.count === deletions.count && shown.sha256 === deletions.sha256)) {
        const changed = shown
          ? `The list changed since you acknowledged ${shown.count} (sha256 ${shown.sha256.slice(0, 12)}): `
          : '';
        return {
          status: 'needs-acknowledgement',
          message: `${changed}${deletions.count} file(s) would be deleted on ${receiver.name} (list sha256 ${deletions.sha256.slice(0, 12)}, listed in the output). Acknowledge to copy with --delete; at most these ${deletions.count} will be deleted.`,
          deletions: { count: deletions.count, sha256: deletions.sha256 },
        };
      }
      deleteLimit = deletions.count;
    }
    const copied = requireAnswer(
      await env.exec(source, `copy to ${receiver.name}`, copyScript(source, params, receiver, vips, deleteLimit), {
        readOnly: false,
        timeoutMs: env.remainingMs(),
        okCodes: [...RSYNC_OK, NOT_HOLDER_EXIT, MAX_DELETE_EXIT],
      }),
      'the copy',
    );
    if (copied.code === MAX_DELETE_EXIT) {
      return {
        status: 'failed',
        message: `rsync found more to delete on ${receiver.name} than the ${deleteLimit} acknowledged and stopped deleting (files were copied, the rest of the deletions skipped). Retry to see the new list and acknowledge it.`,
      };
    }
    if (copied.code === NOT_HOLDER_EXIT)
      return { status: 'refused', message: `${source.name} no longer holds ${params.vipAddress}: it refused to copy` };
    if (!RSYNC_OK.includes(copied.code ?? -1))
      return { status: 'failed', message: `rsync failed (exit ${copied.code}): ${copied.stderr.trim().slice(0, 300)}` };
    return {
      status: 'succeeded',
      message: `copied ${params.paths.join(', ')} from ${source.name} to ${receiver.name}${copied.code === 24 ? ' (some files vanished during the copy)' : ''}`,
    };
  },
  async observe(params, env) {
    try {
      const held = await holders(params, env);
      return `source holds the VIP: ${held.source}; receiver holds it: ${held.receiver}`;
    } catch (error) {
      return (error as Error).message;
    }
  },
};
