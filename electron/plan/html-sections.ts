/** Sections 6 to 8 of the HTML plan: inventory, readiness with impact and drills, change log. */
import { formatMinutes } from '../../shared/logic/recovery-order';
import { formatMoney } from '../../shared/logic/impact';
import { html, type SafeHtml } from './escape';
import { SECTION_TITLES, orNone, table, tierBadge } from './html-parts';
import { formatDate, someOf } from './labels';
import type { PlanModel } from './model';

/** Section 6: servers (hardware, OS, addresses, power, support) and sites. */
export function inventorySection(model: PlanModel): SafeHtml {
  const { content } = model;
  const servers = table(
    ['Server', 'System and addresses', 'Hardware and power', 'Site', 'Support contract'],
    content.servers.map(
      (s) =>
        html`<tr>
          <td>
            <strong>${s.name}</strong
            >${s.role ? html`<br />${s.role}` : ''}${s.groups.length ? html`<br /><span class="small muted">group ${s.groups.join(', ')}</span>` : ''}${s.notes ? html`<br /><span class="small note">${s.notes}</span>` : ''}
          </td>
          <td>
            ${s.os}<br />${s.addresses.join(', ') || html`<span class="muted">no address recorded</span>`}<br /><span
              class="small"
              >ssh ${s.ssh}</span
            >
          </td>
          <td>${orNone(s.hardware)}<br /><span class="small">Power: </span>${orNone(s.power)}</td>
          <td>${orNone(s.site)}</td>
          <td>
            ${s.support.vendor || s.support.phone ? html`${s.support.vendor}${s.support.contract ? html`, contract ${s.support.contract}` : ''}${s.support.phone ? html`<br /><span class="phone">${s.support.phone}</span>` : ''}${s.support.hours ? html`<br /><span class="small">${s.support.hours}</span>` : ''}` : orNone('')}
          </td>
        </tr>`,
    ),
  );
  const sites =
    content.sites.length === 0
      ? ''
      : html`<h3>Sites</h3>
          ${table(
            ['Site', 'Address', 'Notes'],
            content.sites.map(
              (s) =>
                html`<tr>
                  <td><strong>${s.name}</strong></td>
                  <td>${orNone(s.address)}</td>
                  <td>${orNone(s.notes)}</td>
                </tr>`,
            ),
          )}`;
  return html`<section class="major" id="inventory">
    <h2>${SECTION_TITLES.inventory}</h2>
    ${
      content.servers.length === 0
        ? html`<p class="muted">No servers are recorded.</p>`
        : html`<h3>Servers</h3>
            ${servers}`
    }
    ${sites}
    <p class="small muted">SSH keys and passwords are never printed in this plan.</p>
  </section>`;
}

/** Section 7: readiness per service, what to do next, the cost of outages, drill history. */
export function readinessSection(model: PlanModel): SafeHtml {
  const { readiness, impact, drills } = model.content;
  const missing = [
    readiness.sources.runbooks ? '' : 'runbooks',
    readiness.sources.drills ? '' : 'drills',
    readiness.sources.health ? '' : 'health checks',
  ].filter(Boolean);
  const scores = table(
    ['Service', 'Tier', 'Score', 'What is missing, and the fix'],
    readiness.services.map(
      (s) =>
        html`<tr>
          <td><strong>${s.name}</strong></td>
          <td>${tierBadge(s.tier)}</td>
          <td>${s.score}</td>
          <td>
            ${
              s.reasons.length === 0
                ? html`<span class="muted"
                    >${s.score < 100 ? 'Only what is not set up yet (above).' : 'Nothing.'}</span
                  >`
                : html`<ul>
                    ${s.reasons.map((r) => html`<li>${r.text}. <em>${r.fix}.</em></li>`)}
                  </ul>`
            }
          </td>
        </tr>`,
    ),
  );
  const impactRows = impact.map(
    (i) =>
      html`<tr>
        <td><strong>${i.name}</strong></td>
        <td>${i.costPerHour === null ? orNone('', 'not set') : formatMoney(i.costPerHour)}</td>
        <td>${orNone(someOf(i.alsoStops), 'nothing else')}</td>
        <td>
          ${formatMoney(i.totalCostPerHour)}${i.costUnknown.length ? html`<br /><span class="small muted">no figure for ${someOf(i.costUnknown, 3)}</span>` : ''}
        </td>
        <td>
          ${formatMinutes(i.recoveryMinutes)}
          <span class="small muted">(${i.basis === 'drill' ? 'measured in drills' : 'the RTO: not yet drilled'})</span>
        </td>
        <td><strong>${formatMoney(i.expectedCost)}</strong></td>
      </tr>`,
  );
  return html`<section class="major" id="readiness">
    <h2>${SECTION_TITLES.readiness}</h2>
    <p>
      Overall readiness: <strong>${readiness.score}/100</strong> (each service starts at 100 and loses points for each
      gap; critical services weigh three times, important twice).
    </p>
    ${missing.length > 0 ? html`<p class="provisional">Not set up in Lifeboat yet: ${missing.join(', ')}. They count as gaps, because nothing proves them yet.</p>` : ''}
    <h3>What to do next</h3>
    ${
      readiness.next.length === 0
        ? html`<p>Nothing.</p>`
        : html`<ol>
            ${readiness.next.map((a) => html`<li><strong>${a.fix}.</strong> ${a.text}.${a.services.length ? html` <span class="muted">Helps ${a.services.join(', ')}.</span>` : ''}</li>`)}
          </ol>`
    }
    <h3>Readiness by service</h3>
    ${readiness.services.length === 0 ? html`<p class="muted">No services are recorded.</p>` : scores}
    <h3>Business impact</h3>
    <p>
      What one outage costs at the current recovery time. An outage also stops everything that depends on the service.
    </p>
    ${impact.length === 0 ? html`<p class="muted">No services are recorded.</p>` : table(['Service', 'Cost / hour', 'Also stops', 'Total cost / hour', 'Recovery time', 'Cost of one outage'], impactRows)}
    <h3>Drill history</h3>
    ${
      !drills.recorded
        ? html`<p class="muted">No drills are recorded: drills are not set up in Lifeboat yet.</p>`
        : drills.rows.length === 0
          ? html`<p class="muted">No drill has been run yet.</p>`
          : table(
              ['Group', 'Finished', 'Took', 'Result'],
              drills.rows.map(
                (d) =>
                  html`<tr>
                    <td>${d.group}</td>
                    <td>${formatDate(d.finishedAt)}</td>
                    <td>${formatMinutes(d.minutes)}</td>
                    <td>${d.succeeded ? 'succeeded' : 'failed'}</td>
                  </tr>`,
              ),
            )
    }
  </section>`;
}

/** Section 8: every revision of the plan. */
export function changeLogSection(model: PlanModel): SafeHtml {
  const rows = model.changeLog.map(
    (c) =>
      html`<tr>
        <td>${c.number}</td>
        <td>${formatDate(c.date)}</td>
        <td>${c.formats.join(', ')}</td>
        <td class="hash">${c.sha256.slice(0, 16)}</td>
        <td>${c.summary}</td>
      </tr>`,
  );
  return html`<section class="major" id="changes">
    <h2>${SECTION_TITLES.changes}</h2>
    <p>
      A new revision starts when the content changes; exporting an unchanged plan again keeps its revision and hash.
    </p>
    ${rows.length === 0 ? html`<p class="muted">This plan has not been exported before.</p>` : table(['Revision', 'First exported', 'Formats', 'SHA-256 (start)', 'Summary'], rows)}
  </section>`;
}
