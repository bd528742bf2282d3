/**
 * The direction rule (issue 15): no import cycles; the core knows no feature and no HTTP layer;
 * errors sit at the bottom; openai, lowdb and ws each have one importer. `npm test` runs it.
 * Any violation fails.
 */
const CORE = '^server/(errors|config|log|metrics|secrets|store|realtime|jobs|llm|accounting|limits|clock[.]ts)';
const FEATURES_AND_HTTP = '^server/(engines|gateway|http|demo|app[.]ts|main[.]ts)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'An import cycle: one of its arrows points the wrong way.', from: {}, to: { circular: true } },
    { name: 'core-knows-no-feature', severity: 'error', comment: 'The core must not import a feature or the HTTP layer.', from: { path: CORE }, to: { path: FEATURES_AND_HTTP } },
    { name: 'errors-at-the-bottom', severity: 'error', comment: 'server/errors imports nothing of the server.', from: { path: '^server/errors' }, to: { path: '^server/', pathNot: '^server/errors' } },
    { name: 'features-apart', severity: 'error', comment: 'A feature does not reach into another feature.', from: { path: '^server/engines/research' }, to: { path: '^server/(engines/batch|gateway)' } },
    { name: 'features-apart-batch', severity: 'error', from: { path: '^server/engines/batch' }, to: { path: '^server/(engines/research|gateway)' } },
    { name: 'features-apart-gateway', severity: 'error', from: { path: '^server/gateway' }, to: { path: '^server/engines' } },
    { name: 'one-openai-importer', severity: 'error', comment: 'Only the SDK wire talks to the openai package.', from: { pathNot: '^server/llm/sdk-wire[.]ts$' }, to: { path: 'node_modules/openai/' } },
    { name: 'one-lowdb-importer', severity: 'error', comment: 'Only the store (store.ts and its file adapter) uses lowdb.', from: { pathNot: '^server/store/' }, to: { path: 'node_modules/lowdb/' } },
    { name: 'one-ws-importer', severity: 'error', comment: 'Only the WebSocket transport uses ws.', from: { pathNot: '^server/realtime/ws-transport[.]ts$' }, to: { path: 'node_modules/ws/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
