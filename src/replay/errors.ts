/** What the replay tool throws: a CSV it cannot read, bad options, or a server that refuses or never answers. */
export class ReplayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
  }
}
