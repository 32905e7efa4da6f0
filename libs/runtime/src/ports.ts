import { join } from 'node:path';
import type { Settings } from '@ocr/config';
import type { BlobStore, ChatStore, JobStore, TaskBus, TokenStore } from '@ocr/domain';
import { FileTokenStore, InProcessTaskBus, LocalBlobStore, NedbChatStore, NedbJobStore } from '@ocr/adapters-embedded';

export interface Ports {
  jobStore: JobStore;
  blobStore: BlobStore;
  taskBus: TaskBus;
  tokenStore: TokenStore;
  /** Chat history lives in the job store's database (JOB_STORE). */
  chatStore: ChatStore;
}

/** Binds each port to the adapter its setting names (JOB_STORE, BLOB_STORE, TASK_BUS). */
export async function openPorts(settings: Settings): Promise<Ports> {
  const jobStore: JobStore = await (async () => {
    switch (settings.JOB_STORE) {
      case 'embedded':
        return NedbJobStore.open(join(settings.dataDir, 'db'));
    }
  })();
  const blobStore: BlobStore = (() => {
    switch (settings.BLOB_STORE) {
      case 'local':
        return new LocalBlobStore(join(settings.dataDir, 'blobs'));
    }
  })();
  const taskBus: TaskBus = (() => {
    switch (settings.TASK_BUS) {
      case 'inprocess':
        return new InProcessTaskBus();
    }
  })();
  const tokenStore = openTokenStore(settings);
  const chatStore: ChatStore = await (async () => {
    switch (settings.JOB_STORE) {
      case 'embedded':
        return NedbChatStore.open(join(settings.dataDir, 'db'));
    }
  })();
  return { jobStore, blobStore, taskBus, tokenStore, chatStore };
}

/** Tokens live in their own store so `make token` can add one while the service runs. */
export function openTokenStore(settings: Settings): TokenStore {
  return new FileTokenStore(join(settings.dataDir, 'tokens'));
}
