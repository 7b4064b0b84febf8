/**
 * A provisional runbook outline generated from a service group's definition (members, VIPs, data,
 * processes), printed until a real runbook is recorded. It follows the failover doctrine of
 * docs/safety.md: stop the old primary, release its addresses and check they are gone, probe for a
 * duplicate, take the data over, start, acquire and announce, verify.
 */
import type { Server, Service, ServiceGroup } from '../../shared/domain';
import { acquireVip, announceVip, probeDuplicate, releaseVip, showVip, sshLogin, unitCommand } from './commands';
import { dataHandover, dataPreflight, dataSwitchback, dataVerification } from './outline-data';
import { LAPTOP, step, vipsOn, whereOn, type OutlineStep } from './outline-step';

export type { OutlineStep } from './outline-step';

export interface RunbookOutline {
  /** Always true until runbooks are recorded: the plan labels the outline as generated. */
  provisional: true;
  from: string | null;
  to: string | null;
  preflight: OutlineStep[];
  steps: OutlineStep[];
  verification: OutlineStep[];
  switchback: OutlineStep[];
}

export interface OutlineInput {
  group: ServiceGroup;
  /** The services the group carries, most urgent first. */
  services: readonly Service[];
  servers: ReadonlyMap<number, Server>;
  /** The person for technical steps ("Sam Patel, IT admin"). */
  technician: string;
  /** The person who declares a disaster and talks to staff. */
  declarer: string;
}

/** Generate the outline for one group. */
export function generateOutline(input: OutlineInput): RunbookOutline {
  const { group, servers } = input;
  const primary = servers.get(group.members.find((m) => m.role === 'primary')?.serverId ?? -1);
  const standby = servers.get(group.members.find((m) => m.role === 'standby')?.serverId ?? -1);
  if (primary && standby) return failoverOutline(input, primary, standby);
  return repairOutline(input, primary ?? servers.get(group.members[0]?.serverId ?? -1));
}

function workaroundText(services: readonly Service[]): string {
  const lines = services.filter((s) => s.workaround.trim() !== '').map((s) => `${s.name}: ${s.workaround.trim()}`);
  return lines.length > 0 ? lines.join('; ') : 'no manual workaround is recorded';
}

function declareStep(input: OutlineInput): OutlineStep {
  const names = input.services.map((s) => s.name).join(', ') || `group ${input.group.name}`;
  return step(
    `Declare the outage of ${names} and tell staff to use the workaround`,
    input.declarer,
    null,
    [],
    workaroundText(input.services),
  );
}

function failoverOutline(input: OutlineInput, primary: Server, standby: Server): RunbookOutline {
  const { group, technician: tech, servers } = input;
  const jumpOf = (s: Server) => (s.ssh.jumpServerId === null ? undefined : servers.get(s.ssh.jumpServerId));
  const oldVips = vipsOn(group, primary);
  const newVips = vipsOn(group, standby);
  const units = group.processes;
  const others = group.members
    .filter((m) => m.role === 'standby' && m.serverId !== standby.id)
    .map((m) => servers.get(m.serverId)?.name)
    .filter(Boolean);

  const preflight = [
    step(
      `Check that the standby ${standby.name} is up`,
      tech,
      LAPTOP,
      [sshLogin(standby, jumpOf(standby), 'uptime')],
      'It prints how long it has been up. If it does not answer, stop: there is nothing to fail over to.',
    ),
    step(
      `Find out whether the primary ${primary.name} still answers`,
      tech,
      LAPTOP,
      [`ping -c 3 ${primary.ssh.host}`, sshLogin(primary, jumpOf(primary), 'uptime')],
      `If ${primary.name} does not answer, make sure it is powered off or unplugged from the network before you move its addresses (two holders of one address break every client), and skip the steps marked "on ${primary.name}".`,
    ),
    ...dataPreflight(group, primary, standby, tech),
  ];

  const steps = [declareStep(input)];
  if (units.length > 0)
    steps.push(
      step(`Stop the services on ${primary.name}`, tech, whereOn(primary), [
        unitCommand(primary.os, 'stop', [...units].reverse()),
      ]),
    );
  steps.push(...dataHandover(group, primary, standby, tech, 'before-release'));
  if (oldVips.length > 0) {
    steps.push(
      step(
        `Release the virtual IP${oldVips.length > 1 ? 's' : ''} on ${primary.name}`,
        tech,
        whereOn(primary),
        oldVips.flatMap((v) => [releaseVip(primary.os, v), showVip(primary.os, v)]),
        'The check after each release must print nothing.',
      ),
    );
  }
  if (newVips.length > 0) {
    const probes = newVips.map((v) => probeDuplicate(standby.os, v));
    steps.push(
      step(
        `Check that nobody else holds the address`,
        tech,
        whereOn(standby),
        probes.map((p) => p.command),
        `Expect ${probes[0].expect}. If anything answers, stop and find the other holder.`,
      ),
    );
  }
  steps.push(...dataHandover(group, primary, standby, tech, 'after-release'));
  if (units.length > 0)
    steps.push(
      step(`Start the services on ${standby.name}`, tech, whereOn(standby), [unitCommand(standby.os, 'start', units)]),
    );
  if (newVips.length > 0) {
    const commands = newVips.flatMap((v) =>
      [acquireVip(standby.os, v), announceVip(standby.os, v)].filter((c): c is string => c !== null),
    );
    steps.push(
      step(
        `Take over the virtual IP${newVips.length > 1 ? 's' : ''} on ${standby.name}`,
        tech,
        whereOn(standby),
        commands,
      ),
    );
  }

  const verification = [
    step(
      `Check ${standby.name} holds the address and runs the services`,
      tech,
      whereOn(standby),
      [
        ...newVips.map((v) => showVip(standby.os, v)),
        ...(units.length > 0 ? [unitCommand(standby.os, 'check', units)] : []),
        ...dataVerification(group, standby),
      ],
      'Each address check prints one line; each service reads "active" (or "ok").',
    ),
    ...(newVips.length > 0
      ? [
          step(
            'Check from a client that the address answers',
            tech,
            LAPTOP,
            newVips.map((v) => `ping -c 3 ${v.address}`),
            `Then open ${input.services.map((s) => s.name).join(', ') || 'the service'} as a user would.`,
          ),
        ]
      : []),
    step(
      'Tell staff the service is back and stop the workaround',
      input.declarer,
      null,
      [],
      'Note the time: it is the recovery time to compare with the RTO.',
    ),
  ];

  const back = dataSwitchback(group, primary, standby, tech);
  const switchback = [
    step(
      `When ${primary.name} is repaired, before anything else: keep its services stopped and check it holds no address`,
      tech,
      whereOn(primary),
      [
        ...(units.length > 0 ? [unitCommand(primary.os, 'stop', [...units].reverse())] : []),
        ...oldVips.map((v) => showVip(primary.os, v)),
      ],
      `A repaired server may start its services and take its address at boot. Each address check must print nothing; if one prints the address, release it (${oldVips.length > 0 ? releaseVip(primary.os, oldVips[0]) : 'see the release step above'}).`,
    ),
    ...back.prepare,
  ];
  if (back.swapRoles) {
    switchback.push(
      step(
        `In a quiet hour, move back: follow the recovery steps above with ${standby.name} as the old primary and ${primary.name} as the new one`,
        tech,
        null,
        [],
      ),
    );
  } else {
    const stop = units.length > 0 ? [unitCommand(standby.os, 'stop', [...units].reverse())] : [];
    const release = newVips.flatMap((v) => [releaseVip(standby.os, v), showVip(standby.os, v)]);
    if (back.final.length > 0) {
      switchback.push(
        step(`In a quiet hour, stop the services on ${standby.name}`, tech, whereOn(standby), stop),
        ...back.final,
      );
      switchback.push(
        step(
          `Release the address on ${standby.name}`,
          tech,
          whereOn(standby),
          release,
          'Each address check must print nothing.',
        ),
      );
    } else {
      switchback.push(
        step(
          `In a quiet hour, stop the services on ${standby.name} and release its address`,
          tech,
          whereOn(standby),
          [...stop, ...release],
          release.length > 0 ? 'Each address check must print nothing.' : '',
        ),
      );
    }
    switchback.push(
      step(
        `Start the services on ${primary.name} and take the address back`,
        tech,
        whereOn(primary),
        [
          ...oldVips.map((v) => probeDuplicate(primary.os, v).command),
          ...(units.length > 0 ? [unitCommand(primary.os, 'start', units)] : []),
          ...oldVips.flatMap((v) =>
            [acquireVip(primary.os, v), announceVip(primary.os, v)].filter((c): c is string => c !== null),
          ),
        ],
        oldVips.length > 0 ? 'The duplicate check comes first: if anything answers, stop.' : '',
      ),
    );
  }
  if (others.length > 0) {
    preflight.push(
      step(
        `Other standbys: ${others.join(', ')}`,
        tech,
        null,
        [],
        `This outline uses ${standby.name}; use the same steps with another standby if ${standby.name} is down.`,
      ),
    );
  }
  return { provisional: true, from: primary.name, to: standby.name, preflight, steps, verification, switchback };
}

/** No standby: the outline is the vendor call and the workaround. */
function repairOutline(input: OutlineInput, server: Server | undefined): RunbookOutline {
  const { group, technician: tech } = input;
  const vendor = server?.support;
  const call =
    vendor && vendor.vendor.trim() !== ''
      ? `Call ${vendor.vendor}${vendor.phone ? ` on ${vendor.phone}` : ''}${vendor.contract ? `, contract ${vendor.contract}` : ''}${vendor.hours ? ` (${vendor.hours})` : ''}`
      : 'Call whoever repairs this hardware (no support contract is recorded)';
  const units = group.processes;
  const preflight = server
    ? [step(`Find out whether ${server.name} still answers`, tech, LAPTOP, [`ping -c 3 ${server.ssh.host}`])]
    : [];
  const steps = [
    declareStep(input),
    step(
      call,
      tech,
      null,
      [],
      `Group "${group.name}" has no standby server: it comes back when ${server?.name ?? 'its server'} is repaired or replaced.`,
    ),
  ];
  const verification = server
    ? [
        step(`Check ${server.name} is back`, tech, LAPTOP, [
          `ping -c 3 ${server.ssh.host}`,
          ...(units.length > 0 ? [sshLogin(server, undefined, unitCommand(server.os, 'check', units))] : []),
        ]),
      ]
    : [];
  verification.push(
    step(
      'Tell staff the service is back and stop the workaround',
      input.declarer,
      null,
      [],
      'Note the time: it is the recovery time to compare with the RTO.',
    ),
  );
  const switchback = [
    step('Undo the workaround (for example, take the main number off the fallback)', input.declarer, null, []),
  ];
  return { provisional: true, from: server?.name ?? null, to: null, preflight, steps, verification, switchback };
}
