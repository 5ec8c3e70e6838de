/** Streaming summaries with accuracy guarantees. */
export {
  DDSketch,
  type DDSketchOptions,
  type DDSketchState,
  DEFAULT_ALPHA,
  DEFAULT_MAX_BUCKETS,
} from './ddsketch.js';
