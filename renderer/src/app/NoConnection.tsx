/** Shown instead of the console when the page cannot reach Lifeboat at all. */
import { LifebuoyIcon } from '../components/icons';

/** A plain page explaining how to open the console properly. */
export function NoConnection({ problem, retry }: { problem: string; retry?: () => void }) {
  return (
    <main className="center-page">
      <div className="center-card" role="alert">
        <div className="brand">
          <LifebuoyIcon />
          <span>Lifeboat</span>
        </div>
        <h1>The console cannot reach Lifeboat</h1>
        <p>{problem}</p>
        {retry && (
          <button type="button" className="button button-primary" onClick={retry}>
            Try again
          </button>
        )}
      </div>
    </main>
  );
}
