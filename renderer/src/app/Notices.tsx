/** Notices in the corner: successes fade after a while, errors stay until dismissed. */
import { useEffect } from 'react';
import { useApp } from '../store/store-context';
import type { Notice } from '../store/ui-slice';

const SUCCESS_MS = 8000;

function NoticeItem({ notice, dismiss }: { notice: Notice; dismiss: (id: number) => void }) {
  useEffect(() => {
    if (notice.tone === 'error') return;
    const timer = setTimeout(() => dismiss(notice.id), SUCCESS_MS);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <li
      className={`notice notice-${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : undefined}
      data-testid={`notice-${notice.tone}`}
    >
      <div className="notice-text">
        <p>{notice.text}</p>
        {notice.details.length > 0 && (
          <ul>
            {notice.details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M3.5 3.5l9 9m0-9l-9 9" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" fill="none" />
        </svg>
      </button>
    </li>
  );
}

/** The live region every notice goes to. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      <ul>
        {notices.map((notice) => (
          <NoticeItem key={notice.id} notice={notice} dismiss={dismiss} />
        ))}
      </ul>
    </div>
  );
}
