/**
 * The plan's stylesheet as the HTML inlines it: the embedded fonts as data: URLs, the print
 * stylesheet from assets/print/plan.css (see embedded-assets.ts), and the page footer rule.
 */
import { cssString } from './escape';
import { PLAN_CSS, PLAN_FONTS } from './embedded-assets';
import type { PageMarks } from './labels';

/** @font-face rules for the embedded fonts: the document looks the same everywhere, offline. */
export function fontFaces(): string {
  return PLAN_FONTS.map(
    (font) =>
      `@font-face{font-family:${cssString(font.family)};font-style:normal;font-weight:${font.weight};font-display:block;src:url(data:font/woff2;base64,${font.base64}) format("woff2")}`,
  ).join('\n');
}

const MARK = 'font-size:7.5pt;color:#57606a;font-family:"Lifeboat Sans", system-ui, sans-serif';

/**
 * The whole stylesheet. The page marks go into the print margins (CSS page-margin boxes), so the
 * PDF renderers and a browser's print dialog print the same header and footer on every page.
 */
export function planStylesheet(marks: PageMarks): string {
  const box = (where: string, content: string) => `@${where}{content:${content};${MARK}}`;
  const page = `@page{${box('top-left', cssString(marks.topLeft))}${box('top-right', cssString(marks.topRight))}${box('bottom-left', cssString(marks.bottomLeft))}${box('bottom-right', '"page " counter(page) " of " counter(pages)')}}`;
  return `${fontFaces()}\n${PLAN_CSS}${page}`;
}
