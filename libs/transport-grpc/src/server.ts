import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { runWithContext } from '@ocr/app';
import { incomingContext } from './context';
import { toStatus } from './errors';
import { serviceDefinition, type ServiceName } from './proto';

export interface ServerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type Unary<Req, Res> = (req: Req) => Promise<Res>;

/** A unary handler: runs in the caller's request context, answers named errors as statuses. */
export function unary<Req, Res>(log: ServerLogger, fn: Unary<Req, Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    runWithContext(incomingContext(call.metadata), () => {
      fn(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(toStatus(err, log), null),
      );
    });
  };
}

/** A server-streaming handler over an async iterable of messages. */
export function serverStream<Req, Res>(log: ServerLogger, fn: (req: Req) => Promise<AsyncIterable<Res>>) {
  return (call: ServerWritableStream<Req, Res>): void => {
    runWithContext(incomingContext(call.metadata), () => {
      void (async () => {
        try {
          for await (const message of await fn(call.request)) {
            if (call.cancelled) return;
            if (!call.write(message)) await new Promise((r) => call.once('drain', r));
          }
          call.end();
        } catch (err) {
          // grpc-js turns an 'error' event of a server stream into the call's final status.
          const status = toStatus(err, log);
          call.emit('error', Object.assign(new Error(status.details ?? 'failed'), status));
        }
      })();
    });
  };
}

/** One gRPC server per service process, with graceful shutdown. */
export class GrpcServer {
  private readonly server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.max_send_message_length': 64 * 1024 * 1024 });

  add(service: ServiceName, handlers: UntypedServiceImplementation): void {
    this.server.addService(serviceDefinition(service), handlers);
  }

  /** Binds host:port (0: a free port) and returns the port bound. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  }

  /** Stops taking calls, lets those in flight finish for up to `graceMs`, then cuts the rest. */
  stop(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
