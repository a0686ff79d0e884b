/**
 * The fixed choices the CLI's options offer, in a module of their own: `scripts/pindai.ts` needs
 * them to declare its options before it knows which command runs, without loading the commands.
 */
/** What `pindai review publish` may set: publish (open, read-online) or keep it staff-only. */
export const REVIEW_CHOICES = ['open', 'read-online', 'staff-only'] as const;
/** Catalogues `pindai export --for` writes files for. */
export const CATALOG_TARGETS = ['inlislite', 'slims'] as const;
export type CatalogTarget = (typeof CATALOG_TARGETS)[number];
