/**
 * saveWaves: the order the remediation set's ObjectPermissions rows are saved in, decided once,
 * here, for both appliers (Node's applyRemediation and Apex's SyncDoctorRemediationApplier), which
 * save the rows of each wave by one DML statement, waves in increasing order.
 */

/**
 * Each row's saving wave (its `saveWave`), by index. Salesforce refuses a row's rights in a set
 * without Read on the objects it depends on in that same set (the plan's `requiredBy`: Account for
 * Contact, a master for its detail, with Person Accounts Contact for Account), so a row waits for
 * the waves holding the Reads it needs. Rows that need each other, directly or not (Account and
 * Contact with Person Accounts: a cycle no order of one-row saves can break), share a wave, whose
 * rows Salesforce checks together; a chain (grand-master, master, detail) takes one wave a link, so
 * it is saved parent first whether or not Salesforce lets the rows of one statement see each other.
 * A row needing nothing is in wave 0. The dependencies come from `requiredBy` alone, so a list
 * naming a parent after its child still saves the parent first.
 *
 * The waves do not know which Reads the set already holds (the appliers read that only when they
 * apply): a row waits for a parent's row even when the set reads the parent already. That costs at
 * most one more DML statement a wave, never a refusal: within a wave the appliers insert the new
 * rows before updating the existing ones, which already read their object.
 */
export function saveWaves(
  rows: readonly { sobjectType: string; requiredBy?: readonly string[] }[],
): number[] {
  const key = (name: string) => name.toLowerCase();
  const rowIndex = new Map(rows.map((row, i) => [key(row.sobjectType), i]));
  // needs[i]: the rows whose Read row i waits for.
  const needs = rows.map(() => new Set<number>());
  rows.forEach((parent, p) => {
    for (const child of Array.isArray(parent.requiredBy) ? parent.requiredBy : []) {
      if (typeof child !== 'string') continue;
      const c = rowIndex.get(key(child));
      if (c !== undefined && c !== p) needs[c]!.add(p);
    }
  });
  // Tarjan's strongly connected components: the rows that need each other, directly or not.
  const component = rows.map(() => -1);
  const low = rows.map(() => 0);
  const order = rows.map(() => -1);
  const stack: number[] = [];
  const onStack = new Set<number>();
  let counter = 0;
  let components = 0;
  const connect = (v: number): void => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of needs[v]!) {
      if (order[w] === -1) {
        connect(w);
        low[v] = Math.min(low[v]!, low[w]!);
      } else if (onStack.has(w)) low[v] = Math.min(low[v]!, order[w]!);
    }
    if (low[v] === order[v]) {
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component[w] = components;
      } while (w !== v);
      components += 1;
    }
  };
  rows.forEach((_, v) => {
    if (order[v] === -1) connect(v);
  });
  // A component's wave: one after the latest wave of the components it needs (Tarjan numbers a
  // component after every component it needs, so one pass in that order settles them all).
  const members = Array.from({ length: components }, () => [] as number[]);
  rows.forEach((_, v) => members[component[v]!]!.push(v));
  const waveOf: number[] = [];
  for (let c = 0; c < components; c++) {
    let wave = 0;
    for (const v of members[c]!)
      for (const w of needs[v]!)
        if (component[w] !== c) wave = Math.max(wave, waveOf[component[w]!]! + 1);
    waveOf[c] = wave;
  }
  return rows.map((_, v) => waveOf[component[v]!]!);
}
