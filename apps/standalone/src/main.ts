import { loadSettings } from '@ocr/config';
import { startStandalone } from '@ocr/runtime';

async function main(): Promise<void> {
  const running = await startStandalone(loadSettings());
  const shutdown = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    void running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`standalone failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
