/**
 * `npm run demo`: Labcoat with a local simulated model and a local simulated literature source, so
 * a newcomer can watch a whole research run offline and without a key. The header, the research
 * tab and exports say "simulated"; every literature record is labelled simulated too.
 */
import { startSimulatedLiterature } from './demo/simulated-literature.js';
import { SIMULATED_MODEL, startSimulatedModel } from './demo/simulated-model.js';
import { exitOnStartupError, main } from './main.js';

const sim = await startSimulatedModel();
const literature = await startSimulatedLiterature();
await main({ baseUrl: sim.url, model: SIMULATED_MODEL, literature: { openalex: literature.openalex, crossref: literature.crossref } }).catch(
  exitOnStartupError,
);
