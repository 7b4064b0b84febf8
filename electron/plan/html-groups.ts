/** Section 5 of the HTML plan: for each service group, what moves and the steps to move it. */
import { html, type SafeHtml } from './escape';
import { SECTION_TITLES, orNone, phones, table, tierBadge } from './html-parts';
import { PROVISIONAL_NOTE } from './labels';
import type { ExternalEntry, GroupEntry, PlanModel } from './model';
import type { OutlineStep } from './outline';

function stepBlock(step: OutlineStep, number: number): SafeHtml {
  return html`<div class="step">
<div class="step-head"><span class="checkbox" aria-hidden="true"></span><span class="step-no">${number}.</span><span class="step-title">${step.title}</span></div>
<div class="step-meta">${step.role}${step.commands.length > 0 ? html` · on <strong>${step.where}</strong>:` : ''}</div>
${step.commands.length > 0 ? html`<pre class="commands">${step.commands.join('\n')}</pre>` : ''}
${step.note ? html`<p class="note step-note">${step.note}</p>` : ''}
</div>`;
}

function stepList(title: string, steps: readonly OutlineStep[], empty: string): SafeHtml {
  return html`<h4>${title}</h4>${steps.length === 0 ? html`<p class="muted">${empty}</p>` : steps.map((s, i) => stepBlock(s, i + 1))}`;
}

function groupBlock(group: GroupEntry, index: number): SafeHtml {
  const { outline } = group;
  const members = group.members.map((m) => html`<strong>${m.name}</strong>: ${m.role}, ${m.addresses.join(', ') || m.host}, ${m.os === 'openbsd' ? 'OpenBSD' : 'Linux'}<br>`);
  const vips = group.vips.map((v) => html`<strong>${v.address}/${v.prefix}</strong> on ${v.interfaces.map((i) => `${i.server}: ${i.interface}`).join(', ') || 'no interface recorded'}<br>`);
  return html`<section class="group" id="${group.anchor}">
<h3>5.${index + 1} Group ${group.name}${group.services.length ? html`: ${group.services.join(', ')}` : ''}</h3>
${group.description ? html`<p class="note">${group.description}</p>` : ''}
${outline.to ? html`<p>Fail over from <strong>${outline.from}</strong> to <strong>${outline.to}</strong>.</p>` : html`<p><strong>No standby server</strong>: this group comes back when ${outline.from ?? 'its server'} is repaired or replaced.</p>`}
<dl class="facts">
<dt>Members</dt><dd>${group.members.length ? members : html`<span class="muted">none recorded</span>`}</dd>
<dt>Virtual IPs</dt><dd>${group.vips.length ? vips : html`<span class="muted">none: clients connect to the servers' own addresses</span>`}</dd>
<dt>Data</dt><dd>${group.data}</dd>
<dt>Processes</dt><dd>${group.processes.length ? group.processes.join(', ') : html`<span class="muted">none recorded</span>`}</dd>
</dl>
<p class="provisional"><strong>Provisional outline.</strong> ${PROVISIONAL_NOTE}</p>
${stepList('Pre-flight checks', outline.preflight, 'None.')}
${stepList('Recovery steps', outline.steps, 'None.')}
${stepList('Verification', outline.verification, 'None.')}
${stepList('Switchback (when the original server is repaired)', outline.switchback, 'Nothing to move back.')}
</section>`;
}

function externalTable(rows: readonly ExternalEntry[], withProvider: boolean): SafeHtml {
  return table(
    ['Service', 'Tier', ...(withProvider ? ['Provider'] : []), 'Who to call', 'Phone', 'Manual workaround'],
    rows.map((s) => html`<tr><td><strong>${s.name}</strong></td><td>${tierBadge(s.tier)}</td>${withProvider ? html`<td>${s.provider}</td>` : ''}<td>${s.contact}</td><td>${phones(s.phones)}</td><td>${orNone(s.workaround, 'none recorded')}</td></tr>`),
  );
}

/** Section 5: every group's outline, then hosted services and services with nothing to fail over to. */
export function groupsSection(model: PlanModel): SafeHtml {
  const { content } = model;
  return html`<section class="major" id="groups"><h2>${SECTION_TITLES.groups}</h2>
<p>A service group is what moves from one server to another: its addresses, its data and its processes. Groups are in recovery order.</p>
${content.groups.length === 0 ? html`<p class="muted">No service groups are recorded.</p>` : html`<ol>${content.groups.map((g) => html`<li><a href="#${g.anchor}">Group ${g.name}</a>${g.services.length ? html`: ${g.services.join(', ')}` : ''}</li>`)}</ol>`}
${content.hosted.length > 0 ? html`<h3>Hosted services (the provider recovers them)</h3>${externalTable(content.hosted, true)}` : ''}
${content.noFailover.length > 0 ? html`<h3>Services with nothing to fail over to</h3><p>These run on no service group: when their server fails, call the owner and use the workaround.</p>${externalTable(content.noFailover, false)}` : ''}
</section>
${content.groups.map(groupBlock)}`;
}
