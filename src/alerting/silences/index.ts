/** Silences and inhibition: pure decisions on whether an alert is muted. */

export { inhibitedBy, isInhibited } from './inhibition.js';
export {
  isSilenced,
  nextSilenceChange,
  type Silence,
  type SilenceMatcher,
  type SilenceState,
  silencedBy,
  silenceMatcherOp,
  silenceMatcherSchema,
  silenceMatches,
  silenceSchema,
  silenceState,
} from './silence.js';
