/** In-process implementations of the storage seams. */
export { MemoryEventBus, type MemoryEventBusOptions } from './event-bus.js';
