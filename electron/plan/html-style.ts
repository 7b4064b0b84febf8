/**
 * The plan's stylesheet: readable on a phone, printable on A4. Print rules: every major section
 * starts a page, a runbook step never splits across pages, long commands wrap anywhere.
 */
import { cssString } from './escape';
import { FONT_STACK } from './map-svg';

const SCREEN = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:${FONT_STACK};font-size:15px;line-height:1.45;color:#1f2328;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.9rem;margin:.2rem 0 .4rem}
h2{font-size:1.4rem;margin:1.6rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid #1f2328}
h3{font-size:1.15rem;margin:1.2rem 0 .4rem}
h4{font-size:1rem;margin:1rem 0 .3rem}
p{margin:.4rem 0}
a{color:#0b57d0}
.muted{color:#57606a}
.small{font-size:.85em}
.note{white-space:pre-line}
.cover{border:2px solid #1f2328;border-radius:8px;padding:1.2rem;margin-bottom:1rem}
.cover .subtitle{font-size:1.2rem;margin:0 0 1rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.6rem 0}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8em;overflow-wrap:anywhere}
.score{display:inline-block;font-size:1.6rem;font-weight:700;padding:.1rem .6rem;border-radius:6px;border:2px solid currentColor}
.score.good{color:#1a7f37}.score.fair{color:#9a6700}.score.poor{color:#b3261e}
.table-wrap{overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
.nowrap{white-space:nowrap}
th{background:#f6f8fa}
td ul{margin:0;padding-left:1.1rem}
.tier{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:4px;font-size:.8em;font-weight:600;border:1px solid}
.tier-critical{background:#fde8e8;color:#8c1d18;border-color:#b3261e}
.tier-important{background:#fff3d6;color:#6f4a00;border-color:#9a6700}
.tier-routine{background:#e7f0fb;color:#174a85;border-color:#1f5fa8}
.phone{font-weight:700;white-space:nowrap}
.provisional{border:2px dashed #9a6700;background:#fffbeb;padding:.5rem .7rem;border-radius:6px;margin:.6rem 0}
.step{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}
.step-head{display:block}
.step-no{margin-right:.4rem}
.step-no{font-weight:700}
.step-title{font-weight:600}
.step-note{font-size:.92em;margin:.1rem 0}
.step-meta{font-size:.85em;margin:.1rem 0;color:#57606a}
.step-meta strong{color:#1f2328;font-weight:600}
pre.commands{margin:.2rem 0;padding:.5rem .6rem;background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
ol.order>li{margin:.2rem 0}
figure{margin:.5rem 0}
.map{overflow:auto;border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0}
.map svg{display:block;max-width:100%;height:auto}
.toc ol{columns:2 16rem;margin:.3rem 0}
.checkbox{display:inline-block;width:.9em;height:.9em;border:1.5px solid #1f2328;border-radius:2px;vertical-align:-.1em;margin-right:.3rem}
@media (max-width:40rem){body{font-size:14px}main{padding:.6rem}.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.3rem}}
`;

const PRINT = `
@page{size:A4;margin:18mm 14mm}
@media print{
body{font-size:9pt;line-height:1.35}
main{max-width:none;padding:0}
h1{font-size:20pt}h2{font-size:15pt;margin-top:0}h3{font-size:12pt;margin:.8rem 0 .3rem}h4{font-size:10pt;margin:.5rem 0 .15rem}
.step{border:none;border-top:1px solid #d0d7de;border-radius:0;padding:.2rem 0;margin:.15rem 0}
.step p{margin:.05rem 0}
pre.commands{font-size:8pt;padding:.1rem .4rem;margin:.1rem 0;background:none;border:none;border-left:3px solid #8c959f;border-radius:0}
.provisional{padding:.3rem .5rem;margin:.3rem 0}
a{color:inherit;text-decoration:none}
section.major{break-before:page}
section.group{break-before:auto}
h2,h3,h4{break-after:avoid}
.step,tr,.cover,.facts,figure{break-inside:avoid}
thead{display:table-header-group}
.table-wrap,.map{overflow:visible;border:none}
.map svg{max-height:240mm}
.screen-only{display:none}
}
`;

/**
 * The whole stylesheet. With `pageFooter` the print margins carry the revision and page numbers
 * (for printing from a browser); the PDF renderers draw their own header and footer instead.
 */
export function planStylesheet(pageFooter: string | null): string {
  const footer = pageFooter
    ? `@page{@bottom-left{content:${cssString(pageFooter)};font-size:8pt;color:#57606a}@bottom-right{content:"page " counter(page) " of " counter(pages);font-size:8pt;color:#57606a}}`
    : '';
  return SCREEN + PRINT + footer;
}
