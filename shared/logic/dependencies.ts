/** Graph rules: no cycles in service dependencies, none in jump-host chains. */

export interface DependencyNode {
  id: number;
  name: string;
  dependsOn: readonly number[];
}

/**
 * The first dependency cycle found, as the names along it with the first name repeated at the end
 * ("CRM → Database → CRM"), or null when the graph has none. With `from`, a cycle through that
 * node is looked for first, so the message starts where the user made the change.
 */
export function findDependencyCycle(nodes: readonly DependencyNode[], from?: number): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<number, 'visiting' | 'done'>();
  const stack: number[] = [];

  const visit = (id: number): number[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return stack.slice(stack.indexOf(id)).concat(id);
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };

  const order =
    from === undefined ? nodes : [...nodes.filter((n) => n.id === from), ...nodes.filter((n) => n.id !== from)];
  for (const node of order) {
    const cycle = visit(node.id);
    if (cycle) return cycle.map((id) => byId.get(id)!.name);
  }
  return null;
}

export interface JumpNode {
  id: number;
  name: string;
  jumpId: number | null;
}

/**
 * The first jump-host cycle ("a → b → a"), as server names with the first repeated at the end, or
 * null. A cycle would make every server on it unreachable: each waits for the other's tunnel.
 */
export function findJumpCycle(nodes: readonly JumpNode[], from?: number): string[] | null {
  return findDependencyCycle(
    nodes.map((n) => ({ id: n.id, name: n.name, dependsOn: n.jumpId === null ? [] : [n.jumpId] })),
    from,
  );
}
