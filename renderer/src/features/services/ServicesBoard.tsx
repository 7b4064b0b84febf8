/** The services as a board of the three tiers; moving a service between tiers is one button. */
import { useEffect, useMemo, useState } from 'react';
import { TIERS, type Service, type Tier } from '../../../../shared/domain';
import { unprotectedServices } from '../../../../shared/logic/protection';
import { DeleteEntityDialog } from '../../components/DeleteEntityDialog';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/ScreenHeader';
import { TIER_LABEL, TIER_MEANING, withArticle } from '../../components/format';
import { useApp } from '../../store/store-context';
import { selectCall, selectContacts, selectGroups, selectNotify, selectServices } from '../../store/selectors';
import { ServiceCard } from './ServiceCard';
import { ServiceForm } from './ServiceForm';

type Editing = { service?: Service; tier?: Tier } | null;

/** Three columns, most critical first; each card can be moved, edited or deleted. */
export function ServicesBoard() {
  const services = useApp(selectServices);
  const groups = useApp(selectGroups);
  const contacts = useApp(selectContacts);
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Service | null>(null);
  const [moving, setMoving] = useState<number | null>(null);
  /** The card to focus once it has landed in its new column. */
  const [follow, setFollow] = useState<{ id: number; tier: Tier } | null>(null);

  const names = useMemo(
    () => ({
      service: new Map(services.map((s) => [s.id, s.name])),
      group: new Map(groups.map((g) => [g.id, g.name])),
      contact: new Map(contacts.map((c) => [c.id, c.name])),
    }),
    [services, groups, contacts],
  );
  const gaps = useMemo(
    () => new Map(unprotectedServices({ services, groups }).map((u) => [u.serviceId, u.gaps])),
    [services, groups],
  );
  const columns = useMemo(() => {
    const byTier = new Map<Tier, Service[]>(TIERS.map((tier) => [tier, []]));
    for (const service of [...services].sort((a, b) => a.rtoMinutes - b.rtoMinutes || a.name.localeCompare(b.name))) {
      byTier.get(service.tier)!.push(service);
    }
    return byTier;
  }, [services]);

  useEffect(() => {
    if (!follow || services.find((s) => s.id === follow.id)?.tier !== follow.tier) return;
    document.querySelector<HTMLElement>(`[data-service-id="${follow.id}"]`)?.focus();
    setFollow(null);
  }, [follow, services]);

  const move = async (service: Service, tier: Tier) => {
    setMoving(service.id);
    try {
      await call('services.save', { ...service, tier });
      setFollow({ id: service.id, tier });
      notify('success', `Moved ${service.name} to ${TIER_LABEL[tier]}.`);
    } catch (error) {
      notify('error', `Could not move ${service.name}: ${(error as Error).message}`);
    } finally {
      setMoving(null);
    }
  };

  return (
    <>
      <ScreenHeader title="Services" description="What the business runs, by how much it hurts when it stops.">
        <button type="button" className="button button-primary" onClick={() => setEditing({})}>
          <PlusIcon />
          Add service
        </button>
      </ScreenHeader>
      <div className="board">
        {TIERS.map((tier) => {
          const list = columns.get(tier)!;
          return (
            <section
              key={tier}
              className={`board-column tier-column-${tier}`}
              aria-labelledby={`column-${tier}`}
              data-testid={`tier-column-${tier}`}
            >
              <header className="board-column-header">
                <h2 id={`column-${tier}`}>
                  {TIER_LABEL[tier]} <span className="count-pill">{list.length}</span>
                </h2>
                <p>{TIER_MEANING[tier]}</p>
              </header>
              <div className="board-cards">
                {list.map((service) => (
                  <ServiceCard
                    key={service.id}
                    service={service}
                    names={names}
                    gaps={gaps.get(service.id) ?? []}
                    moving={moving === service.id}
                    onMove={(to) => void move(service, to)}
                    onEdit={() => setEditing({ service })}
                    onDelete={() => setDeleting(service)}
                  />
                ))}
                {list.length === 0 && <p className="board-empty">No {TIER_LABEL[tier].toLowerCase()} services.</p>}
                <button type="button" className="button button-dashed" onClick={() => setEditing({ tier })}>
                  <PlusIcon />
                  Add {withArticle(TIER_LABEL[tier].toLowerCase())} service
                </button>
              </div>
            </section>
          );
        })}
      </div>
      {editing && <ServiceForm service={editing.service} tier={editing.tier} onClose={() => setEditing(null)} />}
      {deleting && (
        <DeleteEntityDialog
          method="services.delete"
          noun="service"
          entity={deleting}
          consequence="Services that depend on it must be changed first."
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}
