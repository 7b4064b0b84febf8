/** Renders the Plan screen's view in a bare page, its API calls answered by the test through `window.lifeboatCall`. */
import { createRoot } from 'react-dom/client';
import { useEffect, useState } from 'react';
import { PlanView } from '../../../renderer/src/features/plan/PlanScreen';
import { ReadinessSummary } from '../../../renderer/src/features/plan/ReadinessSummary';
import type { PlanSummary } from '../../../shared/contract/plan';
import type { PlanApi } from '../../../renderer/src/features/plan/plan-api';
// The console's own styles, so a screenshot looks as the app does.
import '../../../renderer/src/styles/base.css';
import '../../../renderer/src/styles/layout.css';
import '../../../renderer/src/styles/controls.css';
import '../../../renderer/src/styles/tables.css';
import '../../../renderer/src/styles/screens.css';
import '../../../renderer/src/styles/feedback.css';
import '../../../renderer/src/styles/dashboard.css';

declare global {
  interface Window {
    lifeboatCall(
      method: string,
      payload: unknown,
    ): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
    notices: string[];
    /** "summary" renders the Dashboard's ReadinessSummary instead of the Plan screen. */
    harnessMode?: string;
  }
}

window.notices = [];
const api: PlanApi = {
  async call(method, input) {
    const envelope = await window.lifeboatCall(method, input);
    if (!envelope.ok) throw new Error(envelope.error!.message);
    return envelope.value as never;
  },
};
/** The Dashboard's use of ReadinessSummary: load plan.summary, show the component. */
function SummaryHarness() {
  const [summary, setSummary] = useState<PlanSummary | null>(null);
  useEffect(() => void api.call('plan.summary', {}).then(setSummary), []);
  return summary ? <ReadinessSummary readiness={summary.readiness} /> : null;
}

createRoot(document.getElementById('root')!).render(
  <main className="screen" style={{ padding: '1.5rem' }}>
    {window.harnessMode === 'summary' ? (
      <SummaryHarness />
    ) : (
      <PlanView api={api} notify={(kind, message) => window.notices.push(`${kind}: ${message}`)} />
    )}
  </main>,
);
