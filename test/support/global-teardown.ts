export default async function globalTeardown(): Promise<void> {
  globalThis.__databaseSetups = (globalThis.__databaseSetups ?? 1) - 1;
  if (globalThis.__databaseSetups > 0) return;
  await globalThis.__embeddedDatabase?.stop();
  globalThis.__embeddedDatabase = undefined;
}
