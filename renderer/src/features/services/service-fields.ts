/** The service form's fields as typed text, and how they become a ServiceDraft for the API. */
import type { Service, ServiceDraft, Tier } from '../../../../shared/domain';
import { parseId, parseNumber, parseOptionalNumber } from '../../components/format';

export interface ServiceFields {
  name: string;
  description: string;
  tier: Tier;
  rtoMinutes: string;
  rpoMinutes: string;
  costPerHour: string;
  workaround: string;
  ownerContactId: string;
  groupId: string;
  hostedBy: string;
  dependsOn: number[];
}

/** Labels by field key, for the controls and the error summary. */
export const SERVICE_LABELS: Record<keyof ServiceFields, string> = {
  name: 'Name',
  description: 'Description',
  tier: 'Tier',
  rtoMinutes: 'Recovery time objective (RTO), minutes',
  rpoMinutes: 'Recovery point objective (RPO), minutes',
  costPerHour: 'Cost of downtime per hour',
  workaround: 'Manual workaround',
  ownerContactId: 'Owner',
  groupId: 'Runs on service group',
  hostedBy: 'Hosted by',
  dependsOn: 'Depends on',
};

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The fields of an existing service, or of a new one in `tier`. */
export function serviceFields(service?: Service, tier: Tier = 'important'): ServiceFields {
  return {
    name: service?.name ?? '',
    description: service?.description ?? '',
    tier: service?.tier ?? tier,
    rtoMinutes: text(service?.rtoMinutes),
    rpoMinutes: text(service?.rpoMinutes),
    costPerHour: text(service?.costPerHour),
    workaround: service?.workaround ?? '',
    ownerContactId: text(service?.ownerContactId),
    groupId: text(service?.groupId),
    hostedBy: service?.hostedBy ?? '',
    dependsOn: service?.dependsOn ?? [],
  };
}

/** The draft the API takes; validation is left to the shared schema. */
export function serviceDraft(fields: ServiceFields, id?: number): ServiceDraft {
  return {
    ...(id === undefined ? {} : { id }),
    name: fields.name.trim(),
    description: fields.description.trim(),
    tier: fields.tier,
    rtoMinutes: parseNumber(fields.rtoMinutes) as number,
    rpoMinutes: parseOptionalNumber(fields.rpoMinutes),
    costPerHour: parseOptionalNumber(fields.costPerHour),
    workaround: fields.workaround.trim(),
    ownerContactId: parseId(fields.ownerContactId),
    groupId: parseId(fields.groupId),
    hostedBy: fields.hostedBy.trim(),
    dependsOn: fields.dependsOn,
  };
}
