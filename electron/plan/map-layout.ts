/** Lays the dependency map out with elkjs (layered: dependants above what they depend on). */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { MapEdge, MapGraph, MapNode } from './map-graph';

export interface Point {
  x: number;
  y: number;
}
export interface PlacedNode extends MapNode {
  x: number;
  y: number;
}
export interface PlacedEdge extends MapEdge {
  points: Point[];
}
/** The map with every node placed and every edge routed, in pixels. */
export interface MapLayout {
  condensed: boolean;
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
  'elk.randomSeed': '1',
};

/** Node count above which the layout trades some crossing minimisation for speed. */
export const LARGE_MAP = 80;

let elk: InstanceType<typeof ELK> | null = null;

/** Place the nodes and route the edges. */
export async function layoutMap(graph: MapGraph): Promise<MapLayout> {
  if (graph.nodes.length === 0) return { condensed: false, width: 0, height: 0, nodes: [], edges: [] };
  elk ??= new ELK();
  // Big maps trade some polish for speed: fewer crossing-minimisation passes, no greedy switch, and
  // straight segments instead of orthogonal routing (a 200-service map: from about 500 to 170 ms).
  const thoroughness: Record<string, string> =
    graph.nodes.length > LARGE_MAP
      ? {
          'elk.layered.thoroughness': '1',
          'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
          'elk.edgeRouting': 'POLYLINE',
        }
      : {};
  const root: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, ...thoroughness },
    children: graph.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: graph.edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await elk.layout(root);
  const placed = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const routed = new Map((laid.edges ?? []).map((e) => [e.id, e]));
  return {
    condensed: graph.condensed,
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    nodes: graph.nodes.map((n) => ({ ...n, x: placed.get(n.id)?.x ?? 0, y: placed.get(n.id)?.y ?? 0 })),
    edges: graph.edges.map((e) => {
      const section = routed.get(e.id)?.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      return { ...e, points: points.map((p) => ({ x: p.x, y: p.y })) };
    }),
  };
}
