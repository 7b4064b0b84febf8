/** The plan's service functions: summary, map, preview, export (which records a revision), revisions. */
import type { ServiceContext } from '../ports/context';
import { snapshot as readSnapshot } from '../services/workspace';
import type { Snapshot } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import type { PlanExport, PlanFormat, PlanRevision, PlanSummary } from '../../shared/contract/plan';
import type { ReadinessEvidence } from '../../shared/logic/readiness';
import { listPlanRevisions, recordPlanRevision, revisionNumberFor } from '../db/repositories/plan-revisions';
import { analysePlan, type PlanAnalysis } from './analysis';
import { workspaceEvidence } from './evidence';
import type { MapStatus } from './map-graph';
import { engineRunbooks } from './runbooks';
import { contentHash } from './hash';
import { renderPlanHtml } from './html';
import { planFileName } from './labels';
import { dependencyMap, type MapImage } from './map';
import { renderPlanMarkdown } from './markdown';
import { buildPlanContent, type ChangeLogEntry, type PlanContent, type PlanModel } from './model';
import { configuredPdfRenderer, type PdfRenderer } from './pdf';
import { chromiumPdfRenderer } from './pdf-chromium';

interface PlanBuild {
  snapshot: Snapshot;
  evidence: ReadinessEvidence;
  mapStatus: MapStatus;
  analysis: PlanAnalysis;
  content: PlanContent;
  hash: string;
}

function build(ctx: ServiceContext, now: Date): PlanBuild {
  const snapshot = readSnapshot(ctx);
  const { readiness: evidence, mapStatus } = workspaceEvidence(ctx.db, now);
  const analysis = analysePlan(snapshot, evidence);
  const content = buildPlanContent(snapshot, analysis, evidence, engineRunbooks(ctx.db));
  return { snapshot, evidence, mapStatus, analysis, content, hash: contentHash(content) };
}

/** For the Dashboard and the Plan screen. */
export function planSummary(ctx: ServiceContext): PlanSummary {
  const snapshot = readSnapshot(ctx);
  const analysis = analysePlan(snapshot, workspaceEvidence(ctx.db).readiness);
  return {
    recoveryOrder: analysis.order,
    readiness: analysis.readiness,
    impact: analysis.impact,
    unprotected: analysis.unprotected,
    singlePointsOfFailure: analysis.singlePoints,
    targetMinutes: snapshot.settings.targetMinutes,
  };
}

/** The dependency map as SVG. */
export async function planMap(ctx: ServiceContext): Promise<MapImage> {
  const snapshot = readSnapshot(ctx);
  const { readiness, mapStatus } = workspaceEvidence(ctx.db);
  return dependencyMap(snapshot, analysePlan(snapshot, readiness).singlePoints, mapStatus);
}

/** One-line description stored with each revision. */
function revisionSummary(plan: PlanBuild): string {
  const { services, groups, servers, contacts } = plan.snapshot;
  const critical = services.filter((s) => s.tier === 'critical').length;
  return `${services.length} services (${critical} critical), ${groups.length} groups, ${servers.length} servers, ${contacts.length} contacts; readiness ${plan.analysis.readiness.score}/100`;
}

/** Revisions grouped by number, newest first, with the export being made folded in. */
function changeLog(revisions: readonly PlanRevision[], pending: Omit<PlanRevision, 'id'> | null): ChangeLogEntry[] {
  const byNumber = new Map<number, ChangeLogEntry>();
  const all = [...revisions].reverse().concat(pending ? [{ ...pending, id: 0 }] : []);
  for (const r of all) {
    const entry = byNumber.get(r.number);
    if (!entry)
      byNumber.set(r.number, {
        number: r.number,
        date: r.createdAt,
        sha256: r.sha256,
        formats: [r.format],
        summary: r.summary,
      });
    else if (!entry.formats.includes(r.format)) entry.formats.push(r.format);
  }
  return [...byNumber.values()].sort((a, b) => b.number - a.number);
}

/** The whole model; `pending` is the revision an export is about to record (null for a preview). */
async function model(
  ctx: ServiceContext,
  plan: PlanBuild,
  now: Date,
  pending: Omit<PlanRevision, 'id'> | null,
  withMap: boolean,
): Promise<PlanModel> {
  const { number, recorded } = pending
    ? { number: pending.number, recorded: true }
    : revisionNumberFor(ctx.db, plan.hash);
  return {
    meta: { revision: number, recorded, generatedAt: now.toISOString(), hash: plan.hash, appVersion: ctx.appVersion },
    content: plan.content,
    changeLog: changeLog(listPlanRevisions(ctx.db), pending),
    map: withMap ? await dependencyMap(plan.snapshot, plan.analysis.singlePoints, plan.mapStatus) : null,
  };
}

/** The plan as HTML without recording anything. */
export async function previewPlan(
  ctx: ServiceContext,
): Promise<{ html: string; revision: number; hash: string; recorded: boolean }> {
  const now = new Date();
  const plan = build(ctx, now);
  const planModel = await model(ctx, plan, now, null, true);
  return {
    html: renderPlanHtml(planModel),
    revision: planModel.meta.revision,
    hash: plan.hash,
    recorded: planModel.meta.recorded,
  };
}

/**
 * Export the plan in one format and record the revision. The revision number goes up only when the
 * content hash differs from the newest revision's. Nothing is recorded when rendering fails.
 */
export async function exportPlanDocument(
  ctx: ServiceContext,
  format: PlanFormat,
  renderer?: PdfRenderer,
): Promise<PlanExport> {
  if (format !== 'pdf') return exportWith(ctx, format, null);
  const pdf = renderer ?? configuredPdfRenderer() ?? chromiumPdfRenderer();
  pdf.prepare?.();
  try {
    return await exportWith(ctx, format, pdf);
  } finally {
    await pdf.release?.();
  }
}

async function exportWith(ctx: ServiceContext, format: PlanFormat, pdf: PdfRenderer | null): Promise<PlanExport> {
  const now = new Date();
  const plan = build(ctx, now);
  const { number } = revisionNumberFor(ctx.db, plan.hash);
  const revision = { number, createdAt: now.toISOString(), format, sha256: plan.hash, summary: revisionSummary(plan) };
  // Markdown has no picture: it points to the HTML and PDF for the map.
  const planModel = await model(ctx, plan, now, revision, format !== 'md');

  let content: string;
  if (format === 'html') content = renderPlanHtml(planModel);
  else if (format === 'md') content = renderPlanMarkdown(planModel);
  else {
    if (!pdf) throw new Error('a PDF export needs a renderer');
    content = Buffer.from(await pdf.render(renderPlanHtml(planModel))).toString('base64');
  }

  ctx.db.transaction(() => {
    if (revisionNumberFor(ctx.db, plan.hash).number !== number) {
      throw new LifeboatError('conflict', 'Another export recorded a different plan meanwhile; export again');
    }
    recordPlanRevision(ctx.db, revision);
  })();
  return {
    format,
    fileName: planFileName(plan.content.company, number, format),
    content,
    encoding: format === 'pdf' ? 'base64' : 'utf8',
    revision: number,
    hash: plan.hash,
  };
}

/** Every recorded export, newest first. */
export function planRevisionList(ctx: ServiceContext): PlanRevision[] {
  return listPlanRevisions(ctx.db);
}
