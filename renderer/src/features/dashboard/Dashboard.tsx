/** The overview: services per tier, what is not protected, and who to call first. */
import { RedundancyNotice } from './RedundancyNotice';
import { useMemo } from 'react';
import { TIERS } from '../../../../shared/domain';
import { countByTier, GAP_TEXT, unprotectedServices } from '../../../../shared/logic/protection';
import { ScreenHeader } from '../../components/ScreenHeader';
import { TierBadge } from '../../components/TierBadge';
import { TIER_LABEL, TIER_MEANING, count } from '../../components/format';
import { hashOf } from '../../app/routing';
import { useApp } from '../../store/store-context';
import {
  selectContacts,
  selectGroups,
  selectServers,
  selectServices,
  selectTargetMinutes,
} from '../../store/selectors';
import { RecoveryTargets } from './RecoveryTargets';
import { LiveStatus } from './LiveStatus';
import { DashboardReadiness } from './DashboardReadiness';
import { TestRecoveryPanel } from '../failover/TestRecoveryPanel';
import { RecoverCompanyPanel } from './RecoverCompanyPanel';

/** Tier counts, the unprotected list, the inventory at a glance and the escalation order. */
export function Dashboard() {
  const services = useApp(selectServices);
  const groups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const contacts = useApp(selectContacts);
  const targetMinutes = useApp(selectTargetMinutes);
  const counts = useMemo(() => countByTier(services), [services]);
  const unprotected = useMemo(() => unprotectedServices({ services, groups }), [services, groups]);
  const escalation = useMemo(
    () => [...contacts].sort((a, b) => a.escalationOrder - b.escalationOrder).slice(0, 4),
    [contacts],
  );

  return (
    <>
      <ScreenHeader title="Dashboard" description="Where the business stands if a server dies today." />
      <section aria-labelledby="tiers-title" className="dashboard-section">
        <h2 id="tiers-title" className="section-title">
          Services by tier
        </h2>
        <div className="tier-counts">
          {TIERS.map((tier) => (
            <a
              key={tier}
              href={hashOf('services')}
              className={`tier-count tier-${tier}`}
              data-testid={`tier-count-${tier}`}
            >
              <span className="tier-count-label">{TIER_LABEL[tier]}</span>
              <span className="tier-count-number">{counts[tier]}</span>
              <span className="tier-count-meaning">{TIER_MEANING[tier]}</span>
            </a>
          ))}
        </div>
      </section>

      <div className="dashboard-grid">
        <div className="dashboard-main">
          <section aria-labelledby="unprotected-title" className="panel" data-testid="unprotected">
            <h2 id="unprotected-title" className="panel-title">
              Unprotected
              <span className={`count-pill${unprotected.length ? ' count-pill-warning' : ''}`}>
                {unprotected.length}
              </span>
            </h2>
            <p className="panel-description">Critical and important services that cannot fail over as they stand.</p>
            {unprotected.length === 0 ? (
              <p className="all-good">
                Every critical and important service has a standby, a virtual IP and a contact.
              </p>
            ) : (
              <ul className="unprotected-list">
                {unprotected.map((item) => (
                  <li key={item.serviceId} data-testid="unprotected-service">
                    <div className="unprotected-head">
                      <TierBadge tier={item.tier} />
                      <span className="unprotected-name">{item.name}</span>
                    </div>
                    <ul className="gap-list">
                      {item.gaps.map((gap) => (
                        <li key={gap}>{GAP_TEXT[gap]}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <RedundancyNotice />
          <LiveStatus />
          <RecoveryTargets services={services} targetMinutes={targetMinutes} />
        </div>

        <div className="dashboard-side">
          <RecoverCompanyPanel />
          <DashboardReadiness />
          <TestRecoveryPanel runnable={false} />
          <section aria-labelledby="inventory-title" className="panel">
            <h2 id="inventory-title" className="panel-title">
              Inventory
            </h2>
            <dl className="stat-list">
              <div>
                <dt>Services</dt>
                <dd>
                  <a href={hashOf('services')}>{count(services.length, 'service')}</a>
                </dd>
              </div>
              <div>
                <dt>Service groups</dt>
                <dd>
                  <a href={hashOf('groups')}>{count(groups.length, 'group')}</a>
                </dd>
              </div>
              <div>
                <dt>Servers</dt>
                <dd>
                  <a href={hashOf('servers')}>{count(servers.length, 'server')}</a>
                </dd>
              </div>
              <div>
                <dt>Contacts</dt>
                <dd>
                  <a href={hashOf('contacts')}>{count(contacts.length, 'contact')}</a>
                </dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="escalation-title" className="panel">
            <h2 id="escalation-title" className="panel-title">
              Call first
            </h2>
            {escalation.length === 0 ? (
              <p className="muted">
                No contacts yet. <a href={hashOf('contacts')}>Add the people to call</a>.
              </p>
            ) : (
              <ol className="escalation-list">
                {escalation.map((contact) => (
                  <li key={contact.id}>
                    <span className="escalation-name">{contact.name}</span>
                    <span className="muted">{contact.role}</span>
                    {contact.phones[0] && <span className="mono">{contact.phones[0]}</span>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
