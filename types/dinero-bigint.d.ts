// dinero.js v2 publishes its bigint entry only through package "exports", which this repository's
// `moduleResolution: node` does not read; this points the types at the same file Node loads.
declare module 'dinero.js/bigint' {
  export * from 'dinero.js/dist/esm/bigint/index';
}
