/** Follow one run live: its view, refreshed on every `run.step`, and the output lines of each step. */
import { useEffect, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { RunOutput, RunView } from '../../../../shared/contract/failover';

export interface LiveRun {
  run: RunView | null;
  /** Output lines by step index (-1: pre-flight and final verification). */
  output: Map<number, RunOutput[]>;
  finished: boolean;
  error: string | null;
}

/** Output kept per step in the window (the audit log keeps everything). */
const MAX_LINES_PER_STEP = 400;

/** Subscribe to a run's events; unsubscribes when the run id changes or the component goes. */
export function useRun(api: Api, runId: number | null): LiveRun {
  const [run, setRun] = useState<RunView | null>(null);
  const [output, setOutput] = useState<Map<number, RunOutput[]>>(new Map());
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (runId === null) return undefined;
    let live = true;
    const refresh = () =>
      api.call('runs.get', { runId }).then(
        (view) => {
          if (!live) return;
          setRun(view);
          if (view.status !== 'running') setFinished(true);
        },
        (e: Error) => live && setError(e.message),
      );
    setOutput(new Map());
    setFinished(false);
    void refresh();
    const off = [
      api.on('run.step', (event) => event.runId === runId && void refresh()),
      api.on('run.output', (line) => {
        if (line.runId !== runId) return;
        setOutput((previous) => {
          const next = new Map(previous);
          next.set(line.stepIndex, [...(next.get(line.stepIndex) ?? []), line].slice(-MAX_LINES_PER_STEP));
          return next;
        });
      }),
      api.on('run.finished', (event) => {
        if (event.runId !== runId) return;
        setFinished(true);
        void refresh();
      }),
    ];
    return () => {
      live = false;
      for (const unsubscribe of off) unsubscribe();
    };
  }, [api, runId]);

  return { run, output, finished, error };
}

/** "1.2 s" or "3 min 4 s". */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
