// What-if replays of past sales under draft programs and settings (POST /v1/simulations).
export * from './simulation-draft';
export * from './partner-timeline';
export * from './attempt-replay';
export * from './simulation-totals';
