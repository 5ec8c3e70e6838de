/**
 * Vigil's host agent: reads CPU, memory, load, network and disk figures from Linux /proc and
 * sends them to a Vigil server as `host` items of `/api/batch`.
 */
export { type AgentHandle, type AgentOptions, startAgent } from './agent.js';
export { type Collection, type CollectorOptions, HostCollector } from './collector.js';
export { type AgentCommandOptions, runAgentCommand } from './command.js';
export { type Logger, stderrLogger } from './logger.js';
export { HOST_METRICS, type HostMetricName, type HostMetrics } from './metrics.js';
export * from './proc/index.js';
export { BatchSender, type SenderOptions, type SenderStats } from './sender.js';
