import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { inProcessChat } from '@ocr/app';
import { chatHandlers } from '@ocr/transport-grpc';
import { closePorts, openPorts } from '../ports';
import { createChatService, describeEngines } from '../engines';
import { answers, portOptions, checkAll, serveGrpcService, type RunningService } from './common';
import { clusterJobService, NO_JOB } from './jobs';

/** chat: retrieval over a finished job's pages, answers with citations, the conversation. */
export async function startChat(settings: Settings, log: Logger): Promise<RunningService> {
  const ports = await openPorts(settings, { ...portOptions('chat', log), readsJobsOnly: true });
  const jobs = clusterJobService(settings, ports, log, null);
  const chat = createChatService(settings, ports.chatStore, describeEngines(settings, log).models, log);
  return serveGrpcService(
    settings,
    log,
    (server) => server.add('Chat', chatHandlers(inProcessChat(chat, jobs), log)),
    () =>
      checkAll({
        job_store: () => answers(() => ports.jobStore.getJob(NO_JOB)),
        chat_store: () => answers(() => ports.chatStore.get(NO_JOB)),
      }),
    () => closePorts(ports),
  );
}
