/** The dependency map, from workspace to SVG, remembered for the last workspace it was drawn for. */
import type { Snapshot } from '../../shared/domain';
import type { SinglePointOfFailure } from '../../shared/logic/readiness';
import { buildMapGraph, type MapStatus } from './map-graph';
import { layoutMap } from './map-layout';
import { renderMapSvg } from './map-svg';
import { canonicalJson } from './hash';

export interface MapImage {
  svg: string;
  width: number;
  height: number;
}

// Layout of a few hundred nodes takes most of a second; the map is asked for by the screen, the
// preview and every export, usually of an unchanged workspace.
let last: { key: string; image: MapImage } | null = null;

/** The dependency map of a workspace as an SVG image. */
export async function dependencyMap(
  snapshot: Pick<Snapshot, 'services' | 'groups' | 'servers'>,
  singlePoints: readonly SinglePointOfFailure[],
  status: MapStatus = {},
): Promise<MapImage> {
  const graph = buildMapGraph(snapshot, singlePoints, status);
  const key = canonicalJson(graph);
  if (last?.key === key) return last.image;
  const image = renderMapSvg(await layoutMap(graph));
  last = { key, image };
  return image;
}
