/**
 * The direction rule (issue 15). Layers, bottom to top:
 *   server/core      infrastructure that knows no feature (errors at its very bottom)
 *   server/http      the HTTP toolkit the features build their routes with
 *   server/features  one folder per feature; a feature never imports another
 *   server/app.ts, app-state.ts, main.ts, demo.ts, cli/, demo/   the composition root and entry points
 * Beside them, shared/ holds the pure math the page is served too (percentiles, batch metrics, Elo):
 * any layer may import it, and it imports nothing of the server or the page.
 * No import cycles; openai, lowdb and ws each have one importer. `npm test` runs it; any violation fails.
 */
const ROOT = '^server/(app[.]ts|app-state[.]ts|main[.]ts|demo[.]ts|cli/|demo/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'An import cycle: one of its arrows points the wrong way.', from: {}, to: { circular: true } },
    {
      name: 'core-knows-no-feature',
      severity: 'error',
      comment: 'The core must not import a feature, the HTTP toolkit or the composition root.',
      from: { path: '^server/core/' },
      to: { path: ['^server/(features|http)/', ROOT] },
    },
    {
      name: 'http-below-features',
      severity: 'error',
      comment: 'The HTTP toolkit serves every feature and knows none.',
      from: { path: '^server/http/' },
      to: { path: ['^server/features/', ROOT] },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'shared/ is served to the page as it is: it imports only shared/ (no server code, no page code, no packages).',
      from: { path: '^shared/' },
      to: { pathNot: '^shared/' },
    },
    {
      name: 'errors-at-the-bottom',
      severity: 'error',
      comment: 'server/core/errors imports nothing of the server.',
      from: { path: '^server/core/errors/' },
      to: { path: '^server/', pathNot: '^server/core/errors/' },
    },
    {
      name: 'features-apart',
      severity: 'error',
      comment: 'A feature does not reach into another feature: what two features share belongs in the core.',
      from: { path: '^server/features/([^/]+)/' },
      to: { path: '^server/features/', pathNot: '^server/features/$1/' },
    },
    {
      name: 'features-below-the-root',
      severity: 'error',
      comment: 'Features are mounted by the composition root; they never import it.',
      from: { path: '^server/features/' },
      to: { path: ROOT },
    },
    {
      name: 'one-openai-importer',
      severity: 'error',
      comment: 'Only the SDK wire talks to the openai package.',
      from: { pathNot: '^server/core/llm/sdk-wire[.]ts$' },
      to: { path: 'node_modules/openai/' },
    },
    {
      name: 'one-lowdb-importer',
      severity: 'error',
      comment: 'Only the store uses lowdb.',
      from: { pathNot: '^server/core/store/' },
      to: { path: 'node_modules/lowdb/' },
    },
    {
      name: 'one-ws-importer',
      severity: 'error',
      comment: 'Only the WebSocket transport uses ws.',
      from: { pathNot: '^server/core/realtime/ws-transport[.]ts$' },
      to: { path: 'node_modules/ws/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
