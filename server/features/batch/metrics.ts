/**
 * Performance metrics of a batch run: the one copy is shared/batch-metrics.js (plain JavaScript
 * with JSDoc types), which the page is served too, so its live numbers are the server's.
 */
export { batchMetrics, metricsByEndpoint, metricsBySuite, timePerOutputToken } from '../../../shared/batch-metrics.js';
export type { BatchMetrics, EndpointMetrics, PromptResult, Spread } from '../../../shared/batch-metrics.js';
export { percentile } from '../../../shared/numbers.js';
