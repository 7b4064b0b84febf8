/** One service on the board: its objectives, workaround and dependencies, and buttons to move it. */
import { TIERS, type Service, type Tier } from '../../../../shared/domain';
import { GAP_TEXT, type ProtectionGap } from '../../../../shared/logic/protection';
import { TIER_LABEL, formatCostPerHour, formatMinutes } from '../../components/format';
import { WarningIcon } from '../../components/icons';

export interface ServiceCardProps {
  service: Service;
  /** Names for the ids the service refers to. */
  names: { service: Map<number, string>; group: Map<number, string>; contact: Map<number, string> };
  gaps: readonly ProtectionGap[];
  moving: boolean;
  onMove: (tier: Tier) => void;
  onEdit: () => void;
  onDelete: () => void;
}

/** A card whose "Move to" buttons change the tier in one keystroke. */
export function ServiceCard({ service, names, gaps, moving, onMove, onEdit, onDelete }: ServiceCardProps) {
  const titleId = `service-${service.id}-title`;
  const dependsOn = service.dependsOn.map((id) => names.service.get(id) ?? `#${id}`);
  const runsOn =
    service.hostedBy ||
    (service.groupId !== null ? `group ${names.group.get(service.groupId) ?? service.groupId}` : null);
  return (
    <article
      className={`service-card tier-edge-${service.tier}`}
      aria-labelledby={titleId}
      data-service-id={service.id}
      data-testid="service-card"
      tabIndex={-1}
    >
      <header className="service-card-header">
        <h3 id={titleId} className="service-name">
          {service.name}
        </h3>
        <div className="card-buttons">
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={onEdit}
            aria-label={`Edit ${service.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small button-quiet button-quiet-danger"
            onClick={onDelete}
            aria-label={`Delete ${service.name}`}
          >
            Delete
          </button>
        </div>
      </header>
      {service.description && <p className="service-description">{service.description}</p>}
      <dl className="service-facts">
        <div>
          <dt>RTO</dt>
          <dd>{formatMinutes(service.rtoMinutes)}</dd>
        </div>
        <div>
          <dt>RPO</dt>
          <dd>{formatMinutes(service.rpoMinutes)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCostPerHour(service.costPerHour)}</dd>
        </div>
      </dl>
      <dl className="service-details">
        {runsOn && (
          <div>
            <dt>Runs on</dt>
            <dd>{runsOn}</dd>
          </div>
        )}
        {dependsOn.length > 0 && (
          <div>
            <dt>Depends on</dt>
            <dd>{dependsOn.join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>Workaround</dt>
          <dd>{service.workaround || <span className="muted">none written down</span>}</dd>
        </div>
        {service.ownerContactId !== null && (
          <div>
            <dt>Owner</dt>
            <dd>{names.contact.get(service.ownerContactId) ?? '—'}</dd>
          </div>
        )}
      </dl>
      {gaps.length > 0 && (
        <p className="service-gaps">
          <WarningIcon />
          <span>Unprotected: {gaps.map((gap) => GAP_TEXT[gap]).join('; ')}</span>
        </p>
      )}
      <div className="move-to" role="group" aria-label={`Move ${service.name} to another tier`}>
        <span className="move-to-label" aria-hidden="true">
          Move to
        </span>
        {TIERS.filter((tier) => tier !== service.tier).map((tier) => (
          <button
            key={tier}
            type="button"
            className={`button button-small move-button move-${tier}`}
            disabled={moving}
            onClick={() => onMove(tier)}
            aria-label={`Move ${service.name} to ${TIER_LABEL[tier]}`}
          >
            {TIER_LABEL[tier]}
          </button>
        ))}
      </div>
    </article>
  );
}
