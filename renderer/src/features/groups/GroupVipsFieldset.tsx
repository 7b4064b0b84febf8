/** The virtual IPs of a group: address, prefix, and the interface it lives on at each member. */
import type { Server } from '../../../../shared/domain';
import { FieldErrors } from '../../components/fields';
import { fieldId } from '../../components/form-issues';
import { PlusIcon } from '../../components/icons';
import type { DraftForm } from '../../components/use-draft-form';
import { rowKey, vipInterfaceServers, type GroupFields, type VipRow } from './group-fields';

/** One box per VIP; an interface input appears for every member chosen above. */
export function GroupVipsFieldset({ form, servers }: { form: DraftForm<GroupFields>; servers: readonly Server[] }) {
  const { vips, members } = form.values;
  const serverName = new Map(servers.map((s) => [String(s.id), s.name]));
  const memberIds = members.map((m) => m.serverId).filter((id) => id !== '');
  const setVip = (key: string, index: number, change: (vip: VipRow) => VipRow) =>
    form.update(key, (previous) => ({ ...previous, vips: previous.vips.map((v, i) => (i === index ? change(v) : v)) }));
  const add = () =>
    form.update('vips', (previous) => ({
      ...previous,
      vips: [...previous.vips, { key: rowKey(), address: '', prefix: '24', interfaces: {} }],
    }));
  const remove = (index: number) =>
    form.update('vips', (previous) => ({ ...previous, vips: previous.vips.filter((_, i) => i !== index) }));

  return (
    <fieldset className="form-section" id={fieldId(form.id, 'vips')}>
      <legend>Virtual IPs</legend>
      <p className="field-hint">
        The addresses clients use. They move with the group, so nobody reconfigures anything.
      </p>
      {vips.map((vip, index) => {
        const base = `vips[${index}]`;
        const order = vipInterfaceServers(vip, members);
        const interfaceErrors = (serverId: string) => {
          const position = order.indexOf(serverId);
          return position < 0 ? [] : form.errorsFor(`${base}.interfaces[${position}]`, true);
        };
        const addressId = fieldId(form.id, `${base}.address`);
        const prefixId = fieldId(form.id, `${base}.prefix`);
        const addressErrors = form.errorsFor(`${base}.address`);
        const prefixErrors = form.errorsFor(`${base}.prefix`);
        const vipErrors = [...form.errorsFor(base), ...form.errorsFor(`${base}.interfaces`)];
        return (
          <div className="vip-box" key={vip.key} role="group" aria-label={`Virtual IP ${index + 1}`}>
            <div className="vip-address-row">
              <div className={`field${addressErrors.length ? ' field-invalid' : ''}`}>
                <label htmlFor={addressId}>Address</label>
                <input
                  id={addressId}
                  className="mono"
                  value={vip.address}
                  spellCheck={false}
                  aria-invalid={addressErrors.length > 0 || undefined}
                  aria-describedby={addressErrors.length ? `${addressId}-error` : undefined}
                  onChange={(e) => setVip(`${base}.address`, index, (v) => ({ ...v, address: e.target.value }))}
                  onBlur={() => form.touch(`${base}.address`)}
                />
                <FieldErrors id={`${addressId}-error`} errors={addressErrors} />
              </div>
              <div className={`field field-narrow${prefixErrors.length ? ' field-invalid' : ''}`}>
                <label htmlFor={prefixId}>Prefix</label>
                <input
                  id={prefixId}
                  className="mono"
                  inputMode="numeric"
                  value={vip.prefix}
                  aria-invalid={prefixErrors.length > 0 || undefined}
                  aria-describedby={prefixErrors.length ? `${prefixId}-error` : undefined}
                  onChange={(e) => setVip(`${base}.prefix`, index, (v) => ({ ...v, prefix: e.target.value }))}
                  onBlur={() => form.touch(`${base}.prefix`)}
                />
                <FieldErrors id={`${prefixId}-error`} errors={prefixErrors} />
              </div>
              <button
                type="button"
                className="button button-small button-quiet-danger vip-remove"
                onClick={() => remove(index)}
                aria-label={`Remove virtual IP ${index + 1}`}
              >
                Remove
              </button>
            </div>
            {memberIds.length === 0 ? (
              <p className="muted small">Add members to say which interface carries this address on each.</p>
            ) : (
              <div className="vip-interfaces">
                {memberIds.map((serverId) => {
                  const id = fieldId(form.id, `${base}.interfaces.${serverId}`);
                  const errors = interfaceErrors(serverId);
                  return (
                    <div className={`field field-narrow${errors.length ? ' field-invalid' : ''}`} key={serverId}>
                      <label htmlFor={id}>Interface on {serverName.get(serverId) ?? `server ${serverId}`}</label>
                      <input
                        id={id}
                        className="mono"
                        placeholder="e.g. eth0"
                        spellCheck={false}
                        value={vip.interfaces[serverId] ?? ''}
                        aria-invalid={errors.length > 0 || undefined}
                        aria-describedby={errors.length ? `${id}-error` : undefined}
                        onChange={(e) =>
                          setVip(`${base}.interfaces`, index, (v) => ({
                            ...v,
                            interfaces: { ...v.interfaces, [serverId]: e.target.value },
                          }))
                        }
                        onBlur={() => form.touch(`${base}.interfaces`)}
                      />
                      <FieldErrors id={`${id}-error`} errors={errors} />
                    </div>
                  );
                })}
              </div>
            )}
            <FieldErrors id={`${fieldId(form.id, base)}-error`} errors={vipErrors} />
          </div>
        );
      })}
      <FieldErrors id={`${fieldId(form.id, 'vips')}-error`} errors={form.errorsFor('vips')} />
      <button type="button" className="button button-small" onClick={add}>
        <PlusIcon />
        Add virtual IP
      </button>
    </fieldset>
  );
}
