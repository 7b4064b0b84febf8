/**
 * The dependency map as a graph: services, the groups they run on and the servers in those groups,
 * coloured by tier and live status, with the single points of failure marked. Pure data; the
 * layout (elkjs) and the SVG are separate steps.
 */
import type { Snapshot, Tier } from '../../shared/domain';
import { formatMinutes } from '../../shared/logic/recovery-order';
import type { SinglePointOfFailure } from '../../shared/logic/readiness';

export const LIVE_STATUSES = ['up', 'degraded', 'down', 'unknown'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Live status from health checks, when they exist; the map leaves status out otherwise. */
export interface MapStatus {
  services?: Readonly<Record<number, LiveStatus>>;
  groups?: Readonly<Record<number, LiveStatus>>;
  servers?: Readonly<Record<number, LiveStatus>>;
}

export type MapNodeKind = 'service' | 'group' | 'server' | 'provider';
export type MapEdgeKind = 'depends' | 'runs-on' | 'primary' | 'standby' | 'hosted';

export interface MapNode {
  id: string;
  kind: MapNodeKind;
  title: string;
  subtitle: string;
  tier: Tier | null;
  status: LiveStatus | null;
  singlePoint: boolean;
  width: number;
  height: number;
}
export interface MapEdge {
  id: string;
  source: string;
  target: string;
  kind: MapEdgeKind;
}
export interface MapGraph {
  nodes: MapNode[];
  edges: MapEdge[];
  /** Groups and servers left out: the full map would be too big to read or lay out quickly. */
  condensed: boolean;
}

/** Above this many boxes the map shows services and their dependencies only. */
export const CONDENSE_ABOVE = 150;

/** Labels longer than this are cut with an ellipsis in the box; the full text is the tooltip. */
export const MAX_LABEL = 30;
const CHAR_WIDTH = { title: 7.4, subtitle: 6.2 };

/** Cut a label to fit a box. */
export function fitLabel(text: string, max = MAX_LABEL): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function node(id: string, kind: MapNodeKind, title: string, subtitle: string, extra: Partial<MapNode> = {}): MapNode {
  const width = Math.ceil(
    Math.max(90, fitLabel(title).length * CHAR_WIDTH.title, fitLabel(subtitle).length * CHAR_WIDTH.subtitle) + 24,
  );
  return { id, kind, title, subtitle, tier: null, status: null, singlePoint: false, width, height: 44, ...extra };
}

/** Build the map's graph from the workspace. */
export function buildMapGraph(
  snapshot: Pick<Snapshot, 'services' | 'groups' | 'servers'>,
  singlePoints: readonly SinglePointOfFailure[],
  status: MapStatus = {},
): MapGraph {
  const servers = new Map(snapshot.servers.map((s) => [s.id, s]));
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const services = new Set(snapshot.services.map((s) => s.id));
  const spofServices = new Set(singlePoints.map((p) => p.serviceId));
  const spofGroups = new Set(
    singlePoints.flatMap((p) => p.causes.flatMap((c) => (c.groupId === null ? [] : [c.groupId]))),
  );
  const spofServers = new Set(singlePoints.flatMap((p) => p.causes.flatMap((c) => c.serverIds)));
  for (const cause of singlePoints.flatMap((p) => p.causes))
    if (cause.groupId === null) spofServices.add(cause.serviceId);

  const nodes: MapNode[] = [];
  const edges: MapEdge[] = [];
  const edge = (source: string, target: string, kind: MapEdgeKind) =>
    edges.push({ id: `e${edges.length + 1}`, source, target, kind });
  const providers = new Map<string, string>();
  const usedGroups = new Set<number>();

  for (const service of snapshot.services) {
    nodes.push(
      node(`s${service.id}`, 'service', service.name, `${service.tier} · RTO ${formatMinutes(service.rtoMinutes)}`, {
        tier: service.tier,
        status: status.services?.[service.id] ?? null,
        singlePoint: spofServices.has(service.id),
      }),
    );
    for (const dependency of new Set(service.dependsOn))
      if (services.has(dependency)) edge(`s${service.id}`, `s${dependency}`, 'depends');
    const provider = service.hostedBy.trim();
    if (provider) {
      if (!providers.has(provider)) {
        providers.set(provider, `p${providers.size + 1}`);
        nodes.push(node(providers.get(provider)!, 'provider', provider, 'external provider'));
      }
      edge(`s${service.id}`, providers.get(provider)!, 'hosted');
    } else if (service.groupId !== null && groups.has(service.groupId)) {
      usedGroups.add(service.groupId);
      edge(`s${service.id}`, `g${service.groupId}`, 'runs-on');
    }
  }
  const usedServers = new Set<number>();
  for (const group of snapshot.groups) {
    if (!usedGroups.has(group.id)) continue;
    const vips = group.vips.map((v) => v.address);
    const subtitle =
      vips.length === 0 ? 'no virtual IP' : `VIP ${vips[0]}${vips.length > 1 ? ` +${vips.length - 1}` : ''}`;
    nodes.push(
      node(`g${group.id}`, 'group', `group ${group.name}`, subtitle, {
        status: status.groups?.[group.id] ?? null,
        singlePoint: spofGroups.has(group.id),
      }),
    );
    for (const member of group.members) {
      if (!servers.has(member.serverId)) continue;
      usedServers.add(member.serverId);
      edge(`g${group.id}`, `v${member.serverId}`, member.role);
    }
  }
  for (const server of snapshot.servers) {
    if (!usedServers.has(server.id)) continue;
    nodes.push(
      node(`v${server.id}`, 'server', server.name, server.addresses[0] ?? server.ssh.host, {
        status: status.servers?.[server.id] ?? null,
        singlePoint: spofServers.has(server.id),
      }),
    );
  }
  if (nodes.length <= CONDENSE_ABOVE) return { nodes, edges, condensed: false };
  // Condensed: each service names its group, and a service on a group without a standby carries
  // that group's single-point-of-failure mark itself.
  const groupOf = new Map(snapshot.services.map((s) => [s.id, s.groupId === null ? undefined : groups.get(s.groupId)]));
  return {
    nodes: nodes
      .filter((n) => n.kind === 'service' || n.kind === 'provider')
      .map((n) => {
        const group = n.kind === 'service' ? groupOf.get(Number(n.id.slice(1))) : undefined;
        if (!group) return n;
        return node(n.id, n.kind, n.title, `${n.subtitle} · ${group.name}`, {
          tier: n.tier,
          status: n.status,
          singlePoint: n.singlePoint || spofGroups.has(group.id),
        });
      }),
    edges: edges.filter((e) => e.kind === 'depends' || e.kind === 'hosted'),
    condensed: true,
  };
}
