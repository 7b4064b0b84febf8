/**
 * What the window may do, following Electron's security checklist: only the app's own page is
 * loaded and trusted, navigation and new windows are refused, links leave only for a few known
 * sites and only in the system browser, every response carries the CSP, every permission is denied.
 */
import { pathToFileURL } from 'node:url';
import type { Session, WebContents } from 'electron';
import type { TrustedSender } from '../host/ipc';

/** Hosts the console may link to (opened in the system browser over https); all else is dropped. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'github.com',
  'man.openbsd.org',
  'manpages.debian.org',
  'www.postgresql.org',
];

/** True for the app's page (file URL of dist/renderer/index.html), with or without a #fragment. */
export function appUrlMatcher(rendererIndex: string): (url: string) => boolean {
  const expected = pathToFileURL(rendererIndex).href;
  return (url) => {
    const parsed = parseUrl(url);
    if (!parsed || parsed.protocol !== 'file:') return false;
    parsed.hash = '';
    return parsed.href === expected;
  };
}

/** The IPC sender check: the top frame of a window showing the app's page. */
export function appFrameCheck(isAppUrl: (url: string) => boolean): TrustedSender {
  return (frame) => !!frame && !frame.parent && isAppUrl(frame.url);
}

/** Whether a link may be handed to the system browser. */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    !!parsed &&
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    EXTERNAL_LINK_HOSTS.includes(parsed.hostname)
  );
}

export interface ContentsPolicy {
  isAppUrl: (url: string) => boolean;
  openExternal: (url: string) => Promise<void>;
  log: (message: string) => void;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
const guarded = new WeakSet<object>();

/** Refuse navigation away from the app's page, new windows and webviews; idempotent per contents. */
export function guardWebContents(contents: GuardedContents, policy: ContentsPolicy): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const refuseForeign = (kind: string) => (event: { url?: string; preventDefault(): void }, legacyUrl?: string) => {
    const url = event.url ?? legacyUrl ?? '';
    if (policy.isAppUrl(url)) return;
    event.preventDefault();
    policy.log(`refused ${kind} to ${JSON.stringify(url.slice(0, 200))}`);
  };
  contents.on('will-navigate', refuseForeign('navigation'));
  contents.on('will-frame-navigate', refuseForeign('frame navigation'));
  contents.on('will-redirect', refuseForeign('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log('refused a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) {
      policy.openExternal(url).catch((error: Error) => policy.log(`could not open ${url}: ${error.message}`));
    } else {
      policy.log(`refused to open ${JSON.stringify(url.slice(0, 200))}`);
    }
    return { action: 'deny' };
  });
}

type PolicySession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/** Put the CSP on every response and deny every permission request and check. */
export function applySessionPolicy(session: PolicySession, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
