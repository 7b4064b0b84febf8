/** The tier of a service in its colour, the same everywhere. */
import type { Tier } from '../../../shared/domain';
import { TIER_LABEL } from './format';

/** A small coloured label: critical red, important amber, routine slate. */
export function TierBadge({ tier }: { tier: Tier }) {
  return <span className={`tier-badge tier-${tier}`}>{TIER_LABEL[tier]}</span>;
}
