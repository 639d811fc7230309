// Inputs that once made the linter hang or overflow the stack (issue 12, issue 15); shared by `npm run bench`
// and the robustness tests.

/** Groups `D(n) = group("D(n-1)") or (country("US") and group("D(n-1)"))`, each using the one below twice. */
export function nestedGroups(depth: number): string {
  const lines = ['group "D0" = email_domain("example.com")'];
  for (let i = 1; i <= depth; i++)
    lines.push(`group "D${i}" = group("D${i - 1}") or (country("US") and group("D${i - 1}"))`);
  lines.push(`app "Nested" {\n  domain "nested.example.com"\n  allow "Members" if group("D${depth}")\n}`);
  return `${lines.join('\n')}\n`;
}

/** One app of `n` inline policies of mixed decisions, with `allow … if everyone` early on. */
export function bigApp(n: number): string {
  const countries = ['US', 'DE', 'FR', 'GB', 'JP'];
  const lines = ['app "Big" {', '  domain "big.example.com"'];
  for (let i = 0; i < n; i++) {
    if (i === 5) lines.push(`  allow "p${i}" if everyone`);
    else {
      const decision = i % 3 === 1 ? 'deny' : 'allow';
      lines.push(`  ${decision} "p${i}" if email("u${i}@example.com") or country("${countries[i % 5]}")`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A chain of `n` groups, each using the next. */
export function groupChain(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`group "G${i}" = group("G${i + 1}") or email("u${i}@example.com")`);
  lines.push(`group "G${n}" = email("last@example.com")`);
  lines.push('app "Chain" {\n  domain "chain.example.com"\n  allow "Members" if group("G0")\n}');
  return `${lines.join('\n')}\n`;
}

/** `n` reusable allow policies, pairwise different (the `equivalent-policies` comparison). */
export function manyPolicies(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`policy "p${i}" allow if email("u${i}@example.com")`);
  return `${lines.join('\n')}\n`;
}

/** One policy whose condition is an `or` of `n` terms. */
export function orChain(n: number): string {
  const terms = Array.from({ length: n }, (_, i) => `email("u${i}@example.com")`);
  return `policy "Wide" allow if ${terms.join(' or ')}\n`;
}

/** `n` reusable allow policies that all match the same identities, written two ways (`equivalent-policies`). */
export function equivalentPolicies(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const condition =
      i % 2 === 0
        ? 'email_domain("example.com") and country("US")'
        : 'country("US") and email_domain("example.com")';
    lines.push(`policy "p${i}" allow if ${condition}`);
  }
  return `${lines.join('\n')}\n`;
}
