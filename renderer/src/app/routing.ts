/** Hash routes: `#/servers` shows the screen with id "servers". */

/** The screen id in a location hash, or the fallback when it names no known screen. */
export function screenFromHash(hash: string, known: readonly string[], fallback: string): string {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return known.includes(id) ? id : fallback;
}

/** The hash of a screen. */
export function hashOf(screen: string): string {
  return `#/${screen}`;
}
