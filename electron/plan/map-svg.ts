/**
 * The laid-out dependency map as one self-contained SVG string (attributes only, no <style>, no
 * external references), so the same image goes inline into the HTML plan and, as a data: URL
 * image, into the app's screens. Every text is XML-escaped.
 */
import type { Tier } from '../../shared/domain';
import type { LiveStatus, MapEdgeKind, MapNodeKind } from './map-graph';
import { fitLabel } from './map-graph';
import type { MapLayout, PlacedEdge, PlacedNode } from './map-layout';

export const FONT_STACK =
  '"Lifeboat Sans", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Escape text for XML content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const TIER_COLOURS: Record<Tier, { fill: string; stroke: string }> = {
  critical: { fill: '#fde8e8', stroke: '#b3261e' },
  important: { fill: '#fff3d6', stroke: '#9a6700' },
  routine: { fill: '#e7f0fb', stroke: '#1f5fa8' },
};
const KIND_COLOURS: Record<Exclude<MapNodeKind, 'service'>, { fill: string; stroke: string; dash?: string }> = {
  group: { fill: '#eef0f3', stroke: '#59636e' },
  server: { fill: '#ffffff', stroke: '#59636e' },
  provider: { fill: '#f4f0fb', stroke: '#6f42c1', dash: '5 3' },
};
export const STATUS_COLOURS: Record<LiveStatus, string> = {
  up: '#2e7d32',
  degraded: '#ed6c02',
  down: '#d32f2f',
  unknown: '#9e9e9e',
};
const EDGE_STYLE: Record<MapEdgeKind, { stroke: string; dash?: string; arrow: boolean }> = {
  depends: { stroke: '#3d444d', arrow: true },
  'runs-on': { stroke: '#8c959f', arrow: true },
  primary: { stroke: '#8c959f', arrow: false },
  standby: { stroke: '#8c959f', dash: '6 4', arrow: false },
  hosted: { stroke: '#6f42c1', dash: '2 3', arrow: true },
};
const SPOF_RED = '#c62828';
const LEGEND_HEIGHT = 64;
const EXTRA_ROW = 26;

const n = (value: number) => Math.round(value * 10) / 10;

/** The whole map as an SVG document string. */
export function renderMapSvg(
  layout: MapLayout,
  title = 'Dependency map',
): { svg: string; width: number; height: number } {
  if (layout.nodes.length === 0) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 60" width="360" height="60" role="img"><title>${escapeXml(title)}</title><text x="16" y="36" font-family="${escapeXml(FONT_STACK)}" font-size="13" fill="#3d444d">No services to show yet.</text></svg>`;
    return { svg, width: 360, height: 60 };
  }
  const width = Math.max(layout.width, 760);
  const withStatus = layout.nodes.some((node) => node.status !== null);
  const height = layout.height + LEGEND_HEIGHT + (withStatus ? EXTRA_ROW : 0) + (layout.condensed ? EXTRA_ROW : 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="${escapeXml(FONT_STACK)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3d444d"/></marker></defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...layout.edges.map(renderEdge),
    ...layout.nodes.map(renderNode),
    renderLegend(layout.height + 8, withStatus, layout.condensed),
    '</svg>',
  ];
  return { svg: parts.join(''), width, height };
}

function renderEdge(edge: PlacedEdge): string {
  if (edge.points.length < 2) return '';
  const style = EDGE_STYLE[edge.kind];
  const points = edge.points.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');
  return `<polyline points="${points}" fill="none" stroke="${style.stroke}" stroke-width="1.4"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}${style.arrow ? ' marker-end="url(#arrow)"' : ''}/>`;
}

function colours(node: PlacedNode): { fill: string; stroke: string; dash?: string } {
  if (node.kind === 'service') return TIER_COLOURS[node.tier ?? 'routine'];
  return KIND_COLOURS[node.kind];
}

function renderNode(node: PlacedNode): string {
  const { fill, stroke, dash } = colours(node);
  const x = n(node.x);
  const y = n(node.y);
  const tooltip = [
    node.title,
    node.subtitle,
    node.status ? `status: ${node.status}` : '',
    node.singlePoint ? 'single point of failure' : '',
  ]
    .filter(Boolean)
    .join(' — ');
  const out = [`<g><title>${escapeXml(tooltip)}</title>`];
  if (node.singlePoint) {
    out.push(
      `<rect x="${x - 4}" y="${y - 4}" width="${node.width + 8}" height="${node.height + 8}" rx="9" fill="none" stroke="${SPOF_RED}" stroke-width="2.5" stroke-dasharray="6 3"/>`,
    );
  }
  out.push(
    `<rect x="${x}" y="${y}" width="${node.width}" height="${node.height}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
  );
  const textX = node.status ? x + 22 : x + 12;
  if (node.status) out.push(`<circle cx="${x + 12}" cy="${y + 16}" r="5" fill="${STATUS_COLOURS[node.status]}"/>`);
  out.push(
    `<text x="${textX}" y="${y + 19}" font-size="12" font-weight="600" fill="#1f2328">${escapeXml(fitLabel(node.title))}</text>`,
  );
  out.push(
    `<text x="${x + 12}" y="${y + 35}" font-size="10.5" fill="#3d444d">${escapeXml(fitLabel(node.subtitle))}</text>`,
  );
  if (node.singlePoint) {
    out.push(`<rect x="${x + node.width - 40}" y="${y - 10}" width="44" height="16" rx="8" fill="${SPOF_RED}"/>`);
    out.push(
      `<text x="${x + node.width - 18}" y="${y + 2}" font-size="9.5" font-weight="700" fill="#ffffff" text-anchor="middle">SPOF</text>`,
    );
  }
  out.push('</g>');
  return out.join('');
}

function renderLegend(top: number, withStatus: boolean, condensed: boolean): string {
  const items: string[] = [];
  let x = 16;
  const swatch = (label: string, fill: string, stroke: string, dash = '') => {
    items.push(
      `<rect x="${x}" y="${top}" width="22" height="14" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="1.4"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    items.push(`<text x="${x + 28}" y="${top + 11}" font-size="11" fill="#1f2328">${label}</text>`);
    x += 36 + label.length * 6.4;
  };
  for (const tier of ['critical', 'important', 'routine'] as const)
    swatch(tier, TIER_COLOURS[tier].fill, TIER_COLOURS[tier].stroke);
  if (!condensed) {
    swatch('service group', KIND_COLOURS.group.fill, KIND_COLOURS.group.stroke);
    swatch('server', KIND_COLOURS.server.fill, KIND_COLOURS.server.stroke);
  }
  swatch('single point of failure', '#ffffff', SPOF_RED, '6 3');
  let row = top + 30;
  x = 16;
  const line = (label: string, kind: MapEdgeKind) => {
    const style = EDGE_STYLE[kind];
    items.push(
      `<line x1="${x}" y1="${row + 6}" x2="${x + 30}" y2="${row + 6}" stroke="${style.stroke}" stroke-width="1.4"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}${style.arrow ? ' marker-end="url(#arrow)"' : ''}/>`,
    );
    items.push(`<text x="${x + 36}" y="${row + 10}" font-size="11" fill="#1f2328">${label}</text>`);
    x += 44 + label.length * 6.4;
  };
  line('depends on', 'depends');
  if (!condensed) {
    line('runs on', 'runs-on');
    line('primary member', 'primary');
    line('standby member', 'standby');
  }
  line('hosted by a provider', 'hosted');
  if (condensed) {
    row += EXTRA_ROW;
    items.push(
      `<text x="16" y="${row + 10}" font-size="11" fill="#1f2328">Services only: groups and servers are left out of a map this size. Each box names its group; see sections 5 and 6.</text>`,
    );
  }
  if (withStatus) {
    row += EXTRA_ROW;
    (Object.keys(STATUS_COLOURS) as LiveStatus[]).forEach((status, i) => {
      items.push(`<circle cx="${22 + i * 110}" cy="${row + 6}" r="5" fill="${STATUS_COLOURS[status]}"/>`);
      items.push(`<text x="${32 + i * 110}" y="${row + 10}" font-size="11" fill="#1f2328">status: ${status}</text>`);
    });
  }
  return items.join('');
}
