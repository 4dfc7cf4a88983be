export * from './projection';
export * from './projection-runner';
export * from './inline-projection';
export { projectionContext, quoteIdentifier } from './projection-tables';
export { applyInTimedChunks, freshTiming } from './timed-chunks';
