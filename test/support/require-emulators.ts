// Integration and e2e tests run against Google's emulators that `npm test` starts.
for (const name of ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST']) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set. Run these tests through \`npm test\`, which starts the emulators.`);
  }
}
