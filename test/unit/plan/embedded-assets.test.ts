import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAN_CSS, PLAN_FONTS } from '../../../electron/plan/embedded-assets';
import { fontFaces, planStylesheet } from '../../../electron/plan/html-style';
// @ts-expect-error: a plain JavaScript build script without types
import { embeddedAssetsSource } from '../../../scripts/plan-assets.mjs';

const root = path.resolve(__dirname, '../../..');

describe('the plan stylesheet and fonts embedded in the bundle', () => {
  it('match assets/print/plan.css and the font files (run node scripts/embed-plan-assets.mjs when not)', () => {
    const current = fs.readFileSync(path.join(root, 'electron/plan/embedded-assets.ts'), 'utf8');
    expect(current === (embeddedAssetsSource(root) as string), 'electron/plan/embedded-assets.ts is stale').toBe(true);
    expect(PLAN_CSS).toBe(fs.readFileSync(path.join(root, 'assets/print/plan.css'), 'utf8'));
  });

  it('are woff2 fonts for every family the stylesheet names, as data: URLs in @font-face rules', () => {
    for (const font of PLAN_FONTS)
      expect(Buffer.from(font.base64, 'base64').subarray(0, 4).toString('latin1')).toBe('wOF2');
    const families = new Set(PLAN_FONTS.map((f) => f.family));
    expect([...families].sort()).toEqual(['Lifeboat Mono', 'Lifeboat Sans']);
    for (const family of families) expect(PLAN_CSS).toContain(`"${family}"`);
    expect(fontFaces().match(/@font-face\{/g)).toHaveLength(PLAN_FONTS.length);
    expect(planStylesheet({ topLeft: 'a', topRight: 'b', bottomLeft: 'c' })).toContain(
      'src:url(data:font/woff2;base64,',
    );
  });
});
