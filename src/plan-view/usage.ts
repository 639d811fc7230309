/**
 * Which apps each policy and group decides for: an app uses the policies it links and, through them, every group
 * they refer to, groups of groups included. Keys are the caller's (names in the code, ids in the account).
 */
export interface UsageGraph {
  apps: readonly { name: string; policies: readonly string[] }[];
  /** The groups a policy refers to (none when unknown). */
  policyGroups(policy: string): readonly string[];
  /** The groups a group refers to (none when unknown). */
  groupGroups(group: string): readonly string[];
}

/** Policy or group key → the names of the apps that use it, sorted. Pure. */
export function appsUsing(graph: UsageGraph): Map<string, string[]> {
  const users = new Map<string, Set<string>>();
  const use = (key: string, app: string) => users.set(key, (users.get(key) ?? new Set()).add(app));
  for (const app of graph.apps) {
    const seen = new Set<string>();
    const visit = (group: string) => {
      if (seen.has(group)) return;
      seen.add(group);
      use(group, app.name);
      for (const g of graph.groupGroups(group)) visit(g);
    };
    for (const policy of app.policies) {
      use(policy, app.name);
      for (const g of graph.policyGroups(policy)) visit(g);
    }
  }
  return new Map([...users].map(([k, v]) => [k, [...v].sort()]));
}
