import { diagnostic } from '../diagnostics/catalog.js';
import type { Setting } from '../parser/ast.js';
import { exactlyOne } from './combinations.js';
import { NON_EMPTY, type SettingsTable, valueCheck } from './schema.js';

/** `mfa { … }` → `mfa_config` (policies and apps). */
export const MFA_SETTINGS: SettingsTable = {
  name: 'mfa',
  where: 'the `mfa` block',
  entries: [
    {
      key: 'allowed_authenticators',
      wire: 'allowed_authenticators',
      type: { kind: 'list', item: { kind: 'enum', values: ['totp', 'biometrics', 'security_key'] } },
      doc: 'the MFA methods users can authenticate with',
      example: 'allowed_authenticators ["security_key", "totp"]',
    },
    {
      key: 'mfa_disabled',
      wire: 'mfa_disabled',
      type: { kind: 'bool' },
      doc: 'turn MFA off for this resource',
      example: 'mfa_disabled true',
    },
    {
      key: 'session_duration',
      wire: 'session_duration',
      type: { kind: 'duration', units: ['m', 'h'], max: '720h' },
      doc: 'how long an MFA session lasts, in minutes or hours, at most 720h (30 days)',
      example: 'session_duration 24h',
    },
  ],
  finish(out, ctx) {
    const disabled = ctx.written.get('mfa_disabled')?.[0];
    const authenticators = ctx.written.get('allowed_authenticators')?.[0];
    if (out.mfa_disabled === true && disabled && authenticators) {
      ctx.diagnostics.push(
        diagnostic(
          'ACL0508',
          authenticators.key.span,
          {
            first: 'mfa_disabled',
            second: 'allowed_authenticators',
            reason: 'MFA is turned off, so the authenticators have no effect; remove one of them',
          },
          { related: [{ span: disabled.key.span, message: 'MFA is turned off here' }] },
        ),
      );
    }
  },
};

/** One entry of `approval_groups [{ … }]`. */
export const APPROVAL_GROUP_SETTINGS: SettingsTable = {
  name: 'approval group',
  where: 'an approval group',
  entries: [
    {
      key: 'approvals_needed',
      wire: 'approvals_needed',
      type: { kind: 'number', integer: true, min: 1 },
      doc: 'how many approvals are needed to get access (required)',
      example: 'approvals_needed 1',
    },
    {
      key: 'emails',
      wire: 'email_addresses',
      type: {
        kind: 'list',
        item: { kind: 'string', check: valueCheck('email', 'an email address', 'email addresses') },
      },
      doc: 'the email addresses that can approve',
      example: 'emails ["security@example.com"]',
    },
    {
      key: 'email_list',
      wire: 'email_list_uuid',
      type: { kind: 'ref', ref: 'email_list', what: 'an email list' },
      doc: 'an account email list whose members can approve',
      example: 'email_list "Approvers"',
    },
  ],
  finish(out, ctx) {
    const usage = 'write it as `{ approvals_needed 1 emails ["security@example.com"] }`';
    const needed = ctx.written.get('approvals_needed')?.[0];
    if (!needed) {
      ctx.diagnostics.push(
        diagnostic('ACL0507', ctx.owner.span, {
          where: 'an approval group',
          missing: '`approvals_needed`',
          usage,
        }),
      );
    }
    const emails = exactlyOne(ctx, 'emails', 'email_list', {
      where: 'an approval group',
      reason: 'an approval group names its approvers one way; keep one',
      usage,
    }).first;
    // Count the approvers as written (invalid addresses are reported on their own), without repeats.
    const listed =
      emails?.value.kind === 'List'
        ? new Set(emails.value.items.map((i) => (i.kind === 'String' ? i.value.trim().toLowerCase() : i)))
            .size
        : undefined;
    if (
      needed &&
      listed !== undefined &&
      typeof out.approvals_needed === 'number' &&
      out.approvals_needed > listed
    ) {
      ctx.diagnostics.push(
        diagnostic('ACL0506', (needed as Setting).value.span, {
          name: 'approvals_needed',
          reason: `it needs ${out.approvals_needed} approvals but only ${listed} ${listed === 1 ? 'address is' : 'addresses are'} listed in \`emails\``,
          usage: 'lower `approvals_needed` or add approvers',
        }),
      );
    }
  },
};

/** `ssh { … }` in `connection_rules` (API `access_connection_rules_ssh`: `usernames` is required). */
export const SSH_RULES: SettingsTable = {
  name: 'ssh',
  where: 'the `ssh` block',
  entries: [
    {
      key: 'usernames',
      wire: 'usernames',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'the Unix usernames users may connect as (required)',
      example: 'usernames ["root", "ubuntu"]',
    },
    {
      key: 'allow_email_alias',
      wire: 'allow_email_alias',
      type: { kind: 'bool' },
      doc: 'also let users connect as the local part of their IdP email address',
      example: 'allow_email_alias true',
    },
  ],
  finish(_out, ctx) {
    if (!ctx.written.has('usernames')) {
      ctx.diagnostics.push(
        diagnostic('ACL0507', ctx.owner.span, {
          where: 'the `ssh` block',
          missing: '`usernames`',
          usage: 'write it as `ssh { usernames ["ubuntu"] }`',
        }),
      );
    }
  },
};

const CLIPBOARD = { kind: 'list', item: { kind: 'enum', values: ['text', 'file'] } } as const;

/** `rdp { … }` in `connection_rules` (API `access_connection_rules_rdp`). */
export const RDP_RULES: SettingsTable = {
  name: 'rdp',
  where: 'the `rdp` block',
  entries: [
    {
      key: 'allowed_clipboard_local_to_remote_formats',
      wire: 'allowed_clipboard_local_to_remote_formats',
      type: CLIPBOARD,
      doc: 'what users may paste from their machine into the RDP session',
      example: 'allowed_clipboard_local_to_remote_formats [text]',
    },
    {
      key: 'allowed_clipboard_remote_to_local_formats',
      wire: 'allowed_clipboard_remote_to_local_formats',
      type: CLIPBOARD,
      doc: 'what users may copy from the RDP session to their machine',
      example: 'allowed_clipboard_remote_to_local_formats [text, file]',
    },
  ],
};

/** `connection_rules { … }` → `connection_rules`: how users may connect to targets (SSH, RDP). */
export const CONNECTION_RULES: SettingsTable = {
  name: 'connection_rules',
  where: 'the `connection_rules` block',
  entries: [
    {
      key: 'ssh',
      wire: 'ssh',
      type: { kind: 'block', table: SSH_RULES },
      doc: 'SSH: the usernames users may connect as (infrastructure apps)',
      example: 'ssh { usernames ["ubuntu"] allow_email_alias true }',
    },
    {
      key: 'rdp',
      wire: 'rdp',
      type: { kind: 'block', table: RDP_RULES },
      doc: 'RDP: the clipboard formats allowed in each direction',
      example: 'rdp { allowed_clipboard_local_to_remote_formats [text] }',
    },
  ],
};

/** Settings of a policy (`policy "…" allow if … { … }` and inline app policies): reusable policy fields. */
export const POLICY_SETTINGS: SettingsTable = {
  name: 'policy',
  where: 'a policy',
  entries: [
    {
      key: 'session_duration',
      wire: 'session_duration',
      type: { kind: 'duration' },
      doc: 'how long tokens issued under this policy are valid (overrides the app’s)',
      example: 'session_duration 8h',
    },
    {
      key: 'approval_required',
      wire: 'approval_required',
      type: { kind: 'bool' },
      doc: 'users must request access from an approver at the start of each session',
      example: 'approval_required true',
    },
    {
      key: 'approval_groups',
      wire: 'approval_groups',
      type: { kind: 'blocks', table: APPROVAL_GROUP_SETTINGS },
      doc: 'who can approve access requests',
      example: 'approval_groups [{ approvals_needed 1 emails ["security@example.com"] }]',
    },
    {
      key: 'isolation_required',
      wire: 'isolation_required',
      type: { kind: 'bool' },
      doc: 'serve the app in an isolated browser for matching users (needs Browser Isolation)',
      example: 'isolation_required true',
    },
    {
      key: 'purpose_justification_required',
      wire: 'purpose_justification_required',
      type: { kind: 'bool' },
      doc: 'users must say why they need access when they log in',
      example: 'purpose_justification_required true',
    },
    {
      key: 'purpose_justification_prompt',
      wire: 'purpose_justification_prompt',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the question shown on the purpose justification screen',
      example: 'purpose_justification_prompt "What are you changing?"',
    },
    {
      key: 'mfa',
      wire: 'mfa_config',
      type: { kind: 'block', table: MFA_SETTINGS },
      doc: 'multi-factor authentication settings',
      example: 'mfa { allowed_authenticators ["security_key"] session_duration 12h }',
    },
    {
      key: 'connection_rules',
      wire: 'connection_rules',
      type: { kind: 'block', table: CONNECTION_RULES },
      doc: 'how users may connect to the targets of the apps using the policy (SSH usernames, RDP clipboard)',
      example: 'connection_rules { ssh { usernames ["ubuntu"] } }',
    },
  ],
};
