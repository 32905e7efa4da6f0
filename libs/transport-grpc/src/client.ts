import { credentials, type CallOptions, type Client, type ClientReadableStream, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { outgoingMetadata } from './context';
import { fromServiceError } from './errors';
import { clientConstructor, type ServiceName } from './proto';

export interface ClientSettings {
  /** host:port of the service. */
  url: string;
  /** Deadline of every call: a service that does not answer in time is 'unavailable', never a hang. */
  deadlineMs: number;
}

type UnaryMethod = (req: unknown, metadata: Metadata, options: CallOptions, callback: (err: ServiceError | null, res: unknown) => void) => void;
type StreamMethod = (req: unknown, metadata: Metadata, options: CallOptions) => ClientReadableStream<unknown>;

/** Exported documents and job views can be large; uploads never travel over gRPC. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** One channel to one service, with deadlines, context metadata and error mapping on every call. */
export class GrpcClient {
  private readonly client: Client;

  constructor(
    service: ServiceName,
    readonly label: string,
    private readonly settings: ClientSettings,
  ) {
    const Ctor = clientConstructor(service);
    this.client = new Ctor(settings.url, credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
  }

  private method<T>(name: string): T {
    const fn = (this.client as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new Error(`${this.label} has no method ${name}`);
    return (fn as (...args: unknown[]) => unknown).bind(this.client) as T;
  }

  /** One request, one reply; `extraMs` lengthens the deadline for calls that wait on purpose. */
  unary<Req, Res>(name: string, req: Req, extraMs = 0): Promise<Res> {
    const call = this.method<UnaryMethod>(name);
    return new Promise<Res>((resolve, reject) => {
      call(req, outgoingMetadata(), { deadline: Date.now() + this.settings.deadlineMs + extraMs }, (err, res) =>
        err ? reject(fromServiceError(err, this.label)) : resolve(res as Res),
      );
    });
  }

  /** A server stream; its first message (or error) arrives within the deadline of a long call. */
  stream<Req>(name: string, req: Req, extraMs = 0): ClientReadableStream<unknown> {
    return this.method<StreamMethod>(name)(req, outgoingMetadata(), { deadline: Date.now() + this.settings.deadlineMs + extraMs });
  }

  /** Whether the service answers a connection within `timeoutMs` (for /readyz). */
  ready(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => this.client.waitForReady(Date.now() + timeoutMs, (err) => resolve(!err)));
  }

  close(): void {
    this.client.close();
  }
}
