/** "Export plan file…" and "Import plan file…": the app's File menu, kept in the top bar. */
import { useRef, useState } from 'react';
import { DownloadIcon, UploadIcon } from '../../components/icons';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import { ImportPlanDialog, type ChosenPlan } from './ImportPlanDialog';
import { PLAN_FILE_NAME, PLAN_MAX_BYTES, downloadText } from './plan-download';

/** Both plan-file actions as a labelled toolbar. */
export function PlanFileActions() {
  return (
    <div className="toolbar" role="group" aria-label="Plan file">
      <ExportPlanButton />
      <ImportPlanButton />
    </div>
  );
}

/** Downloads the workspace as lifeboat-plan.yaml. */
export function ExportPlanButton() {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const [busy, setBusy] = useState(false);
  const exportPlan = async () => {
    setBusy(true);
    try {
      const { yaml } = await call('workspace.exportPlan', {});
      downloadText(yaml, PLAN_FILE_NAME);
      notify('success', `Plan file exported as ${PLAN_FILE_NAME}. Keep a copy off the servers it describes.`);
    } catch (error) {
      notify('error', `Could not export the plan file: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button button-quiet" onClick={exportPlan} disabled={busy}>
      <DownloadIcon />
      Export plan file…
    </button>
  );
}

/** Picks a YAML file, then asks before it replaces the workspace. */
export function ImportPlanButton({ className = 'button button-quiet' }: { className?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const notify = useApp(selectNotify);
  const [chosen, setChosen] = useState<ChosenPlan | null>(null);

  const onFile = async (file: File | undefined) => {
    if (input.current) input.current.value = '';
    if (!file) return;
    if (file.size > PLAN_MAX_BYTES) {
      notify(
        'error',
        `${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; plan files are 10 MiB at most. Nothing was imported.`,
      );
      return;
    }
    setChosen({ name: file.name, yaml: await file.text() });
  };

  return (
    <>
      <button type="button" className={className} onClick={() => input.current?.click()}>
        <UploadIcon />
        Import plan file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
        hidden
        aria-label="Plan file to import"
        data-testid="import-plan-input"
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      {chosen && <ImportPlanDialog plan={chosen} onClose={() => setChosen(null)} />}
    </>
  );
}
