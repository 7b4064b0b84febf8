/** The history of one check as a uPlot chart: the kind's metric as a line, the status as a step line beneath. */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Api } from '../../../../shared/api-client';
import type { CheckKind, CheckResult } from '../../../../shared/checks';
import { chartData, chartMetric, STATUS_LABEL } from './health-model';

const STATUS_TICKS = ['ok', 'warn', 'unknown', 'fail'] as const;

/** Read a CSS custom property so the chart follows the light or dark theme. */
function cssColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** What the chart needs. */
export interface HistoryChartProps {
  api: Api;
  checkId: number;
  kind: CheckKind;
  /** Bumped by the screen when a new result arrives, to reload. */
  revision: number;
  limit?: number;
}

/** Loads `checks.history` and draws it; shows the result count and a plain message when there is none yet. */
export function HistoryChart({ api, checkId, kind, revision, limit = 500 }: HistoryChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const [history, setHistory] = useState<CheckResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('checks.history', { checkId, limit }).then(
      (results) => live && setHistory(results),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [api, checkId, limit, revision]);

  useEffect(() => {
    const element = container.current;
    if (!element || !history || history.length === 0) return;
    const metric = chartMetric(kind);
    const accent = cssColour('--accent', '#2458c6');
    const danger = cssColour('--danger', '#b42318');
    const muted = cssColour('--text-muted', '#5d6673');
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth || 600),
      height: 180,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, status: { range: [0, 3] } },
      series: [
        {},
        { label: metric.label, stroke: accent, width: 2, spanGaps: false, points: { show: history.length < 60 } },
        {
          label: 'status',
          scale: 'status',
          stroke: danger,
          width: 1,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          value: (_u, v) => (v === null ? '—' : STATUS_LABEL[STATUS_TICKS[v]]),
        },
      ],
      axes: [
        { stroke: muted },
        { stroke: muted, label: metric.label },
        {
          scale: 'status',
          side: 1,
          stroke: muted,
          splits: () => [0, 1, 2, 3],
          values: (_u, splits) => splits.map((s) => STATUS_TICKS[s] ?? ''),
          grid: { show: false },
        },
      ],
    };
    const plot = new uPlot(options, chartData(kind, history), element);
    return () => plot.destroy();
  }, [history, kind]);

  if (error) return <p className="health-chart-message">The history could not be read: {error}</p>;
  if (!history) return <p className="health-chart-message">Loading the history…</p>;
  if (history.length === 0)
    return <p className="health-chart-message">No results yet: run the check to start its history.</p>;
  return (
    <figure className="health-chart" data-testid={`history-${checkId}`}>
      <div ref={container} />
      <figcaption className="muted">
        {history.length} results, oldest {new Date(Math.min(...history.map((r) => r.at))).toLocaleString()}
      </figcaption>
    </figure>
  );
}
