// @nats-io/transport-node's types re-export '@nats-io/nats-core/internal', a subpath that only the
// package's "exports" map names; with moduleResolution "node" TypeScript cannot see it. Point it at the file.
declare module '@nats-io/nats-core/internal' {
  export * from '@nats-io/nats-core/lib/internal_mod';
}
