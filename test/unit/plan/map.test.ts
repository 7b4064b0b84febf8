import { describe, expect, it } from 'vitest';
import { buildMapGraph, CONDENSE_ABOVE } from '../../../electron/plan/map-graph';
import { layoutMap } from '../../../electron/plan/map-layout';
import { renderMapSvg } from '../../../electron/plan/map-svg';
import { singlePointsOfFailure } from '../../../shared/logic/readiness';
import { exampleSnapshot, pairGroup, server, service, snapshot } from './fixtures';

describe('dependency map', () => {
  const example = exampleSnapshot();
  const graph = buildMapGraph(example, singlePointsOfFailure(example), {
    services: { 1: 'down' },
    groups: { 2: 'degraded' },
    servers: { 3: 'up' },
  });

  it('has the services, the groups and servers under them, and the hosting provider', () => {
    const kinds = graph.nodes.reduce<Record<string, number>>(
      (n, node) => ({ ...n, [node.kind]: (n[node.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ service: 7, group: 5, server: 9, provider: 1 });
    expect(graph.condensed).toBe(false);
    expect(graph.edges.filter((e) => e.kind === 'standby')).toHaveLength(4);
    expect(graph.edges.find((e) => e.kind === 'hosted')).toMatchObject({ source: 's6' });
  });

  it('marks the single point of failure on the service, its group and its server', () => {
    expect(
      graph.nodes
        .filter((n) => n.singlePoint)
        .map((n) => n.id)
        .sort(),
    ).toEqual(['g5', 's2', 'v9']);
  });

  it('colours by tier and live status when a status is given', () => {
    expect(graph.nodes.find((n) => n.id === 's1')).toMatchObject({ tier: 'critical', status: 'down' });
    expect(graph.nodes.find((n) => n.id === 'v3')?.status).toBe('up');
    expect(graph.nodes.find((n) => n.id === 's3')?.status).toBeNull();
    expect(graph.nodes.find((n) => n.id === 'g2')?.status).toBe('degraded');
    expect(graph.nodes.find((n) => n.id === 'g1')?.status).toBeNull();
  });

  it('lays every box out inside the picture and draws it as one SVG with a status legend', async () => {
    const layout = await layoutMap(graph);
    for (const node of layout.nodes) {
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    const { svg, width } = renderMapSvg(layout);
    expect(width).toBeGreaterThanOrEqual(layout.width);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('status: down');
    expect((svg.match(/>SPOF</g) ?? []).length).toBe(3);
  });

  it('keeps only services and their dependencies when the full map would be too big', () => {
    const count = 60;
    const big = snapshot({
      servers: Array.from({ length: count * 2 }, (_, i) => server(i + 1, `s${i + 1}`)),
      groups: Array.from({ length: count }, (_, i) =>
        pairGroup(i + 1, `g${i + 1}`, 2 * i + 1, i === 0 ? null : 2 * i + 2),
      ),
      services: Array.from({ length: count }, (_, i) =>
        service(i + 1, `Service ${i + 1}`, { groupId: i + 1, dependsOn: i > 0 ? [1] : [] }),
      ),
    });
    const condensed = buildMapGraph(big, singlePointsOfFailure(big));
    expect(count * 4 - 1).toBeGreaterThan(CONDENSE_ABOVE);
    expect(condensed.condensed).toBe(true);
    expect(condensed.nodes.every((n) => n.kind === 'service')).toBe(true);
    expect(condensed.nodes[0]).toMatchObject({ singlePoint: true, subtitle: 'critical · RTO 30 min · g1' });
    expect(condensed.edges.every((e) => e.kind === 'depends')).toBe(true);
  });

  it('draws an empty workspace as a small picture that says so', async () => {
    const { svg } = renderMapSvg(await layoutMap(buildMapGraph(snapshot({}), [])));
    expect(svg).toContain('No services to show yet.');
  });
});
