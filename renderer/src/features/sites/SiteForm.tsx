/** Add or edit a site: where servers stand, with the address someone drives to in a disaster. */
import { useCallback } from 'react';
import { SiteDraft, type Site } from '../../../../shared/domain';
import { EntityFormDialog } from '../../components/EntityFormDialog';
import { TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import { SITE_LABELS, siteDraft, siteFields, type SiteFields } from './site-fields';

/** The site dialog; `site` absent means a new one. */
export function SiteForm({ site, onClose }: { site?: Site; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const validate = useCallback(
    (fields: SiteFields) => schemaIssues(SiteDraft, siteDraft(fields, site?.id)),
    [site?.id],
  );
  const form = useDraftForm({
    id: 'site-form',
    initial: siteFields(site),
    validate,
    save: async (fields) => {
      const saved = await call('sites.save', siteDraft(fields, site?.id));
      notify('success', `Saved site ${saved.name}.`);
      onClose();
    },
  });
  const field = <K extends keyof SiteFields>(key: K) => ({ ...form.bind(key), label: SITE_LABELS[key] });

  return (
    <EntityFormDialog noun="site" entity={site} size="medium" form={form} labels={SITE_LABELS} onClose={onClose}>
      <TextField {...field('name')} hint="e.g. Head office, Colo rack 12" />
      <TextField {...field('address')} optional multiline rows={2} hint="Where someone goes to reach the machines" />
      <TextField
        {...field('notes')}
        optional
        multiline
        hint="Access codes are secrets: say who holds them, not what they are"
      />
    </EntityFormDialog>
  );
}
