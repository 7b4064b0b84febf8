/** The final sync reaches the receiver at its own address (never a VIP) and on its own SSH port. */
import { describe, expect, it } from 'vitest';
import { copyScript, deletionPreviewScript, receiverAddress } from '../../../electron/failover/actions/rsync-sync';
import { StepStop } from '../../../electron/failover/actions/kit';
import { RsyncParams } from '../../../shared/runbooks';
import type { Server } from '../../../shared/domain';

const params = RsyncParams.parse({ sourceServerId: 1, vipAddress: '10.77.0.30', paths: ['/srv/files'], delete: true });
const source = {
  id: 1,
  name: 'files-a',
  os: 'linux',
  addresses: ['10.77.0.31'],
  ssh: { host: '10.77.0.31', port: 22 },
} as Server;
const receiver = (addresses: string[], port = 2222, host = 'files-b.example') =>
  ({ id: 2, name: 'files-b', os: 'linux', addresses, ssh: { host, port } }) as Server;

describe('the rsync receiver', () => {
  it("is reached on the member's SSH port, in the copy and in the deletion preview", () => {
    const copy = copyScript(source, params, receiver(['10.77.0.32']), ['10.77.0.30'], 0);
    expect(copy).toContain("-e 'ssh -p 2222 -o BatchMode=yes");
    expect(copy).toContain("'root'@'10.77.0.32':'/srv/files/'");
    expect(deletionPreviewScript(params, receiver(['10.77.0.32']), ['10.77.0.30'])).toContain("-e 'ssh -p 2222 ");
  });

  it("is the member's own address, skipping a listed VIP", () => {
    expect(receiverAddress(receiver(['10.77.0.30', '10.77.0.32']), ['10.77.0.30'])).toBe('10.77.0.32');
    expect(receiverAddress(receiver([]), ['10.77.0.30'])).toBe('files-b.example');
  });

  it('is refused when the member has no address but a VIP', () => {
    expect(() => receiverAddress(receiver(['10.77.0.30'], 22, '10.77.0.30'), ['10.77.0.30'])).toThrow(StepStop);
    expect(() => receiverAddress(receiver(['10.77.0.30'], 22, '10.77.0.30'), ['10.77.0.30'])).toThrow(
      /no address of its own that is not a VIP/,
    );
  });
});
