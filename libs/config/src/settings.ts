import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * Every setting the platform reads, with its environment variable and default.
 * Documented one-for-one in docs/SETTINGS.md; read once at start-up and passed down, never
 * read from `process.env` elsewhere.
 */
export const settingsSchema = z.object({
  PORT: int(8080, 0),
  HOST: z.string().default('0.0.0.0'),
  /** Root for the embedded database, local blobs and temporary page images. */
  DATA_DIR: z.string().default('./var'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // Port switches: which adapter each port binds (embedded: one process; the others: the cluster).
  /** mongodb also holds accounts, sessions, tokens, the ledger and chat history. */
  JOB_STORE: z.enum(['embedded', 'mongodb']).default('embedded'),
  BLOB_STORE: z.enum(['local', 's3']).default('local'),
  TASK_BUS: z.enum(['inprocess', 'kafka']).default('inprocess'),

  // Cluster adapters' connections (docs/SETTINGS.md, "Cluster adapters"); read only when selected.
  /** Includes the database name (FerretDB speaks the same protocol). */
  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017/ocr'),
  /** How long a MongoDB operation waits for a reachable server before it fails (503, not a hang). */
  MONGODB_TIMEOUT_MS: int(5_000, 100),
  S3_ENDPOINT: z.string().url().default('http://127.0.0.1:9000'),
  /** What clients reach for presigned downloads when it differs from S3_ENDPOINT (empty: the same). */
  S3_PUBLIC_ENDPOINT: z.union([z.literal(''), z.string().url()]).default(''),
  S3_BUCKET: z.string().min(3).default('ocr'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3 call whose server stays silent this long fails (503 with Retry-After), never a hung request. */
  S3_TIMEOUT_MS: int(5_000, 100),
  S3_ACCESS_KEY: z.string().default(''),
  S3_SECRET_KEY: z.string().default(''),
  /** Comma-separated host:port list. */
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('ocr-chat'),
  KAFKA_TOPIC_PAGE_TASKS: z.string().min(1).default('ocr.page-tasks'),
  KAFKA_TOPIC_PAGE_EVENTS: z.string().min(1).default('ocr.page-events'),
  /** Partitions of topics this platform creates: the most workers of one kind that can share work. */
  KAFKA_PARTITIONS: int(12, 1),
  /** How soon a worker that died loses its partitions, so its unfinished page goes to another worker. */
  KAFKA_SESSION_TIMEOUT_MS: int(6_000, 1_000),

  // Limits
  MAX_UPLOAD_BYTES: int(50 * 1024 * 1024, 1),
  MAX_PAGES_PER_FILE: int(500, 1),
  /** Decoded pixels per page; larger frames are refused before they are decoded (decompression bombs). */
  MAX_PIXELS_PER_PAGE: int(80_000_000, 1),
  /** Wall-clock limit for one page's recognition; a page over it fails with a reason. */
  PAGE_TIMEOUT_SECONDS: int(180, 1),
  /** Files with at most this many pages are answered inline by the POST. */
  INLINE_PAGE_LIMIT: int(5, 0),
  /** Longest the POST waits for an inline job before answering with its current state. */
  INLINE_WAIT_SECONDS: int(600, 1),
  /** Tries per page before it is marked failed. */
  PAGE_MAX_ATTEMPTS: int(2, 1),
  MAX_FIELD_BYTES: int(1024, 16),

  // OCR
  RASTER_DPI: int(300, 72),
  OCR_WORKERS: int(0, 0),
  OCR_ENGINE: z.enum(['auto', 'native', 'wasm']).default('auto'),
  TESSERACT_BIN: z.string().default('tesseract'),
  /**
   * Native Tesseract processes each engine keeps running, one per model and layout mode in use
   * (each holds its model loaded, 30-70 MB); 0 starts a process for every call.
   */
  OCR_WARM_PROCESSES: int(6, 0),
  /** A warm process unused this long ends. */
  OCR_WARM_IDLE_SECONDS: int(120, 1),
  /**
   * Extra readings for pages whose first reading is poor or sideways/skewed (orientation, deskew,
   * binarisation). Off: one reading per page (plus the language one with auto), as the bare CLI does.
   */
  OCR_RECOVERY: bool(true),
  TESSDATA_DIR: z.string().default(''),
  /** A wasm engine is replaced after this many pages (tesseract.js memory growth). */
  WASM_RECYCLE_PAGES: int(50, 1),

  // Retention
  RETENTION_HOURS: z.coerce.number().min(0).default(24),
  RETENTION_SWEEP_SECONDS: int(300, 1),

  /** Serve tier=vlm on the cpu tier (with a warning on the job) while no model server is configured. */
  VLM_FALLBACK_TO_CPU: bool(false),

  // AI tier: any OpenAI-compatible model server (vLLM, Ollama, llama.cpp server, a hosted API).
  /** Base URL of the server's OpenAI API, e.g. http://localhost:11434/v1; empty: no model server. */
  AI_BASE_URL: z.string().default(''),
  /** Bearer key sent to the model server (local servers accept any non-empty value). */
  AI_API_KEY: z.string().default(''),
  /** Vision model that reads page images (tier=vlm); empty: the vlm tier is off. */
  AI_VISION_MODEL: z.string().default(''),
  /** Model that answers chat questions; empty: chat answers are extractive. */
  AI_CHAT_MODEL: z.string().default(''),
  /** Model that translates (tool=translate); empty: AI_CHAT_MODEL. */
  AI_TRANSLATE_MODEL: z.string().default(''),
  /** Longest wait for one model request (for a streamed answer: between two chunks). */
  AI_TIMEOUT_SECONDS: int(45, 1),
  /** Retries of a model request after a timeout, a 429, a 5xx, a dropped connection or unusable output. */
  AI_MAX_RETRIES: int(2, 0),
  /** First retry delay; doubles each retry (a Retry-After from the server wins, up to AI_TIMEOUT_SECONDS). */
  AI_RETRY_BASE_MS: int(500, 0),
  /** Longest answer a model may write, in tokens. */
  AI_MAX_TOKENS: int(4096, 16),
  /** Page images sent to the vision model are scaled down to at most this many pixels on the long side. */
  VLM_MAX_IMAGE_SIDE: int(2048, 256),
  /** When the model keeps failing on a page: 'cpu' reads it with Tesseract (warning on the page); 'fail' fails the page. */
  VLM_PAGE_FALLBACK: z.enum(['cpu', 'fail']).default('cpu'),
  /** Characters per retrieval chunk for chat (chunks follow line boundaries). */
  CHAT_CHUNK_CHARS: int(800, 100),
  /** Chunks given to the chat model (or searched for the extractive answer). */
  CHAT_TOP_K: int(4, 1),
  /** Longest chat message accepted. */
  CHAT_MAX_MESSAGE_CHARS: int(2000, 1),
  /** Earlier messages of the conversation sent along with a question. */
  CHAT_HISTORY_MESSAGES: int(6, 0),
  /** Sentences in an extractive answer (no chat model configured, or the model failed). */
  CHAT_EXTRACTIVE_SENTENCES: int(3, 1),

  // Auth
  /** Accept anonymous OCR calls (no token). */
  ALLOW_ANONYMOUS: bool(true),
  /** Express 'trust proxy' value for client IPs behind a reverse proxy (e.g. 'loopback', '10.0.0.0/8', or a hop count). */
  TRUST_PROXY: z.string().default(''),

  // Metrics (docs/SETTINGS.md#metrics)
  /** Serve Prometheus metrics at /metrics. */
  METRICS_ENABLED: bool(true),
  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (the scraper's); empty: open. */
  METRICS_TOKEN: z.string().default(''),

  // Webhooks (docs/API-NOTES.md#webhooks)
  /** IPs or CIDR ranges callback URLs may reach although private or loopback (comma-separated); empty: none. */
  WEBHOOK_ALLOWED_ADDRESSES: z.string().default(''),
  /** One delivery attempt's limit (connect, send, answer). */
  WEBHOOK_TIMEOUT_SECONDS: int(10, 1),
  /** Wait before the first retry; each retry waits twice the one before, up to WEBHOOK_RETRY_MAX_DELAY_SECONDS. */
  WEBHOOK_RETRY_INITIAL_MS: int(5000, 1),
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: int(3600, 1),
  /** No attempt starts later than this after the first; then the delivery is failed. */
  WEBHOOK_RETRY_FOR_SECONDS: int(86_400, 0),

  // Accounts and metering (docs/ACCOUNTS.md)
  /** Reserve, charge and limit pages; off only for benchmarks and private installs. */
  METERING: bool(true),
  /** Credits one page costs on each tier. */
  CPU_CREDITS_PER_PAGE: int(1, 0),
  VLM_CREDITS_PER_PAGE: int(5, 0),
  /** Anonymous callers: credits per client IP per UTC day. */
  ANON_DAILY_PAGES: int(100, 0),
  ANON_MAX_PAGES_PER_FILE: int(20, 1),
  /** Free accounts: credits per UTC month. */
  FREE_MONTHLY_PAGES: int(500, 0),
  FREE_MAX_PAGES_PER_FILE: int(50, 1),
  PAID_MAX_PAGES_PER_FILE: int(500, 1),
  /**
   * What a file may cost, per plan, measured from headers before anything is decoded: frames of a
   * multi-frame image (animated GIF/WEBP, multi-page TIFF) and decoded pixels summed over every
   * page (PDF pages at RASTER_DPI). Past them: 413 before any work.
   */
  ANON_MAX_FRAMES_PER_FILE: int(10, 1),
  FREE_MAX_FRAMES_PER_FILE: int(50, 1),
  PAID_MAX_FRAMES_PER_FILE: int(500, 1),
  ANON_MAX_PIXELS_PER_FILE: int(250_000_000, 1),
  FREE_MAX_PIXELS_PER_FILE: int(1_000_000_000, 1),
  PAID_MAX_PIXELS_PER_FILE: int(10_000_000_000, 1),
  /** New web sign-ups allowed (the operator CLI can always create accounts). */
  ALLOW_SIGNUP: bool(true),
  /** Web session lifetime. */
  SESSION_HOURS: int(168, 1),
  /** Scrypt cost (N, a power of two) for new password hashes. */
  PASSWORD_SCRYPT_N: int(16384, 1024),

  // Abuse limits on the web forms (docs/SECURITY.md)
  /** Failed sign-ins in a row for one email before it is locked out. */
  SIGNIN_MAX_FAILURES: int(5, 1),
  /** Failed sign-ins from one client IP (any emails) before the address is locked out. */
  SIGNIN_IP_MAX_FAILURES: int(20, 1),
  /** First lockout; each further failure doubles it, up to SIGNIN_LOCKOUT_MAX_SECONDS. */
  SIGNIN_LOCKOUT_SECONDS: int(30, 1),
  SIGNIN_LOCKOUT_MAX_SECONDS: int(900, 1),
  /** Failures are forgotten after this long without a new one. */
  SIGNIN_FAILURE_WINDOW_SECONDS: int(86_400, 1),
  /** Web sign-ups from one client IP per SIGNUP_WINDOW_HOURS. */
  SIGNUPS_PER_IP: int(5, 1),
  SIGNUP_WINDOW_HOURS: int(24, 1),
  /** Strict-Transport-Security max-age on responses to requests that came over TLS; 0: no header. */
  HSTS_MAX_AGE_SECONDS: int(31_536_000, 0),
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of the proxies
   * in front (60 s on common load balancers) and of clients that reuse sockets after a pause: the
   * side that closes first races the other's next request ("socket hang up", 502 at a proxy).
   */
  HTTP_KEEP_ALIVE_SECONDS: int(65, 1),
  // The web app and the API calls it makes (docs/API-NOTES.md)
  /** Where the built web app is (vite's output); empty: apps/web/dist of this checkout. */
  WEB_DIR: z.string().default(''),
  /** Jobs per page of GET /api/v1/ocr/ when the caller names no limit, and the most it may ask. */
  JOB_LIST_LIMIT: int(20, 1),
  JOB_LIST_MAX: int(100, 1),
  /** A job's event stream re-reads the job store at least this often (workers may be other processes). */
  EVENTS_POLL_MS: int(1000, 50),
  /** A comment line this often keeps proxies from closing a quiet event stream. */
  EVENTS_HEARTBEAT_SECONDS: int(15, 1),
  /** Browsers may reuse a page image this long without asking (then revalidate with its ETag). */
  PAGE_IMAGE_MAX_AGE_SECONDS: int(3600, 0),
  // Cluster services (docs/SETTINGS.md, "Cluster services"): gRPC between them, host:port each.
  /** Where a cluster service serves gRPC (0: any free port, logged at start). */
  GRPC_PORT: int(0, 0),
  AUTH_BILLING_GRPC_URL: z.string().default('127.0.0.1:50051'),
  INGEST_GRPC_URL: z.string().default('127.0.0.1:50052'),
  EXPORT_GRPC_URL: z.string().default('127.0.0.1:50053'),
  CHAT_GRPC_URL: z.string().default('127.0.0.1:50054'),
  /** Deadline of one gRPC call (waits for inline jobs get INLINE_WAIT_SECONDS on top). */
  GRPC_DEADLINE_SECONDS: int(10, 1),
  /** Retry-After on a 503 (a service or server this request needs is unavailable). */
  RETRY_AFTER_SECONDS: int(5, 1),
  /** How often a waiter re-reads a job another process is finishing (cluster ingest). */
  JOB_WAIT_POLL_MS: int(2000, 10),
  /** How long a stopping service lets its current pages and calls finish before it exits. */
  SHUTDOWN_GRACE_SECONDS: int(30, 1),
});

export type RawSettings = z.infer<typeof settingsSchema>;

export interface Settings extends RawSettings {
  /** OCR_WORKERS resolved: 0 means one per core. */
  ocrWorkers: number;
  dataDir: string;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid settings: ${problems}`);
  }
  const raw = parsed.data;
  return {
    ...raw,
    ocrWorkers: raw.OCR_WORKERS > 0 ? raw.OCR_WORKERS : Math.max(1, availableParallelism()),
    dataDir: resolve(raw.DATA_DIR),
  };
}
