/**
 * The Plan screen: readiness, the recovery order, the dependency map, business impact, a preview
 * of the printable DR plan (in a sandboxed frame), export buttons and the revision history.
 */
import { useState } from 'react';
import { PLAN_FORMATS, type PlanFormat } from '../../../../shared/contract/plan';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import type { AppState } from '../../store/app-state';
import { DependencyMap } from './DependencyMap';
import { ReadinessPanel } from './ReadinessPanel';
import { ImpactPanel, RecoveryOrderPanel } from './RecoveryOrderPanel';
import { RevisionHistory } from './RevisionHistory';
import { downloadExport, type PlanApi } from './plan-api';
import { usePlanData } from './use-plan-data';
import './plan.css';

const FORMAT_LABEL: Record<PlanFormat, string> = { pdf: 'PDF', html: 'HTML', md: 'Markdown' };
const selectSnapshot = (s: AppState) => s.snapshot;

/** The screen as the console shows it: the API and change notifications come from the store. */
export function PlanScreen() {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const snapshot = useApp(selectSnapshot);
  const [api] = useState<PlanApi>(() => ({ call }));
  return <PlanView api={api} changeKey={snapshot} notify={notify} />;
}

export interface PlanViewProps {
  api: PlanApi;
  /** Anything that changes when the workspace does; the view reloads when it changes. */
  changeKey?: unknown;
  notify?: (kind: 'success' | 'error', message: string) => void;
}

/** The screen's content for any `call`: used by PlanScreen, usable without the store. */
export function PlanView({ api, changeKey, notify = () => {} }: PlanViewProps) {
  const data = usePlanData(api, changeKey);
  const [exporting, setExporting] = useState<PlanFormat | null>(null);

  const exportPlan = async (format: PlanFormat) => {
    setExporting(format);
    try {
      const result = await api.call('plan.export', { format });
      downloadExport(result);
      notify(
        'success',
        `Exported ${result.fileName} (revision ${result.revision}). Keep a copy on paper and off the servers it describes.`,
      );
      // In the console the store's refresh changes changeKey, which reloads; elsewhere reload here.
      if (changeKey === undefined) data.reload();
    } catch (error) {
      notify('error', `Could not export the plan as ${FORMAT_LABEL[format]}: ${(error as Error).message}`);
    } finally {
      setExporting(null);
    }
  };

  return (
    <>
      <ScreenHeader
        title="Disaster-recovery plan"
        description="What comes back first, how ready each service is, and the plan to print."
      >
        <div className="toolbar" role="group" aria-label="Export the plan">
          {PLAN_FORMATS.map((format) => (
            <button
              key={format}
              type="button"
              className={`button${format === 'pdf' ? ' button-primary' : ''}`}
              onClick={() => void exportPlan(format)}
              disabled={exporting !== null}
              data-testid={`export-${format}`}
            >
              {exporting === format ? 'Exporting…' : `Export ${FORMAT_LABEL[format]}`}
            </button>
          ))}
        </div>
      </ScreenHeader>

      {data.error && (
        <div className="callout callout-error" role="alert">
          <p className="callout-title">The plan cannot be worked out</p>
          <p>{data.error}</p>
        </div>
      )}
      {data.loading && !data.summary && <p className="muted">Working out the plan…</p>}

      {data.summary && (
        <div className="plan-grid">
          <ReadinessPanel readiness={data.summary.readiness} />
          <RecoveryOrderPanel steps={data.summary.recoveryOrder} targetMinutes={data.summary.targetMinutes} />
        </div>
      )}

      <section aria-labelledby="map-title" className="panel plan-wide">
        <h2 id="map-title" className="panel-title">
          Dependency map
        </h2>
        {data.summary && data.summary.singlePointsOfFailure.length > 0 && (
          <p className="panel-description">
            Single points of failure (marked SPOF): {data.summary.singlePointsOfFailure.map((p) => p.name).join(', ')}.
          </p>
        )}
        {data.map ? (
          <DependencyMap svg={data.map.svg} width={data.map.width} height={data.map.height} />
        ) : data.mapError ? (
          <p className="callout callout-error" role="alert" data-testid="map-error">
            The map cannot be drawn: {data.mapError}
          </p>
        ) : (
          <p className="muted">Drawing the map…</p>
        )}
      </section>

      {data.summary && <ImpactPanel impact={data.summary.impact} />}

      <section aria-labelledby="preview-title" className="panel plan-wide">
        <h2 id="preview-title" className="panel-title">
          Preview
          {data.preview && (
            <span className="muted small plan-preview-meta">
              revision {data.preview.revision}
              {data.preview.recorded ? '' : ' (not exported yet)'} · sha256 {data.preview.hash.slice(0, 12)}…
            </span>
          )}
        </h2>
        {data.preview ? (
          // sandbox="" : no script, no forms, no navigation of the console, a unique origin.
          <iframe
            className="plan-preview"
            title="Preview of the printable plan"
            sandbox=""
            srcDoc={data.preview.html}
            data-testid="plan-preview"
          />
        ) : data.previewError ? (
          <p className="callout callout-error" role="alert" data-testid="preview-error">
            The plan cannot be previewed: {data.previewError}
          </p>
        ) : (
          <p className="muted">Preparing the preview…</p>
        )}
      </section>

      <RevisionHistory revisions={data.revisions} />
    </>
  );
}
