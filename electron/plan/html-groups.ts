/** Section 5 of the HTML plan: for each service group, what moves and the steps to move it. */
import { html, type SafeHtml } from './escape';
import { SECTION_TITLES, orNone, phones, table, tierBadge } from './html-parts';
import type { ExternalEntry, GroupEntry, PlanModel } from './model';
import { printedGroup, type PrintSection, type PrintStep } from './printable';

function stepBlock(step: PrintStep, number: number, last: boolean): SafeHtml {
  return html`<div class="step${last && number > 1 ? ' step-last' : ''}">
    <div class="step-head">
      <span class="checkbox" aria-hidden="true"></span><span class="step-no">${number}.</span
      ><span class="step-title">${step.title}</span>
    </div>
    <div class="step-meta">${step.who}${step.blocks.length > 0 ? html` · on <strong>${step.where}</strong>:` : ''}</div>
    ${step.note ? html`<p class="note step-note">${step.note}</p>` : ''}
    ${step.blocks.map(
      (b) =>
        html`${b.caption ? html`<div class="command-caption">${b.caption}</div>` : ''}
          <pre class="commands">${b.text}</pre>`,
    )}
  </div>`;
}

function sectionBlock(section: PrintSection): SafeHtml {
  return html`<h4>${section.title}</h4>
    ${section.source ? html`<p class="small muted section-source">${section.source}</p>` : ''}${section.steps.length === 0 ? html`<p class="muted">${section.empty}</p>` : section.steps.map((s, i) => stepBlock(s, i + 1, i === section.steps.length - 1))}`;
}

function groupBlock(group: GroupEntry, index: number): SafeHtml {
  const { outline } = group;
  const printed = printedGroup(group);
  const members = group.members.map(
    (m) =>
      html`<strong>${m.name}</strong>: ${m.role}, ${m.addresses.join(', ') || m.host},
        ${m.os === 'openbsd' ? 'OpenBSD' : 'Linux'}<br />`,
  );
  const vips = group.vips.map(
    (v) =>
      html`<strong>${v.address}/${v.prefix}</strong> on
        ${v.interfaces.map((i) => `${i.server}: ${i.interface}`).join(', ') || 'no interface recorded'}<br />`,
  );
  return html`<section class="group" id="${group.anchor}">
    <h3>5.${index + 1} Group ${group.name}${group.services.length ? html`: ${group.services.join(', ')}` : ''}</h3>
    ${group.description ? html`<p class="note">${group.description}</p>` : ''}
    ${outline.to ? html`<p>Fail over from <strong>${outline.from}</strong> to <strong>${outline.to}</strong>.</p>` : html`<p><strong>No standby server</strong>: this group comes back when ${outline.from ?? 'its server'} is repaired or replaced.</p>`}
    <dl class="facts">
      <dt>Members</dt>
      <dd>${group.members.length ? members : html`<span class="muted">none recorded</span>`}</dd>
      <dt>Virtual IPs</dt>
      <dd>
        ${group.vips.length ? vips : html`<span class="muted">none: clients connect to the servers' own addresses</span>`}
      </dd>
      <dt>Data</dt>
      <dd>${group.data}</dd>
      <dt>Processes</dt>
      <dd>${group.processes.length ? group.processes.join(', ') : html`<span class="muted">none recorded</span>`}</dd>
    </dl>
    ${printed.provisional ? html`<p class="provisional"><strong>Provisional outline.</strong> ${printed.notice}</p>` : ''}
    ${printed.sections.map(sectionBlock)}
  </section>`;
}

function externalTable(rows: readonly ExternalEntry[], withProvider: boolean): SafeHtml {
  return table(
    ['Service', 'Tier', ...(withProvider ? ['Provider'] : []), 'Who to call', 'Phone', 'Manual workaround'],
    rows.map(
      (s) =>
        html`<tr>
          <td><strong>${s.name}</strong></td>
          <td>${tierBadge(s.tier)}</td>
          ${withProvider ? html`<td>${s.provider}</td>` : ''}
          <td>${s.contact}</td>
          <td>${phones(s.phones)}</td>
          <td>${orNone(s.workaround, 'none recorded')}</td>
        </tr>`,
    ),
  );
}

/** Section 5: every group's runbooks (or outline), then hosted services and services with nothing to fail over to. */
export function groupsSection(model: PlanModel): SafeHtml {
  const { content } = model;
  return html`<section class="major" id="groups">
      <h2>${SECTION_TITLES.groups}</h2>
      <p>
        A service group is what moves from one server to another: its addresses, its data and its processes. Groups are
        in recovery order.
      </p>
      <p>
        Each scripted step shows the exact scripts Lifeboat's failover engine runs, on the server named above each box.
        Without Lifeboat: log in to that server (<code>ssh root@address</code>), start <code>sh</code> and paste the
        script; check what it prints before the next step. Key files and passwords are left out of this document (shown
        as &lt;key file&gt;, &lt;password&gt;).
      </p>
      ${
        content.groups.length === 0
          ? html`<p class="muted">No service groups are recorded.</p>`
          : html`<ol>
              ${content.groups.map((g) => html`<li><a href="#${g.anchor}">Group ${g.name}</a>${g.services.length ? html`: ${g.services.join(', ')}` : ''}</li>`)}
            </ol>`
      }
      ${
        content.hosted.length > 0
          ? html`<h3>Hosted services (the provider recovers them)</h3>
              ${externalTable(content.hosted, true)}`
          : ''
      }
      ${
        content.noFailover.length > 0
          ? html`<h3>Services with nothing to fail over to</h3>
              <p>These run on no service group: when their server fails, call the owner and use the workaround.</p>
              ${externalTable(content.noFailover, false)}`
          : ''
      }
    </section>
    ${content.groups.map(groupBlock)}`;
}
