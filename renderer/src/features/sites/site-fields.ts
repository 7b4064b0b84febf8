/** The site form's fields as typed text, and how they become a SiteDraft for the API. */
import type { Site, SiteDraft } from '../../../../shared/domain';

export interface SiteFields {
  name: string;
  address: string;
  notes: string;
}

/** Labels by field key, for the controls and the error summary. */
export const SITE_LABELS: Record<keyof SiteFields, string> = {
  name: 'Name',
  address: 'Address',
  notes: 'Notes',
};

/** The fields of an existing site, or empty ones for a new site. */
export function siteFields(site: Site | undefined): SiteFields {
  return { name: site?.name ?? '', address: site?.address ?? '', notes: site?.notes ?? '' };
}

/** The draft the API takes. */
export function siteDraft(fields: SiteFields, id?: number): SiteDraft {
  return {
    ...(id === undefined ? {} : { id }),
    name: fields.name.trim(),
    address: fields.address.trim(),
    notes: fields.notes.trim(),
  };
}
