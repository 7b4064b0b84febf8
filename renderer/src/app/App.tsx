/** The top of the tree: loading, the first-run screen, or the console with its sidebar. */
import { useApp } from '../store/store-context';
import { FirstRun } from '../features/first-run/FirstRun';
import { Notices } from './Notices';
import { NoConnection } from './NoConnection';
import { Shell } from './Shell';

/** Chooses what to show from the workspace's load state. */
export function App() {
  const loadState = useApp((s) => s.loadState);
  const loadError = useApp((s) => s.loadError);
  const initialised = useApp((s) => s.info?.initialised ?? false);
  const refresh = useApp((s) => s.refresh);

  let content;
  if (loadState === 'loading') {
    content = (
      <main className="center-page" aria-busy="true">
        <p className="muted">Opening the workspace…</p>
      </main>
    );
  } else if (loadState === 'failed') {
    content = <NoConnection problem={loadError ?? 'The workspace could not be loaded.'} retry={() => void refresh()} />;
  } else if (!initialised) {
    content = <FirstRun />;
  } else {
    content = <Shell />;
  }
  return (
    <>
      {content}
      <Notices />
    </>
  );
}
