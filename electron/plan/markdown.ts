/**
 * The DR plan as Markdown (CommonMark with GFM tables), for a git repository or a wiki. Untrusted
 * text is backslash-escaped so it can neither become HTML nor change the document's structure;
 * commands sit in fenced blocks longer than any run of backticks inside them.
 */
import { formatMinutes } from '../../shared/logic/recovery-order';
import { formatMoney } from '../../shared/logic/impact';
import { SECTION_TITLES, companyLabel, formatDate, someOf } from './labels';
import type { ContactEntry, GroupEntry, PlanContent, PlanModel } from './model';
import { printedGroup, type PrintSection } from './printable';

/**
 * Escape inline text: the characters that can start markup anywhere (emphasis, code, links, HTML,
 * entities, table cells), plus what would start a block at the beginning (heading, list, quote).
 * Line breaks become spaces, so text can never begin a new line of its own.
 */
export function mdText(text: string | number): string {
  return String(text)
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

const none = (text: string, placeholder = '—') => (text.trim() ? mdText(text) : placeholder);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const mdTable = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** A fenced code block that no backtick run inside it can close. */
export function fence(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}sh\n${code}\n${marks}`;
}

/** Render the whole plan. */
export function renderPlanMarkdown(model: PlanModel): string {
  const { meta, content } = model;
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines, '');
  push(`# ${mdText(companyLabel(content.company))}: disaster-recovery plan`);
  push(
    `- **Revision:** ${meta.revision}${meta.recorded ? '' : ' (preview: not exported yet)'}`,
    `- **Date:** ${formatDate(meta.generatedAt)}`,
    `- **Content SHA-256:** \`${meta.hash}\``,
    ...(content.targetMinutes !== null
      ? [`- **Target:** any server failure turned around in under ${formatMinutes(content.targetMinutes)}`]
      : []),
    `- **Readiness:** ${content.readiness.score}/100`,
  );
  if (content.callTree.length)
    push(
      '**In an emergency, call:**',
      ...content.callTree
        .slice(0, 3)
        .map(
          (c, i) =>
            `${i + 1}. **${mdText(c.name)}**${c.role.trim() ? `, ${mdText(c.role)}` : ''}: ${phoneList(c.phones)}`,
        ),
    );

  push(`## ${SECTION_TITLES.use}`);
  push(
    'Activate this plan when a critical service is down or likely to stay down longer than its RTO, or a server or its room is lost.',
  );
  push(
    ...content.services
      .filter((s) => s.tier === 'critical')
      .map((s) => `- ${mdText(s.name)}: back within ${formatMinutes(s.rtoMinutes)}`),
  );
  push(`**${mdText(content.roles.declarer)}** declares the disaster and tells staff which workarounds to use.`);
  push(
    '1. Whoever notices the outage calls down the call tree until someone answers.',
    '2. Bring services back in the recovery order.',
    '3. For each service group, follow its steps in section 5: log in as root to the server named above each script, start `sh` and paste the script exactly as printed. Key files and passwords are left out (shown as \\<key file\\>, \\<password\\>).',
    '4. When a service is back, check it as a user would, tell staff, and stop the workaround.',
    '5. Afterwards, write down what happened and update the plan.',
  );

  push(`## ${SECTION_TITLES.contacts}`, '### Call tree (in this order)');
  push(contactTable(content.callTree, true));
  push(
    `Declares the disaster: ${mdText(content.roles.declarer)}. Technical recovery: ${content.roles.technicians.map(mdText).join('; ') || '—'}.`,
  );
  push('### Vendors and providers', contactTable(content.vendors, false));
  push(
    '### Support contracts by server',
    mdTable(
      ['Server', 'Vendor', 'Contract', 'Phone', 'Hours'],
      content.supportContracts.map((s) => [
        mdText(s.server),
        none(s.vendor),
        none(s.contract),
        none(s.phone),
        none(s.hours),
      ]),
    ),
  );

  push(`## ${SECTION_TITLES.services}`);
  push(
    mdTable(
      ['Service', 'Tier', 'RTO', 'RPO', 'Cost / hour', 'Manual workaround', 'Owner', 'Runs on', 'Depends on'],
      content.services.map((s) => [
        mdText(s.name),
        s.tier,
        formatMinutes(s.rtoMinutes),
        s.rpoMinutes === null ? 'none' : formatMinutes(s.rpoMinutes),
        s.costPerHour === null ? '—' : formatMoney(s.costPerHour),
        none(s.workaround, 'none recorded'),
        none(s.owner),
        mdText(s.runsOn),
        none(s.dependsOn.join(', ')),
      ]),
    ),
  );

  push(`## ${SECTION_TITLES.order}`);
  push(
    ...content.order.map(
      (o) =>
        `${o.step}. **${mdText(o.name)}** (${o.tier}), back within ${formatMinutes(o.rtoMinutes)}${o.after.length ? `, after ${o.after.map(mdText).join(', ')}` : ''}. Expected: ${mdText(o.expected)}.`,
    ),
  );
  if (content.singlePoints.length)
    push(
      '### Single points of failure',
      ...content.singlePoints.map((p) => `- **${mdText(p.service)}**: ${p.causes.map(mdText).join('; ')}`),
    );
  push(
    '### Dependency map (as a list)',
    'Each service, what it runs on, and the servers under it. The picture is in the HTML and PDF versions of this plan.',
  );
  push(...mapList(content));

  push(`## ${SECTION_TITLES.groups}`);
  if (content.hosted.length)
    push(
      '### Hosted services',
      ...content.hosted.map(
        (s) =>
          `- **${mdText(s.name)}** (${mdText(s.provider)}): call ${mdText(s.contact)} ${phoneList(s.phones)}. Workaround: ${none(s.workaround, 'none recorded')}`,
      ),
    );
  if (content.noFailover.length)
    push(
      '### Services with nothing to fail over to',
      ...content.noFailover.map(
        (s) =>
          `- **${mdText(s.name)}**: call ${mdText(s.contact)} ${phoneList(s.phones)}. Workaround: ${none(s.workaround, 'none recorded')}`,
      ),
    );
  content.groups.forEach((g, i) => out.push(groupMarkdown(g, i)));

  push(`## ${SECTION_TITLES.inventory}`);
  push(
    mdTable(
      ['Server', 'Role', 'System', 'Addresses', 'SSH', 'Hardware', 'Power', 'Site', 'Support'],
      content.servers.map((s) => [
        mdText(s.name),
        none(s.role),
        s.os,
        none(s.addresses.join(', ')),
        mdText(s.ssh),
        none(s.hardware),
        none(s.power),
        none(s.site),
        none(
          [s.support.vendor, s.support.contract, s.support.phone, s.support.hours].filter((x) => x.trim()).join(', '),
        ),
      ]),
    ),
  );
  if (content.sites.length)
    push('### Sites', ...content.sites.map((s) => `- **${mdText(s.name)}**: ${none(s.address)}. ${none(s.notes, '')}`));

  push(
    `## ${SECTION_TITLES.readiness}`,
    `Overall readiness: **${content.readiness.score}/100**.`,
    '### What to do next',
  );
  push(
    ...content.readiness.next.map(
      (a, i) =>
        `${i + 1}. **${mdText(a.fix)}.** ${mdText(a.text)}.${a.services.length ? ` Helps ${a.services.map(mdText).join(', ')}.` : ''}`,
    ),
  );
  push(
    '### Readiness by service',
    mdTable(
      ['Service', 'Tier', 'Score', 'What is missing', 'What to do'],
      content.readiness.services.map((s) => [
        mdText(s.name),
        s.tier,
        String(s.score),
        s.reasons.map((r) => mdText(r.text)).join('; ') || (s.score < 100 ? 'only what is not set up yet' : 'nothing'),
        s.reasons.map((r) => mdText(r.fix)).join('; ') || '—',
      ]),
    ),
  );
  push(
    '### Business impact',
    mdTable(
      ['Service', 'Cost / hour', 'Also stops', 'Total cost / hour', 'Recovery time', 'Cost of one outage'],
      content.impact.map((i) => [
        mdText(i.name),
        i.costPerHour === null ? 'not set' : formatMoney(i.costPerHour),
        none(someOf(i.alsoStops), 'nothing else'),
        formatMoney(i.totalCostPerHour),
        `${formatMinutes(i.recoveryMinutes)} (${i.basis === 'drill' ? 'drills' : 'RTO, not yet drilled'})`,
        formatMoney(i.expectedCost),
      ]),
    ),
  );
  push(
    '### Drill history',
    !content.drills.recorded
      ? 'No drills are recorded: drills are not set up in Lifeboat yet.'
      : content.drills.rows.length === 0
        ? 'No drill has been run yet.'
        : mdTable(
            ['Group', 'Finished', 'Took', 'Result'],
            content.drills.rows.map((d) => [
              mdText(d.group),
              formatDate(d.finishedAt),
              formatMinutes(d.minutes),
              d.succeeded ? 'succeeded' : 'failed',
            ]),
          ),
  );

  push(`## ${SECTION_TITLES.changes}`);
  push(
    model.changeLog.length === 0
      ? 'This plan has not been exported before.'
      : mdTable(
          ['Revision', 'First exported', 'Formats', 'SHA-256 (start)', 'Summary'],
          model.changeLog.map((c) => [
            String(c.number),
            formatDate(c.date),
            c.formats.join(', '),
            `\`${c.sha256.slice(0, 16)}\``,
            mdText(c.summary),
          ]),
        ),
  );
  return out.join('\n');
}

function phoneList(phones: readonly string[]): string {
  return phones.length ? phones.map((p) => `**${mdText(p)}**`).join(', ') : 'no phone recorded';
}

function contactTable(list: readonly ContactEntry[], owns: boolean): string {
  if (list.length === 0) return 'None recorded.';
  return mdTable(
    ['#', 'Name', 'Role', 'Phone', 'Email', owns ? 'Owns' : 'Notes'],
    list.map((c) => [
      String(c.order),
      mdText(c.organisation ? `${c.name} (${c.organisation})` : c.name),
      none(c.role),
      phoneList(c.phones),
      none(c.email),
      owns ? none(c.owns.join(', ')) : none(c.notes),
    ]),
  );
}

/** The dependency map as text: service → group (VIP) → servers with their role. */
function mapList(content: PlanContent): string[] {
  const groups = new Map(content.groups.map((g) => [g.name, g]));
  return content.services.map((s) => {
    const group = s.runsOn.startsWith('group ') ? groups.get(s.runsOn.slice(6)) : undefined;
    const after = s.dependsOn.length ? ` (needs ${s.dependsOn.map(mdText).join(', ')})` : '';
    if (!group) return `- **${mdText(s.name)}**${after} → ${mdText(s.runsOn)}`;
    const vip = group.vips.length ? `, VIP ${group.vips.map((v) => v.address).join(', ')}` : '';
    const members = group.members.map((m) => `${mdText(m.name)} (${m.role})`).join(', ') || 'no servers';
    return `- **${mdText(s.name)}**${after} → group ${mdText(group.name)}${vip} → ${members}`;
  });
}

function stepsMarkdown(section: PrintSection): string {
  const lines = [`#### ${mdText(section.title)}`, ''];
  if (section.source) lines.push(mdText(section.source), '');
  if (section.steps.length === 0) return [...lines, mdText(section.empty), ''].join('\n');
  section.steps.forEach((s, i) => {
    lines.push(`${i + 1}. [ ] **${mdText(s.title)}** (${mdText(s.who)})`);
    if (s.note) lines.push('', `   ${mdText(s.note)}`);
    if (s.blocks.length) lines.push('', `   On ${mdText(s.where ?? '')}:`);
    for (const block of s.blocks) {
      if (block.caption) lines.push('', `   ${mdText(block.caption)}:`);
      lines.push('', fence(block.text).replace(/^/gm, '   '));
    }
    lines.push('');
  });
  return lines.join('\n');
}

function groupMarkdown(group: GroupEntry, index: number): string {
  const { outline } = group;
  const printed = printedGroup(group);
  return [
    `### 5.${index + 1} Group ${mdText(group.name)}${group.services.length ? `: ${group.services.map(mdText).join(', ')}` : ''}`,
    '',
    group.description ? `${mdText(group.description)}\n` : '',
    outline.to
      ? `Fail over from **${mdText(outline.from ?? '')}** to **${mdText(outline.to)}**.`
      : `**No standby server**: this group comes back when ${mdText(outline.from ?? 'its server')} is repaired or replaced.`,
    '',
    `- **Members:** ${group.members.map((m) => `${mdText(m.name)} (${m.role}, ${mdText(m.addresses.join(', ') || m.host)})`).join('; ') || 'none recorded'}`,
    `- **Virtual IPs:** ${group.vips.map((v) => `${v.address}/${v.prefix} on ${v.interfaces.map((i) => `${mdText(i.server)}: ${mdText(i.interface)}`).join(', ')}`).join('; ') || 'none'}`,
    `- **Data:** ${mdText(group.data)}`,
    `- **Processes:** ${group.processes.map(mdText).join(', ') || 'none recorded'}`,
    '',
    printed.provisional ? `> **Provisional outline.** ${mdText(printed.notice)}\n` : '',
    ...printed.sections.map(stepsMarkdown),
  ].join('\n');
}
