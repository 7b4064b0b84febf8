/** The headless host's per-start token: from the page address, kept for reloads without it. */

const STORAGE_KEY = 'lifeboat.token';

/** The token from `?token=…`, else the one remembered in this tab's session, else null. */
export function readToken(
  location: Pick<Location, 'search'>,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): string | null {
  const fromAddress = new URLSearchParams(location.search).get('token');
  if (fromAddress) {
    try {
      storage?.setItem(STORAGE_KEY, fromAddress);
    } catch {
      // Storage may be disabled; the address still carries the token.
    }
    return fromAddress;
  }
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
