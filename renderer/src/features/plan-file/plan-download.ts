/** Saves text as a file through a temporary Blob link (no Node, no dialogs of our own). */

export const PLAN_FILE_NAME = 'lifeboat-plan.yaml';
/** The host refuses bigger plans; checking first saves reading and sending them. */
export const PLAN_MAX_BYTES = 10 * 1024 * 1024;

/** Offer `text` as a download named `fileName`. */
export function downloadText(text: string, fileName: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next tick; keep the URL a while for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** "3 servers, 1 site, …" from an import summary. */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${n} ${n === 1 ? kind.replace(/s$/, '') : kind}`)
    .join(', ');
}
