export { CORS_SETTINGS } from './app-blocks.js';
export { APP_SETTINGS, checkAppDomain, MAX_APP_DOMAINS } from './app-settings.js';
export { settingsDocument, settingsReference } from './docs.js';
export { APPROVAL_GROUP_SETTINGS, MFA_SETTINGS, POLICY_SETTINGS } from './policy-settings.js';
export {
  describeType,
  type FinishContext,
  resolveSettings,
  type SettingSpec,
  type SettingsContext,
  type SettingsTable,
  type SettingType,
} from './schema.js';
