/**
 * `npm run demo`: Labcoat with a local simulated model, so a newcomer can watch a whole research
 * run offline and without a key. The header, the research tab and exports say "simulated".
 */
import { SIMULATED_MODEL, startSimulatedModel } from './demo/simulated-model.js';
import { exitOnStartupError, main } from './main.js';

const sim = await startSimulatedModel();
await main({ baseUrl: sim.url, model: SIMULATED_MODEL }).catch(exitOnStartupError);
