import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../../../electron/host/csp';

const metaOf = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];

describe('the console CSP for the file:// page', () => {
  it('renderer/index.html carries the policy in a meta tag (no header reaches a file:// page)', () => {
    const html = fs.readFileSync(path.join(process.cwd(), 'renderer', 'index.html'), 'utf8');
    expect(metaOf(html)).toBe(metaContentSecurityPolicy());
    // It comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<link'));
  });

  it('is the header policy less frame-ancestors, which browsers ignore in a meta tag', () => {
    expect(contentSecurityPolicy()).toBe(`${metaContentSecurityPolicy()}; frame-ancestors 'none'`);
    expect(metaContentSecurityPolicy()).toContain("script-src 'self'");
    expect(metaContentSecurityPolicy()).not.toContain('unsafe-eval');
  });
});
