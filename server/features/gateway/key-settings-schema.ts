import { z } from 'zod';

const usd = z.number().min(0).max(1_000_000);
const keyFields = {
  name: z.string().trim().min(1).max(80),
  models: z.array(z.string().min(1).max(200)).max(500).nullable(),
  rpm: z.number().int().min(1).max(100_000),
  max_concurrent: z.number().int().min(1).max(1000),
  daily_usd: usd.nullable(),
  monthly_usd: usd.nullable(),
  expires_at: z.iso.datetime({ offset: true }).nullable(),
  enabled: z.boolean(),
};
/** What an owner may set on an issued key: the admin API and npm run keys check the same bounds. */
export const createKeyBody = z.strictObject({
  ...keyFields,
  enabled: keyFields.enabled.optional(),
  models: keyFields.models.optional(),
  rpm: keyFields.rpm.optional(),
  max_concurrent: keyFields.max_concurrent.optional(),
  daily_usd: keyFields.daily_usd.optional(),
  monthly_usd: keyFields.monthly_usd.optional(),
  expires_at: keyFields.expires_at.optional(),
});
export const updateKeyBody = createKeyBody.partial();
