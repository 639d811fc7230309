import fc from 'fast-check';

/**
 * Valid projects (they resolve without errors), written with random layout: extra spaces, tabs and line breaks
 * between tokens, comment lines between declarations and app items, trailing comments.
 */

const space = fc.constantFrom(' ', ' ', '  ', '\t', '\n  ', ' \n');
const comment = fc.constantFrom(
  '# note',
  '// why',
  '#  spaced   out',
  '# aclc-disable-next-line unused-group -- demo',
);

/** Tokens joined with random white space. */
const layout = (tokens: string[]): fc.Arbitrary<string> =>
  fc
    .array(space, { minLength: tokens.length, maxLength: tokens.length })
    .map((gaps) => tokens.map((t, i) => (i === 0 ? t : `${gaps[i]}${t}`)).join(''));

const ATOMS = [
  ['email', '(', '"alice@example.com"', ')'],
  ['email_domain', '(', '"example.com"', ')'],
  ['country', 'in', '(', '"US"', ',', '"DE"', ')'],
  ['country', '(', '"kp"', ')'],
  ['ip', '(', '"10.0.0.0/8"', ',', '"2001:db8::/32"', ')'],
  ['okta_group', '(', 'okta', ',', '"eng"', ')'],
  ['github_org', '(', 'gh', ',', '"acme"', ',', '"sre"', ')'],
  ['auth_method', '(', '"mfa"', ')'],
  ['user_risk_score', '(', '"high"', ',', '"medium"', ')'],
  ['service_token', '(', '"ci"', ')'],
  ['email', '(', '"bob@example.com"', ',', '"carol@example.org"', ')'],
  ['email_domain', '(', '"gmail.com"', ')'],
  ['ip', '(', '"10.1.0.0/16"', ')'],
  ['country', '(', '"US"', ')'],
  ['any_service_token'],
  ['everyone'],
  ['certificate'],
];

function expr(groups: number, depth: number): fc.Arbitrary<string[]> {
  const atoms: string[][] = [...ATOMS];
  for (let g = 0; g < groups; g++) atoms.push(['group', '(', `"G${g}"`, ')']);
  const atom = fc.constantFrom(...atoms);
  if (depth === 0) return atom;
  const sub = expr(groups, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: atom },
    { weight: 1, arbitrary: sub.map((e) => ['not', ...e]) },
    { weight: 1, arbitrary: sub.map((e) => ['(', ...e, ')']) },
    {
      weight: 2,
      arbitrary: fc.tuple(sub, fc.constantFrom('and', 'or'), sub).map(([a, op, b]) => [...a, op, ...b]),
    },
  );
}

const decision = fc.constantFrom('allow', 'deny', 'block', 'bypass', 'service_auth');

export const validProject: fc.Arbitrary<string> = fc
  .record({ groups: fc.nat(3), policies: fc.nat(3), apps: fc.integer({ min: 1, max: 2 }) })
  .chain(({ groups, policies, apps }) => {
    const decls: fc.Arbitrary<string>[] = [fc.constant('idp okta: okta = "Okta"\nidp gh: github = "GitHub"')];
    for (let g = 0; g < groups; g++)
      decls.push(expr(g, 2).chain((e) => layout(['group', `"G${g}"`, '=', ...e])));
    for (let p = 0; p < policies; p++) {
      decls.push(
        fc
          .tuple(decision, expr(groups, 2), fc.boolean())
          .chain(([d, e, settings]) =>
            layout([
              'policy',
              `"P${p}"`,
              d,
              'if',
              ...e,
              ...(settings ? ['{', 'session_duration', '12h', '}'] : []),
            ]),
          ),
      );
    }
    for (let a = 0; a < apps; a++) {
      const items: fc.Arbitrary<string>[] = [fc.constant(`domain "app-${a}.example.com"`)];
      for (let p = 0; p < policies; p++) items.push(fc.boolean().map((use) => (use ? `use "P${p}"` : '')));
      for (let i = 0; i < 3; i++) {
        items.push(
          fc.tuple(decision, expr(groups, 2)).chain(([d, e]) => layout([d, `"Inline ${i}"`, 'if', ...e])),
        );
      }
      decls.push(
        fc
          .tuple(
            fc.tuple(...items),
            fc.array(fc.option(comment), { minLength: items.length, maxLength: items.length }),
          )
          .map(([lines, comments]) => {
            const body = lines
              .map((l, i) => (l === '' ? '' : `${comments[i] ? `  ${comments[i]}\n` : ''}  ${l}`))
              .filter((l) => l !== '');
            return `app "App ${a}" {\n${body.join('\n')}\n}`;
          }),
      );
    }
    return fc
      .tuple(
        fc.tuple(...decls),
        fc.array(fc.option(comment), { minLength: decls.length, maxLength: decls.length }),
        fc.constantFrom('\n', '\n\n', '\n\n\n'),
      )
      .map(([texts, comments, separator]) =>
        texts.map((t, i) => `${comments[i] ? `${comments[i]}\n` : ''}${t}`).join(separator),
      );
  });
