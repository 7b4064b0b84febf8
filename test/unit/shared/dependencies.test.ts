import { describe, expect, it } from 'vitest';
import { findDependencyCycle } from '../../../shared/logic/dependencies';

describe('findDependencyCycle', () => {
  it('finds none in a diamond', () => {
    expect(
      findDependencyCycle([
        { id: 1, name: 'CRM', dependsOn: [2, 3] },
        { id: 2, name: 'Database', dependsOn: [4] },
        { id: 3, name: 'Gateway', dependsOn: [4] },
        { id: 4, name: 'Power', dependsOn: [] },
      ]),
    ).toBeNull();
  });
  it('names the services along a cycle', () => {
    const cycle = findDependencyCycle([
      { id: 1, name: 'CRM', dependsOn: [2] },
      { id: 2, name: 'Database', dependsOn: [3] },
      { id: 3, name: 'Files', dependsOn: [1] },
    ]);
    expect(cycle).toEqual(['CRM', 'Database', 'Files', 'CRM']);
  });
  it('treats a self-dependency as a cycle and ignores unknown ids', () => {
    expect(findDependencyCycle([{ id: 1, name: 'A', dependsOn: [1] }])).toEqual(['A', 'A']);
    expect(findDependencyCycle([{ id: 1, name: 'A', dependsOn: [99] }])).toBeNull();
  });
});
