/** One service group's health: its services, each member's reachability, the VIP holders, replication and drift, and its checks. */
import type { ReactNode } from 'react';
import type { Server } from '../../../../shared/domain';
import { TierBadge } from '../../components/TierBadge';
import { formatMinutes } from '../../components/format';
import { StatusPill } from './StatusPill';
import type { GroupState } from '../../../../shared/contract/reprotect';
import { formatBytes, type GroupHealth } from './health-model';

/** What a group card needs. */
export interface GroupCardProps {
  health: GroupHealth;
  /** The checks table. */
  children: ReactNode;
  onTrustHostKey: (server: Server) => void;
  /** Offered for a server that logs in with a password. */
  onSetPassword?: (server: Server) => void;
  /** What the runs recorded about the group (a failover left it without redundancy), if anything. */
  recorded?: GroupState;
}

/** One group's card. */
export function GroupCard({ health, children, onTrustHostKey, onSetPassword, recorded }: GroupCardProps) {
  const { group, services, status, members, vips, replication, drift } = health;
  const withoutRedundancy = recorded?.redundancy === 'without-redundancy';
  const primaryNow = members.find((m) => m.server.id === recorded?.primaryServerId)?.server.name;
  return (
    <section
      className="panel health-group"
      aria-labelledby={`health-group-${group.id}`}
      data-testid={`health-group-${group.name}`}
    >
      <header className="health-group-header">
        <h2 id={`health-group-${group.id}`} className="panel-title">
          {group.name}
        </h2>
        <StatusPill status={status} />
      </header>
      {withoutRedundancy && (
        <p role="status" className="callout callout-warning health-redundancy">
          Running without redundancy{primaryNow ? ` on ${primaryNow}` : ''}: {recorded.detail}. Re-protect it on the
          Failover screen.
        </p>
      )}
      {services.length > 0 && (
        <ul className="health-services">
          {services.map((service) => (
            <li key={service.id}>
              <TierBadge tier={service.tier} /> {service.name}{' '}
              <span className="muted">RTO {formatMinutes(service.rtoMinutes)}</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="health-facts">
        <dt>Members</dt>
        <dd>
          <ul className="health-members">
            {members.map((member) => (
              <li key={member.server.id} title={member.summary}>
                <StatusPill status={member.status} /> <strong>{member.server.name}</strong>{' '}
                <span className="muted">{member.role}</span>
                {/host key/i.test(member.summary) && (
                  <button type="button" className="button button-small" onClick={() => onTrustHostKey(member.server)}>
                    Check host key
                  </button>
                )}
                {onSetPassword && member.server.ssh.auth.kind === 'password' && (
                  <button type="button" className="button button-small" onClick={() => onSetPassword(member.server)}>
                    SSH password
                  </button>
                )}
              </li>
            ))}
          </ul>
        </dd>
        {vips && (
          <>
            <dt>Virtual IPs</dt>
            <dd data-testid="vip-holders">
              {vips.map((vip) => (
                <span key={vip.address} className={`health-vip${vip.holders.length === 1 ? '' : ' health-vip-alarm'}`}>
                  <span className="mono">{vip.address}</span> on{' '}
                  {vip.holders.length === 0 ? (
                    <strong>no member</strong>
                  ) : vip.holders.length === 1 ? (
                    <strong>{vip.holders[0]}</strong>
                  ) : (
                    <strong>{vip.holders.join(' AND ')} (two holders!)</strong>
                  )}
                </span>
              ))}
            </dd>
          </>
        )}
        {replication && (
          <>
            <dt>Replication</dt>
            <dd data-testid="replication">
              lag {formatBytes(replication.lagBytes)} /{' '}
              {replication.lagSeconds === null ? '—' : `${replication.lagSeconds} s`}
              <span className="muted health-check-meta">{replication.summary}</span>
            </dd>
          </>
        )}
        {drift && (
          <>
            <dt>Drift</dt>
            <dd data-testid="drift">
              {drift.differing.length === 0 ? 'members identical' : `${drift.differing.length} files differ`}
              {drift.differing.length > 0 && (
                <span className="muted health-check-meta mono">{drift.differing.slice(0, 5).join(', ')}</span>
              )}
            </dd>
          </>
        )}
      </dl>
      {children}
    </section>
  );
}
