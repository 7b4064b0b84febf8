import { describe, expect, it } from 'vitest';
import { analysePlan } from '../../../electron/plan/analysis';
import { buildPlanContent, type PlanModel } from '../../../electron/plan/model';
import { renderPlanHtml } from '../../../electron/plan/html';
import { renderPlanMarkdown, mdText, fence } from '../../../electron/plan/markdown';
import { dependencyMap } from '../../../electron/plan/map';
import { cssString, escapeHtml, html } from '../../../electron/plan/escape';
import { planStylesheet } from '../../../electron/plan/html-style';
import { exampleSnapshot } from './fixtures';
import { BREAKOUT, HOSTILE, SCRIPT, hostileCompany } from './hostile';

async function hostileModel(): Promise<PlanModel> {
  const snapshot = exampleSnapshot(hostileCompany());
  const analysis = analysePlan(snapshot);
  return {
    meta: {
      revision: 1,
      recorded: false,
      generatedAt: '2025-06-01T12:00:00.000Z',
      hash: 'a'.repeat(64),
      appVersion: '0.0.0',
    },
    content: buildPlanContent(snapshot, analysis),
    changeLog: [
      { number: 1, date: '2025-06-01T12:00:00.000Z', sha256: 'a'.repeat(64), formats: ['html'], summary: HOSTILE },
    ],
    map: await dependencyMap(snapshot, analysis.singlePoints),
  };
}

describe('untrusted inventory text in the plan', () => {
  it('never becomes HTML: no script, no img, no event handler; the text is shown escaped', async () => {
    const page = renderPlanHtml(await hostileModel());
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<[^>]+\son[a-z]+=/i);
    expect(page).toContain(escapeHtml(SCRIPT));
    expect(page).toContain(escapeHtml(BREAKOUT));
  });

  it('stays out of the SVG map markup', async () => {
    const { map } = await hostileModel();
    expect(map!.svg).not.toMatch(/<script|<img/i);
    expect(map!.svg).toContain('&lt;script&gt;');
  });

  it('cannot become HTML or structure in the Markdown (commands stay in fenced blocks)', async () => {
    const markdown = renderPlanMarkdown(await hostileModel());
    const prose = markdown.replace(/^( *)(`{3,})sh\n[\s\S]*?\n\1\2$/gm, '');
    expect(prose).not.toMatch(/(^|[^\\])</m);
    expect(prose).toContain('\\<script\\>');
    expect(mdText('a|b\n# c')).toBe('a\\|b # c');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('# heading')).toBe('\\# heading');
    expect(mdText('12. not a list')).toBe('12\\. not a list');
    expect(mdText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(fence('echo ```')).toBe('````sh\necho ```\n````');
  });

  it('is escaped in the page header and footer of the print stylesheet', () => {
    const breakout = `x"; } body { display: none } </style><script>`;
    const css = planStylesheet({ topLeft: breakout, topRight: HOSTILE, bottomLeft: breakout });
    expect(css).not.toContain('</style>');
    expect(css).not.toMatch(/<script|<img/i);
    expect(css).toContain('@bottom-right{content:"page " counter(page) " of " counter(pages);');
    expect(cssString('a"b\\c\n')).toBe('"a\\22 b\\5c c\\a "');
  });

  it('escapes every interpolated value of the html template and joins lists', () => {
    expect(html`<td title="${'"x'}">${['<a>', 1, null, false]}</td>`.value).toBe('<td title="&quot;x">&lt;a&gt;1</td>');
  });
});
