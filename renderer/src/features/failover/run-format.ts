/** How the failover screens write a duration. */

/** "1.2 s" or "3 min 4 s". */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
