import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds one page attempt takes: a text-layer page in milliseconds, a hard scan in minutes. */
const PAGE_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The platform's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * two apps in one process, as in tests, do not collide). The composition feeds it: HTTP requests
 * from the request middleware, pages from the job service, restarts from the engine pool, queue
 * depth read at scrape time.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly pages: Counter<'tier' | 'outcome'>;
  private readonly pageSeconds: Histogram<'tier' | 'outcome'>;
  private readonly engineRestarts: Counter<'reason'>;

  constructor(queueDepth: () => number | null) {
    // The event-loop lag histogram samples every 10 ms by default: 0.65% of a core in an idle
    // process (measured), paid by each of the cluster's processes. Ten samples a second still
    // give its percentiles.
    collectDefaultMetrics({ register: this.registry, prefix: 'ocr_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.requests = new Counter({
      name: 'ocr_http_requests_total',
      help: 'HTTP requests by method, route (as registered, not the raw URL) and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.pages = new Counter({
      name: 'ocr_pages_total',
      help: 'Page outcomes by tier: done, failed, retried (failed and queued again)',
      labelNames: ['tier', 'outcome'],
      registers: [this.registry],
    });
    this.pageSeconds = new Histogram({
      name: 'ocr_page_seconds',
      help: "Seconds of one page attempt (raster or text layer, recognition, layout) by tier and outcome",
      labelNames: ['tier', 'outcome'],
      buckets: PAGE_SECONDS_BUCKETS,
      registers: [this.registry],
    });
    this.engineRestarts = new Counter({
      name: 'ocr_engine_restarts_total',
      help: 'OCR engines replaced: recycled after a number of pages, or after an error',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'ocr_queue_depth',
      help: 'Pages waiting for a worker',
      registers: [this.registry],
      collect() {
        const depth = queueDepth();
        if (depth !== null) this.set(depth);
      },
    });
    // Every label set a dashboard expects exists from the start, at 0.
    for (const tier of ['cpu', 'vlm']) for (const outcome of ['done', 'failed', 'retried']) this.pages.inc({ tier, outcome }, 0);
    for (const reason of ['recycled', 'error']) this.engineRestarts.inc({ reason }, 0);
  }

  request(method: string, route: string, status: number): void {
    this.requests.inc({ method, route, status: String(status) });
  }

  page(tier: string, outcome: 'done' | 'failed' | 'retried', seconds: number | null): void {
    this.pages.inc({ tier, outcome });
    if (seconds !== null) this.pageSeconds.observe({ tier, outcome }, seconds);
  }

  engineRestarted(reason: 'recycled' | 'error'): void {
    this.engineRestarts.inc({ reason });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
