// A task-bus consumer in its own process, for the redelivery test: it takes a task, says so on
// stdout ("took <job>:<page>") and never finishes it, so the test can kill -9 it mid-task.
import { KafkaTaskBus } from '@ocr/adapters-cluster';

async function main(): Promise<void> {
  const bus = await KafkaTaskBus.open({
    brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','),
    clientId: 'crash-child',
    topic: process.env['TOPIC'] ?? 'contract-crash',
    groupId: process.env['GROUP'] ?? 'contract-crash-workers',
    partitions: 4,
    sessionTimeoutMs: 3_000,
  });
  await bus.consume(async (task) => {
    process.stdout.write(`took ${task.job_uuid}:${task.index}\n`);
    await new Promise<never>(() => undefined);
  }, 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
