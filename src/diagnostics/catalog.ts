import type { Diagnostic, Related, Severity, Span } from './diagnostic.js';

/**
 * Every compiler diagnostic, keyed by a stable code. Never reuse a retired code; never key by message text.
 * Templates use `{name}` placeholders filled from the arguments given to `diagnostic()`.
 * Ranges: ACL00xx input files · ACL01xx lexer · ACL02xx parser · ACL03xx names · ACL04xx values ·
 * ACL05xx settings · ACL06xx compiler · ACL07xx command line · ACL08xx API and deploy.
 * Lint rules join this namespace with kebab-case ids through the rule registry.
 */
export interface CatalogEntry {
  severity: Severity;
  message: string;
  help?: string;
}

export const CATALOG = {
  // ── ACL00xx input files ──────────────────────────────────────────────────────────────
  ACL0001: {
    severity: 'error',
    message: 'no `.acl` files found in `{path}`',
    help: 'pass `.acl` files or a folder that contains some',
  },
  ACL0002: {
    severity: 'error',
    message: 'cannot read `{path}`: {reason}',
    help: 'check that the path exists and is readable',
  },
  ACL0003: {
    severity: 'error',
    message: '`{path}` is not a text file',
    help: '`.acl` files are UTF-8 text; is this the right file?',
  },
  ACL0004: {
    severity: 'error',
    message: '`{path}` is too large ({size} bytes, the limit is {limit})',
    help: 'split the policies over several files',
  },
  ACL0005: {
    severity: 'warning',
    message: '`{path}` declares nothing',
    help: 'add `idp`, `group`, `policy` or `app` declarations, or delete the file',
  },

  ACL0006: {
    severity: 'error',
    message: '`{path}` is {kind}, not a regular file',
    help: 'sources are read from regular files only; name the file itself (a device, FIFO or socket is never read)',
  },
  ACL0007: {
    severity: 'error',
    message: 'cannot read the folder `{path}`: {reason}',
    help: 'every folder of a project is read; make it readable, move it out of the project, or list it in `ignore` in `aclc.config.json`',
  },

  // ── ACL01xx lexer ───────────────────────────────────────────────────────────────────
  ACL0101: {
    severity: 'error',
    message: 'unexpected {what} `{text}`',
    help: 'remove {it}; strings go in double quotes and comments start with `#` or `//`',
  },
  ACL0102: {
    severity: 'error',
    message: 'unterminated string',
    help: 'close the string with `"` on the same line',
  },
  ACL0103: {
    severity: 'error',
    message: 'unknown escape `{escape}` in string',
    help: 'valid escapes are `\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`',
  },
  ACL0104: {
    severity: 'error',
    message: 'expression nested too deeply (more than {limit} levels)',
    help: 'flatten the expression or move parts of it into groups',
  },

  // ── ACL02xx parser ──────────────────────────────────────────────────────────────────
  ACL0201: {
    severity: 'error',
    message: 'expected {expected}, found {found}',
    help: 'insert {expected} here; the syntax is in grammar/REFERENCE.md',
  },
  ACL0202: {
    severity: 'error',
    message: 'expected a declaration, found {found}',
    help: 'a file holds `idp`, `group`, `extern group`, `policy` and `app` declarations',
  },
  ACL0203: { severity: 'error', message: 'unclosed `{open}`', help: 'add the matching `{close}`' },
  ACL0204: {
    severity: 'error',
    message: 'expected an expression, found {found}',
    help: 'a condition combines selectors such as `email("a@example.com")` with `and`, `or`, `not`',
  },
  ACL0205: {
    severity: 'error',
    message: 'unknown decision `{found}`',
    help: 'use `allow`, `deny` (or `block`), `bypass` or `service_auth` (or `non_identity`)',
  },
  ACL0206: {
    severity: 'error',
    message: 'too many syntax errors; the rest of the file is not checked',
    help: 'aclc stops reading a file after {limit} syntax errors; fix the errors above and run it again',
  },

  // ── ACL03xx names ───────────────────────────────────────────────────────────────────
  ACL0301: { severity: 'error', message: 'unknown selector `{name}`', help: '{suggestion}' },
  ACL0302: { severity: 'error', message: 'unknown group `{name}`', help: '{suggestion}' },
  ACL0303: { severity: 'error', message: 'unknown identity provider `{name}`', help: '{suggestion}' },
  ACL0304: { severity: 'error', message: 'unknown policy `{name}`', help: '{suggestion}' },
  ACL0305: {
    severity: 'error',
    message: '{kind} `{name}` is defined more than once',
    help: 'rename one of them or remove the duplicate',
  },
  ACL0306: {
    severity: 'error',
    message: 'group `{name}` refers to itself through {cycle}',
    help: 'groups cannot be recursive; break the cycle',
  },
  ACL0307: {
    severity: 'error',
    message:
      '`{selector}` needs an identity provider of type {expected}, but `{idp}` is declared as {actual}',
    help: 'use an identity provider declared with a matching type, e.g. `idp {first}: {first} = "…"`',
  },
  ACL0308: {
    severity: 'error',
    message: '`{selector}` takes {expected}, found {found}',
    help: 'write it as `{usage}`',
  },
  ACL0309: {
    severity: 'error',
    message: '`{selector}` cannot be used in a policy with decision `{decision}`',
    help: 'the API accepts it only with {allowed}',
  },
  ACL0310: {
    severity: 'error',
    message: 'precedence {precedence} is used twice in app `{app}`',
    help: 'precedence must be unique within an app; renumber or remove the explicit `precedence`',
  },
  ACL0311: {
    severity: 'error',
    message: 'unknown identity provider type `{type}`',
    help: 'known types: {known}',
  },
  ACL0312: {
    severity: 'error',
    message: 'app `{app}` uses policy `{policy}` more than once',
    help: 'an app can reference a policy only once',
  },
  ACL0313: {
    severity: 'error',
    message: 'expected a string or `id("…")` for {what}, found {found}',
    help: '{usage}',
  },
  ACL0314: {
    severity: 'error',
    message: '`{selector}` takes an identity provider name, not a string',
    help: 'declare it with `idp NAME = "{value}"` and write `{selector}(NAME, …)`',
  },
  ACL0315: {
    severity: 'error',
    message: 'group name `{name}` starts with `{prefix}`, which is reserved for groups aclc synthesizes',
    help: "rename the group; `plan --prune` treats every `{prefix}` group as aclc's own",
  },
  ACL0316: {
    severity: 'error',
    message: '`use extern` names policy `{name}`, which this project manages',
    help: 'attach a policy of the project with `use "{name}"`; `use extern` is for policies that live only in the account',
  },
  ACL0317: {
    severity: 'error',
    message: 'a policy named by id must be attached with `use extern`',
    help: 'write `use extern id("{id}")`: aclc manages policies by name, and leaves one named by id as it is',
  },

  // ── ACL04xx values ──────────────────────────────────────────────────────────────────
  ACL0401: {
    severity: 'error',
    message: '`{value}` is not a valid email address',
    help: 'write a full address such as `alice@example.com`',
  },
  ACL0402: {
    severity: 'error',
    message: 'email domain `{value}` starts with `@`',
    help: 'write the domain without `@`',
  },
  ACL0403: {
    severity: 'error',
    message: '`{value}` is not a valid domain',
    help: 'write a domain such as `example.com`',
  },
  ACL0404: { severity: 'error', message: '`{value}` has host bits set', help: 'the network is `{network}`' },
  ACL0405: {
    severity: 'error',
    message: '`{value}` is not an ISO 3166-1 alpha-2 country code',
    help: 'use a two-letter code such as `US`, `DE` or `JP`',
  },
  ACL0406: { severity: 'error', message: 'empty string', help: 'this value cannot be empty' },
  ACL0407: {
    severity: 'error',
    message: '`{value}` is not an http(s) URL',
    help: 'write an absolute URL such as `https://eval.example.com`',
  },
  ACL0408: {
    severity: 'error',
    message: '`{value}` is not an authentication method',
    help: 'use an RFC 8176 value such as `mfa`, `hwk`, `otp`, `pwd` or `swk`',
  },
  ACL0409: {
    severity: 'error',
    message: '`{value}` is not a risk level',
    help: 'use `low`, `medium`, `high` or `unscored`',
  },
  ACL0410: {
    severity: 'error',
    message: '`{value}` is not an IP address or CIDR block',
    help: 'write an address (`192.0.2.1`, `2001:db8::1`) or a block (`10.0.0.0/8`, `2001:db8::/32`)',
  },
  ACL0411: {
    severity: 'error',
    message: '`{value}` is not a duration',
    help: 'write a duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)',
  },
  ACL0412: {
    severity: 'error',
    message: '`{value}` is not a valid id',
    help: 'ids are written `id("…")` with a non-empty string',
  },
  ACL0413: { severity: 'error', message: 'duplicate value `{value}`', help: 'remove the repeated value' },
  ACL0414: {
    severity: 'error',
    message: '`{value}` is not a valid hostname or path for an app domain',
    help: 'write `host.example.com` or `host.example.com/path`, without a scheme; `*` is a wildcard in subdomains and paths (`*.example.com`, `lab-*.example.com/docs/*`), not in the apex domain',
  },
  ACL0415: {
    severity: 'error',
    message: '`{value}` is not a valid precedence',
    help: 'precedence is a whole number of at least 1',
  },
  ACL0416: {
    severity: 'error',
    message: '`{value}` is not a port or port range',
    help: 'write one port (`"22"`) or a range (`"8000-8099"`), ports from 1 to 65535',
  },
  ACL0430: {
    severity: 'error',
    message: '`{value}` has a part with a leading zero, which some parsers read as octal',
    help: 'write `{meant}` if decimal was meant{octal}; Go, which Cloudflare uses, refuses leading zeros since 1.17',
  },
  ACL0431: {
    severity: 'error',
    message: '`{value}` writes an IPv4 part in hexadecimal',
    help: 'write it in dotted decimal: `{meant}`',
  },
  ACL0432: {
    severity: 'error',
    message: '`{value}` is a shortened IPv4 address, which `inet_aton` reads as `{meant}`',
    help: 'write all four parts, e.g. `{meant}`, or a block such as `10.1.0.0/16` if a network was meant',
  },
  ACL0433: {
    severity: 'error',
    message: '`{value}` is an IPv4 address written as one integer',
    help: 'write it in dotted decimal: `{meant}`',
  },
  ACL0434: {
    severity: 'error',
    message: '`{value}` has an IPv6 zone (`%…`), which a policy cannot match',
    help: 'remove the zone: write the address or block alone',
  },
  ACL0435: {
    severity: 'error',
    message: 'prefix length `{bits}` of `{value}` has a leading zero',
    help: 'write `{fixed}`',
  },
  ACL0436: {
    severity: 'error',
    message: '`{unit}` is not a duration unit',
    help: 'use `{instead}`; units are ns, us, ms, s, m and h',
  },
  ACL0437: {
    severity: 'error',
    message: '`{value}` is a domain, not an email address',
    help: 'to match everyone at a domain, write `email_domain("{domain}")`',
  },

  // ── ACL05xx settings ────────────────────────────────────────────────────────────────
  ACL0501: { severity: 'error', message: 'unknown setting `{name}` for {where}', help: '{suggestion}' },
  ACL0502: {
    severity: 'error',
    message: 'setting `{name}` expects {expected}, found {found}',
    help: '{usage}',
  },
  ACL0503: { severity: 'error', message: 'setting `{name}` is given more than once', help: 'keep one' },
  ACL0504: {
    severity: 'error',
    message: 'app `{app}` has no domain',
    help: 'add `domain "host.example.com"`',
  },
  ACL0505: {
    severity: 'error',
    message: 'app `{app}` has {count} domains, the API allows at most {limit}',
    help: 'split the app',
  },
  ACL0506: { severity: 'error', message: 'setting `{name}` is out of range: {reason}', help: '{usage}' },
  ACL0507: { severity: 'error', message: '{where} is missing {missing}', help: '{usage}' },
  ACL0508: {
    severity: 'error',
    message: 'settings `{first}` and `{second}` cannot be used together',
    help: '{reason}',
  },
  ACL0509: {
    severity: 'error',
    message: 'setting `{name}` takes a duration in {units}, found `{value}`',
    help: '{usage}',
  },
  ACL0510: {
    severity: 'error',
    message:
      '`auto_redirect_to_identity` needs exactly one identity provider in `allowed_idps`, found {count}',
    help: 'list a single identity provider, e.g. `allowed_idps [okta]`, or remove `auto_redirect_to_identity`',
  },

  // ── ACL06xx compiler ────────────────────────────────────────────────────────────────
  ACL0601: {
    severity: 'error',
    message: '{what} `{name}` has {count} rules, the API allows at most {limit}',
    help: 'split it or move alternatives into groups',
  },
  ACL0602: {
    severity: 'error',
    message: 'the project compiles to {count} {what}, the account allows at most {limit}',
    help: 'reduce the number of {what}',
  },
  ACL0603: {
    severity: 'error',
    message: 'name `{name}` is longer than {limit} characters',
    help: 'shorten it',
  },
  ACL0604: { severity: 'error', message: 'no app named `{name}`', help: '{suggestion}' },
  ACL0605: {
    severity: 'error',
    message: 'compiled {what} `{name}` does not match the API schema: {reason}',
    help: 'this is a bug in aclc; please report it with the input that caused it',
  },
  ACL0620: {
    severity: 'error',
    message: 'setting `{name}` does not apply to apps of type `{type}`',
    help: 'remove it or change `type`; a {type} app takes {allowed}',
  },
  ACL0621: {
    severity: 'error',
    message: '`{name}` is a {protocol} setting, but this `saas_app` has `auth_type {auth}`',
    help: 'remove it, or set `auth_type` to the protocol the application speaks',
  },
  ACL0622: {
    severity: 'error',
    message: 'apps of type `{type}` reach their targets over `{protocol}`, found `protocol {found}`',
    help: 'write `protocol {protocol}` in its `target_criteria`',
  },
  ACL0623: {
    severity: 'error',
    message: 'bookmark app `{app}` cannot have policies',
    help: 'a bookmark is an App Launcher tile and the API takes no policies for it; remove the `use` lines, or make it a `self_hosted` app to protect it',
  },

  // ── ACL0650–0679 zone-scoped objects ────────────────────────────────────────────────────
  ACL0650: {
    severity: 'error',
    message: '`{value}` is not a zone',
    help: 'write the zone\'s name, e.g. `zone "example.com"`, or its id (32 hex digits), `zone id("023e105f4ecef8ad9ca31a8372d0c353")`',
  },
  ACL0651: {
    severity: 'error',
    message: 'expected `zone` after `in` in group `{name}`, found `{keyword}`',
    help: 'a zone-level group is written `group "Name" in zone "example.com" = …` (or `in zone id("…")`)',
  },
  ACL0652: {
    severity: 'error',
    message: 'zone-level app `{app}` cannot use reusable policy `{policy}`',
    help: 'reusable policies live at account level and only account-level apps link them; write the policy inside the app (`allow "…" if …`), or remove `zone` from the app',
  },
  ACL0653: {
    severity: 'error',
    message: '{what} `{name}` is account-level but uses group `{group}` of zone `{zone}`',
    help: 'a zone-level group can be used only by the groups and apps of its own zone; remove `zone` from group `{group}`, or put this {what} in zone `{zone}`',
  },
  ACL0654: {
    severity: 'error',
    message: '{what} `{name}` is in zone `{zone}` but uses group `{group}` of zone `{other}`',
    help: 'a zone-level group can be used only by the groups and apps of its own zone; move one of them, or make the group account-level (account groups can be used in every zone)',
  },
  ACL0655: {
    severity: 'error',
    message: 'zone `{zone}` is not in the account',
    help: 'no zone of that name answered `GET /zones?name={zone}` with these credentials; check the spelling and that the token may read the zone, or write its id: `zone id("…")`',
  },
  ACL0656: {
    severity: 'error',
    message: '`zone` is written more than once in app `{app}`',
    help: 'an app lives in one zone: keep one `zone` line',
  },

  // ── ACL0680–0699 Zero Trust lists: ownership by the state ledger, Terraform lists ─────────
  ACL0680: {
    severity: 'warning',
    message:
      'list `{name}` carries the description `managed by aclc` of an earlier aclc, but the state ledger does not prove aclc created it',
    help: 'aclc now knows its lists by the state ledger, not by their description: run `aclc apply --adopt` to take it over (it is then recorded in the ledger and its description is yours), or give the declaration another name',
  },
  ACL0681: {
    severity: 'warning',
    message:
      'list `{name}` ({id}) carries the description `managed by aclc` of an earlier aclc; `--prune` does not delete it, as the state ledger does not prove aclc created it',
    help: 'delete it in the dashboard if nothing needs it, or declare it and apply with `--adopt` so that aclc manages it',
  },
  ACL0682: {
    severity: 'error',
    message: "the account's list `{name}` holds {actual} values; the code declares an {expected} list",
    help: "the type of a list cannot be changed: rename the list in code, or rename or delete the account's list",
  },
  ACL0683: {
    severity: 'error',
    message: '`{value}` is not a refresh token lifetime',
    help: 'write a whole number of minutes, hours or days, longer than one minute: `lifetime "30d"`, `lifetime "12h"`',
  },

  // ── ACL07xx command line ────────────────────────────────────────────────────────────
  ACL0701: { severity: 'error', message: '{reason}', help: 'see `aclc --help`' },
  ACL0702: {
    severity: 'error',
    message: 'cannot write `{path}`: {reason}',
    help: 'check that the folder exists and is writable',
  },
  ACL0703: {
    severity: 'error',
    message: '`{paths}` spans {count} projects: {projects}',
    help: '{command} one project at a time, or add an `aclc.config.json` at their common root (`{common}`) to make them one project',
  },
  ACL0720: {
    severity: 'error',
    message: '`{path}` does not exist',
    help: 'check the path; relative paths start from the current folder',
  },
  ACL0721: {
    severity: 'error',
    message: '`{path}` exists; `aclc init` never overwrites a file',
    help: 'run `aclc init` in an empty folder (`aclc init FOLDER`), or move the file away',
  },
  ACL0740: {
    severity: 'error',
    message: 'cannot read the Terraform configuration `{path}`: {reason}',
    help: 'pass the output of `terraform show -json > terraform.json` (state or saved plan), or a folder of `.tf` files',
  },
  ACL0741: {
    severity: 'warning',
    message: '`{address}`: {reason}',
    help: 'the import leaves it out; it stays in the account as Terraform made it',
  },
  ACL0742: {
    severity: 'error',
    message: '`{address}`: {reason}',
    help: 'run `terraform apply` first and import from `terraform show -json` of the state, where every value is known',
  },
  ACL0743: {
    severity: 'error',
    message:
      'the import of app `{app}` decides `{got}` where the Terraform configuration decides `{want}` ({evaluator} evaluator), for {identity}',
    help: 'no file was written; please report this with the configuration (it is a bug in `aclc import`)',
  },
  ACL0745: {
    severity: 'warning',
    message:
      'the import of app `{app}` decides `{got}` where the account decides `{want}` ({evaluator} evaluator), for {identity}',
    help: 'an earlier warning says what the language could not write; fix that app by hand before applying the import',
  },
  ACL0746: {
    severity: 'error',
    message: '`{address}`: {reason}',
    help: 'the import stops rather than write files that decide differently; change that resource, or leave it out of the file given to the import and write it by hand',
  },
  ACL0744: {
    severity: 'error',
    message: '`{expression}` needs Terraform to evaluate it ({what})',
    help: 'run `terraform apply` (or `terraform plan -out plan.tfplan`) and import `terraform show -json [plan.tfplan] > terraform.json` instead: it holds every value evaluated',
  },
  ACL0760: {
    severity: 'error',
    message: 'list `{name}` must be written `ip("…", …)` or `email("…", …)`, not {found}',
    help: 'a Zero Trust list holds values of one type: `list "{name}" = ip("192.0.2.0/24", "198.51.100.0/24")` or `list "{name}" = email("a@example.com")`',
  },
  ACL0761: {
    severity: 'error',
    message: '`{selector}("{name}")` names an {actual} list; `{selector}` takes an {expected} list',
    help: 'use `{other}("{name}")`, or name a list of {expected} values',
  },
  ACL0763: {
    severity: 'error',
    message:
      "the account has {count} lists named `{name}` and the state ledger proves none or several of them aclc's",
    help: "aclc cannot tell which list the declaration means: rename the list in code, or rename or delete the account's extra lists",
  },

  // ── ACL08xx API and deploy ───────────────────────────────────────────────────────────
  ACL0801: {
    severity: 'error',
    message: 'no Cloudflare API credentials in the environment',
    help: 'set `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_EMAIL` and `CLOUDFLARE_API_KEY`)',
  },
  ACL0802: {
    severity: 'error',
    message: '`{present}` is set but `{missing}` is not',
    help: 'set both `CLOUDFLARE_EMAIL` and `CLOUDFLARE_API_KEY`, or use `CLOUDFLARE_API_TOKEN` instead',
  },
  ACL0803: {
    severity: 'error',
    message: '`CLOUDFLARE_ACCOUNT_ID` is not set',
    help: 'set it to the 32-character id shown in the Cloudflare dashboard',
  },
  ACL0804: {
    severity: 'error',
    message: '`{value}` is not a valid API base URL',
    help: 'set `ACLC_API_BASE` to an http(s) URL such as `https://api.cloudflare.com/client/v4`',
  },
  ACL0805: {
    severity: 'warning',
    message: 'both an API token and a global API key are set; using the token',
    help: 'unset `CLOUDFLARE_API_KEY` and `CLOUDFLARE_EMAIL` to silence this',
  },
  ACL0806: {
    severity: 'error',
    message: '`{value}` is not a valid account id',
    help: 'an account id is 32 hexadecimal characters',
  },
  ACL0810: { severity: 'error', message: 'the API refused {operation}: {reason}', help: '{help}' },
  ACL0811: {
    severity: 'error',
    message: 'the API rejected the credentials for {operation}: {reason}',
    help: 'check that the token is valid and has Access: Apps and Policies edit permission on the account',
  },
  ACL0812: {
    severity: 'error',
    message: 'rate limited by the API on {operation}, still after {attempts} attempts',
    help: 'wait a few minutes and try again; the API allows 1,200 requests per 5 minutes',
  },
  ACL0813: {
    severity: 'error',
    message: 'cannot reach the API for {operation}: {reason}',
    help: 'check the network and `ACLC_API_BASE`',
  },
  ACL0814: {
    severity: 'error',
    message: 'the API answered {operation} with an unexpected response: {reason}',
    help: 'check `ACLC_API_BASE`; if it is right this may be a change in the API, please report it',
  },
  ACL0815: {
    severity: 'error',
    message: '{operation} is not available with {scope} scope',
    help: 'set `CLOUDFLARE_ACCOUNT_ID`; this resource exists only at account level',
  },
  ACL0820: {
    severity: 'error',
    message: 'cannot load emulator {what} `{path}`: {reason}',
    help: 'the file must be JSON of the form `{ groups, policies, apps, app_policies, identity_providers, service_tokens, lists, posture_rules, zones }`, as described by schemas/emulator-seed.schema.json; docs/emulator.md has an example',
  },
  ACL0821: { severity: 'error', message: 'invalid emulator option `{option}`: {reason}', help: '{usage}' },
  ACL0830: {
    severity: 'error',
    message: '`{variable}` holds a character an HTTP header cannot carry ({character})',
    help: 'set it again from the original; an invisible character (zero-width space, line break, no-break space) was probably pasted with it',
  },
  ACL0831: {
    severity: 'error',
    message: 'cannot send {operation}: {reason}',
    help: 'nothing was sent; check `ACLC_API_BASE`, `CLOUDFLARE_ACCOUNT_ID` and the credentials for stray characters',
  },
  ACL0832: {
    severity: 'error',
    message:
      '{kind} `{name}` ({id}) exists in the account but was not created by aclc: applying would take it over',
    help: 'review the change; run again with `--adopt` to manage it with aclc from now on (it is then recorded in the ledger), or give the declaration another name',
  },
  ACL0833: { severity: 'error', message: 'invalid option `{option}`: {reason}', help: '{usage}' },
  ACL0834: {
    severity: 'error',
    message: 'apply interrupted: {done} of {total} changes were made',
    help: 'the changes made are recorded in the ledger and the locks are released; run `aclc apply` again to finish',
  },
  ACL0850: {
    severity: 'error',
    message: '{kind} `{name}` does not exist in the account',
    help: '{suggestion}',
  },
  ACL0851: {
    severity: 'error',
    message: '{count} {kinds} in the account are named `{name}`',
    help: 'rename the duplicates in the dashboard, or refer to the one you mean with `id("…")`',
  },
  ACL0852: {
    severity: 'error',
    message:
      '{count} {kinds} in the account are named `{name}`; aclc cannot tell which one the code declares',
    help: 'delete or rename the duplicates in the dashboard so that one {kind} has this name',
  },
  ACL0853: {
    severity: 'error',
    message: 'the account changed since the plan was made',
    help: 'make a new plan with `aclc plan --out {path}` and review it',
  },
  ACL0854: {
    severity: 'error',
    message: 'app `{app}` would be left with no policy, which locks everyone out',
    help: 'give the app a policy, or pass `--allow-no-policy` if this is intended',
  },
  ACL0855: {
    severity: 'error',
    message: 'the plan detaches every policy app `{app}` has now ({policies})',
    help: 'check for renamed policies; pass `--allow-detach-all` if this is intended',
  },
  ACL0856: {
    severity: 'error',
    message: 'the plan opens app `{app}` to everyone through {decision} policy `{policy}`',
    help: 'narrow the condition, or pass `--allow-everyone` if the app is meant to be public',
  },
  ACL0857: {
    severity: 'error',
    message: 'refusing to apply without confirmation: the input is not a terminal',
    help: 'review the plan, then run again with `--auto-approve`',
  },
  ACL0858: {
    severity: 'error',
    message: '`{path}` is not a usable aclc plan: {reason}',
    help: 'make one with `aclc plan --out {path}`',
  },
  ACL0859: {
    severity: 'error',
    message: 'the plan was made for account `{planned}`, not `{account}`',
    help: 'set `CLOUDFLARE_ACCOUNT_ID` (or `--account-id`) to the plan’s account, or make a new plan',
  },
  ACL0860: {
    severity: 'error',
    message: 'cannot use the state ledger `{path}`: {reason}',
    help: 'fix or delete the file (without it aclc prunes only unreferenced synthesized groups), or pass `--state FILE`',
  },
  ACL0862: {
    severity: 'error',
    message: 'apply stopped after {done} of {total} changes',
    help: 'fix the cause above and run `aclc apply` again; it continues from where it stopped',
  },
  ACL0863: {
    severity: 'error',
    message:
      'app `{app}` cannot be created: domain `{domain}` is already protected by app `{other}`, which the code does not declare',
    help: 'rename the app to `{other}` in the code to adopt it, or remove that app in the dashboard',
  },
  ACL0864: { severity: 'warning', message: 'cannot import {what} of {owner}: {reason}', help: '{help}' },
  ACL0865: {
    severity: 'error',
    message: 'cannot read the export `{path}`: {reason}',
    help: 'write one with `aclc export --out export.json`; the format is in docs/export.md and schemas/export.schema.json',
  },
  ACL0867: {
    severity: 'error',
    message:
      'precedence {precedence} of policy `{policy}` in app `{app}` is taken by the app’s legacy policy `{legacy}`',
    help: 'bring the legacy policy into the code with `aclc import`, choose another precedence, or delete the legacy policy in the dashboard',
  },
  ACL0868: {
    severity: 'warning',
    message: 'app `{app}` keeps its legacy app-scoped policy `{legacy}`, which the code does not declare',
    help: 'bring it into the code with `aclc import` (it is then converted to a reusable policy), or delete it in the dashboard',
  },
  ACL0870: {
    severity: 'error',
    message: 'the state ledger `{path}` is locked by another apply (pid {pid} on `{host}`, since {started})',
    help: 'wait for that apply to finish; if none is running, the lock is stale: run again with `--force-unlock` (or delete `{lock}`)',
  },
  ACL0871: {
    severity: 'warning',
    message:
      'took over the stale lock `{lock}`: pid {pid} on `{host}` (since {started}) is no longer running',
  },
  ACL0872: {
    severity: 'error',
    message: 'cannot lock the state ledger: cannot create `{lock}`: {reason}',
    help: 'check that the folder is writable, or choose another ledger with `--state FILE`',
  },
  ACL0873: {
    severity: 'error',
    message: 'the API endpoint `{value}` carries credentials',
    help: 'remove the user name and password from the URL; the token goes in `CLOUDFLARE_API_TOKEN`, never in the URL',
  },
  ACL0874: {
    severity: 'error',
    message: 'the saved plan `{path}` does not match its digest: it was changed after `aclc plan` wrote it',
    help: 'make a new plan with `aclc plan --out {path}`; a plan is applied only as it was made',
  },
  ACL0875: {
    severity: 'error',
    message: 'the saved plan `{path}` {action}s {kind} `{name}` ({id}), which aclc may not touch: {reason}',
    help: 'make a new plan with `aclc plan --out {path}`; aclc changes only objects the code declares and deletes only objects it created',
  },
  ACL0876: {
    severity: 'error',
    message: 'the account is locked by another apply ({holder}, until {until})',
    help: 'wait for it to finish, or wait longer with `--lock-timeout 5m`; if no apply is running, the lock expires at the time shown, or remove the Access tag `{tag}`',
  },
  ACL0877: {
    severity: 'warning',
    message: 'took over the account lock of an apply that stopped ({holder}, expired {until})',
  },
  ACL0878: {
    severity: 'error',
    message: 'the account lock was lost during the apply ({reason}); no further change was started',
    help: 'run `aclc apply` again: it converges from where this one stopped',
  },
  ACL0879: {
    severity: 'error',
    message: 'tag `{tag}` of app `{app}` does not exist in the account',
    help: '{suggestion}; an app may carry only tags of the account (`/access/tags`), which aclc does not create',
  },

  // ── ACL0890–0899 access diff (`aclc diff`, the access changes of `plan`, the widening gate) ──
  ACL0890: {
    severity: 'error',
    message: 'cannot read revision `{rev}`: {reason}',
    help: 'give a commit, branch or tag of this repository (`git log --oneline` lists them), or two folders to compare',
  },
  ACL0891: {
    severity: 'error',
    message: 'the project `{project}` has errors in {side}, so its access cannot be compared',
    help: 'fix the errors listed above in {side}, or compare other revisions',
  },
  ACL0892: {
    severity: 'warning',
    message: 'the access changes of app `{app}` could not be computed ({reason})',
    help: "the plan is shown without them; split the app's policies into smaller ones, or check the change by hand",
  },
  ACL0893: {
    severity: 'error',
    message: 'the change widens access to app `{app}`: {how}',
    help: 'review who gains access above; to accept the widening, run without `--fail-on-widen`',
  },
  ACL0894: {
    severity: 'error',
    message: 'the change widens access to sensitive app `{app}`: {how}',
    help: '`{pattern}` in `sensitiveApps` of aclc.config.json marks it sensitive; review who gains access above, then apply with `--allow-widen`',
  },
  ACL0895: {
    severity: 'error',
    message: 'refusing to widen access to sensitive app `{app}`: {how}',
    help: 'review who gains access (`aclc plan` lists them), then run `aclc apply --allow-widen` to apply it anyway',
  },

  // ── ACL0950–0979 tests and explain (`.acltest` files, `aclc test`, `aclc explain`) ─────
  ACL0950: {
    severity: 'error',
    message: 'expected {expected}, found {found}',
    help: 'see "Test files" in grammar/REFERENCE.md for the syntax of `.acltest` files',
  },
  ACL0951: { severity: 'error', message: 'unknown app `{name}`', help: '{suggestion}' },
  ACL0952: {
    severity: 'error',
    message: 'app `{app}` has no policy `{name}`',
    help: '{suggestion}',
  },
  ACL0953: { severity: 'error', message: 'unknown identity attribute `{name}`', help: '{suggestion}' },
  ACL0954: { severity: 'error', message: 'unknown identity provider `{name}`', help: '{suggestion}' },
  ACL0955: {
    severity: 'error',
    message: 'group `{name}` is defined in code, so membership is computed from the identity',
    help: 'give the identity the attributes the group looks at instead of naming the group',
  },
  ACL0956: {
    severity: 'error',
    message: 'no app is tagged `{tag}`',
    help: 'tag apps with `tags ["{tag}"]`, or fix the tag name',
  },
  ACL0957: {
    severity: 'error',
    message: 'test `{name}` is defined twice',
    help: 'give each test a unique name so its result can be told apart',
  },
  ACL0958: { severity: 'error', message: 'invalid value for `{key}`: {reason}', help: '{help}' },
  ACL0959: {
    severity: 'error',
    message: 'invariant could not be decided: {reason}',
    help: 'simplify the condition or split the invariant per app',
  },
  ACL0960: {
    severity: 'error',
    message: 'no `.acltest` files found in `{path}`',
    help: 'write tests in `*.acltest` files next to the `.acl` files (see docs/testing.md)',
  },
  ACL0961: {
    severity: 'error',
    message: 'cannot read identity: {reason}',
    help: "write `--as 'email=a@example.com,country=DE,idp=okta'` or pass `--identity FILE` (JSON)",
  },
  ACL0962: {
    severity: 'error',
    message: 'test `{name}` expects nothing',
    help: 'add `expect app "Name" allow` (or deny, bypass, service_auth, no-match)',
  },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof CATALOG;

function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z_]+)\}/g, (whole, name: string) =>
    name in args ? String(args[name]) : whole,
  );
}

/** Build a catalog diagnostic. Arguments fill `{name}` placeholders in the message and help. */
export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  args: Record<string, string | number> = {},
  extra: { help?: string; related?: Related[]; fix?: Diagnostic['fix'] } = {},
): Diagnostic {
  const entry: CatalogEntry = CATALOG[code];
  const d: Diagnostic = { code, severity: entry.severity, message: fill(entry.message, args), span };
  const help = extra.help ?? (entry.help !== undefined ? fill(entry.help, args) : undefined);
  if (help) d.help = help;
  if (extra.related?.length) d.related = extra.related;
  if (extra.fix) d.fix = extra.fix;
  return d;
}

/** "did you mean `x`?" for the closest candidate within a small edit distance, else the fallback. */
export { didYouMean } from './suggest.js';
