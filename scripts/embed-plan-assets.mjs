// `node scripts/embed-plan-assets.mjs`: write electron/plan/embedded-assets.ts from the plan's print
// stylesheet (assets/print/plan.css) and its fonts (IBM Plex Sans and Mono, latin, from the
// @fontsource packages). The packaged app carries only its bundles, so the plan's CSS and fonts go
// into the bundle as strings; test/unit/plan/embedded-assets.test.ts fails when this file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedAssetsSource } from './plan-assets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'electron', 'plan', 'embedded-assets.ts');
fs.writeFileSync(target, embeddedAssetsSource(root));
console.log(`wrote ${path.relative(root, target)} (${(fs.statSync(target).size / 1024).toFixed(0)} KiB)`);
